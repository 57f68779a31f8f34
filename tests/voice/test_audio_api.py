"""The OpenAI-compatible audio endpoints on a real server (uvicorn on 127.0.0.1)."""

from __future__ import annotations

import struct
from collections.abc import Iterator

import httpx
import numpy as np
import pytest

from server.server_kit import LiveServer, serve, server_settings
from tongxue.server.app import build_context
from tongxue.voice.audio import Audio, decode_audio, read_wav, wav_bytes
from voice.voice_kit import Say, padded


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    settings = server_settings(tmp_path_factory.mktemp("audio-server"))
    with serve(build_context(settings, engine=None)) as live:
        yield live


@pytest.fixture(scope="module")
def client(server: LiveServer) -> Iterator[httpx.Client]:
    with server.client(timeout=120) as client:
        yield client


def _upload(
    client: httpx.Client, data: bytes, name: str = "speech.wav", **form: str
) -> httpx.Response:
    fields = {"model": "whisper-1", **form}
    return client.post("/v1/audio/transcriptions", files={"file": (name, data)}, data=fields)


def test_a_chinese_recording_is_transcribed(client: httpx.Client, say: Say) -> None:
    response = _upload(client, wav_bytes(padded(say("打开车窗"))))
    assert response.status_code == 200, response.text
    assert response.json()["text"].rstrip("。") == "打开车窗"


def test_verbose_json_names_the_language_and_the_alternatives(
    client: httpx.Client, say: Say
) -> None:
    response = _upload(
        client, wav_bytes(padded(say("Open the window"))), response_format="verbose_json"
    )
    body = response.json()
    assert body["task"] == "transcribe" and body["language"] == "english"
    assert body["text"].rstrip(".") == "Open the window"
    assert body["duration"] == pytest.approx(padded(say("Open the window")).duration, abs=0.05)
    assert body["alternatives"][0]["text"] == body["text"]


def test_plain_text_and_a_forced_language(client: httpx.Client, say: Say) -> None:
    response = _upload(
        client, wav_bytes(padded(say("打开座椅加热"))), response_format="text", language="zh"
    )
    assert response.headers["content-type"].startswith("text/plain")
    assert response.text.rstrip("。") == "打开座椅加热"


def test_other_formats_are_accepted(client: httpx.Client, say: Say) -> None:
    speech = padded(say("Turn on the seat heating")).resampled(22050)
    data = speech.samples.astype("<f4").tobytes()
    fmt = struct.pack("<HHIIHH", 3, 1, 22050, 22050 * 4, 4, 32)
    body = b"WAVEfmt " + struct.pack("<I", len(fmt)) + fmt + b"data"
    body += struct.pack("<I", len(data)) + data
    response = _upload(client, b"RIFF" + struct.pack("<I", len(body)) + body, "float.wav")
    assert response.json()["text"].rstrip(".") == "Turn on the seat heating"


def test_silence_is_no_words_and_garbage_is_an_error(client: httpx.Client) -> None:
    assert _upload(client, wav_bytes(Audio.silence(2.0))).json() == {"text": ""}
    bad = _upload(client, b"not audio", "x.wav")
    assert bad.status_code == 400 and bad.json()["error"]["code"] == "invalid_audio"
    french = _upload(client, wav_bytes(Audio.silence(1.0)), language="fr")
    assert french.status_code == 400 and french.json()["error"]["param"] == "language"


@pytest.mark.parametrize("text", ["Opening the rear right window.", "好的，右后车窗已打开。"])
def test_speech_comes_back_as_wav(client: httpx.Client, text: str) -> None:
    response = client.post(
        "/v1/audio/speech", json={"model": "tts-1", "input": text, "response_format": "wav"}
    )
    assert response.status_code == 200 and response.headers["content-type"] == "audio/wav"
    audio = read_wav(response.content)
    assert audio.rate == 22050 and 1.0 < audio.duration < 6.0
    assert float(np.sqrt(np.mean(audio.samples**2))) > 0.02


def test_speech_formats_and_speed(client: httpx.Client) -> None:
    said = {"model": "tts-1", "input": "Opening the window.", "voice": "alloy"}
    mp3 = client.post("/v1/audio/speech", json=said)  # OpenAI's default format is mp3
    assert mp3.headers["content-type"] == "audio/mpeg"
    normal = decode_audio(mp3.content).duration
    pcm = client.post("/v1/audio/speech", json={**said, "response_format": "pcm"})
    assert pcm.headers["content-type"] == "audio/pcm"
    # Piper varies its timing a little from one reading to the next.
    assert len(pcm.content) / 2 / 24_000 == pytest.approx(normal, rel=0.2)
    fast = client.post("/v1/audio/speech", json={**said, "response_format": "wav", "speed": 2.0})
    assert read_wav(fast.content).duration < 0.75 * normal
    empty = client.post("/v1/audio/speech", json={**said, "input": ""})
    assert empty.status_code == 422


def test_the_web_app_has_push_to_talk(client: httpx.Client, server: LiveServer) -> None:
    page = client.get("/").text
    assert '<script src="/static/voice.js" defer></script>' in page
    script = client.get("/static/voice.js").text
    assert "/v1/audio/transcriptions" in script and "/v1/audio/speech" in script
