"""Runs the server with uvicorn: checks where it may listen, loads the model, serves."""

from __future__ import annotations

import asyncio
import logging

import uvicorn

from tongxue.config import Settings
from tongxue.engine.base import ChatEngine
from tongxue.server.app import build_context, create_app
from tongxue.server.security.binding import check_binding
from tongxue.server.security.keys import KeyStore

logger = logging.getLogger(__name__)


def serve(settings: Settings, *, use_llm: bool = True) -> None:
    """Serve until interrupted. Raises `BindingError` for a public address without keys."""
    keys = KeyStore(settings.keys_path)
    check_binding(settings.host, has_keys=not keys.empty)
    if keys.empty:
        logger.warning(
            "no API keys in %s: serving on loopback only, without authentication",
            settings.keys_path,
        )
    engine: ChatEngine | None = None
    if use_llm:
        from tongxue.engine.factory import create_engine

        engine = create_engine(settings)
    context = build_context(settings, engine=engine, keys=keys)
    config = uvicorn.Config(
        create_app(context),
        host=settings.host,
        port=settings.port,
        log_level=settings.log_level.lower(),
        # The loopback guard trusts the socket's address, not a header.
        proxy_headers=False,
        server_header=False,
        # Event clients only listen; nothing they may send needs more than this.
        ws_max_size=65536,
        timeout_graceful_shutdown=5,
    )
    try:
        uvicorn.Server(config).run()
    finally:
        if engine is not None:
            asyncio.run(engine.aclose())
