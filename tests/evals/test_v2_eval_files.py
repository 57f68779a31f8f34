"""Validates the contract-v2 evaluation files: shape, unique ids, known paths, values in range.

Paths and values are checked against the contract's state table (v1 + v2) as
`support.eval_files` holds it.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from typing import Any

import pytest

from support.eval_files import CASE_KEYS, EVALS, case_problems, is_text, read_rows
from tongxue.cabin.seats import SEATS

V2_FILES = ("public-v2.jsonl", "holdout-v2.jsonl")
ALL_FILES = ("public.jsonl", "holdout.jsonl", *V2_FILES)
ID_PATTERNS = {
    "public-v2.jsonl": re.compile(r"^(?P<cat>[a-z0-9_]+)-(?P<lang>zh|en)-\d{3}$"),
    "holdout-v2.jsonl": re.compile(r"^holdout2-(?P<cat>[a-z0-9_]+)-(?P<lang>zh|en)-\d{3}$"),
}
MIN_CASES = {"public-v2.jsonl": 350, "holdout-v2.jsonl": 200}
CJK = re.compile(r"[\u4e00-\u9fff]")


def _load(name: str) -> list[dict[str, Any]]:
    return read_rows(EVALS / name)


def _cases() -> Iterator[dict[str, Any]]:
    for name in V2_FILES:
        yield from _load(name)


@pytest.mark.parametrize("name", V2_FILES)
def test_file_shape(name: str) -> None:
    cases = _load(name)
    assert len(cases) >= MIN_CASES[name]
    for case in cases:
        where = case.get("id", case)
        # Only the real-dev file says where its cases came from.
        assert set(case) <= CASE_KEYS - {"source"}, where
        assert {"id", "turns", "expect"} <= set(case), where
        match = ID_PATTERNS[name].match(case["id"])
        assert match, where
        assert case.get("seat", "driver") in SEATS, where
        turns = case["turns"]
        assert isinstance(turns, list) and turns, where
        assert all(isinstance(t, str) and t.strip() for t in turns), where
        # The id's language is the language of what the speaker says.
        has_cjk = any(CJK.search(t) for t in turns)
        assert has_cjk == (match["lang"] == "zh"), where
        assert isinstance(case["expect"], dict), where
        assert isinstance(case.get("state", {}), dict), where
        unchanged = case.get("unchanged", [])
        assert isinstance(unchanged, list) and len(set(unchanged)) == len(unchanged), where
        for flag in ("refused", "unsupported"):
            assert isinstance(case.get(flag, False), bool), where
        assert not (case.get("refused") and case.get("unsupported")), where
        replies = case.get("reply_contains", [])
        assert isinstance(replies, list) and all(is_text(r) for r in replies), where
        if case.get("refused") and len(turns) == 1:
            # A refused one-turn case names what was blocked (it keeps its starting value).
            assert unchanged, where


@pytest.mark.parametrize("name", V2_FILES)
def test_languages_are_balanced(name: str) -> None:
    langs = Counter(ID_PATTERNS[name].match(case["id"])["lang"] for case in _load(name))  # type: ignore[index]
    total = langs["zh"] + langs["en"]
    assert total > 0
    assert 0.4 <= langs["zh"] / total <= 0.6, langs


def test_ids_are_unique_across_all_eval_files() -> None:
    seen: Counter[str] = Counter()
    for name in ALL_FILES:
        seen.update(case["id"] for case in _load(name))
    assert [i for i, n in seen.items() if n > 1] == []


def test_paths_and_values_are_in_the_contract() -> None:
    problems = [(case["id"], problem) for case in _cases() for problem in case_problems(case)]
    assert problems == []


def test_expected_starting_values_match_refusals() -> None:
    """A refused case expects its blocked paths to keep their starting value."""
    from_state = []
    for case in _cases():
        if not case.get("refused"):
            continue
        state = case.get("state", {})
        for path in case.get("unchanged", []):
            if path in case["expect"] and path in state and case["expect"][path] != state[path]:
                from_state.append((case["id"], path))
    assert from_state == []
