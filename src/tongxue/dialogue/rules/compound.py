"""Run-on compounds: "关闭天窗打开空调" is two requests said without a pause.

Real drivers chain requests in one breath. A clause the parser cannot read whole is cut
where a new request can start (before a command verb) into the fewest pieces that are each
understood on their own. When no cut makes every piece understood, the pieces that are
understood are kept and the rest is handed on as one piece each, never dropped.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import cache

from tongxue.dialogue.rules.types import Language

# Words that start a request. A cut is tried only right before one of them.
_ZH_STARTS = re.compile(
    r"(?=打开|关闭|关掉|关上|开启|开一下|把|将|调到|调成|调高|调低|调大|调小|设置|播放|"
    r"导航|切换|切到|解锁|锁上|锁车|静音|暂停|继续播放|换成|换一|来一首|来首|放一首|"
    r"我想听|我要听|我想看|我要看|给我放|帮我放|打电话|拨打|呼叫|升起|降下|升高|降低|"
    r"开窗|关窗|开空调|关空调|开启|退出|取消|增大|减小|提高|增加|减少|启动|停止|放点|放首|"
    r"来点|来首|回家|去公司|"
    # A device named again starts a new request: "打开空调空调温度调到二十五度".
    r"空调|温度|风量|风力|风速|座椅|车窗|窗户|天窗|遮阳帘|天幕|音量|声音|屏幕|氛围灯|大灯|车灯|"
    r"雾灯|后视镜|反光镜|方向盘|香氛|主驾|副驾|前排|后排|二排|三排|左后|右后)"
)
_EN_STARTS = re.compile(
    r"(?<= )(?=(?:turn|switch|open|close|set|play|put|start|stop|pause|lock|unlock|"
    r"navigate|call|dial|raise|lower|increase|decrease|make|roll|crank|mute|unmute|"
    r"skip|cancel|change|activate|enable|disable) )"
)
# More cuts than this and the clause is not a run-on compound but something else.
_MAX_CUTS = 10


def cut_points(clause: str, language: Language) -> list[int]:
    """Where a new request could start inside `clause` (never at its very start)."""
    pattern = _ZH_STARTS if language == "zh" else _EN_STARTS
    points = sorted({match.start() for match in pattern.finditer(clause) if match.start() > 0})
    return points[:_MAX_CUTS]


def segment(
    clause: str, language: Language, understands: Callable[[str], bool]
) -> list[tuple[str, bool]] | None:
    """The cut of `clause` into pieces, each with whether `understands` reads it whole.

    Prefers a cut whose every piece is understood, with the fewest pieces; else the cut
    that leaves the least text not understood. None when there is nothing to cut or no
    piece is understood at all.
    """
    points = cut_points(clause, language)
    if not points:
        return None
    bounds = [0, *points, len(clause)]

    @cache
    def piece(start: int, end: int) -> bool:
        text = clause[bounds[start] : bounds[end]].strip()
        return bool(text) and understands(text)

    # best[i]: (unknown characters, pieces, cut) for the prefix ending at bounds[i].
    best: list[tuple[int, int, list[tuple[int, int]]] | None] = [None] * len(bounds)
    best[0] = (0, 0, [])
    for end in range(1, len(bounds)):
        for start in range(end):
            before = best[start]
            if before is None or (start == 0 and end == len(bounds) - 1):
                continue  # the whole clause is not a cut
            known = piece(start, end)
            unknown = 0 if known else bounds[end] - bounds[start]
            candidate = (before[0] + unknown, before[1] + 1, [*before[2], (start, end)])
            current = best[end]
            if current is None or candidate[:2] < current[:2]:
                best[end] = candidate
    final = best[-1]
    assert final is not None
    pieces = [(clause[bounds[s] : bounds[e]].strip(), piece(s, e)) for s, e in final[2]]
    if len(pieces) < 2 or not any(known for _, known in pieces):
        return None
    return _merge_unknown(pieces)


def _merge_unknown(pieces: list[tuple[str, bool]]) -> list[tuple[str, bool]]:
    """Neighbouring pieces that were not understood go on as one piece of text."""
    merged: list[tuple[str, bool]] = []
    for text, known in pieces:
        if not known and merged and not merged[-1][1]:
            merged[-1] = (merged[-1][0] + text, False)
        else:
            merged.append((text, known))
    return merged
