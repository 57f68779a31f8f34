"""How a frame's amount words become a value or a change on a device's scale."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from tongxue.dialogue.rules.frame import Frame
from tongxue.dialogue.rules.tokens import Dim, Unit

ChangeKind = Literal["value", "delta"]


def present(frame: Frame) -> set[str]:
    """The request roles a frame filled; a handler must use every one of them."""
    names: set[str] = set()
    flags = {
        "switch": frame.switch is not None,
        "window_only": frame.window_only_switch,
        "setter": frame.setter,
        "sign": frame.sign is not None,
        "bit": frame.bit,
        "feel_bit": frame.feel_bit,
        "intens": frame.intens,
        "subject": frame.subject,
        "feeling": frame.feeling is not None,
        "quantity": frame.quantity is not None,
        "by": frame.by,
        "color": frame.color is not None,
        "mode": frame.mode is not None,
        "lock": frame.lock is not None,
        "fold": frame.fold is not None,
        "mute": frame.mute is not None,
        "more": frame.more,
        "le": frame.le,
        "copula": frame.copula,
        "complaint_word": frame.complaint_word,
    }
    for name, given in flags.items():
        if given:
            names.add(name)
    return names


def only(frame: Frame, *allowed: str) -> bool:
    """True when the frame says nothing beyond the allowed roles."""
    return present(frame) <= set(allowed)


def says_amount(frame: Frame) -> bool:
    """True when the frame asks for a number or a change (not only on/off, colour, ...)."""
    return frame.quantity is not None or frame.sign is not None or frame.bit or frame.more


@dataclass(frozen=True)
class Scale:
    """A device's numeric scale as the contract words it."""

    step: float  # what "a bit" / "louder" moves
    top: float  # 最大 / max
    bottom: float  # 最小 / min
    low: float  # absolute values accepted from speech (outside: hand on to the model)
    high: float
    max_delta: float
    units: frozenset[Unit | None]
    dims: frozenset[Dim]
    half: float | None = None


@dataclass(frozen=True)
class Change:
    kind: ChangeKind
    amount: float


def numeric_change(frame: Frame, scale: Scale, previous_sign: int | None) -> Change | None:
    """The value or delta a frame asks for on `scale`; None when it does not fit."""
    if frame.dims - scale.dims:
        return None
    sign = frame.sign
    quantity = frame.quantity
    if quantity is not None:
        if frame.bit or frame.more:
            return None
        if quantity.kind == "number":
            return _number_change(frame, scale, quantity.value, quantity.unit, sign)
        if frame.by:
            return None
        if quantity.kind == "half":
            return None if scale.half is None or sign is not None else Change("value", scale.half)
        if quantity.kind == "max":
            return None if sign == -1 else Change("value", scale.top)
        return None if sign == 1 else Change("value", scale.bottom)
    if frame.by or (frame.setter and sign is None):
        return None
    if sign is None and frame.more:
        sign = previous_sign
    if sign is None:
        return None
    return Change("delta", sign * scale.step)


def _number_change(
    frame: Frame, scale: Scale, value: float | None, unit: Unit | None, sign: int | None
) -> Change | None:
    if value is None or unit not in scale.units:
        return None
    if sign is not None and not frame.setter:
        if value <= 0 or value > scale.max_delta:
            return None
        return Change("delta", sign * value)
    if frame.by or not scale.low <= value <= scale.high:
        return None
    return Change("value", value)


def as_int(value: float) -> int | None:
    """An integer amount, or None for a fraction where only whole steps exist."""
    return int(value) if float(value).is_integer() else None
