"""ASGI middleware that guards the door: body size limits, loopback-only without keys."""

from __future__ import annotations

from collections.abc import Callable

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from tongxue.server.errors import APIError
from tongxue.server.security.binding import is_loopback


async def _send_error(send: Send, error: APIError) -> None:
    response = error.response()
    await send(
        {"type": "http.response.start", "status": error.status, "headers": response.raw_headers}
    )
    await send({"type": "http.response.body", "body": response.body})


class BodyLimitMiddleware:
    """Reads the whole request body (bounded) before the app sees it; too big is a 413.

    Every body this API takes is a small JSON document, so buffering it costs nothing and
    spares each endpoint its own checks. The declared length is checked first, so a huge
    upload is refused before it is read.
    """

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope.get("method") in ("GET", "HEAD", "OPTIONS"):
            await self.app(scope, receive, send)
            return
        too_large = APIError(
            413,
            f"the request body is larger than {self.max_bytes} bytes",
            code="request_too_large",
        )
        for name, value in scope.get("headers", []):
            if name == b"content-length":
                try:
                    declared = int(value)
                except ValueError:
                    await _send_error(send, APIError(400, "bad Content-Length header"))
                    return
                if declared > self.max_bytes:
                    await _send_error(send, too_large)
                    return
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.max_bytes:
                await _send_error(send, too_large)
                return
            chunks.append(chunk)
            if not message.get("more_body", False):
                break
        body = b"".join(chunks)
        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": body, "more_body": False}
            # After the body: only the disconnect is left to hear about.
            return await receive()

        await self.app(scope, replay, send)


class LoopbackGuardMiddleware:
    """While no API key exists, answer only clients on this machine.

    `tongxue serve` already refuses to bind elsewhere without keys; this also covers keys
    being revoked while the server listens on the network.
    """

    def __init__(self, app: ASGIApp, open_mode: Callable[[], bool]) -> None:
        self.app = app
        self.open_mode = open_mode

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] in ("http", "websocket") and self.open_mode():
            client = scope.get("client")
            host = client[0] if client else None
            if host is not None and not is_loopback(host):
                if scope["type"] == "websocket":
                    await receive()  # the connect message; closing now answers 403
                    await send({"type": "websocket.close", "code": 1008})
                    return
                await _send_error(
                    send,
                    APIError(
                        403,
                        "this server has no API keys, so it only answers this machine",
                        code="loopback_only",
                    ),
                )
                return
        await self.app(scope, receive, send)
