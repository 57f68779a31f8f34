"""What the assistant asks of online services: typed answers and the two interfaces.

The car is offline by default. A provider is optional and configured (`providers.registry`);
without one, turns that need it are answered "offline" and change nothing.
"""

from __future__ import annotations

from datetime import date
from typing import Literal, Protocol, runtime_checkable

from pydantic import BaseModel, ConfigDict

Condition = Literal["clear", "cloudy", "fog", "drizzle", "rain", "snow", "thunderstorm"]


class ProviderError(RuntimeError):
    """A provider failed: unreachable, an error status, or an answer not understood."""


class Forecast(BaseModel):
    """One day's weather at one place."""

    model_config = ConfigDict(frozen=True)

    place: str
    day: date
    condition: Condition | None = None
    temperature_min: float | None = None
    temperature_max: float | None = None
    precipitation_probability: int | None = None  # percent


class Place(BaseModel):
    """A place a search found."""

    model_config = ConfigDict(frozen=True)

    name: str
    address: str | None = None
    latitude: float | None = None
    longitude: float | None = None


@runtime_checkable
class WeatherProvider(Protocol):
    async def forecast(self, place: str, day: date) -> Forecast | None:
        """The forecast for `place` (a name as said) on `day`; None when the place is unknown.

        Raises `ProviderError` when the service cannot answer.
        """
        ...


@runtime_checkable
class PlaceSearch(Protocol):
    async def search(self, query: str, near: str | None = None) -> list[Place]:
        """Places matching `query`, the nearest to `near` (a place name) first when given.

        Raises `ProviderError` when the service cannot answer.
        """
        ...
