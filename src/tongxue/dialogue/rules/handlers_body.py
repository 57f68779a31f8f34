"""Handlers for the body of the car: windows, roof, locks, trunk, mirrors."""

from __future__ import annotations

from tongxue.cabin.actions import (
    CabinAction,
    SetChildLock,
    SetDoorLock,
    SetMirrors,
    SetSunroof,
    SetSunshade,
    SetTrunk,
    SetWindow,
)
from tongxue.dialogue.rules.amounts import as_int, only
from tongxue.dialogue.rules.frame import Frame
from tongxue.dialogue.rules.request import Request
from tongxue.dialogue.rules.tokens import Dev, Dim

# The contract's "a bit" for openings.
OPENING_STEP = 20
_OPENING_ROLES = ("switch", "window_only", "setter", "sign", "bit", "quantity", "more", "by")


def _opening_sign(frame: Frame, previous_sign: int | None) -> int | None:
    """+1 opens, -1 closes; None when the words disagree or say neither."""
    signs: set[int] = set()
    if frame.switch is not None:
        signs.add(1 if frame.switch else -1)
    if frame.sign is not None:
        if frame.dims - {Dim.SIZE, Dim.VERTICAL}:
            return None
        # For a pane, "down" opens: 降下 / roll down / lower the window.
        signs.add(-frame.sign if Dim.VERTICAL in frame.dims else frame.sign)
    if not signs and frame.more:
        return previous_sign
    return signs.pop() if len(signs) == 1 else None


def _opening(request: Request) -> tuple[str, int] | None:
    """('position', p) or ('delta', d) for a window, the sunroof or the sunshade."""
    frame = request.frame
    if not only(frame, *_OPENING_ROLES):
        return None
    quantity = frame.quantity
    if quantity is not None:
        if frame.bit or frame.more:
            return None
        sign = _opening_sign(frame, None)
        if quantity.kind == "number":
            value = as_int(quantity.value or 0)
            if value is None or quantity.unit not in (None, "percent") or not 0 <= value <= 1000:
                return None
            if frame.sign is not None and not frame.setter:
                return None if sign is None or value == 0 else ("delta", sign * value)
            if (frame.switch is False and not frame.setter) or frame.by:
                return None
            return ("position", value)
        if frame.by or frame.sign is not None:
            return None
        if quantity.kind == "half":
            return ("position", 50)
        if quantity.kind == "max":
            return None if frame.switch is False else ("position", 100)
        return None if frame.switch is True else ("position", 0)
    if frame.setter or frame.by:
        return None
    sign = _opening_sign(frame, request.previous_sign)
    if sign is None:
        return None
    moves_by_step = frame.bit or frame.more or (frame.sign is not None and Dim.SIZE in frame.dims)
    if moves_by_step:
        return ("delta", sign * OPENING_STEP)
    return ("position", 100 if sign > 0 else 0)


def window(request: Request) -> list[CabinAction] | None:
    opening = _opening(request)
    if opening is None:
        return None
    kind, amount = opening
    if kind == "position":
        return [SetWindow(target=target, position=amount) for target in request.targets]
    return [SetWindow(target=target, delta=amount) for target in request.targets]


def sunroof(request: Request) -> list[CabinAction] | None:
    opening = _opening(request)
    if opening is None or not request.for_speaker_only:
        return None
    kind, amount = opening
    return [SetSunroof(position=amount) if kind == "position" else SetSunroof(delta=amount)]


def sunshade(request: Request) -> list[CabinAction] | None:
    opening = _opening(request)
    if opening is None or not request.for_speaker_only:
        return None
    kind, amount = opening
    return [SetSunshade(position=amount) if kind == "position" else SetSunshade(delta=amount)]


def door(request: Request) -> list[CabinAction] | None:
    frame = request.frame
    if request.targets not in ((None,), ("all",)):
        return None
    if request.device is Dev.DOOR_LOCK and frame.switch is True and frame.lock is None:
        if not only(frame, "switch"):
            return None
        return [SetDoorLock(locked=False)]  # 把门锁打开: open the lock
    if frame.lock is None or not only(frame, "lock"):
        return None
    return [SetDoorLock(locked=frame.lock)]


def child_lock(request: Request) -> list[CabinAction] | None:
    frame = request.frame
    if not only(frame, "switch", "lock", "setter") or request.targets not in ((None,), ("rear",)):
        return None
    states = {value for value in (frame.switch, frame.lock) if value is not None}
    if len(states) != 1:
        return None
    return [SetChildLock(on=states.pop())]


def trunk(request: Request) -> list[CabinAction] | None:
    frame = request.frame
    if frame.switch is None or not only(frame, "switch") or not request.for_speaker_only:
        return None
    return [SetTrunk(open=frame.switch)]


def mirrors(request: Request) -> list[CabinAction] | None:
    frame = request.frame
    if not only(frame, "fold", "switch") or not request.for_speaker_only:
        return None
    if frame.fold is not None:
        # "打开后视镜" unfolds; "关闭 + 折叠" is just folding said twice.
        if frame.switch is True and frame.fold:
            return None
        return [SetMirrors(folded=frame.fold)]
    if frame.switch is True:
        return [SetMirrors(folded=False)]
    return None
