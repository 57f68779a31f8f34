"""Which device an earlier action was about, so a follow-up can lean on it."""

from __future__ import annotations

from tongxue.cabin.actions import (
    CabinAction,
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
from tongxue.dialogue.rules.tokens import Dev, SeatRef

_FAMILIES: dict[type[CabinAction], Dev] = {
    SetWindow: Dev.WINDOW,
    SetSunroof: Dev.SUNROOF,
    SetSunshade: Dev.SUNSHADE,
    SetDoorLock: Dev.DOOR,
    SetChildLock: Dev.CHILD_LOCK,
    SetTrunk: Dev.TRUNK,
    SetClimate: Dev.CLIMATE,
    SetTemperature: Dev.TEMPERATURE,
    SetFanSpeed: Dev.FAN,
    SetClimateMode: Dev.CLIMATE_MODE,
    SetRecirculation: Dev.RECIRC,
    SetSeatHeating: Dev.SEAT_HEATING,
    SetSeatVentilation: Dev.SEAT_VENTILATION,
    SetSeatMassage: Dev.SEAT_MASSAGE,
    SetHeadlights: Dev.HEADLIGHTS,
    SetAmbientLight: Dev.AMBIENT,
    SetReadingLight: Dev.READING_LIGHT,
    SetWipers: Dev.WIPERS,
    SetMirrors: Dev.MIRRORS,
    SetVolume: Dev.VOLUME,
    SetMute: Dev.VOLUME,
    SetDisplayBrightness: Dev.DISPLAY,
}


def family_of(action: CabinAction) -> Dev | None:
    """The device an action is about; None for media and navigation (no follow-ups)."""
    if isinstance(action, SetDefrost):
        return Dev.DEFROST_FRONT if action.window == "front" else Dev.DEFROST_REAR
    if isinstance(action, SetHeadlights) and action.mode in ("low", "high"):
        # After 打开远光灯, a bare 关掉 could mean "dip" or "off": no follow-up.
        return None
    return _FAMILIES.get(type(action))


def families(actions: tuple[CabinAction, ...]) -> list[Dev]:
    """The devices of the actions, in order, each once."""
    found: list[Dev] = []
    for action in actions:
        family = family_of(action)
        if family is not None and family not in found:
            found.append(family)
    return found


def has_target(action: CabinAction) -> bool:
    return "target" in type(action).model_fields


def targets_of(actions: tuple[CabinAction, ...], family: Dev) -> tuple[SeatRef, ...]:
    """The seats the earlier actions on `family` addressed, in order, each once."""
    found: list[SeatRef] = []
    for action in actions:
        if family_of(action) is family and has_target(action):
            target: SeatRef = getattr(action, "target", None)
            if target not in found:
                found.append(target)
    return tuple(found) if found else (None,)


def sign_of(actions: tuple[CabinAction, ...], family: Dev) -> int | None:
    """The direction the earlier actions on `family` moved in, if they all agree."""
    signs: set[int] = set()
    for action in actions:
        if family_of(action) is not family:
            continue
        delta = getattr(action, "delta", None)
        if delta is None:
            delta = getattr(action, "brightness_delta", None)
        if delta:
            signs.add(1 if delta > 0 else -1)
    return signs.pop() if len(signs) == 1 else None
