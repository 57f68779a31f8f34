"""The parser's public result and context types."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from tongxue.cabin.actions import CabinAction
from tongxue.cabin.seats import Seat
from tongxue.cabin.status import StatusQuestion

Language = Literal["zh", "en"]
ParseKind = Literal[
    "actions", "undo", "memory_save", "memory_apply", "memory_list", "memory_forget"
]


@dataclass(frozen=True)
class RuleContext:
    """What the parser may lean on besides the text: the previous turn, for follow-ups."""

    previous_actions: tuple[CabinAction, ...] = ()
    # The seat the turn was spoken from, for relative seat words (我后面, next to me).
    speaker: Seat | None = None


@dataclass(frozen=True)
class RuleParse:
    """A fully understood turn. `actions` is empty for undo and the memory kinds that imply
    no setting; `memory_text` is what to remember or forget, as said."""

    kind: ParseKind
    actions: tuple[CabinAction, ...]
    language: Language
    memory_text: str | None = None
    # For kind "actions": every part of the turn in spoken order (a part the rules did not
    # understand is an `UnknownPart`, for the model); `actions` are those of its ActionParts.
    parts: tuple[Part, ...] = ()


# --- the parts of a turn (contract v2) ---------------------------------------------------
# A turn is a sequence of parts in spoken order. Only `ActionPart` changes the car; the
# others say why nothing changed, so the reply and the turn's outcome can say so too.

ProviderKind = Literal["weather", "places", "traffic", "knowledge", "smart_home"]


@dataclass(frozen=True)
class ActionPart:
    """Understood: these actions, run in order."""

    actions: tuple[CabinAction, ...]
    text: str = ""


@dataclass(frozen=True)
class QuestionPart:
    """A question the car's state answers (续航还有多少); nothing changes."""

    question: StatusQuestion
    text: str = ""


@dataclass(frozen=True)
class ProviderPart:
    """Needs an online provider (weather, places, traffic, knowledge, smart home)."""

    kind: ProviderKind
    text: str = ""
    query: str | None = None


@dataclass(frozen=True)
class UnsupportedPart:
    """Understood, but outside the contract (HUD, dashcam, saving a seat memory)."""

    what: str
    text: str = ""


@dataclass(frozen=True)
class NegationPart:
    """A negation that asks for nothing (不用开空调, don't open the sunroof)."""

    text: str = ""


@dataclass(frozen=True)
class UnknownPart:
    """Not understood by the rules: handed to the model on its own."""

    text: str


Part = ActionPart | QuestionPart | ProviderPart | UnsupportedPart | NegationPart | UnknownPart
