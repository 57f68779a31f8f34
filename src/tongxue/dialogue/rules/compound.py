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
    r"(?=打开|关闭|关掉|关上|开启|开一下|把|将|调到|调成|调高|调低|调大|调小|设置(?!页|界面)|播放|"
    r"导航|切换|切到|解锁|锁上|锁车|静音|暂停|继续播放|换成|换一|来一首|来首|放一首|"
    r"我想听|我要听|我想看|我要看|给我放|帮我放|打电话|拨打|呼叫|升起|降下|升高|降低|"
    r"开窗|关窗|开空调|关空调|开启|退出|取消|增大|减小|提高|增加|减少|启动|停止|放点|放首|"
    r"来点|来首|回家|去公司|改成|改为|快速|极速|明天|今天|后天|今晚|再(?=[高低大小开关调加减往升降来放])|"
    # A device named again starts a new request: "打开空调空调温度调到二十五度".
    r"空调|温度|风量|风力|风速|座椅|车窗|窗户|天窗|遮阳帘|天幕|音量|声音|屏幕|氛围灯|大灯|车灯|"
    r"雾灯|后视镜|反光镜|方向盘|香氛|香薰|靠背|腰托|扶手箱|充电口)"
)
_ZH_VERBS = re.compile(
    r"打开|关闭|关掉|关上|开启|把|将|调|设置|播放|导航|切换|切到|解锁|锁|静音|暂停|继续|换|来|放|"
    r"我想|我要|给我|帮我|打电话|拨打|呼叫|升|降|开|关|退出|取消|增大|减小|提高|增加|减少|启动|"
    r"停止|改|去|回"
)
_EN_VERBS = re.compile(
    r"(?:turn|switch|open|close|set|play|put|start|stop|pause|lock|unlock|navigate|call|dial|"
    r"raise|lower|increase|decrease|make|roll|crank|mute|unmute|skip|cancel|change|activate|"
    r"enable|disable) "
)
_EN_STARTS = re.compile(
    r"(?<= )(?=(?:turn|switch|open|close|set|play|put|start|stop|pause|lock|unlock|"
    r"navigate|call|dial|raise|lower|increase|decrease|make|roll|crank|mute|unmute|"
    r"skip|cancel|change|activate|enable|disable) )"
)
# A clause with these words is a reminder, a condition or a question about a command
# ("记住打开车窗", "how do I open the sunroof"): the command in it is not a request now.
_ZH_NOT_NOW = re.compile(
    r"记住|记得|提醒|别忘|如果|要是|假如|的话|怎么|如何|为什么|为啥|什么时候|是不是|会不会|能不能"
)
_EN_NOT_NOW = re.compile(
    r"\b(?:remember|remind|forget|if|when|whenever|unless|how|why|what|after|before|once)\b"
)
# A piece the rules cannot read is handed on only when it starts a request of its own
# with a verb and is long enough to be one; "四个" or "主驾" cut off is a bad cut.
_ZH_MIN_UNKNOWN = 3
_EN_MIN_UNKNOWN = 6
# The most cut words one request spans ("把空调|温度|调到|二十度").
_MAX_SPAN = 4
_SHORT_SPAN = 3
# More cuts than this and the clause is not a run-on compound but something else.
_MAX_CUTS = 10


def may_cut(clause: str, language: Language) -> bool:
    """Whether `clause` may be read as several requests at all."""
    pattern = _ZH_NOT_NOW if language == "zh" else _EN_NOT_NOW
    return pattern.search(clause) is None


def _hands_on(piece: str, language: Language) -> bool:
    """A piece not understood that may go on alone: it starts with a request verb."""
    verbs = _ZH_VERBS if language == "zh" else _EN_VERBS
    shortest = _ZH_MIN_UNKNOWN if language == "zh" else _EN_MIN_UNKNOWN
    return len(piece) >= shortest and verbs.match(piece) is not None


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
    verbs = _ZH_VERBS if language == "zh" else _EN_VERBS
    # A piece not understood must run from a verb to a verb (or the end): a cut before a
    # device noun only ends a request that was understood ("打开主驾副驾|座椅加热" is no cut).
    at_verb = [i == 0 or i == len(bounds) - 1 or verbs.match(clause, b) is not None
               for i, b in enumerate(bounds)]  # fmt: skip

    @cache
    def piece(start: int, end: int) -> bool:
        text = _trimmed(clause[bounds[start] : bounds[end]])
        # A verb alone ("打开" of "打开|车窗") leans on the turn before: no piece of a cut.
        verb = verbs.match(text)
        if not text or (verb is not None and not text[verb.end() :].strip()):
            return False
        return understands(text)

    # Short pieces first: most compounds cut cleanly there, and a longer piece costs a
    # reading of more text; only a cut that leaves something unread tries the longest.
    final = _best_cut(bounds, clause, language, piece, at_verb, _SHORT_SPAN)
    if final is None or final[0] > 0:
        final = _best_cut(bounds, clause, language, piece, at_verb, _MAX_SPAN)
    if final is None:
        return None
    pieces = _merge_unknown(
        [(_trimmed(clause[bounds[s] : bounds[e]]), piece(s, e)) for s, e in final[2]]
    )
    if len(pieces) < 2 or not any(known for _, known in pieces):
        return None
    if any(not known and not _hands_on(text, language) for text, known in pieces):
        return None
    return pieces


_Cut = tuple[int, int, list[tuple[int, int]]]


def _best_cut(
    bounds: list[int],
    clause: str,
    language: Language,
    piece: Callable[[int, int], bool],
    at_verb: list[bool],
    span: int,
) -> _Cut | None:
    """The cut with the least text not understood, then the fewest pieces."""
    # best[i]: (unknown characters, pieces, cut) for the prefix ending at bounds[i].
    best: list[_Cut | None] = [None] * len(bounds)
    best[0] = (0, 0, [])
    for end in range(1, len(bounds)):
        # One request spans a few cut words at most; longer pieces are never the best cut.
        for start in range(max(0, end - span), end):
            before = best[start]
            if before is None or (start == 0 and end == len(bounds) - 1):
                continue  # the whole clause is not a cut
            known = piece(start, end)
            text = _trimmed(clause[bounds[start] : bounds[end]])
            if not known and not (at_verb[start] and at_verb[end] and _hands_on(text, language)):
                continue  # a bad cut: "四个" or "加热" alone is no request
            unknown = 0 if known else bounds[end] - bounds[start]
            candidate = (before[0] + unknown, before[1] + 1, [*before[2], (start, end)])
            current = best[end]
            if current is None or candidate[:2] < current[:2]:
                best[end] = candidate
    return best[-1]


def _merge_unknown(pieces: list[tuple[str, bool]]) -> list[tuple[str, bool]]:
    """Neighbouring pieces that were not understood go on as one piece of text."""
    merged: list[tuple[str, bool]] = []
    for text, known in pieces:
        if not known and merged and not merged[-1][1]:
            merged[-1] = (merged[-1][0] + text, False)
        else:
            merged.append((text, known))
    return merged


# The switch verbs a bare device after them shares: "打开座椅按摩座椅通风".
_ZH_SWITCH = re.compile(r"打开|关闭|关掉|关上|开启")
_EN_SWITCH = re.compile(r"\b(?:turn on|turn off|switch on|switch off|open|close)\b")


def verb_before(clause: str, piece: str, language: Language) -> str | None:
    """The switch verb said before `piece` in `clause`, when `piece` has none of its own."""
    switch = _ZH_SWITCH if language == "zh" else _EN_SWITCH
    verbs = _ZH_VERBS if language == "zh" else _EN_VERBS
    at = clause.find(piece)
    if at <= 0 or verbs.match(piece):
        return None
    said = switch.findall(clause[:at])
    if not said:
        return None
    return str(said[-1]) + ("" if language == "zh" else " ")


def may_hide_another(clause: str, language: Language) -> bool:
    """Whether a clause read whole could hide a second request: two verbs, or a device
    named twice ("打开座椅按摩座椅通风"), or two devices after one verb."""
    verbs = _ZH_VERBS if language == "zh" else _EN_VERBS
    starts = cut_points(clause, language)
    verb_starts = sum(verbs.match(clause, at) is not None for at in starts)
    verb_count = int(verbs.match(clause) is not None) + verb_starts
    return verb_count >= 2 or len(starts) - verb_starts >= 2


# A conjunction left at the end of a piece belongs to the cut, not to the request:
# "call alice and | turn the music down".
_TRAILING_JOIN = re.compile(r"(?:\s+(?:and then|and|then|also|plus)|和|然后|并且|并|还有|再|同时)$")


def _trimmed(piece: str) -> str:
    return _TRAILING_JOIN.sub("", piece.strip()).strip()
