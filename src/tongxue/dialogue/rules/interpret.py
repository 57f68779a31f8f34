"""From a clause's frame to cabin actions: which device, which seats, then its handler.

When the clause names no device, the words that can only mean one thing decide (暖和 is
the temperature, 大声 the volume); otherwise the previous turn does, and only if exactly
one of its devices accepts the clause. Anything else is handed on.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from tongxue.cabin.actions import CabinAction
from tongxue.dialogue.rules import handlers_body, handlers_cabin, handlers_climate
from tongxue.dialogue.rules.families import families, has_target, sign_of, targets_of
from tongxue.dialogue.rules.frame import Frame
from tongxue.dialogue.rules.request import Handler, Request
from tongxue.dialogue.rules.tokens import Dev, SeatRef

HANDLERS: dict[Dev, Handler] = {
    Dev.WINDOW: handlers_body.window,
    Dev.SUNROOF: handlers_body.sunroof,
    Dev.SUNSHADE: handlers_body.sunshade,
    Dev.DOOR: handlers_body.door,
    Dev.DOOR_LOCK: handlers_body.door,
    Dev.CHILD_LOCK: handlers_body.child_lock,
    Dev.TRUNK: handlers_body.trunk,
    Dev.MIRRORS: handlers_body.mirrors,
    Dev.CLIMATE: handlers_climate.climate,
    Dev.COMPRESSOR: handlers_climate.compressor,
    Dev.TEMPERATURE: handlers_climate.temperature,
    Dev.FAN: handlers_climate.fan,
    Dev.CLIMATE_MODE: handlers_climate.climate_mode,
    Dev.RECIRC: handlers_climate.recirculation,
    Dev.FRESH_AIR: handlers_climate.recirculation,
    Dev.DEFROST: handlers_climate.defrost,
    Dev.DEFROST_FRONT: handlers_climate.defrost,
    Dev.DEFROST_REAR: handlers_climate.defrost,
    Dev.SEAT_HEATING: handlers_climate.seat_level,
    Dev.SEAT_VENTILATION: handlers_climate.seat_level,
    Dev.SEAT_MASSAGE: handlers_climate.seat_level,
    Dev.HEADLIGHTS: handlers_cabin.headlights,
    Dev.LOW_BEAM: handlers_cabin.headlights,
    Dev.HIGH_BEAM: handlers_cabin.headlights,
    Dev.AMBIENT: handlers_cabin.ambient,
    Dev.READING_LIGHT: handlers_cabin.reading_light,
    Dev.WIPERS: handlers_cabin.wipers,
    Dev.VOLUME: handlers_cabin.volume,
    Dev.DISPLAY: handlers_cabin.display,
}

_CLIMATE_PARTS = frozenset(
    {
        Dev.TEMPERATURE,
        Dev.FAN,
        Dev.CLIMATE_MODE,
        Dev.RECIRC,
        Dev.FRESH_AIR,
        Dev.COMPRESSOR,
        Dev.DEFROST,
        Dev.DEFROST_FRONT,
        Dev.DEFROST_REAR,
    }
)
_SEAT_FEATURES = frozenset({Dev.SEAT_HEATING, Dev.SEAT_VENTILATION, Dev.SEAT_MASSAGE})
# Devices addressed seat by seat (the others belong to the whole car).
_PER_SEAT = frozenset(
    {
        Dev.WINDOW,
        Dev.TEMPERATURE,
        Dev.SEAT_HEATING,
        Dev.SEAT_VENTILATION,
        Dev.SEAT_MASSAGE,
        Dev.READING_LIGHT,
    }
)
_WORDS_WITHOUT_DEVICE = frozenset({Dev.HEATING_WORD, Dev.VENT_WORD, Dev.SEAT})
_LIT = frozenset({Dev.AMBIENT, Dev.DISPLAY})
_AIR_MODES = ("face", "feet", "face_feet", "windshield")


@dataclass(frozen=True)
class Subject:
    """What a clause is about: one device, or the devices its words allow."""

    device: Dev | None
    implies: frozenset[Dev] | None
    brightness_attr: bool = False
    color_attr: bool = False


def _narrow(current: frozenset[Dev] | None, new: frozenset[Dev]) -> frozenset[Dev] | None:
    return new if current is None else current & new


def subject_of(frame: Frame) -> Subject | None:
    """The device a frame names, after joining words like 空调+温度 or 氛围灯+亮度."""
    devices = set(frame.devices)
    implies = frame.implies
    _join_seat_words(devices)
    if Dev.CLIMATE in devices and devices & _CLIMATE_PARTS:
        devices.discard(Dev.CLIMATE)
    if Dev.FAN in devices and frame.mode in _AIR_MODES:
        # 空调风吹脚: where the air blows is the mode, not the fan speed.
        devices.discard(Dev.FAN)
        devices.add(Dev.CLIMATE_MODE)
    if Dev.HEADLIGHTS in devices and devices & {Dev.LOW_BEAM, Dev.HIGH_BEAM}:
        devices.discard(Dev.HEADLIGHTS)
    if Dev.SEAT in devices:
        devices.discard(Dev.SEAT)
        if not devices & _SEAT_FEATURES:
            implies = _narrow(implies, _SEAT_FEATURES)
    if {Dev.SUNROOF, Dev.SUNSHADE} <= devices:
        devices.discard(Dev.SUNROOF)
    if Dev.MODE_ATTR in devices:
        devices.discard(Dev.MODE_ATTR)
        if Dev.CLIMATE in devices:
            devices.discard(Dev.CLIMATE)
            devices.add(Dev.CLIMATE_MODE)
    brightness_attr = Dev.BRIGHTNESS in devices
    color_attr = Dev.COLOR_ATTR in devices
    devices -= {Dev.BRIGHTNESS, Dev.COLOR_ATTR}
    if brightness_attr:
        if devices - _LIT:
            return None
        implies = _narrow(implies, _LIT)
    if color_attr:
        implies = _narrow(implies, frozenset({Dev.AMBIENT}))
    implies = _implied_by_words(frame, implies)
    if len(devices) > 1 or (implies is not None and not implies):
        return None
    # A named device is not checked against the implications: its handler refuses
    # whatever does not fit it (车窗22度), and 空调 accepts 22度 on behalf of the temperature.
    device = devices.pop() if devices else None
    return Subject(device, implies, brightness_attr, color_attr)


def _join_seat_words(devices: set[Dev]) -> None:
    """heat + seat is seat heating; heat alone is the cabin temperature."""
    if Dev.SEAT in devices:
        if devices & {Dev.HEAT_WORD, Dev.HEATING_WORD}:
            devices -= {Dev.HEAT_WORD, Dev.HEATING_WORD, Dev.SEAT}
            devices.add(Dev.SEAT_HEATING)
        if Dev.VENT_WORD in devices:
            devices -= {Dev.VENT_WORD, Dev.SEAT}
            devices.add(Dev.SEAT_VENTILATION)
    if Dev.HEAT_WORD in devices:
        devices.discard(Dev.HEAT_WORD)
        devices.add(Dev.TEMPERATURE)
    # heating / ventilation without a seat stay as they are and find no handler.


def _implied_by_words(frame: Frame, implies: frozenset[Dev] | None) -> frozenset[Dev] | None:
    """Words that fit only some devices: 22度 is a temperature, 蓝色 the ambient light."""
    if frame.feeling is not None:
        implies = _narrow(implies, frozenset({Dev.TEMPERATURE}))
    quantity = frame.quantity
    if quantity is not None and quantity.unit == "degree":
        implies = _narrow(implies, frozenset({Dev.TEMPERATURE}))
    if quantity is not None and quantity.unit == "level":
        implies = _narrow(implies, frozenset({Dev.FAN}) | _SEAT_FEATURES)
    if frame.color is not None:
        implies = _narrow(implies, frozenset({Dev.AMBIENT}))
    if frame.mode in _AIR_MODES:
        implies = _narrow(implies, frozenset({Dev.CLIMATE_MODE}))
    elif frame.mode in ("low", "high"):
        implies = _narrow(implies, frozenset({Dev.WIPERS, Dev.HEADLIGHTS}))
    elif frame.mode == "auto":
        implies = _narrow(implies, frozenset({Dev.WIPERS, Dev.HEADLIGHTS, Dev.CLIMATE_MODE}))
    if frame.lock is not None:
        implies = _narrow(implies, frozenset({Dev.DOOR}))
    if frame.fold is not None:
        implies = _narrow(implies, frozenset({Dev.MIRRORS}))
    if frame.window_only_switch:
        implies = _narrow(implies, frozenset({Dev.WINDOW, Dev.SUNROOF, Dev.SUNSHADE}))
    return implies


def interpret(
    frame: Frame, previous: tuple[CabinAction, ...], hint: Dev | None = None
) -> list[CabinAction] | None:
    """The actions a clause asks for, or None when it is not fully and surely understood.

    `hint` is the device an earlier clause complained about ("风太大了，小一点").
    """
    settled = _settle_particles(frame)
    if settled is None:
        return None
    frame = settled
    subject = subject_of(frame)
    if subject is None or subject.device in _WORDS_WITHOUT_DEVICE:
        return None
    if subject.device is None and hint is not None:
        if subject.implies is not None and hint not in subject.implies:
            return None
        subject = replace(subject, device=hint)
    if frame.also and not frame.has_request():
        return _repeat_for_seats(frame, subject, previous)
    if not frame.has_request():
        return None
    if subject.device is not None:
        leans_back = frame.again or frame.pronoun or frame.more
        return _run(subject, subject.device, frame, previous, inherit=leans_back)
    earlier = families(previous)
    implies = subject.implies
    if implies is not None and len(implies) == 1:
        (device,) = implies
        # A feeling is about the speaker; "暖和一点" after 副驾22度 is about the passenger.
        inherit = device in earlier and frame.feeling is None
        return _run(subject, device, frame, previous, inherit=inherit)
    candidates = [family for family in earlier if implies is None or family in implies]
    outcomes = [
        actions
        for family in candidates
        if (actions := _run(subject, family, frame, previous, inherit=True)) is not None
    ]
    return outcomes[0] if len(outcomes) == 1 else None


def _settle_particles(frame: Frame) -> Frame | None:
    """Words that are fine only in some company: 了 after 关, "I want" before a device."""
    if frame.copula or frame.complaint_word:
        return None  # complaints are handled before interpretation
    if frame.le:
        if frame.switch is not False and frame.feeling is None:
            return None  # "车窗开了" states, it does not ask
        frame = replace(frame, le=False)
    if frame.want:
        if frame.has_request():
            frame = replace(frame, want=False)
        elif frame.devices:
            frame = replace(frame, want=False, switch=True)
        else:
            return None
    return frame


def _run(
    subject: Subject,
    device: Dev,
    frame: Frame,
    previous: tuple[CabinAction, ...],
    *,
    inherit: bool,
) -> list[CabinAction] | None:
    targets: tuple[SeatRef, ...]
    if frame.seats:
        targets = tuple(frame.seats)
    elif frame.every and device in _PER_SEAT:
        targets = ("all",)
    elif inherit and device in families(previous):
        targets = targets_of(previous, device)
    else:
        targets = (None,)
    request = Request(
        frame=frame,
        device=device,
        targets=targets,
        brightness_attr=subject.brightness_attr,
        color_attr=subject.color_attr,
        previous_sign=sign_of(previous, device),
    )
    return HANDLERS[device](request)


def _repeat_for_seats(
    frame: Frame, subject: Subject, previous: tuple[CabinAction, ...]
) -> list[CabinAction] | None:
    """副驾也是 / the passenger too: the previous seat actions, for the seats now named."""
    if not frame.seats:
        return None
    repeated: list[CabinAction] = []
    for action in previous:
        if not has_target(action):
            continue
        if subject.device is not None and families((action,)) != [subject.device]:
            continue
        repeated.extend(action.model_copy(update={"target": seat}) for seat in frame.seats)
    return repeated or None
