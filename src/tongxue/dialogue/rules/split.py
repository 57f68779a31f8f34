"""Splitting an utterance into clauses: 打开车窗，然后把空调调到22度 is two commands.

Strong separators always split. Weak ones (和 / and) split only when the whole chunk
does not parse as one clause, so "主驾和副驾" and "face and feet" stay together.
"""

from __future__ import annotations

import re

from tongxue.dialogue.rules.types import Language

# 再/并/同时 split only before a new verb: "再高一点" at the start is a follow-up.
_ZH_VERB_AHEAD = (
    r"(?=把|将|打开|关闭|关掉|关上|开启|调到|调成|设置|播放|导航|切换到|锁|解锁|静音|暂停)"
)
_ZH_STRONG = re.compile(
    r"[，,；;。！!]|然后再|然后|并且|而且|接着|之后再|之后|另外|顺便|"
    rf"(?<=.)(?:再|并|同时|还要|也把){_ZH_VERB_AHEAD}|"
    # "调到22度再高一点": a follow-up after a value, leaning on the request before it.
    r"(?<=[0-9度档挡%])再(?=高一|低一|大一|小一|高点|低点|大点|小点)"
)
_ZH_WEAK = re.compile(r"和|跟|、|以及")
_EN_STRONG = re.compile(
    r"\s*[,;!]\s*(?:and\s+)?(?:then\s+|also\s+)?|\s*\.\s+|\s+and then\s+|\s+then\s+"
    r"|\s+and also\s+|\s+after that\s+"
)
_EN_WEAK = re.compile(r"\s+(?:and|plus|&)\s+")


def strong_split(text: str, language: Language) -> list[str]:
    """The clauses of an utterance, empty pieces dropped."""
    pattern = _ZH_STRONG if language == "zh" else _EN_STRONG
    return [piece.strip() for piece in pattern.split(text) if piece.strip()]


def weak_split(text: str, language: Language) -> list[str]:
    """A clause cut at 和 / and; a single piece when there is nothing to cut."""
    pattern = _ZH_WEAK if language == "zh" else _EN_WEAK
    return [piece.strip() for piece in pattern.split(text) if piece.strip()]
