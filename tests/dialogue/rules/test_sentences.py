"""Sentence tests as data: tests/dialogue/rules/sentences/<lang>/<domain>.yaml.

Each entry lists sentences and what every one of them must give:

    - sentences: ["打开香氛", "开一下香薰"]
      speaker: rear_left                  # optional, the seat that speaks (default driver)
      actions: [{name: set_fragrance, arguments: {on: true}}]
    - sentences: ["明天下雨吗"]
      provider: weather                   # or {kind: places, query: 加油站}
    - sentences: ["续航还有多少"]
      question: {topic: range}
    - sentences: ["打开hud"]
      unsupported: hud                    # or true: any reason
    - sentences: ["不用开空调"]
      negation: true
    - sentences: ["打开空调"]
      none: true                          # no template may match (v1 handles it)
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tongxue.dialogue.rules.template_data import load_yaml
from tongxue.dialogue.rules.templates import match_template
from tongxue.dialogue.rules.types import (
    ActionPart,
    Language,
    NegationPart,
    Part,
    ProviderPart,
    QuestionPart,
    RuleContext,
    UnsupportedPart,
)

ROOT = Path(__file__).parent / "sentences"
_EXPECT_KEYS = ("actions", "provider", "question", "unsupported", "negation", "none")


def _cases() -> list[Any]:
    cases = []
    for path in sorted(ROOT.glob("*/*.yaml")):
        language = path.parent.name
        entries = load_yaml(path.read_text("utf-8")) or []
        for number, entry in enumerate(entries, 1):
            for sentence in entry["sentences"]:
                case_id = f"{language}/{path.stem}#{number}:{sentence}"
                cases.append(pytest.param(language, sentence, entry, id=case_id))
    return cases


def _describe(part: Part | None) -> dict[str, Any]:
    """A part in the shape the YAML expectations use."""
    if part is None:
        return {"none": True}
    if isinstance(part, ActionPart):
        actions = [{"name": a.name, "arguments": a.arguments()} for a in part.actions]
        return {"actions": actions}
    if isinstance(part, ProviderPart):
        return {"provider": {"kind": part.kind, "query": part.query}}
    if isinstance(part, QuestionPart):
        return {"question": part.question.model_dump(exclude_none=True)}
    if isinstance(part, UnsupportedPart):
        return {"unsupported": part.what}
    if isinstance(part, NegationPart):
        return {"negation": True}
    return {"other": repr(part)}


def _expected(entry: dict[str, Any], got: dict[str, Any]) -> dict[str, Any]:
    keys = [key for key in _EXPECT_KEYS if key in entry]
    assert len(keys) == 1, f"an entry needs exactly one of {_EXPECT_KEYS}: {entry}"
    key = keys[0]
    value = entry[key]
    if key == "actions":
        return {"actions": [{"arguments": {}, **action} for action in value]}
    if key == "provider":
        fields = {"kind": value} if isinstance(value, str) else value
        if "query" not in fields and "provider" in got:
            fields = {**fields, "query": got["provider"]["query"]}  # not checked
        return {"provider": {"query": None, **fields}}
    if key == "unsupported" and value is True and "unsupported" in got:
        return got  # any reason will do
    return {key: value}


@pytest.mark.parametrize(("language", "sentence", "entry"), _cases())
def test_sentence(language: Language, sentence: str, entry: dict[str, Any]) -> None:
    context = RuleContext(speaker=entry.get("speaker", "driver"))
    got = _describe(match_template(sentence, language, context))
    assert got == _expected(entry, got)
