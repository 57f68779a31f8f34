"""`POST /v1/chat/completions` and `GET /v1/models`: a thin router over the serving class."""

from __future__ import annotations

import logging

from fastapi import APIRouter, Request, Response

from tongxue.dialogue.priority import model_priority
from tongxue.server.deps import ChatServing, Ctx, CurrentCaller, ModelShare
from tongxue.server.errors import ErrorResponse, not_found
from tongxue.server.openai_compat.protocol import (
    ChatCompletionRequest,
    ChatCompletionResponse,
    ModelCard,
    ModelList,
)
from tongxue.server.sse import (
    STREAMED_200,
    ClientDisconnectedError,
    EventStreamResponse,
    unless_disconnected,
)

logger = logging.getLogger(__name__)

router = APIRouter(
    prefix="/v1",
    tags=["openai"],
    responses={code: {"model": ErrorResponse} for code in (400, 401, 404, 413, 429, 500, 503)},
)


@router.get("/models")
async def list_models(ctx: Ctx, caller: CurrentCaller) -> ModelList:
    return ctx.chat.models() if ctx.chat is not None else ModelList(data=[])


@router.get("/models/{model_id}")
async def get_model(model_id: str, caller: CurrentCaller, chat: ChatServing) -> ModelCard:
    for card in chat.models().data:
        if card.id == model_id:
            return card
    raise not_found(f"model '{model_id}'", param="model")


@router.post("/chat/completions", response_model=ChatCompletionResponse, responses=STREAMED_200)
async def create_chat_completion(
    body: ChatCompletionRequest,
    request: Request,
    caller: CurrentCaller,
    chat: ChatServing,
    share: ModelShare,
) -> ChatCompletionResponse | Response:
    engine_request = chat.engine_request(
        body, priority=model_priority(caller.role), max_tokens_cap=share.max_tokens
    )
    with share.acquire(caller) as lease:
        if body.stream:
            include_usage = bool(body.stream_options and body.stream_options.include_usage)
            events = chat.stream(engine_request, include_usage=include_usage)
            return lease.until_sent(EventStreamResponse(events))
        try:
            return await unless_disconnected(request, chat.complete(engine_request))
        except ClientDisconnectedError:
            logger.info("client left before its completion was ready; generation stopped")
            # Nobody reads this; 499 is what proxies log for a client that closed the request.
            return Response(status_code=499)
