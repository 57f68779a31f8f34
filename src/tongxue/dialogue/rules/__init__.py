"""The deterministic command parser: fast, exact, and never guessing.

`RuleParser.parse` turns what a person in the car says (Chinese or English) into cabin
actions, an undo, or a memory request, and returns None for anything it does not fully
understand, so that the turn goes to the language model instead.
"""

from tongxue.dialogue.rules.parser import RuleParser
from tongxue.dialogue.rules.types import Language, ParseKind, RuleContext, RuleParse

__all__ = ["Language", "ParseKind", "RuleContext", "RuleParse", "RuleParser"]
