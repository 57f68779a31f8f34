"""Builds the FastAPI app: the services, the routers, the middleware and the web app."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware

from tongxue.config import Settings
from tongxue.dialogue.factory import create_agent, create_vehicle, open_database
from tongxue.dialogue.memory import MemoryStore
from tongxue.engine.base import ChatEngine
from tongxue.server.assistant.router import router as assistant_router
from tongxue.server.assistant.serving import AssistantService
from tongxue.server.audio.router import router as audio_router
from tongxue.server.confirmations import ConfirmationStore
from tongxue.server.context import ServerContext
from tongxue.server.errors import install_error_handlers
from tongxue.server.events import EventHub
from tongxue.server.manual.router import router as manual_router
from tongxue.server.memory.router import router as memory_router
from tongxue.server.metrics import MetricsMiddleware, ServerMetrics
from tongxue.server.middleware import (
    BodyLimitMiddleware,
    LoopbackGuardMiddleware,
    OriginGuardMiddleware,
    parse_origins,
)
from tongxue.server.openai_compat.router import router as openai_router
from tongxue.server.openai_compat.serving import OpenAIServingChat
from tongxue.server.ownership import SessionOwners
from tongxue.server.security.keys import KeyStore
from tongxue.server.security.model_quota import ModelQuota
from tongxue.server.security.ratelimit import RateLimiter
from tongxue.server.system.router import router as system_router
from tongxue.server.vehicle.router import router as vehicle_router
from tongxue.server.vehicle.serving import VehicleService
from tongxue.server.wake.router import router as wake_router
from tongxue.server.web import mount_web_app

logger = logging.getLogger(__name__)


def build_context(
    settings: Settings,
    *,
    engine: ChatEngine | None,
    keys: KeyStore | None = None,
    memory: MemoryStore | None = None,
) -> ServerContext:
    """The services of one server. `engine` None serves the rules-only assistant."""
    database = open_database(settings)
    vehicle = create_vehicle(settings, database)
    agent = create_agent(
        settings,
        use_llm=engine is not None,
        engine=engine,
        vehicle=vehicle,
        memory=memory,
        database=database,
    )
    metrics = ServerMetrics()
    if engine is not None:
        metrics.watch_queue(lambda: engine.queue_depth)
    confirmations = ConfirmationStore(settings.confirmation_ttl, database=database)
    owners = SessionOwners(agent.sessions)
    return ServerContext(
        settings=settings,
        agent=agent,
        vehicle=vehicle,
        engine=engine,
        keys=keys or KeyStore(settings.keys_path),
        limiter=RateLimiter(settings.rate_limit_per_minute, settings.rate_limit_burst),
        quota=ModelQuota(
            settings.model_requests_per_key, max_tokens=settings.max_tokens_cap, metrics=metrics
        ),
        metrics=metrics,
        confirmations=confirmations,
        events=EventHub(vehicle),
        owners=owners,
        chat=OpenAIServingChat(engine, metrics) if engine is not None else None,
        assistant=AssistantService(agent, owners, metrics),
        vehicle_service=VehicleService(vehicle, confirmations, metrics),
    )


def create_app(context: ServerContext) -> FastAPI:
    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        context.events.start()
        # Serving starts at once; the prefixes warm while the server already answers.
        warming = (
            asyncio.create_task(context.agent.warm(), name="warm-prefixes")
            if context.settings.warm_prefixes
            else None
        )
        try:
            yield
        finally:
            if warming is not None:
                warming.cancel()
                with contextlib.suppress(asyncio.CancelledError, Exception):
                    await warming
            context.events.stop()

    app = FastAPI(
        title="Tongxue",
        summary="An offline-first assistant for the car and the phone.",
        version="0.1.0",
        lifespan=lifespan,
        # The interactive docs load their scripts from a CDN, which the car cannot reach.
        docs_url=None,
        redoc_url=None,
    )
    app.state.context = context
    install_error_handlers(app)
    for router in (
        openai_router,
        assistant_router,
        vehicle_router,
        memory_router,
        manual_router,
        system_router,
    ):
        app.include_router(router)
    app.include_router(audio_router)
    app.include_router(wake_router)
    mount_web_app(app)
    # Outermost first: count everything, then refuse strangers and other sites' pages,
    # then bound the body.
    origins = parse_origins(context.settings.allowed_origins)
    app.add_middleware(BodyLimitMiddleware, max_bytes=context.settings.max_request_bytes)
    if origins:
        # Pages on those origins (the phone app) must also be allowed to read the answers.
        app.add_middleware(
            CORSMiddleware,
            allow_origins=sorted(origins),
            allow_methods=["*"],
            allow_headers=["Authorization", "Content-Type", "Accept"],
        )
    app.add_middleware(OriginGuardMiddleware, allowed_origins=origins)
    app.add_middleware(LoopbackGuardMiddleware, open_mode=lambda: context.open_mode)
    app.add_middleware(MetricsMiddleware, metrics=context.metrics)
    return app
