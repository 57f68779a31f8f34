"""Push-to-talk in the web app, in Debian's Chromium with a recording as its microphone.

Chromium's fake capture device plays a WAV the test speaks; holding the button records it,
the page sends it to /v1/audio/transcriptions, shows the words, runs the turn and plays the
reply from /v1/audio/speech.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from server.server_kit import LiveServer
from voice.browser_kit import live_web_server, page_with_microphone
from voice.voice_kit import Say, padded


@pytest.fixture(scope="module")
def web_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    yield from live_web_server(tmp_path_factory, "ptt-server")


async def test_hold_to_talk_opens_the_window(
    web_server: LiveServer, say: Say, tmp_path: Path
) -> None:
    speech = padded(say("Open the window"), before=0.3, after=1.2)
    async with page_with_microphone(web_server, speech, tmp_path, autoplay=True) as opened:
        page = opened.page
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
    assert said.rstrip(".").lower() == "open the window"
    assert reply and "window" in reply.lower()
    assert web_server.context.vehicle.snapshot()["windows"]["driver"] == 100
    assert opened.errors == []
