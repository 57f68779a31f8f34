"""Optional online services (weather, place search) behind typed interfaces; none by default."""

from tongxue.dialogue.providers.base import (
    Condition,
    Forecast,
    Place,
    PlaceSearch,
    ProviderError,
    WeatherProvider,
)
from tongxue.dialogue.providers.http import NominatimSearch, OpenMeteoWeather
from tongxue.dialogue.providers.registry import OFFLINE, Providers, providers_from_settings

__all__ = [
    "OFFLINE",
    "Condition",
    "Forecast",
    "NominatimSearch",
    "OpenMeteoWeather",
    "Place",
    "PlaceSearch",
    "ProviderError",
    "Providers",
    "WeatherProvider",
    "providers_from_settings",
]
