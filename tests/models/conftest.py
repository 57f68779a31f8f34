"""Fixtures for the model store tests (the helpers themselves live in `model_kit`)."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from models.model_kit import (
    FakeModel,
    HubServer,
    build_part_wheels,
    hub_handler,
    make_fake_model,
)
from tongxue.config import Settings
from tongxue.models.progress import Progress


@pytest.fixture(scope="session")
def fake_model() -> FakeModel:
    return make_fake_model()


@pytest.fixture
def quiet() -> Progress:
    return Progress(enabled=False)


@pytest.fixture
def settings(tmp_path: Path, fake_model: FakeModel) -> Settings:
    return Settings(model=fake_model.spec.name, cache_dir=tmp_path / "cache", hub_timeout=2.0)


@pytest.fixture
def hub_server() -> Iterator[HubServer]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), BaseHTTPRequestHandler)
    hub = HubServer(url=f"http://127.0.0.1:{server.server_address[1]}")
    server.RequestHandlerClass = hub_handler(hub)
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    yield hub
    server.shutdown()
    server.server_close()


@pytest.fixture
def closed_port_url() -> str:
    """A local URL nothing listens on: connections are refused at once."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}"


@pytest.fixture
def silent_server_url() -> Iterator[str]:
    """A local URL that accepts connections but never answers (a black hole)."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(16)
    yield f"http://127.0.0.1:{sock.getsockname()[1]}"
    sock.close()


@pytest.fixture(scope="session")
def part_wheels(fake_model: FakeModel, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A find-links folder holding the fake model's part wheels."""
    return build_part_wheels(tmp_path_factory.mktemp("part-wheels"), fake_model)
