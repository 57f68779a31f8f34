"""Helpers of the server tests: a real uvicorn server on 127.0.0.1 in a thread."""

from __future__ import annotations

import contextlib
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest
import uvicorn

from tongxue.config import Settings
from tongxue.server.app import create_app
from tongxue.server.context import ServerContext


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class LiveServer:
    """A running server: its base URL, its services, and keys by name when it has any."""

    url: str
    context: ServerContext
    keys: dict[str, str] = field(default_factory=dict)

    @property
    def v1(self) -> str:
        return f"{self.url}/v1"

    @property
    def ws_url(self) -> str:
        return self.url.replace("http://", "ws://") + "/v1/vehicle/events"

    def auth(self, name: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.keys[name]}"}

    def client(self, key: str | None = None, timeout: float = 60) -> httpx.Client:
        headers = self.auth(key) if key else {}
        return httpx.Client(base_url=self.url, headers=headers, timeout=timeout)

    def async_client(self, key: str | None = None, timeout: float = 60) -> httpx.AsyncClient:
        headers = self.auth(key) if key else {}
        return httpx.AsyncClient(base_url=self.url, headers=headers, timeout=timeout)

    def reset_car(self) -> None:
        self.context.vehicle.reset()


@contextlib.contextmanager
def serve(context: ServerContext, keys: dict[str, str] | None = None) -> Iterator[LiveServer]:
    port = free_port()
    config = uvicorn.Config(
        create_app(context),
        host="127.0.0.1",
        port=port,
        log_level="warning",
        proxy_headers=False,
        timeout_graceful_shutdown=2,
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, name=f"uvicorn-{port}", daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            pytest.fail("the test server did not start")
        time.sleep(0.02)
    try:
        yield LiveServer(url=f"http://127.0.0.1:{port}", context=context, keys=keys or {})
    finally:
        server.should_exit = True
        thread.join(timeout=15)


def server_settings(tmp: Path, **overrides: Any) -> Settings:
    values: dict[str, Any] = {
        "data_dir": tmp / "data",
        "api_keys_file": tmp / "keys.json",
        "rate_limit_per_minute": 0,
        "llm_timeout": 60.0,
    }
    values.update(overrides)
    return Settings(**values)
