"""Car profiles: which seats a car has and what is fitted where, loaded from TOML.

A profile changes what actions can reach (a sedan has no third row, maybe no massage);
it never changes the names of the contract.
"""

from __future__ import annotations

import tomllib
from importlib import resources
from pathlib import Path
from typing import Any, Literal, get_args

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from tongxue.cabin.errors import ProfileError
from tongxue.cabin.seats import SEATS, Seat, nearest_seat
from tongxue.cabin.state import CarState, summarize_validation_error

Feature = Literal[
    "sunroof",
    "sunshade",
    "ambient_light",
    "seat_heating",
    "seat_ventilation",
    "seat_massage",
    "seat_lumbar",
    "seat_memory",
]
FEATURES: tuple[Feature, ...] = get_args(Feature)
SeatFeature = Literal[
    "seat_heating", "seat_ventilation", "seat_massage", "seat_lumbar", "seat_memory"
]
_SEAT_FEATURES: tuple[SeatFeature, ...] = get_args(SeatFeature)

FRONT_SEATS: tuple[Seat, ...] = ("driver", "passenger")

_PROFILE_PACKAGE = "tongxue.cabin"
_PROFILE_FOLDER = "profiles"


class Equipment(BaseModel):
    """What is fitted. Seat features list the seats that have them; left out: every seat."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    sunroof: bool = True
    sunshade: bool = True
    ambient_light: bool = True
    seat_heating: tuple[Seat, ...] | None = None
    seat_ventilation: tuple[Seat, ...] | None = None
    seat_massage: tuple[Seat, ...] | None = None
    # Power-seat extras are a front-seat thing; left out they are where the contract puts them.
    seat_lumbar: tuple[Seat, ...] | None = FRONT_SEATS
    seat_memory: tuple[Seat, ...] | None = FRONT_SEATS


class CarProfile(BaseModel):
    """One car model: its seats and its equipment."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(min_length=1, description="Short name, e.g. 'suv6'.")
    name: str = Field(min_length=1, description="Human-readable name.")
    seats: tuple[Seat, ...] = Field(SEATS, description="Seats present, in any order.")
    equipment: Equipment = Field(default_factory=Equipment)

    @model_validator(mode="after")
    def _check_seats(self) -> CarProfile:
        if len(set(self.seats)) != len(self.seats):
            raise ValueError("seats are listed twice")
        missing_front = {"driver", "passenger"} - set(self.seats)
        if missing_front:
            raise ValueError(f"every car has the front seats; missing: {sorted(missing_front)}")
        for feature in _SEAT_FEATURES:
            fitted = getattr(self.equipment, feature) or ()
            stray = [seat for seat in fitted if seat not in self.seats]
            if stray:
                raise ValueError(f"{feature} lists seats the car does not have: {stray}")
        return self

    @property
    def ordered_seats(self) -> tuple[Seat, ...]:
        """The seats in contract order (driver first, third row last)."""
        return tuple(seat for seat in SEATS if seat in self.seats)

    @property
    def has_third_row(self) -> bool:
        return any(seat in self.seats for seat in ("third_left", "third_right"))

    def seats_with(self, feature: SeatFeature) -> tuple[Seat, ...]:
        """The seats fitted with a seat feature, in contract order."""
        fitted: tuple[Seat, ...] | None = getattr(self.equipment, feature)
        if fitted is None:
            return self.ordered_seats
        return tuple(seat for seat in self.ordered_seats if seat in fitted)

    def has(self, feature: Feature) -> bool:
        """Whether the car has a feature anywhere."""
        if feature in _SEAT_FEATURES:
            return bool(self.seats_with(feature))
        return bool(getattr(self.equipment, feature))

    def nearest_seat(self, seat: Seat) -> Seat:
        """The speaker's seat mapped onto this car (a third-row id on a sedan -> rear)."""
        return nearest_seat(seat, self.seats)

    def initial_state(self) -> CarState:
        """A parked car, everything closed and off, with per-seat paths for this car's seats."""
        return CarState.with_seats(
            self.ordered_seats,
            lumbar=self.seats_with("seat_lumbar"),
            memory=self.seats_with("seat_memory"),
        )


def profile_from_dict(data: dict[str, Any], *, origin: str = "profile") -> CarProfile:
    """Build a profile from parsed TOML/JSON data, with a readable error."""
    try:
        return CarProfile.model_validate(data)
    except ValidationError as error:
        raise ProfileError(f"{origin}: {summarize_validation_error(error)}") from error


def load_profile(path: str | Path) -> CarProfile:
    """Load a profile from a TOML file."""
    path = Path(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise ProfileError(f"cannot read car profile {path}: {error}") from error
    except tomllib.TOMLDecodeError as error:
        raise ProfileError(f"{path} is not valid TOML: {error}") from error
    return profile_from_dict(data, origin=str(path))


def builtin_profiles() -> list[str]:
    """Ids of the profiles shipped with the package."""
    folder = resources.files(_PROFILE_PACKAGE).joinpath(_PROFILE_FOLDER)
    return sorted(
        entry.name.removesuffix(".toml")
        for entry in folder.iterdir()
        if entry.name.endswith(".toml")
    )


def load_builtin_profile(profile_id: str) -> CarProfile:
    """Load a shipped profile by id (`suv6`, `sedan5`)."""
    if profile_id not in builtin_profiles():
        raise ProfileError(
            f"no built-in car profile '{profile_id}' (have: {', '.join(builtin_profiles())})"
        )
    entry = resources.files(_PROFILE_PACKAGE).joinpath(_PROFILE_FOLDER, f"{profile_id}.toml")
    data = tomllib.loads(entry.read_text(encoding="utf-8"))
    return profile_from_dict(data, origin=f"built-in profile {profile_id}")


def resolve_profile(name_or_path: str | Path) -> CarProfile:
    """A built-in id, or a path to a TOML file."""
    text = str(name_or_path)
    if text in builtin_profiles():
        return load_builtin_profile(text)
    return load_profile(name_or_path)


DEFAULT_PROFILE: CarProfile = load_builtin_profile("suv6")
