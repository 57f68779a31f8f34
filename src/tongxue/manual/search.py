"""Hybrid search over the manual: BM25 on jieba terms, E5 vectors, fused by rank (RRF).

Each side ranks the sections of the asker's language; reciprocal rank fusion adds
1 / (60 + rank) from each, so a section both sides like beats one only a side likes, and
neither side's raw scores need calibrating against the other's.
"""

from __future__ import annotations

import logging
import math
import threading
from collections import Counter
from dataclasses import dataclass, field

import bm25s
import numpy as np

from tongxue.manual.index import ManualIndex
from tongxue.manual.source import LANGUAGES, Language, Manual, ManualSection
from tongxue.manual.terms import TermSplitter, with_parts

# bm25s sets its own logger to DEBUG, which would print through any root handler.
logging.getLogger("bm25s").setLevel(logging.WARNING)

RRF_K = 60
# How deep each side ranks before fusion; the manual has about a hundred sections a language.
_DEPTH = 20


@dataclass(frozen=True)
class Hit:
    section: ManualSection
    score: float
    rank: int


@dataclass(frozen=True)
class SearchResult:
    """The fused ranking, and each side's own, for one query."""

    query: str
    language: Language
    # The query's content words, and the terms the keyword side matched (words and parts).
    words: tuple[str, ...]
    terms: tuple[str, ...]
    fused: tuple[Hit, ...]
    keyword: tuple[Hit, ...]
    meaning: tuple[Hit, ...]
    # Per section id: its BM25 score and its cosine similarity to the query (0 if unranked).
    bm25: dict[str, float] = field(default_factory=dict)
    similarity: dict[str, float] = field(default_factory=dict)

    @property
    def top(self) -> Hit | None:
        return self.fused[0] if self.fused else None


def reciprocal_rank_fusion(
    rankings: list[list[ManualSection]], k: int = RRF_K
) -> list[tuple[ManualSection, float]]:
    """Sections by the sum of 1 / (k + rank) over the rankings they appear in."""
    scores: dict[str, float] = {}
    sections: dict[str, ManualSection] = {}
    for ranking in rankings:
        for rank, section in enumerate(ranking, start=1):
            scores[section.id] = scores.get(section.id, 0.0) + 1.0 / (k + rank)
            sections[section.id] = section
    order = sorted(scores, key=lambda sid: (-scores[sid], sid))
    return [(sections[sid], scores[sid]) for sid in order]


class ManualSearch:
    def __init__(self, manual: Manual, index: ManualIndex, splitter: TermSplitter) -> None:
        self.manual = manual
        self.index = index
        self.splitter = splitter
        self._lock = threading.Lock()
        self._sections: dict[Language, tuple[ManualSection, ...]] = {}
        self._bm25: dict[Language, bm25s.BM25] = {}
        self.section_terms: dict[tuple[str, Language], frozenset[str]] = {}
        self._document_frequency: dict[Language, Counter[str]] = {}
        # The words the manual names things by (its titles and keywords), per language.
        self._names: dict[Language, frozenset[str]] = {}
        for language in LANGUAGES:
            sections = manual.in_language(language)
            corpus = []
            for section in sections:
                # The title counts twice: it is what the section is about.
                terms = splitter.terms(f"{section.title} {section.passage}", language)
                corpus.append(terms)
                self.section_terms[(section.id, language)] = frozenset(terms)
            self._document_frequency[language] = Counter(t for doc in corpus for t in set(doc))
            self._names[language] = frozenset(
                word
                for section in sections
                for name in (section.title, *section.keywords)
                for word in splitter.words(name, language)
            )
            retriever = bm25s.BM25()
            retriever.index(corpus, show_progress=False)
            self._sections[language] = sections
            self._bm25[language] = retriever

    def coverage(self, result: SearchResult, section: ManualSection) -> float:
        """How much of the question the section speaks of: the share of the question's
        words it holds, each weighted by its rarity in the manual (IDF). A word the manual
        never uses weighs most, so "车载冰箱怎么用" is not covered by a section that merely
        says "车载"."""
        held = self.section_terms.get((section.id, section.language), frozenset())
        frequency = self._document_frequency[section.language]
        count = len(self._sections[section.language])
        total = found = 0.0
        for word in dict.fromkeys(result.words):
            weight = math.log((count + 1) / (frequency.get(word, 0) + 0.5))
            total += weight
            if word in held or (
                len(word) >= 3
                and "\u4e00" <= word[0] <= "\u9fff"
                and all(word[i : i + 2] in held for i in range(len(word) - 1))
            ):
                found += weight
        return found / total if total else 0.0

    def names_something(self, result: SearchResult) -> bool:
        """Whether the question uses a word the manual names a thing by (a title or a
        keyword): a question about the car, not about the world."""
        return any(word in self._names[result.language] for word in result.words)

    def keyword_ranking(
        self, terms: list[str], language: Language
    ) -> list[tuple[ManualSection, float]]:
        if not terms:
            return []
        with self._lock:
            scores = np.asarray(self._bm25[language].get_scores(terms), dtype=np.float64)
        sections = self._sections[language]
        order = [i for i in np.argsort(-scores, kind="stable")[:_DEPTH] if scores[i] > 0]
        return [(sections[i], float(scores[i])) for i in order]

    def search(self, query: str, language: Language, k: int = 3) -> SearchResult:
        words = self.splitter.words(query, language)
        terms = with_parts(words)
        keyword = self.keyword_ranking(terms, language)
        meaning = [(h.section, h.similarity) for h in self.index.nearest(query, language, _DEPTH)]
        fused = reciprocal_rank_fusion([[s for s, _ in keyword], [s for s, _ in meaning]])

        def hits(ranked: list[tuple[ManualSection, float]]) -> tuple[Hit, ...]:
            return tuple(Hit(s, score, rank) for rank, (s, score) in enumerate(ranked[:k], 1))

        return SearchResult(
            query=query,
            language=language,
            words=tuple(words),
            terms=tuple(terms),
            fused=hits(fused),
            keyword=hits(keyword),
            meaning=hits(meaning),
            bm25={s.id: score for s, score in keyword},
            similarity={s.id: score for s, score in meaning},
        )
