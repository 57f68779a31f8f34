"""Clauses that give a reason and ask for nothing: 下雨了, 我要拿东西, it's starting to rain.

They are dropped only next to a command that was understood ("太晒了，把遮阳帘关上");
said alone they are not commands and the turn goes to the model.
"""

from __future__ import annotations

import re

from tongxue.dialogue.rules.types import Language

_ZH_REASON = re.compile(
    r"(?:外面|今天)?(?:好像|又|开始)?(?:"
    r"下雨了|下雨啦|下大雨了|雨(?:太|好|很|越来越|有点)?大了|雨小了|雨停了|雨变小了|"
    r"(?:太|好|有点)晒了?|太阳(?:太|好)?(?:大|晒|刺眼)了?|"
    r"(?:后窗|后挡|前挡|玻璃|车窗|挡风玻璃|窗户)?(?:起雾了|有雾了|有雾气了)|天黑了|"
    r"(?:我要|我去|我想|要)?拿(?:个|点|下)?东西|"
    r"听不清|听不清楚|听不见|晃眼睛|晃眼|太晃眼了|刺眼|太刺眼了|"
    r"(?:好|太|很|有点)吵了?|空气不好|"
    r"我要睡一会|我想睡一会|我要睡觉了|孩子睡着了|宝宝睡着了"
    r")"
)
_EN_REASON = re.compile(
    r"(?:it's|it is|its)\s+(?:starting to\s+|beginning to\s+|going to\s+)?"
    r"(?:rain|raining|pouring|drizzling|snowing|sunny|too sunny|so sunny|bright outside|"
    r"noisy outside|so noisy outside|too noisy outside|blinding me|dark outside)"
    r"|it started raining|the sun is in my eyes|i can't hear(?: anything)?|"
    r"i need to get something|i want to get something|i'm getting something|"
    r"the baby is sleeping|the kids are sleeping|i want to sleep"
)


def is_reason(clause: str, language: Language) -> bool:
    pattern = _ZH_REASON if language == "zh" else _EN_REASON
    return pattern.fullmatch(clause) is not None
