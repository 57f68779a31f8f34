"""Explicit paths: a GGUF file or a transformers folder, used as they are."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from models.model_kit import FakeModel
from tongxue.config import Settings
from tongxue.models.errors import InvalidModelPathError
from tongxue.models.local import looks_like_path, resolve_local
from tongxue.models.store import ModelStore


def _store(settings: Settings, fake_model: FakeModel) -> ModelStore:
    # No sources: resolving an explicit path must never need one.
    return ModelStore(settings, sources=[], registry=fake_model.registry)


def test_an_explicit_gguf_file_is_used_as_is(
    tmp_path: Path, settings: Settings, fake_model: FakeModel
) -> None:
    model_file = tmp_path / "my-model.gguf"
    model_file.write_bytes(fake_model.data)

    resolved = _store(settings, fake_model).resolve(str(model_file))

    assert resolved.path == model_file.resolve()
    assert resolved.format == "gguf"
    assert resolved.name == "my-model"
    assert resolved.spec is None


def test_the_model_setting_may_be_a_path(
    tmp_path: Path, settings: Settings, fake_model: FakeModel
) -> None:
    model_file = tmp_path / "weights.bin"  # any name, as long as it is a GGUF file
    model_file.write_bytes(fake_model.data)
    store = _store(settings.model_copy(update={"model": str(model_file)}), fake_model)

    assert store.resolve().path == model_file.resolve()
    assert store.path() == model_file.resolve()
    assert store.pull() == model_file.resolve()


def test_a_transformers_folder_is_used_as_is(
    tmp_path: Path, settings: Settings, fake_model: FakeModel
) -> None:
    folder = tmp_path / "Qwen2.5-0.5B-Instruct"
    folder.mkdir()
    (folder / "config.json").write_text(json.dumps({"model_type": "qwen2"}))

    resolved = _store(settings, fake_model).resolve(str(folder))

    assert resolved.format == "transformers"
    assert resolved.path == folder.resolve()
    assert resolved.name == "Qwen2.5-0.5B-Instruct"


def test_a_folder_without_config_is_refused(tmp_path: Path) -> None:
    with pytest.raises(InvalidModelPathError, match=r"no config\.json"):
        resolve_local(str(tmp_path), must_exist=True)


def test_a_file_that_is_not_gguf_is_refused(tmp_path: Path) -> None:
    not_gguf = tmp_path / "model.gguf"
    not_gguf.write_bytes(b"<html>404 not found</html>")
    with pytest.raises(InvalidModelPathError, match="not a GGUF file"):
        resolve_local(str(not_gguf), must_exist=True)


def test_a_missing_path_is_an_error_not_a_download(
    tmp_path: Path, settings: Settings, fake_model: FakeModel
) -> None:
    with pytest.raises(InvalidModelPathError, match="no such file"):
        _store(settings, fake_model).resolve(str(tmp_path / "nowhere.gguf"))


def test_a_registry_file_name_is_not_mistaken_for_a_missing_path(
    settings: Settings, fake_model: FakeModel
) -> None:
    # "tiny-test-model.gguf" looks like a path but names a registry model: not cached here.
    assert _store(settings, fake_model).path(fake_model.spec.filename) is None


@pytest.mark.parametrize(
    ("ref", "is_path"),
    [
        ("qwen2.5-coder-0.5b-instruct-q4_k_m", False),
        ("models/x.gguf", True),
        ("~/x", True),
        ("./x", True),
        ("x.GGUF", True),
    ],
)
def test_what_looks_like_a_path(ref: str, is_path: bool) -> None:
    assert looks_like_path(ref) is is_path
