"""The cabin agent: rules first, the model for the rest, the policy always, memory per user."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest

from support.writing_model import WritingModel
from tongxue.cabin.vehicle import Vehicle
from tongxue.dialogue.agent import CabinAgent, ReplyDelta, TurnDone, tidy_arguments
from tongxue.dialogue.memory import MemoryStore
from tongxue.dialogue.sessions import TurnInput
from tongxue.engine.llama_cpp_backend import LlamaCppEngine
from tongxue.engine.openai_backend import OpenAICompatibleEngine


def say(agent: CabinAgent, text: str, seat: str = "driver", session: str = "s1") -> TurnInput:
    return TurnInput(text=text, seat=seat, session_id=session)  # type: ignore[arg-type]


async def test_rules_path_acts_for_the_speakers_seat() -> None:
    agent = CabinAgent(Vehicle())
    result = await agent.handle(say(agent, "打开车窗", seat="rear_right"))
    assert result.route == "rules"
    assert agent.vehicle.get("windows.rear_right") == 100
    assert agent.vehicle.get("windows.driver") == 0
    assert result.language == "zh"
    assert "右后车窗已打开" in result.reply
    assert [c.path for c in result.changes] == ["windows.rear_right"]


async def test_compound_follow_up_and_undo_in_one_session() -> None:
    agent = CabinAgent(Vehicle())
    await agent.handle(say(agent, "打开空调并把温度调到23度", seat="passenger"))
    assert agent.vehicle.get("climate.power") is True
    assert agent.vehicle.get("climate.passenger.temperature") == 23
    await agent.handle(say(agent, "再高一点", seat="passenger"))
    assert agent.vehicle.get("climate.passenger.temperature") == 24
    result = await agent.handle(say(agent, "撤销", seat="passenger"))
    assert result.route == "undo"
    assert agent.vehicle.get("climate.passenger.temperature") == 23


async def test_safety_refusal_changes_nothing_and_says_why() -> None:
    vehicle = Vehicle()
    vehicle.set("drive.speed_kmh", 60)
    agent = CabinAgent(vehicle)
    result = await agent.handle(say(agent, "unlock the doors"))
    assert result.refused
    assert vehicle.get("doors.locked") is True
    assert result.language == "en"
    assert "moving" in result.reply


async def test_memory_save_apply_list_forget_and_privacy(tmp_path: Path) -> None:
    db = tmp_path / "memory.db"
    agent = CabinAgent(Vehicle(), memory=MemoryStore(db))
    saved = await agent.handle(say(agent, "记住我喜欢22度"))
    assert saved.route == "memory"
    assert agent.vehicle.get("climate.driver.temperature") == 24
    # A restart keeps the memory; the usual applies it.
    agent = CabinAgent(Vehicle(), memory=MemoryStore(db))
    applied = await agent.handle(say(agent, "按我的习惯"))
    assert applied.route == "memory"
    assert agent.vehicle.get("climate.driver.temperature") == 22
    listed = await agent.handle(say(agent, "你记得我什么"))
    assert "22" in listed.reply
    # Someone in another seat sees nothing of it.
    other = await agent.handle(say(agent, "what do you remember about me", seat="passenger"))
    assert "22" not in other.reply
    untouched = await agent.handle(say(agent, "the usual", seat="passenger"))
    assert untouched.actions == []
    await agent.handle(say(agent, "忘掉我喜欢的温度"))
    assert "22" not in (await agent.handle(say(agent, "你记得我什么"))).reply


async def test_model_calls_pass_the_same_policy() -> None:
    vehicle = Vehicle()
    vehicle.set("drive.gear", "D")
    model = WritingModel(calls=[("set_door_lock", {"locked": False})])
    agent = CabinAgent(vehicle, engine=model)
    result = await agent.handle(say(agent, "把门给我弄开呗"))
    assert result.route == "llm"
    assert result.refused
    assert vehicle.get("doors.locked") is True


async def test_one_nonsense_call_means_nothing_is_done() -> None:
    model = WritingModel(
        calls=[("set_window", {"position": 100}), ("launch_rocket", {"when": "now"})]
    )
    agent = CabinAgent(Vehicle(), engine=model)
    before = agent.vehicle.snapshot()
    result = await agent.handle(say(agent, "搞点新鲜空气再发射火箭"))
    assert result.route == "llm"
    assert result.error and "launch_rocket" in result.error
    assert agent.vehicle.snapshot() == before
    assert result.reply.startswith("抱歉")


async def test_invalid_arguments_mean_nothing_is_done() -> None:
    model = WritingModel(calls=[("set_temperature", {"value": "warm"})])
    agent = CabinAgent(Vehicle(), engine=model)
    before = agent.vehicle.snapshot()
    result = await agent.handle(say(agent, "make it cosy in here"))
    assert result.error
    assert agent.vehicle.snapshot() == before
    assert result.reply.startswith("Sorry")


async def test_chat_answer_is_streamed_and_plain() -> None:
    model = WritingModel(text="**Paris** is the capital of France. It is lovely.")
    agent = CabinAgent(Vehicle(), engine=model)
    events = [e async for e in agent.stream(say(agent, "what's the capital of France"))]
    assert isinstance(events[-1], TurnDone)
    pieces = [e.text for e in events if isinstance(e, ReplyDelta)]
    assert pieces[0] == "Paris is the capital of France."
    assert events[-1].result.reply == "Paris is the capital of France. It is lovely."
    assert events[-1].result.actions == []


async def test_unreachable_model_is_an_apology_not_a_crash() -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    engine = OpenAICompatibleEngine(f"http://127.0.0.1:{port}/v1", timeout=2)
    agent = CabinAgent(Vehicle(), engine=engine)
    result = await agent.handle(say(agent, "讲个笑话吧"))
    assert result.route == "llm"
    assert result.error
    assert result.reply.startswith("抱歉")
    await engine.aclose()


async def test_model_timeout_is_an_apology(tiny_model_path: Path) -> None:
    engine = LlamaCppEngine(tiny_model_path, n_ctx=2048)
    agent = CabinAgent(Vehicle(), engine=engine, llm_timeout=0.001)
    before = agent.vehicle.snapshot()
    result = await agent.handle(say(agent, "tell me a long story"))
    assert result.error == "timeout"
    assert result.reply.startswith("Sorry")
    assert agent.vehicle.snapshot() == before
    # The model is free again afterwards.
    assert engine.queue_depth == 0


async def test_real_tiny_model_turn_never_crashes(tiny_model_path: Path) -> None:
    engine = LlamaCppEngine(tiny_model_path, n_ctx=4096)
    agent = CabinAgent(Vehicle(), engine=engine, max_tokens=24)
    result = await agent.handle(say(agent, "随便聊聊"))
    assert result.route == "llm"
    assert result.reply


def test_tidy_arguments_drops_form_filling() -> None:
    assert tidy_arguments({"target": None, "level": 2, "delta": 1}) == {"level": 2}
    assert tidy_arguments({"brightness": 50, "brightness_delta": 0}) == {"brightness": 50}
    assert tidy_arguments({"delta": -1}) == {"delta": -1}
    assert tidy_arguments(None) == {}
    assert tidy_arguments(
        {"on": True, "scent": "ocean", "next_scent": False, "level": 3, "level_delta": -2}
    ) == {"on": True, "scent": "ocean", "level": 3}
    assert tidy_arguments({"backrest": 0, "backrest_delta": 10, "fore_aft_delta": -20}) == {
        "backrest": 0,
        "fore_aft_delta": -20,
    }


@pytest.mark.parametrize(
    ("text", "tool"),
    [
        ("我腰好酸，给我按按", "set_seat_massage"),
        ("my seat is ice cold, warm it up please", "set_seat_heating"),
        ("太黑了看不清书", "set_reading_light"),
        ("I'm starving, find me a McDonald's", "navigate_to"),
    ],
)
def test_router_offers_the_relevant_tool(text: str, tool: str, router: object) -> None:
    from tongxue.dialogue.tool_router import ToolRouter

    assert isinstance(router, ToolRouter)
    assert router.route(text).tools[0] == tool


@pytest.mark.parametrize("text", ["你好", "hello there", "你是谁", "tell me a joke"])
def test_router_sends_small_talk_without_tools(text: str, router: object) -> None:
    from tongxue.dialogue.tool_router import ToolRouter

    assert isinstance(router, ToolRouter)
    assert router.route(text).is_chat


@pytest.fixture(scope="module")
def router() -> object:
    from tongxue.dialogue.factory import create_router

    return create_router(Vehicle())


async def test_a_target_nobody_said_becomes_the_speakers_seat() -> None:
    model = WritingModel(calls=[("set_seat_massage", {"target": "driver", "level": 2})])
    agent = CabinAgent(Vehicle(), engine=model)
    await agent.handle(say(agent, "我腰好酸，给我按按", seat="passenger"))
    assert agent.vehicle.get("seats.passenger.massage") == 2
    assert agent.vehicle.get("seats.driver.massage") == 0
    # A seat that was said is kept.
    model.calls = [("set_seat_massage", {"target": "driver", "level": 3})]
    await agent.handle(say(agent, "主驾那位也想享受享受", seat="passenger"))
    assert agent.vehicle.get("seats.driver.massage") == 3


async def test_words_instead_of_an_offered_tool_are_not_passed_off_as_done(router: object) -> None:
    from tongxue.dialogue.tool_router import ToolRouter

    assert isinstance(router, ToolRouter)
    model = WritingModel(text="好的，座椅加热已打开。")
    agent = CabinAgent(Vehicle(), engine=model, router=router)
    result = await agent.handle(say(agent, "屁股底下好凉，帮我把座椅热一下"))
    assert [t.function.name for t in model.requests[0].tools or []] == ["set_seat_heating"]
    assert result.reply.startswith("抱歉")
    assert result.error == "the model answered without acting"
    assert agent.vehicle.get("seats.driver.heating") == 0
