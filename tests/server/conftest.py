"""Real servers for the server tests: uvicorn on 127.0.0.1 (a free port) in a thread.

Each server gets its own data folder and keys file. The model is the tiny random-weight
Qwen2 (real tokenizer and template): its answers are random text, so tests check shapes
and plumbing; the rules path gives deterministic assistant turns ("打开车窗").
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from server.server_kit import LiveServer, serve, server_settings
from tongxue.cabin.actions import Role
from tongxue.engine.llama_cpp_backend import LlamaCppEngine
from tongxue.server.app import build_context
from tongxue.server.security.keys import KeyStore


@pytest.fixture(scope="session")
def tiny_engine(tiny_model_path: Path) -> Iterator[LlamaCppEngine]:
    engine = LlamaCppEngine(
        tiny_model_path, model_name="tiny-qwen2", n_ctx=2048, n_threads=2, seed=1
    )
    yield engine
    asyncio.run(engine.aclose())


ServerFactory = Callable[..., contextlib.AbstractContextManager[LiveServer]]


@pytest.fixture(scope="module")
def make_server(tmp_path_factory: pytest.TempPathFactory) -> ServerFactory:
    """`with make_server(engine=..., keys={"alice": ("phone", "alice")}, **settings) as s:`."""

    @contextlib.contextmanager
    def factory(
        *,
        engine: LlamaCppEngine | None = None,
        keys: dict[str, tuple[Role, str]] | None = None,
        **overrides: Any,
    ) -> Iterator[LiveServer]:
        tmp = tmp_path_factory.mktemp("server")
        settings = server_settings(tmp, **overrides)
        store = KeyStore(settings.keys_path)
        made = {
            name: store.add(role, user, label=name)[0]
            for name, (role, user) in (keys or {}).items()
        }
        context = build_context(settings, engine=engine, keys=store)
        with serve(context, made) as live:
            yield live

    return factory


@pytest.fixture(scope="module")
def open_server(make_server: ServerFactory, tiny_engine: LlamaCppEngine) -> Iterator[LiveServer]:
    """No keys (loopback only), the tiny model loaded."""
    with make_server(engine=tiny_engine) as live:
        yield live


# The keys of `keyed_server`, by name: (role, user).
KEYS: dict[str, tuple[Role, str]] = {
    "car": ("car", "family"),
    "alice": ("phone", "alice"),
    "alice2": ("phone", "alice"),
    "bob": ("phone", "bob"),
    "admin": ("admin", "ops"),
}


@pytest.fixture(scope="module")
def keyed_server(make_server: ServerFactory) -> Iterator[LiveServer]:
    """API keys for a car, two phones of alice, bob's phone and an admin; rules only."""
    with make_server(keys=KEYS) as live:
        yield live


@pytest.fixture
async def events_socket(open_server: LiveServer) -> AsyncIterator[Any]:
    import websockets

    async with websockets.connect(open_server.ws_url, open_timeout=10) as socket_:
        yield socket_
