"""`/v1/voice/wake-words` on a real server: enroll a phrase from spoken samples, list, delete.

The samples are spoken by the assistant's own voices (tongxue.voice.synthetic); the store is
the real `WakeEnrollment` under the server's data folder, trimming them with the real VAD.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import httpx
import pytest

from server.conftest import KEYS, ServerFactory
from server.server_kit import LiveServer
from tongxue.config import Settings
from tongxue.models.bundles import PIPER_EN
from tongxue.models.store import ModelStore
from tongxue.server.audio.serving import encode
from tongxue.server.wake import serving
from tongxue.voice.audio import Audio, wav_bytes
from tongxue.voice.synthetic import VARIANTS_EN, VARIANTS_ZH, SyntheticSpeaker

URL = "/v1/voice/wake-words"
PHRASE = "你好小车"
# Far more than a wake phrase: over 3 s of speech.
RAMBLING = "你好小车，请帮我打开车窗，再把空调温度调到二十二度，谢谢"
DEFAULT_PHRASES = ["你好同学", "同学同学", "hey Tongxue"]

Upload = tuple[str, tuple[str, bytes, str]]


def _padded(audio: Audio) -> Audio:
    """A take as a person records it: a moment of silence before and after the phrase."""
    return Audio.concat([Audio.silence(0.3), audio, Audio.silence(0.4)])


@pytest.fixture(scope="module")
def speaker(tmp_path_factory: pytest.TempPathFactory) -> SyntheticSpeaker:
    piper = ModelStore(Settings()).resolve_bundle(PIPER_EN)
    return SyntheticSpeaker(piper, cache_dir=tmp_path_factory.mktemp("voices"))


@pytest.fixture(scope="module")
def takes(speaker: SyntheticSpeaker) -> list[Audio]:
    """Five takes of PHRASE, each in another voice."""
    return [_padded(speaker.speak(variant, PHRASE)) for variant in VARIANTS_ZH[:5]]


@pytest.fixture(scope="module")
def server(make_server: ServerFactory) -> Iterator[LiveServer]:
    """No keys (loopback only), no language model: the voice endpoints need none."""
    with make_server() as live:
        yield live


@pytest.fixture
def client(server: LiveServer) -> Iterator[httpx.Client]:
    with server.client(timeout=120) as http:
        yield http
        # Each test starts from an empty store.
        for entry in http.get(URL).json()["enrolled"]:
            http.delete(f"{URL}/{quote(entry['phrase'])}")


def _wavs(clips: list[Audio]) -> list[Upload]:
    return [("samples", (f"take-{i}.wav", wav_bytes(c), "audio/wav")) for i, c in enumerate(clips)]


def _enroll(http: httpx.Client, phrase: str, samples: list[Upload]) -> httpx.Response:
    return http.post(URL, data={"phrase": phrase}, files=samples)


def _enrolled(http: httpx.Client) -> list[dict[str, object]]:
    response = http.get(URL)
    assert response.status_code == 200, response.text
    enrolled: list[dict[str, object]] = response.json()["enrolled"]
    return enrolled


def _stored_files(server: LiveServer) -> list[Path]:
    wake_dir = server.context.settings.data_dir / "wake"
    return sorted(p for p in wake_dir.rglob("*") if p.is_file()) if wake_dir.exists() else []


def test_enroll_list_replace_and_delete(
    client: httpx.Client, server: LiveServer, takes: list[Audio]
) -> None:
    listed = client.get(URL).json()
    assert listed["object"] == "list" and listed["configured"] == DEFAULT_PHRASES
    assert listed["detector"] == server.context.settings.voice_wake_detector
    assert listed["enrolled"] == []

    created = _enroll(client, PHRASE, _wavs(takes[:3]))
    assert created.status_code == 201, created.text
    assert created.json() == {"object": "wake_word", "phrase": PHRASE, "samples": 3}
    assert _enrolled(client) == [{"object": "wake_word", "phrase": PHRASE, "samples": 3}]
    assert _stored_files(server), "nothing was written under data_dir/wake"

    # Enrolling the phrase again replaces the earlier takes rather than adding a second entry.
    again = _enroll(client, PHRASE, _wavs(takes[:5]))
    assert again.status_code == 201, again.text
    assert _enrolled(client) == [{"object": "wake_word", "phrase": PHRASE, "samples": 5}]

    deleted = client.delete(f"{URL}/{quote(PHRASE)}")
    assert deleted.status_code == 200, deleted.text
    assert deleted.json() == {"object": "wake_word.deleted", "phrase": PHRASE, "deleted": True}
    assert _enrolled(client) == []
    missing = client.delete(f"{URL}/{quote(PHRASE)}")
    assert missing.status_code == 404 and missing.json()["error"]["code"] == "not_found"


def test_what_a_browser_records_is_accepted(
    client: httpx.Client, speaker: SyntheticSpeaker
) -> None:
    """Ogg/Opus (what MediaRecorder makes) and 48 kHz WAV, besides the app's 16 kHz WAV."""
    clips = [_padded(speaker.speak(variant, "hey car")) for variant in VARIANTS_EN[:3]]
    samples: list[Upload] = [
        ("samples", ("take.ogg", encode(clips[0], "opus"), "audio/ogg")),
        ("samples", ("take.wav", wav_bytes(clips[1].resampled(48_000)), "audio/wav")),
        ("samples", ("take.wav", wav_bytes(clips[2]), "audio/wav")),
    ]
    created = _enroll(client, "  hey   car ", samples)
    assert created.status_code == 201, created.text
    assert created.json()["phrase"] == "hey car" and created.json()["samples"] == 3


def _error(response: httpx.Response, status: int) -> dict[str, object]:
    assert response.status_code == status, response.text
    error: dict[str, object] = response.json()["error"]
    assert set(error) == {"message", "type", "param", "code"} and error["message"]
    return error


@pytest.mark.parametrize("count", [2, 6])
def test_three_to_five_samples_are_needed(
    client: httpx.Client, server: LiveServer, takes: list[Audio], count: int
) -> None:
    clips = (takes * 2)[:count]
    before = _stored_files(server)
    error = _error(_enroll(client, PHRASE, _wavs(clips)), 422)
    assert error["code"] == "wrong_sample_count" and error["param"] == "samples"
    assert _enrolled(client) == [] and _stored_files(server) == before


@pytest.mark.parametrize("phrase", ["", "   ", ",", "你好,小车", "x" * 41])
def test_the_phrase_must_be_a_phrase(client: httpx.Client, takes: list[Audio], phrase: str) -> None:
    error = _error(_enroll(client, phrase, _wavs(takes[:3])), 422)
    assert error["code"] == "invalid_phrase" and error["param"] == "phrase"
    assert _enrolled(client) == []


def test_no_samples_at_all_is_an_error(client: httpx.Client) -> None:
    error = _error(client.post(URL, data={"phrase": PHRASE}), 422)
    assert error["param"] == "samples"


def test_a_sample_that_is_not_audio_stores_nothing(
    client: httpx.Client, server: LiveServer, takes: list[Audio]
) -> None:
    samples = _wavs(takes[:3])
    samples[1] = ("samples", ("take.wav", b"RIFF but not really a recording", "audio/wav"))
    before = _stored_files(server)
    error = _error(_enroll(client, PHRASE, samples), 400)
    assert error["code"] == "invalid_audio" and error["param"] == "samples[1]"
    assert _enrolled(client) == [] and _stored_files(server) == before


def test_an_upload_too_large_or_too_long_is_refused(
    client: httpx.Client, server: LiveServer, takes: list[Audio]
) -> None:
    limit = server.context.settings.max_request_bytes
    before = _stored_files(server)
    huge = [("samples", (f"{i}.wav", b"\0" * (limit // 2), "audio/wav")) for i in range(3)]
    assert _error(_enroll(client, PHRASE, huge), 413)["code"] == "request_too_large"
    # Within the body limit but longer than any take (8 kHz keeps 12 s small).
    long_take = Audio.silence(serving.MAX_SAMPLE_SECONDS + 2, rate=8000)
    samples = _wavs([*takes[:2], long_take])
    error = _error(_enroll(client, PHRASE, samples), 413)
    assert error["code"] == "audio_too_long" and error["param"] == "samples[2]"
    assert _enrolled(client) == [] and _stored_files(server) == before


def test_silent_or_rambling_takes_are_rejected(
    client: httpx.Client, server: LiveServer, speaker: SyntheticSpeaker, takes: list[Audio]
) -> None:
    before = _stored_files(server)
    silent = _wavs([Audio.silence(1.5)] * 3)
    error = _error(_enroll(client, PHRASE, silent), 422)
    assert error["code"] == "enrollment_rejected" and error["param"] == "samples"
    rambling = speaker.speak(VARIANTS_ZH[0], RAMBLING)
    assert rambling.duration > 3.5
    error = _error(_enroll(client, PHRASE, _wavs([*takes[:2], _padded(rambling)])), 422)
    assert error["code"] == "enrollment_rejected"
    assert _enrolled(client) == [] and _stored_files(server) == before


def test_configured_phrases_are_not_deleted_here(client: httpx.Client) -> None:
    error = _error(client.delete(f"{URL}/{quote('你好同学')}"), 409)
    assert error["code"] == "configured_phrase"
    assert client.get(URL).json()["configured"] == DEFAULT_PHRASES


def test_the_store_holds_a_bounded_number_of_phrases(
    client: httpx.Client, takes: list[Audio], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(serving, "MAX_ENROLLED", 1)
    assert _enroll(client, PHRASE, _wavs(takes[:3])).status_code == 201
    error = _error(_enroll(client, "你好大车", _wavs(takes[:3])), 409)
    assert error["code"] == "too_many_wake_words"
    # The phrase already there may still be enrolled again.
    assert _enroll(client, PHRASE, _wavs(takes[1:4])).status_code == 201


@pytest.fixture(scope="module")
def keyed(make_server: ServerFactory) -> Iterator[LiveServer]:
    with make_server(keys=KEYS) as live:
        yield live


def test_every_call_needs_a_key(keyed: LiveServer, takes: list[Audio]) -> None:
    with keyed.client(timeout=120) as anonymous:
        for response in (
            anonymous.get(URL),
            _enroll(anonymous, PHRASE, _wavs(takes[:3])),
            anonymous.delete(f"{URL}/{quote(PHRASE)}"),
        ):
            assert _error(response, 401)["code"] == "missing_api_key"
    with httpx.Client(base_url=keyed.url, headers={"Authorization": "Bearer tx-nope"}) as forged:
        assert _error(forged.get(URL), 401)["code"] == "invalid_api_key"
    assert _stored_files(keyed) == []  # no key ever reached the store


def test_the_cars_wake_words_are_shared_by_its_keys(keyed: LiveServer, takes: list[Audio]) -> None:
    """Like the other voice endpoints, any key may use them: the car has one set of phrases."""
    with keyed.client("car", timeout=120) as car, keyed.client("alice") as phone:
        assert _enroll(car, PHRASE, _wavs(takes[:3])).status_code == 201
        assert [e["phrase"] for e in _enrolled(phone)] == [PHRASE]
        assert phone.delete(f"{URL}/{quote(PHRASE)}").status_code == 200
        assert _enrolled(car) == []
