"""Contract v2 plans for driving settings, driver assistance and navigation."""

from __future__ import annotations

from tongxue.cabin.actions import (
    CabinAction,
    NavigateToSaved,
    RemoveWaypoints,
    SetDriveMode,
    SetDriverAssistance,
    SetNavigationVoice,
    SetPowerMode,
    SetRegen,
    SetRoutePreferences,
    SetSavedPlace,
    SetTrafficLayer,
)
from tongxue.cabin.planner import Planner
from tongxue.cabin.results import NOT_FOUND
from tongxue.cabin.state import LEVEL_RANGE
from tongxue.cabin.targets import Unreachable


def plan(action: CabinAction, p: Planner) -> bool:
    """Plan `action` if it is one of this module's; False when it is not."""
    match action:
        case SetDriveMode(mode=mode):
            p.write("drive.mode", mode)
        case SetPowerMode(mode=mode):
            p.write("drive.power_mode", mode)
        case SetRegen(level=level):
            p.number("drive.regen", level, None, LEVEL_RANGE)
        case SetDriverAssistance(function=function, on=on):
            p.write(f"adas.{function}", on)
        case NavigateToSaved(place=place, fallback=fallback):
            # No saved address: the word as said is the destination (v1 navigation).
            saved = p.current(f"navigation.{place}")
            p.write("navigation.destination", saved or fallback or place)
            p.write("navigation.waypoints", [])
            forget_trip(p)
        case SetSavedPlace(place=place, address=address):
            p.write(f"navigation.{place}", address)
        case RemoveWaypoints(place=place, index=index):
            _remove_waypoints(p, place, index)
        case SetRoutePreferences(
            avoid_highways=avoid_highways, avoid_tolls=avoid_tolls, preference=preference
        ):
            # Preferring highways cannot go with avoiding them.
            if preference == "highways" and avoid_highways is None:
                avoid_highways = False
            if avoid_highways is not None:
                p.write("navigation.avoid_highways", avoid_highways)
            if avoid_tolls is not None:
                p.write("navigation.avoid_tolls", avoid_tolls)
            if preference is not None:
                p.write("navigation.route_preference", preference)
        case SetNavigationVoice(mode=mode):
            p.write("navigation.voice", mode)
        case SetTrafficLayer(on=on):
            p.write("navigation.traffic_layer", on)
        case _:
            return False
    return True


def forget_trip(p: Planner) -> None:
    """A changed route has no distance or time left until a router computes them again."""
    p.write("navigation.remaining_km", None)
    p.write("navigation.eta_min", None)


def _remove_waypoints(p: Planner, place: str | None, index: int | None) -> None:
    waypoints: list[str] = list(p.current("navigation.waypoints"))
    if index is not None:
        if index > len(waypoints):
            raise Unreachable(NOT_FOUND, f"the route has no stop number {index}")
        del waypoints[index - 1]
    elif place is not None:
        wanted = place.strip().casefold()
        kept = [stop for stop in waypoints if stop.strip().casefold() != wanted]
        if len(kept) == len(waypoints):
            raise Unreachable(NOT_FOUND, f"{place} is not a stop on the route")
        waypoints = kept
    else:
        waypoints = []
    p.write("navigation.waypoints", waypoints)
    forget_trip(p)
