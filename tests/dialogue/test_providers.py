"""Online providers: none by default; the HTTP ones against a real local server."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from datetime import date
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

from tongxue.config import Settings
from tongxue.dialogue.providers import (
    OFFLINE,
    NominatimSearch,
    OpenMeteoWeather,
    PlaceSearch,
    ProviderError,
    WeatherProvider,
    providers_from_settings,
)
from tongxue.dialogue.providers.http import condition_of
from tongxue.dialogue.replies import forecast_reply, offline_reply, places_reply

DAY = date(2025, 6, 2)


class _Handler(BaseHTTPRequestHandler):
    """A tiny Open-Meteo (geocoding and forecast) and Nominatim look-alike."""

    requests: list[tuple[str, dict[str, str]]]

    def do_GET(self) -> None:
        url = urlsplit(self.path)
        query = {k: v[0] for k, v in parse_qs(url.query).items()}
        self.requests.append((url.path, query))
        if url.path == "/v1/search":
            results = [{"name": "上海", "latitude": 31.23, "longitude": 121.47}]
            self._json({"results": results} if query["name"] == "上海" else {})
        elif url.path == "/v1/forecast":
            self._json(
                {
                    "daily": {
                        "time": [query["start_date"]],
                        "weather_code": [63],
                        "temperature_2m_min": [21.4],
                        "temperature_2m_max": [27.6],
                        "precipitation_probability_max": [80],
                    }
                }
            )
        elif url.path == "/search":
            if "加油站" in query["q"]:
                self._json(
                    [
                        {
                            "name": "中石化张江站",
                            "display_name": "中石化张江站, 张江路, 上海",
                            "lat": "31.2",
                            "lon": "121.6",
                        },
                        {"display_name": "壳牌, 科苑路, 上海", "lat": "31.21", "lon": "121.61"},
                    ]
                )
            else:
                self._json([])
        elif url.path == "/broken/v1/search":
            self._json({"results": [{"name": "nowhere"}]})
        else:
            self.send_error(503)

    def _json(self, data: Any) -> None:
        body = json.dumps(data, ensure_ascii=False).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        pass  # keep the test output quiet


@pytest.fixture
def server() -> Iterator[tuple[str, list[tuple[str, dict[str, str]]]]]:
    requests: list[tuple[str, dict[str, str]]] = []
    handler = type("Handler", (_Handler,), {"requests": requests})
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}", requests
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join()


def test_no_provider_by_default() -> None:
    providers = providers_from_settings(Settings())
    assert providers == OFFLINE
    assert not any(providers.has(k) for k in ("weather", "places", "traffic", "knowledge"))


def test_settings_configure_the_http_providers() -> None:
    settings = Settings(weather_url="http://w.example", places_url="http://p.example/")
    providers = providers_from_settings(settings)
    assert isinstance(providers.weather, OpenMeteoWeather)
    assert providers.weather.geocoding_url == "http://w.example"
    assert isinstance(providers.places, NominatimSearch)
    assert providers.places.base_url == "http://p.example"
    assert providers.has("weather") and providers.has("places")
    assert not providers.has("traffic")


def test_the_http_providers_fit_the_interfaces() -> None:
    assert isinstance(OpenMeteoWeather("http://x"), WeatherProvider)
    assert isinstance(NominatimSearch("http://x"), PlaceSearch)


async def test_forecast_geocodes_then_asks_for_that_day(server: Any) -> None:
    base, requests = server
    forecast = await OpenMeteoWeather(base).forecast("上海", DAY)
    assert forecast is not None
    assert forecast.place == "上海"
    assert forecast.day == DAY
    assert forecast.condition == "rain"
    assert (forecast.temperature_min, forecast.temperature_max) == (21.4, 27.6)
    assert forecast.precipitation_probability == 80
    (geo_path, geo), (path, asked) = requests
    assert (geo_path, geo["name"]) == ("/v1/search", "上海")
    assert path == "/v1/forecast"
    assert (asked["latitude"], asked["start_date"], asked["end_date"]) == (
        "31.23",
        "2025-06-02",
        "2025-06-02",
    )
    assert "weather_code" in asked["daily"]
    assert forecast_reply(forecast, "zh") == "上海2025-06-02：有雨，21到28度，降水概率80%。"
    assert "80% chance of rain" in forecast_reply(forecast, "en")


async def test_an_unknown_place_has_no_forecast(server: Any) -> None:
    base, requests = server
    assert await OpenMeteoWeather(base).forecast("亚特兰蒂斯", DAY) is None
    assert len(requests) == 1
    assert forecast_reply(None, "en") == "I couldn't find that place."


async def test_a_failing_service_raises_provider_error(server: Any) -> None:
    base, _ = server
    with pytest.raises(ProviderError):
        await OpenMeteoWeather(f"{base}/down").forecast("上海", DAY)
    with pytest.raises(ProviderError, match="something else"):
        await OpenMeteoWeather(f"{base}/broken").forecast("上海", DAY)


async def test_nothing_listening_raises_provider_error() -> None:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    with pytest.raises(ProviderError):
        await OpenMeteoWeather(f"http://127.0.0.1:{port}", timeout=2).forecast("上海", DAY)


async def test_place_search_puts_near_into_the_query(server: Any) -> None:
    base, requests = server
    places = await NominatimSearch(base).search("加油站", near="张江")
    assert [p.name for p in places] == ["中石化张江站", "壳牌"]
    assert places[0].latitude == pytest.approx(31.2)
    assert requests[0][1]["q"] == "加油站 张江"
    assert requests[0][1]["format"] == "jsonv2"
    assert places_reply(places, "zh") == "找到2个地点：中石化张江站、壳牌。"
    assert await NominatimSearch(base).search("火星基地") == []
    assert places_reply([], "en") == "I found no such place."


@pytest.mark.parametrize(
    ("code", "condition"),
    [
        (0, "clear"),
        (2, "cloudy"),
        (45, "fog"),
        (53, "drizzle"),
        (81, "rain"),
        (75, "snow"),
        (96, "thunderstorm"),
        (None, None),
        (4, None),
    ],
)
def test_wmo_codes(code: int | None, condition: str | None) -> None:
    assert condition_of(code) == condition


@pytest.mark.parametrize("kind", ["weather", "places", "traffic", "knowledge", "smart_home", "?"])
def test_offline_replies_say_offline(kind: str) -> None:
    assert "离线" in offline_reply(kind, "zh")
    assert "offline" in offline_reply(kind, "en")
