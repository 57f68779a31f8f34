"""Which language a turn is in, so the reply comes back in it."""

from __future__ import annotations

import re
from typing import Literal

Language = Literal["zh", "en"]

_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")


def detect_language(text: str) -> Language:
    """Chinese when the text holds any Han character, else English.

    A car cabin mixes the two ("把 volume 调到 20"); a Chinese sentence with English words
    is still answered in Chinese.
    """
    return "zh" if _HAN.search(text) else "en"
