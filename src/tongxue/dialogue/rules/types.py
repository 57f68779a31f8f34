"""The parser's public result and context types."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from tongxue.cabin.actions import CabinAction

Language = Literal["zh", "en"]
ParseKind = Literal[
    "actions", "undo", "memory_save", "memory_apply", "memory_list", "memory_forget"
]


@dataclass(frozen=True)
class RuleContext:
    """What the parser may lean on besides the text: the previous turn, for follow-ups."""

    previous_actions: tuple[CabinAction, ...] = ()


@dataclass(frozen=True)
class RuleParse:
    """A fully understood turn. `actions` is empty for undo and the memory kinds that imply
    no setting; `memory_text` is what to remember or forget, as said."""

    kind: ParseKind
    actions: tuple[CabinAction, ...]
    language: Language
    memory_text: str | None = None
