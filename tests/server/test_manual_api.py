"""The owner's manual over HTTP: answers carry their citations, and a citation opens its
section (`/v1/manual/sections/{id}`); `/v1/manual/search` shows the ranking."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest

from server.conftest import ServerFactory
from server.server_kit import LiveServer


@pytest.fixture(scope="module")
def rules_server(make_server: ServerFactory) -> Iterator[LiveServer]:
    """No model: manual answers are the passage's own words, the same on every machine."""
    with make_server() as live:
        yield live


def test_a_manual_answer_carries_its_citations(rules_server: LiveServer) -> None:
    with rules_server.client() as http:
        turn = http.post("/v1/assistant/turns", json={"text": "儿童锁怎么打开"}).json()
    assert turn["route"] == "manual"
    assert turn["outcome"] == "answered"
    [cited] = turn["citations"]
    assert cited["section_id"] == "child-lock"
    assert cited["title"] == "儿童锁" and cited["language"] == "zh"
    assert cited["passage"] and "见手册「儿童锁」一节" in turn["reply"]
    assert "{#" not in turn["reply"] and "child-lock" not in turn["reply"]


def test_a_streamed_answer_ends_with_its_citations(rules_server: LiveServer) -> None:
    with rules_server.client() as http:
        response = http.post(
            "/v1/assistant/turns",
            json={"text": "how long does DC fast charging take", "stream": True},
        )
    blocks = [b.split("\n") for b in response.text.strip().split("\n\n")]
    events = [
        (b[0].removeprefix("event: "), json.loads(b[1].removeprefix("data: "))) for b in blocks
    ]
    text = "".join(str(data["text"]) for name, data in events if name == "text")
    name, done = events[-1]
    assert name == "done"
    assert text == done["turn"]["reply"]
    assert [c["section_id"] for c in done["turn"]["citations"]] == ["dc-fast-charging"]


def test_a_citation_opens_its_section(rules_server: LiveServer) -> None:
    with rules_server.client() as http:
        section = http.get("/v1/manual/sections/child-lock", params={"language": "en"})
        missing = http.get("/v1/manual/sections/no-such-section")
        malformed = http.get("/v1/manual/sections/Not_An_Id")
        bad_language = http.get("/v1/manual/sections/child-lock", params={"language": "fr"})
    assert section.status_code == 200
    body = section.json()
    assert body["object"] == "manual.section" and body["title"] == "Child lock"
    assert body["language"] == "en" and "rear doors" in body["text"]
    assert missing.status_code == 404
    assert missing.json()["error"]["code"] == "not_found"
    assert malformed.status_code == 422 and bad_language.status_code == 422


def test_search_ranks_passages_with_both_scores(rules_server: LiveServer) -> None:
    with rules_server.client() as http:
        response = http.get("/v1/manual/search", params={"q": "胎压多少合适", "k": 3})
        empty = http.get("/v1/manual/search", params={"q": ""})
    assert response.status_code == 200
    body = response.json()
    assert body["language"] == "zh"
    assert [p["rank"] for p in body["data"]] == [1, 2, 3]
    assert body["data"][0]["section_id"] == "tyre-pressure"
    assert body["data"][0]["similarity"] > 0 and body["data"][0]["bm25"] > 0
    assert empty.status_code == 422
