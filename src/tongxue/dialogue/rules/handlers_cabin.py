"""Handlers for lights, wipers, audio volume and the display."""

from __future__ import annotations

from typing import cast

from tongxue.cabin.actions import (
    CabinAction,
    SetAmbientLight,
    SetDisplayBrightness,
    SetHeadlights,
    SetMute,
    SetReadingLight,
    SetVolume,
    SetWipers,
)
from tongxue.cabin.state import AmbientColor
from tongxue.dialogue.rules.amounts import Change, Scale, as_int, numeric_change, only, says_amount
from tongxue.dialogue.rules.request import Request
from tongxue.dialogue.rules.tokens import Dev, Dim, Unit

_NUMERIC_ROLES = ("setter", "sign", "bit", "quantity", "more", "by")
_PERCENT_UNITS: frozenset[Unit | None] = frozenset({None, "percent"})
VOLUME_SCALE = Scale(
    step=10,
    top=100,
    bottom=0,
    low=0,
    high=1000,
    max_delta=100,
    units=_PERCENT_UNITS,
    dims=frozenset({Dim.SIZE, Dim.HEIGHT, Dim.VERTICAL, Dim.INCREASE, Dim.LOUDNESS}),
    half=50,
)
# Brightness words: 亮/暗 always; 高/低/大/小 only once 亮度 or the screen is named.
_BRIGHTNESS_DIMS = frozenset({Dim.BRIGHT, Dim.HEIGHT, Dim.SIZE, Dim.VERTICAL, Dim.INCREASE})
BRIGHTNESS_SCALE = Scale(
    step=10,
    top=100,
    bottom=0,
    low=0,
    high=1000,
    max_delta=100,
    units=_PERCENT_UNITS,
    dims=_BRIGHTNESS_DIMS,
    half=50,
)
LIGHT_ONLY_SCALE = Scale(
    step=10,
    top=100,
    bottom=0,
    low=0,
    high=1000,
    max_delta=100,
    units=_PERCENT_UNITS,
    dims=frozenset({Dim.BRIGHT}),
    half=50,
)


def _int_change(change: Change | None) -> tuple[str, int] | None:
    if change is None:
        return None
    amount = as_int(change.amount)
    return None if amount is None else (change.kind, amount)


def headlights(request: Request) -> list[CabinAction] | None:
    frame = request.frame
    if not only(frame, "switch", "mode", "setter") or not request.for_speaker_only:
        return None
    mode = frame.mode
    if request.device is Dev.LOW_BEAM or request.device is Dev.HIGH_BEAM:
        if mode is not None or frame.switch is False:
            return None  # 关闭远光灯 could mean "dip" or "off": the model asks
        return [SetHeadlights(mode="low" if request.device is Dev.LOW_BEAM else "high")]
    if frame.switch is False:
        return None if mode is not None or frame.setter else [SetHeadlights(mode="off")]
    if mode in ("auto", "low", "high"):
        return [SetHeadlights(mode=mode)]
    # Contract v2 (f): 打开大灯 / headlights on is low beam.
    return [SetHeadlights(mode="low")] if frame.switch is True and not frame.setter else None


def wipers(request: Request) -> list[CabinAction] | None:
    frame = request.frame
    if not only(frame, "switch", "mode", "setter", "quantity") or not request.for_speaker_only:
        return None
    mode = frame.mode
    if frame.quantity is not None:
        # 开到最快 / 最慢: the fastest and slowest wiper speeds.
        if mode is not None or frame.switch is False or frame.quantity.kind not in ("max", "min"):
            return None
        mode = "high" if frame.quantity.kind == "max" else "low"
    if frame.switch is False:
        return None if mode is not None or frame.setter else [SetWipers(mode="off")]
    if mode in ("auto", "low", "high"):
        return [SetWipers(mode=mode)]
    # Contract v2 (f): 打开雨刷 / wipers on is the low speed.
    return [SetWipers(mode="low")] if frame.switch is True and not frame.setter else None


def ambient(request: Request) -> list[CabinAction] | None:
    frame = request.frame
    if not only(frame, "switch", "color", *_NUMERIC_ROLES) or not request.for_speaker_only:
        return None
    if request.color_attr and frame.color is None:
        return None
    color = cast(AmbientColor | None, frame.color)
    if frame.switch is False:
        if color is not None or says_amount(frame) or frame.setter:
            return None
        return [SetAmbientLight(on=False)]
    brightness: tuple[str, int] | None = None
    if says_amount(frame):
        scale = BRIGHTNESS_SCALE if request.brightness_attr else LIGHT_ONLY_SCALE
        if frame.quantity is not None and frame.quantity.kind == "number" and frame.sign is None:
            scale = BRIGHTNESS_SCALE  # 氛围灯调到80: a number can only be the brightness
        brightness = _int_change(numeric_change(frame, scale, request.previous_sign))
        if brightness is None:
            return None
    elif frame.setter and color is None:
        return None
    if color is None and brightness is None:
        return [SetAmbientLight(on=True)] if frame.switch else None
    on = True if frame.switch else None
    if brightness is None:
        return [SetAmbientLight(on=on, color=color)]
    kind, amount = brightness
    if kind == "value":
        return [SetAmbientLight(on=on, color=color, brightness=amount)]
    return [SetAmbientLight(on=on, color=color, brightness_delta=amount)]


def reading_light(request: Request) -> list[CabinAction] | None:
    frame = request.frame
    if frame.switch is None or not only(frame, "switch"):
        return None
    return [SetReadingLight(target=target, on=frame.switch) for target in request.targets]


def volume(request: Request) -> list[CabinAction] | None:
    frame = request.frame
    if not only(frame, "switch", "mute", *_NUMERIC_ROLES) or not request.for_speaker_only:
        return None
    if frame.mute is not None or (frame.switch is not None and not says_amount(frame)):
        if says_amount(frame) or frame.setter:
            return None
        if frame.mute is None:
            return [SetMute(muted=not frame.switch)]  # 关闭声音 mutes, 打开声音 unmutes
        return [SetMute(muted=frame.mute if frame.switch is not False else not frame.mute)]
    if frame.switch is not None:
        return None
    change = _int_change(numeric_change(frame, VOLUME_SCALE, request.previous_sign))
    if change is None:
        return None
    kind, amount = change
    return [SetVolume(value=amount) if kind == "value" else SetVolume(delta=amount)]


def display(request: Request) -> list[CabinAction] | None:
    frame = request.frame
    if not only(frame, *_NUMERIC_ROLES) or not request.for_speaker_only:
        return None
    change = _int_change(numeric_change(frame, BRIGHTNESS_SCALE, request.previous_sign))
    if change is None:
        return None
    kind, amount = change
    if kind == "value":
        return [SetDisplayBrightness(value=amount)]
    return [SetDisplayBrightness(delta=amount)]
