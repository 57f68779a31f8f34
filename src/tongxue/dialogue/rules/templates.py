"""Sentence templates: a whole clause against data-driven sentences, to one part.

The templates live in `data/<lang>/*.yaml` (one file per domain; see template_data for the
format). They are loaded and compiled once, at import. A clause matches a sentence only
whole; when several intents match, the one with the most literal text wins (the more
specific sentence; list words count as literal, numbers and free text do not), then the
one loaded first. A match whose values the action rejects is
no match, and the next candidate is tried.
"""

from __future__ import annotations

import logging
import re
from collections import Counter, defaultdict
from collections.abc import Mapping
from functools import lru_cache
from typing import Any

from pydantic import ValidationError

from tongxue.cabin.status import StatusQuestion
from tongxue.dialogue.rules.normalize import normalize, strip_politeness
from tongxue.dialogue.rules.template_data import (
    Args,
    Outcome,
    Placeholder,
    Sentence,
    load_sentences,
)
from tongxue.dialogue.rules.template_slots import (
    TRANSFORMS,
    NoValue,
    SeatUnsupported,
    SlotValue,
)
from tongxue.dialogue.rules.types import (
    ActionPart,
    Language,
    NegationPart,
    Part,
    ProviderKind,
    ProviderPart,
    QuestionPart,
    RuleContext,
    UnsupportedPart,
)

logger = logging.getLogger(__name__)


class _Index:
    """The sentences of a language, found by the rarest pair of letters of their anchor.

    Looking at every sentence for every clause would cost a millisecond with a thousand
    sentences; a clause has only a few dozen letter pairs, so few sentences are tried.
    """

    def __init__(self, sentences: list[Sentence]) -> None:
        self.sentences = sentences
        counts: Counter[str] = Counter()
        for sentence in sentences:
            for anchor in sentence.anchors or ():
                counts.update(set(_keys(anchor)))
        self.always: list[Sentence] = []
        self.by_key: dict[str, list[Sentence]] = defaultdict(list)
        for sentence in sentences:
            if sentence.anchors is None:
                self.always.append(sentence)
                continue
            for anchor in sentence.anchors:
                self.by_key[min(_keys(anchor), key=lambda key: (counts[key], key))].append(sentence)

    def candidates(self, text: str) -> list[tuple[int, int, Sentence, re.Match[str]]]:
        """Matching sentences, the most literal text first, then load order."""
        tried: set[int] = set()
        found = []
        keys = set(text) | set(_keys(text))
        pools = [self.always] + [self.by_key.get(key, []) for key in keys]
        for pool in pools:
            for sentence in pool:
                if sentence.order in tried:
                    continue
                tried.add(sentence.order)
                if sentence.anchors is not None and not any(
                    anchor in text for anchor in sentence.anchors
                ):
                    continue
                matched = sentence.regex.fullmatch(text)
                if matched is None:
                    continue
                captured = sum(
                    len(matched[group] or "")
                    for group, _, slot_type in sentence.slots
                    if slot_type.open
                )
                found.append((captured - len(text), sentence.order, sentence, matched))
        found.sort(key=lambda candidate: candidate[:2])
        return found


def _keys(text: str) -> list[str]:
    """Letter pairs of a text (the text itself when shorter: a one-letter anchor)."""
    if len(text) < 2:
        return [text]
    return [text[i : i + 2] for i in range(len(text) - 1)]


_INDEX: dict[Language, _Index] = {
    "zh": _Index(load_sentences("zh")),
    "en": _Index(load_sentences("en")),
}


class _NoMatch(Exception):
    """This candidate does not fit after all (a value out of the action's domain)."""


# A turn asks about the same clause and its pieces several times (whole, cut, chained);
# matching is pure, so the answer is kept. Bounded: a few MB at most.
@lru_cache(maxsize=16_384)
def match_template(clause: str, language: Language, context: RuleContext) -> Part | None:
    """The part a clause asks for, or None when no template matches it whole."""
    text = strip_politeness(normalize(clause), language)
    if not text:
        return None
    found = _match(text, clause, context, language)
    if found is None and text.endswith(_QUESTION_MARKS):
        # "are my tyres ok?": a question mark asks, so a question's template still fits;
        # a command ("open the window?") stays unread, as an open question is no request.
        found = _match(text.rstrip("?？ "), clause, context, language)
        if not isinstance(found, QuestionPart | ProviderPart):
            return None
    return found


_QUESTION_MARKS = ("?", "？")


def _match(text: str, clause: str, context: RuleContext, language: Language) -> Part | None:
    for _, _, sentence, found in _INDEX[language].candidates(text):
        try:
            values = _slot_values(sentence, found.groupdict(), context)
        except SeatUnsupported as problem:
            return UnsupportedPart(str(problem), text=clause)
        except NoValue:
            continue
        try:
            return _part(sentence.intent.outcome, values, clause)
        except _NoMatch:
            logger.debug("template %s: values rejected for %r", sentence.intent.id, text)
    return None


def matching_intents(clause: str, language: Language) -> list[str]:
    """Ids of the intents whose sentences match a clause, best first (tests, debugging)."""
    text = strip_politeness(normalize(clause), language)
    return [sentence.intent.id for *_, sentence, _ in _INDEX[language].candidates(text)]


def _slot_values(
    sentence: Sentence, groups: Mapping[str, str | None], context: RuleContext
) -> dict[str, SlotValue]:
    values: dict[str, SlotValue] = {}
    for group, name, slot_type in sentence.slots:
        said = groups.get(group)
        if said is not None:
            values[name] = slot_type.convert(said, context)
    return values


def _fill(args: Args, values: Mapping[str, SlotValue]) -> dict[str, Any]:
    """The arguments with slot values put in; a slot not said drops its argument, and a
    slot that names the speaker's own seat (None) too, which is what None means."""
    filled: dict[str, Any] = {}
    for key, value in args.items():
        if isinstance(value, Placeholder):
            if value.slot not in values:
                continue
            result = values[value.slot]
            try:
                for transform in value.transforms:
                    result = TRANSFORMS[transform](result) if result is not None else None
            except NoValue as problem:
                raise _NoMatch from problem
            if result is None:
                continue
            filled[key] = result
        else:
            filled[key] = value
    return filled


def _part(outcome: Outcome, values: Mapping[str, SlotValue], clause: str) -> Part:
    try:
        if outcome.kind == "actions":
            actions = tuple(
                spec.cls.model_validate(_fill(spec.args, values)) for spec in outcome.actions
            )
            return ActionPart(actions, text=clause)
        if outcome.kind == "question":
            assert outcome.fields is not None
            question = StatusQuestion.model_validate(_fill(outcome.fields, values))
            return QuestionPart(question, text=clause)
    except ValidationError as problem:
        raise _NoMatch from problem
    if outcome.kind == "provider":
        assert outcome.fields is not None
        fields = _fill(outcome.fields, values)
        kind: ProviderKind = fields["kind"]
        query = fields.get("query")
        return ProviderPart(kind, text=clause, query=None if query is None else str(query))
    if outcome.kind == "unsupported":
        return UnsupportedPart(outcome.what, text=clause)
    return NegationPart(text=clause)
