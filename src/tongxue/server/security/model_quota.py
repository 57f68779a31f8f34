"""Sharing the one model: how many model requests each key may have in flight, and who goes first.

A key over its share is told so at once (429 with `Retry-After`) instead of joining the
queue, so one client cannot fill the line in front of everyone else. The count is per key:
a key only ever waits on, or is refused because of, its own requests.
"""

from __future__ import annotations

from types import TracebackType

from starlette.responses import Response
from starlette.types import Receive, Scope, Send

from tongxue.server.errors import APIError
from tongxue.server.metrics import ServerMetrics
from tongxue.server.security.auth import LOCAL_KEY_ID, Caller

# Nobody can know when a slot frees (generations run from milliseconds to a minute); a
# short wait keeps a retrying client responsive, and a refusal costs the server nothing.
RETRY_AFTER_S = 2


class ModelLease:
    """One model request of a key in flight; returned once, however the request ends.

    Used as a context manager it is returned on the way out, unless `until_sent` handed it
    to a response first (a stream outlives the endpoint that made it).
    """

    def __init__(self, quota: ModelQuota | None, key_id: str) -> None:
        self._quota = quota
        self.key_id = key_id
        self._handed_over = False

    def release(self) -> None:
        if self._quota is not None:
            self._quota._release(self.key_id)
            self._quota = None

    def until_sent(self, response: Response) -> Response:
        """`response`, which returns this lease once it has been sent or abandoned."""
        self._handed_over = True
        return _LeasedResponse(response, self)

    def __enter__(self) -> ModelLease:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if not self._handed_over or exc is not None:
            self.release()


class _LeasedResponse(Response):
    """Sends the wrapped response, then returns the lease (also when the client left)."""

    def __init__(self, inner: Response, lease: ModelLease) -> None:
        self.inner = inner
        self.lease = lease
        self.status_code = inner.status_code
        self.background = None
        # Shared, so headers FastAPI adds to this response reach the one that is sent.
        self.raw_headers = inner.raw_headers

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        try:
            await self.inner(scope, receive, send)
        finally:
            self.lease.release()


class ModelQuota:
    """Each key's share of the model: requests in flight, and tokens per chat completion.

    `per_key` 0 turns the in-flight limit off; the keyless local owner (loopback only, one
    person) is not limited either. `max_tokens` caps every chat completion, the owner's
    included (0 = no cap of our own). Only touched from the event loop, so plain counters
    are enough.
    """

    def __init__(
        self, per_key: int, *, max_tokens: int = 0, metrics: ServerMetrics | None = None
    ) -> None:
        self.per_key = per_key
        self.max_tokens = max_tokens
        self.metrics = metrics
        self._in_flight: dict[str, int] = {}

    def in_flight(self, key_id: str) -> int:
        return self._in_flight.get(key_id, 0)

    def acquire(self, caller: Caller) -> ModelLease:
        """A lease for one more request of `caller`; a 429 `APIError` when over its share."""
        key = caller.key_id
        if self.per_key <= 0 or key == LOCAL_KEY_ID:
            return ModelLease(None, key)
        if self.in_flight(key) >= self.per_key:
            if self.metrics is not None:
                self.metrics.rate_limited.labels(caller.role).inc()
            raise APIError(
                429,
                f"this key already has {self.per_key} model requests in flight, its share of "
                f"the model: wait for one to finish, or try again in {RETRY_AFTER_S} s",
                code="too_many_concurrent_requests",
                headers={"Retry-After": str(RETRY_AFTER_S)},
            )
        self._in_flight[key] = self.in_flight(key) + 1
        return ModelLease(self, key)

    def _release(self, key_id: str) -> None:
        left = self.in_flight(key_id) - 1
        if left > 0:
            self._in_flight[key_id] = left
        else:
            self._in_flight.pop(key_id, None)
