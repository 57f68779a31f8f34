"""Contract v2 plans for the cabin's comfort: seats, climate, lights and body, sound
settings and the rest scene."""

from __future__ import annotations

from tongxue.cabin.actions import (
    CabinAction,
    RecallSeatMemory,
    ResetSeatPosition,
    SetChargePort,
    SetClimatePreset,
    SetConsole,
    SetEngineSound,
    SetEqualizer,
    SetExteriorLights,
    SetFragrance,
    SetLumbar,
    SetMassageMode,
    SetMirrorHeating,
    SetPedestrianAlert,
    SetScene,
    SetSeatPosition,
    SetSteeringWheelHeating,
    SetVentPattern,
)
from tongxue.cabin.planner import Planner
from tongxue.cabin.profile import CarProfile
from tongxue.cabin.seats import Seat
from tongxue.cabin.state import (
    BACKREST_RANGE,
    FAN_RANGE,
    FRAGRANCE_RANGE,
    LEVEL_RANGE,
    PERCENT_RANGE,
    SCENTS,
    TEMPERATURE_RANGE,
)
from tongxue.cabin.targets import resolve_seats, resolve_zones

# Memory positions of the car profile: slot -> (backrest, fore_aft, lumbar).
MEMORY_POSITIONS: dict[int, tuple[int, int, int]] = {1: (3, 50, 0), 2: (2, 30, 1), 3: (6, 80, 2)}
DEFAULT_BACKREST = 3
DEFAULT_FORE_AFT = 50
# What "turn it on" means for a seat level (massage started by choosing a programme).
ON_LEVEL = 2
REST_BACKREST = 8
REST_BRIGHTNESS = 10
REST_BRIGHTNESS_PATHS = (
    "display.brightness",
    "screens.passenger.brightness",
    "screens.rear.brightness",
)


def plan(action: CabinAction, p: Planner, profile: CarProfile, speaker: Seat) -> bool:
    """Plan `action` if it is one of this module's; False when it is not."""
    match action:
        case SetSeatPosition():
            for seat in resolve_seats("seat_position", action.target, speaker, profile):
                _seat_position(action, p, seat)
        case SetLumbar(target=target, level=level, delta=delta):
            for seat in resolve_seats("seat_lumbar", target, speaker, profile):
                p.number(f"seats.{seat}.lumbar", level, delta, LEVEL_RANGE)
        case RecallSeatMemory(target=target, slot=slot):
            lumbar_seats = profile.seats_with("seat_lumbar")
            backrest, fore_aft, lumbar = MEMORY_POSITIONS[slot]
            for seat in resolve_seats("seat_memory", target, speaker, profile):
                p.write(f"seats.{seat}.memory", slot)
                p.write(f"seats.{seat}.backrest", backrest)
                p.write(f"seats.{seat}.fore_aft", fore_aft)
                if seat in lumbar_seats:
                    p.write(f"seats.{seat}.lumbar", lumbar)
        case ResetSeatPosition(target=target):
            for seat in resolve_seats("seat_position", target, speaker, profile):
                _reset_seat(p, profile, seat)
        case SetMassageMode(target=target, mode=mode):
            for seat in resolve_seats("seat_massage", target, speaker, profile):
                p.write(f"seats.{seat}.massage_mode", mode)
                if p.current(f"seats.{seat}.massage") == 0:
                    p.write(f"seats.{seat}.massage", ON_LEVEL)
        case SetVentPattern(target=target, pattern=pattern):
            for zone in resolve_zones(target, speaker, profile):
                p.write(f"climate.{zone}.vent", pattern)
            p.write("climate.power", True)
        case SetClimatePreset(preset=preset):
            _climate_preset(p, profile, speaker, cooling=preset == "max_cooling")
        case SetExteriorLights(position=position, fog_front=fog_front, fog_rear=fog_rear):
            for leaf, on in (
                ("position", position),
                ("fog_front", fog_front),
                ("fog_rear", fog_rear),
            ):
                if on is not None:
                    p.write(f"lights.{leaf}", on)
        case SetMirrorHeating(on=on):
            p.write("mirrors.heating", on)
        case SetSteeringWheelHeating(on=on):
            p.write("steering_wheel.heating", on)
        case SetFragrance():
            _fragrance(action, p)
        case SetChargePort(open=is_open):
            p.write("charge_port.open", is_open)
        case SetConsole(position=position, delta=delta):
            p.number("console.position", position, delta, PERCENT_RANGE)
        case SetEqualizer(preset=preset):
            p.write("audio.eq", preset)
        case SetEngineSound(style=style):
            p.write("audio.engine_sound", style)
        case SetPedestrianAlert(on=on):
            p.write("audio.pedestrian_alert", on)
        case SetScene(scene=scene):
            if scene == "rest":
                _rest_scene(p, profile, speaker)
            p.write("scene", scene)
        case _:
            return False
    return True


def _seat_position(action: SetSeatPosition, p: Planner, seat: Seat) -> None:
    if action.backrest is not None or action.backrest_delta is not None:
        p.number(f"seats.{seat}.backrest", action.backrest, action.backrest_delta, BACKREST_RANGE)
    if action.fore_aft is not None or action.fore_aft_delta is not None:
        p.number(f"seats.{seat}.fore_aft", action.fore_aft, action.fore_aft_delta, PERCENT_RANGE)


def _reset_seat(p: Planner, profile: CarProfile, seat: Seat) -> None:
    p.write(f"seats.{seat}.backrest", DEFAULT_BACKREST)
    p.write(f"seats.{seat}.fore_aft", DEFAULT_FORE_AFT)
    if seat in profile.seats_with("seat_lumbar"):
        p.write(f"seats.{seat}.lumbar", 0)
    if seat in profile.seats_with("seat_memory"):
        p.write(f"seats.{seat}.memory", None)


def _climate_preset(p: Planner, profile: CarProfile, speaker: Seat, *, cooling: bool) -> None:
    low, high = TEMPERATURE_RANGE
    p.write("climate.power", True)
    if cooling:
        p.write("climate.ac", True)
        p.write("climate.recirculation", True)
    p.write("climate.fan_speed", FAN_RANGE[1])
    for zone in resolve_zones("all", speaker, profile):
        p.write(f"climate.{zone}.temperature", low if cooling else high)


def _fragrance(action: SetFragrance, p: Planner) -> None:
    if action.on is not None:
        p.write("fragrance.on", action.on)
    if action.scent is not None:
        p.write("fragrance.scent", action.scent)
    if action.next_scent:
        current = SCENTS.index(p.current("fragrance.scent"))
        p.write("fragrance.scent", SCENTS[(current + 1) % len(SCENTS)])
    if action.level is not None or action.level_delta is not None:
        p.number("fragrance.level", action.level, action.level_delta, FRAGRANCE_RANGE)
    choices = (action.scent, action.next_scent, action.level, action.level_delta)
    if any(choice is not None for choice in choices):
        p.write("fragrance.on", True)


def _rest_scene(p: Planner, profile: CarProfile, speaker: Seat) -> None:
    (seat,) = resolve_seats("seat_position", None, speaker, profile)
    p.write(f"seats.{seat}.backrest", REST_BACKREST)
    p.write("climate.power", True)
    for path in REST_BRIGHTNESS_PATHS:
        p.write(path, REST_BRIGHTNESS)
    p.write("media.playing", False)
