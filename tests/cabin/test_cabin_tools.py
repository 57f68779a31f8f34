from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import jsonschema
import pytest

from tongxue.cabin import (
    ACTIONS,
    DEFAULT_PROFILE,
    CabinAction,
    InvalidActionError,
    NavigateTo,
    PauseMedia,
    SetAmbientLight,
    SetDefrost,
    SetSeatMassage,
    SetTemperature,
    SetWindow,
    load_builtin_profile,
    parse_tool_call,
    tool_schemas,
)

SEDAN = load_builtin_profile("sedan5")

EXAMPLES: list[CabinAction] = [
    SetWindow(target="rear", position=50),
    SetTemperature(delta=-2.0),
    SetSeatMassage(target="third_left", level=3),
    SetDefrost(window="rear", on=True),
    SetAmbientLight(color="purple", brightness_delta=10),
    NavigateTo(destination="上海虹桥站"),
    PauseMedia(),
]


def _walk(node: Any) -> Iterator[tuple[str, Any]]:
    if isinstance(node, dict):
        for key, value in node.items():
            yield key, value
            yield from _walk(value)
    elif isinstance(node, list):
        for item in node:
            yield from _walk(item)


def _by_name(profile: Any = DEFAULT_PROFILE) -> dict[str, dict[str, Any]]:
    return {tool["function"]["name"]: tool for tool in tool_schemas(profile)}


def test_default_car_offers_every_tool_in_catalogue_order() -> None:
    assert [tool["function"]["name"] for tool in tool_schemas()] == list(ACTIONS)


@pytest.mark.parametrize("profile", [DEFAULT_PROFILE, SEDAN], ids=["suv6", "sedan5"])
def test_schemas_are_valid_compact_openai_tools(profile: Any) -> None:
    for tool in tool_schemas(profile):
        assert set(tool) == {"type", "function"}
        assert tool["type"] == "function"
        function = tool["function"]
        assert set(function) == {"name", "description", "parameters"}
        assert "\n" not in function["description"]
        parameters = function["parameters"]
        jsonschema.Draft202012Validator.check_schema(parameters)
        assert parameters["type"] == "object"
        assert parameters["additionalProperties"] is False
        fields = ACTIONS[function["name"]].model_fields
        assert list(parameters["properties"]) == [i.alias or n for n, i in fields.items()]
        keys = {key for key, _ in _walk(parameters)}
        assert not keys & {"title", "$defs", "$ref", "anyOf", "default"}


def test_schemas_are_byte_stable() -> None:
    first = json.dumps(tool_schemas(), ensure_ascii=False)
    second = json.dumps(tool_schemas(), ensure_ascii=False)
    assert first == second
    tools = tool_schemas()
    tools[0]["function"]["name"] = "mutated"
    assert json.dumps(tool_schemas(), ensure_ascii=False) == first


def test_required_lists_only_fields_without_default() -> None:
    tools = _by_name()
    assert tools["set_door_lock"]["function"]["parameters"]["required"] == ["locked"]
    assert tools["set_defrost"]["function"]["parameters"]["required"] == ["window", "on"]
    assert "required" not in tools["set_window"]["function"]["parameters"]
    mode = tools["set_climate_mode"]["function"]["parameters"]["properties"]["mode"]
    assert mode["enum"] == ["auto", "face", "feet", "face_feet", "windshield"]


def test_target_enums_follow_what_the_car_has() -> None:
    suv, sedan = _by_name(), _by_name(SEDAN)

    def targets(tools: dict[str, Any], name: str) -> list[str]:
        return list(tools[name]["function"]["parameters"]["properties"]["target"]["enum"])

    # The third row has no windows, but its seats have climate (zone rear) and heating.
    assert targets(suv, "set_window") == [
        "driver", "passenger", "rear_left", "rear_right", "front", "rear", "second_row",
        "left_side", "right_side", "all"
    ]  # fmt: skip
    assert "third_row" in targets(suv, "set_temperature")
    assert "third_left" in targets(suv, "set_seat_heating")
    assert "third_row" not in targets(sedan, "set_temperature")
    assert "third_left" not in targets(sedan, "set_seat_heating")
    assert targets(sedan, "set_seat_ventilation") == [
        "driver", "passenger", "front", "left_side", "right_side", "all"
    ]  # fmt: skip


def test_sedan_leaves_out_what_it_lacks() -> None:
    names = set(_by_name(SEDAN))
    assert "set_sunshade" not in names
    assert "set_seat_massage" not in names
    assert set(ACTIONS) - names == {"set_sunshade", "set_seat_massage", "set_massage_mode"}


@pytest.mark.parametrize("action", EXAMPLES, ids=lambda a: a.name)
def test_arguments_fit_the_schema_and_parse_back(action: CabinAction) -> None:
    schema = _by_name()[action.name]["function"]["parameters"]
    arguments = action.arguments()
    jsonschema.validate(arguments, schema)
    assert parse_tool_call(action.name, json.dumps(arguments, ensure_ascii=False)) == action
    assert parse_tool_call(action.name, arguments) == action


def test_empty_arguments_mean_none() -> None:
    assert parse_tool_call("pause_media", "") == PauseMedia()
    assert parse_tool_call("cancel_navigation", None).name == "cancel_navigation"
    assert parse_tool_call("play_media", "{}").name == "play_media"


@pytest.mark.parametrize(
    ("name", "arguments", "message"),
    [
        ("open_everything", "{}", "unknown tool 'open_everything'"),
        ("set_window", '{"position": 50', "not valid JSON"),
        ("set_window", "[50]", "must be a JSON object"),
        ("set_window", '"50"', "must be a JSON object"),
        ("set_door_lock", "{}", "locked: missing required argument"),
        ("set_window", '{"position": 50, "speed": 2}', "speed: unknown argument"),
        ("set_window", '{"position": 50, "delta": 10}', "exactly one of position or delta"),
        ("set_window", '{"target": "boot", "position": 50}', "target:"),
        ("set_temperature", '{"value": "warm"}', "value:"),
        ("set_climate_mode", '{"mode": "cold"}', "mode:"),
    ],
)
def test_parse_tool_call_errors_are_clear(name: str, arguments: str, message: str) -> None:
    with pytest.raises(InvalidActionError, match=message):
        parse_tool_call(name, arguments)


def test_parse_tool_call_accepts_what_models_send() -> None:
    # Numbers as strings and explicit nulls are common in small-model output.
    assert parse_tool_call("set_window", '{"position": "30", "delta": null}') == SetWindow(
        position=30
    )


def test_tool_subset_keeps_catalogue_order() -> None:
    names = [t["function"]["name"] for t in tool_schemas(names={"set_volume", "set_window"})]
    assert names == ["set_window", "set_volume"]
    assert tool_schemas(SEDAN, names=["set_sunshade"]) == []
    with pytest.raises(InvalidActionError, match="set_teleport"):
        tool_schemas(names=["set_teleport"])
