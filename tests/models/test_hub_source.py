"""The Hugging Face hub source, against a real local HTTP server speaking the hub's layout."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from models.model_kit import FakeModel, HubServer, hub_source
from tongxue.models.errors import SourceError
from tongxue.models.progress import Progress
from tongxue.models.sources.hub import DEFAULT_ENDPOINT, HubSource, endpoint_from_env, probe


def test_probe_accepts_any_http_answer(hub_server: HubServer) -> None:
    assert probe(hub_server.url, timeout=2.0) is None
    assert ("HEAD", "/") in hub_server.requests


def test_probe_fails_fast_when_refused(closed_port_url: str) -> None:
    started = time.monotonic()
    problem = probe(closed_port_url, timeout=5.0)
    assert problem is not None and problem.startswith("unreachable")
    assert time.monotonic() - started < 2.0


def test_probe_gives_up_at_the_deadline_when_nothing_answers(silent_server_url: str) -> None:
    started = time.monotonic()
    problem = probe(silent_server_url, timeout=0.4)
    elapsed = time.monotonic() - started
    assert problem is not None
    assert "0.4s" in problem or "Timeout" in problem
    assert 0.3 < elapsed < 1.5


def test_endpoint_comes_from_hf_endpoint(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HF_ENDPOINT", "http://mirror.example:8080/")
    assert endpoint_from_env() == "http://mirror.example:8080"
    assert HubSource(timeout=1.0).endpoint == "http://mirror.example:8080"
    monkeypatch.delenv("HF_ENDPOINT")
    assert endpoint_from_env() == DEFAULT_ENDPOINT


def test_downloads_the_file_with_huggingface_hub(
    hub_server: HubServer, fake_model: FakeModel, tmp_path: Path, quiet: Progress
) -> None:
    hub_server.files[fake_model.hub_path] = fake_model.data
    dest = tmp_path / "download.partial"

    hub_source(hub_server.url).fetch(fake_model.spec, dest, quiet)

    assert dest.read_bytes() == fake_model.data
    assert ("GET", fake_model.hub_path) in hub_server.requests
    # The download folder is cleaned up once the file has moved out of it.
    assert sorted(p.name for p in tmp_path.iterdir()) == ["download.partial"]


def test_missing_file_on_the_hub_is_a_source_error(
    hub_server: HubServer, fake_model: FakeModel, tmp_path: Path, quiet: Progress
) -> None:
    with pytest.raises(SourceError, match="download failed"):
        hub_source(hub_server.url).fetch(fake_model.spec, tmp_path / "x.partial", quiet)
    assert not (tmp_path / "x.partial").exists()


def test_a_silent_hub_is_given_up_at_the_deadline(
    silent_server_url: str, fake_model: FakeModel, tmp_path: Path, quiet: Progress
) -> None:
    started = time.monotonic()
    with pytest.raises(SourceError, match=r"no answer within 0\.3s|Timeout"):
        hub_source(silent_server_url, timeout=0.3).fetch(
            fake_model.spec, tmp_path / "x.partial", quiet
        )
    assert time.monotonic() - started < 1.5


def test_offline_mode_skips_the_hub(
    monkeypatch: pytest.MonkeyPatch,
    hub_server: HubServer,
    fake_model: FakeModel,
    tmp_path: Path,
    quiet: Progress,
) -> None:
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    hub_server.files[fake_model.hub_path] = fake_model.data
    with pytest.raises(SourceError, match="HF_HUB_OFFLINE"):
        hub_source(hub_server.url).fetch(fake_model.spec, tmp_path / "x.partial", quiet)
    assert hub_server.requests == []


def test_a_model_without_hub_location_is_refused(
    hub_server: HubServer, fake_model: FakeModel, tmp_path: Path, quiet: Progress
) -> None:
    spec = fake_model.spec.model_copy(update={"hub": None})
    with pytest.raises(SourceError, match="no hub repository"):
        hub_source(hub_server.url).fetch(spec, tmp_path / "x.partial", quiet)
    assert hub_server.requests == []
