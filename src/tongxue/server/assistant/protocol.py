"""Request and response models of `/v1/assistant/...`."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from tongxue.cabin.seats import Seat
from tongxue.dialogue.sessions import ReplyLength, Session, TurnResult

SESSION_ID_PATTERN = r"^[A-Za-z0-9_-]{1,64}$"


class TurnRequest(BaseModel):
    """One thing said to the assistant, from a seat, in a session (new when left out)."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    text: str = Field(min_length=1, max_length=2000, description="What the person said.")
    seat: Seat = Field("driver", description="The seat it was said from (microphone zone).")
    session_id: str | None = Field(
        None, pattern=SESSION_ID_PATTERN, description="Continue this session."
    )
    stream: bool = Field(False, description="Answer as server-sent events.")
    reply_length: ReplyLength = Field(
        "short",
        description="'short' (one or two sentences, for speech) or 'long' (a paragraph, for a "
        "screen), for answers the model writes.",
    )


class AssistantTurn(TurnResult):
    """The reply, each action with its status, and every state change of the turn."""

    object: Literal["assistant.turn"] = "assistant.turn"


class SessionInfo(BaseModel):
    id: str
    object: Literal["assistant.session"] = "assistant.session"
    created_at: float
    turn_count: int

    @classmethod
    def of(cls, session: Session) -> SessionInfo:
        return cls(id=session.id, created_at=session.created_at, turn_count=len(session.turns))


class SessionDetail(SessionInfo):
    turns: list[AssistantTurn]

    @classmethod
    def of(cls, session: Session) -> SessionDetail:
        return cls(
            id=session.id,
            created_at=session.created_at,
            turn_count=len(session.turns),
            turns=[AssistantTurn.model_validate(t.model_dump()) for t in session.turns],
        )


class SessionList(BaseModel):
    object: Literal["list"] = "list"
    data: list[SessionInfo]


class SessionDeleted(BaseModel):
    id: str
    object: Literal["assistant.session.deleted"] = "assistant.session.deleted"
    deleted: bool = True
