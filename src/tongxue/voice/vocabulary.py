"""What the recognizer is told to expect: the cabin's words, as a prompt per language.

Whisper continues the prompt as if it were the text before the audio, so short command
sentences in the car's own words make "打开车窗" far likelier than "阿凯车窗". The prompt also
biases: a word it lacks is misheard as one it has, and its last sentence is what a garbled
clip most often turns into. So every device of the car is in it, with both switching verbs,
and it ends on a question, which the rules never act on.
"""

from __future__ import annotations

import re

ZH_PROMPT = (
    "你好。打开空调。关闭车窗。打开阅读灯。关闭座椅通风。温度调到二十二度。打开座椅加热。"
    "关闭天窗。打开副驾车窗。打开后排右侧车窗。风量调到三档。打开遮阳帘。音量调大一点。"
    "打开氛围灯。打开后备箱。今天天气怎么样？"
)
EN_PROMPT = (
    "Open the window. Close the sunroof. Turn on the air conditioning. Set the temperature "
    "to 22 degrees. Turn on the seat heating. Turn on the reading light. Open the trunk. "
    "What's the weather like today?"
)
PROMPTS: dict[str, str] = {"zh": ZH_PROMPT, "en": EN_PROMPT}

_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")


def has_chinese(text: str) -> bool:
    return _CJK.search(text) is not None


class ChineseNormalizer:
    """Traditional characters to simplified (OpenCC), which is what the rules know."""

    def __init__(self) -> None:
        import opencc

        self._converter = opencc.OpenCC("t2s")

    def __call__(self, text: str) -> str:
        return str(self._converter.convert(text)) if has_chinese(text) else text
