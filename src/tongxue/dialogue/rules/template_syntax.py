"""The sentence syntax of the templates, parsed into a tree and compiled to one regex.

`(a|b)` alternation, `[a|b]` optional, `<name>` an expansion, `{slot}` or `{alias:slot}` a
slot. Everything else is literal text; a space matches any run of spaces (or none), so
that an optional word between two spaces ("turn on [the] fog lights") still matches.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass

_SPECIAL = set("()[]|<>{}")


class SyntaxProblem(ValueError):
    """A sentence that cannot be parsed; the loader adds the file and intent."""


@dataclass(frozen=True)
class Literal:
    text: str


@dataclass(frozen=True)
class Slot:
    name: str  # how `args` refer to it
    kind: str  # a list name or a built-in


@dataclass(frozen=True)
class Seq:
    items: tuple[Node, ...]


@dataclass(frozen=True)
class Alt:
    options: tuple[Node, ...]
    optional: bool


Node = Literal | Slot | Seq | Alt


def fold(text: str) -> str:
    """Template text in the form `normalize` gives the clause: NFKC, lower case."""
    return unicodedata.normalize("NFKC", text).lower()


class _Reader:
    def __init__(self, text: str, expansions: Mapping[str, str], stack: tuple[str, ...]) -> None:
        self.text = text
        self.pos = 0
        self.expansions = expansions
        self.stack = stack

    def alternation(self, closer: str | None) -> tuple[Node, ...]:
        options = [self.sequence()]
        while self.pos < len(self.text) and self.text[self.pos] == "|":
            self.pos += 1
            options.append(self.sequence())
        if closer is None:
            if self.pos < len(self.text):
                raise SyntaxProblem(f"unexpected {self.text[self.pos]!r} at {self.pos}")
        elif self.pos >= len(self.text) or self.text[self.pos] != closer:
            raise SyntaxProblem(f"missing {closer!r} in {self.text!r}")
        else:
            self.pos += 1
        return tuple(options)

    def sequence(self) -> Node:
        items: list[Node] = []
        literal: list[str] = []
        while self.pos < len(self.text):
            char = self.text[self.pos]
            if char not in _SPECIAL:
                literal.append(char)
                self.pos += 1
                continue
            if char in "|)]":
                break
            if literal:
                items.append(Literal(fold("".join(literal))))
                literal = []
            self.pos += 1
            if char in "([":
                options = self.alternation(")" if char == "(" else "]")
                items.append(Alt(options, optional=char == "["))
            elif char == "<":
                items.append(self._expansion(self._name(">")))
            elif char == "{":
                items.append(self._slot(self._name("}")))
            else:
                raise SyntaxProblem(f"unexpected {char!r} in {self.text!r}")
        if literal:
            items.append(Literal(fold("".join(literal))))
        return items[0] if len(items) == 1 else Seq(tuple(items))

    def _name(self, closer: str) -> str:
        end = self.text.find(closer, self.pos)
        if end < 0:
            raise SyntaxProblem(f"missing {closer!r} in {self.text!r}")
        name = self.text[self.pos : end].strip()
        self.pos = end + 1
        if not name:
            raise SyntaxProblem(f"empty name in {self.text!r}")
        return name

    def _expansion(self, name: str) -> Node:
        if name in self.stack:
            raise SyntaxProblem(f"expansion <{name}> refers to itself")
        if name not in self.expansions:
            raise SyntaxProblem(f"unknown expansion <{name}>")
        return parse_sentence(self.expansions[name], self.expansions, (*self.stack, name))

    def _slot(self, spec: str) -> Slot:
        alias, _, kind = spec.partition(":")
        return Slot(alias.strip(), (kind or alias).strip())


def parse_sentence(text: str, expansions: Mapping[str, str], stack: tuple[str, ...] = ()) -> Node:
    """The tree of one sentence (expansions inlined)."""
    reader = _Reader(text, expansions, stack)
    options = reader.alternation(None)
    return options[0] if len(options) == 1 else Alt(options, optional=False)


def slots_of(node: Node) -> list[Slot]:
    """Every slot of a sentence, in order."""
    if isinstance(node, Slot):
        return [node]
    if isinstance(node, Seq):
        return [slot for item in node.items for slot in slots_of(item)]
    if isinstance(node, Alt):
        return [slot for option in node.options for slot in slots_of(option)]
    return []


def literal_regex(text: str) -> str:
    """Literal text as a regex; spaces are optional runs of spaces."""
    words = text.split(" ")
    return " *".join(re.escape(word) for word in words)


def to_regex(node: Node, slot_regex: Callable[[Slot], str]) -> tuple[str, list[Slot]]:
    """The regex of a sentence and its slots in group order: group `s<i>` is slot i (a
    slot may stand in several alternatives, and a regex group name only once)."""
    groups: list[Slot] = []

    def build(node: Node) -> str:
        if isinstance(node, Literal):
            return literal_regex(node.text)
        if isinstance(node, Slot):
            groups.append(node)
            return f"(?P<s{len(groups) - 1}>{slot_regex(node)})"
        if isinstance(node, Seq):
            return "".join(build(item) for item in node.items)
        body = "|".join(build(option) for option in node.options)
        return f"(?:{body})" + ("?" if node.optional else "")

    return build(node), groups


def check_slots_once(node: Node) -> None:
    """A slot may appear in several alternatives, never twice in one match."""
    if isinstance(node, Seq):
        seen: set[str] = set()
        for item in node.items:
            names = {slot.name for slot in slots_of(item)}
            twice = seen & names
            if twice:
                raise SyntaxProblem(f"slot {{{min(twice)}}} can be filled twice in one match")
            seen |= names
            check_slots_once(item)
    elif isinstance(node, Alt):
        for option in node.options:
            check_slots_once(option)


Anchors = frozenset[str]


def anchors(node: Node) -> Anchors | None:
    """Strings of which at least one is in every clause the sentence matches (None: no
    such guarantee). A cheap `in` test on them skips most sentences before the regex."""
    if isinstance(node, Literal):
        words = [word for word in node.text.split(" ") if word]
        return frozenset({max(words, key=len)}) if words else None
    if isinstance(node, Slot):
        return None
    if isinstance(node, Alt):
        if node.optional:
            return None
        found = [anchors(option) for option in node.options]
        if any(item is None for item in found):
            return None
        return frozenset().union(*(item for item in found if item is not None))
    best: Anchors | None = None
    for item in node.items:
        candidate = anchors(item)
        if candidate is not None and (best is None or _better(candidate, best)):
            best = candidate
    return best


def _better(candidate: Anchors, best: Anchors) -> bool:
    # Fewer alternatives first, then longer ones: both make the `in` test rarer to pass.
    return (len(candidate), -min(map(len, candidate))) < (len(best), -min(map(len, best)))
