"""`/healthz`, `/metrics` in Prometheus format, the web app's files."""

from __future__ import annotations

import re

import httpx

from server.server_kit import LiveServer
from tongxue.server.web import STATIC_DIR


def test_healthz_reports_model_queue_and_auth(open_server: LiveServer) -> None:
    health = httpx.get(f"{open_server.url}/healthz").json()
    assert health["status"] == "ok"
    assert health["model"] == "tiny-qwen2" and health["backend"] == "llama-cpp"
    assert health["queue_depth"] == 0
    assert health["auth"] == "loopback-only"


def test_metrics_count_requests_latency_tokens_and_queue(open_server: LiveServer) -> None:
    with open_server.client() as http:
        http.post(
            "/v1/chat/completions",
            json={"model": "tongxue", "messages": [{"role": "user", "content": "hi"}],
                  "max_tokens": 3},
        )  # fmt: skip
        http.get("/v1/vehicle/state")
        http.get("/no/such/path")
        response = http.get("/metrics")
    assert response.headers["content-type"].startswith("text/plain")
    text = response.text
    assert re.search(
        r'tongxue_http_requests_total\{method="POST",route="/v1/chat/completions",status="200"\} '
        r"[1-9]",
        text,
    )
    assert 'route="/v1/vehicle/state"' in text
    assert 'route="unmatched",status="404"' in text
    assert "/no/such/path" not in text, "raw paths never become labels"
    assert "tongxue_http_request_duration_seconds_bucket{" in text
    assert re.search(r'tongxue_tokens_total\{kind="completion"\} [1-9]', text)
    assert re.search(r'tongxue_tokens_total\{kind="prompt"\} [1-9]', text)
    assert "tongxue_time_to_first_token_seconds_bucket{" in text
    assert "tongxue_queue_wait_seconds_count" in text
    assert "tongxue_engine_queue_depth 0.0" in text


def test_assistant_turns_and_actions_are_counted(open_server: LiveServer) -> None:
    with open_server.client() as http:
        http.post("/v1/assistant/turns", json={"text": "打开阅读灯"})
        text = http.get("/metrics").text
    assert re.search(r'tongxue_assistant_turns_total\{route="rules"\} [1-9]', text)
    assert re.search(r'tongxue_vehicle_actions_total\{source="rules",status="done"\} [1-9]', text)


def test_the_web_app_is_served_at_the_root(open_server: LiveServer) -> None:
    page = httpx.get(open_server.url + "/")
    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")
    assert "script-src 'self'" in page.headers["content-security-policy"]
    assert '<html lang="zh-CN">' in page.text
    for asset in ("app.js", "app.css", "i18n.js", "cabin.js"):
        served = httpx.get(f"{open_server.url}/static/{asset}")
        assert served.status_code == 200, asset
    assert httpx.get(f"{open_server.url}/static/../app.py").status_code == 404


def test_the_web_app_loads_nothing_from_elsewhere() -> None:
    """The car is offline: no CDN, no web fonts, no remote anything."""
    for path in STATIC_DIR.iterdir():
        text = path.read_text(encoding="utf-8")
        assert not re.search(r"https?://", text), f"{path.name} names a remote URL"
        assert "@import" not in text
