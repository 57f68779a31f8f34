"""`/v1/assistant/turns` and `/v1/assistant/sessions`: thin, the service does the work."""

from __future__ import annotations

import logging

from fastapi import APIRouter, Request, Response, status

from tongxue.server.assistant.protocol import (
    AssistantTurn,
    SessionDeleted,
    SessionDetail,
    SessionInfo,
    SessionList,
    TurnRequest,
)
from tongxue.server.deps import Assistant, CurrentCaller, ModelShare
from tongxue.server.errors import ErrorResponse, not_found
from tongxue.server.sse import (
    STREAMED_200,
    ClientDisconnectedError,
    EventStreamResponse,
    unless_disconnected,
)

logger = logging.getLogger(__name__)

router = APIRouter(
    prefix="/v1/assistant",
    tags=["assistant"],
    responses={code: {"model": ErrorResponse} for code in (400, 401, 404, 413, 429, 500)},
)


@router.post("/turns", response_model=AssistantTurn, responses=STREAMED_200)
async def create_turn(
    body: TurnRequest,
    request: Request,
    caller: CurrentCaller,
    assistant: Assistant,
    share: ModelShare,
) -> AssistantTurn | Response:
    # Whether a turn needs the model is only known inside the agent, so every turn counts
    # as a model request of its key while it runs (a rules turn is over in milliseconds).
    with share.acquire(caller) as lease:
        turn = assistant.turn_input(caller, body)
        if body.stream:
            return lease.until_sent(EventStreamResponse(assistant.stream(caller, turn)))
        try:
            return await unless_disconnected(request, assistant.handle(caller, turn))
        except ClientDisconnectedError:
            logger.info("client left before its turn was answered")
            return Response(status_code=499)


@router.post("/sessions", status_code=status.HTTP_201_CREATED)
async def create_session(caller: CurrentCaller, assistant: Assistant) -> SessionInfo:
    return SessionInfo.of(assistant.owners.create(caller))


@router.get("/sessions")
async def list_sessions(caller: CurrentCaller, assistant: Assistant) -> SessionList:
    sessions = sorted(assistant.owners.visible(caller), key=lambda s: s.created_at)
    return SessionList(data=[SessionInfo.of(s) for s in sessions])


@router.get("/sessions/{session_id}")
async def get_session(
    session_id: str, caller: CurrentCaller, assistant: Assistant
) -> SessionDetail:
    session = assistant.owners.get(caller, session_id)
    if session is None:
        raise not_found(f"session '{session_id}'")
    return SessionDetail.of(session)


@router.delete("/sessions/{session_id}")
async def delete_session(
    session_id: str, caller: CurrentCaller, assistant: Assistant
) -> SessionDeleted:
    if not assistant.owners.delete(caller, session_id):
        raise not_found(f"session '{session_id}'")
    return SessionDeleted(id=session_id)
