"""Per-key rate limits: a token bucket for each caller."""

from __future__ import annotations

import math
import time
from dataclasses import dataclass


@dataclass
class _Bucket:
    tokens: float
    updated: float


class RateLimiter:
    """`per_minute` requests a minute on average, up to `burst` at once. 0 turns it off."""

    def __init__(self, per_minute: int, burst: int, *, max_keys: int = 10_000) -> None:
        self.rate = per_minute / 60.0
        self.burst = float(burst)
        self.max_keys = max_keys
        self._buckets: dict[str, _Bucket] = {}

    @property
    def enabled(self) -> bool:
        return self.rate > 0

    def acquire(self, key: str, now: float | None = None) -> float:
        """Take one request from `key`'s bucket: 0.0 when allowed, else seconds to wait."""
        if not self.enabled:
            return 0.0
        now = time.monotonic() if now is None else now
        bucket = self._buckets.get(key)
        if bucket is None:
            if len(self._buckets) >= self.max_keys:
                # Forget the full (idle) buckets first: they would start full anyway.
                self._buckets = {
                    k: b for k, b in self._buckets.items() if self._level(b, now) < self.burst
                }
            bucket = self._buckets[key] = _Bucket(self.burst, now)
        bucket.tokens = self._level(bucket, now)
        bucket.updated = now
        if bucket.tokens >= 1.0:
            bucket.tokens -= 1.0
            return 0.0
        return (1.0 - bucket.tokens) / self.rate

    def _level(self, bucket: _Bucket, now: float) -> float:
        return min(self.burst, bucket.tokens + (now - bucket.updated) * self.rate)


def retry_after_header(wait_s: float) -> str:
    return str(max(1, math.ceil(wait_s)))
