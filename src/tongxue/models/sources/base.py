"""The interface every model source implements."""

from __future__ import annotations

from pathlib import Path
from typing import Protocol

from tongxue.models.errors import SourceError
from tongxue.models.progress import Progress
from tongxue.models.registry import ModelSpec


class ModelSource(Protocol):
    """Somewhere a registry model's bytes can come from.

    `fetch` writes the whole file to `dest`, a temporary name in the cache folder that the store
    verifies and renames; a source may keep work files beside it, named `.<spec.filename>.*`.
    It raises `SourceError` with a one-line reason when it cannot provide the model.
    """

    @property
    def name(self) -> str: ...

    def fetch(self, spec: ModelSpec, dest: Path, progress: Progress) -> None: ...


class DisabledSource:
    """Stands in for a source the settings switched off, so the error still mentions it."""

    def __init__(self, name: str, reason: str, hint: str | None = None) -> None:
        self._name = name
        self.reason = reason
        # How to switch it back on, for the "what you can do" part of the error.
        self.hint = hint

    @property
    def name(self) -> str:
        return self._name

    def fetch(self, spec: ModelSpec, dest: Path, progress: Progress) -> None:
        raise SourceError(self.reason)
