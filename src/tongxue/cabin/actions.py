"""The cabin actions: one pydantic model per tool, shared by the rule parser and the LLM.

An action is a request, not a result: it holds what was asked (`None` = not given) and
knows nothing about the car. `effects.py` turns it into state writes, `policy.py` decides
whether it may run, `Vehicle.execute` does both.
"""

from __future__ import annotations

import math
from typing import Any, ClassVar, Literal, get_args

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationInfo,
    field_validator,
    model_validator,
)

from tongxue.cabin.profile import Feature
from tongxue.cabin.seats import Seat, SeatTarget
from tongxue.cabin.state import MAX_TEXT, AmbientColor, ClimateMode, HeadlightMode, WiperMode

# What produced an action: the rules parser, the model, a direct API call, an undo, or a
# stored preference ("the usual").
Source = Literal["rules", "llm", "api", "undo", "memory"]
# Who is asking: someone in the car (the car's own microphones and screens), the owner's
# phone app (remote, in no seat), or an admin client (tests, tools; seat-bound like the car).
Role = Literal["car", "phone", "admin"]
TargetKind = Literal[
    "window", "climate_zone", "seat_heating", "seat_ventilation", "seat_massage", "reading_light"
]

_TARGET = "Seat or seat group; leave out for the speaker's own seat."
# Far beyond every range in the car, so an out-of-range request is still clamped and
# reported as such; a number beyond it is malformed input, not a request.
MAX_MAGNITUDE = 10_000


class ActionContext(BaseModel):
    """Who asked, from where, through which path: the policy decides on all of it."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    speaker: Seat = Field(description="The seat the request was spoken from (microphone zone).")
    source: Source = Field("rules", description="What produced the action.")
    role: Role = Field("car", description="Who is asking: in the car, the phone app, an admin.")
    actor: str | None = Field(
        None, max_length=64, description="Which client asked (an API key id), when known."
    )
    confirmed: bool = Field(
        False, description="The asker confirmed the request in a second step (remote unlock)."
    )

    @property
    def remote(self) -> bool:
        """The phone sits in no seat: seat rules see it as outside the car."""
        return self.role == "phone"


class CabinAction(BaseModel):
    """Base of every action. Subclasses set `name` (the tool name) and a docstring."""

    model_config = ConfigDict(
        extra="forbid", frozen=True, str_strip_whitespace=True, allow_inf_nan=False
    )

    name: ClassVar[str]
    # Headlights, wipers, mirrors, defrost: obey only the driver's seat.
    driving_control: ClassVar[bool] = False
    # Equipment the car must have for the tool to be offered at all.
    requires: ClassVar[Feature | None] = None
    # What a `target` field addresses, for seat-group resolution.
    target_kind: ClassVar[TargetKind | None] = None
    # At most one of these may be given (an absolute value and its delta).
    exclusive: ClassVar[tuple[str, ...]] = ()
    # At least one of these must be given.
    required_any: ClassVar[tuple[str, ...]] = ()

    @field_validator("*", mode="before")
    @classmethod
    def _no_flag_for_a_number(cls, value: Any, info: ValidationInfo) -> Any:
        # Lax parsing would read true as 1: a client that sends a flag for a number is wrong.
        if isinstance(value, bool) and info.field_name is not None:
            annotation = cls.model_fields[info.field_name].annotation
            if annotation is not bool and bool not in get_args(annotation):
                raise ValueError("expected a value of the field's type, not true/false")
        return value

    @field_validator("*", mode="after")
    @classmethod
    def _bounded_number(cls, value: Any) -> Any:
        is_number = isinstance(value, int | float) and not isinstance(value, bool)
        if is_number and (not math.isfinite(value) or abs(value) > MAX_MAGNITUDE):
            raise ValueError(f"must be a finite number between ±{MAX_MAGNITUDE}")
        return value

    @model_validator(mode="after")
    def _check_given_fields(self) -> CabinAction:
        given = [field for field in self.required_any if getattr(self, field) is not None]
        both = [field for field in self.exclusive if getattr(self, field) is not None]
        exactly = self.exclusive == self.required_any
        if (self.required_any and not given) or len(both) > 1:
            if exactly:
                raise ValueError(f"give exactly one of {' or '.join(self.exclusive)}")
            if len(both) > 1:
                raise ValueError(f"give at most one of {' or '.join(self.exclusive)}")
            raise ValueError(f"give at least one of {', '.join(self.required_any)}")
        return self

    def arguments(self) -> dict[str, Any]:
        """The given arguments as JSON values (fields left out are omitted)."""
        return self.model_dump(mode="json", exclude_none=True)


# --- openings -------------------------------------------------------------------------


class SetWindow(CabinAction):
    """Open or close side windows. Position is percent open, 0 (closed) to 100 (fully open);
    delta moves relative to now (+ opens, - closes). Give exactly one of position or delta."""

    name: ClassVar[str] = "set_window"
    target_kind: ClassVar[TargetKind | None] = "window"
    exclusive: ClassVar[tuple[str, ...]] = ("position", "delta")
    required_any: ClassVar[tuple[str, ...]] = ("position", "delta")

    target: SeatTarget | None = Field(None, description=_TARGET)
    position: int | None = Field(None, description="Percent open, 0..100.")
    delta: int | None = Field(None, description="Change in percent points, e.g. 20 or -20.")


class SetSunroof(CabinAction):
    """Open or close the sunroof. Position is percent open, 0..100; delta moves relative
    to now. Give exactly one of position or delta."""

    name: ClassVar[str] = "set_sunroof"
    requires: ClassVar[Feature | None] = "sunroof"
    exclusive: ClassVar[tuple[str, ...]] = ("position", "delta")
    required_any: ClassVar[tuple[str, ...]] = ("position", "delta")

    position: int | None = Field(None, description="Percent open, 0..100.")
    delta: int | None = Field(None, description="Change in percent points.")


class SetSunshade(CabinAction):
    """Open or close the sunshade (roof blind). Position is percent open, 0..100; delta
    moves relative to now. Give exactly one of position or delta."""

    name: ClassVar[str] = "set_sunshade"
    requires: ClassVar[Feature | None] = "sunshade"
    exclusive: ClassVar[tuple[str, ...]] = ("position", "delta")
    required_any: ClassVar[tuple[str, ...]] = ("position", "delta")

    position: int | None = Field(None, description="Percent open, 0..100.")
    delta: int | None = Field(None, description="Change in percent points.")


class SetDoorLock(CabinAction):
    """Lock or unlock all doors (central locking)."""

    name: ClassVar[str] = "set_door_lock"

    locked: bool = Field(description="true locks, false unlocks.")


class SetChildLock(CabinAction):
    """Turn the rear child lock on or off."""

    name: ClassVar[str] = "set_child_lock"

    on: bool = Field(description="true turns the child lock on.")


class SetTrunk(CabinAction):
    """Open or close the trunk (tailgate)."""

    name: ClassVar[str] = "set_trunk"

    open: bool = Field(description="true opens, false closes.")


# --- climate --------------------------------------------------------------------------


class SetClimate(CabinAction):
    """Switch the climate system and the AC compressor. "Turn on the AC" is power and ac
    true; "turn off the AC" is both false. Give at least one."""

    name: ClassVar[str] = "set_climate"
    required_any: ClassVar[tuple[str, ...]] = ("power", "ac")

    power: bool | None = Field(None, description="Climate system on or off.")
    ac: bool | None = Field(None, description="AC compressor (cooling) on or off.")


class SetTemperature(CabinAction):
    """Set the cabin temperature of climate zones in °C, 16..32 in steps of 0.5; delta is
    relative (warmer +, cooler -). Also turns the climate on. Give exactly one of value
    or delta."""

    name: ClassVar[str] = "set_temperature"
    target_kind: ClassVar[TargetKind | None] = "climate_zone"
    exclusive: ClassVar[tuple[str, ...]] = ("value", "delta")
    required_any: ClassVar[tuple[str, ...]] = ("value", "delta")

    target: SeatTarget | None = Field(None, description=_TARGET)
    value: float | None = Field(None, description="Temperature in °C, 16..32.")
    delta: float | None = Field(None, description="Change in °C, e.g. 1 or -2.")


class SetFanSpeed(CabinAction):
    """Set the fan speed, 0 (off) to 7 (max); delta is relative. Give exactly one of
    value or delta."""

    name: ClassVar[str] = "set_fan_speed"
    exclusive: ClassVar[tuple[str, ...]] = ("value", "delta")
    required_any: ClassVar[tuple[str, ...]] = ("value", "delta")

    value: int | None = Field(None, description="Fan speed 0..7.")
    delta: int | None = Field(None, description="Change in steps, e.g. 1 or -1.")


class SetClimateMode(CabinAction):
    """Set where the air blows: auto, face, feet, face and feet, or windshield."""

    name: ClassVar[str] = "set_climate_mode"

    mode: ClimateMode = Field(description="Air distribution mode.")


class SetRecirculation(CabinAction):
    """Turn air recirculation (inside air) on or off."""

    name: ClassVar[str] = "set_recirculation"

    on: bool = Field(description="true recirculates cabin air, false takes outside air.")


class SetDefrost(CabinAction):
    """Turn the front (windshield) or rear window defroster on or off. Driver only."""

    name: ClassVar[str] = "set_defrost"
    driving_control: ClassVar[bool] = True

    window: Literal["front", "rear"] = Field(description="Which screen to defrost.")
    on: bool = Field(description="true turns the defroster on.")


# --- seats ----------------------------------------------------------------------------


class _SeatLevelAction(CabinAction):
    exclusive: ClassVar[tuple[str, ...]] = ("level", "delta")
    required_any: ClassVar[tuple[str, ...]] = ("level", "delta")

    target: SeatTarget | None = Field(None, description=_TARGET)
    level: int | None = Field(None, description="Level 0 (off) to 3 (max); 2 when just 'on'.")
    delta: int | None = Field(None, description="Change in levels, e.g. 1 or -1.")


class SetSeatHeating(_SeatLevelAction):
    """Set seat heating, level 0 (off) to 3; 'turn on' means 2. Delta is relative. Give
    exactly one of level or delta."""

    name: ClassVar[str] = "set_seat_heating"
    requires: ClassVar[Feature | None] = "seat_heating"
    target_kind: ClassVar[TargetKind | None] = "seat_heating"


class SetSeatVentilation(_SeatLevelAction):
    """Set seat ventilation (cooling), level 0 (off) to 3; 'turn on' means 2. Delta is
    relative. Give exactly one of level or delta."""

    name: ClassVar[str] = "set_seat_ventilation"
    requires: ClassVar[Feature | None] = "seat_ventilation"
    target_kind: ClassVar[TargetKind | None] = "seat_ventilation"


class SetSeatMassage(_SeatLevelAction):
    """Set seat massage, level 0 (off) to 3; 'turn on' means 2. Delta is relative. Give
    exactly one of level or delta."""

    name: ClassVar[str] = "set_seat_massage"
    requires: ClassVar[Feature | None] = "seat_massage"
    target_kind: ClassVar[TargetKind | None] = "seat_massage"


# --- lights, wipers, mirrors ----------------------------------------------------------


class SetHeadlights(CabinAction):
    """Set the headlights: off, auto, low beam or high beam. Driver only."""

    name: ClassVar[str] = "set_headlights"
    driving_control: ClassVar[bool] = True

    mode: HeadlightMode = Field(description="Headlight mode.")


class SetAmbientLight(CabinAction):
    """Ambient (mood) lighting: on/off, colour, brightness 0..100 or a brightness delta.
    Setting a colour or brightness turns it on. Give at least one."""

    name: ClassVar[str] = "set_ambient_light"
    requires: ClassVar[Feature | None] = "ambient_light"
    exclusive: ClassVar[tuple[str, ...]] = ("brightness", "brightness_delta")
    required_any: ClassVar[tuple[str, ...]] = ("on", "color", "brightness", "brightness_delta")

    on: bool | None = Field(None, description="Turn the ambient light on or off.")
    color: AmbientColor | None = Field(None, description="Colour name.")
    brightness: int | None = Field(None, description="Brightness 0..100.")
    brightness_delta: int | None = Field(None, description="Change in brightness, e.g. 10.")

    @model_validator(mode="after")
    def _off_means_off(self) -> SetAmbientLight:
        if self.on is False and (
            self.color is not None
            or self.brightness is not None
            or self.brightness_delta is not None
        ):
            raise ValueError("on=false cannot go with a colour or brightness (they turn it on)")
        return self


class SetReadingLight(CabinAction):
    """Turn reading lights on or off."""

    name: ClassVar[str] = "set_reading_light"
    target_kind: ClassVar[TargetKind | None] = "reading_light"

    target: SeatTarget | None = Field(None, description=_TARGET)
    on: bool = Field(description="true turns the light on.")


class SetWipers(CabinAction):
    """Set the windshield wipers: off, auto, low or high. Driver only."""

    name: ClassVar[str] = "set_wipers"
    driving_control: ClassVar[bool] = True

    mode: WiperMode = Field(description="Wiper mode.")


class SetMirrors(CabinAction):
    """Fold or unfold the outside mirrors. Driver only; no folding while moving."""

    name: ClassVar[str] = "set_mirrors"
    driving_control: ClassVar[bool] = True

    folded: bool = Field(description="true folds, false unfolds.")


# --- media ----------------------------------------------------------------------------


class PlayMedia(CabinAction):
    """Play music or other media. With a query, play that (a song, artist, genre,
    station); without one, resume what was playing."""

    name: ClassVar[str] = "play_media"

    query: str | None = Field(
        None, min_length=1, max_length=MAX_TEXT, description="What to play, as the user said it."
    )

    @field_validator("query", mode="before")
    @classmethod
    def _blank_is_resume(cls, value: Any) -> Any:
        # Models often send "" for "no query"; that is a resume, not an error.
        if isinstance(value, str) and not value.strip():
            return None
        return value


class PauseMedia(CabinAction):
    """Pause media playback."""

    name: ClassVar[str] = "pause_media"


class SetVolume(CabinAction):
    """Set the media volume, 0..100; delta is relative (louder +10, quieter -10). Give
    exactly one of value or delta."""

    name: ClassVar[str] = "set_volume"
    exclusive: ClassVar[tuple[str, ...]] = ("value", "delta")
    required_any: ClassVar[tuple[str, ...]] = ("value", "delta")

    value: int | None = Field(None, description="Volume 0..100.")
    delta: int | None = Field(None, description="Change in volume, e.g. 10 or -10.")


class SetMute(CabinAction):
    """Mute or unmute media audio."""

    name: ClassVar[str] = "set_mute"

    muted: bool = Field(description="true mutes, false unmutes.")


# --- navigation -----------------------------------------------------------------------


class NavigateTo(CabinAction):
    """Start navigation to a destination (replaces any current route)."""

    name: ClassVar[str] = "navigate_to"

    destination: str = Field(
        min_length=1, max_length=MAX_TEXT, description="The place, as the user said it."
    )


class AddWaypoint(CabinAction):
    """Add a stop on the way to the current destination."""

    name: ClassVar[str] = "add_waypoint"

    place: str = Field(
        min_length=1, max_length=MAX_TEXT, description="The place, as the user said it."
    )


class CancelNavigation(CabinAction):
    """Stop navigation: clears the destination and all waypoints."""

    name: ClassVar[str] = "cancel_navigation"


# --- display --------------------------------------------------------------------------


class SetDisplayBrightness(CabinAction):
    """Set the centre display brightness, 0..100; delta is relative (brighter +10,
    dimmer -10). Give exactly one of value or delta."""

    name: ClassVar[str] = "set_display_brightness"
    exclusive: ClassVar[tuple[str, ...]] = ("value", "delta")
    required_any: ClassVar[tuple[str, ...]] = ("value", "delta")

    value: int | None = Field(None, description="Brightness 0..100.")
    delta: int | None = Field(None, description="Change in brightness, e.g. 10 or -10.")


ACTION_CLASSES: tuple[type[CabinAction], ...] = (
    SetWindow,
    SetSunroof,
    SetSunshade,
    SetDoorLock,
    SetChildLock,
    SetTrunk,
    SetClimate,
    SetTemperature,
    SetFanSpeed,
    SetClimateMode,
    SetRecirculation,
    SetDefrost,
    SetSeatHeating,
    SetSeatVentilation,
    SetSeatMassage,
    SetHeadlights,
    SetAmbientLight,
    SetReadingLight,
    SetWipers,
    SetMirrors,
    PlayMedia,
    PauseMedia,
    SetVolume,
    SetMute,
    NavigateTo,
    AddWaypoint,
    CancelNavigation,
    SetDisplayBrightness,
)

ACTIONS: dict[str, type[CabinAction]] = {cls.name: cls for cls in ACTION_CLASSES}
