"""Runs assistant turns for a caller: their session, their user, the phone's limits."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator

from tongxue.dialogue.agent import AgentEvent, CabinAgent, ReplyDelta, TurnDone
from tongxue.dialogue.sessions import Session, TurnInput
from tongxue.server.assistant.protocol import AssistantTurn, TurnRequest
from tongxue.server.errors import APIError, not_found
from tongxue.server.metrics import ServerMetrics
from tongxue.server.ownership import SessionOwners
from tongxue.server.security.auth import Caller
from tongxue.server.sse import closing, sse_data

logger = logging.getLogger(__name__)


class AssistantService:
    def __init__(self, agent: CabinAgent, owners: SessionOwners, metrics: ServerMetrics) -> None:
        self.agent = agent
        self.owners = owners
        self.metrics = metrics

    def session_for(self, caller: Caller, session_id: str | None) -> Session:
        """The caller's session `session_id`, or a new one when none is named."""
        if session_id is None:
            return self.owners.create(caller)
        session = self.owners.get(caller, session_id)
        if session is None:
            raise not_found(f"session '{session_id}'", param="session_id")
        return session

    def turn_input(self, caller: Caller, body: TurnRequest) -> TurnInput:
        session = self.session_for(caller, body.session_id)
        # A key speaks for its user; without keys, the seat's occupant is the user.
        return TurnInput(
            text=body.text,
            seat=body.seat,
            session_id=session.id,
            user=caller.user,
            role=caller.role,
            actor=caller.key_id,
            reply_length=body.reply_length,
        )

    async def events(self, caller: Caller, turn: TurnInput) -> AsyncIterator[AgentEvent]:
        async with closing(self.agent.stream(turn)) as events:
            async for event in events:
                if isinstance(event, TurnDone):
                    self._count(event)
                yield event

    async def handle(self, caller: Caller, turn: TurnInput) -> AssistantTurn:
        async with closing(self.events(caller, turn)) as events:
            async for event in events:
                if isinstance(event, TurnDone):
                    return AssistantTurn.model_validate(event.result.model_dump())
        raise APIError(500, "the assistant ended the turn without a result", code="no_result")

    async def stream(self, caller: Caller, turn: TurnInput) -> AsyncIterator[str]:
        """SSE: `session` first, `text` deltas, one `action` per action, then `done`."""
        yield sse_data({"type": "session", "session_id": turn.session_id}, event="session")
        try:
            async with closing(self.events(caller, turn)) as events:
                async for event in events:
                    if isinstance(event, ReplyDelta):
                        yield sse_data({"type": "text", "text": event.text}, event="text")
                    elif isinstance(event, TurnDone):
                        done = AssistantTurn.model_validate(event.result.model_dump())
                        for action in done.actions:
                            payload = {"type": "action", "action": action.model_dump(mode="json")}
                            yield sse_data(payload, event="action")
                        yield sse_data(
                            {"type": "done", "turn": done.model_dump(mode="json")}, event="done"
                        )
        except (asyncio.CancelledError, GeneratorExit):
            logger.info("client left during an assistant turn; stopped")
            raise
        except Exception:
            logger.exception("assistant turn failed")
            error = APIError(500, "the assistant failed on this turn", code="assistant_error")
            yield sse_data({"type": "error", **error.body().model_dump()}, event="error")

    def _count(self, done: TurnDone) -> None:
        result = done.result
        self.metrics.turns.labels(result.route).inc()
        for action in result.actions:
            self.metrics.actions.labels(result.route, action.status).inc()
