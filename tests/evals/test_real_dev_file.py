"""The shape of evals/real-dev.jsonl and its out-of-contract list (MAC-SLU, development half).

The two files together hold every line of the dataset's odd-numbered half exactly once. Every
path a case sets, expects or keeps unchanged is a path of the cabin contract (v1 + v2) and every
value is one the path can take.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from support.eval_files import CASE_KEYS, EVALS, case_problems, is_text, read_rows

CASES_FILE = EVALS / "real-dev.jsonl"
OUT_FILE = EVALS / "real-dev-out-of-contract.jsonl"
# The dataset itself lives outside the repository; when it is there the query texts are compared.
DATASET = Path("/work/shared/data/macslu-dev.jsonl")
# The development half is the odd-numbered one: ids 1, 3, ..., 1151.
DATASET_IDS = set(range(1, 1152, 2))

OUT_KEYS = {"id", "query", "category", "reason", "source"}
OUT_CATEGORIES = {
    "ambiguous",
    "undefined-value",
    "unclear-function",
    "not-a-request",
    "missing-context",
}
ID_PATTERN = re.compile(r"^real-zh-(\d{4})$")
SOURCE_PATTERN = re.compile(r"^macslu-dev:(\d+)$")

CASES = read_rows(CASES_FILE)
OUTS = read_rows(OUT_FILE)


def _dataset_id(row: dict[str, Any]) -> int:
    id_match = ID_PATTERN.match(row["id"])
    source_match = SOURCE_PATTERN.match(row["source"])
    assert id_match and source_match, row["id"]
    assert int(id_match.group(1)) == int(source_match.group(1)), row["id"]
    return int(source_match.group(1))


def test_every_dataset_line_is_in_exactly_one_file() -> None:
    ids = [_dataset_id(row) for row in CASES + OUTS]
    assert len(ids) == len(set(ids)) == 576
    assert set(ids) == DATASET_IDS


def test_ids_are_unique() -> None:
    ids = [row["id"] for row in CASES + OUTS]
    assert len(ids) == len(set(ids))


@pytest.mark.skipif(not DATASET.exists(), reason="MAC-SLU dev half is not on this machine")
def test_queries_match_the_dataset() -> None:
    queries = {int(row["id"]): row["query"] for row in read_rows(DATASET)}
    for row in CASES:
        assert row["turns"] == [queries[_dataset_id(row)]], row["id"]
    for row in OUTS:
        assert row["query"] == queries[_dataset_id(row)], row["id"]


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_case_shape(case: dict[str, Any]) -> None:
    assert set(case) <= CASE_KEYS
    assert {"id", "seat", "turns", "expect", "source"} <= set(case)
    assert case["seat"] == "driver"
    assert isinstance(case["turns"], list) and len(case["turns"]) == 1
    assert isinstance(case["turns"][0], str) and case["turns"][0].strip()
    assert isinstance(case["expect"], dict)
    for key in ("refused", "unsupported"):
        assert key not in case or isinstance(case[key], bool)
    replies = case.get("reply_contains", [])
    assert isinstance(replies, list) and all(is_text(r) for r in replies)
    if case.get("refused"):
        assert case.get("unchanged"), "a refused case names the blocked path"
    if "离线" in replies:
        assert case["expect"] == {} and case.get("unsupported") is True


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_case_paths_and_values_are_in_the_contract(case: dict[str, Any]) -> None:
    assert list(case_problems(case)) == []


@pytest.mark.parametrize("row", OUTS, ids=[o["id"] for o in OUTS])
def test_out_of_contract_shape(row: dict[str, Any]) -> None:
    assert set(row) == OUT_KEYS
    assert row["category"] in OUT_CATEGORIES
    assert is_text(row["query"]) and is_text(row["reason"])
