"""Questions about the car answered from its owner's manual, with the sections cited.

A question goes to the manual when the search finds a section that covers it (`Gate`).
The answer is the top passage's own sentences: its opening and the sentence that matches
the question best. With a writer model (`manual_answers = "model"`), the model writes one
or two spoken sentences from the top passages only; a sentence that states a number the
passages do not hold ends its answer there, and when nothing of it survives the passage's
own sentences are spoken. When no section covers a question about the car, the answer says
the manual has nothing on it: a procedure is never made up.
"""

from __future__ import annotations

import logging
import re
from collections.abc import AsyncGenerator
from contextlib import aclosing
from dataclasses import dataclass

from tongxue.dialogue.language import Language
from tongxue.dialogue.manual_questions import (
    about_the_car,
    is_question,
    is_request,
    is_small_talk,
    is_symptom,
)
from tongxue.dialogue.replies import manual_not_found_reply, manual_source
from tongxue.dialogue.sentences import join_sentences, sentences, speakable, split_sentence
from tongxue.dialogue.sessions import Citation
from tongxue.engine.base import ChatEngine
from tongxue.engine.errors import EngineError
from tongxue.engine.protocol import ChatMessage, ChatRequest, ChatResult, TextDelta
from tongxue.manual.search import ManualSearch, SearchResult
from tongxue.manual.source import ManualSection

logger = logging.getLogger(__name__)

_NUMBER = re.compile(r"\d+(?:\.\d+)?")


# The manual section that holds the norm for a live reading (status topic -> section id).
_NORM_SECTIONS = {"tyres": "tyre-pressure"}


@dataclass(frozen=True)
class Gate:
    """Whether the top section covers a question: a linear score of four signals, >= 0 when
    it does. Fitted by logistic regression on evals/manual.jsonl, both languages together
    (answerable against unanswerable questions, a wrong answer weighted four times a
    refusal; see docs/manual.md). A gate per language fitted the development set better
    and the blind holdout worse, so there is one.

    - similarity: the question's cosine similarity to the section (E5);
    - coverage: the IDF-weighted share of the question's words the section holds;
    - bm25: the section's BM25 score;
    - lead: how far the nearest section stands out (similarity of the 1st minus the 5th).
    """

    similarity: float
    coverage: float
    bm25: float
    lead: float
    bias: float

    def score(self, similarity: float, coverage: float, bm25: float, lead: float) -> float:
        return (
            self.similarity * similarity
            + self.coverage * coverage
            + self.bm25 * bm25
            + self.lead * lead
            + self.bias
        )


GATE = Gate(similarity=38.522, coverage=8.915, bm25=0.134, lead=70.594, bias=-38.029)


@dataclass(frozen=True)
class Consultation:
    """What the manual has for one question; `covered` False means it has nothing."""

    question: str
    language: Language
    result: SearchResult
    covered: bool
    passages: tuple[ManualSection, ...]


@dataclass(frozen=True)
class ManualAnswer:
    text: str
    citations: tuple[Citation, ...]
    found: bool


def citation(section: ManualSection) -> Citation:
    return Citation(
        section_id=section.id,
        title=section.title,
        passage=section.text,
        language=section.language,
    )


def _sourced(spoken: list[str], section: ManualSection, language: Language) -> ManualAnswer:
    """The spoken sentences, then the source in words, cited."""
    text = join_sentences([*spoken, manual_source([section.title], language)], language)
    return ManualAnswer(text, (citation(section),), found=True)


class ManualDesk:
    """Finds the sections that answer a question and words the answer."""

    def __init__(
        self,
        search: ManualSearch,
        engine: ChatEngine | None = None,
        *,
        gate: Gate = GATE,
        max_tokens: int = 96,
        time_limit_s: float = 60.0,
        passages: int = 2,
    ) -> None:
        self.search = search
        self.engine = engine
        self.gate = gate
        self.max_tokens = max_tokens
        self.time_limit_s = time_limit_s
        self.passages = passages

    # --- finding ----------------------------------------------------------------------------

    def covers(self, result: SearchResult, section: ManualSection) -> bool:
        similarities = sorted(result.similarity.values(), reverse=True)
        lead = (
            similarities[0] - similarities[min(4, len(similarities) - 1)] if similarities else 0.0
        )
        score = self.gate.score(
            result.similarity.get(section.id, 0.0),
            self.search.coverage(result, section),
            result.bm25.get(section.id, 0.0),
            lead,
        )
        return score >= 0.0

    def consult(self, text: str, language: Language) -> Consultation | None:
        """The manual's sections for `text`, or None when it is not a question about the car
        (small talk, a question about the world) or a request to act: those are not the
        manual's to answer or refuse."""
        if is_request(text, language) or is_small_talk(text):
            return None
        if not (is_question(text, language) or is_symptom(text)):
            return None
        result = self.search.search(text, language, k=3)
        top = result.top
        about_car = about_the_car(text) or self.search.names_something(result)
        if top is None or not about_car:
            return None
        covered = self.covers(result, top.section)
        passages = tuple(h.section for h in result.fused[: self.passages]) if covered else ()
        return Consultation(text, language, result, covered, passages)

    # --- answering --------------------------------------------------------------------------

    async def answer(self, consultation: Consultation) -> AsyncGenerator[str | ManualAnswer, None]:
        """Yield the answer's sentences as they are ready, then the whole answer."""
        language = consultation.language
        if not consultation.covered:
            text = manual_not_found_reply(language)
            yield text
            yield ManualAnswer(text, (), found=False)
            return
        # English sentences streamed one by one need the space that joined them.
        joiner = "" if language == "zh" else " "
        spoken: list[str] = []
        if self.engine is not None:
            async for sentence in self._model_sentences(consultation):
                yield f"{joiner if spoken else ''}{sentence}"
                spoken.append(sentence)
        if not spoken:
            spoken = extract(consultation.passages[0], consultation.result.terms, language)
            for index, sentence in enumerate(spoken):
                yield f"{joiner if index else ''}{sentence}"
        section = self._drawn_on(consultation, " ".join(spoken))
        yield f"{joiner}{manual_source([section.title], language)}"
        yield _sourced(spoken, section, language)

    def norm(self, topic: str, question: str, language: Language) -> ManualAnswer | None:
        """The manual's norm for a live reading ("胎压正常吗": the normal band), cited; None
        for a reading the manual sets no norm for."""
        section_id = _NORM_SECTIONS.get(topic)
        section = self.search.manual.section(section_id, language) if section_id else None
        if section is None:
            return None
        # The norm is the section's opening: its first two sentences state it.
        return _sourced(extract(section, (), language, opening=2), section, language)

    def note(self, consultation: Consultation) -> ManualAnswer:
        """The manual's own words on a question the car's state also answers, cited."""
        language = consultation.language
        top = consultation.passages[0]
        return _sourced(extract(top, consultation.result.terms, language), top, language)

    def _drawn_on(self, consultation: Consultation, answer: str) -> ManualSection:
        """The passage the answer draws on most (the top one on a tie)."""
        words = set(self.search.splitter.terms(answer, consultation.language))
        return max(
            consultation.passages,
            key=lambda s: len(
                words & self.search.section_terms.get((s.id, s.language), frozenset())
            ),
        )

    async def _model_sentences(self, consultation: Consultation) -> AsyncGenerator[str, None]:
        """The model's answer, sentence by sentence, while each stays grounded."""
        assert self.engine is not None
        allowed = {n for s in consultation.passages for n in _NUMBER.findall(s.text)}
        request = ChatRequest(
            messages=_messages(consultation),
            max_tokens=self.max_tokens,
            temperature=0.0,
            seed=0,
            time_limit_s=self.time_limit_s,
        )
        pending = ""
        said = 0
        try:
            async with aclosing(self.engine.stream(request)) as events:
                async for event in events:
                    if isinstance(event, TextDelta):
                        pending += event.text
                        while True:
                            sentence, rest = split_sentence(pending)
                            if not sentence:
                                break
                            pending = rest
                            verdict = _grounded(sentence, allowed, consultation.language)
                            if verdict is None:
                                return
                            if verdict:
                                said += 1
                                yield verdict
                            if said >= 2:
                                return
                    elif isinstance(event, ChatResult):
                        break
        except EngineError as exc:
            logger.warning("the model failed on a manual answer: %s", exc)
            return
        if pending.strip() and said < 2:
            verdict = _grounded(pending, allowed, consultation.language)
            if verdict:
                yield verdict


def _grounded(sentence: str, allowed: set[str], language: Language) -> str | None:
    """The sentence, speakable; "" to skip it; None when the answer must stop here (the
    model said it does not know, or stated a number the passages do not hold)."""
    text = speakable(sentence).strip()
    if not text:
        return ""
    if text.strip("。.！!") in ("无", "NONE", "None", "none"):
        return None
    if any(number not in allowed for number in _NUMBER.findall(text)):
        return None
    if language == "zh" and not re.search(r"[\u4e00-\u9fff]", text):
        return None
    return text


_INSTRUCTIONS = {
    "zh": (
        "你是车载语音助手“同学”。只根据下面的手册内容回答车主的问题，用一到两句简短的口语回答，"
        "保留手册里的数字和按键名称，不要添加手册里没有的内容。如果手册内容不能回答，只回答“无”。"
    ),
    "en": (
        "You are Tongxue, the car's voice assistant. Answer the driver's question only from "
        "the manual passages below, in one or two short spoken sentences. Keep the manual's "
        "numbers and button names, and add nothing the passages do not say. If the passages "
        "do not answer it, reply only NONE."
    ),
}


def _messages(consultation: Consultation) -> list[ChatMessage]:
    zh = consultation.language == "zh"
    passages = "\n\n".join(
        (f"手册「{s.title}」：{s.text}" if zh else f"Manual, {s.title}: {s.text}")
        for s in consultation.passages
    )
    question = f"问题：{consultation.question}" if zh else f"Question: {consultation.question}"
    return [
        ChatMessage(role="system", content=_INSTRUCTIONS[consultation.language]),
        ChatMessage(role="user", content=f"{passages}\n\n{question}"),
    ]


# A lead shorter than this is followed by the next sentence: a warning light's section
# says what the symbol looks like first and what it means right after.
_SHORT_LEAD = {"zh": 40, "en": 120}


def extract(
    section: ManualSection,
    terms: tuple[str, ...],
    language: Language,
    *,
    opening: int | None = None,
) -> list[str]:
    """The passage's opening (one sentence, two when the first is short) and the sentence
    that matches the question best when that is another one: the manual's own words, so
    nothing is made up."""
    text = section.text.replace("\n- ", "\n")
    body = [s.lstrip("-· ").strip() for s in sentences(text, at_semicolons=False)]
    body = [s for s in body if s]
    if not body:
        return [speakable(section.text)]
    wanted = set(terms)

    def overlap(sentence: str) -> int:
        lowered = sentence.lower()
        return sum(1 for term in wanted if term in lowered)

    if opening is None:
        opening = 2 if len(body) > 1 and len(body[0]) < _SHORT_LEAD[language] else 1
    chosen = list(range(min(opening, len(body))))
    rest = [i for i in range(opening, len(body)) if overlap(body[i]) > 0]
    if rest:
        chosen.append(max(rest, key=lambda i: (overlap(body[i]), -i)))
    return [speakable(body[i]) for i in chosen]
