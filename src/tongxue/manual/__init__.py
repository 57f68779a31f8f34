"""The car's owner's manual: source files, the search index, hybrid search.

Knows nothing of dialogue or models; `dialogue.manual_answers` words the answers.
"""

from __future__ import annotations

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
    vocabulary = [w for s in manual.sections for w in (s.title, *s.keywords)]
    return ManualSearch(manual, index, TermSplitter(vocabulary))
