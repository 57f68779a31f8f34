"""The tool router learning from labelled examples (deterministic bigram embedder).

The router on the real E5 model, with its phrases, is tested in test_agent.py.
"""

from __future__ import annotations

from support.embedder import BigramEmbedder, example
from tongxue.dialogue.examples import ExampleIndex
from tongxue.dialogue.tool_router import CAR_INFO, TOOL_PHRASES, ToolRouter

EXAMPLES = [
    example("open the window", ("set_window", {"position": 100})),
    example("roll the window down a bit", ("set_window", {"delta": 20})),
    example("close the sunroof", ("set_sunroof", {"position": 0})),
    example("play some jazz", ("play_media", {"query": "jazz"})),
    example("hum a tune", ("hum_a_tune", {})),
    example(
        "open the window and play jazz",
        ("set_window", {"position": 100}),
        ("play_media", {"query": "jazz"}),
    ),
    example("hello there how are you"),
]
AVAILABLE = ["set_window", "set_sunroof", "play_media", "hum_a_tune", "set_wipers"]


def router(**options: object) -> ToolRouter:
    embedder = BigramEmbedder()
    index = ExampleIndex(embedder, EXAMPLES)
    return ToolRouter(embedder, AVAILABLE, examples=index, **options)  # type: ignore[arg-type]


def test_routes_to_the_tool_of_the_nearest_example() -> None:
    route = router().route("please open the window")
    assert route.tools == ("set_window",)
    assert router().route("play some jazz music").tools == ("play_media",)


def test_a_tool_without_a_phrase_is_learnt_from_its_examples() -> None:
    assert "hum_a_tune" not in TOOL_PHRASES
    r = router()
    assert "hum_a_tune" in r.names
    assert r.route("hum a tune for me please").tools == ("hum_a_tune",)


def test_a_tool_without_examples_keeps_its_phrase() -> None:
    r = router()
    assert "set_wipers" in r.names
    assert r.route(TOOL_PHRASES["set_wipers"]).tools == ("set_wipers",)


def test_a_compound_example_offers_its_tools() -> None:
    route = router(top_k=2, margin=0.2).route("open the window and play jazz")
    assert set(route.tools) == {"set_window", "play_media"}
    assert route.scores[0] >= route.scores[1]


def test_small_talk_examples_route_to_chat_with_a_topic() -> None:
    route = router().route("hello there how are you")
    assert route.is_chat
    assert route.chat_topic is not None


def test_only_available_tools_are_offered() -> None:
    embedder = BigramEmbedder()
    index = ExampleIndex(embedder, EXAMPLES)
    r = ToolRouter(embedder, ["set_sunroof"], examples=index)
    assert r.route("open the window and play jazz").tools in {("set_sunroof",), ()}


def test_without_examples_the_phrases_decide() -> None:
    embedder = BigramEmbedder()
    r = ToolRouter(embedder, AVAILABLE)
    assert "hum_a_tune" not in r.names
    assert r.route(TOOL_PHRASES["set_sunroof"]).tools == ("set_sunroof",)
    assert r.route("还有多少电 续航 能跑多远").chat_topic == CAR_INFO
