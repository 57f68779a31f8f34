from __future__ import annotations

from typing import Any

import pytest
from pydantic import ValidationError

from tongxue.cabin import (
    ACTIONS,
    ActionContext,
    CabinAction,
    NavigateTo,
    PlayMedia,
    SetAmbientLight,
    SetClimate,
    SetClimateMode,
    SetDefrost,
    SetHeadlights,
    SetMirrors,
    SetTemperature,
    SetWindow,
    SetWipers,
)

# The catalogue the parser and the model are built against: tool name -> class name.
CATALOGUE = {
    "set_window": "SetWindow",
    "set_sunroof": "SetSunroof",
    "set_sunshade": "SetSunshade",
    "set_door_lock": "SetDoorLock",
    "set_child_lock": "SetChildLock",
    "set_trunk": "SetTrunk",
    "set_climate": "SetClimate",
    "set_temperature": "SetTemperature",
    "set_fan_speed": "SetFanSpeed",
    "set_climate_mode": "SetClimateMode",
    "set_recirculation": "SetRecirculation",
    "set_defrost": "SetDefrost",
    "set_seat_heating": "SetSeatHeating",
    "set_seat_ventilation": "SetSeatVentilation",
    "set_seat_massage": "SetSeatMassage",
    "set_headlights": "SetHeadlights",
    "set_ambient_light": "SetAmbientLight",
    "set_reading_light": "SetReadingLight",
    "set_wipers": "SetWipers",
    "set_mirrors": "SetMirrors",
    "play_media": "PlayMedia",
    "pause_media": "PauseMedia",
    "set_volume": "SetVolume",
    "set_mute": "SetMute",
    "navigate_to": "NavigateTo",
    "add_waypoint": "AddWaypoint",
    "cancel_navigation": "CancelNavigation",
    "set_display_brightness": "SetDisplayBrightness",
}

# (tool, absolute field, delta field, extra required arguments)
VALUE_OR_DELTA: list[tuple[str, str, str, dict[str, Any]]] = [
    ("set_window", "position", "delta", {}),
    ("set_sunroof", "position", "delta", {}),
    ("set_sunshade", "position", "delta", {}),
    ("set_temperature", "value", "delta", {}),
    ("set_fan_speed", "value", "delta", {}),
    ("set_seat_heating", "level", "delta", {}),
    ("set_seat_ventilation", "level", "delta", {}),
    ("set_seat_massage", "level", "delta", {}),
    ("set_volume", "value", "delta", {}),
    ("set_display_brightness", "value", "delta", {}),
]


def test_catalogue_names_and_classes() -> None:
    # v1's tools stay as they were; contract v2's are checked in test_v2_actions.py.
    named = {name: cls.__name__ for name, cls in ACTIONS.items()}
    assert {name: named.get(name) for name in CATALOGUE} == CATALOGUE
    for name, cls in ACTIONS.items():
        assert cls.name == name
        assert issubclass(cls, CabinAction)


@pytest.mark.parametrize("cls", list(ACTIONS.values()), ids=list(ACTIONS))
def test_every_action_is_documented(cls: type[CabinAction]) -> None:
    assert cls.__doc__ and cls.__doc__.strip()
    for field_name, info in cls.model_fields.items():
        assert info.description, f"{cls.name}.{field_name} has no description"


def test_driving_controls_are_the_four_of_the_contract() -> None:
    driving = {name for name, cls in ACTIONS.items() if cls.driving_control}
    v1 = {"set_headlights", "set_wipers", "set_mirrors", "set_defrost"}
    assert driving & set(CATALOGUE) == v1
    assert SetHeadlights(mode="low").driving_control
    assert SetWipers.driving_control and SetMirrors.driving_control
    assert SetDefrost.driving_control


@pytest.mark.parametrize(("tool", "absolute", "delta", "extra"), VALUE_OR_DELTA)
def test_value_and_delta_exactly_one(
    tool: str, absolute: str, delta: str, extra: dict[str, Any]
) -> None:
    cls = ACTIONS[tool]
    assert getattr(cls(**{absolute: 2, **extra}), absolute) == 2
    assert getattr(cls(**{delta: -1, **extra}), delta) == -1
    with pytest.raises(ValidationError, match="exactly one"):
        cls(**{absolute: 2, delta: 1, **extra})
    with pytest.raises(ValidationError, match="exactly one"):
        cls(**extra)


def test_set_climate_needs_power_or_ac() -> None:
    assert SetClimate(ac=True).power is None
    with pytest.raises(ValidationError, match="at least one"):
        SetClimate()


def test_ambient_light_rules() -> None:
    assert SetAmbientLight(color="blue").on is None
    with pytest.raises(ValidationError, match="at least one"):
        SetAmbientLight()
    with pytest.raises(ValidationError, match="at most one"):
        SetAmbientLight(brightness=40, brightness_delta=10)
    with pytest.raises(ValidationError, match="turn it on"):
        SetAmbientLight(on=False, color="red")


def test_play_media_blank_query_is_resume() -> None:
    assert PlayMedia(query="  ").query is None
    assert PlayMedia(query=" 周杰伦 ").query == "周杰伦"
    assert PlayMedia().query is None


@pytest.mark.parametrize(
    "make",
    [
        lambda: SetWindow(target="boot", position=1),  # type: ignore[arg-type]
        lambda: SetWindow(position=1, speed=3),  # type: ignore[call-arg]
        lambda: SetTemperature(value="warm"),  # type: ignore[arg-type]
        lambda: SetClimateMode(mode="cold"),  # type: ignore[arg-type]
        lambda: NavigateTo(destination="  "),
        lambda: ACTIONS["set_door_lock"](),
    ],
)
def test_bad_fields_are_rejected(make: Any) -> None:
    with pytest.raises(ValidationError):
        make()


def test_arguments_leave_out_what_was_not_given() -> None:
    assert SetWindow(target="rear", position=50).arguments() == {"target": "rear", "position": 50}
    assert PlayMedia().arguments() == {}


def test_actions_and_context_are_immutable() -> None:
    action = SetWindow(position=10)
    with pytest.raises(ValidationError):
        action.position = 20  # type: ignore[misc]
    ctx = ActionContext(speaker="passenger")
    assert ctx.source == "rules"
    with pytest.raises(ValidationError):
        ActionContext(speaker="boot")  # type: ignore[arg-type]
    with pytest.raises(ValidationError):
        ActionContext(speaker="driver", source="radio")  # type: ignore[arg-type]
