"""Normalisation: one spelling for the same words, and no politeness around the command."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from tongxue.dialogue.rules.types import Language

_CJK = re.compile(r"[\u3400-\u9fff]")
_SPACES = re.compile(r"\s+")
# Typographic apostrophes (I’m) are the ASCII one for the lexicon.
_QUOTES = str.maketrans({"\u2019": "'", "\u2018": "'"})
# A space touching a Chinese character is an ASR artefact, not a word boundary.
_SPACE_NEAR_CJK = re.compile(r"(?<=[\u3400-\u9fff])\s+|\s+(?=[\u3400-\u9fff])")
_EDGE_PUNCTUATION = "。.!！~～…\"'“”‘’ "

_ZH_PREFIXES = (
    "你好同学",
    "同学同学",
    "理想同学",
    "哎呀",
    "哎哟",
    "呃",
    "同学",
    "你好",
    "嗨",
    "嘿",
    "喂",
    "那个",
    "请你帮我",
    "请帮我",
    "请你",
    "请",
    "麻烦你帮我",
    "麻烦帮我",
    "麻烦你",
    "麻烦",
    "帮我",
    "帮忙",
    "能不能帮我",
    "能不能",
    "能否",
    "可不可以",
    "可以帮我",
    "可以",
    "你能不能",
    "你能",
    "你可以",
    "我想要",
    "我想",
    "能",
    "我要",
    "我需要",
    "快点",
    "赶紧",
    "马上",
    "现在",
    "立刻",
    "给我把",
    "给我",
    "先",
    "算了",
    "那就",
    "嗯",
    "哎",
    "唉",
    "哦",
    "对了",
    "好的",
    "啊",
    "那么",
    # Last, so that 那个 / 那就 above go first; "那把副驾车窗打开" is "把副驾车窗打开".
    "那",
)
# The built-in map and player are used whatever app is named (contract v2, m).
_APP_NAMES = re.compile(
    r"(?:用|在|打开|通过)?(?:高德地图|百度地图|腾讯地图|高德|百度导航|qq音乐|网易云音乐|网易云|"
    r"酷狗音乐|酷狗|酷我音乐|spotify|apple music)(?:上|里|中|app)?(?:给我|帮我)?"
)
_EN_HESITATION = re.compile(r"(?:,\s*)?\b(?:um+|uh+|erm|er|uhm)\b,?")
_EN_APP_NAMES = re.compile(
    r"\s*\b(?:on|in|with|using|from) (?:spotify|apple music|google maps|qq music|netease)\b"
)
# 我想听 / 我要去 are how media and navigation requests start: keep them whole.
_ZH_KEEP_AFTER_WANT = ("听", "去", "到")
_ZH_THAT_WORDS = frozenset("边里儿些个种样么首")
_ZH_PLACE_AFTER_ME = frozenset("后前旁这那身的")
_ZH_REQUEST_PREFIXES = ("能不能", "能否", "可不可以", "可以", "你能", "你可以", "能")
_ZH_SUFFIXES = (
    "好吗",
    "好不好",
    "可以吗",
    "行吗",
    "行不行",
    "谢谢你",
    "谢谢",
    "一下吧",
    "一下",
    "就好",
    "就行",
    "吧",
    "啊",
    "呀",
    "哦",
    "啦",
    "嘛",
    "呗",
    "哈",
    "喔",
    "呢",
)
_EN_PREFIXES = (
    "hey tongxue",
    "hi tongxue",
    "ok tongxue",
    "okay tongxue",
    "hello tongxue",
    "tongxue",
    "hey",
    "hi",
    "ok",
    "okay",
    "please",
    "could you please",
    "could you",
    "can you please",
    "can you",
    "would you please",
    "would you",
    "will you",
    "would you mind",
    "do you mind",
    "could we",
    "can we",
    "i want you to",
    "i'd like you to",
    "i need you to",
    "go ahead and",
    "kindly",
    "just",
    "let's",
    "lets",
    "i want to",
    "i'd like to",
    "i would like to",
    "i wanna",
    "quickly",
    "actually",
    "um",
    "uh",
    "oh",
    "well",
    "ugh",
    "hmm",
    "ah",
    "alright",
    "all right",
    "and then",
)
_EN_KEEP_AFTER_WANT = ("hear", "listen", "go ")
_EN_REQUEST_PREFIXES = (
    "could you",
    "can you",
    "would you",
    "will you",
    "do you",
    "could we",
    "can we",
)
# "would you mind opening the window": the verb after "mind" is a gerund.
_EN_GERUNDS = {
    "opening": "open", "closing": "close", "turning": "turn", "switching": "switch",
    "making": "make", "playing": "play", "setting": "set", "putting": "put",
    "starting": "start", "stopping": "stop", "rolling": "roll", "raising": "raise",
    "lowering": "lower", "moving": "move", "changing": "change", "calling": "call",
    "navigating": "navigate", "locking": "lock", "unlocking": "unlock", "pausing": "pause",
}  # fmt: skip
_EN_SUFFIXES = (
    "please",
    "for me",
    "thanks",
    "thank you",
    "right now",
    "now",
    "quickly",
    "if you can",
    "if you could",
)


def detect_language(text: str) -> Language:
    return "zh" if _CJK.search(text) else "en"


def normalize(text: str) -> str:
    """Half-width, lower case, single spaces, no spaces inside Chinese, no edge punctuation."""
    folded = unicodedata.normalize("NFKC", text).lower().translate(_QUOTES)
    folded = _SPACES.sub(" ", folded).strip()
    folded = _SPACE_NEAR_CJK.sub("", folded)
    folded = _EN_APP_NAMES.sub("", folded)
    # "turn on the seat heating and, um, the wheel too": a hesitation says nothing.
    folded = _EN_HESITATION.sub(" ", folded).strip()
    folded = _SPACES.sub(" ", folded)
    # 大一点点 is 大一点: the doubled 点 only softens it.
    folded = folded.replace("一点点", "一点")
    # An app name alone ("打开QQ音乐") is a request for that app: keep it for the model.
    without_apps = _APP_NAMES.sub("", folded)
    if without_apps.strip(_EDGE_PUNCTUATION):
        folded = without_apps
    return folded.strip(_EDGE_PUNCTUATION)


# Pure, and asked for the same clause and its pieces many times while a turn is read.
@lru_cache(maxsize=16_384)
def strip_politeness(clause: str, language: Language) -> str:
    """The clause without wake words, 请/帮我/一下/吧 or please/could you around it.

    A trailing question mark (or 吗) is dropped only after a request frame like
    "could you" / "能不能"; otherwise it stays and makes the clause a question.
    """
    if language == "zh":
        return _strip_zh(clause)
    return _strip_en(clause)


def _strip_zh(clause: str) -> str:
    text = clause.strip(_EDGE_PUNCTUATION + ",，")
    requested = False
    changed = True
    while changed and text:
        changed = False
        for prefix in _ZH_PREFIXES:
            if text.startswith(prefix) and len(text) > len(prefix):
                if prefix.startswith("我") and text[len(prefix)] in _ZH_KEEP_AFTER_WANT:
                    continue  # 我想听 / 我要去 stay whole
                if prefix == "那" and text[1] in _ZH_THAT_WORDS:
                    continue  # 那边的窗户: "that side", not a filler
                if prefix == "给我" and text[2] in _ZH_PLACE_AFTER_ME:
                    continue  # 给我后面的座椅: the seat behind me
                if prefix == "能" and text[1] == "量":
                    continue  # 能量回收 is a word, not "can ..."
                requested = requested or prefix.startswith(_ZH_REQUEST_PREFIXES)
                text = text[len(prefix) :].lstrip(",，")
                changed = True
                break
        for suffix in _ZH_SUFFIXES:
            if text.endswith(suffix) and len(text) > len(suffix):
                text = text[: -len(suffix)]
                changed = True
                break
        if requested and text.endswith(("吗", "?")) and len(text) > 1:
            text = text[:-1]
            changed = True
    # 一下 softens a verb wherever it stands (打开一下车窗).
    return text.replace("一下", "") if text != "一下" else text


def _strip_en(clause: str) -> str:
    text = clause.strip(_EDGE_PUNCTUATION + ",")
    for mind in ("would you mind ", "do you mind "):
        if text.startswith(mind):
            first, _, rest = text[len(mind) :].partition(" ")
            if first in _EN_GERUNDS:
                text = f"could you {_EN_GERUNDS[first]} {rest}".strip()
    requested = False
    changed = True
    while changed and text:
        changed = False
        for prefix in _EN_PREFIXES:
            if text.startswith(prefix + " "):
                rest = text[len(prefix) + 1 :]
                if prefix.startswith("i") and rest.startswith(_EN_KEEP_AFTER_WANT):
                    continue  # "i want to hear ..." / "i'd like to go to ..." stay whole
                requested = requested or prefix.startswith(_EN_REQUEST_PREFIXES)
                text = text[len(prefix) + 1 :].lstrip(" ,")
                changed = True
                break
        if requested and text.endswith("?"):
            text = text[:-1].rstrip()
            changed = True
        for suffix in _EN_SUFFIXES:
            if text.endswith(" " + suffix):
                text = text[: -len(suffix) - 1].rstrip(" ,")
                changed = True
                break
    return text
