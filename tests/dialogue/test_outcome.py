"""A turn's outcome (contract v2 "Outcomes"): the first of the table that applies."""

from __future__ import annotations

from typing import Any

import pytest

from tongxue.cabin.results import ActionResult, Clamp, StateChange, Status
from tongxue.dialogue.outcome import report_status, turn_outcome
from tongxue.dialogue.sessions import SessionStore, TurnResult


def result(status: Status, **extra: Any) -> ActionResult:
    return ActionResult(name="set_fragrance", arguments={"on": True}, status=status, **extra)


DONE = result("done", changes=[StateChange(path="fragrance.on", old=False, new=True)])
CLAMPED = result("clamped", clamped=[Clamp(path="media.volume", requested=120, applied=100)])
UNCHANGED = result("unchanged")
REFUSED = result("refused", reason_code="moving")
UNSUPPORTED = result("unsupported", reason_code="not_in_contacts")


@pytest.mark.parametrize(
    ("status", "reported"),
    [
        ("done", "done"),
        ("clamped", "done"),
        ("unchanged", "done"),
        ("refused", "refused"),
        ("unsupported", "unsupported"),
    ],
)
def test_report_status_maps_to_the_three_words_of_the_contract(
    status: Status, reported: str
) -> None:
    assert report_status(status) == reported


def test_nothing_understood_is_not_understood() -> None:
    assert turn_outcome() == "not_understood"
    assert turn_outcome([]) == "not_understood"


@pytest.mark.parametrize("acted", [DONE, CLAMPED, UNCHANGED])
def test_a_part_that_acted_is_done(acted: ActionResult) -> None:
    assert turn_outcome([acted]) == "done"


def test_a_refusal_wins_over_everything_else() -> None:
    assert turn_outcome([DONE, REFUSED]) == "refused"
    assert turn_outcome([UNSUPPORTED, REFUSED], answered=True, unsupported=True) == "refused"
    assert turn_outcome([REFUSED], nothing_to_undo=True) == "refused"


def test_unsupported_wins_over_done_and_answered() -> None:
    # "打开雾灯，明天下雨吗": the fog lights are on, the weather needs a provider.
    assert turn_outcome([DONE], unsupported=True) == "unsupported"
    assert turn_outcome([DONE, UNSUPPORTED]) == "unsupported"
    assert turn_outcome(answered=True, unsupported=True) == "unsupported"


def test_nothing_to_undo_is_unsupported() -> None:
    assert turn_outcome([], nothing_to_undo=True) == "unsupported"


def test_answered_only_when_nothing_acted() -> None:
    assert turn_outcome(answered=True) == "answered"
    assert turn_outcome([DONE], answered=True) == "done"


def test_results_may_be_any_iterable() -> None:
    assert turn_outcome(r for r in [UNCHANGED, DONE]) == "done"


def test_a_turn_keeps_its_outcome_and_old_turns_read_without_one() -> None:
    store = SessionStore()
    session = store.create("s1")
    turn = TurnResult(
        session_id="s1",
        turn_id="t1",
        text="明天下雨吗",
        seat="driver",
        language="zh",
        reply="查天气需要联网，现在离线。",
        route="rules",
        outcome="unsupported",
    )
    store.record(session, turn, ())
    assert store.get("s1").turns[0].outcome == "unsupported"
    stored_before_v2 = turn.model_dump(exclude={"outcome"})
    assert TurnResult.model_validate(stored_before_v2).outcome is None


def test_the_servers_turn_carries_the_outcome() -> None:
    from tongxue.server.assistant.protocol import AssistantTurn

    assert "outcome" in AssistantTurn.model_json_schema()["properties"]
