"""Questions about the car: answered from the manual with the section cited, from the live
state where the car knows, from both when asked for a judgement, and refused, never made
up, when the manual has nothing."""

from __future__ import annotations

import pytest

from support.writing_model import WritingModel
from tongxue.cabin.vehicle import Vehicle
from tongxue.dialogue.agent import CabinAgent, ReplyDelta, TurnDone
from tongxue.dialogue.manual_answers import ManualDesk, extract
from tongxue.dialogue.sessions import TurnInput, TurnResult
from tongxue.manual import ManualSearch


def _agent(search: ManualSearch, engine: WritingModel | None = None) -> CabinAgent:
    return CabinAgent(Vehicle(), engine=engine, manual=ManualDesk(search, engine))


async def _ask(agent: CabinAgent, text: str) -> TurnResult:
    return await agent.handle(TurnInput(text=text, seat="driver", session_id="manual"))


@pytest.mark.parametrize(
    ("question", "section", "title"),
    [
        ("孩子老在后排自己开门，有办法锁住吗", "child-lock", "「儿童锁」"),
        ("my kids keep opening the back doors, how do I stop that", "child-lock", "Child lock"),
        ("胎压一般打多少合适", "tyre-pressure", "「胎压标准」"),
        ("how long does fast charging take", "dc-fast-charging", "DC fast charging"),
    ],
)
async def test_a_manual_question_is_answered_with_its_source(
    manual_search: ManualSearch, question: str, section: str, title: str
) -> None:
    agent = _agent(manual_search)
    before = agent.vehicle.snapshot()
    result = await _ask(agent, question)
    assert result.route == "manual"
    assert result.outcome == "answered"
    assert [c.section_id for c in result.citations] == [section]
    assert title in result.reply, "the reply says its source in words"
    cited = manual_search.manual.section(section, result.language)
    assert cited is not None and result.citations[0].passage == cited.text
    assert agent.vehicle.snapshot() == before, "a question never changes the car"


@pytest.mark.parametrize(
    ("question", "refusal"),
    [
        ("这车的百公里油耗是多少", "手册里没有找到相关内容"),
        ("how do I hitch a trailer to the car", "couldn't find that in the manual"),
    ],
)
async def test_what_the_manual_lacks_is_refused_not_invented(
    manual_search: ManualSearch, question: str, refusal: str
) -> None:
    # The model would happily invent a procedure; it is never asked.
    model = WritingModel(text="百公里油耗大约是 6 升。")
    agent = _agent(manual_search, model)
    result = await _ask(agent, question)
    assert result.route == "manual"
    assert refusal in result.reply
    assert result.citations == []
    assert result.outcome == "unsupported"
    assert model.requests == []


@pytest.mark.parametrize(
    "text",
    ["讲个笑话", "周杰伦是哪一年出道的", "what's the capital of France", "可以打开儿童锁吗"],
)
async def test_chat_and_requests_are_not_the_manuals(
    manual_search: ManualSearch, text: str
) -> None:
    agent = _agent(manual_search, WritingModel(text="好的。"))
    result = await _ask(agent, text)
    assert result.route != "manual"
    assert result.citations == []


async def test_live_status_comes_from_the_state_without_a_citation(
    manual_search: ManualSearch,
) -> None:
    agent = _agent(manual_search)
    agent.vehicle.set_many({"energy.range_km": 321.0, "energy.battery_percent": 37.0})
    result = await _ask(agent, "还能跑多远")
    assert result.route == "status"
    assert result.outcome == "answered"
    assert "321" in result.reply
    assert result.citations == []


async def test_a_judgement_is_answered_from_the_state_and_the_manual(
    manual_search: ManualSearch,
) -> None:
    agent = _agent(manual_search)
    agent.vehicle.set_many({"tires.rear_left.pressure_kpa": 205.0})
    result = await _ask(agent, "胎压正常吗")
    assert result.route == "status"
    assert "205" in result.reply, "the live reading"
    assert "220–300" in result.reply, "the manual's normal band"
    assert [c.section_id for c in result.citations] == ["tyre-pressure"]
    english = await _ask(agent, "are my tyres ok")
    assert "205" in english.reply and "220–300 kPa" in english.reply
    assert [c.section_id for c in english.citations] == ["tyre-pressure"]


async def test_the_models_answer_is_spoken_when_grounded(manual_search: ManualSearch) -> None:
    model = WritingModel(text="冷胎时前后轮都打到250 kPa，满载时打到270 kPa。")
    agent = _agent(manual_search, model)
    events = [e async for e in agent.stream(TurnInput(text="胎压一般打多少合适"))]
    text = "".join(e.text for e in events if isinstance(e, ReplyDelta))
    done = events[-1]
    assert isinstance(done, TurnDone)
    assert text == done.result.reply
    assert done.result.reply.startswith("冷胎时前后轮都打到250 kPa，满载时打到270 kPa。")
    assert "见手册「胎压标准」一节" in done.result.reply
    prompt = model.requests[0].messages[-1].content or ""
    assert "250 kPa" in prompt and "胎压一般打多少合适" in prompt, "passages and question"


async def test_a_number_the_manual_never_says_is_not_spoken(manual_search: ManualSearch) -> None:
    # 280 kPa is nowhere in the passages: the sentence is dropped, and the answer falls back
    # to the manual's own words.
    model = WritingModel(text="胎压打到280 kPa最合适。")
    agent = _agent(manual_search, model)
    result = await _ask(agent, "胎压一般打多少合适")
    assert "280" not in result.reply
    assert "250 kPa" in result.reply
    assert [c.section_id for c in result.citations] == ["tyre-pressure"]


async def test_a_model_that_says_it_does_not_know_falls_back_to_the_passage(
    manual_search: ManualSearch,
) -> None:
    agent = _agent(manual_search, WritingModel(text="NONE"))
    result = await _ask(agent, "how long does fast charging take")
    assert "25 minutes" in result.reply
    assert result.outcome == "answered"


def test_the_extract_opens_with_the_lead_and_adds_the_best_match(
    manual_search: ManualSearch,
) -> None:
    section = manual_search.manual.section("tyre-pressure", "en")
    assert section is not None
    spoken = extract(section, ("full", "load"), "en")
    assert spoken[0].startswith("Inflate cold tyres to 250 kPa")
    assert all(sentence in section.text for sentence in spoken)


@pytest.mark.parametrize(("mode", "writes"), [("passage", False), ("model", True)])
def test_the_setting_decides_who_words_the_answer(mode: str, writes: bool) -> None:
    from tongxue.config import Settings
    from tongxue.dialogue.factory import create_manual_desk

    model = WritingModel(text="好的。")
    desk = create_manual_desk(Settings(manual_answers=mode), Vehicle(), engine=model)
    assert desk is not None
    assert (desk.engine is model) is writes


def test_a_car_without_a_manual_has_no_manual_answers() -> None:
    from tongxue.cabin.profile import resolve_profile
    from tongxue.config import Settings
    from tongxue.dialogue.factory import create_manual_desk

    sedan = Vehicle(resolve_profile("sedan5"))
    assert create_manual_desk(Settings(), sedan) is None
    assert create_manual_desk(Settings(manual=False), Vehicle()) is None
