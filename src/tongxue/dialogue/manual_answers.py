"""Questions about the car answered from its owner's manual, with the sections cited.

A question goes to the manual when the search finds a section that covers it. The model
writes a short spoken answer from the top passages only; a sentence of it that states a
number the passages do not hold is dropped, and when nothing of it survives (or there is
no model) the answer is the passage's own sentences that match the question best. When no
section covers a question about the car, the answer says the manual has nothing on it:
a procedure is never made up.
"""

from __future__ import annotations

import logging
import re
from collections.abc import AsyncGenerator
from contextlib import aclosing
from dataclasses import dataclass

from tongxue.dialogue.language import Language
from tongxue.dialogue.replies import manual_not_found_reply, manual_source
from tongxue.dialogue.sentences import sentences, speakable, split_sentence
from tongxue.dialogue.sessions import Citation
from tongxue.engine.base import ChatEngine
from tongxue.engine.errors import EngineError
from tongxue.engine.protocol import ChatMessage, ChatRequest, ChatResult, TextDelta
from tongxue.manual.search import ManualSearch, SearchResult
from tongxue.manual.source import ManualSection

logger = logging.getLogger(__name__)

# A question, in either language: how/what/why/where, a yes-no ending, a question mark.
_QUESTION_ZH = re.compile(
    r"怎么|怎样|如何|什么|啥|为什么|为啥|哪|吗|呢|多少|多久|多长|多大|多重|多深|多高|多远|多快|几|"
    r"是否|能否|能不能|可不可以|要不要|有没有|会不会|行不行|还是|干嘛|干啥|意思|咋|办法|[?？]"
)
_QUESTION_EN = re.compile(
    r"^\s*(can|could|should|is|are|do|does|did|will|may|must|am)\b|"
    r"\b(how|what|what's|whats|why|where|when|which|who)\b|\?|\bmeans?\b",
    re.IGNORECASE,
)
# Words that put a question about the car itself, not the world: what the manual would
# have to answer, so its silence is a "not in the manual", not a chat.
_CAR_WORDS = re.compile(
    r"车|仪表|警告灯|指示灯|故障灯|报警|保养|轮|胎|充电|续航|油|电池|座椅|空调|方向盘|刹车|"
    r"发动机|增程器|雷达|摄像头|后视镜|雨刮|雨刷|天窗|车窗|车门|后备箱|尾门|前舱|引擎盖|"
    r"安全带|气囊|钥匙|大灯|灯光|挡位|档位|HUD|抬头显示|拖车|拖挂|底盘|悬架|悬挂|冰箱|"
    r"\b(cars?|vehicle|dashboard|warning|tyres?|tires?|wheels?|charg\w*|range|fuel|petrol|"
    r"gas|oil|battery|seats?|brakes?|engine|steering|mirrors?|wipers?|sunroof|windows?|"
    r"doors?|trunk|boot|bonnet|hood|airbags?|seatbelts?|keys?|headlights?|lights?|gears?|"
    r"hud|head-up|trailer|tow\w*|suspension|fridge|radar|camera|cruise|parking)\b",
    re.IGNORECASE,
)
# Something wrong with the car, said as a statement ("仪表盘上亮了个黄灯", "my tyre is flat"):
# the manual's what-to-do sections answer it as if it were asked.
_SYMPTOM = re.compile(
    r"亮了|亮起|在闪|闪烁|报警|警告|故障|坏了|漏气|爆胎|没气|没电|亏电|打不着|启动不了|异响|"
    r"冒烟|进水|撞了|追尾|抛锚|趴窝|图标|仪表上|仪表盘上|出来一个|出现|滴滴|响个不停|一直闪|一直响|亮着|"
    r"\b(came on|come on|is on|lit up|flashing|blinking|warning|broke|broken|flat|puncture|"
    r"on the (display|dashboard|dash|cluster|screen)|"
    r"won't start|dead|smoke|smoking|crash|crashed|accident|flooded|stuck|noise)\b",
    re.IGNORECASE,
)
# A request to do something now ("帮我把座椅热一下", "could you turn on the fog lights"),
# which is the car's or the model's to act on, unless it asks how or what. "能不能…" that
# the rules did not understand is a question about what the car can do.
_REQUEST_ZH = re.compile(r"^(帮我|给我|请你?|麻烦你?|帮忙)|^(把|将).{1,12}(调|开|关|设|换|切)")
_REQUEST_EN = re.compile(
    r"^\s*(please|can you|could you|would you|will you|turn|switch|set|open|close|play|"
    r"navigate|call|make|put|start|stop)\b",
    re.IGNORECASE,
)
_ASKS_HOW_ZH = re.compile(r"怎么|如何|怎样|什么|为什么|为啥|哪|多少|多久|几|是不是|会不会|意思|咋")
_ASKS_HOW_EN = re.compile(
    r"\b(how|what|why|where|when|which|mean|means)\b|\bcan i\b|\bshould i\b|\bdo i\b",
    re.IGNORECASE,
)
_NUMBER = re.compile(r"\d+(?:\.\d+)?")
# A status question that asks for a judgement, which the manual's norms answer.
_NORM = re.compile(
    r"正常|标准|合适|够不够|够吗|建议|应该|多少合适|\b(normal|ok|okay|fine|enough|recommended|"
    r"should|right)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Thresholds:
    """When a section covers a question: its cosine similarity to the question and the
    share of the question's terms it holds (calibrated on evals/manual.jsonl)."""

    similarity: float = 0.86
    coverage: float = 0.5
    # Alone, either side is enough when it is this strong.
    strong_similarity: float = 0.9
    strong_coverage: float = 0.8
    # Below this, a question with no car word is not about the car at all.
    car_similarity: float = 0.9


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
    by_model: bool = False


def citation(section: ManualSection) -> Citation:
    return Citation(
        section_id=section.id,
        title=section.title,
        passage=section.text,
        language=section.language,
    )


def asks_for_norm(text: str) -> bool:
    return bool(_NORM.search(text))


def is_request(text: str, language: Language) -> bool:
    """A request to act now, not a question about how things work."""
    if language == "zh":
        return bool(_REQUEST_ZH.search(text)) and not _ASKS_HOW_ZH.search(text)
    return bool(_REQUEST_EN.search(text)) and not _ASKS_HOW_EN.search(text)


def is_question(text: str, language: Language) -> bool:
    pattern = _QUESTION_ZH if language == "zh" else _QUESTION_EN
    return bool(pattern.search(text))


class ManualDesk:
    """Finds the sections that answer a question and words the answer."""

    def __init__(
        self,
        search: ManualSearch,
        engine: ChatEngine | None = None,
        *,
        thresholds: Thresholds | None = None,
        max_tokens: int = 96,
        time_limit_s: float = 60.0,
        passages: int = 2,
    ) -> None:
        self.search = search
        self.engine = engine
        self.thresholds = thresholds or Thresholds()
        self.max_tokens = max_tokens
        self.time_limit_s = time_limit_s
        self.passages = passages

    # --- finding ----------------------------------------------------------------------------

    def covers(self, result: SearchResult, section: ManualSection) -> bool:
        t = self.thresholds
        similarity = result.similarity.get(section.id, 0.0)
        coverage = self.search.coverage(result, section)
        return (
            (similarity >= t.similarity and coverage >= t.coverage)
            or similarity >= t.strong_similarity
            or (coverage >= t.strong_coverage and similarity >= t.car_similarity)
        )

    def consult(self, text: str, language: Language) -> Consultation | None:
        """The manual's sections for `text`, or None when it is not a question about the car
        (small talk, a question about the world) or a request to act: those are not the
        manual's to answer or refuse."""
        if is_request(text, language) or not (is_question(text, language) or _SYMPTOM.search(text)):
            return None
        result = self.search.search(text, language, k=3)
        top = result.top
        if top is None:
            return None
        covered = self.covers(result, top.section)
        if not covered:
            about_car = bool(_CAR_WORDS.search(text)) or (
                result.similarity.get(top.section.id, 0.0) >= self.thresholds.car_similarity
            )
            if not about_car:
                return None
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
        by_model = bool(spoken)
        if not spoken:
            spoken = extract(consultation.passages[0], consultation.result.terms, language)
            for index, sentence in enumerate(spoken):
                yield f"{joiner if index else ''}{sentence}"
        cited = self._cited(consultation, " ".join(spoken))
        source = manual_source([s.title for s in cited], language)
        yield f"{joiner}{source}"
        text = joiner.join([*spoken, source])
        yield ManualAnswer(text, tuple(citation(s) for s in cited), found=True, by_model=by_model)

    def note(self, consultation: Consultation) -> ManualAnswer:
        """The manual's own words on a question the car's state also answers, cited."""
        language = consultation.language
        top = consultation.passages[0]
        spoken = extract(top, consultation.result.terms, language)
        joiner = "" if language == "zh" else " "
        text = joiner.join([*spoken, manual_source([top.title], language)])
        return ManualAnswer(text, (citation(top),), found=True)

    def _cited(self, consultation: Consultation, answer: str) -> list[ManualSection]:
        """The passage the answer draws on most (the top one on a tie)."""
        words = set(self.search.splitter.terms(answer, consultation.language))
        best = max(
            consultation.passages,
            key=lambda s: len(
                words & self.search.section_terms.get((s.id, s.language), frozenset())
            ),
        )
        return [best]

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


def extract(section: ManualSection, terms: tuple[str, ...], language: Language) -> list[str]:
    """The passage's opening (one sentence, two when the first is short) and the sentence
    that matches the question best when that is another one: the manual's own words, so
    nothing is made up."""
    body = [s.lstrip("-· ").strip() for s in sentences(section.text.replace("\n- ", "\n"))]
    body = [s for s in body if s]
    if not body:
        return [speakable(section.text)]
    wanted = set(terms)

    def overlap(sentence: str) -> int:
        lowered = sentence.lower()
        return sum(1 for term in wanted if term in lowered)

    opening = 2 if len(body) > 1 and len(body[0]) < _SHORT_LEAD[language] else 1
    chosen = list(range(opening))
    best = max(range(len(body)), key=lambda i: (overlap(body[i]), -i))
    if best not in chosen and overlap(body[best]) > max(overlap(body[i]) for i in chosen):
        chosen.append(best)
    return [speakable(body[i]) for i in chosen]
