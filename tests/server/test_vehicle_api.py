"""`/v1/vehicle/...`: state, typed actions under the policy, and the events socket."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator
from typing import Any

import pytest
import websockets

from server.server_kit import LiveServer


@pytest.fixture(autouse=True)
def parked_car(open_server: LiveServer) -> Iterator[None]:
    open_server.reset_car()
    yield


async def _next(socket: Any, timeout: float = 10) -> dict[str, Any]:
    message = json.loads(await asyncio.wait_for(socket.recv(), timeout))
    assert isinstance(message, dict)
    return message


def test_state_and_profile(open_server: LiveServer) -> None:
    with open_server.client() as http:
        state = http.get("/v1/vehicle/state").json()
        profile = http.get("/v1/vehicle/profile").json()
    assert state["object"] == "vehicle.state" and state["profile"] == "suv6"
    assert state["moving"] is False
    assert state["state"]["doors"]["locked"] is True
    assert profile["seats"][:2] == ["driver", "passenger"] and len(profile["seats"]) == 6
    assert "set_window" in profile["tools"]


def test_actions_run_in_order_with_results_and_changes(open_server: LiveServer) -> None:
    body = {
        "seat": "rear_left",
        "actions": [
            {"name": "set_window", "arguments": {"position": 30}},
            {"name": "set_temperature", "arguments": {"value": 40}},
            {"name": "set_volume", "arguments": {"value": 30}},
        ],
    }
    with open_server.client() as http:
        response = http.post("/v1/vehicle/actions", json=body)
    assert response.status_code == 200
    data = response.json()
    assert data["object"] == "vehicle.actions" and data["refused"] is False
    assert [r["status"] for r in data["results"]] == ["done", "clamped", "unchanged"]
    assert {"path": "windows.rear_left", "old": 0, "new": 30} in data["changes"]
    assert {"path": "climate.rear.temperature", "old": 24.0, "new": 32.0} in data["changes"]


def test_the_policy_applies_to_the_api(open_server: LiveServer) -> None:
    with open_server.client() as http:
        moving = http.post(
            "/v1/vehicle/simulation", json={"values": {"drive.speed_kmh": 60, "drive.gear": "D"}}
        )
        assert moving.json()["moving"] is True
        unlock = {"actions": [{"name": "set_door_lock", "arguments": {"locked": False}}]}
        refused = http.post("/v1/vehicle/actions", json=unlock).json()
        lights = {
            "seat": "passenger",
            "actions": [{"name": "set_wipers", "arguments": {"mode": "high"}}],
        }
        driver_only = http.post("/v1/vehicle/actions", json=lights).json()
    [result] = refused["results"]
    assert refused["refused"] is True
    assert result["status"] == "refused" and result["reason_code"] == "moving"
    assert driver_only["results"][0]["reason_code"] == "driver_only"
    assert open_server.context.vehicle.get("doors.locked") is True


@pytest.mark.parametrize(
    ("actions", "param", "needle"),
    [
        ([{"name": "launch_rocket", "arguments": {}}], "actions[0]", "unknown tool"),
        ([{"name": "set_window", "arguments": {"position": "wide"}}], "actions[0]", "position"),
        ([{"name": "set_window", "arguments": {}}], "actions[0]", "exactly one"),
        ([{"name": "set_window", "arguments": {"position": 1, "speed": 2}}], "actions[0]", "speed"),
        ([{"name": "pause_media"}, {"name": "set_sunroof"}], "actions[1]", "set_sunroof"),
        ([], "actions", ""),
        ([{"name": "pause_media", "extra": 1}], "actions[0].extra", ""),
        ([{"name": "pause_media"}] * 17, "actions", ""),
    ],
)
def test_invalid_actions_are_422_and_nothing_runs(
    open_server: LiveServer, actions: list[dict[str, object]], param: str, needle: str
) -> None:
    before = open_server.context.vehicle.snapshot()
    with open_server.client() as http:
        response = http.post("/v1/vehicle/actions", json={"actions": actions})
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["param"] == param
    assert needle in error["message"]
    assert open_server.context.vehicle.snapshot() == before


def test_simulation_rejects_unknown_paths_and_bad_values(open_server: LiveServer) -> None:
    with open_server.client() as http:
        unknown = http.post("/v1/vehicle/simulation", json={"values": {"warp.drive": 9}})
        bad = http.post("/v1/vehicle/simulation", json={"values": {"drive.gear": "X"}})
    assert unknown.status_code == 422 and unknown.json()["error"]["code"] == "invalid_state"
    assert bad.status_code == 422


async def test_events_socket_sends_a_snapshot_then_every_change(open_server: LiveServer) -> None:
    async with websockets.connect(open_server.ws_url, open_timeout=10) as socket:
        snapshot = await _next(socket)
        assert snapshot["type"] == "snapshot"
        assert snapshot["state"]["windows"]["driver"] == 0
        async with open_server.async_client() as http:
            await http.post(
                "/v1/vehicle/actions",
                json={"actions": [{"name": "set_sunroof", "arguments": {"position": 40}}]},
            )
            changes = await _next(socket)
            assert changes["type"] == "changes"
            assert changes["changes"] == [{"path": "sunroof", "old": 0, "new": 40}]
            # A spoken command reaches the socket too.
            await http.post(
                "/v1/assistant/turns", json={"text": "打开座椅加热", "seat": "passenger"}
            )
            spoken = await _next(socket)
        assert spoken["seq"] > changes["seq"]
        assert spoken["changes"][0]["path"] == "seats.passenger.heating"


async def test_many_sockets_all_hear_the_same_change(open_server: LiveServer) -> None:
    sockets = [await websockets.connect(open_server.ws_url, open_timeout=10) for _ in range(5)]
    try:
        for socket in sockets:
            assert (await _next(socket))["type"] == "snapshot"
        async with open_server.async_client() as http:
            metrics = (await http.get("/metrics")).text
            assert "tongxue_vehicle_event_clients 5.0" in metrics
            await http.post(
                "/v1/vehicle/actions",
                json={"actions": [{"name": "set_mute", "arguments": {"muted": True}}]},
            )
        heard = [await _next(socket) for socket in sockets]
        assert all(h["changes"][0]["path"] == "media.muted" for h in heard)
    finally:
        for socket in sockets:
            await socket.close()


async def test_a_state_reset_is_pushed_as_changes(open_server: LiveServer) -> None:
    async with websockets.connect(open_server.ws_url, open_timeout=10) as socket:
        await _next(socket)
        async with open_server.async_client() as http:
            await http.post(
                "/v1/vehicle/actions",
                json={"actions": [{"name": "set_trunk", "arguments": {"open": True}}]},
            )
            await _next(socket)
            reset = await http.post("/v1/vehicle/reset")
            assert reset.json()["state"]["trunk"]["open"] is False
        pushed = await _next(socket)
    assert {"path": "trunk.open", "old": True, "new": False} in pushed["changes"]
