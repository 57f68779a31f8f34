"""Contract v2's safety rules, judged on the writes a plan makes, from every source.

The policy judges writes, not tools, so each rule is shown here with the writes the
contract's actions make (a recall writes memory, backrest, fore/aft and lumbar; a video
writes source, playing, query, track and screen). The sources the car knows all get the
same verdict; the phone, which sits in no seat, is tried where a seat rule applies.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pytest

from tongxue.cabin.actions import (
    ActionContext,
    CabinAction,
    CallContact,
    PlayVideo,
    RecallSeatMemory,
    ResetSeatPosition,
    SetChargePort,
    SetChildLock,
    SetDriveMode,
    SetDriverAssistance,
    SetExteriorLights,
    SetLumbar,
    SetMirrorHeating,
    SetPedestrianAlert,
    SetPowerMode,
    SetRegen,
    SetScene,
    SetSeatPosition,
    SlidePassengerScreen,
    Source,
)
from tongxue.cabin.policy import Write, check
from tongxue.cabin.seats import SEATS, Seat
from tongxue.cabin.state import ADAS_FUNCTIONS, CarState
from tongxue.cabin.vehicle import Vehicle
from tongxue.dialogue.replies import refusal_reason

SOURCES: list[Source] = ["rules", "llm", "api", "undo", "memory"]
MOVING_STATES: list[dict[str, Any]] = [
    {"drive.speed_kmh": 60.0, "drive.gear": "D"},
    {"drive.gear": "R"},
    {"drive.speed_kmh": 3.0},
]
OTHER_SEATS: list[Seat] = [seat for seat in SEATS if seat != "driver"]
REAR_SEATS: list[Seat] = ["rear_left", "rear_right", "third_left", "third_right"]

PHONE = ActionContext(speaker="driver", source="api", role="phone", actor="phone-1")


def _state(values: dict[str, Any] | None = None) -> CarState:
    state = CarState()
    for path, value in (values or {}).items():
        state.set_path(path, value)
    return state


def _moving(extra: dict[str, Any] | None = None) -> CarState:
    return _state({**MOVING_STATES[0], **(extra or {})})


def _code(ctx: ActionContext, state: CarState, writes: list[Write]) -> str | None:
    refusal = check(ctx, state, writes)
    if refusal is not None:
        assert refusal.reason  # every refusal says why, in words
    return refusal.code if refusal else None


def _ctx(speaker: Seat = "driver", source: Source = "rules") -> ActionContext:
    return ActionContext(speaker=speaker, source=source)


# --- always on ---------------------------------------------------------------------------

ALWAYS_ON = ["adas.seatbelt_reminder", "audio.pedestrian_alert"]


@pytest.mark.parametrize("source", SOURCES)
@pytest.mark.parametrize("path", ALWAYS_ON)
@pytest.mark.parametrize("moving", [False, True])
def test_safety_warnings_cannot_be_turned_off(source: Source, path: str, moving: bool) -> None:
    state = _moving() if moving else _state()
    assert _code(_ctx("driver", source), state, [(path, False)]) == "always_on"


@pytest.mark.parametrize("path", ALWAYS_ON)
def test_not_from_the_phone_nor_any_seat_either(path: str) -> None:
    assert _code(PHONE, _state(), [(path, False)]) == "always_on"
    for seat in SEATS:
        assert _code(_ctx(seat), _state(), [(path, False)]) == "always_on"


def test_the_pedestrian_alert_may_be_turned_on_from_any_seat() -> None:
    for seat in SEATS:
        assert _code(_ctx(seat), _moving(), [("audio.pedestrian_alert", True)]) is None


def test_the_seatbelt_reminder_may_be_turned_on_by_the_driver() -> None:
    writes: list[Write] = [("adas.seatbelt_reminder", True)]
    assert _code(_ctx("driver", "llm"), _moving(), writes) is None
    assert _code(_ctx("passenger", "llm"), _moving(), writes) == "driver_only"


# --- driving controls --------------------------------------------------------------------

V2_DRIVING_WRITES: list[Write] = [
    ("drive.mode", "sport"),
    ("drive.power_mode", "ev"),
    ("drive.regen", 3),
    ("adas.lane_keep", True),
    ("adas.auto_hold", True),
    ("adas.speed_warning", True),
    ("lights.position", True),
    ("lights.fog_front", True),
    ("lights.fog_rear", True),
    ("mirrors.heating", True),
]


@pytest.mark.parametrize("source", SOURCES)
@pytest.mark.parametrize("speaker", OTHER_SEATS)
@pytest.mark.parametrize("write", V2_DRIVING_WRITES, ids=lambda w: w[0])
def test_v2_driving_controls_obey_only_the_driver(
    source: Source, speaker: Seat, write: Write
) -> None:
    assert _code(_ctx(speaker, source), _state(), [write]) == "driver_only"


@pytest.mark.parametrize("write", V2_DRIVING_WRITES, ids=lambda w: w[0])
def test_v2_driving_controls_not_from_the_phone(write: Write) -> None:
    assert _code(PHONE, _state(), [write]) == "not_in_seat"


@pytest.mark.parametrize("source", SOURCES)
@pytest.mark.parametrize("write", V2_DRIVING_WRITES, ids=lambda w: w[0])
def test_the_driver_may_use_them_parked(source: Source, write: Write) -> None:
    assert _code(_ctx("driver", source), _state(), [write]) is None


@pytest.mark.parametrize("state", MOVING_STATES)
@pytest.mark.parametrize(
    "write", [("drive.mode", "eco"), ("drive.power_mode", "hold"), ("drive.regen", 0)]
)
def test_drive_mode_power_and_regen_may_change_while_moving(
    state: dict[str, Any], write: Write
) -> None:
    assert _code(_ctx("driver", "llm"), _state(state), [write]) is None


def test_a_driving_control_in_a_mixed_plan_refuses_the_plan() -> None:
    # "All lights on" from the passenger: the ambient light alone would be fine.
    writes: list[Write] = [("lights.ambient.on", True), ("lights.fog_front", True)]
    assert _code(_ctx("passenger"), _state(), writes) == "driver_only"


# --- while moving ------------------------------------------------------------------------


@pytest.mark.parametrize("source", SOURCES)
@pytest.mark.parametrize("state", MOVING_STATES)
def test_the_charge_port_cannot_open_while_moving(source: Source, state: dict[str, Any]) -> None:
    assert _code(_ctx("driver", source), _state(state), [("charge_port.open", True)]) == "moving"


def test_the_charge_port_from_the_phone_while_moving() -> None:
    assert _code(PHONE, _moving(), [("charge_port.open", True)]) == "moving"


@pytest.mark.parametrize("speaker", SEATS)
def test_the_charge_port_can_always_close_and_open_parked(speaker: Seat) -> None:
    open_port = _moving({"charge_port.open": True})
    assert _code(_ctx(speaker), open_port, [("charge_port.open", False)]) is None
    assert _code(_ctx(speaker), _state(), [("charge_port.open", True)]) is None


DRIVER_SEAT_PLANS: dict[str, list[Write]] = {
    "recline": [("seats.driver.backrest", 4)],
    "forward": [("seats.driver.fore_aft", 30)],
    "recall": [
        ("seats.driver.memory", 3),
        ("seats.driver.backrest", 6),
        ("seats.driver.fore_aft", 80),
        ("seats.driver.lumbar", 2),
    ],
    "reset": [
        ("seats.driver.backrest", 3),
        ("seats.driver.fore_aft", 50),
        ("seats.driver.lumbar", 0),
        ("seats.driver.memory", None),
    ],
}


@pytest.mark.parametrize("source", SOURCES)
@pytest.mark.parametrize("plan", DRIVER_SEAT_PLANS, ids=str)
@pytest.mark.parametrize("speaker", ["driver", "passenger", "rear_left"])
def test_the_drivers_seat_stays_put_while_moving(source: Source, plan: str, speaker: Seat) -> None:
    writes = DRIVER_SEAT_PLANS[plan]
    assert _code(_ctx(speaker, source), _moving(), writes) == "moving"
    assert _code(PHONE, _moving(), writes) == "moving"


@pytest.mark.parametrize("plan", DRIVER_SEAT_PLANS, ids=str)
def test_the_drivers_seat_moves_when_parked(plan: str) -> None:
    assert _code(_ctx("driver", "llm"), _state(), DRIVER_SEAT_PLANS[plan]) is None


def test_a_front_group_seat_move_includes_the_driver_so_it_waits() -> None:
    writes: list[Write] = [("seats.driver.fore_aft", 70), ("seats.passenger.fore_aft", 70)]
    assert _code(_ctx("passenger"), _moving(), writes) == "moving"


@pytest.mark.parametrize(
    "writes",
    [
        [("seats.driver.lumbar", 3)],  # lumbar is not on the list
        [("seats.passenger.backrest", 8), ("seats.passenger.fore_aft", 100)],
        [("seats.rear_left.backrest", 10)],
        [("seats.passenger.memory", 2), ("seats.passenger.backrest", 2)],
        [("seats.driver.massage_mode", "back"), ("seats.driver.massage", 2)],
    ],
    ids=["driver-lumbar", "passenger-seat", "rear-seat", "passenger-memory", "driver-massage"],
)
def test_other_seat_changes_are_fine_while_moving(writes: list[Write]) -> None:
    speaker: Seat = "passenger" if "passenger" in writes[0][0] else "driver"
    assert _code(_ctx(speaker, "llm"), _moving(), writes) is None


@pytest.mark.parametrize("source", SOURCES)
def test_the_passenger_screen_cannot_slide_while_moving(source: Source) -> None:
    writes: list[Write] = [("screens.passenger.position", 100)]
    assert _code(_ctx("passenger", source), _moving(), writes) == "moving"
    assert _code(_ctx("passenger", source), _state(), writes) is None


def test_other_screen_settings_are_fine_while_moving() -> None:
    writes: list[Write] = [
        ("screens.passenger.on", True),
        ("screens.passenger.brightness", 80),
        ("screens.passenger.page", "media"),
    ]
    assert _code(_ctx("passenger"), _moving(), writes) is None


def _video(screen: str) -> list[Write]:
    """What `play_video` writes: source video, playing, the title, episode, the screen on."""
    return [
        ("media.source", "video"),
        ("media.playing", True),
        ("media.query", "甄嬛传"),
        ("media.track", 1),
        ("media.video_screen", screen),
        (f"screens.{screen}.on", True),
    ]


@pytest.mark.parametrize("source", SOURCES)
@pytest.mark.parametrize("speaker", ["driver", "passenger", "rear_left"])
def test_no_video_on_the_centre_screen_while_moving(source: Source, speaker: Seat) -> None:
    assert _code(_ctx(speaker, source), _moving(), _video("center")) == "moving"
    assert _code(PHONE, _moving(), _video("center")) == "moving"


@pytest.mark.parametrize(
    ("position", "code"), [(0, None), (50, None), (51, "moving"), (100, "moving")]
)
def test_passenger_screen_video_depends_on_where_it_is_slid(
    position: int, code: str | None
) -> None:
    state = _moving({"screens.passenger.position": position})
    assert _code(_ctx("passenger", "llm"), state, _video("passenger")) == code


@pytest.mark.parametrize("speaker", SEATS)
def test_the_rear_screen_may_play_while_moving(speaker: Seat) -> None:
    assert _code(_ctx(speaker), _moving(), _video("rear")) is None


def test_video_anywhere_when_parked() -> None:
    parked = _state({"screens.passenger.position": 100})
    for screen in ("center", "passenger", "rear"):
        assert _code(_ctx("driver"), parked, _video(screen)) is None


def test_resuming_video_on_the_centre_screen_is_starting_it() -> None:
    state = _moving({"media.source": "video", "media.video_screen": "center", "media.query": "x"})
    assert _code(_ctx("driver"), state, [("media.playing", True)]) == "moving"
    # Pausing it, or switching to music, is always fine.
    assert _code(_ctx("driver"), state, [("media.playing", False)]) is None
    music: list[Write] = [
        ("media.source", "music"),
        ("media.playing", True),
        ("media.video_screen", None),
    ]
    assert _code(_ctx("driver"), state, music) is None


def test_music_is_not_video() -> None:
    writes: list[Write] = [("media.playing", True), ("media.query", "周杰伦")]
    assert _code(_ctx("driver"), _moving(), writes) is None


@pytest.mark.parametrize("source", SOURCES)
def test_the_rest_scene_cannot_start_while_moving(source: Source) -> None:
    rest: list[Write] = [
        ("scene", "rest"),
        ("seats.passenger.backrest", 8),
        ("climate.power", True),
        ("display.brightness", 10),
        ("media.playing", False),
    ]
    assert _code(_ctx("passenger", source), _moving(), rest) == "moving"
    assert _code(_ctx("passenger", source), _state(), rest) is None
    assert _code(_ctx("passenger", source), _moving({"scene": "rest"}), [("scene", "none")]) is None


# The seat belt reminder is always on (ALWAYS_ON above), whatever the car is doing.
ADAS = [function for function in ADAS_FUNCTIONS if f"adas.{function}" not in ALWAYS_ON]


@pytest.mark.parametrize("source", SOURCES)
@pytest.mark.parametrize("function", ADAS)
def test_no_driver_assistance_can_be_turned_off_while_moving(source: Source, function: str) -> None:
    path = f"adas.{function}"
    assert _code(_ctx("driver", source), _moving(), [(path, False)]) == "moving"
    assert _code(_ctx("driver", source), _moving(), [(path, True)]) is None
    assert _code(_ctx("driver", source), _state(), [(path, False)]) is None


# --- child lock, phone calls -------------------------------------------------------------


@pytest.mark.parametrize("source", SOURCES)
@pytest.mark.parametrize("speaker", ["driver", "passenger"])
@pytest.mark.parametrize("on", [True, False])
def test_the_front_seats_may_change_the_child_lock(source: Source, speaker: Seat, on: bool) -> None:
    state = _state({"doors.child_lock": not on})
    assert _code(_ctx(speaker, source), state, [("doors.child_lock", on)]) is None


@pytest.mark.parametrize("source", SOURCES)
@pytest.mark.parametrize("speaker", REAR_SEATS)
@pytest.mark.parametrize("on", [True, False])
def test_the_back_may_not(source: Source, speaker: Seat, on: bool) -> None:
    state = _state({"doors.child_lock": not on})
    assert _code(_ctx(speaker, source), state, [("doors.child_lock", on)]) == "front_seats_only"


def test_the_phone_keeps_its_child_lock_rules() -> None:
    locked = {"doors.child_lock": True}
    assert _code(PHONE, _moving(), [("doors.child_lock", True)]) is None
    assert _code(PHONE, _moving(locked), [("doors.child_lock", False)]) == "moving"
    assert _code(PHONE, _state(locked), [("doors.child_lock", False)]) is None


CALL: list[Write] = [
    ("phone.call_state", "dialing"),
    ("phone.party", "张三"),
    ("phone.last_dialed", "13800138001"),
]


@pytest.mark.parametrize("source", SOURCES)
@pytest.mark.parametrize("speaker", SEATS)
def test_phone_calls_from_any_seat_moving_or_not(source: Source, speaker: Seat) -> None:
    assert _code(_ctx(speaker, source), _moving(), CALL) is None
    assert _code(_ctx(speaker, source), _state(), CALL) is None
    hang_up: list[Write] = [("phone.call_state", "idle"), ("phone.party", None)]
    assert _code(_ctx(speaker, source), _moving(), hang_up) is None


# --- order and wording -------------------------------------------------------------------


def test_always_on_is_reported_before_who_asked() -> None:
    # Telling the passenger "only the driver can" would suggest the driver could.
    assert _code(_ctx("passenger"), _moving(), [("adas.seatbelt_reminder", False)]) == ("always_on")


def test_driving_control_is_reported_before_moving() -> None:
    assert _code(_ctx("passenger"), _moving(), [("adas.lane_keep", False)]) == "driver_only"


@pytest.mark.parametrize("code", ["always_on", "front_seats_only", "moving"])
def test_every_v2_code_is_worded_in_both_languages(code: str) -> None:
    zh = refusal_reason(code, None, "zh")
    en = refusal_reason(code, None, "en")
    assert zh != "这个操作不被允许" and en != "that isn't allowed"
    assert any("\u4e00" <= ch <= "\u9fff" for ch in zh)
    assert en.isascii()


# --- end to end: the contract's actions through the vehicle ------------------------------


@dataclass(frozen=True)
class Case:
    """A v2 action, who asks it, in which state, and the verdict (None: it runs)."""

    id: str
    action: CabinAction
    seat: Seat
    code: str | None
    state: dict[str, Any] = field(default_factory=dict)
    watch: str | None = None


MOVING = MOVING_STATES[0]
CASES = [
    Case("charge-port-open-moving", SetChargePort(open=True), "driver", "moving", MOVING),
    Case(
        "charge-port-close-moving",
        SetChargePort(open=False),
        "passenger",
        None,
        {**MOVING, "charge_port.open": True},
    ),
    Case(
        "recline-driver-moving",
        SetSeatPosition(backrest_delta=1),
        "driver",
        "moving",
        MOVING,
        "seats.driver.backrest",
    ),
    Case("recline-passenger-moving", SetSeatPosition(backrest_delta=1), "passenger", None, MOVING),
    Case(
        "driver-seat-from-the-back",
        SetSeatPosition(target="driver", fore_aft=80),
        "rear_left",
        "moving",
        MOVING,
        "seats.driver.fore_aft",
    ),
    Case(
        "recall-moving", RecallSeatMemory(slot=2), "driver", "moving", MOVING, "seats.driver.memory"
    ),
    Case(
        "reset-moving",
        ResetSeatPosition(),
        "driver",
        "moving",
        {**MOVING, "seats.driver.backrest": 6},
        "seats.driver.backrest",
    ),
    Case("lumbar-moving", SetLumbar(level=2), "driver", None, MOVING),
    Case(
        "slide-moving",
        SlidePassengerScreen(position=100),
        "passenger",
        "moving",
        MOVING,
        "screens.passenger.position",
    ),
    Case("slide-parked", SlidePassengerScreen(position=100), "passenger", None),
    Case(
        "video-centre-moving",
        PlayVideo(query="流浪地球", screen="center"),
        "driver",
        "moving",
        MOVING,
        "media.source",
    ),
    Case(
        "video-own-screen-driver",
        PlayVideo(query="流浪地球"),
        "driver",
        "moving",
        MOVING,
        "media.video_screen",
    ),
    Case(
        "video-passenger-slid",
        PlayVideo(query="x"),
        "passenger",
        "moving",
        {**MOVING, "screens.passenger.position": 80},
        "media.source",
    ),
    Case("video-passenger-home", PlayVideo(query="x"), "passenger", None, MOVING),
    Case("video-rear", PlayVideo(query="x", screen="rear"), "driver", None, MOVING),
    Case("rest-moving", SetScene(scene="rest"), "passenger", "moving", MOVING, "scene"),
    Case("rest-parked", SetScene(scene="rest"), "driver", None),
    Case(
        "adas-off-moving",
        SetDriverAssistance(function="blind_spot", on=False),
        "driver",
        "moving",
        MOVING,
        "adas.blind_spot",
    ),
    Case(
        "adas-on-moving", SetDriverAssistance(function="auto_hold", on=True), "driver", None, MOVING
    ),
    Case(
        "seatbelt-off",
        SetDriverAssistance(function="seatbelt_reminder", on=False),
        "driver",
        "always_on",
        {},
        "adas.seatbelt_reminder",
    ),
    Case(
        "pedestrian-off",
        SetPedestrianAlert(on=False),
        "rear_right",
        "always_on",
        {},
        "audio.pedestrian_alert",
    ),
    Case(
        "adas-from-passenger",
        SetDriverAssistance(function="auto_hold", on=True),
        "passenger",
        "driver_only",
        {},
        "adas.auto_hold",
    ),
    Case(
        "drive-mode-passenger",
        SetDriveMode(mode="sport"),
        "passenger",
        "driver_only",
        {},
        "drive.mode",
    ),
    Case("drive-mode-moving", SetDriveMode(mode="sport"), "driver", None, MOVING),
    Case("power-mode-moving", SetPowerMode(mode="ev"), "driver", None, MOVING),
    Case("regen-rear", SetRegen(level=0), "rear_left", "driver_only", {}, "drive.regen"),
    Case(
        "fog-passenger",
        SetExteriorLights(fog_front=True, fog_rear=True),
        "passenger",
        "driver_only",
        {},
        "lights.fog_front",
    ),
    Case(
        "position-lights-rear",
        SetExteriorLights(position=True),
        "rear_right",
        "driver_only",
        {},
        "lights.position",
    ),
    Case(
        "mirror-heating-third",
        SetMirrorHeating(on=True),
        "third_left",
        "driver_only",
        {},
        "mirrors.heating",
    ),
    Case("child-lock-passenger", SetChildLock(on=True), "passenger", None),
    Case(
        "child-lock-rear",
        SetChildLock(on=True),
        "rear_right",
        "front_seats_only",
        {},
        "doors.child_lock",
    ),
    Case("call-from-third-row-moving", CallContact(name="Alice"), "third_right", None, MOVING),
]


@pytest.mark.parametrize("source", ["rules", "llm"])
@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_each_rule_through_the_vehicle(case: Case, source: Source) -> None:
    vehicle = Vehicle()
    vehicle.set_many(case.state)
    before = vehicle.snapshot()
    ctx = ActionContext(speaker=case.seat, source=source)
    verdict = vehicle.check([case.action], ctx)[0]
    assert (verdict.code if verdict else None) == case.code
    result = vehicle.execute([case.action], ctx, "t")[0]
    if case.code is None:
        assert result.status in ("done", "unchanged"), result
        return
    assert (result.status, result.reason_code) == ("refused", case.code)
    assert vehicle.snapshot() == before
    if case.watch is not None:
        assert vehicle.get(case.watch) == _value_at(before, case.watch)


def _value_at(snapshot: dict[str, Any], path: str) -> Any:
    node: Any = snapshot
    for key in path.split("."):
        node = node[key]
    return node


@pytest.mark.parametrize(
    ("action", "code"),
    [
        (SetDriveMode(mode="eco"), "not_in_seat"),
        (SetDriverAssistance(function="lane_keep", on=True), "not_in_seat"),
        (SetChargePort(open=True), "moving"),
        (SlidePassengerScreen(position=50), "moving"),
        (PlayVideo(query="x", screen="center"), "moving"),
        (SetPedestrianAlert(on=False), "always_on"),
        (SetChildLock(on=True), None),
    ],
    ids=lambda v: getattr(v, "name", str(v)),
)
def test_the_phone_through_the_vehicle(action: CabinAction, code: str | None) -> None:
    vehicle = Vehicle()
    vehicle.set_many(MOVING)
    result = vehicle.execute([action], PHONE, "t")[0]
    assert result.reason_code == code


def test_undo_cannot_turn_driver_assistance_off_while_moving() -> None:
    vehicle = Vehicle()
    vehicle.set_many({"adas.lane_keep": False})
    driver = ActionContext(speaker="driver")
    vehicle.execute([SetDriverAssistance(function="lane_keep", on=True)], driver, "t1")
    vehicle.set_many(MOVING)
    results = vehicle.undo(driver)
    assert [(r.status, r.reason_code) for r in results] == [("refused", "moving")]
    assert vehicle.get("adas.lane_keep") is True


def test_undo_cannot_reopen_the_charge_port_while_moving() -> None:
    vehicle = Vehicle()
    vehicle.set_many({**MOVING, "charge_port.open": True})
    driver = ActionContext(speaker="driver", source="llm")
    assert vehicle.execute([SetChargePort(open=False)], driver, "t1")[0].status == "done"
    results = vehicle.undo(ActionContext(speaker="driver", source="undo"))
    assert [(r.status, r.reason_code) for r in results] == [("refused", "moving")]
    assert vehicle.get("charge_port.open") is False
