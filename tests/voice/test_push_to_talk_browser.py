"""Push-to-talk in the web app, in Debian's Chromium with a recording as its microphone.

Chromium's fake capture device plays a WAV the test speaks; holding the button records it,
the page sends it to /v1/audio/transcriptions, shows the words, runs the turn and plays the
reply from /v1/audio/speech.
"""

from __future__ import annotations

import asyncio
import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from server.server_kit import LiveServer, serve, server_settings
from tongxue.server.app import build_context
from tongxue.voice.audio import write_wav
from voice.voice_kit import Say, padded

CHROMIUM = os.environ.get("TONGXUE_CHROMIUM", "/usr/bin/chromium")


@pytest.fixture(scope="module")
def web_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    settings = server_settings(tmp_path_factory.mktemp("ptt-server"))
    with serve(build_context(settings, engine=None)) as live:
        yield live


async def test_hold_to_talk_opens_the_window(
    web_server: LiveServer, say: Say, tmp_path: Path
) -> None:
    from playwright.async_api import async_playwright

    if shutil.which(CHROMIUM) is None:
        pytest.fail(f"the browser tests need Chromium at {CHROMIUM}: apt-get install chromium")
    speech = padded(say("Open the window"), before=0.3, after=1.2)
    microphone = tmp_path / "mic.wav"
    write_wav(microphone, speech.resampled(48000))
    args = [
        "--no-sandbox",
        "--disable-gpu",
        "--use-fake-ui-for-media-stream",
        "--use-fake-device-for-media-stream",
        f"--use-file-for-fake-audio-capture={microphone}",
        "--autoplay-policy=no-user-gesture-required",
    ]
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=CHROMIUM, args=args)
        context = await browser.new_context(locale="en-US")
        await context.grant_permissions(["microphone"], origin=web_server.url)
        page = await context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        await page.goto(web_server.url)
        await page.wait_for_selector("body[data-ready=true]", timeout=15000)
        button = page.locator("#talk-button")
        assert await button.inner_text() in ("Hold to talk", "按住说话")
        box = await button.bounding_box()
        assert box is not None
        await page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
        await page.mouse.down()
        await asyncio.sleep(speech.duration + 0.3)
        await page.mouse.up()
        await page.wait_for_selector("body[data-voice-reply]", timeout=60000)
        said = await page.locator("#messages li.msg.user .text").last.inner_text()
        reply: Any = await page.get_attribute("body", "data-voice-reply")
        await browser.close()
    assert said.rstrip(".").lower() == "open the window"
    assert reply and "window" in reply.lower()
    assert web_server.context.vehicle.snapshot()["windows"]["driver"] == 100
    assert errors == []
