"""Every action family, in English."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from tongxue.cabin.actions import (
    AddWaypoint,
    CabinAction,
    CancelNavigation,
    NavigateTo,
    NavigateToSaved,
    PauseMedia,
    PlayMedia,
    SetAmbientLight,
    SetChildLock,
    SetClimate,
    SetClimateMode,
    SetDefrost,
    SetDisplayBrightness,
    SetDoorLock,
    SetFanSpeed,
    SetHeadlights,
    SetMirrors,
    SetMute,
    SetReadingLight,
    SetRecirculation,
    SetSeatHeating,
    SetSeatMassage,
    SetSeatVentilation,
    SetSunroof,
    SetSunshade,
    SetTemperature,
    SetTrunk,
    SetVolume,
    SetWindow,
    SetWipers,
)

Parse = Callable[..., tuple[CabinAction, ...] | None]

CASES: list[tuple[str, list[CabinAction]]] = [
    # openings
    ("open the window", [SetWindow(position=100)]),
    ("open the driver's window halfway", [SetWindow(target="driver", position=50)]),
    ("close all windows", [SetWindow(target="all", position=0)]),
    ("open the window to 30 percent", [SetWindow(position=30)]),
    ("open my window a little", [SetWindow(delta=20)]),
    ("can you crack the window", [SetWindow(delta=20)]),
    ("roll my window up", [SetWindow(position=0)]),
    ("roll down the passenger window", [SetWindow(target="passenger", position=100)]),
    ("open the sunroof a bit", [SetSunroof(delta=20)]),
    ("close the sunroof", [SetSunroof(position=0)]),
    ("open the sunshade halfway", [SetSunshade(position=50)]),
    # locks, trunk
    ("lock the doors", [SetDoorLock(locked=True)]),
    ("unlock the car", [SetDoorLock(locked=False)]),
    ("turn on the child lock", [SetChildLock(on=True)]),
    ("open the trunk", [SetTrunk(open=True)]),
    ("close the tailgate", [SetTrunk(open=False)]),
    # climate
    ("turn on the AC", [SetClimate(power=True, ac=True)]),
    ("turn off the air conditioning", [SetClimate(power=False, ac=False)]),
    ("turn on recirculation", [SetRecirculation(on=True)]),
    ("switch to fresh air", [SetRecirculation(on=False)]),
    ("point the air at my face", [SetClimateMode(mode="face")]),
    ("set the airflow to face and feet", [SetClimateMode(mode="face_feet")]),
    ("defrost the windshield", [SetDefrost(window="front", on=True)]),
    ("turn off the rear defroster", [SetDefrost(window="rear", on=False)]),
    # temperature
    ("set the temperature to 22", [SetTemperature(value=22)]),
    ("set temperature to twenty two point five degrees", [SetTemperature(value=22.5)]),
    ("make it warmer", [SetTemperature(delta=1)]),
    ("a bit cooler back here", [SetTemperature(delta=-1)]),
    ("turn the heat up", [SetTemperature(delta=1)]),
    ("I'm cold", [SetTemperature(delta=2)]),
    ("it's boiling back here", [SetTemperature(delta=-2)]),
    ("set the passenger temperature to 22", [SetTemperature(target="passenger", value=22)]),
    ("make it cooler on my side", [SetTemperature(delta=-1)]),
    # fan
    ("fan to 3", [SetFanSpeed(value=3)]),
    ("set the fan speed to five", [SetFanSpeed(value=5)]),
    ("make the fan stronger", [SetFanSpeed(delta=1)]),
    ("max fan", [SetFanSpeed(value=7)]),
    ("fan speed 10", [SetFanSpeed(value=10)]),  # the car clamps and says so
    # seats
    ("turn on seat heating", [SetSeatHeating(level=2)]),
    ("heat my seat to level 3", [SetSeatHeating(level=3)]),
    ("turn on the heating for the rear seats", [SetSeatHeating(target="rear", level=2)]),
    ("turn on the ventilation for the front seats", [SetSeatVentilation(target="front", level=2)]),
    ("turn off my massage", [SetSeatMassage(level=0)]),
    ("seat massage level one", [SetSeatMassage(level=1)]),
    # lights, wipers, mirrors
    ("switch the headlights to high beam", [SetHeadlights(mode="high")]),
    ("turn off the headlights", [SetHeadlights(mode="off")]),
    ("headlights to auto", [SetHeadlights(mode="auto")]),
    ("turn on the ambient lights", [SetAmbientLight(on=True)]),
    ("make the ambient lights blue", [SetAmbientLight(color="blue")]),
    ("set the ambient brightness to seventy five", [SetAmbientLight(brightness=75)]),
    ("turn on my reading light", [SetReadingLight(on=True)]),
    ("wipers to high please", [SetWipers(mode="high")]),
    ("turn off the wipers", [SetWipers(mode="off")]),
    ("fold the mirrors", [SetMirrors(folded=True)]),
    ("unfold the mirrors", [SetMirrors(folded=False)]),
    # media
    ("play some jazz", [PlayMedia(query="jazz")]),
    ("play Taylor Swift", [PlayMedia(query="Taylor Swift")]),
    ("I'm in the mood for some Taylor Swift", [PlayMedia(query="Taylor Swift")]),
    ("pause", [PauseMedia()]),
    ("resume", [PlayMedia()]),
    ("volume to 50", [SetVolume(value=50)]),
    ("louder", [SetVolume(delta=10)]),
    ("turn the volume down a bit", [SetVolume(delta=-10)]),
    ("mute", [SetMute(muted=True)]),
    ("unmute", [SetMute(muted=False)]),
    # navigation
    ("navigate to the airport", [NavigateTo(destination="the airport")]),
    ("take me home", [NavigateToSaved(place="home", fallback="home")]),
    ("add a stop at Starbucks", [AddWaypoint(place="Starbucks")]),
    ("go by way of the hotel", [AddWaypoint(place="the hotel")]),
    (
        "navigate to Hongqiao Station via Suzhou",
        [NavigateTo(destination="Hongqiao Station"), AddWaypoint(place="Suzhou")],
    ),
    ("cancel navigation", [CancelNavigation()]),
    # display
    ("screen brightness 70", [SetDisplayBrightness(value=70)]),
    ("make the screen brighter", [SetDisplayBrightness(delta=10)]),
    ("dim the display", [SetDisplayBrightness(delta=-10)]),
]


@pytest.mark.parametrize(("text", "expected"), CASES, ids=[text for text, _ in CASES])
def test_english_command(actions_of: Parse, text: str, expected: list[CabinAction]) -> None:
    assert actions_of(text) == tuple(expected)
