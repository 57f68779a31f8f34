"""The one sentence splitter: reply text cut into sentences as it streams, made speakable."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Literal

_MARKDOWN = re.compile(r"[*_`#>]+")


_SENTENCE_END = re.compile(r"[。！？!?；;]|\.(?=\s)")
# Whole sentences only: a semicolon joins two halves of one thought ("250 kPa; the normal
# band is 220–300 kPa"), which quoting must keep together; speech may pause there.
_FULL_STOP = re.compile(r"[。！？!?]|\.(?=\s)")


# A clause long enough to say on its own: "好的，" is not, "为什么电脑会变成手机，" is.
_CLAUSE_END = re.compile(r"[，,、：:]")
MIN_CLAUSE_CHARS = 8


def split_sentence(
    text: str, *, at_semicolons: bool = True, first: bool = False
) -> tuple[str, str]:
    """(the first complete sentence or "", the rest). With `first`, a long enough opening
    clause also counts, so the first words of a reply can be spoken before its sentence ends."""
    match = (_SENTENCE_END if at_semicolons else _FULL_STOP).search(text)
    if first:
        for clause in _CLAUSE_END.finditer(text, 0, match.start() if match else len(text)):
            if len(text[: clause.start()].strip()) >= MIN_CLAUSE_CHARS:
                return text[: clause.end()], text[clause.end() :]
    if match is None:
        return "", text
    return text[: match.end()], text[match.end() :]


def speakable(text: str, limit: int = 240) -> str:
    """Plain text for the speaker: no markdown marks, at most a few sentences."""
    text = _MARKDOWN.sub("", text).strip()
    text = re.sub(r"\s*\n+\s*", " ", text)
    if len(text) <= limit:
        return text
    cut = max(text.rfind(mark, 0, limit) for mark in "。！？.!?")
    return text[: cut + 1] if cut > 0 else text[:limit]


def sentences(text: str, *, at_semicolons: bool = True) -> list[str]:
    """Every sentence of a finished text, the unterminated tail included."""
    found: list[str] = []
    rest = text
    while True:
        sentence, rest = split_sentence(rest, at_semicolons=at_semicolons)
        if not sentence:
            break
        if sentence.strip():
            found.append(sentence.strip())
    if rest.strip():
        found.append(rest.strip())
    return found


def join_sentences(parts: Iterable[str], language: Literal["zh", "en"]) -> str:
    """Sentences as one text: Chinese runs them together, English puts a space between."""
    return ("" if language == "zh" else " ").join(parts)
