"""`tongxue bench assistant`: the committed turn set, the pure figures, one turn over HTTP on
a fake server, and (real model) the whole command on three turns."""

from __future__ import annotations

import json
import math
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from typer.testing import CliRunner

from tongxue.bench.assistant import (
    AssistantBenchReport,
    BenchTurn,
    RawDecode,
    TurnTiming,
    format_table,
    group_stats,
    in_token_times,
    iter_sse,
    load_turns,
    prefixes_pending,
    summarize_run,
    targets_met,
    time_turn,
    token_ms,
    wait_for_prefixes,
)
from tongxue.cabin.vehicle import Vehicle
from tongxue.config import Settings
from tongxue.dialogue.factory import create_router
from tongxue.dialogue.language import detect_language
from tongxue.dialogue.manual_answers import ManualDesk
from tongxue.dialogue.rules import RuleContext, RuleParser
from tongxue.dialogue.rules.types import ActionPart
from tongxue.manual import ManualSearch
from tongxue.models.store import ModelStore

TURNS = load_turns()
MODEL_TURNS = [t for t in TURNS if t.kind != "rules"]

# --- the committed turn set ----------------------------------------------------------------


def test_the_turn_set_is_large_balanced_and_uniquely_named() -> None:
    assert len(TURNS) >= 48
    assert len({t.id for t in TURNS}) == len(TURNS)
    per_group = Counter((t.kind, t.language) for t in TURNS)
    # Every kind in both languages, about evenly: each holds about a sixth of the set.
    for kind in ("chat", "model_command", "rules"):
        for language in ("zh", "en"):
            assert per_group[kind, language] >= len(TURNS) // 6 - 2, (kind, language)
    for turn in TURNS:
        assert detect_language(turn.text) == turn.language, turn


@pytest.mark.parametrize("turn", TURNS, ids=lambda t: t.id)
def test_each_turns_kind_is_what_the_rules_make_of_it(turn: BenchTurn) -> None:
    parse = RuleParser().parse(turn.text, RuleContext(speaker="driver"))
    if turn.kind == "rules":
        # Understood whole, as actions only: the agent's route is then "rules".
        assert parse is not None and parse.kind == "actions", turn
        assert parse.actions and all(isinstance(p, ActionPart) for p in parse.parts), parse
    else:
        # Not understood at all: the whole turn goes on (to the manual, else the model).
        assert parse is None, (turn, parse)


def test_a_malformed_turn_line_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "turns.jsonl"
    path.write_text('{"id": "x", "text": "hi", "language": "en", "kind": "smalltalk"}\n')
    with pytest.raises(ValueError, match="kind"):
        load_turns(path)


@pytest.mark.slow
def test_model_turns_reach_the_model_with_tools_only_for_commands(
    manual_search: ManualSearch,
) -> None:
    """What the server's agent does after the rules: the manual declines every model turn,
    and the tool router offers tools to the commands and none to the chat."""
    desk = ManualDesk(manual_search)
    router = create_router(Vehicle())
    for turn in MODEL_TURNS:
        assert desk.consult(turn.text, turn.language) is None, turn
        route = router.route(turn.text)
        assert route.is_chat == (turn.kind == "chat"), (turn, route)


# --- the pure figures -----------------------------------------------------------------------


def _timing(
    kind: str,
    first: float | None,
    total: float | None,
    *,
    route: str | None = None,
    error: str | None = None,
    tid: str = "t",
) -> TurnTiming:
    expected = "rules" if kind == "rules" else "llm"
    route = route if route is not None else (None if error else expected)
    return TurnTiming.model_validate(
        {
            "id": tid,
            "kind": kind,
            "language": "en",
            "text": f"text of {tid}",
            "expected_route": expected,
            "route": route,
            "route_matches": route == expected,
            "first_text_ms": first,
            "total_ms": total,
            "error": error,
        }
    )


HAND_MADE = [
    _timing("chat", 100, 1000, tid="c1"),
    _timing("chat", 300, 3000, tid="c2"),
    _timing("chat", 200, 2000, tid="c3"),
    _timing("model_command", 500, 900, tid="m1"),
    _timing("model_command", 400, 800, tid="m2"),
    # Failed turns count as errors, never in the figures, however long they took.
    _timing("model_command", 99_000, None, error="unfinished after 99 s", tid="m3"),
    _timing("rules", 6, 7, tid="r1"),
    _timing("rules", 5, 8, route="llm", tid="r2"),
]


def test_token_times_are_milliseconds_over_one_decoded_token() -> None:
    assert token_ms(50.0) == pytest.approx(20.0)
    assert token_ms(8.0) == pytest.approx(125.0)
    assert in_token_times(800.0, 20.0) == pytest.approx(40.0)
    with pytest.raises(ValueError):
        token_ms(0.0)


def test_group_figures_are_nearest_rank_per_route_group() -> None:
    groups = group_stats(HAND_MADE, one_token_ms=10.0)
    assert list(groups) == ["chat", "model_command", "rules", "model"]
    chat, command, rules, model = (groups[g] for g in groups)
    assert (chat.n, command.n, rules.n, model.n) == (3, 2, 2, 5)
    assert (chat.first_text_ms.p50, chat.first_text_ms.p95) == (200, 300)
    assert (chat.total_ms.p50, chat.total_ms.p95) == (2000, 3000)
    assert (command.first_text_ms.p50, command.first_text_ms.p95) == (400, 500)
    assert (rules.total_ms.p50, rules.total_ms.p95) == (7, 8)
    # "model" pools chat and model_command: 100 200 300 400 500.
    assert (model.first_text_ms.p50, model.first_text_ms.p95) == (300, 500)
    assert (model.first_text_tt.p50, model.first_text_tt.p95) == (30.0, 50.0)
    assert (model.total_tt.p50, model.total_tt.p95) == (100.0, 300.0)


def test_a_group_without_finished_turns_has_no_figures_and_misses_the_target() -> None:
    groups = group_stats([_timing("rules", 5, 6)], one_token_ms=10.0)
    assert groups["model"].n == 0 and math.isnan(groups["model"].first_text_tt.p50)
    assert targets_met(groups) == {"model_first_text_p50": False, "model_first_text_p95": False}


def test_the_target_is_on_the_model_turns_in_token_times() -> None:
    # Model first texts 100..500 ms: p50 300, p95 500.
    assert all(targets_met(group_stats(HAND_MADE, one_token_ms=10.0)).values())  # 30, 50 tt
    slow = targets_met(group_stats(HAND_MADE, one_token_ms=6.0))  # 50, 83 tt
    assert slow == {"model_first_text_p50": False, "model_first_text_p95": False}
    edge = targets_met(group_stats(HAND_MADE, one_token_ms=500 / 79))  # 47.4, 79 tt
    assert edge == {"model_first_text_p50": False, "model_first_text_p95": True}


def test_a_run_counts_route_mismatches_and_errors_apart() -> None:
    run = summarize_run("cache on", "m", True, 10.0, HAND_MADE, wall_s=1.0)
    assert run.route_mismatches == 1  # r2 went to the model; m3 failed and has no route
    assert run.errors == 1
    assert run.groups["model"].n == 5


def _report() -> AssistantBenchReport:
    fast = summarize_run("cache on", "tiny", True, 10.0, HAND_MADE, wall_s=1.0)
    doubled = [
        t.model_copy(update={"first_text_ms": t.first_text_ms * 2}) if t.first_text_ms else t
        for t in HAND_MADE
        if t.kind != "rules"
    ]
    slow = summarize_run("cache off", "tiny", False, 10.0, doubled, wall_s=2.0)
    decode = RawDecode(
        model="tiny", tokens=64, runs_tokens_per_s=[50.0], tokens_per_s=50.0, token_ms=20.0
    )
    return AssistantBenchReport(
        model="tiny", n_ctx=4096, n_threads=2, turns=8, timeout_s=60, decode=[decode],
        runs=[fast, slow],
    )  # fmt: skip


def _group_rows(table: str, group: str) -> dict[str, list[str]]:
    """A group's rows of the table: figure name to its cells, runs side by side."""
    lines = table.splitlines()
    start = next(i for i, line in enumerate(lines) if line.split()[:2] == [group, "n"])
    rows = {"n": lines[start].split()[2:]}
    for line in lines[start + 1 : start + 5]:
        words = line.split()
        rows[" ".join(words[:2])] = words[2:]
    return rows


def _row(table: str, name: str) -> list[str]:
    line = next(line for line in table.splitlines() if line.startswith(name))
    return line[len(name) :].split()


def test_the_table_sets_the_configurations_side_by_side() -> None:
    table = format_table(_report())
    assert "target: model turns first text p50 ≤ 40, p95 ≤ 80 token-times" in table
    assert "tiny 50.0 tok/s, 1 token-time = 20.0 ms" in table
    header = next(line for line in table.splitlines() if "cache on" in line)
    assert header.index("cache on") < header.index("cache off")
    # Per figure: ms and token-times of each run, side by side.
    model = _group_rows(table, "model")
    assert model["n"] == ["5", "5"]
    assert model["first p50"] == ["300", "30.0", "600", "60.0"]
    assert model["total p95"] == ["3000", "300.0", "3000", "300.0"]
    rules = _group_rows(table, "rules")
    assert rules["n"] == ["2", "0"]
    assert rules["first p50"] == ["5", "0.5", "-", "-"]  # no rules turns in the second run
    assert _row(table, "target (model first text)") == ["met", "MISSED"]
    assert _row(table, "route mismatches") == ["1", "0"]
    assert "cache on: r2 'text of r2' took route llm, expected rules" in table
    assert "cache on: m3 'text of m3' failed: unfinished after 99 s" in table


def test_the_report_is_json_with_every_turn() -> None:
    data = json.loads(_report().model_dump_json())
    assert [r["label"] for r in data["runs"]] == ["cache on", "cache off"]
    assert [t["id"] for t in data["runs"][0]["turns"]] == [t.id for t in HAND_MADE]
    assert data["runs"][1]["groups"]["rules"]["first_text_ms"]["p50"] is None  # NaN


# --- events, health, and one turn over HTTP (a fake server) ---------------------------------


def test_server_sent_events_are_split_by_blank_lines() -> None:
    lines = [
        "event: session", 'data: {"a": 1}', "",
        ": a comment", "data: first", "data: second", "",
        "event: done", "data: [DONE]",
    ]  # fmt: skip
    assert list(iter_sse(lines)) == [
        ("session", '{"a": 1}'),
        ("message", "first\nsecond"),
        ("done", "[DONE]"),
    ]


@pytest.mark.parametrize(
    ("health", "pending"),
    [
        ({"status": "ok", "prefixes": {"warmed": 1, "total": 3}}, (1, 3)),
        ({"status": "ok", "prefixes": {"warmed": 3, "total": 3}}, None),
        # Left out for the cache's memory budget: as finished as warmed.
        ({"prefixes": {"warmed": 1, "skipped": 1, "total": 3}}, (2, 3)),
        ({"prefixes": {"warmed": 1, "skipped": 2, "total": 3}}, None),
        ({"status": "ok"}, None),  # a server without the field: nothing to wait for
        ({"status": "ok", "prefixes": None}, None),
        ({"status": "ok", "prefixes": {"warmed": "1", "total": 3}}, None),
    ],
)
def test_prefix_warm_up_is_pending_only_while_warmed_is_below_total(
    health: dict[str, Any], pending: tuple[int, int] | None
) -> None:
    assert prefixes_pending(health) == pending


def test_waiting_for_the_prefixes_says_how_far_it_is(monkeypatch: pytest.MonkeyPatch) -> None:
    answers: Iterator[dict[str, Any]] = iter(
        [{"prefixes": {"warmed": w, "total": 2}} for w in (0, 0, 1, 2)]
    )
    asked: list[str] = []

    def get(url: str, **_: Any) -> httpx.Response:
        asked.append(url)
        return httpx.Response(200, json=next(answers))

    monkeypatch.setattr(httpx, "get", get)
    said: list[str] = []
    wait_for_prefixes("http://x", said.append, poll_s=0)
    assert asked == ["http://x/healthz"] * 4
    assert said == [
        "waiting for the prefix warm-up: 0/2 done",
        "waiting for the prefix warm-up: 1/2 done",
        "prefix warm-up finished",
    ]


def _sse(*events: tuple[str, dict[str, Any]]) -> bytes:
    return "".join(
        f"event: {name}\ndata: {json.dumps(data, ensure_ascii=False)}\n\n" for name, data in events
    ).encode()


def _client(status: int, body: bytes, seen: list[dict[str, Any]]) -> httpx.Client:
    def handle(request: httpx.Request) -> httpx.Response:
        seen.append({"path": request.url.path, **json.loads(request.content)})
        return httpx.Response(status, content=body, headers={"content-type": "text/event-stream"})

    return httpx.Client(transport=httpx.MockTransport(handle))


CHAT_TURN = BenchTurn(id="chat-en-01", text="Hello there", language="en", kind="chat")


def test_a_turn_is_sent_streamed_from_the_driver_seat_and_timed() -> None:
    seen: list[dict[str, Any]] = []
    body = _sse(
        ("session", {"type": "session", "session_id": "s1"}),
        ("text", {"type": "text", "text": ""}),
        ("text", {"type": "text", "text": "Hi!"}),
        ("text", {"type": "text", "text": " Nice day."}),
        ("done", {"type": "done", "turn": {"route": "llm", "reply": "Hi! Nice day."}}),
    )
    timing = time_turn(_client(200, body, seen), "http://x", CHAT_TURN, timeout_s=5)
    # No session id: the server opens a new session, so no turn sees another's history.
    assert seen == [
        {"path": "/v1/assistant/turns", "text": "Hello there", "seat": "driver", "stream": True}
    ]
    assert timing.error is None and timing.route == "llm" and timing.route_matches
    assert timing.reply == "Hi! Nice day."
    assert timing.first_text_ms is not None and timing.total_ms is not None
    assert 0 <= timing.first_text_ms <= timing.total_ms


def test_a_turn_on_another_route_is_marked() -> None:
    body = _sse(("done", {"type": "done", "turn": {"route": "rules", "reply": "OK."}}))
    timing = time_turn(_client(200, body, []), "http://x", CHAT_TURN, timeout_s=5)
    assert timing.route == "rules" and not timing.route_matches and timing.error is None
    assert timing.first_text_ms is None  # no text event came


@pytest.mark.parametrize(
    ("status", "body", "error"),
    [
        (500, b'{"error": {"message": "boom"}}', "HTTP 500"),
        (200, _sse(("error", {"type": "error", "error": {"message": "x"}})), "error event"),
        (200, _sse(("text", {"type": "text", "text": "Hi"})), "without a done event"),
    ],
)
def test_a_failed_turn_says_why(status: int, body: bytes, error: str) -> None:
    timing = time_turn(_client(status, body, []), "http://x", CHAT_TURN, timeout_s=5)
    assert timing.error is not None and error in timing.error
    assert timing.total_ms is None and timing.route is None


# --- the whole command, on the real model ---------------------------------------------------


@pytest.mark.real_model
@pytest.mark.slow
def test_the_command_times_each_route_on_the_real_model(tmp_path: Path) -> None:
    """One server (no baseline) and the first three turns: one of each kind."""
    resolved = ModelStore(Settings()).resolve()
    output = tmp_path / "bench-assistant.json"
    from tongxue.cli.main import app as cli

    result = CliRunner().invoke(
        cli,
        ["--model", str(resolved.path), "--data-dir", str(tmp_path),
         "bench", "assistant", "--limit", "3", "--no-baseline", "--output", str(output)],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "target: model turns first text p50" in result.output
    report = json.loads(output.read_text())
    [decode] = report["decode"]
    assert decode["tokens_per_s"] > 0 and len(decode["runs_tokens_per_s"]) == 3
    [run] = report["runs"]
    assert run["label"] == "cache on" and run["prefix_cache"] is True
    assert [t["id"] for t in run["turns"]] == [t.id for t in TURNS[:3]]
    assert {t["kind"] for t in run["turns"]} == {"chat", "model_command", "rules"}
    for turn in run["turns"]:
        assert turn["error"] is None, turn
        assert turn["route"] == turn["expected_route"], turn
        assert turn["first_text_ms"] is not None and turn["total_ms"] is not None, turn
    assert run["errors"] == 0 and run["route_mismatches"] == 0
    counts = {group: stats["n"] for group, stats in run["groups"].items()}
    assert counts == {"chat": 1, "model_command": 1, "rules": 1, "model": 2}
    for stats in run["groups"].values():
        assert stats["first_text_tt"]["p50"] is not None and stats["total_ms"]["p95"] is not None
