"""Keys and roles, the phone's limits, the unlock confirmation, privacy, rate limits, binding."""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import openai
import pytest
import websockets
from typer.testing import CliRunner

from server.server_kit import LiveServer
from tongxue.cli.main import app as cli
from tongxue.server.security.binding import BindingError, check_binding, is_loopback
from tongxue.server.security.keys import KeyStore, verify_secret

UNLOCK = {"actions": [{"name": "set_door_lock", "arguments": {"locked": False}}]}


@pytest.fixture(autouse=True)
def parked_car(keyed_server: LiveServer) -> Iterator[None]:
    keyed_server.reset_car()
    yield


# --- authentication -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"Authorization": "Bearer tx-000000000000-nope"},
        {"Authorization": "Basic abc"},
        {"Authorization": "Bearer"},
    ],
)
def test_requests_without_a_valid_key_are_401(
    keyed_server: LiveServer, headers: dict[str, str]
) -> None:
    response = httpx.get(f"{keyed_server.v1}/vehicle/state", headers=headers)
    assert response.status_code == 401
    assert response.headers["www-authenticate"] == "Bearer"
    assert response.json()["error"]["type"] == "authentication_error"


def test_a_forged_secret_for_a_real_key_id_is_refused(keyed_server: LiveServer) -> None:
    real = keyed_server.keys["car"]
    forged = real[: real.rindex("-") + 1] + "A" * 43
    response = httpx.get(f"{keyed_server.v1}/me", headers={"Authorization": f"Bearer {forged}"})
    assert response.status_code == 401


def test_each_key_knows_its_role_and_user(keyed_server: LiveServer) -> None:
    for name, (role, user) in {"car": ("car", "family"), "alice": ("phone", "alice")}.items():
        with keyed_server.client(name) as http:
            me = http.get("/v1/me").json()
        assert (me["role"], me["user"], me["auth"]) == (role, user, "keys")


def test_the_openai_client_sends_its_key(keyed_server: LiveServer) -> None:
    # This server has no model: the key gets through, the request meets a 503.
    client = openai.OpenAI(
        base_url=keyed_server.v1, api_key=keyed_server.keys["car"], max_retries=0
    )
    assert client.models.list().data == []
    with pytest.raises(openai.AuthenticationError):
        openai.OpenAI(base_url=keyed_server.v1, api_key="wrong", max_retries=0).models.list()


def test_keys_are_stored_hashed(keyed_server: LiveServer) -> None:
    stored = keyed_server.context.keys.path.read_text()
    for key in keyed_server.keys.values():
        # "tx-<id>-<secret>": the secret is URL-safe base64 and may itself contain "-".
        secret = key.split("-", 2)[2]
        assert secret not in stored
    records = json.loads(stored)["keys"]
    assert all(r["hash"].startswith("hmac-sha256$") for r in records)
    assert oct(keyed_server.context.keys.path.stat().st_mode & 0o777) == "0o600"


def test_healthz_is_open_and_metrics_need_an_admin(keyed_server: LiveServer) -> None:
    assert httpx.get(f"{keyed_server.url}/healthz").json()["auth"] == "keys"
    assert httpx.get(f"{keyed_server.url}/metrics").status_code == 401
    with keyed_server.client("car") as http:
        assert http.get("/metrics").status_code == 403
    with keyed_server.client("admin") as http:
        assert "tongxue_http_requests_total" in http.get("/metrics").text


# --- the phone ----------------------------------------------------------------------------


def test_the_phone_cannot_use_driving_controls(keyed_server: LiveServer) -> None:
    body = {"actions": [{"name": "set_headlights", "arguments": {"mode": "high"}}]}
    with keyed_server.client("alice") as http:
        result = http.post("/v1/vehicle/actions", json=body).json()["results"][0]
    assert (result["status"], result["reason_code"]) == ("refused", "not_in_seat")
    with keyed_server.client("car") as http:
        result = http.post("/v1/vehicle/actions", json=body).json()["results"][0]
    assert result["status"] == "done"


def test_a_phone_unlock_waits_for_its_confirmation(keyed_server: LiveServer) -> None:
    vehicle = keyed_server.context.vehicle
    with keyed_server.client("alice") as alice:
        held = alice.post("/v1/vehicle/actions", json=UNLOCK)
        assert held.status_code == 202
        pending = held.json()
        assert pending["object"] == "vehicle.confirmation" and pending["status"] == "pending"
        assert pending["expires_at"] > time.time()
        assert vehicle.get("doors.locked") is True, "nothing happens before the confirmation"
        # Another key, even of the same user, cannot confirm it.
        with keyed_server.client("alice2") as other:
            assert other.post(pending["confirm_url"]).status_code == 404
        confirmed = alice.post(pending["confirm_url"])
        assert confirmed.status_code == 200
        assert confirmed.json()["changes"] == [{"path": "doors.locked", "old": True, "new": False}]
        assert vehicle.get("doors.locked") is False
        # Single use.
        assert alice.post(pending["confirm_url"]).status_code == 404


def test_a_confirmed_unlock_still_meets_the_policy(keyed_server: LiveServer) -> None:
    with keyed_server.client("alice") as alice:
        pending = alice.post("/v1/vehicle/actions", json=UNLOCK).json()
        keyed_server.context.vehicle.set_many({"drive.speed_kmh": 30, "drive.gear": "D"})
        result = alice.post(pending["confirm_url"]).json()["results"][0]
    assert (result["status"], result["reason_code"]) == ("refused", "moving")


def test_the_car_unlocks_without_confirmation(keyed_server: LiveServer) -> None:
    with keyed_server.client("car") as http:
        response = http.post("/v1/vehicle/actions", json=UNLOCK)
    assert response.status_code == 200
    assert keyed_server.context.vehicle.get("doors.locked") is False


def test_confirmations_expire(keyed_server: LiveServer) -> None:
    store = keyed_server.context.confirmations
    ttl = store.ttl_s
    store.ttl_s = 0.2
    try:
        with keyed_server.client("alice") as alice:
            pending = alice.post("/v1/vehicle/actions", json=UNLOCK).json()
            time.sleep(0.4)
            assert alice.post(pending["confirm_url"]).status_code == 404
    finally:
        store.ttl_s = ttl
    assert keyed_server.context.vehicle.get("doors.locked") is True


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("解锁车门", "confirmation_required"),
        ("unlock the doors", "confirmation_required"),
        ("打开远光灯", "not_in_seat"),
        ("turn on the front defrost", "not_in_seat"),
        ("雨刮开到最大", "not_in_seat"),
    ],
)
def test_no_chat_gets_past_the_phone_policy(
    keyed_server: LiveServer, text: str, reason: str
) -> None:
    """Whatever is said from the phone, the server judges the actions as remote ones."""
    before = keyed_server.context.vehicle.snapshot()
    with keyed_server.client("alice") as http:
        turn = http.post("/v1/assistant/turns", json={"text": text, "seat": "driver"}).json()
    assert turn["refused"] is True
    assert [a["reason_code"] for a in turn["actions"]] == [reason]
    assert keyed_server.context.vehicle.snapshot() == before


def test_the_phone_cannot_undo_what_the_car_did(keyed_server: LiveServer) -> None:
    with keyed_server.client("car") as car:
        car.post("/v1/assistant/turns", json={"text": "锁车"})
        car.post("/v1/assistant/turns", json={"text": "打开远光灯"})
    with keyed_server.client("alice") as alice:
        alice.post("/v1/assistant/turns", json={"text": "撤销"})
    assert keyed_server.context.vehicle.get("lights.headlights") == "high"


def test_the_phone_may_undo_its_own_turn(keyed_server: LiveServer) -> None:
    with keyed_server.client("alice") as alice:
        alice.post("/v1/assistant/turns", json={"text": "打开天窗"})
        assert keyed_server.context.vehicle.get("sunroof") == 100
        alice.post("/v1/assistant/turns", json={"text": "撤销"})
    assert keyed_server.context.vehicle.get("sunroof") == 0


# --- privacy ------------------------------------------------------------------------------


def test_a_key_sees_only_its_users_sessions(keyed_server: LiveServer) -> None:
    with keyed_server.client("alice") as alice, keyed_server.client("bob") as bob:
        session = alice.post("/v1/assistant/turns", json={"text": "打开车窗"}).json()["session_id"]
        # Alice's other phone is the same user: it sees the session.
        with keyed_server.client("alice2") as alice2:
            assert alice2.get(f"/v1/assistant/sessions/{session}").status_code == 200
        assert bob.get(f"/v1/assistant/sessions/{session}").status_code == 404
        assert bob.delete(f"/v1/assistant/sessions/{session}").status_code == 404
        turn = {"text": "关闭车窗", "session_id": session}
        assert bob.post("/v1/assistant/turns", json=turn).status_code == 404
        assert session not in [s["id"] for s in bob.get("/v1/assistant/sessions").json()["data"]]
        assert session in [s["id"] for s in alice.get("/v1/assistant/sessions").json()["data"]]
    with keyed_server.client("admin") as admin:
        assert session in [s["id"] for s in admin.get("/v1/assistant/sessions").json()["data"]]


def test_memories_belong_to_the_keys_user(keyed_server: LiveServer) -> None:
    with keyed_server.client("alice") as alice, keyed_server.client("bob") as bob:
        alice.post("/v1/assistant/turns", json={"text": "记住我喜欢22度"})
        mine = alice.get("/v1/memories").json()
        assert mine["user"] == "alice"
        assert [m["text"] for m in mine["data"]] == ["我喜欢22度"]
        assert bob.get("/v1/memories").json()["data"] == []
        assert bob.get("/v1/memories", params={"user": "alice"}).status_code == 403
        memory_id = mine["data"][0]["id"]
        assert bob.delete(f"/v1/memories/{memory_id}").status_code == 404
        with keyed_server.client("admin") as admin:
            seen = admin.get("/v1/memories", params={"user": "alice"}).json()["data"]
            assert [m["id"] for m in seen] == [memory_id]
        deleted = alice.delete(f"/v1/memories/{memory_id}")
        assert deleted.json() == {"id": memory_id, "object": "memory.deleted", "deleted": True}
        assert alice.get("/v1/memories").json()["data"] == []
        alice.post("/v1/assistant/turns", json={"text": "记住我喜欢22度"})
        assert alice.delete("/v1/memories").json()["deleted_count"] == 1


def test_only_admins_reset_or_simulate_the_car(keyed_server: LiveServer) -> None:
    for name in ("car", "alice"):
        with keyed_server.client(name) as http:
            assert http.post("/v1/vehicle/reset").status_code == 403
            body = {"values": {"drive.speed_kmh": 5}}
            assert http.post("/v1/vehicle/simulation", json=body).status_code == 403
    with keyed_server.client("admin") as admin:
        assert admin.post("/v1/vehicle/reset").status_code == 200


async def test_the_events_socket_needs_a_key(keyed_server: LiveServer) -> None:
    with pytest.raises(websockets.InvalidStatus) as refused:
        await websockets.connect(keyed_server.ws_url, open_timeout=10)
    assert refused.value.response.status_code == 403
    # Browsers offer the key as a subprotocol; other clients send the header.
    key = keyed_server.keys["alice"]
    async with websockets.connect(
        keyed_server.ws_url,
        subprotocols=["tongxue.v1", f"tongxue.key.{key}"],
        open_timeout=10,  # type: ignore[list-item]
    ) as socket:
        assert socket.subprotocol == "tongxue.v1"
        assert json.loads(await asyncio.wait_for(socket.recv(), 10))["type"] == "snapshot"
    async with websockets.connect(
        keyed_server.ws_url, additional_headers=keyed_server.auth("car"), open_timeout=10
    ) as socket:
        assert json.loads(await asyncio.wait_for(socket.recv(), 10))["type"] == "snapshot"


# --- keys on a running server, the CLI ----------------------------------------------------


def test_a_new_key_works_and_a_revoked_one_stops_within_seconds(keyed_server: LiveServer) -> None:
    store = KeyStore(keyed_server.context.keys.path)  # another process's view of the file
    key, record = store.add("phone", "carol")
    headers = {"Authorization": f"Bearer {key}"}
    deadline = time.monotonic() + 5
    while httpx.get(f"{keyed_server.v1}/me", headers=headers).status_code != 200:
        assert time.monotonic() < deadline, "the new key was never accepted"
        time.sleep(0.2)
    assert store.revoke(record.id)
    deadline = time.monotonic() + 5
    while httpx.get(f"{keyed_server.v1}/me", headers=headers).status_code != 401:
        assert time.monotonic() < deadline, "the revoked key kept working"
        time.sleep(0.2)


def test_keys_cli_adds_lists_and_revokes(tmp_path: Path) -> None:
    runner = CliRunner()
    keys_file = tmp_path / "keys.json"
    base = ["--api-keys-file", str(keys_file), "keys"]
    added = runner.invoke(cli, [*base, "add", "--role", "phone", "--user", "alice"])
    assert added.exit_code == 0, added.output
    key = added.stdout.strip().splitlines()[-1]
    record = KeyStore(keys_file).verify(key)
    assert record is not None and (record.role, record.user) == ("phone", "alice")
    assert key not in keys_file.read_text()
    listed = runner.invoke(cli, [*base, "list"])
    assert record.id in listed.stdout and key not in listed.stdout
    assert runner.invoke(cli, [*base, "add", "--role", "root", "--user", "x"]).exit_code != 0
    assert runner.invoke(cli, [*base, "revoke", record.id]).exit_code == 0
    assert KeyStore(keys_file).verify(key) is None
    assert runner.invoke(cli, [*base, "revoke", record.id]).exit_code == 1


# --- rate limits ----------------------------------------------------------------------------


def test_rate_limits_are_per_key(make_server: object) -> None:
    keys = {"a": ("car", "a"), "b": ("car", "b")}
    with make_server(keys=keys, rate_limit_per_minute=60, rate_limit_burst=3) as server:  # type: ignore[operator]
        with server.client("a") as a, server.client("b") as b:
            codes = [a.get("/v1/me").status_code for _ in range(4)]
            assert codes == [200, 200, 200, 429]
            limited = a.get("/v1/me")
            assert int(limited.headers["retry-after"]) >= 1
            assert limited.json()["error"]["type"] == "rate_limit_error"
            assert b.get("/v1/me").status_code == 200, "another key has its own budget"
        client = openai.OpenAI(base_url=server.v1, api_key=server.keys["a"], max_retries=0)
        with pytest.raises(openai.RateLimitError):
            client.models.list()


# --- where the server listens ---------------------------------------------------------------


def test_without_keys_only_loopback_is_allowed() -> None:
    for host in ("127.0.0.1", "::1", "localhost", "127.0.0.5", "[::1]"):
        assert is_loopback(host)
        check_binding(host, has_keys=False)
    for host in ("0.0.0.0", "192.168.1.20", "::", "example.com"):
        assert not is_loopback(host)
        with pytest.raises(BindingError, match="without API keys"):
            check_binding(host, has_keys=False)
        check_binding(host, has_keys=True)


def test_serve_refuses_a_public_address_without_keys(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        cli,
        ["--api-keys-file", str(tmp_path / "none.json"), "--data-dir", str(tmp_path),
         "serve", "--host", "0.0.0.0", "--no-llm"],
    )  # fmt: skip
    assert result.exit_code == 2
    assert "refusing to listen on 0.0.0.0 without API keys" in result.output


async def test_a_keyless_server_answers_only_loopback_clients() -> None:
    """The guard in front of the app, driven with the scope a remote client produces."""
    sent: list[dict[str, object]] = []

    async def receive() -> dict[str, object]:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: dict[str, object]) -> None:
        sent.append(message)

    from tongxue.server.middleware import LoopbackGuardMiddleware

    async def app(scope: object, receive: object, send: object) -> None:
        raise AssertionError("a remote client must not reach the app")

    guard = LoopbackGuardMiddleware(app, open_mode=lambda: True)  # type: ignore[arg-type]
    scope = {"type": "http", "method": "GET", "path": "/v1/me", "headers": [],
             "client": ("192.168.1.7", 50000)}  # fmt: skip
    await guard(scope, receive, send)  # type: ignore[arg-type]
    assert sent[0]["status"] == 403
    assert b"loopback_only" in sent[1]["body"]  # type: ignore[operator]


def test_hashes_verify_in_constant_time_terms() -> None:
    store_hash = "hmac-sha256$00$" + "0" * 64
    assert verify_secret("anything", store_hash) is False
    assert verify_secret("x", "md5$00$00") is False
    assert verify_secret("x", "garbage") is False
