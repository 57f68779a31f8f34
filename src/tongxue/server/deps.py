"""The dependencies the routers take, as `Annotated` types (FastAPI template style).

All are `async def`, so FastAPI runs them on the event loop rather than in its thread pool:
the rate limiter and the key store are then only touched from one thread.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, TypeVar, cast

from fastapi import Depends, Request
from starlette.requests import HTTPConnection

from tongxue.server.assistant.serving import AssistantService
from tongxue.server.audio.serving import AudioService
from tongxue.server.context import ServerContext
from tongxue.server.errors import APIError, forbidden
from tongxue.server.openai_compat.serving import OpenAIServingChat
from tongxue.server.security.auth import Caller, authenticate, bearer_token
from tongxue.server.security.model_quota import ModelQuota
from tongxue.server.security.ratelimit import retry_after_header
from tongxue.server.vehicle.serving import VehicleService
from tongxue.server.wake.serving import WakeWordService


async def get_context(connection: HTTPConnection) -> ServerContext:
    context = connection.app.state.context
    assert isinstance(context, ServerContext)
    return context


Ctx = Annotated[ServerContext, Depends(get_context)]


async def get_caller(request: Request, ctx: Ctx) -> Caller:
    """Authenticate the bearer key, then charge the request to that key's rate limit."""
    caller = authenticate(ctx.keys, bearer_token(request.headers.get("authorization")))
    wait = ctx.limiter.acquire(caller.key_id)
    if wait > 0:
        ctx.metrics.rate_limited.labels(caller.role).inc()
        raise APIError(
            429,
            f"rate limit reached for this key: try again in {retry_after_header(wait)} s",
            code="rate_limit_exceeded",
            headers={"Retry-After": retry_after_header(wait)},
        )
    return caller


CurrentCaller = Annotated[Caller, Depends(get_caller)]


async def get_admin(caller: CurrentCaller) -> Caller:
    if not caller.is_admin:
        raise forbidden("this needs an admin key", code="admin_only")
    return caller


AdminCaller = Annotated[Caller, Depends(get_admin)]


async def get_chat(ctx: Ctx) -> OpenAIServingChat:
    if ctx.chat is None:
        raise APIError(
            503,
            "no model is loaded: the server was started without one (--no-llm)",
            code="model_not_loaded",
        )
    return ctx.chat


ChatServing = Annotated[OpenAIServingChat, Depends(get_chat)]


async def get_model_share(ctx: Ctx) -> ModelQuota:
    return ctx.quota


ModelShare = Annotated[ModelQuota, Depends(get_model_share)]


async def get_assistant(ctx: Ctx) -> AssistantService:
    return ctx.assistant


Assistant = Annotated[AssistantService, Depends(get_assistant)]


async def get_vehicle(ctx: Ctx) -> VehicleService:
    return ctx.vehicle_service


VehicleControl = Annotated[VehicleService, Depends(get_vehicle)]


_Service = TypeVar("_Service")


def _per_app(request: Request, name: str, make: Callable[[], _Service]) -> _Service:
    """One `name` service per app, made on first use, so an app that never needs it (the
    voice models, the wake-word store) never pays for it."""
    service = getattr(request.app.state, name, None)
    if service is None:
        service = make()
        setattr(request.app.state, name, service)
    return cast(_Service, service)


async def get_audio(request: Request, ctx: Ctx) -> AudioService:
    return _per_app(request, "audio", lambda: AudioService(ctx.settings))


Audio = Annotated[AudioService, Depends(get_audio)]


async def get_wake_words(request: Request, ctx: Ctx) -> WakeWordService:
    return _per_app(request, "wake_words", lambda: WakeWordService(ctx.settings))


WakeWords = Annotated[WakeWordService, Depends(get_wake_words)]
