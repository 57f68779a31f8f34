"""Pinyin syllables as US English phones (ARPAbet), so PocketSphinx can spot Chinese phrases.

The acoustic model knows only English phones; each pinyin initial and final maps to the
nearest of them ("xue" is SH W EY, "shway"). Crude, but a keyword spotter needs only
a pronunciation that Mandarin speech fits better than anything else said in the car.
"""

from __future__ import annotations

_INITIALS = {
    "b": "B", "p": "P", "m": "M", "f": "F", "d": "D", "t": "T", "n": "N", "l": "L",
    "g": "G", "k": "K", "h": "HH", "j": "JH", "q": "CH", "x": "SH", "zh": "JH", "ch": "CH",
    "sh": "SH", "r": "R", "z": "Z", "c": "T S", "s": "S", "y": "Y", "w": "W",
}  # fmt: skip
_FINALS = {
    "a": "AA", "o": "AO", "e": "AH", "i": "IY", "u": "UW", "v": "Y UW", "ai": "AY",
    "ei": "EY", "ao": "AW", "ou": "OW", "an": "AA N", "en": "AH N", "ang": "AA NG",
    "eng": "AH NG", "ong": "AO NG", "er": "ER", "ia": "Y AA", "ie": "Y EH", "iao": "Y AW",
    "iu": "Y OW", "ian": "Y EH N", "in": "IY N", "iang": "Y AA NG", "ing": "IY NG",
    "iong": "Y UH NG", "ua": "W AA", "uo": "W AO", "uai": "W AY", "ui": "W EY",
    "uan": "W AA N", "un": "W AH N", "uang": "W AA NG", "ueng": "W AH NG", "ue": "W EY",
    "ve": "W EY", "van": "W EH N", "vn": "Y UW N",
}  # fmt: skip
# After j, q, x and y a written "u" is ü.
_AFTER_PALATAL = {"u": "Y UW", "un": "Y UW N", "uan": "W EH N"}
# The "i" of zhi, chi, shi, ri and of zi, ci, si is no [i] at all.
_BUZZED_I = {"zh": "ER", "ch": "ER", "sh": "ER", "r": "ER", "z": "IH", "c": "IH", "s": "IH"}


def syllable_phones(syllable: str) -> str:
    """ "tong" → "T UH NG"; raises KeyError for what is not a toneless pinyin syllable."""
    initial = next((i for i in ("zh", "ch", "sh") if syllable.startswith(i)), syllable[:1])
    if initial not in _INITIALS or syllable == initial:
        initial = ""
    final = syllable[len(initial) :]
    if initial in ("y", "w") and final in ("i", "in", "ing", "u"):
        # yi, yin, ying, wu: the glide is the vowel itself.
        phones = _FINALS[final] if initial == "y" or final != "u" else "UW"
        return "Y UW" if (initial, final) == ("y", "u") else phones
    if final == "i" and initial in _BUZZED_I:
        vowel = _BUZZED_I[initial]
    elif initial in ("j", "q", "x", "y") and final in _AFTER_PALATAL:
        vowel = _AFTER_PALATAL[final]
    else:
        vowel = _FINALS[final]
    if initial == "y" and vowel.startswith("Y "):
        return vowel
    return f"{_INITIALS[initial]} {vowel}" if initial else vowel
