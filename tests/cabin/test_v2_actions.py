"""Contract v2's tool catalogue: names, driving controls, argument checks, schemas."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from pydantic import ValidationError

from tongxue.cabin import (
    ACTIONS,
    CallContact,
    DialNumber,
    InvalidActionError,
    PlayMedia,
    PlayVideo,
    RecallSeatMemory,
    RemoveWaypoints,
    SelectRadioPreset,
    SetAmbientLight,
    SetExteriorLights,
    SetFragrance,
    SetSeatPosition,
    SetVolume,
    load_builtin_profile,
    parse_tool_call,
    tool_schemas,
)
from tongxue.cabin.actions import V2_ACTION_CLASSES

V2_TOOLS = {
    "set_seat_position", "set_lumbar", "recall_seat_memory", "reset_seat_position",
    "set_massage_mode", "set_vent_pattern", "set_climate_preset", "set_exterior_lights",
    "set_mirror_heating", "set_steering_wheel_heating", "set_fragrance", "set_charge_port",
    "set_console", "set_equalizer", "set_engine_sound", "set_pedestrian_alert", "play_video",
    "set_media_source", "skip_track", "set_favorite", "set_play_mode", "tune_radio",
    "select_radio_preset", "save_radio_preset", "call_contact", "dial_number", "redial",
    "answer_call", "end_call", "set_screen", "set_screen_brightness", "slide_passenger_screen",
    "show_screen_page", "set_drive_mode", "set_power_mode", "set_regen",
    "set_driver_assistance", "navigate_to_saved", "set_saved_place", "remove_waypoints",
    "set_route_preferences", "set_navigation_voice", "set_traffic_layer", "set_scene",
}  # fmt: skip


def test_v2_catalogue() -> None:
    assert {cls.name for cls in V2_ACTION_CLASSES} == V2_TOOLS
    assert all(ACTIONS[cls.name] is cls for cls in V2_ACTION_CLASSES)


def test_v2_driving_controls() -> None:
    driving = {cls.name for cls in V2_ACTION_CLASSES if cls.driving_control}
    assert driving == {
        "set_drive_mode",
        "set_power_mode",
        "set_regen",
        "set_driver_assistance",
        "set_exterior_lights",
        "set_mirror_heating",
    }


@pytest.mark.parametrize(
    "make",
    [
        lambda: SetSeatPosition(),
        lambda: SetSeatPosition(backrest=3, backrest_delta=1),
        lambda: SetSeatPosition(fore_aft=3, fore_aft_delta=1),
        lambda: RecallSeatMemory(slot=4),
        lambda: RecallSeatMemory(slot=0),
        lambda: SetFragrance(),
        lambda: SetFragrance(on=False, scent="tea"),
        lambda: SetFragrance(scent="tea", next_scent=True),
        lambda: SetFragrance(level=2, level_delta=1),
        lambda: SetExteriorLights(),
        lambda: SetAmbientLight(on=False, mode="music"),
        lambda: SelectRadioPreset(),
        lambda: SelectRadioPreset(preset=7),
        lambda: SelectRadioPreset(delta=2),
        lambda: DialNumber(number="138 0013"),
        lambda: DialNumber(number=""),
        lambda: CallContact(name=""),
        lambda: RemoveWaypoints(place="A", index=1),
        lambda: RemoveWaypoints(index=0),
        lambda: PlayVideo(episode=0),
        lambda: SetVolume(value=10, channel="alarm"),
    ],
)
def test_v2_bad_arguments_are_rejected(make: Callable[[], Any]) -> None:
    with pytest.raises(ValidationError):
        make()


def test_call_contact_takes_its_name_as_name() -> None:
    action = parse_tool_call("call_contact", {"name": " 张三 "})
    assert isinstance(action, CallContact)
    assert action.contact == "张三"
    assert action.name == "call_contact"
    assert action.arguments() == {"name": "张三"}
    with pytest.raises(InvalidActionError, match="arguments are: name"):
        parse_tool_call("call_contact", {"contact": "张三"})


def test_blank_texts_are_not_given() -> None:
    assert PlayMedia(query="", playlist=" ").arguments() == {}
    assert PlayVideo(query="").arguments() == {}


def _schema(name: str, profile: Any = None) -> dict[str, Any]:
    tools = tool_schemas() if profile is None else tool_schemas(profile)
    by_name = {tool["function"]["name"]: tool for tool in tools}
    parameters: dict[str, Any] = by_name[name]["function"]["parameters"]
    return parameters


def test_v2_schemas_carry_enums_and_required() -> None:
    assert _schema("call_contact")["required"] == ["name"]
    assert _schema("set_massage_mode")["properties"]["mode"]["enum"] == [
        "full",
        "shoulder",
        "back",
        "lumbar",
    ]
    assert _schema("set_volume")["properties"]["channel"]["enum"] == [
        "media",
        "navigation",
        "call",
        "system",
    ]
    assert _schema("play_video")["properties"]["screen"]["enum"] == ["center", "passenger", "rear"]
    assert _schema("tune_radio")["properties"]["frequency"]["type"] == "number"
    assert _schema("set_lumbar")["properties"]["target"]["enum"] == [
        "driver",
        "passenger",
        "front",
        "left_side",
        "right_side",
        "all",
    ]
    assert "second_row" in _schema("set_seat_position")["properties"]["target"]["enum"]


def test_sedan_offers_seat_position_everywhere_it_has_seats() -> None:
    sedan = load_builtin_profile("sedan5")
    targets = _schema("set_seat_position", sedan)["properties"]["target"]["enum"]
    assert "second_row" in targets
    assert "third_row" not in targets
