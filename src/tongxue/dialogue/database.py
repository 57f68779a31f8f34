"""The data folder's one SQLite database: memories, sessions, confirmations, the car's journal.

Each store brings its own tables (`create_schema`); this module only owns the connection.
"""

from __future__ import annotations

import logging
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

logger = logging.getLogger(__name__)

# Another process on the same file (`tongxue chat` beside `tongxue serve`) may hold the write
# lock for a moment; wait for it rather than fail the turn.
BUSY_TIMEOUT_S = 5.0


class Database:
    """One connection to one file (or `:memory:`), shared by every store of a process.

    A sqlite3 connection must not run two statements at once, so one lock guards it: there is
    exactly one writer, and reads wait for a write in progress rather than see it half done.
    WAL lets other processes read while this one writes.
    """

    def __init__(self, path: Path | str = ":memory:") -> None:
        if isinstance(path, Path):
            path.parent.mkdir(parents=True, exist_ok=True)
        self.path = str(path)
        # Autocommit at the driver level: `write` and `read` open their own transactions.
        self._conn = sqlite3.connect(
            self.path, timeout=BUSY_TIMEOUT_S, check_same_thread=False, isolation_level=None
        )
        self._lock = threading.RLock()
        with self._lock:
            mode = self._conn.execute("PRAGMA journal_mode=WAL").fetchone()[0]
            self._conn.execute(f"PRAGMA busy_timeout={int(BUSY_TIMEOUT_S * 1000)}")
            # A car loses power without warning: every commit reaches the disk before it counts.
            self._conn.execute("PRAGMA synchronous=FULL")
            self._conn.execute("PRAGMA foreign_keys=ON")
        if mode != "wal" and self.path != ":memory:":
            logger.warning("SQLite at %s runs in %s mode, not WAL", self.path, mode)

    def create_schema(self, script: str) -> None:
        """Run a store's `CREATE ... IF NOT EXISTS` script (idempotent)."""
        with self._lock:
            self._conn.executescript(script)

    @contextmanager
    def write(self) -> Iterator[sqlite3.Connection]:
        """The connection inside one write transaction: committed on exit, rolled back on error."""
        with self._lock:
            # IMMEDIATE takes the file's write lock up front, so a busy file waits here
            # (busy timeout) instead of failing halfway through the transaction.
            self._conn.execute("BEGIN IMMEDIATE")
            try:
                yield self._conn
                self._conn.execute("COMMIT")
            except BaseException:
                # Also after a failed COMMIT (a full disk): the next write must start clean.
                if self._conn.in_transaction:
                    self._conn.execute("ROLLBACK")
                raise

    @contextmanager
    def read(self) -> Iterator[sqlite3.Connection]:
        """The connection inside one read transaction: its statements see one snapshot."""
        with self._lock:
            self._conn.execute("BEGIN")
            try:
                yield self._conn
            finally:
                if self._conn.in_transaction:
                    self._conn.execute("COMMIT")

    def close(self) -> None:
        with self._lock:
            self._conn.close()
