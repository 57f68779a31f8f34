"""Server-sent events, with the generation cancelled the moment the client goes away."""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from collections.abc import AsyncIterator, Awaitable, Mapping
from contextlib import asynccontextmanager
from typing import Any, TypeVar

from fastapi import Request
from starlette.responses import Response
from starlette.types import Receive, Scope, Send

from tongxue.server.errors import APIError

logger = logging.getLogger(__name__)

T = TypeVar("T")

# For the OpenAPI schema of an endpoint that answers JSON, or events when asked to stream.
STREAMED_200: dict[int | str, dict[str, Any]] = {
    200: {
        "content": {
            "text/event-stream": {
                # One event: its name, and its data (a JSON document, or "[DONE]").
                "schema": {
                    "type": "object",
                    "properties": {"event": {"type": "string"}, "data": {"type": "string"}},
                    "required": ["data"],
                }
            }
        },
        "description": "JSON, or server-sent events when the request asks to stream.",
    }
}


@asynccontextmanager
async def closing(events: AsyncIterator[T]) -> AsyncIterator[AsyncIterator[T]]:
    """`contextlib.aclosing` for anything typed as an iterator: generators get `aclose`d.

    Closing an engine's or the assistant's stream is what stops its generation.
    """
    try:
        yield events
    finally:
        aclose = getattr(events, "aclose", None)
        if aclose is not None:
            await aclose()


def sse_data(payload: Mapping[str, Any] | str, event: str | None = None) -> str:
    """One event: `event:` line when named, `data:` JSON (or a literal such as [DONE])."""
    data = payload if isinstance(payload, str) else json.dumps(payload, ensure_ascii=False)
    head = f"event: {event}\n" if event else ""
    return f"{head}data: {data}\n\n"


class EventStreamResponse(Response):
    """Streams `events` as text/event-stream and closes them when the client disconnects.

    Starlette's StreamingResponse listens for the disconnect only on servers speaking ASGI
    spec < 2.4; on newer ones it notices only when a write fails, which never happens while
    a request waits its turn for the model, so it would keep its place and generate for
    nobody. Here a listener always runs beside the stream from the start, and the iterator
    is closed on the way out, which cancels the generation behind it.
    """

    media_type = "text/event-stream"

    def __init__(self, events: AsyncIterator[str], status_code: int = 200) -> None:
        self.events = events
        self.status_code = status_code
        self.background = None
        self.init_headers({"Cache-Control": "no-cache", "X-Accel-Buffering": "no"})

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        stream = asyncio.ensure_future(self._stream(send))
        listener = asyncio.ensure_future(_wait_for_disconnect(receive))
        try:
            await asyncio.wait({stream, listener}, return_when=asyncio.FIRST_COMPLETED)
        finally:
            for task in (stream, listener):
                task.cancel()
            for task in (stream, listener):
                with contextlib.suppress(asyncio.CancelledError, OSError):
                    await task
        if stream.done() and not stream.cancelled():
            error = stream.exception()
            if error is not None and not isinstance(error, OSError):
                # Headers are gone already; all that is left is to say so in the log.
                logger.error("event stream failed", exc_info=error)

    async def _stream(self, send: Send) -> None:
        await send(
            {"type": "http.response.start", "status": self.status_code, "headers": self.raw_headers}
        )
        async with closing(self.events) as events:
            async for chunk in events:
                await send(
                    {"type": "http.response.body", "body": chunk.encode(), "more_body": True}
                )
        await send({"type": "http.response.body", "body": b"", "more_body": False})


async def _wait_for_disconnect(receive: Receive) -> None:
    while (await receive())["type"] != "http.disconnect":
        pass


class ClientDisconnectedError(Exception):
    """The client left before the answer was ready."""


async def unless_disconnected(request: Request, work: Awaitable[T]) -> T:
    """Await `work`, cancelling it if the client disconnects first (non-streamed answers)."""
    task = asyncio.ensure_future(work)
    listener = asyncio.ensure_future(_wait_for_disconnect(request.receive))
    try:
        await asyncio.wait({task, listener}, return_when=asyncio.FIRST_COMPLETED)
    except BaseException:
        task.cancel()
        raise
    finally:
        listener.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await listener
    if not task.done():
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError, APIError):
            await task
        raise ClientDisconnectedError()
    return task.result()
