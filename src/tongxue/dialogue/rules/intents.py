"""Turn-level intents that are not cabin commands: undo and the memory requests.

The parser only recognises them; the memory store and the undo log live elsewhere.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from tongxue.cabin.actions import CabinAction
from tongxue.dialogue.rules.scanner import scan_en, scan_zh
from tongxue.dialogue.rules.tokens import DeviceTok, ParticleTok, SeatTok
from tongxue.dialogue.rules.types import Language, ParseKind

# Parses a preference ("22度", "volume 40") into the actions it implies.
ActionParser = Callable[[str, Language], list[CabinAction] | None]


@dataclass(frozen=True)
class Intent:
    kind: ParseKind
    actions: tuple[CabinAction, ...] = ()
    memory_text: str | None = None


_ZH_UNDO = re.compile(
    r"(?:撤销|撤回|取消|恢复|还原|回到|改回|退回)(?:一下)?"
    r"(?:刚才|刚刚|上一步|上一个|上次|之前|原来|原样|到之前|到原来)?(?:的|那个)?"
    r"(?:操作|设置|状态|改动|修改|指令|命令|样子)?(?:吧)?"
)
_ZH_UNDO_EXACT = frozenset(
    {
        "改回去",
        "改回来",
        "变回去",
        "变回来",
        "刚才的不要了",
        "刚才那个不要了",
        "恢复原样",
        "还原",
        "撤销",
        "撤回",
        "返回上一步",
        "回到上一步",
        "撤销上一步",
    }
)
_EN_UNDO = frozenset(
    {
        "undo",
        "undo that",
        "undo it",
        "undo the last action",
        "undo last action",
        "undo the last change",
        "undo last change",
        "undo the last command",
        "revert",
        "revert that",
        "revert it",
        "revert the last change",
        "put it back",
        "put it back the way it was",
        "change it back",
        "cancel that",
        "cancel the last action",
        "go back to how it was",
        "restore previous settings",
        "take that back",
        "undo the last thing",
        "undo what you just did",
        "revert the change",
        "undo the change",
        "reverse that",
        "cancel the last change",
        "set it back",
    }
)

_ZH_SAVE = re.compile(r"(?:帮我|你|请)?(?:记住|记一下|记下|记着|记好|记)(?:了)?[,，]?(?P<t>.+)")
_ZH_PREFERENCE_LEAD = re.compile(
    r"我(?:比较|最|一般|平时|通常|总是|都)?(?:喜欢|习惯|偏好|爱|想要|要|用)(?:的)?(?:把)?"
)
_EN_SAVE = re.compile(r"(?:remember|keep in mind|note|don't forget)(?: that)?\s+(?P<t>.+)")
_EN_PREFERENCE_LEAD = re.compile(
    r"(?:that\s+)?i\s+(?:really\s+|usually\s+|always\s+|normally\s+)?"
    r"(?:like|prefer|want|love|keep|have|set)\s+(?:it\s+|things\s+)?(?:with\s+|at\s+)?"
)
_EN_FAVOURITE = re.compile(
    r"my\s+(?:favou?rite|preferred|usual|ideal)\s+(?P<x>.+?)\s+is\s+(?P<y>.+)"
)

_ZH_APPLY = re.compile(
    r"(?:就|还是)?(?:按|按照|照|用|应用|恢复|调成|调到|设置成|换成)?(?:我的|我)"
    r"(?:习惯|喜好|偏好|常用设置|习惯设置|偏好设置|个人设置|设置)(?:来|设置|调|调整)?"
)
# 音量按我的习惯来: the same, for one thing (the scope goes out as memory_text).
_ZH_APPLY_SCOPED = re.compile(
    r"(?P<scope>.+?)(?:还是|也|就)?(?:按|按照|照|用)(?:我的|我)(?:习惯|喜好|偏好|喜欢的)"
    r"(?:来|调|设置|调整)?"
)
_ZH_APPLY_LIKED = re.compile(r"(?:还是|就)?(?:按|按照|照)(?:我)?喜欢的(?:来|调|设置)?")
_EN_APPLY_SCOPED = re.compile(
    r"(?:give me |set |put on |apply )?my (?:usual|favou?rite|preferred) (?P<scope>.+)"
    r"|(?:switch|set|put|change|turn) (?P<scope2>.+?) back to my (?:favou?rite|usual|preference)"
    r"|(?:put|set) (?P<scope3>.+?) back (?:how|the way) i like (?:it|them)"
)
_ZH_APPLY_EXACT = frozenset(
    {
        "老样子",
        "还是老样子",
        "照旧",
        "和平时一样",
        "跟平时一样",
        "跟以前一样",
        "和以前一样",
        "老规矩",
        "还是老规矩",
        "跟往常一样",
        "和往常一样",
    }
)
_EN_APPLY = frozenset(
    {
        "the usual",
        "my usual",
        "my usual settings",
        "as usual",
        "usual settings",
        "usual",
        "apply my preferences",
        "use my preferences",
        "load my preferences",
        "my preferences",
        "my settings",
        "set things up the way i like",
        "the way i like it",
        "how i like it",
        "set it up how i like it",
        "restore my preferences",
        "apply my settings",
        "i'll have the usual",
        "same as usual",
        "set up my usual settings",
        "the usual settings",
        "my usual setup",
        "apply my usual settings",
        "use my usual settings",
        "set everything the way i like",
        "set things the way i like them",
        "set it the way i like it",
        "set it up the way i like it",
        "my favorite settings",
        "my favourite settings",
        "load my settings",
        "use my settings",
        "apply my preference",
        "use my preference",
        "my preference",
        "back to my usual",
        "back to my favourite",
        "back to my favorite",
        "the way i like it please",
    }
)
_ZH_LIST = re.compile(
    r"(?:你(?:都|还)?(?:记得|记住了|记住|记着|知道)(?:我)?(?:的)?(?:些)?(?:什么|哪些|啥)"
    r"(?:东西|习惯|偏好|事情|设置)?(?:了)?(?:吗|呢)?"
    r"|我的(?:习惯|偏好|喜好)(?:是什么|有哪些|有什么)(?:呢)?"
    r"|(?:查看|列出|看看|说说|告诉我)我的(?:习惯|偏好|喜好)"
    r"|我有(?:哪些|什么)(?:习惯|偏好)|你知道我的(?:习惯|偏好|喜好)吗)"
)
_EN_LIST = frozenset(
    {
        "what do you remember about me",
        "what do you know about me",
        "what have you remembered",
        "what do you remember",
        "list my preferences",
        "show my preferences",
        "show me my preferences",
        "what are my preferences",
        "what preferences do you have",
        "what have you saved about me",
        "what are my saved preferences",
        "what have you remembered about me",
        "what preferences have you saved",
        "tell me what you remember about me",
        "what do you remember of me",
        "what do you have on me",
        "what did you remember about me",
    }
)
_ZH_FORGET = re.compile(
    r"(?:忘掉|忘记|忘了|删除|删掉|清除|清空|不要再记|别再记|不要记住|别记住|不用记住)"
    r"(?P<t>.+)"
)
_ZH_FORGET_TOPIC = re.compile(r"习惯|喜欢|偏好|喜好|记住|记得|关于我|记忆|我的设置")
_EN_FORGET = re.compile(r"(?:forget|delete|erase|clear|remove|drop)(?:\s+about)?\s+(?P<t>.+)")
_EN_FORGET_TOPIC = re.compile(
    r"prefer|preference|usual|habit|like|setting|about me|everything|remember|memor|"
    r"favou?rite"
)


def detect_intent(text: str, language: Language, parse: ActionParser) -> Intent | None:
    """Undo or a memory request, or None for everything else (commands included)."""
    if language == "zh":
        return _detect_zh(text, parse)
    return _detect_en(text, parse)


def _detect_zh(text: str, parse: ActionParser) -> Intent | None:
    if text in _ZH_UNDO_EXACT or (_ZH_UNDO.fullmatch(text) and _says_undo_zh(text)):
        return Intent("undo")
    if text in _ZH_APPLY_EXACT or _ZH_APPLY.fullmatch(text) or _ZH_APPLY_LIKED.fullmatch(text):
        return Intent("memory_apply")
    scoped = _ZH_APPLY_SCOPED.fullmatch(text)
    if scoped and _names_a_device(scoped["scope"], "zh"):
        return Intent("memory_apply", memory_text=scoped["scope"])
    if _ZH_LIST.fullmatch(text):
        return Intent("memory_list")
    forget = _ZH_FORGET.fullmatch(text)
    if forget and _ZH_FORGET_TOPIC.search(forget["t"]):
        return Intent("memory_forget", memory_text=forget["t"])
    save = _ZH_SAVE.fullmatch(text)
    # Only a preference is remembered here (记住我喜欢…); "记住打开车窗" is for the model.
    if save and _ZH_PREFERENCE_LEAD.match(save["t"]):
        said = save["t"]
        preference = _ZH_PREFERENCE_LEAD.sub("", said, count=1).lstrip("的")
        preference = re.sub(r"(?<=\D)(?:是|为|在)(?=\S)", "", preference, count=1)
        actions = parse(preference, "zh")
        if actions:
            return Intent("memory_save", tuple(actions), said)
    return None


def _names_a_device(scope: str, language: Language) -> bool:
    """True when the words only name things in the car (音量, the ambient light)."""
    tokens = scan_zh(scope) if language == "zh" else scan_en(scope)
    if not tokens:
        return False
    allowed = all(isinstance(t, DeviceTok | SeatTok | ParticleTok) for t in tokens)
    return allowed and any(isinstance(t, DeviceTok) for t in tokens)


def _says_undo_zh(text: str) -> bool:
    """取消 alone is not undo (取消导航 is a command): it needs 刚才 / 操作 / 上一步."""
    if text.startswith(("撤销", "撤回")):
        return True
    return bool(re.search(r"刚才|刚刚|上一步|上一个|上次|操作|原样|之前的|原来的", text))


def _detect_en(text: str, parse: ActionParser) -> Intent | None:
    if text in _EN_UNDO:
        return Intent("undo")
    if text in _EN_APPLY:
        return Intent("memory_apply")
    scoped = _EN_APPLY_SCOPED.fullmatch(text)
    if scoped:
        scope = scoped["scope"] or scoped["scope2"] or scoped["scope3"]
        if _names_a_device(scope, "en"):
            return Intent("memory_apply", memory_text=scope)
    if text in _EN_LIST:
        return Intent("memory_list")
    forget = _EN_FORGET.fullmatch(text)
    if forget and _EN_FORGET_TOPIC.search(forget["t"]):
        return Intent("memory_forget", memory_text=forget["t"])
    save = _EN_SAVE.fullmatch(text)
    if save:
        said = save["t"]
        favourite = _EN_FAVOURITE.fullmatch(said)
        if favourite:
            preference = f"{favourite['x']} {favourite['y']}"
        elif _EN_PREFERENCE_LEAD.match(said):
            preference = _EN_PREFERENCE_LEAD.sub("", said, count=1)
        else:
            return None
        actions = parse(preference, "en")
        if actions:
            return Intent("memory_save", tuple(actions), said)
    return None
