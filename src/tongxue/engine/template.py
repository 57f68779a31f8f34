"""Renders a model's own chat template (the Jinja text shipped in its GGUF or tokenizer).

Every backend that takes raw text renders prompts here, so the system prompt and the tool
definitions always come out byte for byte the same and the KV cache prefix is reused.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import date
from typing import Any, NoReturn

from jinja2 import Template
from jinja2.sandbox import ImmutableSandboxedEnvironment

from tongxue.engine.protocol import ChatMessage, ToolDefinition


class TemplateError(ValueError):
    """The chat template could not render these messages."""


def _raise(message: str) -> NoReturn:
    raise TemplateError(message)


def _tojson(value: Any, indent: int | None = None, **_: Any) -> str:
    # Hugging Face's tojson keeps non-ASCII text and does not HTML-escape, unlike Jinja's.
    return json.dumps(value, ensure_ascii=False, indent=indent)


class ChatTemplate:
    def __init__(self, source: str, *, bos_token: str = "", eos_token: str = "") -> None:
        env = ImmutableSandboxedEnvironment(trim_blocks=True, lstrip_blocks=True)
        env.filters["tojson"] = _tojson
        env.globals["raise_exception"] = _raise
        env.globals["strftime_now"] = lambda fmt: date.today().strftime(fmt)
        self._template: Template = env.from_string(source)
        self.source = source
        self.bos_token = bos_token
        self.eos_token = eos_token

    def render(
        self,
        messages: Sequence[ChatMessage],
        tools: Sequence[ToolDefinition] = (),
        *,
        add_generation_prompt: bool = True,
    ) -> str:
        try:
            return self._template.render(
                messages=[m.template_dict() for m in messages],
                tools=[t.model_dump(exclude_none=True) for t in tools] or None,
                add_generation_prompt=add_generation_prompt,
                bos_token=self.bos_token,
                eos_token=self.eos_token,
            )
        except TemplateError:
            raise
        except Exception as exc:  # jinja raises many kinds; the caller needs one
            raise TemplateError(f"chat template failed: {exc}") from exc
