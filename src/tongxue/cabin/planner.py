"""The scratch pad of one action's plan: reads see earlier writes, numbers clamp."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from tongxue.cabin.results import Clamp
from tongxue.cabin.state import TEMPERATURE_RANGE, CarState, snap_temperature

Number = int | float


@dataclass
class Planner:
    state: CarState
    writes: dict[str, Any] = field(default_factory=dict)
    clamps: list[Clamp] = field(default_factory=list)

    def current(self, path: str) -> Any:
        # A path written earlier in the same plan counts at its new value.
        return self.writes[path] if path in self.writes else self.state.get_path(path)

    def write(self, path: str, value: Any) -> None:
        self.writes[path] = value

    def number(
        self,
        path: str,
        value: Number | None,
        delta: Number | None,
        bounds: tuple[Number, Number],
    ) -> None:
        """Absolute or relative, clamped to `bounds`, with the clamp recorded."""
        requested = value if value is not None else self.current(path) + (delta or 0)
        low, high = bounds
        applied = min(max(requested, low), high)
        if applied != requested:
            self.clamps.append(Clamp(path=path, requested=requested, applied=applied))
        self.write(path, applied)

    def temperature(self, path: str, value: float | None, delta: float | None) -> None:
        requested = value if value is not None else self.current(path) + (delta or 0.0)
        low, high = TEMPERATURE_RANGE
        applied = min(max(snap_temperature(requested), low), high)
        if requested < low or requested > high:
            self.clamps.append(Clamp(path=path, requested=requested, applied=applied))
        self.write(path, applied)
