"""Contract v2 plans for media, radio, phone and screens."""

from __future__ import annotations

import math
from typing import Any

from tongxue.cabin.actions import (
    AnswerCall,
    CabinAction,
    CallContact,
    DialNumber,
    EndCall,
    PlayMedia,
    PlayVideo,
    Redial,
    SaveRadioPreset,
    SelectRadioPreset,
    SetFavorite,
    SetMediaSource,
    SetPlayMode,
    SetScreen,
    SetScreenBrightness,
    ShowScreenPage,
    SkipTrack,
    SlidePassengerScreen,
    TuneRadio,
)
from tongxue.cabin.planner import Planner
from tongxue.cabin.profile import CarProfile
from tongxue.cabin.results import (
    NO_CALL,
    NOT_IN_CONTACTS,
    NOT_RINGING,
    NOTHING_TO_REDIAL,
    OUT_OF_BAND,
)
from tongxue.cabin.seats import GROUP_SEATS, Screen, Seat
from tongxue.cabin.state import AM_RANGE, FM_RANGE, PERCENT_RANGE, RADIO_PRESET_COUNT
from tongxue.cabin.targets import Unreachable, resolve_screen

AM_STEP = 9


# The seats of the driver's side of the car.
LEFT_SIDE = GROUP_SEATS["left_side"]


def plan(action: CabinAction, p: Planner, profile: CarProfile, speaker: Seat) -> bool:
    """Plan `action` if it is one of this module's; False when it is not."""
    del profile  # media, radio, phone and screens are the same on every profile
    return (
        _plan_media(action, p, speaker)
        or _plan_phone(action, p)
        or _plan_screens(action, p, speaker)
    )


def plan_play_media(action: PlayMedia, p: Planner) -> None:
    """Music: a query or playlist starts a new list at its start; neither resumes."""
    p.write("media.playing", True)
    if action.query is None and action.playlist is None:
        return
    _start_source(p, "music")
    # A playlist alone plays the list, not the song that was asked for before it.
    p.write("media.query", action.query)
    p.write("media.playlist", action.playlist)
    p.write("media.track", 1)
    p.write("media.liked", False)


def _plan_media(action: CabinAction, p: Planner, speaker: Seat) -> bool:
    match action:
        case PlayVideo(query=query, screen=screen, episode=episode):
            where = resolve_screen(screen, speaker)
            p.write("media.source", "video")
            p.write("media.playing", True)
            if query is not None:
                p.write("media.query", query)
                p.write("media.playlist", None)
                p.write("media.liked", False)
            p.write("media.track", episode or 1)
            p.write("media.video_screen", where)
            p.write(f"screens.{where}.on", True)
        case SetMediaSource(source=source):
            _start_source(p, source)
        case SkipTrack(direction=direction):
            step = 1 if direction == "next" else -1
            if p.current("media.source") == "radio":
                _tune_preset(p, _cycle_preset(p.current("radio.preset"), step))
            else:
                p.write("media.track", max(1, p.current("media.track") + step))
                p.write("media.liked", False)
        case SetFavorite(liked=liked):
            p.write("media.liked", liked)
        case SetPlayMode(mode=mode):
            p.write("media.play_mode", mode)
        case TuneRadio(frequency=frequency):
            band, tuned = _band_and_step(frequency)
            p.write("radio.band", band)
            p.write("radio.frequency", tuned)
            p.write("radio.preset", None)
            _start_source(p, "radio")
        case SelectRadioPreset(preset=preset, delta=delta):
            number = (
                preset
                if preset is not None
                else _cycle_preset(p.current("radio.preset"), delta or 0)
            )
            _tune_preset(p, number)
        case SaveRadioPreset(preset=preset):
            presets = list(p.current("radio.presets"))
            presets[preset - 1] = p.current("radio.frequency")
            p.write("radio.presets", presets)
        case _:
            return False
    return True


def _start_source(p: Planner, source: str) -> None:
    p.write("media.source", source)
    p.write("media.playing", True)
    p.write("media.video_screen", None)


def _band_and_step(frequency: float) -> tuple[str, int | float]:
    """The band the number belongs to and the nearest tunable step (whatever band was said)."""
    if FM_RANGE[0] <= frequency <= FM_RANGE[1]:
        # Halves up, and no float dust (101.70000000000002).
        return "FM", round(math.floor(frequency * 10 + 0.5) / 10, 1)
    if AM_RANGE[0] <= frequency <= AM_RANGE[1]:
        steps = math.floor((frequency - AM_RANGE[0]) / AM_STEP + 0.5)
        return "AM", AM_RANGE[0] + AM_STEP * steps
    raise Unreachable(
        OUT_OF_BAND,
        f"{frequency:g} is on no band (FM {FM_RANGE[0]:g}..{FM_RANGE[1]:g} MHz, "
        f"AM {AM_RANGE[0]}..{AM_RANGE[1]} kHz)",
    )


def _cycle_preset(current: int | None, step: int) -> int:
    """The preset `step` away, wrapping 6 -> 1; from none, next is 1 and previous is 6."""
    if current is None:
        return RADIO_PRESET_COUNT if step < 0 else 1
    return (current - 1 + step) % RADIO_PRESET_COUNT + 1


def _tune_preset(p: Planner, number: int) -> None:
    frequency = p.current("radio.presets")[number - 1]
    p.write("radio.band", "AM" if frequency >= AM_RANGE[0] else "FM")
    p.write("radio.frequency", frequency)
    p.write("radio.preset", number)
    _start_source(p, "radio")


def _plan_phone(action: CabinAction, p: Planner) -> bool:
    match action:
        case CallContact(contact=name):
            contact = _contact_named(p.current("phone.contacts"), name)
            if contact is None:
                raise Unreachable(NOT_IN_CONTACTS, f"{name.strip()} was not found in the contacts")
            _dial(p, contact["number"])
        case DialNumber(number=number):
            _dial(p, number)
        case Redial():
            last = p.current("phone.last_dialed")
            if last is None:
                raise Unreachable(NOTHING_TO_REDIAL, "no number has been dialled yet")
            _dial(p, last)
        case AnswerCall():
            if p.current("phone.call_state") != "ringing":
                raise Unreachable(NOT_RINGING, "no call is ringing")
            p.write("phone.call_state", "in_call")
        case EndCall():
            if p.current("phone.call_state") == "idle":
                raise Unreachable(NO_CALL, "there is no call to end")
            p.write("phone.call_state", "idle")
            p.write("phone.party", None)
        case _:
            return False
    return True


def _contact_named(contacts: list[dict[str, Any]], name: str) -> dict[str, Any] | None:
    wanted = name.strip().casefold()
    return next((c for c in contacts if str(c["name"]).strip().casefold() == wanted), None)


def _dial(p: Planner, number: str) -> None:
    """A new call replaces the current one; the party is the contact's name when known."""
    contacts: list[dict[str, Any]] = p.current("phone.contacts")
    known = next((c for c in contacts if c["number"] == number), None)
    p.write("phone.call_state", "dialing")
    p.write("phone.party", known["name"] if known is not None else number)
    p.write("phone.last_dialed", number)


def _plan_screens(action: CabinAction, p: Planner, speaker: Seat) -> bool:
    match action:
        case SetScreen(screen=screen, on=on):
            p.write(f"screens.{resolve_screen(screen, speaker)}.on", on)
        case SetScreenBrightness(screen=screen, value=value, delta=delta):
            path = _brightness_path(resolve_screen(screen, speaker))
            p.number(path, value, delta, PERCENT_RANGE)
        case SlidePassengerScreen(position=position, delta=delta, toward_speaker=toward):
            if toward:
                # "过来 / this way": before the driver for the left side, else the passenger.
                position = 100 if speaker in LEFT_SIDE else 0
            p.number("screens.passenger.position", position, delta, PERCENT_RANGE)
        case ShowScreenPage(screen=screen, page=page):
            where = resolve_screen(screen, speaker)
            p.write(f"screens.{where}.page", page)
            p.write(f"screens.{where}.on", True)
        case _:
            return False
    return True


def _brightness_path(screen: Screen) -> str:
    # The centre screen's brightness is v1's display brightness.
    return "display.brightness" if screen == "center" else f"screens.{screen}.brightness"
