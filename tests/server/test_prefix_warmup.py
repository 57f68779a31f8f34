"""The server warms the model's common prompt prefixes in the background and reports them."""

from __future__ import annotations

import time
from pathlib import Path

from server.conftest import ServerFactory
from tongxue.engine.llama_cpp_backend import LlamaCppEngine
from tongxue.engine.prefix_cache import PrefixCache


def test_healthz_answers_at_once_then_reports_the_warmed_prefixes(
    make_server: ServerFactory, tiny_model_path: Path, tmp_path: Path
) -> None:
    engine = LlamaCppEngine(
        tiny_model_path,
        model_name="tiny-qwen2",
        n_ctx=2048,
        n_threads=2,
        prefix_cache=PrefixCache(256 * 1024 * 1024, tmp_path / "states"),
    )
    with make_server(engine=engine, warm_prefixes=True) as server, server.client() as http:
        deadline = time.monotonic() + 300
        while True:
            prefixes = http.get("/healthz").json()["prefixes"]
            assert prefixes is not None
            if prefixes["warmed"] + prefixes["skipped"] >= prefixes["total"]:
                break
            assert time.monotonic() < deadline, prefixes
            time.sleep(0.2)
        turn = http.post("/v1/assistant/turns", json={"text": "tell me a joke"}).json()
    assert prefixes["total"] > 10 and prefixes["skipped"] == 0
    labels = [state["label"] for state in prefixes["states"]]
    assert labels[:2] == ["chat", "set_temperature"]
    assert all(state["bytes"] > 0 and state["tokens"] > 100 for state in prefixes["states"])
    assert prefixes["bytes"] == sum(state["bytes"] for state in prefixes["states"])
    usage = turn["model_usage"]
    assert usage["model"] == "tiny-qwen2"
    # The chat prefix was warmed: only the turn itself was prefilled.
    assert usage["cached_prompt_tokens"] >= prefixes["states"][0]["tokens"]
