"""Whether a sentence names a seat or group other than the speaker's own."""

from __future__ import annotations

import re
from functools import cache

from tongxue.dialogue.rules.seat_words import EN_SEAT_WORDS, ZH_SEAT_WORDS

_BODY_BACK = re.compile(r"\b(?:my|your|lower|upper|his|her) back\b")


@cache
def _english_pattern() -> re.Pattern[str]:
    words = sorted((w for w, refs in EN_SEAT_WORDS.items() if refs != (None,)), key=len)
    alternatives = "|".join(re.escape(w) for w in reversed(words))
    return re.compile(rf"\b(?:{alternatives})\b")


def names_a_seat(text: str) -> bool:
    """True when the text names a seat or seat group ("副驾", "rear", "all"), not just "my"."""
    if any(word in text for word, refs in ZH_SEAT_WORDS.items() if refs != (None,)):
        return True
    # "my back hurts" is a body, not the back row.
    english = _BODY_BACK.sub(" ", text.lower())
    return _english_pattern().search(english) is not None
