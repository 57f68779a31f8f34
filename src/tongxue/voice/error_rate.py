"""How far a transcript is from what was said: character error rate for Chinese, word error rate
for English, after both sides are brought to one spelling.

Whisper writes "22度" where the speaker said 二十二度 and "22 degrees" for "twenty two degrees";
neither is a recognition error, so numerals become digits first. Case, punctuation and spacing
(which Whisper adds freely) are dropped too.
"""

from __future__ import annotations

import logging
import re
import unicodedata
import warnings
from collections.abc import Sequence
from dataclasses import dataclass

import cn2an

from tongxue.dialogue.rules.numbers import match_en_number

logger = logging.getLogger(__name__)

# Everything Unicode calls punctuation or a symbol, except what a number keeps ("22.5", "%").
_NOT_WORD = re.compile(r"[^\w\s.%']|_")
_LONE_DOT = re.compile(r"(?<!\d)\.|\.(?!\d)")
# A Chinese character, or a number or Latin word as a whole: a transcript that slipped into
# English ("Turn on the air conditioning.") is so many wrong words, not dozens of letters.
_ZH_TOKEN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]|[^\s\u3400-\u9fff\uf900-\ufaff]+")


@dataclass(frozen=True)
class Edits:
    """Errors against a reference: `errors` substitutions, insertions and deletions in all."""

    errors: int
    reference: int

    @property
    def rate(self) -> float:
        if self.reference == 0:
            return 0.0 if self.errors == 0 else 1.0
        return self.errors / self.reference


def scoring_tokens(text: str, language: str) -> list[str]:
    """The units errors are counted in: characters for Chinese, words for English.

    In Chinese a number ("22", "30%") or a Latin word counts as one unit, as in English.
    """
    folded = unicodedata.normalize("NFKC", text).lower()
    folded = _LONE_DOT.sub(" ", _NOT_WORD.sub(" ", folded.replace("-", " ")))
    if language == "zh":
        # cn2an writes 百分之三十 as "30%", as Whisper does.
        return _ZH_TOKEN.findall(_zh_digits(folded))
    return _en_digits(folded.replace("%", " percent ").replace("'", "").split())


def _zh_digits(text: str) -> str:
    try:
        with warnings.catch_warnings():
            # It warns about what it leaves as written (万达 is a name, not ten thousand).
            warnings.simplefilter("ignore", UserWarning)
            return str(cn2an.transform(text, "cn2an"))
    except (ValueError, KeyError, IndexError):
        # cn2an rejects some odd runs of numerals; the text as written still scores.
        logger.debug("cn2an could not read the numerals of %r", text)
        return text


def _en_digits(words: Sequence[str]) -> list[str]:
    tokens: list[str] = []
    index = 0
    while index < len(words):
        number = match_en_number(words, index)
        if number is None:
            tokens.append(words[index])
            index += 1
            continue
        used, quantity = number
        value = quantity.value
        if value is None:
            tokens.append(words[index])
            index += 1
            continue
        tokens.append(str(int(value)) if value.is_integer() else str(value))
        index += used
    return tokens


def edit_distance(reference: Sequence[str], hypothesis: Sequence[str]) -> int:
    """Levenshtein distance between two token sequences."""
    previous = list(range(len(hypothesis) + 1))
    for i, ref in enumerate(reference, 1):
        current = [i]
        for j, hyp in enumerate(hypothesis, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ref != hyp)))
        previous = current
    return previous[-1]


def edits(reference: str, hypothesis: str, language: str) -> Edits:
    """The errors of `hypothesis` against `reference`, in the units of `language`."""
    ref = scoring_tokens(reference, language)
    return Edits(edit_distance(ref, scoring_tokens(hypothesis, language)), len(ref))


def error_rate(reference: str, hypothesis: str, language: str) -> float:
    """Character (zh) or word (en) error rate of one transcript."""
    return edits(reference, hypothesis, language).rate


def pooled_rate(all_edits: Sequence[Edits]) -> float:
    """The error rate of many transcripts together: all errors over all reference units."""
    return Edits(sum(e.errors for e in all_edits), sum(e.reference for e in all_edits)).rate
