"""Where a real car plugs in. The vehicle model is the truth for the simulation; on a real
car an adapter carries each change to the bus (CAN, Android VHAL) and reports sensors back.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any, Protocol, runtime_checkable

from tongxue.cabin.results import StateChange

logger = logging.getLogger(__name__)


@runtime_checkable
class VehicleAdapter(Protocol):
    """The boundary to a car."""

    def apply(self, changes: Sequence[StateChange]) -> None:
        """Carry out changes the vehicle model has accepted (after the safety policy)."""

    def read(self) -> dict[str, Any]:
        """Values the car reports, as dot paths (`drive.speed_kmh`); merged before each turn."""


class SimulatedAdapter:
    """The embedded default: no bus, no sensors; it only keeps what it was asked to apply."""

    def __init__(self) -> None:
        self.applied: list[StateChange] = []

    def apply(self, changes: Sequence[StateChange]) -> None:
        self.applied.extend(changes)
        for change in changes:
            logger.debug("simulated car: %s %r -> %r", change.path, change.old, change.new)

    def read(self) -> dict[str, Any]:
        return {}
