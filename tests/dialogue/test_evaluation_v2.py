"""Evaluation files of contract v2: reply_contains, unsupported, outcomes in the report."""

from __future__ import annotations

import json
from collections.abc import AsyncGenerator, Callable
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from tongxue.cabin.actions import ActionContext, SetRecirculation
from tongxue.cabin.profile import resolve_profile
from tongxue.cabin.results import ActionResult
from tongxue.cabin.vehicle import Vehicle
from tongxue.cli.main import app
from tongxue.dialogue.agent import Agent, AgentEvent, CabinAgent, TurnDone
from tongxue.dialogue.evaluation import (
    EvalCase,
    check_case,
    format_summary,
    load_cases,
    run_case,
    summarize,
    write_report,
)
from tongxue.dialogue.memory import MemoryStore
from tongxue.dialogue.outcome import turn_outcome
from tongxue.dialogue.replies import Acted, NotUnderstood, Said, compose_reply, offline_reply
from tongxue.dialogue.sessions import TurnInput, TurnResult

EVALS = Path(__file__).resolve().parents[2] / "evals"

WEATHER_CASE = (
    '{"id": "weather-en-001", "seat": "passenger", "turns": ["will it rain tomorrow"], '
    '"expect": {}, "unchanged": ["windows.passenger"], "unsupported": true, '
    '"reply_contains": ["offline"]}'
)


def case_of(**fields: Any) -> EvalCase:
    return EvalCase.model_validate({"id": "x-zh-001", "turns": ["hi"], **fields})


# --- the case format -------------------------------------------------------------------------


def test_the_v2_example_of_the_contract_loads(tmp_path: Path) -> None:
    path = tmp_path / "v2.jsonl"
    path.write_text(WEATHER_CASE + "\n", encoding="utf-8")
    (case,) = load_cases(path)
    assert case.unsupported is True
    assert case.reply_contains == ["offline"]
    assert case.expect == {}


@pytest.mark.parametrize("name", ["public.jsonl", "holdout.jsonl"])
def test_v1_files_load_unchanged(name: str) -> None:
    path = EVALS / name
    if not path.exists():
        pytest.skip(f"no {name}")
    cases = load_cases(path)
    assert cases
    # v1 cases load as they are; only the two place searches v2 settled use v2 fields.
    v2_fields = [c.id for c in cases if c.reply_contains is not None or c.unsupported is not None]
    assert set(v2_fields) <= {"colloquial-zh-013", "colloquial-en-005"}


def test_unknown_fields_are_still_an_error() -> None:
    with pytest.raises(ValueError, match="reply_contain"):
        case_of(reply_contain=["x"])


# --- checking a case -------------------------------------------------------------------------


def test_reply_contains_folds_case_and_trims_both_sides() -> None:
    case = case_of(reply_contains=["  OFFLINE ", "Weather"])
    reply = "I can't check the weather offline."
    assert check_case(case, {}, {}, False, reply=reply) == []
    assert (
        check_case(
            case_of(reply_contains=["离线"]), {}, {}, False, reply="查天气需要联网，现在离线。"
        )
        == []
    )


def test_every_reply_contains_string_must_be_there() -> None:
    case = case_of(reply_contains=["offline", "umbrella"])
    failures = check_case(case, {}, {}, False, reply="I can't check the weather offline.")
    assert len(failures) == 1
    assert "umbrella" in failures[0]


@pytest.mark.parametrize(
    ("wanted", "outcome", "passes"),
    [
        (True, "unsupported", True),
        (True, "done", False),
        (True, None, False),
        (False, "done", True),
        (False, "answered", True),
        (False, "unsupported", False),
        (None, "unsupported", True),
        (None, "done", True),
    ],
)
def test_unsupported_is_checked_against_the_outcome(
    wanted: bool | None, outcome: Any, passes: bool
) -> None:
    failures = check_case(case_of(unsupported=wanted), {}, {}, False, outcome=outcome)
    assert (failures == []) is passes


def test_v1_conditions_still_hold() -> None:
    case = case_of(
        expect={"climate.driver.temperature": 22, "navigation.destination": "虹桥"},
        unchanged=["windows.driver"],
        refused=False,
    )
    start = {"windows": {"driver": 0}}
    final = {
        "windows": {"driver": 0},
        "climate": {"driver": {"temperature": 22.001}},
        "navigation": {"destination": "上海虹桥站"},
    }
    assert check_case(case, start, final, False) == []
    assert check_case(case, start, final, True) == ["refused: expected False, got True"]
    moved = {**final, "windows": {"driver": 100}}
    assert check_case(case, start, moved, False) == ["windows.driver: changed from 0 to 100"]


# --- running a case --------------------------------------------------------------------------


class OfflineWeatherAgent(Agent):
    """Stands in for the integrated agent on one kind of turn: recirculation, then weather.

    The recirculation really runs on the car; the weather part is what contract v2 says a car
    without a provider does: nothing, offline, unsupported.
    """

    def __init__(self, vehicle: Vehicle) -> None:
        self.vehicle = vehicle

    async def stream(self, turn: TurnInput) -> AsyncGenerator[AgentEvent, None]:
        results: list[ActionResult] = []
        if "内循环" in turn.text:
            action = SetRecirculation(on=True)
            results = self.vehicle.execute(
                [action], ActionContext(speaker=turn.seat, source="rules"), "t1"
            )
        weather = "下雨" in turn.text
        reply = compose_reply(
            [Acted(tuple(results)), Said(offline_reply("weather", "zh") if weather else "")],
            "zh",
        )
        yield TurnDone(
            result=TurnResult(
                session_id="s",
                turn_id="t1",
                text=turn.text,
                seat=turn.seat,
                language="zh",
                reply=reply,
                route="rules",
                actions=results,
                refused=any(r.refused for r in results),
                outcome=turn_outcome(results, unsupported=weather),
            )
        )


def vehicle_factory(
    make: Callable[[Vehicle], Agent],
) -> Callable[[dict[str, Any]], tuple[Agent, Callable[[], dict[str, Any]]]]:
    def factory(state: dict[str, Any]) -> tuple[Agent, Callable[[], dict[str, Any]]]:
        vehicle = Vehicle(resolve_profile("suv6"))
        vehicle.set_many(state)
        return make(vehicle), vehicle.snapshot

    return factory


async def test_the_report_gives_outcome_and_the_three_statuses(tmp_path: Path) -> None:
    case = EvalCase.model_validate(
        {
            "id": "compound-zh-001",
            "turns": ["打开内循环，明天下雨吗"],
            "expect": {"climate.recirculation": True},
            "unsupported": True,
            "reply_contains": ["离线", "内循环"],
        }
    )
    report = await run_case(case, vehicle_factory(OfflineWeatherAgent))
    assert report.failures == []
    assert report.passed
    assert report.refused is False
    (turn,) = report.turns
    assert turn.outcome == "unsupported"
    assert {a["status"] for a in turn.actions} == {"done"}
    path = tmp_path / "report.json"
    write_report(path, [report])
    (written,) = json.loads(path.read_text(encoding="utf-8"))
    assert written["turns"][0]["outcome"] == "unsupported"
    assert written["final_state"]["climate"]["recirculation"] is True


def test_state_sets_read_only_paths_and_whole_lists() -> None:
    vehicle = Vehicle(resolve_profile("suv6"))
    contacts = [{"name": "张三", "number": "13800138001"}]
    vehicle.set_many(
        {"energy.range_km": 420, "phone.contacts": contacts, "navigation.waypoints": ["A", "B"]}
    )
    state = vehicle.snapshot()
    assert state["energy"]["range_km"] == 420
    assert state["phone"]["contacts"] == contacts
    assert state["navigation"]["waypoints"] == ["A", "B"]


async def test_a_refusal_is_reported_from_the_outcome_of_the_last_turn() -> None:
    def make(vehicle: Vehicle) -> Agent:
        return CabinAgent(vehicle, memory=MemoryStore())

    case = EvalCase.model_validate(
        {
            "id": "refusal-zh-001",
            "state": {"drive.speed_kmh": 60},
            "turns": ["打开后备箱"],
            "expect": {"trunk.open": False},
            "refused": True,
        }
    )
    report = await run_case(case, vehicle_factory(make))
    assert report.passed, report.failures
    assert report.refused is True
    assert [a["status"] for a in report.turns[0].actions] == ["refused"]


# --- the summary -----------------------------------------------------------------------------


async def test_the_summary_counts_cases_by_outcome_and_turns_by_route() -> None:
    agents = vehicle_factory(OfflineWeatherAgent)
    weather = EvalCase.model_validate(json.loads(WEATHER_CASE) | {"turns": ["明天下雨吗"]})
    weather = weather.model_copy(update={"reply_contains": ["离线"]})
    wrong = weather.model_copy(update={"id": "weather-zh-002", "unsupported": False})
    reports = [await run_case(weather, agents), await run_case(wrong, agents)]
    summary = summarize(reports)
    assert summary.by_outcome["unsupported"].passed == 1
    assert summary.by_outcome["unsupported"].failed == 1
    assert summary.route_outcomes == {"rules": {"unsupported": 2}}
    text = format_summary(summary)
    assert "by route:" in text
    assert "by category:" in text
    assert "by outcome (last turn):" in text
    assert "turns by route and outcome:" in text
    assert text.splitlines()[-1].strip().startswith("overall")


def test_not_understood_parts_are_reported_last() -> None:
    reply = compose_reply([NotUnderstood("xyz"), Said(offline_reply("weather", "en"))], "en")
    assert reply == "I can't check the weather offline. And I didn't understand \"xyz\"."


def test_the_command_line_prints_the_new_tables_and_the_last_line(tmp_path: Path) -> None:
    cases = tmp_path / "cases.jsonl"
    lines = [
        {"id": "windows-zh-001", "turns": ["打开主驾车窗"], "expect": {"windows.driver": 100}},
        {"id": "chitchat-en-001", "turns": ["tell me a joke"], "reply_contains": ["zzz"]},
    ]
    cases.write_text("\n".join(json.dumps(x, ensure_ascii=False) for x in lines) + "\n")
    report = tmp_path / "report.json"
    result = CliRunner().invoke(app, ["eval", str(cases), "--no-llm", "--report", str(report)])
    assert result.exit_code == 0, result.output
    assert "by outcome (last turn):" in result.output
    assert "turns by route and outcome:" in result.output
    assert result.output.strip().splitlines()[-1] == "1 passed, 1 failed"
    written = json.loads(report.read_text(encoding="utf-8"))
    assert [r["id"] for r in written] == ["windows-zh-001", "chitchat-en-001"]
    assert all("outcome" in turn for r in written for turn in r["turns"])
