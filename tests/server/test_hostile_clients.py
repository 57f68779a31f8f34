"""Attacks run against real servers, each shown blocked.

Other sites' pages (DNS rebinding, cross-site posts and sockets), hostile audio uploads,
made-up methods and paths growing /metrics, and an events socket outliving its key.
"""

from __future__ import annotations

import asyncio
import io
import json
import socket
import struct
import threading
import time
import wave
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any
from urllib.parse import urlsplit

import httpx
import numpy as np
import pytest
import websockets

from server.server_kit import LiveServer
from tongxue.server.audio import serving as audio_serving
from tongxue.server.middleware import normalize_origin, parse_origins, split_host
from tongxue.server.security.keys import KeyStore
from tongxue.voice.audio import Audio

UNLOCK = {"seat": "driver", "actions": [{"name": "set_door_lock", "arguments": {"locked": False}}]}
OPEN_WINDOW = {"seat": "driver", "actions": [{"name": "set_window", "arguments": {"position": 50}}]}
ATTACKER = "http://attacker.example"
PHONE_APP = "http://phone.example:3000"


@pytest.fixture(scope="module")
def car(make_server: Any) -> Iterator[LiveServer]:
    """No keys (loopback only), rules only: what `tongxue serve` starts by default."""
    with make_server(allowed_origins=PHONE_APP) as live:
        yield live


@pytest.fixture(autouse=True)
def parked(car: LiveServer) -> None:
    car.reset_car()


def _port(live: LiveServer) -> int:
    port = urlsplit(live.url).port
    assert port is not None
    return port


def _error(response: httpx.Response) -> dict[str, Any]:
    body = response.json()
    assert set(body) == {"error"}, body
    error: dict[str, Any] = body["error"]
    return error


def _handshake(live: LiveServer, headers: dict[str, str]) -> int:
    """The HTTP status answering a WebSocket handshake to the events socket, raw."""
    with socket.create_connection(("127.0.0.1", _port(live)), timeout=10) as sock:
        lines = [
            "GET /v1/vehicle/events HTTP/1.1",
            *(f"{name}: {value}" for name, value in headers.items()),
            "Upgrade: websocket",
            "Connection: Upgrade",
            "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==",
            "Sec-WebSocket-Version: 13",
            "",
            "",
        ]
        sock.sendall("\r\n".join(lines).encode())
        status_line = sock.makefile("rb").readline()
    return int(status_line.split()[1])


# --- DNS rebinding: keyless mode answers only loopback names ------------------------------


@pytest.mark.parametrize(
    "host", ["attacker.example", "attacker.example:8080", "127.0.0.1.nip.io", "localhost.evil"]
)
def test_keyless_server_refuses_a_foreign_host_name(car: LiveServer, host: str) -> None:
    with car.client() as http:
        unlock = http.post("/v1/vehicle/actions", json=UNLOCK, headers={"Host": host})
        state = http.get("/v1/vehicle/state", headers={"Host": host})
    for response in (unlock, state):
        assert response.status_code == 403
        assert _error(response)["code"] == "host_not_allowed"
        assert _error(response)["type"] == "permission_error"
    assert car.context.vehicle.get("doors.locked") is True
    assert _handshake(car, {"Host": host}) == 403


def test_keyless_server_answers_every_loopback_name(car: LiveServer) -> None:
    port = _port(car)
    with car.client() as http:
        for host in (f"localhost:{port}", f"127.0.0.1:{port}", f"[::1]:{port}", "127.0.0.2"):
            assert http.get("/v1/vehicle/state", headers={"Host": host}).status_code == 200
    assert _handshake(car, {"Host": f"localhost:{port}"}) == 101


def test_host_and_origin_parsing() -> None:
    assert split_host("[::1]:8080") == ("::1", 8080)
    assert split_host("LocalHost") == ("localhost", None)
    for bad in (None, "", "attacker.example@localhost", "localhost/x", "localhost:port"):
        assert split_host(bad) is None
    assert normalize_origin("HTTP://Phone.Example:80/") == "http://phone.example"
    assert normalize_origin("https://[::1]:8443") == "https://[::1]:8443"
    assert normalize_origin("null") is None
    assert parse_origins(" https://a.example , ,http://b.example:81") == {
        "https://a.example",
        "http://b.example:81",
    }
    with pytest.raises(ValueError, match="not a web origin"):
        parse_origins("phone.example")


# --- cross-site requests: only the server's own pages (and allowed origins) -------------


@pytest.mark.parametrize(
    "headers",
    [
        {"Origin": ATTACKER},
        {"Origin": "null"},  # sandboxed frames, local files
        {"Origin": "http://127.0.0.1:1"},  # another web app on this machine
        {"Origin": "http://localhost"},
        {"Sec-Fetch-Site": "cross-site"},
    ],
)
def test_keyless_server_refuses_changes_from_other_origins(
    car: LiveServer, headers: dict[str, str]
) -> None:
    with car.client() as http:
        assert http.post("/v1/vehicle/actions", json=OPEN_WINDOW).status_code == 200
        unlock = http.post("/v1/vehicle/actions", json=UNLOCK, headers=headers)
        reset = http.post("/v1/vehicle/reset", headers=headers)
    for response in (unlock, reset):
        assert response.status_code == 403
        assert _error(response)["code"] == "cross_origin_request"
    assert car.context.vehicle.get("doors.locked") is True
    assert car.context.vehicle.get("windows.driver") == 50  # the reset did not happen
    assert _handshake(car, {"Host": f"127.0.0.1:{_port(car)}", **headers}) == 403


def test_the_servers_own_pages_and_plain_clients_still_work(car: LiveServer) -> None:
    own = {"Origin": car.url, "Sec-Fetch-Site": "same-origin"}
    with car.client() as http:
        assert http.post("/v1/vehicle/actions", json=OPEN_WINDOW, headers=own).status_code == 200
        assert http.post("/v1/vehicle/reset").status_code == 200  # no Origin: curl, SDKs
        # Reading stays open to any page: the browser keeps the answer from it (no CORS).
        assert http.get("/v1/vehicle/state", headers={"Origin": ATTACKER}).status_code == 200
    assert _handshake(car, {"Host": f"127.0.0.1:{_port(car)}", "Origin": car.url}) == 101


async def test_the_events_socket_refuses_other_origins(car: LiveServer) -> None:
    with pytest.raises(websockets.InvalidStatus) as refused:
        async with websockets.connect(car.ws_url, origin=ATTACKER, open_timeout=10):
            pass
    assert refused.value.response.status_code == 403
    async with websockets.connect(
        car.ws_url,
        origin=car.url,
        open_timeout=10,
    ) as socket_:
        assert json.loads(await asyncio.wait_for(socket_.recv(), 10))["type"] == "snapshot"


def test_an_allowed_origin_may_call_and_read_the_answers(car: LiveServer) -> None:
    with car.client() as http:
        preflight = http.options(
            "/v1/vehicle/actions",
            headers={
                "Origin": PHONE_APP,
                "Access-Control-Request-Method": "POST",
                "Access-Control-Request-Headers": "authorization, content-type",
            },
        )
        posted = http.post("/v1/vehicle/actions", json=OPEN_WINDOW, headers={"Origin": PHONE_APP})
    assert preflight.status_code == 200
    assert preflight.headers["access-control-allow-origin"] == PHONE_APP
    assert posted.status_code == 200
    assert posted.headers["access-control-allow-origin"] == PHONE_APP
    assert _handshake(car, {"Host": f"127.0.0.1:{_port(car)}", "Origin": PHONE_APP}) == 101


async def test_a_key_does_not_let_a_page_elsewhere_drive_the_car(keyed_server: LiveServer) -> None:
    headers = {**keyed_server.auth("car"), "Origin": ATTACKER}
    with keyed_server.client() as http:
        refused = http.post("/v1/vehicle/actions", json=UNLOCK, headers=headers)
        own = http.post(
            "/v1/vehicle/actions",
            json=OPEN_WINDOW,
            headers={**keyed_server.auth("car"), "Origin": keyed_server.url},
        )
    assert refused.status_code == 403 and _error(refused)["code"] == "cross_origin_request"
    assert own.status_code == 200
    assert keyed_server.context.vehicle.get("doors.locked") is True
    protocols = ["tongxue.v1", f"tongxue.key.{keyed_server.keys['car']}"]
    with pytest.raises(websockets.InvalidStatus) as handshake:
        async with websockets.connect(
            keyed_server.ws_url,
            origin=ATTACKER,
            subprotocols=protocols,
            open_timeout=10,
        ):
            pass
    assert handshake.value.response.status_code == 403
    keyed_server.reset_car()


# --- hostile audio ----------------------------------------------------------------------


def _pcm_wav(rate: int, frames: int) -> bytes:
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as handle:
        handle.setnchannels(1)
        handle.setsampwidth(2)
        handle.setframerate(rate)
        handle.writeframes(bytes(2 * frames))
    return buffer.getvalue()


def _float_wav(rate: int, frames: int) -> bytes:
    """IEEE-float WAV: the standard library cannot read it, so it goes through FFmpeg."""
    data = np.zeros(frames, dtype="<f4").tobytes()
    fmt = struct.pack("<HHIIHH", 3, 1, rate, rate * 4, 4, 32)
    body = b"WAVEfmt " + struct.pack("<I", len(fmt)) + fmt + b"data"
    body += struct.pack("<I", len(data)) + data
    return b"RIFF" + struct.pack("<I", len(body)) + body


def _transcribe(live: LiveServer, data: bytes, timeout: float = 120) -> httpx.Response:
    with live.client(timeout=timeout) as http:
        return http.post(
            "/v1/audio/transcriptions",
            files={"file": ("x.wav", data)},
            data={"model": "whisper-1"},
        )


@pytest.mark.parametrize(
    "data",
    [
        _pcm_wav(84, 200_000),  # 400 KB claiming 84 Hz: 40 minutes to resample
        _pcm_wav(96_000, 1000),
        _float_wav(84, 50_000),
    ],
    ids=["84-hz", "96-khz", "84-hz-float"],
)
def test_audio_at_an_absurd_sample_rate_is_refused(car: LiveServer, data: bytes) -> None:
    response = _transcribe(car, data)
    assert response.status_code == 400, response.text
    error = _error(response)
    assert error["code"] == "unsupported_sample_rate" and error["param"] == "file"
    assert "8000 to 48000 Hz" in error["message"]


@pytest.mark.parametrize("kind", ["wav", "mp3"])
def test_audio_longer_than_the_limit_is_refused(car: LiveServer, kind: str) -> None:
    seconds = car.context.settings.max_audio_seconds + 5
    if kind == "wav":
        data = _pcm_wav(8000, round(seconds * 8000))
    else:
        # Compressed (through FFmpeg): decoding stops at the limit.
        data = audio_serving.encode(Audio.silence(seconds), "mp3")
    assert len(data) < car.context.settings.max_request_bytes
    response = _transcribe(car, data)
    assert response.status_code == 413, response.text
    assert _error(response)["code"] == "audio_too_long"
    assert "30 s" in _error(response)["message"]


def test_decoding_runs_in_a_worker_thread_while_the_server_keeps_answering(
    car: LiveServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    started, release = threading.Event(), threading.Event()
    decoding_threads: list[threading.Thread] = []
    real_decode = audio_serving.decode_audio

    def held_decode(data: bytes, *, max_seconds: float | None = None) -> Audio:
        decoding_threads.append(threading.current_thread())
        started.set()
        release.wait(60)  # until the test has been answered elsewhere
        return real_decode(data, max_seconds=max_seconds)

    monkeypatch.setattr(audio_serving, "decode_audio", held_decode)
    big = _pcm_wav(16_000, 29 * 16_000)  # 29 s, 928 KB: the largest a client may send
    with ThreadPoolExecutor(1) as pool:
        upload = pool.submit(_transcribe, car, big)
        try:
            assert started.wait(30), "the upload never reached the decoder"
            with car.client(timeout=30) as http:
                health = http.get("/healthz")
            # Answered while the decode is still held: it is not on the event loop.
            assert health.status_code == 200
            assert not upload.done()
        finally:
            release.set()
        response = upload.result(timeout=180)
    assert response.status_code == 200, response.text
    assert response.json() == {"text": ""}
    loop_thread = next(t for t in threading.enumerate() if t.name == f"uvicorn-{_port(car)}")
    assert decoding_threads and decoding_threads[0] is not loop_thread


# --- /metrics cannot be blown up --------------------------------------------------------


def _made_up_requests(live: LiveServer, start: int, count: int) -> None:
    with live.client() as http:
        for i in range(start, start + count):
            method = f"M{i:04d}" + "X" * 300
            for path in ("/v1/vehicle/actions", f"/made-up/{i}/" + "p" * 300):
                response = http.request(method, path)
                assert response.status_code in (404, 405), response.text


def test_made_up_methods_and_paths_do_not_grow_the_metrics(car: LiveServer) -> None:
    _made_up_requests(car, 0, 2)  # the folded series exist from here on
    with car.client() as http:
        before = http.get("/metrics").text
        _made_up_requests(car, 2, 40)
        after = http.get("/metrics").text
    # Only the counts and sums grow by a few digits; no new series.
    assert len(after) - len(before) < 4096
    assert 'method="other"' in after
    assert "XXXX" not in after and "/made-up/" not in after


# --- revoked keys -----------------------------------------------------------------------


async def test_revoking_a_key_closes_the_events_socket_it_opened(
    keyed_server: LiveServer,
) -> None:
    store = KeyStore(keyed_server.context.keys.path)  # what `tongxue keys` works on
    key, record = store.add("phone", "dave", label="dave's phone")
    deadline = time.monotonic() + 10
    async with httpx.AsyncClient(base_url=keyed_server.url) as http:
        me = {"Authorization": f"Bearer {key}"}
        while (await http.get("/v1/me", headers=me)).status_code != 200:
            assert time.monotonic() < deadline, "the server never saw the new key"
            await asyncio.sleep(0.1)
    protocols = ["tongxue.v1", f"tongxue.key.{key}"]
    async with (
        websockets.connect(keyed_server.ws_url, subprotocols=protocols, open_timeout=10) as dave,
        websockets.connect(
            keyed_server.ws_url, additional_headers=keyed_server.auth("car"), open_timeout=10
        ) as car_socket,
    ):
        assert json.loads(await asyncio.wait_for(dave.recv(), 10))["type"] == "snapshot"
        assert json.loads(await asyncio.wait_for(car_socket.recv(), 10))["type"] == "snapshot"
        assert store.revoke(record.id)
        with pytest.raises(websockets.ConnectionClosed) as closed:
            while True:
                await asyncio.wait_for(dave.recv(), 15)
        assert closed.value.rcvd is not None and closed.value.rcvd.code == 1008
        assert "revoked" in closed.value.rcvd.reason
        # Only that key's socket: the car's still hears changes.
        with keyed_server.client("car") as http:
            assert http.post("/v1/vehicle/actions", json=OPEN_WINDOW).status_code == 200
        event = json.loads(await asyncio.wait_for(car_socket.recv(), 10))
        assert event["type"] == "changes"
    keyed_server.reset_car()
