"""The manual's search index: section vectors in SQLite (sqlite-vec), rebuilt on change.

The store is one SQLite file per car profile. It records the manual's digest and the
embedding model's name; when either differs from what is running, the index is built
again (into a new file, swapped in whole, so a crash never leaves half an index).
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import cast

import apsw
import numpy as np
import numpy.typing as npt
import sqlite_vec
from tqdm import tqdm

from tongxue.engine.embeddings import Embedder
from tongxue.manual.source import Language, Manual, ManualSection

logger = logging.getLogger(__name__)

SCHEMA_VERSION = "1"
_BATCH = 16


class ManualIndexError(RuntimeError):
    """The index cannot be opened or built (a broken file, a failing embedder)."""


@dataclass(frozen=True)
class VectorHit:
    section: ManualSection
    similarity: float


def _connect(path: Path) -> apsw.Connection:
    connection = apsw.Connection(str(path))
    connection.enable_load_extension(True)
    connection.load_extension(sqlite_vec.loadable_path())
    connection.enable_load_extension(False)
    return connection


def _meta(connection: apsw.Connection) -> dict[str, str]:
    try:
        rows = connection.execute("SELECT key, value FROM meta").fetchall()
    except apsw.SQLError:
        return {}
    return {str(key): str(value) for key, value in rows}


def _wanted_meta(manual: Manual, embedder: Embedder) -> dict[str, str]:
    return {
        "schema": SCHEMA_VERSION,
        "digest": manual.digest,
        "embedder": embedder.name,
        "profile": manual.profile,
    }


class ManualIndex:
    """Nearest sections by meaning, from the stored vectors of one manual."""

    def __init__(self, manual: Manual, embedder: Embedder, connection: apsw.Connection) -> None:
        self.manual = manual
        self.embedder = embedder
        self._connection = connection
        self._lock = threading.Lock()
        rows = connection.execute("SELECT rowid, section_id, language FROM sections").fetchall()
        self._sections: dict[int, ManualSection] = {}
        for rowid, section_id, language in rows:
            section = manual.section(str(section_id), "zh" if language == "zh" else "en")
            if section is None:
                raise ManualIndexError(f"the index names a section the manual lacks: {section_id}")
            self._sections[cast(int, rowid)] = section

    @classmethod
    def open(
        cls, manual: Manual, embedder: Embedder, path: Path, *, progress: bool = True
    ) -> ManualIndex:
        """Open the index at `path`, building it first when missing or out of date."""
        if path.exists():
            try:
                connection = _connect(path)
                if _meta(connection) == _wanted_meta(manual, embedder):
                    return cls(manual, embedder, connection)
                connection.close()
                logger.info("the manual or the embedding model changed; rebuilding %s", path)
            except apsw.Error as exc:
                logger.warning("the manual index %s is unreadable (%s); rebuilding it", path, exc)
        build_index(manual, embedder, path, progress=progress)
        return cls(manual, embedder, _connect(path))

    def nearest(self, query: str, language: Language, k: int) -> list[VectorHit]:
        vector = self.embedder.queries([query])[0]
        return self.nearest_to(vector, language, k)

    def nearest_to(
        self, vector: npt.NDArray[np.float32], language: Language, k: int
    ) -> list[VectorHit]:
        with self._lock:
            rows = self._connection.execute(
                "SELECT rowid, distance FROM vectors WHERE embedding MATCH ? AND k = ? "
                "AND language = ? ORDER BY distance",
                (sqlite_vec.serialize_float32(vector.tolist()), k, language),
            ).fetchall()
        return [VectorHit(self._sections[cast(int, r)], 1.0 - cast(float, d)) for r, d in rows]

    def close(self) -> None:
        self._connection.close()


def build_index(manual: Manual, embedder: Embedder, path: Path, *, progress: bool = True) -> None:
    """Embed every section of every language and write a fresh index file at `path`."""
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f".{path.name}.{os.getpid()}.partial")
    partial.unlink(missing_ok=True)
    sections: Sequence[ManualSection] = manual.sections
    try:
        vectors = _embed(embedder, sections, progress)
        connection = _connect(partial)
        with connection:
            connection.execute(
                "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);"
                "CREATE TABLE sections (rowid INTEGER PRIMARY KEY, section_id TEXT NOT NULL,"
                " language TEXT NOT NULL, title TEXT NOT NULL, gist TEXT NOT NULL);"
                f"CREATE VIRTUAL TABLE vectors USING vec0(language TEXT, "
                f"embedding float[{vectors.shape[1]}] distance_metric=cosine);"
            )
            for rowid, (section, vector) in enumerate(zip(sections, vectors, strict=True), 1):
                connection.execute(
                    "INSERT INTO sections VALUES (?, ?, ?, ?, ?)",
                    (rowid, section.id, section.language, section.title, section.gist),
                )
                connection.execute(
                    "INSERT INTO vectors(rowid, language, embedding) VALUES (?, ?, ?)",
                    (rowid, section.language, sqlite_vec.serialize_float32(vector.tolist())),
                )
            connection.executemany(
                "INSERT INTO meta VALUES (?, ?)", list(_wanted_meta(manual, embedder).items())
            )
        connection.close()
        os.replace(partial, path)
    except (apsw.Error, OSError) as exc:
        raise ManualIndexError(f"cannot build the manual index at {path}: {exc}") from exc
    finally:
        partial.unlink(missing_ok=True)
    logger.info("built the manual index: %d sections, %s", len(sections), path)


def _embed(
    embedder: Embedder, sections: Sequence[ManualSection], progress: bool
) -> npt.NDArray[np.float32]:
    batches = []
    with tqdm(
        total=len(sections), desc="indexing the manual", unit="section", disable=not progress
    ) as bar:
        for start in range(0, len(sections), _BATCH):
            chunk = sections[start : start + _BATCH]
            batches.append(embedder.passages([s.gist for s in chunk]))
            bar.update(len(chunk))
    return np.concatenate(batches).astype(np.float32)
