"""The model cascade's choice: the default model first, the larger one only for a call that
cannot be carried out, or for a command whose tool the router is unsure about."""

from __future__ import annotations

import pytest

from support.writing_model import WritingModel
from tongxue.cabin.vehicle import Vehicle
from tongxue.dialogue.agent import CabinAgent, unusable_calls
from tongxue.dialogue.sessions import TurnInput
from tongxue.dialogue.tool_router import ALTERNATIVES, ToolRouter


@pytest.fixture(scope="module")
def router() -> ToolRouter:
    from tongxue.dialogue.factory import create_router

    return create_router(Vehicle())


HEAT_2 = [("set_seat_heating", {"level": 2})]
HEAT_3 = [("set_seat_heating", {"level": 3})]
NONSENSE: list[tuple[str, dict[str, object]]] = [("set_seat_heating", {"level": "warm"})]


def models(
    small_calls: list[tuple[str, dict[str, object]]],
    large_calls: list[tuple[str, dict[str, object]]],
) -> tuple[WritingModel, WritingModel]:
    small, large = WritingModel(calls=small_calls), WritingModel(calls=large_calls)
    small.model_name, large.model_name = "small", "large"
    return small, large


async def test_a_valid_call_is_carried_out_without_the_larger_model(router: ToolRouter) -> None:
    small, large = models(
        [("set_seat_heating", {"level": 2})], [("set_seat_heating", {"level": 3})]
    )
    agent = CabinAgent(Vehicle(), engine=small, router=router, escalation=large)
    result = await agent.handle(TurnInput(text="屁股底下好凉，帮我把座椅热一下"))
    assert agent.vehicle.get("seats.driver.heating") == 2
    assert large.requests == []
    assert result.model_usage is not None and result.model_usage.model == "small"


async def test_an_invalid_call_is_asked_again_of_the_larger_model(router: ToolRouter) -> None:
    small, large = models(NONSENSE, HEAT_3)
    agent = CabinAgent(Vehicle(), engine=small, router=router, escalation=large)
    result = await agent.handle(TurnInput(text="屁股底下好凉，帮我把座椅热一下"))
    assert agent.vehicle.get("seats.driver.heating") == 3
    assert len(large.requests) == 1
    assert large.requests[0].messages == small.requests[0].messages
    assert result.model_usage is not None and result.model_usage.model == "large"
    assert result.error is None


async def test_when_both_models_fail_nothing_is_done(router: ToolRouter) -> None:
    small, large = models(NONSENSE, [])
    agent = CabinAgent(Vehicle(), engine=small, router=router, escalation=large)
    result = await agent.handle(TurnInput(text="屁股底下好凉，帮我把座椅热一下"))
    assert agent.vehicle.get("seats.driver.heating") == 0
    assert result.reply.startswith("抱歉") and result.error


async def test_an_unsure_router_sends_the_command_to_the_larger_model_with_choices(
    router: ToolRouter,
) -> None:
    small, large = models(
        [("set_seat_heating", {"level": 2})], [("set_seat_heating", {"level": 1})]
    )
    # Every margin is below 1.0: the router counts as unsure whatever the scores.
    agent = CabinAgent(Vehicle(), engine=small, router=router, escalation=large, escalation_gap=1.0)
    await agent.handle(TurnInput(text="屁股底下好凉，帮我把座椅热一下"))
    assert small.requests == []
    [request] = large.requests
    offered = [tool.function.name for tool in request.tools or []]
    assert len(offered) == ALTERNATIVES and "set_seat_heating" in offered
    assert request.tool_choice == "required"
    assert agent.vehicle.get("seats.driver.heating") == 1


async def test_small_talk_never_goes_to_the_larger_model(router: ToolRouter) -> None:
    small, large = WritingModel(text="I'm Tongxue."), WritingModel(text="I am the large one.")
    agent = CabinAgent(Vehicle(), engine=small, router=router, escalation=large, escalation_gap=1.0)
    result = await agent.handle(TurnInput(text="tell me a joke"))
    assert result.reply == "I'm Tongxue."
    assert large.requests == []


def test_unusable_calls_names_the_reason() -> None:
    from tongxue.engine.protocol import AssistantMessage, ChatResult, Timings, ToolCall, Usage

    def result(*calls: ToolCall) -> ChatResult:
        return ChatResult(
            model="m",
            message=AssistantMessage(tool_calls=list(calls)),
            finish_reason="tool_calls",
            usage=Usage(),
            timings=Timings(),
        )

    good = ToolCall(id="1", name="set_window", arguments="{}", parsed_arguments={"position": 50})
    bad = ToolCall(id="2", name="set_window", arguments="{", error="broken JSON")
    assert unusable_calls(result(good), "open the window") is None
    assert unusable_calls(result(), "open the window") == "no tool call"
    assert "broken JSON" in (unusable_calls(result(good, bad), "open the window") or "")
