"""Questions the car's own state answers (range, tyre pressure, is the AC on), as facts.

Pure domain: it reads the state and words nothing; `dialogue.replies` turns the facts into
a sentence in the asker's language. Nothing here changes the car.

How each topic is told in facts (the reply layer relies on these shapes):
- a reading (range, speed, temperatures...): one fact named after it, with its unit;
- tyres: one fact per wheel, `normal` true inside 220..300 kPa;
- set_temperature: one fact per climate zone asked about, plus `climate.power`;
- distance_left / time_left: `destination` (None: no navigation is active), then
  `remaining_km` / `eta_min` (None: the route is not calculated yet);
- home/work address: `home` / `work`, None when not saved;
- open_check: one fact per state path checked, `normal` true when it rests (closed,
  off, locked), false when it is open or on;
- contact_number: one fact named after the contact, the number, None when not found.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any, Literal, get_args

from pydantic import BaseModel, ConfigDict

from tongxue.cabin.errors import UnknownPathError
from tongxue.cabin.profile import CarProfile
from tongxue.cabin.seats import GROUP_SEATS, SEATS, WHEELS, ZONES, Seat, Zone, zone_of
from tongxue.cabin.state import CarState

StatusTopic = Literal[
    "range",
    "battery",
    "fuel",
    "tyres",
    "speed",
    "odometer",
    "outside_temperature",
    "inside_temperature",
    "set_temperature",
    "distance_left",
    "time_left",
    "location",
    "home_address",
    "work_address",
    "open_check",
    "contact_number",
]
STATUS_TOPICS: tuple[StatusTopic, ...] = get_args(StatusTopic)

# The contract's normal tyre pressure band, kPa.
TYRE_NORMAL_KPA = (220.0, 300.0)


class StatusQuestion(BaseModel):
    """What was asked; `subject` narrows it (a zone, the things named, a contact's name)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    topic: StatusTopic
    subject: str | None = None


class StatusFact(BaseModel):
    """One figure of an answer."""

    model_config = ConfigDict(frozen=True)

    name: str
    value: Any
    unit: str | None = None
    normal: bool | None = None


class StatusAnswer(BaseModel):
    question: StatusQuestion
    facts: list[StatusFact]


# Readings that are one path each: topic -> (fact name, path, unit).
_READINGS: dict[str, tuple[str, str, str | None]] = {
    "range": ("range_km", "energy.range_km", "km"),
    "battery": ("battery_percent", "energy.battery_percent", "%"),
    "fuel": ("fuel_percent", "energy.fuel_percent", "%"),
    "speed": ("speed_kmh", "drive.speed_kmh", "km/h"),
    "odometer": ("odometer_km", "drive.odometer_km", "km"),
    "outside_temperature": ("outside_temperature", "environment.outside_temperature", "°C"),
    "inside_temperature": ("inside_temperature", "environment.inside_temperature", "°C"),
    "location": ("location", "navigation.location", None),
    "home_address": ("home", "navigation.home", None),
    "work_address": ("work", "navigation.work", None),
}


def answer(
    question: StatusQuestion, state: CarState, profile: CarProfile, speaker: Seat
) -> StatusAnswer:
    """The facts of the state that answer `question`, asked from `speaker`'s seat."""
    facts = _ANSWERERS[question.topic](question, state, profile, speaker)
    return StatusAnswer(question=question, facts=facts)


Answerer = Callable[[StatusQuestion, CarState, CarProfile, Seat], list[StatusFact]]


def _reading(question: StatusQuestion, state: CarState, *_: Any) -> list[StatusFact]:
    name, path, unit = _READINGS[question.topic]
    return [StatusFact(name=name, value=_read(state, path), unit=unit)]


def _tyres(_: StatusQuestion, state: CarState, *__: Any) -> list[StatusFact]:
    low, high = TYRE_NORMAL_KPA
    facts = []
    for wheel in WHEELS:
        kpa = _read(state, f"tires.{wheel}.pressure_kpa")
        normal = kpa is not None and low <= kpa <= high
        facts.append(StatusFact(name=wheel, value=kpa, unit="kPa", normal=normal))
    return facts


def _set_temperature(
    question: StatusQuestion, state: CarState, profile: CarProfile, speaker: Seat
) -> list[StatusFact]:
    facts = [
        StatusFact(name=zone, value=_read(state, f"climate.{zone}.temperature"), unit="°C")
        for zone in _zones(question.subject, profile, speaker)
    ]
    facts.append(StatusFact(name="climate.power", value=_read(state, "climate.power")))
    return facts


# Seat words, looked up by the plain string a subject carries. A zone word is taken as
# the seat of the same name, whose zone it is ("rear" as the rear group: the rear zone).
_SEATS_BY_WORD: dict[str, tuple[Seat, ...]] = {
    **{seat: (seat,) for seat in SEATS},
    **{str(group): seats for group, seats in GROUP_SEATS.items()},
}


def _zones(subject: str | None, profile: CarProfile, speaker: Seat) -> tuple[Zone, ...]:
    """The climate zones a subject names: a zone, a seat or a seat group; else the speaker's."""
    named = _SEATS_BY_WORD.get((subject or "").strip().casefold(), ())
    seats = [seat for seat in named if seat in profile.seats] or [speaker]
    wanted = {zone_of(seat) for seat in seats}
    return tuple(zone for zone in ZONES if zone in wanted)


# What is left of the trip: topic -> (fact name, path, unit).
_TRIP: dict[str, tuple[str, str, str]] = {
    "distance_left": ("remaining_km", "navigation.remaining_km", "km"),
    "time_left": ("eta_min", "navigation.eta_min", "min"),
}


def _trip(question: StatusQuestion, state: CarState, *_: Any) -> list[StatusFact]:
    destination = _read(state, "navigation.destination")
    facts = [StatusFact(name="destination", value=destination)]
    if destination is not None:
        name, path, unit = _TRIP[question.topic]
        facts.append(StatusFact(name=name, value=_read(state, path), unit=unit))
    return facts


def _contact_number(question: StatusQuestion, state: CarState, *_: Any) -> list[StatusFact]:
    asked = (question.subject or "").strip()
    wanted = asked.casefold()
    for contact in _read(state, "phone.contacts") or []:
        name = str(contact.get("name", ""))
        if name.strip().casefold() == wanted:
            return [StatusFact(name=name, value=str(contact.get("number")))]
    return [StatusFact(name=asked, value=None)]


# --- open_check -------------------------------------------------------------------------

# What a question may name, in singular form -> path patterns ("*" = one key of any name).
OPEN_CHECK_THINGS: dict[str, tuple[str, ...]] = {
    "window": ("windows.*",),
    "sunroof": ("sunroof",),
    "sunshade": ("sunshade",),
    "door": ("doors.locked",),
    "lock": ("doors.locked",),
    "trunk": ("trunk.open",),
    "charge_port": ("charge_port.open",),
    "climate": ("climate.power",),
    "ac": ("climate.ac",),
    "light": (
        "lights.headlights",
        "lights.position",
        "lights.fog_front",
        "lights.fog_rear",
        "lights.ambient.on",
        "lights.reading.*",
    ),
    "headlight": ("lights.headlights",),
    "position_light": ("lights.position",),
    "fog_light": ("lights.fog_front", "lights.fog_rear"),
    "ambient_light": ("lights.ambient.on",),
    "reading_light": ("lights.reading.*",),
    "seat_heating": ("seats.*.heating",),
    "seat_ventilation": ("seats.*.ventilation",),
    "massage": ("seats.*.massage",),
    "steering_wheel_heating": ("steering_wheel.heating",),
    "mirror_heating": ("mirrors.heating",),
    "defrost": ("climate.front_defrost", "climate.rear_defrost"),
    "fragrance": ("fragrance.on",),
    "media": ("media.playing",),
    "music": ("media.playing",),
    "screen": ("screens.*.on",),
    "child_lock": ("doors.child_lock",),
    "wiper": ("wipers",),
    "mirror": ("mirrors.folded",),
}
# "Is everything closed?": the things a car is closed with.
CLOSABLES = ("window", "sunroof", "sunshade", "door", "trunk", "charge_port")
_EVERYTHING = frozenset({"", "all", "everything"})
# A mode that is not "on": automatic headlights and wipers are the parked car's default.
_RESTING_WORDS = frozenset({"off", "auto"})


def open_check_paths(subject: str | None, state: CarState) -> list[str]:
    """The state paths a subject names, in table order; [] when it names nothing known.

    A subject is one or more thing words (`windows`, `sunroof`; separated by commas,
    `|`, `+` or spaces), singular or plural, or state paths and patterns themselves.
    """
    leaves = state.paths()
    patterns: list[str] = []
    words = [w for w in re.split(r"[\s,|+]+", (subject or "").strip().casefold()) if w]
    for word in words or [""]:
        patterns.extend(_patterns_of(word))
    return [leaf for leaf in leaves if any(_matches(pattern, leaf) for pattern in patterns)]


def _patterns_of(word: str) -> tuple[str, ...]:
    if word in _EVERYTHING:
        return tuple(p for thing in CLOSABLES for p in OPEN_CHECK_THINGS[thing])
    singular = word[:-1] if word.endswith("s") and word[:-1] in OPEN_CHECK_THINGS else word
    return OPEN_CHECK_THINGS.get(singular, (word,))


def _matches(pattern: str, path: str) -> bool:
    want, got = pattern.split("."), path.split(".")
    return len(want) == len(got) and all(w in ("*", g) for w, g in zip(want, got, strict=True))


def is_resting(path: str, value: Any) -> bool:
    """Closed, off or locked: what "all closed/off" means for one path."""
    if path == "doors.locked":
        return value is True
    if isinstance(value, bool):
        return not value
    if isinstance(value, int | float):
        return value == 0
    if isinstance(value, str):
        return value in _RESTING_WORDS
    return value is None


def _open_check(question: StatusQuestion, state: CarState, *_: Any) -> list[StatusFact]:
    facts = []
    for path in open_check_paths(question.subject, state):
        value = state.get_path(path)
        facts.append(StatusFact(name=path, value=value, normal=is_resting(path, value)))
    return facts


def _read(state: CarState, path: str) -> Any:
    # A state without a version 2 path (an older adapter's) answers "unknown", not a crash.
    try:
        return state.get_path(path)
    except UnknownPathError:
        return None


_ANSWERERS: dict[str, Answerer] = {
    **dict.fromkeys(_READINGS, _reading),
    "tyres": _tyres,
    "set_temperature": _set_temperature,
    "distance_left": _trip,
    "time_left": _trip,
    "open_check": _open_check,
    "contact_number": _contact_number,
}
