"""Each safety rule, from each source: the rules parser, the model, the phone, the API,
undo, and a stored preference ("the usual"). One policy decides them all.

Every case performs the attack and checks both the refusal code and that the car did not
change. The model here writes exactly the forbidden call, as a model tricked into it would.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pytest

from support.writing_model import WritingModel
from tongxue.cabin.actions import (
    ActionContext,
    CabinAction,
    Role,
    SetChildLock,
    SetDefrost,
    SetDoorLock,
    SetTrunk,
    SetWindow,
)
from tongxue.cabin.seats import Seat
from tongxue.cabin.vehicle import Vehicle
from tongxue.dialogue.agent import CabinAgent
from tongxue.dialogue.memory import MemoryStore, StoredAction, user_for_seat
from tongxue.dialogue.sessions import TurnInput

MOVING = {"drive.speed_kmh": 60.0, "drive.gear": "D"}


@dataclass(frozen=True)
class Attack:
    """A forbidden request: from whom, in which state, and what it must be refused with."""

    id: str
    seat: Seat
    role: Role
    action: CabinAction
    text: str  # the same request in words the rules parser understands
    code: str
    watch: str  # the path that must not change
    state: dict[str, Any] = field(default_factory=dict)


ATTACKS = [
    Attack(
        "defrost-from-passenger",
        "passenger",
        "car",
        SetDefrost(window="front", on=True),
        "打开前挡除雾",
        "driver_only",
        "climate.front_defrost",
    ),
    Attack(
        "defrost-from-phone",
        "driver",
        "phone",
        SetDefrost(window="front", on=True),
        "打开前挡除雾",
        "not_in_seat",
        "climate.front_defrost",
    ),
    Attack(
        "child-lock-released-from-the-back",
        "rear_left",
        "car",
        SetChildLock(on=False),
        "关闭儿童锁",
        "front_seats_only",
        "doors.child_lock",
        {"doors.child_lock": True},
    ),
    Attack(
        "child-lock-released-from-a-phone-while-moving",
        "driver",
        "phone",
        SetChildLock(on=False),
        "关闭儿童锁",
        "moving",
        "doors.child_lock",
        {"doors.child_lock": True, **MOVING},
    ),
    Attack(
        "unlock-while-moving",
        "driver",
        "car",
        SetDoorLock(locked=False),
        "解锁车门",
        "moving",
        "doors.locked",
        MOVING,
    ),
    Attack(
        "trunk-while-moving",
        "driver",
        "car",
        SetTrunk(open=True),
        "打开后备箱",
        "moving",
        "trunk.open",
        MOVING,
    ),
    Attack(
        "rear-window-under-child-lock",
        "rear_left",
        "car",
        SetWindow(position=100),
        "打开车窗",
        "child_lock",
        "windows.rear_left",
        {"doors.child_lock": True},
    ),
    Attack(
        "unconfirmed-unlock-from-a-phone",
        "driver",
        "phone",
        SetDoorLock(locked=False),
        "解锁车门",
        "confirmation_required",
        "doors.locked",
    ),
]


def _agent(model: WritingModel | None = None) -> CabinAgent:
    return CabinAgent(Vehicle(), engine=model, memory=MemoryStore())


def _turn(attack: Attack, text: str) -> TurnInput:
    return TurnInput(text=text, seat=attack.seat, role=attack.role, actor="key-1")


def _assert_refused(vehicle: Vehicle, before: Any, codes: list[str | None], code: str) -> None:
    assert code in codes, codes
    assert vehicle.snapshot() == before


@pytest.mark.parametrize("attack", ATTACKS, ids=lambda a: a.id)
async def test_from_the_rules_parser(attack: Attack) -> None:
    agent = _agent()
    agent.vehicle.set_many(attack.state)
    before = agent.vehicle.snapshot()
    result = await agent.handle(_turn(attack, attack.text))
    assert result.route == "rules"
    _assert_refused(agent.vehicle, before, [a.reason_code for a in result.actions], attack.code)
    assert result.refused


@pytest.mark.parametrize("attack", ATTACKS, ids=lambda a: a.id)
async def test_from_the_model(attack: Attack) -> None:
    agent = _agent(WritingModel(calls=[(attack.action.name, attack.action.arguments())]))
    agent.vehicle.set_many(attack.state)
    before = agent.vehicle.snapshot()
    # Words the rules do not take, so the model answers the turn.
    result = await agent.handle(_turn(attack, "嗯那个你懂的，帮我弄一下"))
    assert result.route == "llm"
    _assert_refused(agent.vehicle, before, [a.reason_code for a in result.actions], attack.code)


@pytest.mark.parametrize("attack", ATTACKS, ids=lambda a: a.id)
async def test_from_a_stored_preference(attack: Attack) -> None:
    agent = _agent()
    agent.vehicle.set_many(attack.state)
    user = user_for_seat(attack.seat)
    stored = StoredAction(name=attack.action.name, arguments=attack.action.arguments())
    agent.memory.remember(user, "attack", attack.text, [stored])
    before = agent.vehicle.snapshot()
    result = await agent.handle(_turn(attack, "老样子"))
    assert result.route == "memory"
    _assert_refused(agent.vehicle, before, [a.reason_code for a in result.actions], attack.code)


@pytest.mark.parametrize("attack", ATTACKS, ids=lambda a: a.id)
def test_from_the_api(attack: Attack) -> None:
    vehicle = Vehicle()
    vehicle.set_many(attack.state)
    before = vehicle.snapshot()
    ctx = ActionContext(speaker=attack.seat, source="api", role=attack.role, actor="key-1")
    assert [v.code if v else None for v in vehicle.check([attack.action], ctx)] == [attack.code]
    results = vehicle.execute([attack.action], ctx, "t")
    _assert_refused(vehicle, before, [r.reason_code for r in results], attack.code)
    assert not vehicle.can_undo


@dataclass(frozen=True)
class UndoAttack:
    """Someone allowed does `done`; then someone else's undo would break a rule."""

    id: str
    done: CabinAction
    done_by: ActionContext
    asker: ActionContext
    code: str
    watch: str
    state: dict[str, Any] = field(default_factory=dict)
    after: dict[str, Any] = field(default_factory=dict)  # what happens before the undo


DRIVER = ActionContext(speaker="driver")
PASSENGER = ActionContext(speaker="passenger")
REAR = ActionContext(speaker="rear_left")
PHONE_A = ActionContext(speaker="driver", source="api", role="phone", actor="phone-a")
PHONE_B = ActionContext(speaker="driver", source="api", role="phone", actor="phone-b")

UNDO_ATTACKS = [
    UndoAttack(
        "passenger-undoes-the-drivers-defrost",
        SetDefrost(window="front", on=True),
        DRIVER,
        PASSENGER,
        "driver_only",
        "climate.front_defrost",
    ),
    UndoAttack(
        "rear-undoes-the-drivers-window-closing-under-child-lock",
        SetWindow(target="rear", position=0),
        DRIVER,
        REAR,
        "child_lock",
        "windows.rear_left",
        state={"doors.child_lock": True, "windows.rear_left": 100, "windows.rear_right": 100},
    ),
    UndoAttack(
        "rear-undoes-the-child-lock",
        SetChildLock(on=True),
        DRIVER,
        REAR,
        "front_seats_only",
        "doors.child_lock",
    ),
    UndoAttack(
        "phone-undoes-its-child-lock-while-moving",
        SetChildLock(on=True),
        PHONE_A,
        PHONE_A,
        "moving",
        "doors.child_lock",
        after=MOVING,
    ),
    UndoAttack(
        "undo-of-a-lock-while-moving",
        SetDoorLock(locked=True),
        DRIVER,
        DRIVER,
        "moving",
        "doors.locked",
        state={"doors.locked": False},
        after=MOVING,
    ),
    UndoAttack(
        "phone-undoes-its-own-lock-without-confirmation",
        SetDoorLock(locked=True),
        PHONE_A,
        PHONE_A,
        "confirmation_required",
        "doors.locked",
        state={"doors.locked": False},
    ),
    UndoAttack(
        "phone-undoes-another-phones-turn",
        SetWindow(position=100),
        PHONE_A,
        PHONE_B,
        "not_your_turn",
        "windows.driver",
    ),
    UndoAttack(
        "phone-undoes-the-cars-turn",
        SetWindow(position=100),
        DRIVER,
        PHONE_B,
        "not_your_turn",
        "windows.driver",
    ),
]


@pytest.mark.parametrize("attack", UNDO_ATTACKS, ids=lambda a: a.id)
def test_from_undo(attack: UndoAttack) -> None:
    vehicle = Vehicle()
    vehicle.set_many(attack.state)
    done = vehicle.execute([attack.done], attack.done_by, "done")
    assert done[0].status == "done", done
    vehicle.set_many(attack.after)
    before = vehicle.snapshot()
    results = vehicle.undo(attack.asker)
    _assert_refused(vehicle, before, [r.reason_code for r in results], attack.code)
    assert all(r.refused for r in results)
    # Refused, so it stays undoable by someone the policy allows.
    assert vehicle.history[-1].turn_id == "done"


@pytest.mark.parametrize("attack", UNDO_ATTACKS, ids=lambda a: a.id)
async def test_from_undo_spoken(attack: UndoAttack) -> None:
    agent = _agent()
    agent.vehicle.set_many(attack.state)
    agent.vehicle.execute([attack.done], attack.done_by, "done")
    agent.vehicle.set_many(attack.after)
    before = agent.vehicle.snapshot()
    asker = attack.asker
    turn = TurnInput(text="撤销", seat=asker.speaker, role=asker.role, actor=asker.actor)
    result = await agent.handle(turn)
    assert result.route == "undo"
    _assert_refused(agent.vehicle, before, [a.reason_code for a in result.actions], attack.code)
    assert result.refused
    assert "已撤销" not in result.reply
    assert result.reply.startswith("抱歉")


def test_an_allowed_undo_still_works_and_says_so() -> None:
    vehicle = Vehicle()
    vehicle.execute([SetDefrost(window="front", on=True)], DRIVER, "t1")
    results = vehicle.undo(DRIVER)
    assert [(r.status, [c.path for c in r.changes]) for r in results] == [
        ("done", ["climate.front_defrost"])
    ]
    assert vehicle.get("climate.front_defrost") is False
    # Contract v2 (k): a second undo undoes the undo, and it too obeys the policy.
    assert [r.status for r in vehicle.undo(DRIVER)] == ["done"]
    assert vehicle.get("climate.front_defrost") is True


def test_a_partly_refused_undo_reverts_the_rest_and_keeps_the_refused_part() -> None:
    vehicle = Vehicle()
    vehicle.execute(
        [SetDefrost(window="front", on=True), SetWindow(target="passenger", position=100)],
        DRIVER,
        "t1",
    )
    results = vehicle.undo(PASSENGER)
    assert sorted((r.name, r.status) for r in results) == [
        ("set_defrost", "refused"),
        ("set_window", "done"),
    ]
    assert vehicle.get("windows.passenger") == 0
    assert vehicle.get("climate.front_defrost") is True
    # Contract v2 (k): the next undo undoes that undo (one level, no history).
    assert [r.status for r in vehicle.undo(DRIVER)] == ["done"]
    assert vehicle.get("windows.passenger") == 100
    assert vehicle.get("climate.front_defrost") is True


def test_a_phone_may_undo_its_own_turn() -> None:
    vehicle = Vehicle()
    vehicle.execute([SetWindow(position=100)], PHONE_A, "t1")
    assert [r.status for r in vehicle.undo(PHONE_A)] == ["done"]
    assert vehicle.get("windows.driver") == 0


def test_the_driver_may_release_the_child_lock_and_the_phone_when_parked() -> None:
    vehicle = Vehicle()
    vehicle.set("doors.child_lock", True)
    assert vehicle.execute([SetChildLock(on=False)], DRIVER, "t1")[0].status == "done"
    vehicle.set("doors.child_lock", True)
    assert vehicle.execute([SetChildLock(on=False)], PHONE_A, "t2")[0].status == "done"


def test_a_confirmed_phone_unlock_runs_but_never_while_moving() -> None:
    vehicle = Vehicle()
    confirmed = PHONE_A.model_copy(update={"confirmed": True})
    assert vehicle.execute([SetDoorLock(locked=False)], confirmed, "t1")[0].status == "done"
    vehicle.set_many({"doors.locked": True, **MOVING})
    result = vehicle.execute([SetDoorLock(locked=False)], confirmed, "t2")[0]
    assert result.reason_code == "moving"
    assert vehicle.get("doors.locked") is True


@pytest.mark.parametrize("attack", ATTACKS, ids=lambda a: a.id)
async def test_a_forbidden_request_cannot_be_stored_for_the_usual(attack: Attack) -> None:
    """Saving it is refused like doing it, so no one else's "the usual" runs it later."""
    agent = _agent()
    agent.vehicle.set_many(attack.state)
    saver = TurnInput(
        text=f"记住我喜欢{attack.text}", seat=attack.seat, role=attack.role, user="family"
    )
    saved = await agent.handle(saver)
    assert saved.route == "memory"
    assert saved.reply.startswith("抱歉，这个我不能记住"), saved.reply
    assert agent.memory.recall("family") == []
    before = agent.vehicle.snapshot()
    usual = await agent.handle(TurnInput(text="老样子", seat="driver", user="family"))
    assert usual.actions == [] and agent.vehicle.snapshot() == before


async def test_an_allowed_preference_is_still_stored_and_applied() -> None:
    agent = _agent()
    saved = await agent.handle(TurnInput(text="记住我喜欢打开前挡除雾", seat="driver"))
    assert saved.reply.startswith("好的")
    usual = await agent.handle(TurnInput(text="老样子", seat="driver"))
    assert [a.status for a in usual.actions] == ["done"]
    assert agent.vehicle.get("climate.front_defrost") is True
