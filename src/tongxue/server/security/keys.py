"""API keys: generated once, shown once, stored only as salted hashes in a JSON file.

A key reads `tx-<id>-<secret>`. The id finds the entry without trying every hash; the secret
is 256 random bits, so a salted HMAC-SHA256 is enough to store it (a slow password hash
would only buy time against guessing, and nobody guesses 256 bits). Hashes are compared in
constant time.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import os
import secrets
import threading
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Literal, get_args

from pydantic import BaseModel, Field

from tongxue.cabin.actions import Role

logger = logging.getLogger(__name__)

ROLES: tuple[Role, ...] = get_args(Role)

_PREFIX = "tx-"
_SCHEME = "hmac-sha256"
# How often the file's modification time is checked, so `tongxue keys add` and `revoke`
# take effect on a running server without a restart.
_RELOAD_EVERY_S = 1.0


class ApiKeyRecord(BaseModel):
    """One key as stored: never the key itself."""

    id: str = Field(pattern=r"^[0-9a-f]{12}$")
    role: Role
    user: str = Field(min_length=1, max_length=64)
    hash: str
    label: str | None = Field(None, max_length=200)
    created_at: str


class KeysFile(BaseModel):
    version: Literal[1] = 1
    keys: list[ApiKeyRecord] = Field(default_factory=list)


class KeysFileError(RuntimeError):
    """The keys file exists but cannot be read."""


def hash_secret(secret: str, salt: bytes | None = None) -> str:
    salt = salt if salt is not None else secrets.token_bytes(16)
    digest = hmac.new(salt, secret.encode("utf-8"), hashlib.sha256).hexdigest()
    return f"{_SCHEME}${salt.hex()}${digest}"


def verify_secret(secret: str, stored: str) -> bool:
    try:
        scheme, salt_hex, digest = stored.split("$")
        salt = bytes.fromhex(salt_hex)
    except ValueError:
        return False
    if scheme != _SCHEME:
        return False
    candidate = hmac.new(salt, secret.encode("utf-8"), hashlib.sha256).hexdigest()
    return hmac.compare_digest(candidate, digest)


def split_key(key: str) -> tuple[str, str] | None:
    """(id, secret) of a well-formed key, else None."""
    if not key.startswith(_PREFIX):
        return None
    key_id, sep, secret = key[len(_PREFIX) :].partition("-")
    if not sep or len(key_id) != 12 or not secret:
        return None
    return key_id, secret


# A stored hash to compare against when the id is unknown, so a miss costs what a hit costs.
_DUMMY_HASH = hash_secret("x")


class KeyStore:
    """The keys file, re-read when it changes. Thread-safe."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = threading.Lock()
        self._records: dict[str, ApiKeyRecord] = {}
        self._mtime: float | None = None
        self._checked = 0.0
        self._reload(force=True)

    # --- reading ---------------------------------------------------------------------

    @property
    def empty(self) -> bool:
        self._maybe_reload()
        return not self._records

    def records(self) -> list[ApiKeyRecord]:
        self._maybe_reload()
        with self._lock:
            return list(self._records.values())

    def active(self, key_id: str) -> bool:
        """Whether the key `key_id` still exists: revoking removes it from the file."""
        self._maybe_reload()
        with self._lock:
            return key_id in self._records

    def verify(self, key: str) -> ApiKeyRecord | None:
        """The record of a valid key, else None."""
        self._maybe_reload()
        parts = split_key(key)
        key_id, secret = parts if parts else ("", key)
        with self._lock:
            record = self._records.get(key_id)
        ok = verify_secret(secret, record.hash if record else _DUMMY_HASH)
        return record if ok and record is not None else None

    # --- writing ---------------------------------------------------------------------

    def add(self, role: Role, user: str, label: str | None = None) -> tuple[str, ApiKeyRecord]:
        """Create a key; returns (the key, to show once, and its stored record)."""
        key_id = secrets.token_hex(6)
        secret = secrets.token_urlsafe(32)
        record = ApiKeyRecord(
            id=key_id,
            role=role,
            user=user,
            hash=hash_secret(secret),
            label=label,
            created_at=datetime.now(UTC).isoformat(timespec="seconds"),
        )
        with self._lock:
            data = self._read_file()
            data.keys.append(record)
            self._write_file(data)
        self._reload(force=True)
        return f"{_PREFIX}{key_id}-{secret}", record

    def revoke(self, key_id: str) -> bool:
        with self._lock:
            data = self._read_file()
            kept = [r for r in data.keys if r.id != key_id]
            if len(kept) == len(data.keys):
                return False
            data.keys = kept
            self._write_file(data)
        self._reload(force=True)
        return True

    # --- file ------------------------------------------------------------------------

    def _read_file(self) -> KeysFile:
        if not self.path.exists():
            return KeysFile()
        try:
            return KeysFile.model_validate_json(self.path.read_bytes())
        except (OSError, ValueError) as exc:
            raise KeysFileError(f"cannot read the API keys file {self.path}: {exc}") from exc

    def _write_file(self, data: KeysFile) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_suffix(".tmp")
        # Hashes only, but still nobody else's business: owner read/write.
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(json.dumps(data.model_dump(), indent=2) + "\n")
        tmp.replace(self.path)

    def _maybe_reload(self) -> None:
        if time.monotonic() - self._checked >= _RELOAD_EVERY_S:
            self._reload(force=False)

    def _reload(self, *, force: bool) -> None:
        self._checked = time.monotonic()
        try:
            mtime: float | None = self.path.stat().st_mtime
        except FileNotFoundError:
            mtime = None
        if not force and mtime == self._mtime:
            return
        with self._lock:
            try:
                data = self._read_file()
            except KeysFileError:
                if force:
                    raise
                # A half-written file during an edit: keep the keys we had.
                logger.exception("keeping the previous API keys")
                return
            self._records = {record.id: record for record in data.keys}
            self._mtime = mtime
