"""What can go wrong when finding a model; every message says what the user can do about it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path


class ModelError(Exception):
    """Base of the model store's errors."""


class UnknownModelError(ModelError):
    """A reference that is neither an existing path nor a registry name."""

    def __init__(self, name: str, known: Sequence[str]) -> None:
        self.name = name
        self.known = list(known)
        super().__init__(
            f"Unknown model {name!r}: not a file or folder, and not a registry name. "
            f"Known models: {', '.join(self.known) or '(none)'}. "
            "Give a registry name, a .gguf file, or a transformers folder (with config.json)."
        )


class InvalidModelPathError(ModelError):
    """An explicit path that is missing or is not a model."""

    def __init__(self, path: Path, reason: str) -> None:
        self.path = path
        self.reason = reason
        super().__init__(f"{path}: {reason}")


class SourceError(ModelError):
    """A source could not provide the model; `reason` is one line for the user."""

    def __init__(self, reason: str) -> None:
        self.reason = reason
        super().__init__(reason)


class IntegrityError(ModelError):
    """A file's size or sha256 differs from the registry's."""


@dataclass(frozen=True)
class SourceAttempt:
    """One place the store looked, and why it did not give a usable file."""

    source: str
    reason: str


class ModelNotAvailableError(ModelError):
    """No source produced a verified copy of a registry model."""

    def __init__(self, name: str, attempts: Sequence[SourceAttempt], hints: Sequence[str]) -> None:
        self.name = name
        self.attempts = list(attempts)
        self.hints = list(hints)
        tried = "\n".join(f"  - {a.source}: {a.reason}" for a in self.attempts)
        todo = "\n".join(f"  - {hint}" for hint in self.hints)
        super().__init__(
            f"Model {name!r} is not available.\nTried:\n{tried}\nWhat you can do:\n{todo}"
        )
