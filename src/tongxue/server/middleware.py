"""ASGI middleware that guards the door: body size limits, loopback-only without keys, and
no requests that a web page elsewhere makes a browser send.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from urllib.parse import urlsplit

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from tongxue.server.errors import APIError
from tongxue.server.security.binding import is_loopback

# Methods that only read: everything else changes something and gets the origin check.
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
_DEFAULT_PORTS = {"http": 80, "https": 443, "ws": 80, "wss": 443}
# Characters a Host header never needs; they only serve to confuse a parser.
_NOT_IN_HOST = frozenset("@/?#\\ \t")


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
        if scope["type"] != "http" or scope.get("method") in SAFE_METHODS:
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


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope.get("headers", []):
        if key == name:
            return bytes(value).decode("latin-1")
    return None


def split_host(value: str | None) -> tuple[str, int | None] | None:
    """(host name, port or None) of a Host header; None when it is missing or malformed."""
    if not value or any(char in _NOT_IN_HOST for char in value):
        return None
    try:
        parts = urlsplit(f"//{value}")
        port = parts.port
    except ValueError:
        return None
    if not parts.hostname:
        return None
    return parts.hostname, port


def normalize_origin(value: str) -> str | None:
    """`scheme://host[:port]` as browsers serialize it (lower case, no default port)."""
    try:
        parts = urlsplit(value.strip())
        port = parts.port
    except ValueError:
        return None
    scheme, host = parts.scheme.lower(), parts.hostname
    if not scheme or not host or parts.path not in ("", "/") or parts.query or parts.username:
        return None
    if ":" in host:
        host = f"[{host}]"
    if port is None or port == _DEFAULT_PORTS.get(scheme):
        return f"{scheme}://{host}"
    return f"{scheme}://{host}:{port}"


def parse_origins(text: str) -> frozenset[str]:
    """The `allowed_origins` setting; a malformed entry stops the server from starting."""
    origins = set()
    for item in text.split(","):
        if not item.strip():
            continue
        origin = normalize_origin(item)
        if origin is None:
            raise ValueError(f"{item.strip()!r} is not a web origin like https://phone.example")
        origins.add(origin)
    return frozenset(origins)


def _same_origin(origin: str, host_header: str | None) -> bool:
    """Whether `origin` names this server as the request reached it (its Host header).

    The scheme is not compared: behind a TLS proxy the page is https and the server sees
    http, and nothing but this server answers on its own host and port.
    """
    host = split_host(host_header)
    if host is None:
        return False
    parts = urlsplit(origin)
    scheme = parts.scheme
    if scheme not in ("http", "https") or parts.hostname != host[0]:
        return False
    origin_port = parts.port or _DEFAULT_PORTS[scheme]
    if host[1] is None:
        # No port in Host: the browser used its scheme's default one.
        return origin_port == _DEFAULT_PORTS[scheme]
    return origin_port == host[1]


async def _refuse(scope: Scope, receive: Receive, send: Send, error: APIError) -> None:
    if scope["type"] == "websocket":
        await receive()  # the connect message; closing now answers the handshake with 403
        await send({"type": "websocket.close", "code": 1008, "reason": error.message[:120]})
        return
    await _send_error(send, error)


class LoopbackGuardMiddleware:
    """While no API key exists, answer only clients on this machine, by loopback names.

    `tongxue serve` already refuses to bind elsewhere without keys; this also covers keys
    being revoked while the server listens on the network. The Host header must name
    loopback too: otherwise a web page whose name the attacker re-points at 127.0.0.1 (DNS
    rebinding) would be same-origin with this server and drive the car from the browser.
    """

    def __init__(self, app: ASGIApp, open_mode: Callable[[], bool]) -> None:
        self.app = app
        self.open_mode = open_mode

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] in ("http", "websocket") and self.open_mode():
            error = _stranger(scope)
            if error is not None:
                await _refuse(scope, receive, send, error)
                return
        await self.app(scope, receive, send)


def _stranger(scope: Scope) -> APIError | None:
    """Why a keyless server must not answer this connection, or None when it may."""
    client = scope.get("client")
    address = client[0] if client else None
    if address is not None and not is_loopback(address):
        return APIError(
            403,
            "this server has no API keys, so it only answers this machine",
            code="loopback_only",
        )
    host = split_host(_header(scope, b"host"))
    if host is None or not is_loopback(host[0]):
        return APIError(
            403,
            "this server has no API keys, so it only answers requests addressed "
            "to localhost, 127.0.0.1 or [::1] (the Host header)",
            code="host_not_allowed",
        )
    return None


class OriginGuardMiddleware:
    """Refuses what a web page on another origin makes a browser send.

    A browser attaches the user's reach (loopback, the car's network) to any page's
    requests, and a page can post forms and open WebSockets anywhere. So every request that
    changes something (any method but GET, HEAD, OPTIONS) and every events-socket handshake
    must come from this server's own web app or an origin in `allowed_origins`. Browsers
    send `Origin` with all of those; without it, `Sec-Fetch-Site` still tells a cross-site
    request. Clients that send neither (curl, the SDKs, the phone's native app) are not
    browsers carrying someone else's page, and pass.
    """

    def __init__(self, app: ASGIApp, allowed_origins: Iterable[str] = ()) -> None:
        self.app = app
        self.allowed = frozenset(allowed_origins)

    def _allowed(self, scope: Scope) -> bool:
        origin = _header(scope, b"origin")
        if origin is None:
            return _header(scope, b"sec-fetch-site") not in ("cross-site", "same-site")
        normalized = normalize_origin(origin)  # "null" (sandboxed pages, files) never passes
        if normalized is None:
            return False
        return normalized in self.allowed or _same_origin(normalized, _header(scope, b"host"))

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        checked = scope["type"] == "websocket" or (
            scope["type"] == "http" and scope.get("method") not in SAFE_METHODS
        )
        if checked and not self._allowed(scope):
            await _refuse(
                scope,
                receive,
                send,
                APIError(
                    403,
                    "cross-origin requests are refused: only this server's own web app "
                    "(or an origin in allowed_origins) may call it from a browser",
                    code="cross_origin_request",
                ),
            )
            return
        await self.app(scope, receive, send)
