"""The web app in a real browser: Debian's Chromium driven by Playwright.

Chat turns change the live cabin view, remote controls act on the car, a phone confirms an
unlock, and both screen shapes are photographed into `reports/screenshots/`.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from server.server_kit import LiveServer

CHROMIUM = os.environ.get("TONGXUE_CHROMIUM", "/usr/bin/chromium")
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SHOTS = Path(
    os.environ.get("TONGXUE_SCREENSHOTS", Path(__file__).parents[2] / "reports" / "screenshots")
)
PHONE = {"width": 390, "height": 844}
CAR = {"width": 1280, "height": 720}


@pytest.fixture(scope="module")
async def browser() -> AsyncIterator[Any]:
    try:
        from playwright.async_api import async_playwright
    except ImportError:
        pytest.fail("the browser tests need the `playwright` package (make test installs it)")
    if shutil.which(CHROMIUM) is None:
        pytest.fail(f"the browser tests need Chromium at {CHROMIUM}: apt-get install chromium")
    SHOTS.mkdir(parents=True, exist_ok=True)
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield browser
        await browser.close()


@pytest.fixture(scope="module")
def web_server(make_server: Any) -> Iterator[LiveServer]:
    with make_server() as live:
        yield live


@pytest.fixture(autouse=True)
def parked_car(web_server: LiveServer) -> None:
    web_server.reset_car()


async def _open(browser: Any, url: str, viewport: dict[str, int], locale: str) -> Any:
    context = await browser.new_context(viewport=viewport, locale=locale, device_scale_factor=1)
    page = await context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.errors = errors
    await page.goto(url)
    await page.wait_for_selector("body[data-ready=true]", timeout=15000)
    await page.wait_for_selector("body[data-link=live]", timeout=15000)
    return page


async def _value(page: Any, path: str) -> Any:
    import json

    raw = await page.get_attribute(f'#panel-car [data-path="{path}"]', "data-value")
    return json.loads(raw) if raw is not None else None


async def _wait_value(page: Any, path: str, value: Any) -> None:
    import json

    selector = f"#panel-car [data-path=\"{path}\"][data-value='{json.dumps(value)}']"
    await page.wait_for_selector(selector, state="attached", timeout=10000)


async def test_phone_chat_changes_the_cabin_view(browser: Any, web_server: LiveServer) -> None:
    page = await _open(browser, web_server.url, PHONE, "zh-CN")
    assert await page.inner_text(".brand span[data-i18n=title]") == "同学"
    await page.click('.seat-option[data-seat="passenger"]')
    await page.fill("#chat-input", "打开车窗")
    await page.press("#chat-input", "Enter")
    reply = page.locator(".msg.assistant").last
    await reply.locator(".chip").wait_for(timeout=15000)
    assert "副驾车窗已打开" in await reply.inner_text()
    assert await reply.locator(".chip").get_attribute("data-status") == "done"
    await page.screenshot(path=SHOTS / "phone-chat.png")
    await page.click("#tab-car")
    await _wait_value(page, "windows.passenger", 100)
    assert await page.inner_text('#panel-car [data-path="windows.passenger"]') == "100%"
    assert web_server.context.vehicle.get("windows.passenger") == 100
    # Nothing on the phone is wider than the phone.
    overflow = await page.evaluate("document.documentElement.scrollWidth - innerWidth")
    assert overflow <= 0
    await page.screenshot(path=SHOTS / "phone-cabin.png")
    assert not page.errors
    await page.context.close()


async def test_a_manual_answer_links_to_its_section(browser: Any, web_server: LiveServer) -> None:
    page = await _open(browser, web_server.url, PHONE, "zh-CN")
    await page.fill("#chat-input", "儿童锁怎么打开")
    await page.press("#chat-input", "Enter")
    reply = page.locator(".msg.assistant").last
    link = reply.locator(".sources a.citation")
    await link.wait_for(timeout=15000)
    assert await link.inner_text() == "儿童锁"
    assert await link.get_attribute("data-section") == "child-lock"
    await link.click()
    dialog = page.locator("#manual-dialog")
    await dialog.wait_for(state="visible", timeout=10000)
    assert await page.inner_text("#manual-title") == "儿童锁"
    assert "后门" in await page.inner_text("#manual-text")
    await page.screenshot(path=SHOTS / "phone-manual.png")
    await page.click("#manual-dialog button[value=close]")
    await dialog.wait_for(state="hidden", timeout=10000)
    assert not page.errors
    await page.context.close()


async def test_car_screen_remote_controls_and_live_updates(
    browser: Any, web_server: LiveServer
) -> None:
    page = await _open(browser, web_server.url, CAR, "en-US")
    assert await page.inner_text('[data-remote="sunroof_toggle"]') == "Sunroof"
    # The car screen shows chat, cabin and controls at once, without scrolling the page.
    assert await page.is_visible("#chat-input") and await page.is_visible("#remote-grid")
    size = await page.evaluate(
        "[document.documentElement.scrollWidth, document.documentElement.scrollHeight]"
    )
    assert size[0] <= CAR["width"] and size[1] <= CAR["height"]
    await page.click('[data-remote="sunroof_toggle"]')
    await _wait_value(page, "sunroof", 100)
    await page.click('[data-remote="climate_on"]')
    await _wait_value(page, "climate.power", True)
    assert await page.inner_text('#panel-car [data-path="climate.power"]') == "On"
    await page.click('[data-remote="seat_heat"]')
    await _wait_value(page, "seats.driver.heating", 2)
    # A change made elsewhere (the head unit, another phone) shows up as it happens.
    httpx.post(
        f"{web_server.v1}/vehicle/actions",
        json={
            "actions": [{"name": "navigate_to", "arguments": {"destination": "Shanghai Hongqiao"}}]
        },
    )
    await _wait_value(page, "navigation.destination", "Shanghai Hongqiao")
    await page.fill("#chat-input", "set the temperature to 20")
    await page.press("#chat-input", "Enter")
    await _wait_value(page, "climate.driver.temperature", 20)  # JSON.stringify(20.0) is "20"
    assert await page.inner_text('#panel-car [data-path="climate.driver.temperature"]') == "20.0°"
    await page.wait_for_timeout(300)
    await page.screenshot(path=SHOTS / "car-screen.png")
    assert web_server.context.vehicle.get("sunroof") == 100
    assert not page.errors
    await page.context.close()


async def test_language_switch(browser: Any, web_server: LiveServer) -> None:
    page = await _open(browser, web_server.url, PHONE, "zh-CN")
    assert await page.inner_text("#tab-car") == "车辆"
    await page.click("#lang-toggle")
    assert await page.inner_text("#tab-car") == "Car"
    assert await page.get_attribute("html", "lang") == "en"
    assert await page.inner_text('.seat-option[data-seat="rear_left"]') == "Rear left"
    await page.reload()
    await page.wait_for_selector("body[data-ready=true]")
    assert await page.inner_text("#tab-car") == "Car", "the choice is remembered"
    await page.context.close()


async def test_phone_key_and_unlock_confirmation(browser: Any, make_server: Any) -> None:
    keys = {"alice": ("phone", "alice")}
    with make_server(keys=keys) as server:
        context = await browser.new_context(viewport=PHONE, locale="zh-CN")
        page = await context.new_page()
        await page.goto(server.url)
        # No key yet: the page asks for one.
        await page.wait_for_selector("#key-dialog[open]", timeout=10000)
        await page.fill("#key-input", server.keys["alice"])
        await page.click('#key-dialog button[value="save"]')
        await page.wait_for_selector("body[data-ready=true]", timeout=15000)
        await page.wait_for_selector("body[data-link=live]", timeout=15000)
        assert await page.inner_text("#role-badge") == "手机"
        await page.click("#tab-car")
        await page.click('[data-remote="unlock"]')
        await page.wait_for_selector("#confirm-dialog[open]", timeout=10000)
        assert server.context.vehicle.get("doors.locked") is True
        await page.screenshot(path=SHOTS / "phone-confirm-unlock.png")
        await page.click("#confirm-button")
        await _wait_value(page, "doors.locked", False)
        assert server.context.vehicle.get("doors.locked") is False
        assert await page.inner_text('#panel-car [data-path="doors.locked"]') == "未上锁"
        # Driving controls stay out of the phone's reach, whatever is typed.
        await page.click("#tab-chat")
        await page.fill("#chat-input", "打开远光灯")
        await page.press("#chat-input", "Enter")
        refused = page.locator(".msg.assistant.refused")
        await refused.wait_for(timeout=10000)
        assert server.context.vehicle.get("lights.headlights") == "auto"
        await context.close()
