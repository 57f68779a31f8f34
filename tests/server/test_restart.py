"""Nothing is lost on restart: a real server, stopped and started again on the same data.

Sessions (turns and the last actions a follow-up leans on), their owners, the car's state,
its undo log and a phone's pending unlock all live in the data folder's SQLite database.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from server.server_kit import LiveServer, serve, server_settings
from tongxue.config import Settings
from tongxue.server.app import build_context
from tongxue.server.security.keys import KeyStore

UNLOCK = {"actions": [{"name": "set_door_lock", "arguments": {"locked": False}}]}


@contextlib.contextmanager
def running(settings: Settings, keys: dict[str, str]) -> Iterator[LiveServer]:
    """One server process's life: its own services, on the shared data folder (rules only)."""
    context = build_context(settings, engine=None, keys=KeyStore(settings.keys_path))
    try:
        with serve(context, keys) as live:
            yield live
    finally:
        context.agent.memory.database.close()


def _say(server: LiveServer, text: str, session_id: str | None = None) -> dict[str, Any]:
    body: dict[str, Any] = {"text": text, "seat": "driver"}
    if session_id is not None:
        body["session_id"] = session_id
    with server.client("car") as car:
        response = car.post("/v1/assistant/turns", json=body)
    assert response.status_code == 200, response.text
    turn: dict[str, Any] = response.json()
    return turn


def _state(server: LiveServer) -> dict[str, Any]:
    with server.client("car") as car:
        state: dict[str, Any] = car.get("/v1/vehicle/state").json()["state"]
    return state


def test_a_restart_loses_nothing(tmp_path: Path) -> None:
    settings = server_settings(tmp_path)
    store = KeyStore(settings.keys_path)
    keys = {
        "car": store.add("car", "family", label="head unit")[0],
        "alice": store.add("phone", "alice", label="alice's phone")[0],
    }

    with running(settings, keys) as before:
        first = _say(before, "把副驾车窗打开一半")
        session_id = first["session_id"]
        assert first["changes"] == [{"path": "windows.passenger", "old": 0, "new": 50}]
        assert _state(before)["windows"]["passenger"] == 50
        with before.client("alice") as alice:
            held = alice.post("/v1/vehicle/actions", json=UNLOCK)
        assert held.status_code == 202
        confirm_url = held.json()["confirm_url"]

    with running(settings, keys) as after:
        # The car is as it was left.
        state = _state(after)
        assert state["windows"]["passenger"] == 50
        assert state["doors"]["locked"] is True
        # The session, its owner and its turns are still there.
        with after.client("car") as car:
            listed = car.get("/v1/assistant/sessions").json()["data"]
            assert [(s["id"], s["turn_count"]) for s in listed] == [(session_id, 1)]
            detail = car.get(f"/v1/assistant/sessions/{session_id}").json()
            assert [t["text"] for t in detail["turns"]] == ["把副驾车窗打开一半"]
        with after.client("alice") as alice:
            assert alice.get(f"/v1/assistant/sessions/{session_id}").status_code == 404
        # The follow-up leans on the turn before the restart.
        more = _say(after, "再开大一点", session_id)
        assert more["route"] == "rules", more
        [change] = more["changes"]
        assert change["path"] == "windows.passenger" and change["old"] == 50
        assert change["new"] > 50
        # Undo takes back the follow-up; a second undo (v2: one level) redoes it.
        assert _say(after, "撤销", session_id)["route"] == "undo"
        assert _state(after)["windows"]["passenger"] == 50
        _say(after, "撤销", session_id)
        assert _state(after)["windows"]["passenger"] == change["new"]
        # The phone's unlock, asked for before the restart, can still be confirmed, once.
        with after.client("alice") as alice:
            confirmed = alice.post(confirm_url)
            assert confirmed.status_code == 200, confirmed.text
            assert confirmed.json()["changes"] == [
                {"path": "doors.locked", "old": True, "new": False}
            ]
            assert alice.post(confirm_url).status_code == 404
        assert _state(after)["doors"]["locked"] is False
        with after.client("car") as car:
            turns = car.get(f"/v1/assistant/sessions/{session_id}").json()["turns"]
        assert [t["text"] for t in turns] == ["把副驾车窗打开一半", "再开大一点", "撤销", "撤销"]
