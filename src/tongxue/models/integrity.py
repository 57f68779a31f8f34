"""Checking model files: sha256 with a progress bar, the GGUF magic, and the `.verified` stamp.

Hashing a 0.5-1 GB file takes seconds, so a full check is done once and remembered in a small
sidecar (`<file>.verified`) keyed by size and mtime; a file that changes loses its stamp.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
from pathlib import Path

from pydantic import BaseModel, ValidationError

from tongxue.models.errors import IntegrityError
from tongxue.models.progress import Progress
from tongxue.models.registry import GGUF_MAGIC, ModelSpec

logger = logging.getLogger(__name__)

_CHUNK = 4 * 1024 * 1024
STAMP_SUFFIX = ".verified"


def sha256_file(path: Path, progress: Progress, desc: str) -> str:
    with (
        path.open("rb") as file,
        progress.bytes_bar(desc, path.stat().st_size) as bar,
    ):
        digest = hashlib.sha256()
        while chunk := file.read(_CHUNK):
            digest.update(chunk)
            bar.update(len(chunk))
    return digest.hexdigest()


def has_gguf_magic(path: Path) -> bool:
    with path.open("rb") as file:
        return file.read(len(GGUF_MAGIC)) == GGUF_MAGIC


def check_file(path: Path, spec: ModelSpec, progress: Progress) -> str:
    """Raise `IntegrityError` unless `path` is exactly the spec's bytes; return its sha256."""
    size = path.stat().st_size
    if size != spec.size:
        raise IntegrityError(
            f"size mismatch: got {size:,} bytes, expected {spec.size:,} (truncated or wrong file)"
        )
    sha = sha256_file(path, progress, f"checking {spec.filename}")
    if sha != spec.sha256:
        raise IntegrityError(f"sha256 mismatch: got {sha}, expected {spec.sha256}")
    return sha


class VerifiedStamp(BaseModel):
    """What a full check saw; it still holds while the file keeps this size and mtime."""

    size: int
    mtime_ns: int
    sha256: str

    @classmethod
    def of(cls, path: Path, sha256: str) -> VerifiedStamp:
        stat = path.stat()
        return cls(size=stat.st_size, mtime_ns=stat.st_mtime_ns, sha256=sha256)


def stamp_path(path: Path) -> Path:
    return path.with_name(path.name + STAMP_SUFFIX)


def write_stamp(path: Path, sha256: str) -> None:
    stamp = VerifiedStamp.of(path, sha256)
    target = stamp_path(path)
    temporary = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    temporary.write_text(stamp.model_dump_json())
    os.replace(temporary, target)


def read_stamp(path: Path) -> VerifiedStamp | None:
    try:
        return VerifiedStamp.model_validate_json(stamp_path(path).read_text())
    except (OSError, ValidationError, json.JSONDecodeError) as error:
        logger.debug("no usable stamp for %s: %s", path, error)
        return None


def remove_stamp(path: Path) -> None:
    with contextlib.suppress(FileNotFoundError):
        stamp_path(path).unlink()


def stamp_vouches_for(path: Path, spec: ModelSpec) -> bool:
    """True when the stamp says this very file (same size, same mtime) hashed to the spec's sha."""
    stamp = read_stamp(path)
    if stamp is None:
        return False
    stat = path.stat()
    return (
        stamp.size == stat.st_size == spec.size
        and stamp.mtime_ns == stat.st_mtime_ns
        and stamp.sha256 == spec.sha256
    )
