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
from tongxue.cabin.seats import Screen, Seat, SeatTarget
from tongxue.cabin.state import (
    MAX_TEXT,
    AdasFunction,
    AmbientColor,
    AmbientMode,
    AudioChannel,
    ClimateMode,
    DriveMode,
    EngineSound,
    EqPreset,
    HeadlightMode,
    MassageMode,
    NavigationVoice,
    PlayMode,
    PowerMode,
    RoutePreference,
    SavedPlace,
    Scene,
    Scent,
    ScreenPage,
    VentPattern,
    WiperMode,
)

# What produced an action: the rules parser, the model, a direct API call, an undo, or a
# stored preference ("the usual").
Source = Literal["rules", "llm", "api", "undo", "memory"]
# Who is asking: someone in the car (the car's own microphones and screens), the owner's
# phone app (remote, in no seat), or an admin client (tests, tools; seat-bound like the car).
Role = Literal["car", "phone", "admin"]
TargetKind = Literal[
    "window",
    "climate_zone",
    "seat_heating",
    "seat_ventilation",
    "seat_massage",
    "seat_lumbar",
    "seat_memory",
    "seat_position",
    "reading_light",
]
ClimatePreset = Literal["max_cooling", "max_heating"]
# Sources a listener picks; `video` is reached through play_video only.
AudioSource = Literal["music", "bluetooth", "usb", "radio"]

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
        return self.model_dump(mode="json", exclude_none=True, by_alias=True)


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
    """Ambient (mood) lighting: on/off, colour, brightness 0..100 or a brightness delta,
    effect mode. Setting a colour, brightness or mode turns it on. Give at least one."""

    name: ClassVar[str] = "set_ambient_light"
    requires: ClassVar[Feature | None] = "ambient_light"
    exclusive: ClassVar[tuple[str, ...]] = ("brightness", "brightness_delta")
    required_any: ClassVar[tuple[str, ...]] = (
        "on",
        "color",
        "brightness",
        "brightness_delta",
        "mode",
    )

    on: bool | None = Field(None, description="Turn the ambient light on or off.")
    color: AmbientColor | None = Field(None, description="Colour name.")
    brightness: int | None = Field(None, description="Brightness 0..100.")
    brightness_delta: int | None = Field(None, description="Change in brightness, e.g. 10.")
    mode: AmbientMode | None = Field(
        None, description="static, breathing, music, drive_mode or temperature."
    )

    @model_validator(mode="after")
    def _off_means_off(self) -> SetAmbientLight:
        if self.on is False and (
            self.color is not None
            or self.brightness is not None
            or self.brightness_delta is not None
            or self.mode is not None
        ):
            raise ValueError(
                "on=false cannot go with a colour, brightness or mode (they turn it on)"
            )
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
    """Play music. With a query, play that (a song, artist, genre); with a playlist
    ('favorites' = the favourites), play that list; with neither, resume."""

    name: ClassVar[str] = "play_media"

    query: str | None = Field(
        None, min_length=1, max_length=MAX_TEXT, description="What to play, as the user said it."
    )
    playlist: str | None = Field(
        None, min_length=1, max_length=MAX_TEXT, description="Playlist name or 'favorites'."
    )

    @field_validator("query", "playlist", mode="before")
    @classmethod
    def _blank_is_resume(cls, value: Any) -> Any:
        # Models often send "" for "no query"; that is a resume, not an error.
        return _blank_to_none(value)


class PauseMedia(CabinAction):
    """Pause media playback."""

    name: ClassVar[str] = "pause_media"


class SetVolume(CabinAction):
    """Set a volume, 0..100; delta is relative (louder +10, quieter -10). Without a
    channel: the call volume during a call, else media. Give exactly one of value or
    delta."""

    name: ClassVar[str] = "set_volume"
    exclusive: ClassVar[tuple[str, ...]] = ("value", "delta")
    required_any: ClassVar[tuple[str, ...]] = ("value", "delta")

    value: int | None = Field(None, description="Volume 0..100.")
    delta: int | None = Field(None, description="Change in volume, e.g. 10 or -10.")
    channel: AudioChannel | None = Field(
        None, description="media, navigation, call or system (the assistant's voice)."
    )


class SetMute(CabinAction):
    """Mute or unmute media audio."""

    name: ClassVar[str] = "set_mute"

    muted: bool = Field(description="true mutes, false unmutes.")


# --- navigation -----------------------------------------------------------------------


class NavigateTo(CabinAction):
    """Start navigation to a destination (replaces any current route and its stops)."""

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


# --- seats: position, lumbar, memory, massage mode -------------------------------------


class SetSeatPosition(CabinAction):
    """Move seats: backrest recline 0 (upright) to 10 (flat), fore_aft 0 (fully forward)
    to 100 (fully back); the _delta fields are relative (backrest +1 reclines, fore_aft
    -20 moves forward). Give at least one; at most one of a value and its delta."""

    name: ClassVar[str] = "set_seat_position"
    target_kind: ClassVar[TargetKind | None] = "seat_position"
    required_any: ClassVar[tuple[str, ...]] = (
        "backrest",
        "backrest_delta",
        "fore_aft",
        "fore_aft_delta",
    )

    target: SeatTarget | None = Field(None, description=_TARGET)
    backrest: int | None = Field(None, description="Recline 0 (upright)..10 (flat).")
    backrest_delta: int | None = Field(None, description="Recline change, +1 back, -1 up.")
    fore_aft: int | None = Field(None, description="0 (fully forward)..100 (fully back).")
    fore_aft_delta: int | None = Field(None, description="Change, -20 forward, +20 back.")

    @model_validator(mode="after")
    def _one_per_axis(self) -> SetSeatPosition:
        _at_most_one(self, "backrest", "backrest_delta")
        _at_most_one(self, "fore_aft", "fore_aft_delta")
        return self


class SetLumbar(CabinAction):
    """Set lumbar support, level 0 (off) to 3; 'on' means 2. Delta is relative (more +1,
    less -1). Front seats only. Give exactly one of level or delta."""

    name: ClassVar[str] = "set_lumbar"
    requires: ClassVar[Feature | None] = "seat_lumbar"
    target_kind: ClassVar[TargetKind | None] = "seat_lumbar"
    exclusive: ClassVar[tuple[str, ...]] = ("level", "delta")
    required_any: ClassVar[tuple[str, ...]] = ("level", "delta")

    target: SeatTarget | None = Field(None, description=_TARGET)
    level: int | None = Field(None, description="Level 0 (off)..3.")
    delta: int | None = Field(None, description="Change in levels, e.g. 1 or -1.")


class RecallSeatMemory(CabinAction):
    """Move a seat to a stored memory position 1..3 (front seats only)."""

    name: ClassVar[str] = "recall_seat_memory"
    requires: ClassVar[Feature | None] = "seat_memory"
    target_kind: ClassVar[TargetKind | None] = "seat_memory"

    target: SeatTarget | None = Field(None, description=_TARGET)
    slot: int = Field(ge=1, le=3, description="Memory position 1..3.")


class ResetSeatPosition(CabinAction):
    """Put seats back to the default position (backrest 3, fore_aft 50, lumbar off)."""

    name: ClassVar[str] = "reset_seat_position"
    target_kind: ClassVar[TargetKind | None] = "seat_position"

    target: SeatTarget | None = Field(None, description=_TARGET)


class SetMassageMode(CabinAction):
    """Choose the seat massage programme (starts the massage if it is off)."""

    name: ClassVar[str] = "set_massage_mode"
    requires: ClassVar[Feature | None] = "seat_massage"
    target_kind: ClassVar[TargetKind | None] = "seat_massage"

    target: SeatTarget | None = Field(None, description=_TARGET)
    mode: MassageMode = Field(description="full body, shoulder, back or lumbar.")


# --- climate extras ---------------------------------------------------------------------


class SetVentPattern(CabinAction):
    """Set how the vents blow for climate zones: normal, sweep (swing), natural wind, or
    avoid (away from people). Also turns the climate on."""

    name: ClassVar[str] = "set_vent_pattern"
    target_kind: ClassVar[TargetKind | None] = "climate_zone"

    target: SeatTarget | None = Field(None, description=_TARGET + " 'all' = every zone.")
    pattern: VentPattern = Field(description="Air flow pattern; normal turns the others off.")


class SetClimatePreset(CabinAction):
    """Quick climate: max_cooling (AC, recirculation, fan 7, 16 °C everywhere) or
    max_heating (fan 7, 32 °C everywhere)."""

    name: ClassVar[str] = "set_climate_preset"

    preset: ClimatePreset = Field(description="max_cooling or max_heating.")


# --- lights and body extras ---------------------------------------------------------------


class SetExteriorLights(CabinAction):
    """Switch position (parking/side) lights and front/rear fog lights. Driver only.
    Give at least one."""

    name: ClassVar[str] = "set_exterior_lights"
    driving_control: ClassVar[bool] = True
    required_any: ClassVar[tuple[str, ...]] = ("position", "fog_front", "fog_rear")

    position: bool | None = Field(None, description="Position (side) lights on or off.")
    fog_front: bool | None = Field(None, description="Front fog lights on or off.")
    fog_rear: bool | None = Field(None, description="Rear fog lights on or off.")


class SetMirrorHeating(CabinAction):
    """Turn outside mirror heating (demisting) on or off. Driver only."""

    name: ClassVar[str] = "set_mirror_heating"
    driving_control: ClassVar[bool] = True

    on: bool = Field(description="true heats the mirrors.")


class SetSteeringWheelHeating(CabinAction):
    """Turn steering wheel heating on or off."""

    name: ClassVar[str] = "set_steering_wheel_heating"

    on: bool = Field(description="true heats the wheel.")


class SetFragrance(CabinAction):
    """Cabin fragrance: on/off, a scent, the next scent, strength 1 (light)..3 (strong) or a
    strength delta. Anything but on=false turns it on. Give at least one."""

    name: ClassVar[str] = "set_fragrance"
    exclusive: ClassVar[tuple[str, ...]] = ("level", "level_delta")
    required_any: ClassVar[tuple[str, ...]] = ("on", "scent", "next_scent", "level", "level_delta")

    on: bool | None = Field(None, description="Fragrance on or off.")
    scent: Scent | None = Field(None, description="Scent name.")
    next_scent: bool | None = Field(None, description="true switches to the next scent.")
    level: int | None = Field(None, description="Strength 1..3.")
    level_delta: int | None = Field(None, description="Strength change, +1 or -1.")

    @model_validator(mode="after")
    def _consistent(self) -> SetFragrance:
        _at_most_one(self, "scent", "next_scent")
        others = (self.scent, self.next_scent, self.level, self.level_delta)
        if self.on is False and any(value is not None for value in others):
            raise ValueError("on=false cannot go with a scent or strength (they turn it on)")
        return self


class SetChargePort(CabinAction):
    """Open or close the charge port flap."""

    name: ClassVar[str] = "set_charge_port"

    open: bool = Field(description="true opens, false closes.")


class SetConsole(CabinAction):
    """Slide the armrest console, position 0 (fully forward)..100 (fully back); delta is
    relative (-20 forward, +20 back). Give exactly one."""

    name: ClassVar[str] = "set_console"
    exclusive: ClassVar[tuple[str, ...]] = ("position", "delta")
    required_any: ClassVar[tuple[str, ...]] = ("position", "delta")

    position: int | None = Field(None, description="0..100.")
    delta: int | None = Field(None, description="Change, e.g. -20 or 20.")


# --- audio ----------------------------------------------------------------------------


class SetEqualizer(CabinAction):
    """Choose the sound equalizer preset."""

    name: ClassVar[str] = "set_equalizer"

    preset: EqPreset = Field(description="Equalizer preset.")


class SetEngineSound(CabinAction):
    """Choose the simulated engine sound, or off."""

    name: ClassVar[str] = "set_engine_sound"

    style: EngineSound = Field(description="off, comfort, sport or wild.")


class SetPedestrianAlert(CabinAction):
    """Turn the low-speed pedestrian alert sound on (it cannot be turned off)."""

    name: ClassVar[str] = "set_pedestrian_alert"

    on: bool = Field(description="true turns the alert on.")


# --- media extras ---------------------------------------------------------------------


class PlayVideo(CabinAction):
    """Play a video (film, series, show) on a screen; without a screen, the speaker's.
    Episode picks the episode number."""

    name: ClassVar[str] = "play_video"

    query: str | None = Field(
        None, min_length=1, max_length=MAX_TEXT, description="What to watch, as said."
    )
    screen: Screen | None = Field(None, description="center, passenger or rear.")
    episode: int | None = Field(None, ge=1, description="Episode number, from 1.")

    @field_validator("query", mode="before")
    @classmethod
    def _blank_is_none(cls, value: Any) -> Any:
        return _blank_to_none(value)


class SetMediaSource(CabinAction):
    """Switch the audio source and play it: built-in music, Bluetooth, USB or radio."""

    name: ClassVar[str] = "set_media_source"

    source: AudioSource = Field(description="music, bluetooth, usb or radio.")


class SkipTrack(CabinAction):
    """Next or previous track (or episode); while the radio plays, the next or previous
    station preset."""

    name: ClassVar[str] = "skip_track"

    direction: Literal["next", "previous"] = Field(description="next or previous.")


class SetFavorite(CabinAction):
    """Add the current item to the favourites (liked true) or remove it (false)."""

    name: ClassVar[str] = "set_favorite"

    liked: bool = Field(description="true likes, false unlikes.")


class SetPlayMode(CabinAction):
    """Set the play order: sequence, repeat_one, repeat_all or shuffle."""

    name: ClassVar[str] = "set_play_mode"

    mode: PlayMode = Field(description="Play order.")


# --- radio ----------------------------------------------------------------------------


class TuneRadio(CabinAction):
    """Tune the radio to a frequency: 87.5..108 is FM (MHz), 531..1629 is AM (kHz)."""

    name: ClassVar[str] = "tune_radio"

    frequency: float = Field(description="Frequency, e.g. 101.7 or 909.")


class SelectRadioPreset(CabinAction):
    """Tune a stored station preset 1..6, or the next (+1) / previous (-1) one. Give
    exactly one."""

    name: ClassVar[str] = "select_radio_preset"
    exclusive: ClassVar[tuple[str, ...]] = ("preset", "delta")
    required_any: ClassVar[tuple[str, ...]] = ("preset", "delta")

    preset: int | None = Field(None, ge=1, le=6, description="Preset 1..6.")
    delta: int | None = Field(None, ge=-1, le=1, description="+1 next, -1 previous.")


class SaveRadioPreset(CabinAction):
    """Store the current radio frequency as preset 1..6."""

    name: ClassVar[str] = "save_radio_preset"

    preset: int = Field(ge=1, le=6, description="Preset 1..6.")


# --- phone ----------------------------------------------------------------------------


class CallContact(CabinAction):
    """Call a contact from the phone book by name."""

    name: ClassVar[str] = "call_contact"

    # The tool's argument is `name`, which the class already uses for the tool name.
    contact: str = Field(
        alias="name", min_length=1, max_length=MAX_TEXT, description="The contact's name."
    )


class DialNumber(CabinAction):
    """Dial a phone number (digits only)."""

    name: ClassVar[str] = "dial_number"

    number: str = Field(
        pattern=r"^[0-9]{1,32}$", description="The digits to dial, e.g. 13800138000."
    )


class Redial(CabinAction):
    """Call the last dialled number again."""

    name: ClassVar[str] = "redial"


class AnswerCall(CabinAction):
    """Answer the ringing call."""

    name: ClassVar[str] = "answer_call"


class EndCall(CabinAction):
    """Hang up the current call, or decline a ringing one."""

    name: ClassVar[str] = "end_call"


# --- screens --------------------------------------------------------------------------


class SetScreen(CabinAction):
    """Turn a screen on (wake) or off (sleep); without a screen, the speaker's."""

    name: ClassVar[str] = "set_screen"

    screen: Screen | None = Field(None, description="center, passenger or rear.")
    on: bool = Field(description="true wakes the screen, false turns it off.")


class SetScreenBrightness(CabinAction):
    """Set a screen's brightness 0..100; delta is relative (+10 brighter). Without a
    screen, the speaker's. Give exactly one of value or delta."""

    name: ClassVar[str] = "set_screen_brightness"
    exclusive: ClassVar[tuple[str, ...]] = ("value", "delta")
    required_any: ClassVar[tuple[str, ...]] = ("value", "delta")

    screen: Screen | None = Field(None, description="center, passenger or rear.")
    value: int | None = Field(None, description="Brightness 0..100.")
    delta: int | None = Field(None, description="Change, e.g. 10 or -10.")


class SlidePassengerScreen(CabinAction):
    """Slide the passenger screen: 0 in front of the passenger, 100 in front of the
    driver, 50 the middle; delta is relative. Give exactly one."""

    name: ClassVar[str] = "slide_passenger_screen"
    exclusive: ClassVar[tuple[str, ...]] = ("position", "delta", "toward_speaker")
    required_any: ClassVar[tuple[str, ...]] = ("position", "delta", "toward_speaker")

    position: int | None = Field(None, description="0 (passenger)..100 (driver).")
    delta: int | None = Field(None, description="Change, +20 toward the driver.")
    toward_speaker: bool | None = Field(
        None, description="true: all the way toward whoever asked ('this way')."
    )


class ShowScreenPage(CabinAction):
    """Open a page on a screen (and turn it on); without a screen, the speaker's."""

    name: ClassVar[str] = "show_screen_page"

    screen: Screen | None = Field(None, description="center, passenger or rear.")
    page: ScreenPage = Field(description="Page to show; home closes a page.")


# --- driving --------------------------------------------------------------------------


class SetDriveMode(CabinAction):
    """Set the drive mode. Driver only."""

    name: ClassVar[str] = "set_drive_mode"
    driving_control: ClassVar[bool] = True

    mode: DriveMode = Field(description="comfort, eco, sport, snow or offroad.")


class SetPowerMode(CabinAction):
    """Set the hybrid power mode: hybrid, ev (electric only) or hold (keep the battery).
    Driver only."""

    name: ClassVar[str] = "set_power_mode"
    driving_control: ClassVar[bool] = True

    mode: PowerMode = Field(description="hybrid, ev or hold.")


class SetRegen(CabinAction):
    """Set regenerative braking 0 (off) to 3 (strong, one-pedal); 'on' means 2. Driver
    only."""

    name: ClassVar[str] = "set_regen"
    driving_control: ClassVar[bool] = True

    level: int = Field(description="Level 0..3.")


class SetDriverAssistance(CabinAction):
    """Turn a driver-assistance function on or off. Driver only."""

    name: ClassVar[str] = "set_driver_assistance"
    driving_control: ClassVar[bool] = True

    function: AdasFunction = Field(description="Which assistance function.")
    on: bool = Field(description="true turns it on.")


# --- navigation extras ----------------------------------------------------------------


class NavigateToSaved(CabinAction):
    """Navigate home or to work (the saved address)."""

    name: ClassVar[str] = "navigate_to_saved"

    place: SavedPlace = Field(description="home or work.")
    fallback: str | None = Field(
        None,
        min_length=1,
        max_length=MAX_TEXT,
        description="The word as said (家, 公司), used when no address is saved.",
    )


class SetSavedPlace(CabinAction):
    """Save the home or work address."""

    name: ClassVar[str] = "set_saved_place"

    place: SavedPlace = Field(description="home or work.")
    address: str = Field(min_length=1, max_length=MAX_TEXT, description="The address.")


class RemoveWaypoints(CabinAction):
    """Remove stops from the route: one by name, one by number (from 1), or all when
    neither is given."""

    name: ClassVar[str] = "remove_waypoints"
    exclusive: ClassVar[tuple[str, ...]] = ("place", "index")

    place: str | None = Field(
        None, min_length=1, max_length=MAX_TEXT, description="The stop's name."
    )
    index: int | None = Field(None, ge=1, description="The stop's number, from 1.")


class SetRoutePreferences(CabinAction):
    """Route options: avoid highways, avoid tolls, route preference. 'Prefer highways' is
    avoid_highways false with preference highways. Give at least one."""

    name: ClassVar[str] = "set_route_preferences"
    required_any: ClassVar[tuple[str, ...]] = ("avoid_highways", "avoid_tolls", "preference")

    avoid_highways: bool | None = Field(None, description="Avoid highways.")
    avoid_tolls: bool | None = Field(None, description="Avoid toll roads.")
    preference: RoutePreference | None = Field(
        None, description="recommended, fastest, shortest or highways."
    )


class SetNavigationVoice(CabinAction):
    """Set spoken route guidance: on (detailed), brief or off."""

    name: ClassVar[str] = "set_navigation_voice"

    mode: NavigationVoice = Field(description="on, brief or off.")


class SetTrafficLayer(CabinAction):
    """Show or hide live traffic on the map."""

    name: ClassVar[str] = "set_traffic_layer"

    on: bool = Field(description="true shows traffic.")


# --- scenes ---------------------------------------------------------------------------


class SetScene(CabinAction):
    """Start the rest (nap) scene: reclined seat, climate on, dim screens, media paused;
    none leaves it."""

    name: ClassVar[str] = "set_scene"

    scene: Scene = Field(description="rest or none.")


def _at_most_one(action: CabinAction, first: str, second: str) -> None:
    if getattr(action, first) is not None and getattr(action, second) is not None:
        raise ValueError(f"give at most one of {first} or {second}")


def _blank_to_none(value: Any) -> Any:
    # Models often send "" for "not given".
    if isinstance(value, str) and not value.strip():
        return None
    return value


# The catalogue by contract version; tools are offered in this order.
V1_ACTION_CLASSES: tuple[type[CabinAction], ...] = (
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
V2_ACTION_CLASSES: tuple[type[CabinAction], ...] = (
    SetSeatPosition,
    SetLumbar,
    RecallSeatMemory,
    ResetSeatPosition,
    SetMassageMode,
    SetVentPattern,
    SetClimatePreset,
    SetExteriorLights,
    SetMirrorHeating,
    SetSteeringWheelHeating,
    SetFragrance,
    SetChargePort,
    SetConsole,
    SetEqualizer,
    SetEngineSound,
    SetPedestrianAlert,
    PlayVideo,
    SetMediaSource,
    SkipTrack,
    SetFavorite,
    SetPlayMode,
    TuneRadio,
    SelectRadioPreset,
    SaveRadioPreset,
    CallContact,
    DialNumber,
    Redial,
    AnswerCall,
    EndCall,
    SetScreen,
    SetScreenBrightness,
    SlidePassengerScreen,
    ShowScreenPage,
    SetDriveMode,
    SetPowerMode,
    SetRegen,
    SetDriverAssistance,
    NavigateToSaved,
    SetSavedPlace,
    RemoveWaypoints,
    SetRoutePreferences,
    SetNavigationVoice,
    SetTrafficLayer,
    SetScene,
)
ACTION_CLASSES: tuple[type[CabinAction], ...] = V1_ACTION_CLASSES + V2_ACTION_CLASSES

ACTIONS: dict[str, type[CabinAction]] = {cls.name: cls for cls in ACTION_CLASSES}
