"""Which providers this car has: none by default, the configured HTTP ones otherwise."""

from __future__ import annotations

from dataclasses import dataclass

from tongxue.config import Settings
from tongxue.dialogue.providers.base import PlaceSearch, WeatherProvider
from tongxue.dialogue.providers.http import NominatimSearch, OpenMeteoWeather


@dataclass(frozen=True)
class Providers:
    """The online services the assistant may use; a missing one means "answer offline"."""

    weather: WeatherProvider | None = None
    places: PlaceSearch | None = None

    def has(self, kind: str) -> bool:
        """Whether a part of this kind (a `ProviderPart.kind`) can be served."""
        if kind == "weather":
            return self.weather is not None
        if kind == "places":
            return self.places is not None
        # Traffic, knowledge and smart home have no provider yet.
        return False


OFFLINE = Providers()


def providers_from_settings(settings: Settings) -> Providers:
    """The providers the settings configure; with none set, the car is offline."""
    weather = (
        OpenMeteoWeather(
            settings.weather_url,
            geocoding_url=settings.geocoding_url,
            timeout=settings.provider_timeout,
        )
        if settings.weather_url
        else None
    )
    places = (
        NominatimSearch(settings.places_url, timeout=settings.provider_timeout)
        if settings.places_url
        else None
    )
    return Providers(weather=weather, places=places)
