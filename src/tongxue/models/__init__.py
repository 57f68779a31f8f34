"""The model store: a registry of known models, a verified local cache, sources to fetch from."""

from tongxue.models.errors import (
    InvalidModelPathError,
    ModelError,
    ModelNotAvailableError,
    UnknownModelError,
)
from tongxue.models.registry import REGISTRY, ModelSpec, get_spec
from tongxue.models.results import ModelStatus, ResolvedModel, VerifyReport
from tongxue.models.store import ModelStore

__all__ = [
    "REGISTRY",
    "InvalidModelPathError",
    "ModelError",
    "ModelNotAvailableError",
    "ModelSpec",
    "ModelStatus",
    "ModelStore",
    "ResolvedModel",
    "UnknownModelError",
    "VerifyReport",
    "get_spec",
]
