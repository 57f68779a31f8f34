"""The web app in Debian's Chromium with a recording as its microphone (the voice browser tests).

Chromium's fake capture device plays a WAV the test speaks, so the page's recording code runs
exactly as with a real microphone.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from server.server_kit import LiveServer, serve, server_settings
from tongxue.server.app import build_context
from tongxue.voice.audio import Audio, write_wav

CHROMIUM = os.environ.get("TONGXUE_CHROMIUM", "/usr/bin/chromium")


def live_web_server(tmp_path_factory: pytest.TempPathFactory, name: str) -> Iterator[LiveServer]:
    """A real server without a language model, for a module's browser tests."""
    settings = server_settings(tmp_path_factory.mktemp(name))
    with serve(build_context(settings, engine=None)) as live:
        yield live


@dataclass
class BrowserPage:
    page: Any
    errors: list[str] = field(default_factory=list)


@asynccontextmanager
async def page_with_microphone(
    server: LiveServer, speech: Audio, folder: Path, *, autoplay: bool = False
) -> AsyncIterator[BrowserPage]:
    """The web app loaded and ready, its microphone playing `speech`; page errors collected."""
    from playwright.async_api import async_playwright

    if shutil.which(CHROMIUM) is None:
        pytest.fail(f"the browser tests need Chromium at {CHROMIUM}: apt-get install chromium")
    microphone = folder / "mic.wav"
    write_wav(microphone, speech.resampled(48000))
    args = [
        "--no-sandbox",
        "--disable-gpu",
        "--use-fake-ui-for-media-stream",
        "--use-fake-device-for-media-stream",
        f"--use-file-for-fake-audio-capture={microphone}",
    ]
    if autoplay:
        args.append("--autoplay-policy=no-user-gesture-required")
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=CHROMIUM, args=args)
        try:
            context = await browser.new_context(locale="en-US")
            await context.grant_permissions(["microphone"], origin=server.url)
            opened = BrowserPage(await context.new_page())
            opened.page.on("pageerror", lambda error: opened.errors.append(str(error)))
            await opened.page.goto(server.url)
            await opened.page.wait_for_selector("body[data-ready=true]", timeout=15000)
            yield opened
        finally:
            await browser.close()
