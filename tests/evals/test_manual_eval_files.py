"""The owner's-manual evaluation files: their shape, and the search's figures on them.

The retrieval figures are the issue's targets on the development set (the fused ranking
finds a right section in its top 3 for at least 95% of questions, and no worse than either
side alone); the margins hold several questions, so a CPU's rounding of the embeddings
cannot tip them.
"""

from __future__ import annotations

import re
from collections import Counter
from typing import Any

import pytest

from support.eval_files import CASE_KEYS, EVALS, case_problems, read_rows
from tongxue.dialogue.evaluation import load_cases
from tongxue.dialogue.manual_evaluation import retrieval_scores
from tongxue.manual import ManualSearch, load_manual

FILES = ("manual.jsonl", "manual-holdout.jsonl")
CJK = re.compile(r"[\u4e00-\u9fff]")
SECTION_IDS = frozenset(load_manual("suv6").ids)


def _language(case: dict[str, Any]) -> str:
    return "zh" if CJK.search(case["turns"][-1]) else "en"


@pytest.mark.parametrize("name", FILES)
def test_every_case_is_well_formed(name: str) -> None:
    cases = read_rows(EVALS / name)
    assert len({c["id"] for c in cases}) == len(cases)
    for case in cases:
        assert set(case) <= CASE_KEYS, case["id"]
        assert not list(case_problems(case)), case["id"]
        for section in case.get("sections") or ():
            assert section in SECTION_IDS, f"{case['id']}: no section {section!r}"
        if case.get("sections") is not None:
            assert case.get("reply_contains"), f"{case['id']}: say what the answer holds"
    load_cases(EVALS / name)  # the runner reads it too


def test_the_development_set_is_what_the_issue_asks_for() -> None:
    cases = read_rows(EVALS / "manual.jsonl")
    assert len(cases) >= 200
    languages = Counter(_language(c) for c in cases)
    assert languages["zh"] == languages["en"]
    assert sum(1 for c in cases if c.get("sections") == []) >= 30
    assert sum(1 for c in cases if c.get("sections")) >= 140
    assert sum(1 for c in cases if c.get("sections") is None) >= 10, "live-status questions"


def test_fused_retrieval_meets_its_target(manual_search: ManualSearch) -> None:
    scores = {
        s.ranking: s for s in retrieval_scores(manual_search, load_cases(EVALS / "manual.jsonl"))
    }
    fused = scores["fused"]
    assert fused.questions >= 140
    assert fused.recall_at_3 >= 0.95
    assert fused.recall_at_3 >= max(scores["keyword"].recall_at_3, scores["meaning"].recall_at_3)
    assert fused.mrr >= max(scores["keyword"].mrr, scores["meaning"].mrr)
