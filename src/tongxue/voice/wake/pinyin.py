"""Wake phrases as toneless syllables: hanzi through pypinyin, romanized Chinese split up.

A phrase like "hey Tongxue" mixes an English word with a pinyin one; both the spotter's
pronunciations and the two-stage confirmation work on syllables, so the same tokens come
out of "你好同学", "ni hao tongxue" and a transcript of either.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

INITIALS = (
    "zh", "ch", "sh", "b", "p", "m", "f", "d", "t", "n", "l", "g", "k", "h",
    "j", "q", "x", "r", "z", "c", "s", "y", "w",
)  # fmt: skip
FINALS = (
    "iang", "iong", "uang", "ueng", "ang", "eng", "ing", "ong", "ian", "iao", "uai", "uan",
    "van", "ai", "ei", "ao", "ou", "an", "en", "er", "in", "un", "vn", "ia", "ie", "iu",
    "ua", "uo", "ui", "ue", "ve", "a", "o", "e", "i", "u", "v",
)  # fmt: skip
_SYLLABLE = re.compile(
    rf"(?:{'|'.join(INITIALS)})?(?:{'|'.join(FINALS)})"
)  # longest alternatives first, so "tong" is not "to" + "ng"
_WORD = re.compile(r"[a-z]+|[\u3400-\u9fff]+")
# English interjections a transcript may spell either way ("hey Tongxue", "嘿同学").
_SAME_SOUND = {"hey": "hei", "hi": "hai", "hay": "hei"}


def split_pinyin(word: str) -> list[str] | None:
    """ "tongxue" as ["tong", "xue"]; None when the word is not toneless pinyin."""
    word = word.lower().replace("ü", "v")
    syllables: list[str] = []
    at = 0
    while at < len(word):
        found = _SYLLABLE.match(word, at)
        if found is None:
            return None
        syllables.append(found.group())
        at = found.end()
    return syllables or None


def hanzi_syllables(text: str) -> list[str]:
    from pypinyin import Style, lazy_pinyin

    return [s for s in lazy_pinyin(text, style=Style.NORMAL, v_to_u=False) if s.strip()]


def tokens(text: str) -> list[str]:
    """The phrase or transcript as syllables: pinyin for Chinese, English words lower-cased.

    A Latin word of several pinyin syllables ("Tongxue") is split into them; a word that is
    one syllable or not pinyin at all ("hey", "computer") stays a word.
    """
    out: list[str] = []
    for word in _WORD.findall(text.lower()):
        if not word.isascii():
            out.extend(hanzi_syllables(word))
            continue
        syllables = split_pinyin(word)
        if syllables is not None and len(syllables) > 1:
            out.extend(syllables)
        else:
            out.append(_SAME_SOUND.get(word, word))
    return out


def substitution(a: str, b: str) -> float:
    """Half a slip for a syllable that keeps its initial or its final (李好 for 你好)."""
    if a == b:
        return 0.0
    first, second = _initial_final(a), _initial_final(b)
    if (
        first is not None
        and second is not None
        and (first[0] == second[0] or first[1] == second[1])
    ):
        return 0.5
    return 1.0


def _initial_final(syllable: str) -> tuple[str, str] | None:
    found = _SYLLABLE.fullmatch(syllable)
    if found is None:
        return None
    initial = next((i for i in INITIALS if syllable.startswith(i)), "")
    return initial, syllable[len(initial) :]


def infix_distance(phrase: Sequence[str], heard: Sequence[str]) -> float:
    """The fewest syllable edits that make `phrase` appear somewhere inside `heard`."""
    if not phrase:
        return 0.0
    # Sellers' algorithm: the heard text may begin and end anywhere at no cost.
    previous = [0.0] * (len(heard) + 1)
    for i, x in enumerate(phrase, 1):
        current = [float(i)]
        for j, y in enumerate(heard, 1):
            current.append(
                min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + substitution(x, y))
            )
        previous = current
    return min(previous)


def allowed_edits(syllables: int) -> float:
    """One slip (a syllable misheard, dropped or added) from four syllables up, half below.

    Three syllables with a whole slip allowed would take "同学同学" for "hey Tongxue".
    """
    return 1.0 if syllables >= 4 else 0.5


def mismatch(phrase: str, heard: str) -> float | None:
    """Syllable edits between the phrase and the closest stretch of a transcript, if allowed."""
    wanted = tokens(phrase)
    if not wanted:
        return None
    edits = infix_distance(wanted, tokens(heard))
    return edits if edits <= allowed_edits(len(wanted)) else None


def matches(phrase: str, heard: str) -> bool:
    """Whether a transcript contains the phrase, in toneless syllables, give or take a slip."""
    return mismatch(phrase, heard) is not None
