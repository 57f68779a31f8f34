"""`tongxue models ...` through the real command line app."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from models.model_kit import FakeModel, HubServer
from tongxue.cli.main import app
from tongxue.config import DEFAULT_MODEL
from tongxue.models import registry


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture
def cache_dir(tmp_path: Path) -> Path:
    return tmp_path / "cache"


@pytest.fixture
def with_fake_model(
    fake_model: FakeModel, hub_server: HubServer, monkeypatch: pytest.MonkeyPatch
) -> FakeModel:
    """The fake model in the registry, served by the local hub that HF_ENDPOINT points at."""
    monkeypatch.setitem(registry.REGISTRY, fake_model.spec.name, fake_model.spec)
    monkeypatch.setenv("HF_ENDPOINT", hub_server.url)
    hub_server.files[fake_model.hub_path] = fake_model.data
    return fake_model


def test_list_shows_the_registry_and_the_cache_state(runner: CliRunner, cache_dir: Path) -> None:
    result = runner.invoke(app, ["--cache-dir", str(cache_dir), "models", "list"])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    default_line = next(line for line in lines if DEFAULT_MODEL in line)
    assert default_line.startswith("*")
    assert "468.6 MiB" in default_line and "missing" in default_line
    assert str(cache_dir / "models" / f"{DEFAULT_MODEL}.gguf") in default_line
    assert any("qwen2.5-coder-1.5b-instruct-q4_k_m" in line for line in lines)


def test_path_of_a_model_not_cached_fails_with_advice(runner: CliRunner, cache_dir: Path) -> None:
    result = runner.invoke(app, ["--cache-dir", str(cache_dir), "models", "path"])
    assert result.exit_code == 1
    assert f"tongxue models pull {DEFAULT_MODEL}" in result.stderr
    assert result.stdout == ""


def test_verify_of_a_model_not_cached_fails(runner: CliRunner, cache_dir: Path) -> None:
    result = runner.invoke(app, ["--cache-dir", str(cache_dir), "models", "verify"])
    assert result.exit_code == 1
    assert result.stdout.startswith("FAIL")


def test_path_of_an_explicit_file(
    runner: CliRunner, cache_dir: Path, tmp_path: Path, fake_model: FakeModel
) -> None:
    model_file = tmp_path / "mine.gguf"
    model_file.write_bytes(fake_model.data)
    result = runner.invoke(
        app, ["--cache-dir", str(cache_dir), "--model", str(model_file), "models", "path"]
    )
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == str(model_file.resolve())


def test_unknown_model_is_a_clear_error(runner: CliRunner, cache_dir: Path) -> None:
    result = runner.invoke(app, ["--cache-dir", str(cache_dir), "models", "pull", "gpt-17"])
    assert result.exit_code == 1
    assert "Unknown model 'gpt-17'" in result.stderr


def test_pull_verify_path_round_trip(
    runner: CliRunner, cache_dir: Path, with_fake_model: FakeModel
) -> None:
    name = with_fake_model.spec.name
    root = ["--cache-dir", str(cache_dir), "--no-use-pypi"]
    expected = cache_dir / "models" / with_fake_model.spec.filename

    pulled = runner.invoke(app, [*root, "models", "pull", name])
    assert pulled.exit_code == 0, pulled.output
    assert pulled.stdout.strip() == str(expected)

    verified = runner.invoke(app, [*root, "models", "verify", name])
    assert verified.exit_code == 0, verified.output
    assert verified.stdout.startswith("OK") and with_fake_model.spec.sha256 in verified.stdout

    located = runner.invoke(app, [*root, "models", "path", name])
    assert located.stdout.strip() == str(expected)

    data = expected.read_bytes()
    expected.write_bytes(data[:-1] + bytes([data[-1] ^ 0xFF]))  # same size, other bytes
    broken = runner.invoke(app, [*root, "models", "verify", name])
    assert broken.exit_code == 1
    assert broken.stdout.startswith("FAIL") and "sha256 mismatch" in broken.stdout


def test_pull_with_every_source_off_explains_itself(
    runner: CliRunner, cache_dir: Path, with_fake_model: FakeModel
) -> None:
    result = runner.invoke(
        app,
        [
            "--cache-dir",
            str(cache_dir),
            "--no-use-hub",
            "--no-use-pypi",
            "models",
            "pull",
            with_fake_model.spec.name,
        ],
    )
    assert result.exit_code == 1
    assert "is not available" in result.stderr
    assert "huggingface hub: switched off" in result.stderr
    assert not (cache_dir / "models" / with_fake_model.spec.filename).exists()
