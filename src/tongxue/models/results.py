"""What the model store hands back: a resolved model, a cache listing row, a verification."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from tongxue.models.cache import CacheState
from tongxue.models.registry import ModelSpec

ModelFormat = Literal["gguf", "transformers"]


@dataclass(frozen=True)
class ResolvedModel:
    """A model ready to load: a GGUF file or a transformers folder."""

    path: Path
    format: ModelFormat
    name: str
    # None for an explicit path given by the user.
    spec: ModelSpec | None


@dataclass(frozen=True)
class ModelStatus:
    """One registry model as the cache sees it, without hashing anything."""

    name: str
    size: int
    state: CacheState
    path: Path
    description: str
    is_default: bool

    @property
    def cached(self) -> bool:
        """Present with the right size; `state` says whether it was already fully verified."""
        return self.state in ("verified", "unverified")


@dataclass(frozen=True)
class VerifyReport:
    """A full re-hash of a cached model against the registry."""

    name: str
    path: Path
    ok: bool
    expected_size: int
    expected_sha256: str
    actual_size: int | None
    actual_sha256: str | None
    problem: str | None

    @property
    def summary(self) -> str:
        if self.ok:
            return f"OK    {self.name}  {self.path}  sha256 {self.actual_sha256}"
        return f"FAIL  {self.name}  {self.path}  {self.problem}"
