"""Turns a normalised clause into tokens by longest match, or fails on the first unknown.

Longest match is tried first; when it leaves a remainder nothing can read (主驾座|椅加热),
shorter words are tried (主驾|座椅加热), so overlapping words in the lexicon are safe.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from tongxue.dialogue.rules.lexicon_en import EN_LEXICON, EN_MAX_WORDS
from tongxue.dialogue.rules.lexicon_zh import ZH_LEXICON, ZH_MAX_WORD
from tongxue.dialogue.rules.numbers import match_en_number, match_zh_number
from tongxue.dialogue.rules.tokens import Token

_EN_WORD = re.compile(r"a/c|\d+(?:\.\d+)?|[a-z]+(?:'[a-z]+)?|%|°c?")
# Articles carry nothing for a command; dropping them keeps the lexicon small.
_EN_DROPPED = frozenset({"the", "an"})

# (length, tokens) candidates at a position, longest first.
Candidates = Callable[[int], list[tuple[int, tuple[Token, ...]]]]


def _segment(length: int, candidates: Candidates) -> list[Token] | None:
    """A full segmentation of positions 0..length, preferring long words; None if none."""
    dead: set[int] = set()

    def walk(position: int) -> list[Token] | None:
        if position == length:
            return []
        if position in dead:
            return None
        for size, tokens in candidates(position):
            rest = walk(position + size)
            if rest is not None:
                return [*tokens, *rest]
        dead.add(position)
        return None

    return walk(0)


def scan_zh(text: str) -> list[Token] | None:
    """Tokens of a Chinese clause; None if any character is not understood."""
    text = text.replace(" ", "")
    length = len(text)

    def candidates(position: int) -> list[tuple[int, tuple[Token, ...]]]:
        found: list[tuple[int, tuple[Token, ...]]] = []
        for size in range(min(ZH_MAX_WORD, length - position), 0, -1):
            entry = ZH_LEXICON.get(text[position : position + size])
            if entry is not None:
                found.append((size, entry))
        number = match_zh_number(text, position)
        if number is not None:
            found.append((number[0], (number[1],)))
            found.sort(key=lambda item: -item[0])
        return found

    return _segment(length, candidates)


def en_words(text: str) -> list[str] | None:
    """The words of an English clause, articles dropped; None if something is not a word."""
    cleaned = text.replace("-", " ").replace("℃", "°c")
    words = _EN_WORD.findall(cleaned)
    if "".join(words) != re.sub(r"\s+", "", cleaned):
        return None
    kept: list[str] = []
    for word in words:
        if word in _EN_DROPPED:
            continue
        # "the music's too loud": 's is "is" unless the word is known with it (driver's).
        if word.endswith("'s") and (word,) not in EN_LEXICON and (word[:-2],) in EN_LEXICON:
            kept.extend((word[:-2], "'s"))
        else:
            kept.append(word)
    return kept


def scan_en(text: str) -> list[Token] | None:
    """Tokens of an English clause; None if any word is not understood."""
    words = en_words(text)
    if words is None:
        return None
    return _scan_words(words)


def _scan_words(words: Sequence[str]) -> list[Token] | None:
    length = len(words)

    def candidates(position: int) -> list[tuple[int, tuple[Token, ...]]]:
        found: list[tuple[int, tuple[Token, ...]]] = []
        for size in range(min(EN_MAX_WORDS, length - position), 0, -1):
            entry = EN_LEXICON.get(tuple(words[position : position + size]))
            if entry is not None:
                found.append((size, entry))
        number = match_en_number(words, position)
        if number is not None:
            found.append((number[0], (number[1],)))
            found.sort(key=lambda item: -item[0])
        return found

    return _segment(length, candidates)
