"""`tongxue serve` as a person starts it: a real process, the web app and API on loopback."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import httpx

from server.server_kit import free_port


def test_serve_starts_says_it_is_loopback_only_and_stops(tmp_path: Path) -> None:
    port = free_port()
    env = {**os.environ, "TONGXUE_DATA_DIR": str(tmp_path), "TONGXUE_LOG_LEVEL": "WARNING"}
    command = [sys.executable, "-c", "from tongxue.cli.main import app; app()",
               "serve", "--no-llm", "--port", str(port)]  # fmt: skip
    log = tmp_path / "serve.log"
    with log.open("w") as out:
        process = subprocess.Popen(command, env=env, stdout=out, stderr=subprocess.STDOUT)
        try:
            deadline = time.monotonic() + 60
            while True:
                assert process.poll() is None, log.read_text()
                try:
                    health = httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=1)
                    break
                except httpx.HTTPError:
                    assert time.monotonic() < deadline, "tongxue serve did not start"
                    time.sleep(0.2)
            assert health.json()["auth"] == "loopback-only"
            page = httpx.get(f"http://127.0.0.1:{port}/")
            assert page.status_code == 200 and "同学" in page.text
            turn = httpx.post(
                f"http://127.0.0.1:{port}/v1/assistant/turns", json={"text": "打开天窗"}
            )
            assert turn.json()["changes"][0] == {"path": "sunroof", "old": 0, "new": 100}
        finally:
            process.terminate()
            process.wait(timeout=20)
    output = log.read_text()
    assert "loopback only" in output
    assert process.returncode in (0, -15)
