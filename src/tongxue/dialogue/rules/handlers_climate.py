"""Handlers for climate and seat comfort."""

from __future__ import annotations

from dataclasses import replace

from tongxue.cabin.actions import (
    CabinAction,
    SetClimate,
    SetClimateMode,
    SetDefrost,
    SetFanSpeed,
    SetRecirculation,
    SetSeatHeating,
    SetSeatMassage,
    SetSeatVentilation,
    SetTemperature,
)
from tongxue.dialogue.rules.amounts import Scale, as_int, numeric_change, only, says_amount
from tongxue.dialogue.rules.request import Request
from tongxue.dialogue.rules.tokens import Dev, Dim

# Feelings move the temperature further than "a bit": 我有点冷 is +2 (contract).
FEELING_STEP = 2.0
# 最小 for fan and seat levels is the lowest level that is still on.
TEMPERATURE_SCALE = Scale(
    step=1,
    top=32,
    bottom=16,
    low=10,
    high=40,
    max_delta=10,
    units=frozenset({None, "degree"}),
    dims=frozenset({Dim.HEIGHT, Dim.VERTICAL, Dim.INCREASE, Dim.WARMTH}),
)
# Levels beyond the top are passed on as said; the car clamps them and says so.
FAN_SCALE = Scale(
    step=1,
    top=7,
    bottom=1,
    low=0,
    high=20,
    max_delta=7,
    units=frozenset({None, "level"}),
    dims=frozenset({Dim.SIZE, Dim.STRENGTH, Dim.HEIGHT, Dim.VERTICAL, Dim.INCREASE, Dim.SPEED}),
)
SEAT_LEVEL_SCALE = Scale(
    step=1,
    top=3,
    bottom=1,
    low=0,
    high=10,
    max_delta=3,
    units=frozenset({None, "level"}),
    dims=frozenset({Dim.HEIGHT, Dim.SIZE, Dim.STRENGTH, Dim.VERTICAL, Dim.INCREASE}),
)
SEAT_ON_LEVEL = 2
# Bare numbers said to the climate system are temperatures only in a plausible range.
_PLAIN_TEMPERATURE = (14.0, 34.0)
_TEMPERATURE_ROLES = ("setter", "sign", "bit", "quantity", "more", "by")
_FEELING_ROLES = ("feeling", "feel_bit", "intens", "subject", "bit")


def temperature(request: Request) -> list[CabinAction] | None:
    frame = request.frame
    if frame.feeling is not None:
        # A feeling needs a sign that it is one (有点/好/I'm), not a bare 冷.
        said_as_feeling = frame.feel_bit or frame.intens or frame.subject or frame.also or frame.bit
        if not said_as_feeling or not only(frame, *_FEELING_ROLES):
            return None
        delta = frame.feeling * FEELING_STEP
        return [SetTemperature(target=target, delta=delta) for target in request.targets]
    if not only(frame, *_TEMPERATURE_ROLES):
        return None
    change = numeric_change(frame, TEMPERATURE_SCALE, request.previous_sign)
    if change is None:
        return None
    if change.kind == "value":
        return [SetTemperature(target=t, value=change.amount) for t in request.targets]
    return [SetTemperature(target=t, delta=change.amount) for t in request.targets]


def climate(request: Request) -> list[CabinAction] | None:
    """空调: power on/off, or a temperature / fan level / mode said to the system."""
    frame = request.frame
    quantity = frame.quantity
    if frame.mode is not None:
        if frame.switch is False or not only(frame, "mode", "setter", "switch"):
            return None
        return climate_mode(request)
    if quantity is not None and quantity.kind == "number":
        if quantity.unit == "level" and frame.switch is None:
            return fan(request)
        is_temperature = quantity.unit == "degree" or (
            quantity.unit is None
            and quantity.value is not None
            and _PLAIN_TEMPERATURE[0] <= quantity.value <= _PLAIN_TEMPERATURE[1]
        )
        if not is_temperature or frame.switch is False:
            return None
        if frame.switch is None:
            return temperature(request)
        without_switch = _copy_without_switch(request)
        actions = temperature(without_switch)
        if actions is None or not request.for_speaker_only:
            return None
        return [SetClimate(power=True, ac=True), *actions]
    if frame.switch is None or not only(frame, "switch") or not request.for_speaker_only:
        return None
    return [SetClimate(power=frame.switch, ac=frame.switch)]


def _copy_without_switch(request: Request) -> Request:
    return replace(request, frame=replace(request.frame, switch=None))


def compressor(request: Request) -> list[CabinAction] | None:
    frame = request.frame
    if frame.switch is None or not only(frame, "switch") or not request.for_speaker_only:
        return None
    # Cooling needs the system running; switching cooling off leaves the fan as it is.
    return [SetClimate(power=True, ac=True) if frame.switch else SetClimate(ac=False)]


def fan(request: Request) -> list[CabinAction] | None:
    frame = request.frame
    if not only(frame, *_TEMPERATURE_ROLES, "switch") or not request.for_speaker_only:
        return None
    if frame.switch is not None:
        if frame.switch or says_amount(frame) or frame.setter:
            return None
        return [SetFanSpeed(value=0)]
    change = numeric_change(frame, FAN_SCALE, request.previous_sign)
    if change is None:
        return None
    amount = as_int(change.amount)
    if amount is None:
        return None
    return [SetFanSpeed(value=amount) if change.kind == "value" else SetFanSpeed(delta=amount)]


def climate_mode(request: Request) -> list[CabinAction] | None:
    frame = request.frame
    mode = frame.mode
    if mode is None or mode in ("low", "high") or frame.switch is False:
        return None
    if not only(frame, "mode", "setter", "switch") or not request.for_speaker_only:
        return None
    return [SetClimateMode(mode=mode)]


def recirculation(request: Request) -> list[CabinAction] | None:
    frame = request.frame
    if not only(frame, "switch", "setter") or not request.for_speaker_only:
        return None
    wanted = frame.switch is not False
    inside = wanted if request.device is Dev.RECIRC else not wanted
    return [SetRecirculation(on=inside)]


def defrost(request: Request) -> list[CabinAction] | None:
    frame = request.frame
    if frame.switch is None or not only(frame, "switch") or not request.for_speaker_only:
        return None
    if request.device is Dev.DEFROST_FRONT:
        return [SetDefrost(window="front", on=frame.switch)]
    if request.device is Dev.DEFROST_REAR:
        return [SetDefrost(window="rear", on=frame.switch)]
    return None


_SEAT_ACTIONS: dict[Dev, type[SetSeatHeating | SetSeatVentilation | SetSeatMassage]] = {
    Dev.SEAT_HEATING: SetSeatHeating,
    Dev.SEAT_VENTILATION: SetSeatVentilation,
    Dev.SEAT_MASSAGE: SetSeatMassage,
}


def seat_level(request: Request) -> list[CabinAction] | None:
    """Seat heating, ventilation, massage: on = level 2, off = 0, a level, or a step."""
    frame = request.frame
    action = _SEAT_ACTIONS[request.device]
    if not only(frame, *_TEMPERATURE_ROLES, "switch"):
        return None
    if frame.switch is False:
        if says_amount(frame) or frame.setter:
            return None
        return [action(target=target, level=0) for target in request.targets]
    if frame.switch is True and not says_amount(frame):
        if frame.setter:
            return None
        return [action(target=target, level=SEAT_ON_LEVEL) for target in request.targets]
    if frame.switch is True and frame.sign is not None:
        return None  # 打开 + 高一点 says two things
    change = numeric_change(frame, SEAT_LEVEL_SCALE, request.previous_sign)
    if change is None:
        return None
    amount = as_int(change.amount)
    if amount is None:
        return None
    if change.kind == "value":
        return [action(target=target, level=amount) for target in request.targets]
    return [action(target=target, delta=amount) for target in request.targets]
