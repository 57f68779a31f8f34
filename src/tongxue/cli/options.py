"""Turns the `Settings` fields into Typer options on the root command.

Every field of `Settings` becomes `--field-name`; when a flag is not given, pydantic-settings
reads `TONGXUE_FIELD_NAME` from the environment, then the field's default.
"""

from __future__ import annotations

import enum
import inspect
import types
import typing
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any, Literal, get_args, get_origin

import typer

from tongxue.config import Settings


def _option_type(name: str, annotation: Any) -> Any:
    """Map a settings annotation to a Typer-friendly type (an Enum for Literals)."""
    origin = get_origin(annotation)
    if origin in (typing.Union, types.UnionType):
        inner = [a for a in get_args(annotation) if a is not type(None)]
        if len(inner) == 1:
            return _option_type(name, inner[0])
    if origin is Literal:
        values = [str(v) for v in get_args(annotation)]
        return enum.Enum(name.title().replace("_", ""), {v: v for v in values}, type=str)
    if annotation in (bool, int, float, str, Path):
        return annotation
    return str


def settings_parameters() -> list[inspect.Parameter]:
    params = []
    for name, field in Settings.model_fields.items():
        base_type = _option_type(name, field.annotation)
        flag = "--" + name.replace("_", "-")
        decls = [f"{flag}/--no-{name.replace('_', '-')}"] if base_type is bool else [flag]
        option = typer.Option(
            *decls,
            help=f"{field.description or ''} [env: TONGXUE_{name.upper()}]",
            show_default=False,
            rich_help_panel="Settings",
        )
        annotation = Annotated[base_type | None, option]  # type: ignore[valid-type]
        params.append(
            inspect.Parameter(
                name, inspect.Parameter.KEYWORD_ONLY, default=None, annotation=annotation
            )
        )
    return params


def with_settings_options(
    func: Callable[..., None],
) -> Callable[..., None]:
    """Give a Typer callback `func(ctx, settings)` one option per settings field."""

    def wrapper(ctx: typer.Context, **flags: Any) -> None:
        given = {
            k: v.value if isinstance(v, enum.Enum) else v for k, v in flags.items() if v is not None
        }
        settings = Settings(**given)
        func(ctx, settings)

    ctx_param = inspect.Parameter(
        "ctx", inspect.Parameter.POSITIONAL_OR_KEYWORD, annotation=typer.Context
    )
    params = [ctx_param, *settings_parameters()]
    wrapper.__signature__ = inspect.Signature(params)  # type: ignore[attr-defined]
    wrapper.__annotations__ = {p.name: p.annotation for p in params}
    wrapper.__doc__ = func.__doc__
    wrapper.__name__ = func.__name__
    return wrapper


def get_settings(ctx: typer.Context) -> Settings:
    """The settings the root command built, from any sub-command's context."""
    root = ctx.find_root()
    settings = root.obj
    if not isinstance(settings, Settings):
        settings = Settings()
        root.obj = settings
    return settings
