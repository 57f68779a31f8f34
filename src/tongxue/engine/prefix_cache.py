"""Saved model states of prompt prefixes, so a prefix is prefilled once, not on every turn.

A state is what the model computed for a run of prompt tokens (llama.cpp's KV cache of one
sequence). Restoring it costs a memory copy; computing it again costs a prefill, seconds on
a car's CPU. Entries are keyed by the exact tokens, kept in RAM up to a byte budget (least
recently used go first) and, when a folder is given, written there too, so a restart finds
them again. A state only fits the model, and the llama.cpp build, that wrote it: the folder
is per model and build, and the backend treats a state it cannot load as a miss.
"""

from __future__ import annotations

import hashlib
import logging
import threading
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from pydantic import BaseModel

logger = logging.getLogger(__name__)

_SUFFIX = ".state"


def prefix_key(tokens: Sequence[int]) -> str:
    return hashlib.sha256(",".join(map(str, tokens)).encode("ascii")).hexdigest()


@dataclass(frozen=True)
class PrefixState:
    tokens: tuple[int, ...]
    data: bytes

    @property
    def size_bytes(self) -> int:
        return len(self.data)


class PrefixEntry(BaseModel):
    """One cached prefix, for health checks and benchmarks."""

    tokens: int
    bytes: int
    label: str = ""


class PrefixCacheReport(BaseModel):
    entries: list[PrefixEntry]
    bytes: int
    max_bytes: int
    hits: int
    misses: int


class PrefixCache:
    """Token prefix → saved state, bounded in bytes; thread-safe."""

    def __init__(self, max_bytes: int, directory: Path | None = None) -> None:
        if max_bytes < 0:
            raise ValueError("max_bytes must not be negative")
        self.max_bytes = max_bytes
        self.directory = directory
        self._states: OrderedDict[str, PrefixState] = OrderedDict()
        self._labels: dict[str, str] = {}
        self._bytes = 0
        self._lock = threading.Lock()
        self.hits = 0
        self.misses = 0

    @property
    def size_bytes(self) -> int:
        return self._bytes

    def fits(self, size_bytes: int) -> bool:
        """Whether a state of this size fits beside the ones kept, evicting none."""
        return self._bytes + size_bytes <= self.max_bytes

    def __contains__(self, tokens: Sequence[int]) -> bool:
        key = prefix_key(tokens)
        with self._lock:
            if key in self._states:
                return True
        return self._file(key) is not None

    def get(self, tokens: Sequence[int]) -> PrefixState | None:
        key = prefix_key(tokens)
        with self._lock:
            state = self._states.get(key)
            if state is not None:
                self._states.move_to_end(key)
                self.hits += 1
                return state
        state = self._read(key, tuple(tokens))
        with self._lock:
            if state is None:
                self.misses += 1
                return None
            self.hits += 1
            self._keep(key, state)
        return state

    def put(
        self, tokens: Sequence[int], data: bytes, *, label: str = "", persist: bool = False
    ) -> None:
        """Keep a state; `persist` also writes it to the folder (the warmed prefixes only,
        so arbitrary API prompts do not fill the disk)."""
        state = PrefixState(tuple(tokens), data)
        key = prefix_key(tokens)
        with self._lock:
            if label:
                self._labels[key] = label
            self._keep(key, state)
        if persist:
            self._write(key, state)

    def forget(self, tokens: Sequence[int]) -> None:
        """Drop a state that could not be loaded, here and on disk."""
        key = prefix_key(tokens)
        with self._lock:
            state = self._states.pop(key, None)
            if state is not None:
                self._bytes -= state.size_bytes
        if (path := self._file(key)) is not None:
            path.unlink(missing_ok=True)

    def report(self) -> PrefixCacheReport:
        with self._lock:
            entries = [
                PrefixEntry(
                    tokens=len(state.tokens),
                    bytes=state.size_bytes,
                    label=self._labels.get(key, ""),
                )
                for key, state in self._states.items()
            ]
            return PrefixCacheReport(
                entries=entries,
                bytes=self._bytes,
                max_bytes=self.max_bytes,
                hits=self.hits,
                misses=self.misses,
            )

    def _keep(self, key: str, state: PrefixState) -> None:
        if state.size_bytes > self.max_bytes:
            return
        old = self._states.pop(key, None)
        if old is not None:
            self._bytes -= old.size_bytes
        while self._states and self._bytes + state.size_bytes > self.max_bytes:
            _, evicted = self._states.popitem(last=False)
            self._bytes -= evicted.size_bytes
        self._states[key] = state
        self._bytes += state.size_bytes

    def _file(self, key: str) -> Path | None:
        if self.directory is None:
            return None
        path = self.directory / f"{key}{_SUFFIX}"
        return path if path.is_file() else None

    def _read(self, key: str, tokens: tuple[int, ...]) -> PrefixState | None:
        path = self._file(key)
        if path is None:
            return None
        try:
            return PrefixState(tokens, path.read_bytes())
        except OSError as exc:
            logger.warning("cannot read the saved prefix state %s: %s", path, exc)
            return None

    def _write(self, key: str, state: PrefixState) -> None:
        if self.directory is None:
            return
        path = self.directory / f"{key}{_SUFFIX}"
        partial = path.with_suffix(".partial")
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
            partial.write_bytes(state.data)
            # Whole or not at all: a reader never sees half a state.
            partial.replace(path)
        except OSError as exc:
            logger.warning("cannot save the prefix state to %s: %s", path, exc)
