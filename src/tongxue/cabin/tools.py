"""The actions as LLM tools: OpenAI-format schemas, and tool calls back into actions.

Schemas are written by hand from the field annotations rather than taken from pydantic,
so they stay compact (no titles, no `$defs`, no `anyOf` with null) and byte-stable: the
same profile always gives the same JSON, which keeps the model's prompt cache warm.
"""

from __future__ import annotations

import inspect
import json
import types
from collections.abc import Collection, Mapping
from typing import Any, Literal, Union, get_args, get_origin

from pydantic import ValidationError
from pydantic.fields import FieldInfo

from tongxue.cabin.actions import ACTION_CLASSES, ACTIONS, CabinAction
from tongxue.cabin.errors import InvalidActionError
from tongxue.cabin.profile import DEFAULT_PROFILE, CarProfile
from tongxue.cabin.targets import reachable_targets

_SCALAR_TYPES: dict[type, str] = {bool: "boolean", int: "integer", float: "number", str: "string"}


def available_actions(profile: CarProfile = DEFAULT_PROFILE) -> list[type[CabinAction]]:
    """The action classes this car can do something with, in catalogue order."""
    return [
        cls
        for cls in ACTION_CLASSES
        if (cls.requires is None or profile.has(cls.requires))
        and (cls.target_kind is None or reachable_targets(cls.target_kind, profile))
    ]


def tool_schema(cls: type[CabinAction], profile: CarProfile = DEFAULT_PROFILE) -> dict[str, Any]:
    """One action as an OpenAI `tools` entry."""
    properties: dict[str, Any] = {}
    required: list[str] = []
    for field_name, info in cls.model_fields.items():
        # A tool argument may not be called what the class calls it (`name` is taken).
        argument = info.alias or field_name
        prop = _property_schema(info)
        if field_name == "target" and cls.target_kind is not None:
            prop = {
                "type": "string",
                "enum": list(reachable_targets(cls.target_kind, profile)),
                **_described(info),
            }
        properties[argument] = prop
        if info.is_required():
            required.append(argument)
    parameters: dict[str, Any] = {
        "type": "object",
        "properties": properties,
        "additionalProperties": False,
    }
    if required:
        parameters["required"] = required
    return {
        "type": "function",
        "function": {
            "name": cls.name,
            "description": tool_description(cls),
            "parameters": parameters,
        },
    }


def tool_schemas(
    profile: CarProfile = DEFAULT_PROFILE, names: Collection[str] | None = None
) -> list[dict[str, Any]]:
    """Every tool this car offers, in catalogue order, as OpenAI `tools` entries.

    `names` keeps only those tools (a small model's prompt may not fit all of them);
    unknown names raise `InvalidActionError`.
    """
    if names is not None:
        unknown = sorted(set(names) - set(ACTIONS))
        if unknown:
            raise InvalidActionError(f"unknown tools: {', '.join(unknown)}")
    return [
        tool_schema(cls, profile)
        for cls in available_actions(profile)
        if names is None or cls.name in names
    ]


def tool_description(cls: type[CabinAction]) -> str:
    """The class docstring on one line."""
    return " ".join(inspect.cleandoc(cls.__doc__ or cls.name).split())


def parse_tool_call(name: str, arguments: Mapping[str, Any] | str | None) -> CabinAction:
    """A tool call (name and JSON arguments) as a validated action.

    Raises `InvalidActionError` with a message a model can act on: unknown tool, arguments
    that are not a JSON object, or which arguments are wrong and why.
    """
    cls = ACTIONS.get(name)
    if cls is None:
        raise InvalidActionError(f"unknown tool '{name}'; tools are: {', '.join(ACTIONS)}")
    data = _arguments_object(name, arguments)
    try:
        return cls.model_validate(data)
    except ValidationError as error:
        raise InvalidActionError(f"{name}: {_summarize(error, cls)}") from error


def _arguments_object(name: str, arguments: Mapping[str, Any] | str | None) -> dict[str, Any]:
    if arguments is None:
        return {}
    if isinstance(arguments, str):
        if not arguments.strip():
            return {}
        try:
            parsed = json.loads(arguments)
        except json.JSONDecodeError as error:
            raise InvalidActionError(
                f"{name}: arguments are not valid JSON ({error.msg} at character {error.pos})"
            ) from error
        arguments = parsed
    if not isinstance(arguments, Mapping):
        raise InvalidActionError(
            f"{name}: arguments must be a JSON object, got {type(arguments).__name__}"
        )
    return dict(arguments)


def _summarize(error: ValidationError, cls: type[CabinAction]) -> str:
    parts = []
    for item in error.errors(include_url=False):
        where = ".".join(str(part) for part in item["loc"])
        kind = item["type"]
        if kind == "missing":
            message = "missing required argument"
        elif kind == "extra_forbidden":
            known = ", ".join(info.alias or key for key, info in cls.model_fields.items())
            known = known or "none"
            message = f"unknown argument (arguments are: {known})"
        else:
            message = str(item["msg"]).removeprefix("Value error, ")
        parts.append(f"{where}: {message}" if where else message)
    return "; ".join(parts)


def _described(info: FieldInfo) -> dict[str, Any]:
    return {"description": info.description} if info.description else {}


def _property_schema(info: FieldInfo) -> dict[str, Any]:
    annotation = _drop_none(info.annotation)
    if get_origin(annotation) is Literal:
        values = list(get_args(annotation))
        if not all(isinstance(value, str) for value in values):
            raise TypeError(f"only string enums are supported in tools, got {values}")
        return {"type": "string", "enum": values, **_described(info)}
    if isinstance(annotation, type) and annotation in _SCALAR_TYPES:
        return {"type": _SCALAR_TYPES[annotation], **_described(info)}
    raise TypeError(f"no tool schema for field type {annotation!r}")


def _drop_none(annotation: Any) -> Any:
    if get_origin(annotation) in (Union, types.UnionType):
        rest = [arg for arg in get_args(annotation) if arg is not type(None)]
        if len(rest) != 1:
            raise TypeError(f"only `X | None` unions are supported in tools, got {annotation!r}")
        return rest[0]
    return annotation
