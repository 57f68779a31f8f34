"""`/v1/assistant/turns` (whole and streamed) and the session endpoints."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from server.server_kit import LiveServer


@pytest.fixture(autouse=True)
def parked_car(open_server: LiveServer) -> Iterator[None]:
    open_server.reset_car()
    yield


def _events(response: httpx.Response) -> list[tuple[str, dict[str, object]]]:
    events = []
    for block in response.text.strip().split("\n\n"):
        lines = block.split("\n")
        name = lines[0].removeprefix("event: ")
        events.append((name, json.loads(lines[1].removeprefix("data: "))))
    return events


def test_a_turn_returns_reply_actions_and_changes(open_server: LiveServer) -> None:
    with open_server.client() as http:
        response = http.post("/v1/assistant/turns", json={"text": "打开车窗", "seat": "passenger"})
    assert response.status_code == 200
    turn = response.json()
    assert turn["object"] == "assistant.turn"
    assert turn["route"] == "rules" and turn["language"] == "zh"
    assert turn["seat"] == "passenger"
    [action] = turn["actions"]
    assert action["name"] == "set_window" and action["status"] == "done"
    assert turn["changes"] == [{"path": "windows.passenger", "old": 0, "new": 100}]
    assert "副驾" in turn["reply"]
    assert open_server.context.vehicle.get("windows.passenger") == 100


def test_a_streamed_turn_sends_session_text_actions_then_done(open_server: LiveServer) -> None:
    body = {"text": "set the temperature to 22", "stream": True}
    with open_server.client() as http:
        response = http.post("/v1/assistant/turns", json=body)
    assert response.headers["content-type"].startswith("text/event-stream")
    events = _events(response)
    names = [name for name, _ in events]
    assert names[0] == "session" and names[-1] == "done"
    assert "text" in names and "action" in names
    assert names.index("action") < names.index("done")
    text = "".join(str(data["text"]) for name, data in events if name == "text")
    done = events[-1][1]["turn"]
    assert isinstance(done, dict)
    assert done["reply"] == text
    assert done["session_id"] == events[0][1]["session_id"]
    assert {"path": "climate.driver.temperature", "old": 24.0, "new": 22.0} in done["changes"]


def test_sessions_can_be_created_continued_listed_read_and_deleted(
    open_server: LiveServer,
) -> None:
    with open_server.client() as http:
        created = http.post("/v1/assistant/sessions")
        assert created.status_code == 201
        session_id = created.json()["id"]
        first = http.post(
            "/v1/assistant/turns", json={"text": "温度调到22度", "session_id": session_id}
        ).json()
        # A follow-up only makes sense within the session: it builds on the last turn.
        second = http.post(
            "/v1/assistant/turns", json={"text": "再高一点", "session_id": session_id}
        ).json()
        assert first["session_id"] == second["session_id"] == session_id
        assert open_server.context.vehicle.get("climate.driver.temperature") == 23.0
        listed = http.get("/v1/assistant/sessions").json()
        assert listed["object"] == "list"
        assert session_id in [s["id"] for s in listed["data"]]
        detail = http.get(f"/v1/assistant/sessions/{session_id}").json()
        assert detail["turn_count"] == 2
        assert [t["text"] for t in detail["turns"]] == ["温度调到22度", "再高一点"]
        deleted = http.delete(f"/v1/assistant/sessions/{session_id}").json()
        assert deleted == {
            "id": session_id,
            "object": "assistant.session.deleted",
            "deleted": True,
        }
        assert http.get(f"/v1/assistant/sessions/{session_id}").status_code == 404
        assert http.delete(f"/v1/assistant/sessions/{session_id}").status_code == 404


def test_a_turn_in_an_unknown_session_is_404(open_server: LiveServer) -> None:
    with open_server.client() as http:
        response = http.post("/v1/assistant/turns", json={"text": "hi", "session_id": "nope"})
    assert response.status_code == 404
    assert response.json()["error"]["param"] == "session_id"


@pytest.mark.parametrize(
    ("body", "param"),
    [
        ({"text": ""}, "text"),
        ({"text": "   "}, "text"),
        ({"text": "x" * 2001}, "text"),
        ({"text": "hi", "seat": "roof"}, "seat"),
        ({"text": "hi", "session_id": "../etc"}, "session_id"),
        ({"text": "hi", "stream": "maybe"}, "stream"),
        ({"text": "hi", "user": "mallory"}, "user"),
        ({}, "text"),
    ],
)
def test_every_field_is_validated(
    open_server: LiveServer, body: dict[str, object], param: str
) -> None:
    with open_server.client() as http:
        response = http.post("/v1/assistant/turns", json=body)
    assert response.status_code == 422
    assert response.json()["error"]["param"] == param


def test_the_model_answers_what_the_rules_do_not_understand(
    make_server: Any, tiny_engine: Any
) -> None:
    """Random text from the tiny model, or its apology when slow: the turn ends well anyway."""
    body = {"text": "给我讲讲量子力学的历史", "stream": True}
    # A short model budget keeps this bounded on a busy machine; the turn must end either way.
    with (
        make_server(engine=tiny_engine, llm_timeout=4) as server,
        server.client(timeout=120) as http,
    ):
        events = _events(http.post("/v1/assistant/turns", json=body))
        assert events[-1][0] == "done"
        turn = events[-1][1]["turn"]
        assert isinstance(turn, dict)
        assert turn["route"] == "llm"
        assert turn["reply"]
        health = http.get("/healthz").json()
    assert health["queue_depth"] == 0, "a timed-out generation gives the model back"
