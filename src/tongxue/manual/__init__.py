"""The car's owner's manual: source files, the search index, hybrid search.

Knows nothing of dialogue or models; `dialogue.manual_answers` words the answers.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from tongxue.engine.embeddings import Embedder
from tongxue.manual.index import ManualIndex, ManualIndexError
from tongxue.manual.search import Hit, ManualSearch, SearchResult
from tongxue.manual.source import (
    Manual,
    ManualFormatError,
    ManualSection,
    has_manual,
    load_manual,
)
from tongxue.manual.terms import TermSplitter

__all__ = [
    "Hit",
    "Manual",
    "ManualFormatError",
    "ManualIndex",
    "ManualIndexError",
    "ManualSearch",
    "ManualSection",
    "SearchResult",
    "TermSplitter",
    "has_manual",
    "index_path",
    "load_manual",
    "open_search",
]


def index_path(cache_dir: Path, profile: str) -> Path:
    return cache_dir / "manual" / f"{profile}.sqlite"


def open_search(
    profile: str, embedder: Embedder, cache_dir: Path, *, progress: bool = True
) -> ManualSearch:
    """The manual of a car profile, indexed (built first when missing or stale)."""
    manual = load_manual(profile)
    index = ManualIndex.open(manual, embedder, index_path(cache_dir, profile), progress=progress)
    vocabulary = tuple(w for s in manual.sections for w in (s.title, *s.keywords))
    return ManualSearch(manual, index, _splitter(vocabulary))


# Loading jieba's dictionary takes a second or two; every agent of a process (the server's,
# each test's) shares the splitter of one vocabulary. It is read-only and locked.
@lru_cache(maxsize=4)
def _splitter(vocabulary: tuple[str, ...]) -> TermSplitter:
    return TermSplitter(vocabulary)
