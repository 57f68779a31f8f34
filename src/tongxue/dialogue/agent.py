"""The assistant: deterministic rules first, the LLM for the rest, the car's policy always.

Like Home Assistant's conversation agents: typed input and result, rules before the model,
and a model that fails, times out or calls nonsense turns into an apology, never a crash
and never a half-done change.
"""

from __future__ import annotations

import asyncio
import logging
import time
import uuid
from abc import ABC, abstractmethod
from collections.abc import AsyncGenerator, Sequence
from contextlib import aclosing
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any, Literal

from pydantic import BaseModel

from tongxue.cabin.actions import ActionContext, CabinAction, Source
from tongxue.cabin.errors import InvalidActionError
from tongxue.cabin.results import ActionResult
from tongxue.cabin.status import answer
from tongxue.cabin.tools import parse_tool_call, tool_schemas
from tongxue.cabin.vehicle import Vehicle
from tongxue.dialogue.language import Language, detect_language
from tongxue.dialogue.manual_answers import Consultation, ManualAnswer, ManualDesk
from tongxue.dialogue.manual_questions import about_the_car, asks_for_norm
from tongxue.dialogue.memory import MemoryStore, StoredAction, user_for_seat
from tongxue.dialogue.memory_topics import forget_topics, topic_of
from tongxue.dialogue.outcome import turn_outcome
from tongxue.dialogue.priority import model_priority
from tongxue.dialogue.prompt import build_messages
from tongxue.dialogue.providers import OFFLINE, ProviderError, Providers
from tongxue.dialogue.replies import (
    Acted,
    NotUnderstood,
    ReplyPiece,
    Said,
    action_reply,
    apology,
    compose_reply,
    forecast_reply,
    negation_reply,
    not_remembered_reply,
    offline_reply,
    places_reply,
    status_reply,
    undo_reply,
    unsupported_reply,
)
from tongxue.dialogue.rules import RuleContext, RuleParse, RuleParser
from tongxue.dialogue.rules.mentions import names_a_seat
from tongxue.dialogue.rules.types import (
    ActionPart,
    NegationPart,
    ProviderPart,
    QuestionPart,
    UnsupportedPart,
)
from tongxue.dialogue.sentences import join_sentences, speakable, split_sentence
from tongxue.dialogue.sessions import (
    Citation,
    ModelUsage,
    Route,
    Session,
    SessionStore,
    TurnInput,
    TurnResult,
)
from tongxue.dialogue.tool_router import CAR_INFO, ToolRouter, warm_rank
from tongxue.dialogue.tool_router import Route as ToolRoute
from tongxue.engine.base import ChatEngine
from tongxue.engine.errors import EngineError, GenerationTimeoutError
from tongxue.engine.protocol import (
    ChatMessage,
    ChatRequest,
    ChatResult,
    TextDelta,
    ToolCall,
    ToolDefinition,
)

logger = logging.getLogger(__name__)

# Tokens a model-written answer may take when a text face asks for a long one.
LONG_REPLY_TOKENS = 512


class ReplyDelta(BaseModel):
    """A piece of the spoken reply, as soon as it is known."""

    type: Literal["text"] = "text"
    text: str


class TurnDone(BaseModel):
    type: Literal["done"] = "done"
    result: TurnResult


AgentEvent = ReplyDelta | TurnDone


class Agent(ABC):
    @abstractmethod
    def stream(self, turn: TurnInput) -> AsyncGenerator[AgentEvent, None]:
        """Understand one turn, act on the car, and answer: reply pieces, then the result."""

    async def handle(self, turn: TurnInput) -> TurnResult:
        result: TurnResult | None = None
        async with aclosing(self.stream(turn)) as events:
            async for event in events:
                if isinstance(event, TurnDone):
                    result = event.result
        assert result is not None, "an agent's stream ends with TurnDone"
        return result


def _not_done(name: str, arguments: dict[str, Any], code: str) -> ActionResult:
    """A part understood but not done (no provider, out of contract), listed with the
    turn's actions as the contract's report does."""
    given = {key: value for key, value in arguments.items() if value is not None}
    return ActionResult(name=name, arguments=given, status="unsupported", reason_code=code)


def _days_ahead(text: str) -> int:
    """明天 / tomorrow is one day on, 后天 / the day after tomorrow two; else today."""
    lowered = text.lower()
    if "后天" in text or "day after tomorrow" in lowered:
        return 2
    return 1 if "明天" in text or "tomorrow" in lowered else 0


class _Outcome:
    def __init__(
        self,
        reply: str,
        route: Route,
        results: Sequence[ActionResult] = (),
        actions: Sequence[CabinAction] = (),
        error: str | None = None,
        *,
        answered: bool = False,
        unsupported: bool = False,
        citations: Sequence[Citation] = (),
        model_usage: ModelUsage | None = None,
    ) -> None:
        self.model_usage = model_usage
        self.reply = reply
        self.route = route
        self.results = list(results)
        # A question answered or a negation acknowledged, for the turn's outcome.
        self.answered = answered
        # Understood but not doable, with no action to show it (the manual has no answer).
        self.unsupported = unsupported
        self.citations = list(citations)
        self.actions = tuple(actions)
        self.error = error


_ABSOLUTE_OF_DELTA = {
    "delta": ("value", "level", "position", "preset"),
    "brightness_delta": ("brightness",),
}
# Flags that only change how another argument is read: false is the same as not saying it.
_MODIFIER_FLAGS = frozenset({"next_scent", "toward_speaker"})


def tidy_arguments(arguments: dict[str, Any] | None) -> dict[str, Any]:
    """Drop what a small model writes for form's sake: nulls, and a delta beside a value.

    Small models fill every parameter they are shown, so `{"level": 2, "delta": 1}` comes
    for "warm my seat up". The absolute value is the explicit part of such a call; relative
    requests ("a bit warmer") are the rules parser's, which never writes both.
    """
    tidy = {
        k: v
        for k, v in (arguments or {}).items()
        if v is not None and not (k in _MODIFIER_FLAGS and v is False)
    }
    for delta_key, absolutes in _ABSOLUTE_OF_DELTA.items():
        if delta_key in tidy and any(key in tidy for key in absolutes):
            del tidy[delta_key]
    # Contract v2's pairs: `level` and `level_delta`, `backrest` and `backrest_delta`.
    for key in [k for k in tidy if k.endswith("_delta") and k.removesuffix("_delta") in tidy]:
        del tidy[key]
    return tidy


def _manual_outcome(found: ManualAnswer) -> _Outcome:
    return _Outcome(
        found.text,
        "manual",
        answered=found.found,
        unsupported=not found.found,
        citations=found.citations,
    )


@dataclass(frozen=True)
class _ModelAnswer:
    result: ChatResult
    # Words after the last whole sentence, not yet spoken.
    tail: str


def actions_of_calls(calls: Sequence[ToolCall], said: str) -> list[CabinAction]:
    """The cabin actions the model's calls ask for; `InvalidActionError` if any is not one."""
    actions: list[CabinAction] = []
    for call in calls:
        if not call.valid:
            raise InvalidActionError(f"{call.name} {call.arguments}: {call.error}")
        arguments = tidy_arguments(call.parsed_arguments)
        if not names_a_seat(said):
            # The contract: no seat word means the speaker's seat. Small models fill in
            # "driver" whoever speaks, so a target nobody said is dropped.
            arguments.pop("target", None)
        try:
            actions.append(parse_tool_call(call.name, arguments))
        except InvalidActionError as exc:
            raise InvalidActionError(f"{call.name} {call.arguments}: {exc}") from exc
    return actions


def unusable_calls(result: ChatResult, said: str) -> str | None:
    """Why a command's answer cannot be carried out (no call, an invalid one), or None."""
    if not result.message.tool_calls:
        return "no tool call"
    try:
        actions_of_calls(result.message.tool_calls, said)
    except InvalidActionError as exc:
        return f"invalid tool call: {exc}"
    return None


class CabinAgent(Agent):
    def __init__(
        self,
        vehicle: Vehicle,
        *,
        engine: ChatEngine | None = None,
        memory: MemoryStore | None = None,
        sessions: SessionStore | None = None,
        parser: RuleParser | None = None,
        router: ToolRouter | None = None,
        llm_timeout: float = 60.0,
        max_tokens: int = 160,
        providers: Providers = OFFLINE,
        manual: ManualDesk | None = None,
        escalation: ChatEngine | None = None,
        escalation_gap: float = 0.0,
    ) -> None:
        # A larger model for the commands the default one gets wrong, or that the router is
        # unsure about (its best tool less than `escalation_gap` ahead of the next label).
        self.escalation = escalation
        self.escalation_gap = escalation_gap
        self.vehicle = vehicle
        self.manual = manual
        self.engine = engine
        self.memory = memory or MemoryStore()
        self.sessions = sessions or SessionStore()
        self.parser = parser or RuleParser()
        self.router = router
        self.llm_timeout = llm_timeout
        self.max_tokens = max_tokens
        self.providers = providers
        self.tools = [ToolDefinition.model_validate(t) for t in tool_schemas(vehicle.profile)]

    async def stream(self, turn: TurnInput) -> AsyncGenerator[AgentEvent, None]:
        started = time.perf_counter()
        session = self.sessions.get_or_create(turn.session_id)
        language = detect_language(turn.text)
        turn_id = uuid.uuid4().hex
        parse = self.parser.parse(
            turn.text,
            RuleContext(previous_actions=session.previous_actions(), speaker=turn.seat),
        )
        streamed = False
        if parse is not None and parse.kind == "actions":
            outcome = await self._apply_parts(parse, session, turn, turn_id)
        elif parse is not None:
            outcome = await self._apply_rules(parse, turn, turn_id, session)
        elif (consultation := await self._consult_manual(turn.text, language)) is not None:
            outcome = _Outcome(apology(language), "manual", error="no answer")
            assert self.manual is not None
            async for piece in self.manual.answer(consultation):
                if isinstance(piece, ManualAnswer):
                    outcome = _manual_outcome(piece)
                else:
                    streamed = True
                    yield ReplyDelta(text=piece)
        elif self.engine is not None:
            outcome = _Outcome(apology(language), "llm", error="no answer")
            async for item in self._ask_llm(session, turn, language, turn_id):
                if isinstance(item, _Outcome):
                    outcome = item
                elif item:
                    streamed = True
                    yield ReplyDelta(text=item)
        else:
            outcome = _Outcome(apology(language), "fallback")
        answered_by_stream = streamed and not outcome.results and outcome.error is None
        if not answered_by_stream:
            yield ReplyDelta(text=outcome.reply)
        result = TurnResult(
            session_id=session.id,
            turn_id=turn_id,
            text=turn.text,
            seat=turn.seat,
            language=language,
            reply=outcome.reply,
            route=outcome.route,
            actions=outcome.results,
            changes=[c for r in outcome.results for c in r.changes],
            refused=any(r.refused for r in outcome.results),
            outcome=turn_outcome(
                outcome.results,
                answered=outcome.answered,
                unsupported=outcome.unsupported,
                nothing_to_undo=outcome.route == "undo" and not outcome.results,
            ),
            citations=outcome.citations,
            error=outcome.error,
            latency_ms=(time.perf_counter() - started) * 1000,
            model_usage=outcome.model_usage,
        )
        self.sessions.record(session, result, outcome.actions)
        yield TurnDone(result=result)

    # --- the deterministic path ---------------------------------------------------------

    async def _apply_rules(
        self, parse: RuleParse, turn: TurnInput, turn_id: str, session: Session
    ) -> _Outcome:
        language = parse.language
        user = turn.user or user_for_seat(turn.seat)
        if parse.kind == "undo":
            # Undo acts only on the turn just before it (contract v2, k): when that turn
            # changed nothing, there is nothing to undo, whatever came before it.
            previous = session.turns[-1] if session.turns else None
            if previous is not None and not previous.changes:
                return _Outcome(undo_reply([], language), "undo")
            results = self.vehicle.undo(self._context(turn, "undo"))
            return _Outcome(undo_reply(results, language), "undo", results)
        if parse.kind == "memory_save":
            return await self._remember(user, parse, turn, language)
        if parse.kind == "memory_list":
            return await self._list_memories(user, language)
        if parse.kind == "memory_forget":
            return await self._forget(user, parse, language)
        if parse.kind == "memory_apply":
            return await self._apply_memories(user, turn, turn_id, language)
        results = self._execute(parse.actions, turn, turn_id, "rules")
        return _Outcome(action_reply(results, language), "rules", results, parse.actions)

    async def _apply_parts(
        self, parse: RuleParse, session: Session, turn: TurnInput, turn_id: str
    ) -> _Outcome:
        """Each part in spoken order: the rules' parts as understood, the rest to the model
        one at a time. Only what was understood acts; the reply says what happened to each."""
        language = parse.language
        replies: list[ReplyPiece] = []
        results: list[ActionResult] = []
        actions: list[CabinAction] = []
        answered = False
        errors: list[str] = []
        citations: list[Citation] = []
        used_model = False
        for part in parse.parts:
            if isinstance(part, ActionPart):
                done = self._execute(part.actions, turn, turn_id, "rules")
                results += done
                actions += part.actions
                replies.append(Acted(tuple(done)))
            elif isinstance(part, QuestionPart):
                found = answer(part.question, self.vehicle.state, self.vehicle.profile, turn.seat)
                reading = status_reply(found, language)
                note = self._manual_note(part, language)
                if note is not None:
                    reading = join_sentences([reading, note.text], language)
                    citations += note.citations
                replies.append(Said(reading))
                answered = True
            elif isinstance(part, ProviderPart) and (
                manual_answer := await self._manual_knowledge(part, language)
            ):
                # "what does the red oil can symbol mean": the car's own manual knows.
                replies.append(Said(manual_answer.text))
                citations += manual_answer.citations
                answered = True
            elif isinstance(part, ProviderPart):
                said = await self._provided(part, language)
                replies.append(Said(said or offline_reply(part.kind, language)))
                answered = answered or said is not None
                if said is None:
                    results.append(_not_done(part.kind, {"query": part.query}, "offline"))
            elif isinstance(part, UnsupportedPart):
                replies.append(Said(unsupported_reply(language)))
                results.append(_not_done("unsupported", {"what": part.what}, "out_of_contract"))
            elif isinstance(part, NegationPart):
                replies.append(Said(negation_reply(language, part.text)))
                answered = True
            elif manual_answer := await self._manual_part(part.text, language):
                # "去服务区快充，充到80%要多久": the question is the manual's, not the model's.
                replies.append(Said(manual_answer.text))
                citations += manual_answer.citations
                answered = True
            else:
                used_model = True
                asked = await self._ask_model_for_part(session, turn, part.text, language, turn_id)
                results += asked.results
                actions += asked.actions
                if asked.results:
                    replies.append(Acted(tuple(asked.results)))
                elif asked.error is None and asked.reply:
                    # Small talk beside a command ("打开车窗然后讲个笑话"): the model's words.
                    replies.append(Said(asked.reply))
                    answered = True
                else:
                    errors.append(asked.error or "no action")
                    replies.append(NotUnderstood(part.text))
        route: Route = "llm" if used_model and not (answered or results) else "rules"
        if all(isinstance(part, QuestionPart) for part in parse.parts):
            route = "status"
        elif citations and len(parse.parts) == 1:
            route = "manual"
        return _Outcome(
            compose_reply(replies, language),
            route,
            results,
            actions,
            error="; ".join(errors) or None,
            answered=answered,
            citations=citations,
        )

    # --- the owner's manual ---------------------------------------------------------------

    async def _consult_manual(self, text: str, language: Language) -> Consultation | None:
        if self.manual is None:
            return None
        return await asyncio.to_thread(self.manual.consult, text, language)

    async def _manual_knowledge(
        self, part: ProviderPart, language: Language
    ) -> ManualAnswer | None:
        """A knowledge question about the car that the owner's manual covers ("what does
        the red oil can symbol mean"), answered from it rather than said to need a
        provider; a question about the world (周杰伦是哪一年出道的) stays the provider's."""
        if part.kind != "knowledge" or not about_the_car(part.text):
            return None
        return await self._manual_part(part.text, language)

    async def _manual_part(self, text: str, language: Language) -> ManualAnswer | None:
        """The manual's own words on one part of a turn that it covers; None otherwise. No
        model: the answer sits among the other parts' replies."""
        consultation = await self._consult_manual(text, language)
        if self.manual is None or consultation is None or not consultation.covered:
            return None
        return self.manual.note(consultation)

    def _manual_note(self, part: QuestionPart, language: Language) -> ManualAnswer | None:
        """What the manual adds to a live reading when the question asks for a judgement
        ("胎压正常吗": the normal band), with its source; None otherwise."""
        if self.manual is None or not asks_for_norm(part.text):
            return None
        return self.manual.norm(part.question.topic, part.text, language)

    async def _provided(self, part: ProviderPart, language: Language) -> str | None:
        """A configured provider's answer; None when there is none or it failed (offline)."""
        near = str(self.vehicle.get("navigation.location"))
        try:
            if part.kind == "weather" and self.providers.weather is not None:
                day = date.today() + timedelta(days=_days_ahead(part.text))
                found = await self.providers.weather.forecast(part.query or near, day)
                return forecast_reply(found, language)
            if part.kind == "places" and self.providers.places is not None:
                query = part.query or part.text
                return places_reply(await self.providers.places.search(query, near), language)
        except ProviderError as exc:
            logger.warning("the %s provider failed: %s", part.kind, exc)
        return None

    async def _ask_model_for_part(
        self, session: Session, turn: TurnInput, text: str, language: Language, turn_id: str
    ) -> _Outcome:
        """The model on one part of a compound: its call, or why there is none."""
        if self.engine is None:
            return _Outcome(apology(language), "fallback", error="no model")
        outcome = _Outcome(apology(language), "llm", error="no answer")
        part_turn = turn.model_copy(update={"text": text})
        async for item in self._ask_llm(session, part_turn, language, turn_id):
            if isinstance(item, _Outcome):
                outcome = item
        return outcome

    def _execute(
        self, actions: Sequence[CabinAction], turn: TurnInput, turn_id: str, source: Source
    ) -> list[ActionResult]:
        return self.vehicle.execute(list(actions), self._context(turn, source), turn_id)

    @staticmethod
    def _context(turn: TurnInput, source: Source) -> ActionContext:
        """Who asks, for the policy: the turn's seat, role and client, and the path."""
        return ActionContext(speaker=turn.seat, source=source, role=turn.role, actor=turn.actor)

    # --- memory ---------------------------------------------------------------------------

    async def _remember(
        self, user: str, parse: RuleParse, turn: TurnInput, language: Language
    ) -> _Outcome:
        if not parse.actions:
            return _Outcome(apology(language), "memory")
        # A preference is a request kept for later: what the policy refuses the person saving
        # it now is never stored, so "the usual" cannot smuggle it in with another's rights.
        verdicts = self.vehicle.check(parse.actions, self._context(turn, "memory"))
        refusals = [verdict for verdict in verdicts if verdict is not None]
        if refusals:
            return _Outcome(not_remembered_reply(refusals, language), "memory")
        stored = [StoredAction.of(action) for action in parse.actions]
        text = parse.memory_text or ""
        await asyncio.to_thread(self.memory.remember, user, topic_of(parse.actions), text, stored)
        reply = (
            f"好的，我记住了：{text}。" if language == "zh" else f"Got it, I'll remember: {text}."
        )
        return _Outcome(reply, "memory")

    async def _list_memories(self, user: str, language: Language) -> _Outcome:
        memories = await asyncio.to_thread(self.memory.recall, user)
        if not memories:
            reply = (
                "我还没有记住你的偏好。"
                if language == "zh"
                else "I don't remember anything about you yet."
            )
        elif language == "zh":
            reply = "我记得：" + "；".join(m.text for m in memories) + "。"
        else:
            reply = "I remember: " + "; ".join(m.text for m in memories) + "."
        return _Outcome(reply, "memory")

    async def _forget(self, user: str, parse: RuleParse, language: Language) -> _Outcome:
        topics = forget_topics(parse.memory_text or "", parse.actions)
        count = await asyncio.to_thread(self.memory.forget, user, topics)
        if language == "zh":
            reply = "好的，已经忘掉了。" if count else "我没有记住这方面的偏好。"
        else:
            reply = "OK, forgotten." if count else "I had nothing like that remembered."
        return _Outcome(reply, "memory")

    async def _apply_memories(
        self, user: str, turn: TurnInput, turn_id: str, language: Language
    ) -> _Outcome:
        memories = await asyncio.to_thread(self.memory.recall, user)
        actions: list[CabinAction] = []
        for memory in memories:
            for stored in memory.actions:
                try:
                    actions.append(stored.parse())
                except InvalidActionError:
                    logger.warning("skipping a stored preference that no longer parses: %s", stored)
        if not actions:
            reply = (
                "我还不知道你的习惯，可以对我说“记住我喜欢22度”。"
                if language == "zh"
                else 'I don\'t know your usual settings yet. Say "remember I like 22 degrees".'
            )
            return _Outcome(reply, "memory")
        results = self._execute(actions, turn, turn_id, "memory")
        return _Outcome(action_reply(results, language), "memory", results, actions)

    # --- the model ------------------------------------------------------------------------

    def warm_prefixes(self) -> list[tuple[str, ChatRequest]]:
        """One request per distinct stable prompt prefix the model sees, the most asked first:
        small talk (no tools), then one per tool the router may offer."""
        system = build_messages(
            Session(id="warm", created_at=0), "", "driver", None, history_turns=0
        )[:1]
        messages = [*system, ChatMessage(role="user", content="")]
        prefixes = [("chat", ChatRequest(messages=messages))]
        if self.router is None:
            if self.tools:
                prefixes.append(("all tools", ChatRequest(messages=messages, tools=self.tools)))
            return prefixes
        offered = set(self.router.names)
        for tool in sorted(
            (t for t in self.tools if t.function.name in offered),
            key=lambda t: warm_rank(t.function.name),
        ):
            request = ChatRequest(messages=messages, tools=[tool], tool_choice="required")
            prefixes.append((tool.function.name, request))
        return prefixes

    async def warm(self) -> None:
        """Prefill the model's common prompt prefixes now, in the background of a face."""
        for engine in (self.engine, self.escalation):
            if engine is not None:
                await engine.warm(self.warm_prefixes())

    async def _route(self, text: str) -> ToolRoute | None:
        if self.router is None:
            return None
        route = await asyncio.to_thread(self.router.route, text)
        logger.debug("routed %r to %s %s", text, route.tools or route.chat_topic, route.scores)
        return route

    def _tools_named(self, names: Sequence[str]) -> list[ToolDefinition]:
        return [tool for tool in self.tools if tool.function.name in names]

    def _choose_model(
        self, route: ToolRoute | None
    ) -> tuple[ChatEngine, list[ToolDefinition], bool, bool]:
        """(the model to ask, the tools to offer, whether it must call one, whether the car's
        state is relevant). Without a router the model chooses between chat and tools; with
        one, offered tools mean "this turn is a command"."""
        assert self.engine is not None
        if route is None:
            return self.engine, self.tools, False, True
        tools = self._tools_named(route.tools)
        # The car's state is for questions about it; a command's tool takes the change
        # itself (deltas for "a bit"), and the state would add 50-odd tokens to prefill.
        with_car = not tools and route.chat_topic == CAR_INFO
        if tools and self.escalation is not None and route.gap < self.escalation_gap:
            # The router is unsure which tool: the larger model chooses among the closest.
            return self.escalation, self._tools_named(route.alternatives), True, with_car
        return self.engine, tools, bool(tools), with_car

    async def _ask_llm(
        self,
        session: Session,
        turn: TurnInput,
        language: Language,
        turn_id: str,
    ) -> AsyncGenerator[str | _Outcome, None]:
        """Yield the model's answer text as it comes, then the outcome of the turn.

        Only small talk (no tools offered) is streamed as it is written. When a tool was
        offered and the model answered in words instead, those words would claim a change
        that never happened ("好的，车窗已关上"), so the turn becomes an apology. With an
        escalation model, a call the default model got wrong is asked of it again.
        """
        engine, tools, must_act, with_car = self._choose_model(await self._route(turn.text))
        state = self.vehicle.snapshot() if with_car else None
        long_reply = turn.reply_length == "long" and not tools
        request = ChatRequest(
            messages=build_messages(session, turn.text, turn.seat, state, long_reply=long_reply),
            tools=tools or None,
            # A command must call a tool; the engine then constrains the call to the offered
            # tools' schemas, so an invalid call cannot be written.
            tool_choice="required" if must_act else "auto",
            max_tokens=LONG_REPLY_TOKENS if long_reply else self.max_tokens,
            temperature=0.0,
            seed=0,
            # Someone in the car waits on this turn: it goes before phone and API work, and
            # its time limit counts only its own generation, never the wait for the model.
            priority=model_priority(turn.role),
            time_limit_s=self.llm_timeout,
        )
        answer: _ModelAnswer | None = None
        async for item in self._model_answer(engine, request, turn, language, not must_act):
            if isinstance(item, _ModelAnswer):
                answer = item
            else:
                yield item
        if answer is None:
            return  # the model failed; its apology was yielded
        escalation = self.escalation
        if must_act and escalation is not None and engine is not escalation:
            problem = unusable_calls(answer.result, turn.text)
            if problem is not None:
                logger.info("asking %s again: %s", escalation.model_name, problem)
                answer = None
                async for item in self._model_answer(escalation, request, turn, language, False):
                    if isinstance(item, _ModelAnswer):
                        answer = item
                    else:
                        yield item
                if answer is None:
                    return
        result = answer.result
        async for item in self._answer_from(result, turn, language, turn_id, must_act, answer.tail):
            if isinstance(item, _Outcome):
                item.model_usage = ModelUsage(
                    model=result.model,
                    prompt_tokens=result.usage.prompt_tokens,
                    cached_prompt_tokens=result.usage.cached_prompt_tokens,
                    completion_tokens=result.usage.completion_tokens,
                    time_to_first_token_ms=result.timings.time_to_first_token_ms,
                )
            yield item

    async def _model_answer(
        self,
        engine: ChatEngine,
        request: ChatRequest,
        turn: TurnInput,
        language: Language,
        stream_text: bool,
    ) -> AsyncGenerator[str | _Outcome | _ModelAnswer, None]:
        """The model's words as they come (with `stream_text`), then its whole answer; or an
        apology when it fails."""
        result: ChatResult | None = None
        pending = ""
        spoken = False
        try:
            async with asyncio.timeout(None if turn.role == "car" else self.llm_timeout):
                async with aclosing(engine.stream(request)) as events:
                    async for event in events:
                        if isinstance(event, TextDelta) and stream_text:
                            pending += event.text
                            # Speak whole sentences only, but the first clause as soon as it
                            # is written, so the speaker starts early; markdown is dropped.
                            piece, pending = split_sentence(pending, first=not spoken)
                            if piece:
                                spoken = True
                                yield speakable(piece)
                        elif isinstance(event, ChatResult):
                            result = event
        except (EngineError, TimeoutError) as exc:
            logger.warning("the model failed on %r: %s", turn.text, exc)
            timed_out = isinstance(exc, TimeoutError | GenerationTimeoutError)
            yield _Outcome(
                apology(language),
                "llm",
                error="timeout" if timed_out else str(exc) or "engine error",
            )
            return
        assert result is not None
        yield _ModelAnswer(result, pending)

    async def _answer_from(
        self,
        result: ChatResult,
        turn: TurnInput,
        language: Language,
        turn_id: str,
        must_act: bool,
        pending: str,
    ) -> AsyncGenerator[str | _Outcome, None]:
        """The model's finished answer: the rest of its words, or its calls carried out."""
        calls = result.message.tool_calls
        if not calls and must_act:
            logger.warning("the model answered %r without acting", result.message.content)
            yield _Outcome(apology(language), "llm", error="the model answered without acting")
            return
        if not calls:
            text = speakable(result.message.content or "")
            if pending.strip():
                yield speakable(pending)
            yield _Outcome(text or apology(language), "llm")
            return
        try:
            actions = actions_of_calls(calls, turn.text)
        except InvalidActionError as exc:
            # Nothing half done: one bad call and none of the turn's calls run.
            logger.warning("the model made an invalid call: %s", exc)
            yield _Outcome(apology(language), "llm", error=f"invalid tool call: {exc}")
            return
        results = self._execute(actions, turn, turn_id, "llm")
        yield _Outcome(action_reply(results, language), "llm", results, actions)
