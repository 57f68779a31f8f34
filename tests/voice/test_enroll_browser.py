"""Wake-word enrollment in the web app, in Debian's Chromium with a recording as microphone.

Chromium's fake capture device plays a WAV of the phrase; the panel records three takes of
it, saves them through /v1/voice/wake-words, lists the new phrase and deletes it again.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from server.server_kit import LiveServer
from voice.browser_kit import live_web_server, page_with_microphone
from voice.voice_kit import Say, padded

PHRASE = "你好小车"


@pytest.fixture(scope="module")
def web_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    yield from live_web_server(tmp_path_factory, "enroll-server")


async def test_three_takes_enroll_a_phrase_and_delete_removes_it(
    web_server: LiveServer, say: Say, tmp_path: Path
) -> None:
    speech = padded(say(PHRASE), before=0.2, after=0.6)
    async with page_with_microphone(web_server, speech, tmp_path) as opened:
        page = opened.page
        await page.click("#wake-button")
        await page.wait_for_selector("#wake-list[data-loaded=true]", timeout=15000)
        listed = await page.locator("#wake-list .wake-phrase").all_inner_texts()
        assert "你好同学" in listed
        await page.fill("#wake-phrase", PHRASE)
        for take in range(1, 4):
            await page.click("#wake-record")
            await page.wait_for_selector("#wake-record[aria-pressed=true]", timeout=10000)
            await asyncio.sleep(speech.duration + 0.2)
            await page.click("#wake-record")
            await page.wait_for_function(
                f"document.getElementById('wake-count').textContent.startsWith('{take} /')",
                timeout=10000,
            )
        assert await page.locator("#wake-save").is_enabled()
        await page.click("#wake-save")
        enrolled = page.locator(f".wake-item[data-phrase='{PHRASE}']")
        await enrolled.wait_for(timeout=30000)
        stored = httpx.get(f"{web_server.v1}/voice/wake-words").json()["enrolled"]
        await enrolled.locator(".wake-remove").click()
        await enrolled.wait_for(state="detached", timeout=15000)
        status = await page.inner_text("#wake-status")
    assert stored == [{"object": "wake_word", "phrase": PHRASE, "samples": 3}]
    assert httpx.get(f"{web_server.v1}/voice/wake-words").json()["enrolled"] == []
    assert PHRASE in status
    assert opened.errors == []
