"""Providers over HTTP: an Open-Meteo-compatible weather API and a Nominatim-compatible search.

Both are plain GETs with a configurable base URL, so a self-hosted instance (or a test's
local server) serves as well as the public one. Only used where a network exists.
"""

from __future__ import annotations

from datetime import date
from typing import Any, TypeVar

import httpx
from pydantic import BaseModel, RootModel, ValidationError

from tongxue.dialogue.providers.base import Condition, Forecast, Place, ProviderError

_USER_AGENT = "tongxue (in-car assistant)"

_Answer = TypeVar("_Answer", bound=BaseModel)


def condition_of(code: int | None) -> Condition | None:
    """A WMO weather code (as Open-Meteo reports it) in a few words the replies know."""
    if code is None:
        return None
    if code == 0:
        return "clear"
    if code in (1, 2, 3):
        return "cloudy"
    if code in (45, 48):
        return "fog"
    if 51 <= code <= 57:
        return "drizzle"
    if 61 <= code <= 67 or 80 <= code <= 82:
        return "rain"
    if 71 <= code <= 77 or code in (85, 86):
        return "snow"
    if code >= 95:
        return "thunderstorm"
    return None


class _GeoHit(BaseModel):
    name: str
    latitude: float
    longitude: float


class _GeoAnswer(BaseModel):
    results: list[_GeoHit] = []


class _Daily(BaseModel):
    time: list[date]
    weather_code: list[int | None] = []
    temperature_2m_min: list[float | None] = []
    temperature_2m_max: list[float | None] = []
    precipitation_probability_max: list[int | None] = []


class _ForecastAnswer(BaseModel):
    daily: _Daily


class _NominatimHit(BaseModel):
    name: str | None = None
    display_name: str
    lat: float
    lon: float


class _NominatimAnswer(RootModel[list[_NominatimHit]]):
    pass


def _client(timeout: float) -> httpx.AsyncClient:
    return httpx.AsyncClient(timeout=timeout, headers={"User-Agent": _USER_AGENT})


async def _get_json(client: httpx.AsyncClient, url: str, params: dict[str, Any]) -> Any:
    try:
        response = await client.get(url, params=params)
        response.raise_for_status()
        return response.json()
    except (httpx.HTTPError, ValueError) as exc:
        raise ProviderError(f"{url}: {exc}") from exc


def _parse(answer: type[_Answer], data: Any, service: str) -> _Answer:
    """The service's JSON in the shape we read, or a ProviderError saying it was not."""
    try:
        return answer.model_validate(data)
    except ValidationError as exc:
        raise ProviderError(f"{service} answered something else: {exc}") from exc


def _first(values: list[Any]) -> Any:
    return values[0] if values else None


class OpenMeteoWeather:
    """Weather from an Open-Meteo-compatible API: geocode the place, then its daily forecast.

    `base_url` serves `/v1/forecast` (https://api.open-meteo.com); `geocoding_url` serves
    `/v1/search` (https://geocoding-api.open-meteo.com) and defaults to `base_url`.
    """

    def __init__(
        self,
        base_url: str,
        *,
        geocoding_url: str | None = None,
        timeout: float = 5.0,
        language: str = "zh",
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.geocoding_url = (geocoding_url or base_url).rstrip("/")
        self.timeout = timeout
        self.language = language

    async def forecast(self, place: str, day: date) -> Forecast | None:
        async with _client(self.timeout) as client:
            found = await _get_json(
                client,
                f"{self.geocoding_url}/v1/search",
                {"name": place, "count": 1, "language": self.language, "format": "json"},
            )
            hits = _parse(_GeoAnswer, found, "geocoding").results
            if not hits:
                return None
            where = hits[0]
            data = await _get_json(
                client,
                f"{self.base_url}/v1/forecast",
                {
                    "latitude": where.latitude,
                    "longitude": where.longitude,
                    "daily": "weather_code,temperature_2m_min,temperature_2m_max,"
                    "precipitation_probability_max",
                    "timezone": "auto",
                    "start_date": day.isoformat(),
                    "end_date": day.isoformat(),
                },
            )
        daily = _parse(_ForecastAnswer, data, "the forecast").daily
        if day not in daily.time:
            return None
        return Forecast(
            place=where.name,
            day=day,
            condition=condition_of(_first(daily.weather_code)),
            temperature_min=_first(daily.temperature_2m_min),
            temperature_max=_first(daily.temperature_2m_max),
            precipitation_probability=_first(daily.precipitation_probability_max),
        )


class NominatimSearch:
    """Place search on a Nominatim-compatible API (`/search?format=jsonv2`)."""

    def __init__(self, base_url: str, *, timeout: float = 5.0, limit: int = 5) -> None:
        self.base_url = base_url.rstrip("/")
        self.timeout = timeout
        self.limit = limit

    async def search(self, query: str, near: str | None = None) -> list[Place]:
        # Nominatim has no "near a name": the place goes into the free-form query.
        text = f"{query} {near}" if near else query
        async with _client(self.timeout) as client:
            data = await _get_json(
                client,
                f"{self.base_url}/search",
                {"q": text, "format": "jsonv2", "limit": self.limit},
            )
        hits = _parse(_NominatimAnswer, data, "the place search").root
        return [
            Place(
                name=hit.name or hit.display_name.split(",")[0],
                address=hit.display_name,
                latitude=hit.lat,
                longitude=hit.lon,
            )
            for hit in hits
        ]
