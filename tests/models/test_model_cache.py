"""The on-disk cache: size and sha256 checks, and the `.verified` stamp that spares re-hashing."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from models.model_kit import FakeModel
from tongxue.models.cache import ModelCache
from tongxue.models.errors import IntegrityError
from tongxue.models.integrity import check_file, read_stamp, stamp_path
from tongxue.models.progress import Progress


def _tamper_keeping_size_and_mtime(path: Path) -> None:
    stat = path.stat()
    data = bytearray(path.read_bytes())
    data[-1] ^= 0xFF
    path.write_bytes(bytes(data))
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))


def test_check_file_accepts_the_exact_bytes(
    tmp_path: Path, fake_model: FakeModel, quiet: Progress
) -> None:
    good = tmp_path / "good"
    good.write_bytes(fake_model.data)
    assert check_file(good, fake_model.spec, quiet) == fake_model.spec.sha256


def test_check_file_rejects_a_truncated_file(
    tmp_path: Path, fake_model: FakeModel, quiet: Progress
) -> None:
    short = tmp_path / "short"
    short.write_bytes(fake_model.data[:-10])
    with pytest.raises(IntegrityError, match="size mismatch"):
        check_file(short, fake_model.spec, quiet)


def test_check_file_rejects_other_bytes_of_the_same_size(
    tmp_path: Path, fake_model: FakeModel, quiet: Progress
) -> None:
    other = tmp_path / "other"
    other.write_bytes(bytes(reversed(fake_model.data)))
    with pytest.raises(IntegrityError, match="sha256 mismatch"):
        check_file(other, fake_model.spec, quiet)


def test_states_without_hashing(tmp_path: Path, fake_model: FakeModel, quiet: Progress) -> None:
    cache = ModelCache(tmp_path)
    spec = fake_model.spec
    path = cache.file_path(spec)
    assert path == tmp_path / "models" / spec.filename
    assert cache.state(spec) == "missing"
    path.parent.mkdir(parents=True)
    path.write_bytes(fake_model.data[:100])
    assert cache.state(spec) == "corrupt"
    path.write_bytes(fake_model.data)
    assert cache.state(spec) == "unverified"
    assert cache.check(spec, quiet).path == path
    assert cache.state(spec) == "verified"


def test_a_good_file_is_hashed_once_then_trusted_by_its_stamp(
    tmp_path: Path, fake_model: FakeModel, quiet: Progress
) -> None:
    cache = ModelCache(tmp_path)
    path = cache.file_path(fake_model.spec)
    path.parent.mkdir(parents=True)
    path.write_bytes(fake_model.data)

    assert cache.check(fake_model.spec, quiet).path == path
    stamp = read_stamp(path)
    assert stamp is not None and stamp.sha256 == fake_model.spec.sha256

    # Same size, same mtime: the stamp is trusted, so this change goes unnoticed (no re-hash).
    _tamper_keeping_size_and_mtime(path)
    assert cache.check(fake_model.spec, quiet).path == path

    # Touching the file voids the stamp; the full hash then catches the change.
    os.utime(path)
    result = cache.check(fake_model.spec, quiet)
    assert result.path is None
    assert result.problem is not None and "sha256" in result.problem


def test_a_stamp_for_another_sha_does_not_count(
    tmp_path: Path, fake_model: FakeModel, quiet: Progress
) -> None:
    cache = ModelCache(tmp_path)
    path = cache.file_path(fake_model.spec)
    path.parent.mkdir(parents=True)
    path.write_bytes(fake_model.data)
    cache.check(fake_model.spec, quiet)
    stamp = stamp_path(path)
    stamp.write_text(stamp.read_text().replace(fake_model.spec.sha256, "0" * 64))
    assert cache.state(fake_model.spec) == "unverified"


def test_wrong_size_is_reported_without_hashing(
    tmp_path: Path, fake_model: FakeModel, quiet: Progress
) -> None:
    cache = ModelCache(tmp_path)
    path = cache.file_path(fake_model.spec)
    path.parent.mkdir(parents=True)
    path.write_bytes(b"GGUF")
    result = cache.check(fake_model.spec, quiet)
    assert result.path is None
    assert result.problem == f"{path} has 4 bytes, expected {fake_model.spec.size:,}"
