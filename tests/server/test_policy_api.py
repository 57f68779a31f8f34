"""The attacks on the car's rules that were reproduced against a real server, each blocked.

Undo by another seat, the child lock from the seats it protects, one phone undoing
another's turn, and batches that fail half way: the server carries out the cabin policy's
verdicts and decides nothing itself.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest

from server.server_kit import LiveServer


@pytest.fixture(autouse=True)
def parked_car(keyed_server: LiveServer) -> Iterator[None]:
    keyed_server.reset_car()
    yield


def _say(server: LiveServer, key: str, text: str, seat: str = "driver") -> dict[str, Any]:
    with server.client(key) as http:
        response = http.post("/v1/assistant/turns", json={"text": text, "seat": seat})
    assert response.status_code == 200, response.text
    turn: dict[str, Any] = response.json()
    return turn


def _act(
    server: LiveServer, key: str, seat: str, *actions: tuple[str, dict[str, Any]]
) -> dict[str, Any]:
    body = {"seat": seat, "actions": [{"name": n, "arguments": a} for n, a in actions]}
    with server.client(key) as http:
        response = http.post("/v1/vehicle/actions", json=body)
    assert response.status_code == 200, response.text
    result: dict[str, Any] = response.json()
    return result


def test_the_passenger_cannot_undo_the_drivers_defrost(keyed_server: LiveServer) -> None:
    car = keyed_server.context.vehicle
    assert _say(keyed_server, "car", "打开前挡除雾")["actions"][0]["status"] == "done"
    turn = _say(keyed_server, "car", "撤销", seat="passenger")
    assert car.get("climate.front_defrost") is True
    assert turn["refused"] is True
    assert [a["reason_code"] for a in turn["actions"]] == ["driver_only"]
    assert "已撤销" not in turn["reply"]


def test_a_rear_undo_does_not_reopen_windows_under_the_child_lock(
    keyed_server: LiveServer,
) -> None:
    car = keyed_server.context.vehicle
    car.set_many({"doors.child_lock": True, "windows.rear_left": 100, "windows.rear_right": 100})
    _say(keyed_server, "car", "关闭后排车窗")
    assert (car.get("windows.rear_left"), car.get("windows.rear_right")) == (0, 0)
    turn = _say(keyed_server, "car", "撤销", seat="rear_left")
    assert (car.get("windows.rear_left"), car.get("windows.rear_right")) == (0, 0)
    assert turn["refused"] is True and "已撤销" not in turn["reply"]
    # The driver may undo it.
    _say(keyed_server, "car", "撤销", seat="driver")
    assert car.get("windows.rear_left") == 100


def test_the_rear_seats_cannot_release_the_child_lock(keyed_server: LiveServer) -> None:
    car = keyed_server.context.vehicle
    car.set("doors.child_lock", True)
    released = _act(keyed_server, "car", "rear_left", ("set_child_lock", {"on": False}))
    opened = _act(keyed_server, "car", "rear_left", ("set_window", {"position": 100}))
    # v2: the child lock changes only from the front seats (cabin-v2.md, safety rules).
    assert released["results"][0]["reason_code"] == "front_seats_only"
    assert opened["results"][0]["reason_code"] == "child_lock"
    assert car.get("doors.child_lock") is True
    assert car.get("windows.rear_left") == 0


def test_a_phone_cannot_release_the_child_lock_while_moving(keyed_server: LiveServer) -> None:
    car = keyed_server.context.vehicle
    car.set_many({"doors.child_lock": True, "drive.speed_kmh": 80.0, "drive.gear": "D"})
    released = _act(keyed_server, "alice", "driver", ("set_child_lock", {"on": False}))
    assert released["results"][0]["reason_code"] == "moving"
    assert car.get("doors.child_lock") is True


def test_a_phone_cannot_undo_another_phones_turn(keyed_server: LiveServer) -> None:
    car = keyed_server.context.vehicle
    _say(keyed_server, "alice", "打开天窗")
    turn = _say(keyed_server, "bob", "撤销")
    assert car.get("sunroof") == 100
    assert [a["reason_code"] for a in turn["actions"]] == ["not_your_turn"]
    # Not even another phone of the same user: a turn belongs to the key that made it.
    _say(keyed_server, "alice2", "撤销")
    assert car.get("sunroof") == 100
    _say(keyed_server, "alice", "撤销")
    assert car.get("sunroof") == 0


@pytest.mark.parametrize("bad", [1e308, float("nan"), float("inf"), "hot", True, [1]])
def test_a_bad_value_rejects_the_whole_batch(keyed_server: LiveServer, bad: Any) -> None:
    car = keyed_server.context.vehicle
    before = car.snapshot()
    history = car.history
    body = {
        "seat": "driver",
        "actions": [
            {"name": "set_window", "arguments": {"position": 100}},
            {"name": "set_temperature", "arguments": {"value": bad}},
        ],
    }
    with keyed_server.client("car") as http:
        # json.dumps writes NaN and Infinity as Python's json module reads them.
        response = http.post(
            "/v1/vehicle/actions",
            content=json.dumps(body),
            headers={"Content-Type": "application/json"},
        )
    assert response.status_code == 422, response.text
    error = response.json()["error"]
    assert error["code"] == "invalid_action" and error["param"] == "actions[1]"
    assert car.snapshot() == before
    assert car.history == history


@pytest.mark.parametrize(
    ("name", "arguments"),
    [
        ("add_waypoint", {"place": "x" * 100_000}),
        ("navigate_to", {"destination": "y" * 201}),
        ("play_media", {"query": "z" * 201}),
    ],
)
def test_client_strings_are_bounded(
    keyed_server: LiveServer, name: str, arguments: dict[str, Any]
) -> None:
    before = keyed_server.context.vehicle.snapshot()
    body = {"seat": "driver", "actions": [{"name": name, "arguments": arguments}]}
    with keyed_server.client("car") as http:
        response = http.post("/v1/vehicle/actions", json=body)
    assert response.status_code == 422
    assert "200" in response.json()["error"]["message"]
    assert keyed_server.context.vehicle.snapshot() == before


def test_a_route_takes_at_most_ten_waypoints(keyed_server: LiveServer) -> None:
    car = keyed_server.context.vehicle
    stops = [("add_waypoint", {"place": f"stop {i}"}) for i in range(12)]
    result = _act(keyed_server, "car", "driver", ("navigate_to", {"destination": "home"}), *stops)
    statuses = [r["status"] for r in result["results"]]
    assert statuses == ["done"] * 11 + ["unsupported"] * 2
    assert result["results"][-1]["reason_code"] == "too_many_waypoints"
    assert len(car.get("navigation.waypoints")) == 10


def test_simulated_values_are_bounded(keyed_server: LiveServer) -> None:
    before = keyed_server.context.vehicle.snapshot()
    with keyed_server.client("admin") as http:
        for values in ({"drive.speed_kmh": 1e308}, {"navigation.destination": "d" * 201}):
            response = http.post("/v1/vehicle/simulation", json={"values": values})
            assert response.status_code == 422, (values, response.text)
    assert keyed_server.context.vehicle.snapshot() == before
