"""The on-disk cache of registry models: `<cache_dir>/models/<filename>`.

A file only ever appears under its final name through `commit`, after it was verified, so a
half-written or corrupt download can never be mistaken for a good one. Writers take a per-file
lock so two processes pulling the same model do not trample each other's temporary files.
"""

from __future__ import annotations

import contextlib
import logging
import os
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from filelock import FileLock

from tongxue.models.integrity import (
    remove_stamp,
    sha256_file,
    stamp_vouches_for,
    write_stamp,
)
from tongxue.models.progress import Progress
from tongxue.models.registry import ModelSpec

logger = logging.getLogger(__name__)

CacheState = Literal["verified", "unverified", "corrupt", "missing"]


@dataclass(frozen=True)
class CacheCheck:
    """The outcome of looking a model up: a verified path, or why there is none."""

    path: Path | None
    problem: str | None


class ModelCache:
    def __init__(self, root: Path) -> None:
        self.root = root.expanduser()
        self.models_dir = self.root / "models"

    def file_path(self, spec: ModelSpec) -> Path:
        """`models/<filename>`, or `models/<folder>/<filename>` for a file of a folder model."""
        return self.models_dir / spec.folder / spec.filename

    def _dir(self, spec: ModelSpec) -> Path:
        # Locks and temporary files sit beside the file, so `commit` stays an atomic rename.
        return self.file_path(spec).parent

    def state(self, spec: ModelSpec) -> CacheState:
        """A cheap look (no hashing): is the file there, of the right size, already verified?"""
        path = self.file_path(spec)
        if not path.is_file():
            return "missing"
        if path.stat().st_size != spec.size:
            return "corrupt"
        return "verified" if stamp_vouches_for(path, spec) else "unverified"

    def check(self, spec: ModelSpec, progress: Progress) -> CacheCheck:
        """The cached file if it is the spec's bytes; hashes it fully only when not yet stamped."""
        path = self.file_path(spec)
        state = self.state(spec)
        if state == "missing":
            return CacheCheck(None, f"not present at {path}")
        size = path.stat().st_size
        if state == "corrupt":
            return CacheCheck(None, f"{path} has {size:,} bytes, expected {spec.size:,}")
        if state == "verified":
            return CacheCheck(path, None)
        sha = sha256_file(path, progress, f"verifying {spec.filename}")
        if sha != spec.sha256:
            return CacheCheck(None, f"{path} has sha256 {sha}, expected {spec.sha256}")
        write_stamp(path, sha)
        return CacheCheck(path, None)

    @contextlib.contextmanager
    def lock(self, spec: ModelSpec) -> Iterator[None]:
        self._dir(spec).mkdir(parents=True, exist_ok=True)
        with FileLock(self._dir(spec) / f".{spec.filename}.lock"):
            yield

    def temp_path(self, spec: ModelSpec) -> Path:
        """A fresh name in the cache folder (same filesystem, so `commit` is an atomic rename)."""
        self._dir(spec).mkdir(parents=True, exist_ok=True)
        return self._dir(spec) / f".{spec.filename}.{uuid.uuid4().hex[:12]}.partial"

    def remove_leftovers(self, spec: ModelSpec) -> None:
        """Delete temporary files an interrupted run left behind (call while holding the lock)."""
        for leftover in self._dir(spec).glob(f".{spec.filename}.*.partial"):
            logger.info("removing leftover %s", leftover)
            with contextlib.suppress(FileNotFoundError):
                leftover.unlink()

    def discard(self, spec: ModelSpec) -> None:
        """Remove a cached file that failed its check, so it cannot be used by mistake."""
        path = self.file_path(spec)
        logger.warning("removing %s: it does not match the registry", path)
        remove_stamp(path)
        with contextlib.suppress(FileNotFoundError):
            path.unlink()

    def commit(self, temporary: Path, spec: ModelSpec, sha256: str) -> Path:
        """Move a verified temporary file to its final name and remember that it is verified."""
        path = self.file_path(spec)
        remove_stamp(path)
        os.replace(temporary, path)
        write_stamp(path, sha256)
        return path
