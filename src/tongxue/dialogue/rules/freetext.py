"""Commands that carry words to pass on as said: what to play, where to go.

The free part is taken as the user said it, but only when it does not look like more
commands run together (导航到公司打开空调) or a number: then the clause is handed on.
"""

from __future__ import annotations

import re

from tongxue.cabin.actions import AddWaypoint, CabinAction, NavigateTo, PlayMedia
from tongxue.dialogue.rules.lexicon_en import EN_LEXICON
from tongxue.dialogue.rules.lexicon_zh import ZH_LEXICON
from tongxue.dialogue.rules.tokens import DeviceTok
from tongxue.dialogue.rules.types import Language


def _alternation(words: list[str]) -> str:
    return "|".join(re.escape(word) for word in sorted(words, key=len, reverse=True))


# Device words inside a place or a title mean commands ran together (去除雾, go to fan 3).
_ZH_DEVICE_WORDS = re.compile(
    _alternation(
        [
            word
            for word, tokens in ZH_LEXICON.items()
            if len(word) >= 2 and any(isinstance(token, DeviceTok) for token in tokens)
        ]
    )
)
_EN_DEVICE_WORDS = re.compile(
    r"\b(?:"
    + _alternation(
        [
            " ".join(phrase)
            for phrase, tokens in EN_LEXICON.items()
            if any(isinstance(token, DeviceTok) for token in tokens)
        ]
    )
    + r")\b"
)

_ZH_COMMAND_WORDS = re.compile(
    r"打开|关闭|关掉|关上|调到|调高|调低|调大|调小|温度|车窗|空调|音量|声音|座椅|然后|并且|"
    r"播放|导航|暂停|静音|下一|上一|换一|随机|循环|收藏|列表|最大|最小|一半|多少|什么|吗|呢|"
    r"为什么|怎么|哪里|哪儿|哪|几|谁|模式|设置|列表|进度|能不能|可不可以|多长时间|多久|办法|"
    r"不清|不见|不停|[?？]"
)
# After 去, words that are not places: 去年, 去掉, 去睡觉.
_ZH_NOT_A_PLACE = re.compile(
    r"^(?:年|世|掉|除|过|了)|(?:睡觉|吃饭|洗澡|休息|看看|玩)|[了吗呢吧啊]$"
)
_ZH_NUMBER_ONLY = re.compile(r"[\d零一二两三四五六七八九十百点%度档.]+")
_EN_COMMAND_WORDS = re.compile(
    r"\b(?:turn|set|open|close|temperature|window|windows|volume|louder|quieter|fan|seat|"
    r"and|then|next|previous|skip|again|it|that|this|max|min|degrees?|percent|what|why|"
    r"how|where|when|not|don't|isn't|navigate|play|pause|mode|settings?|queue|history)\b|\?"
)
_EN_NUMBER_ONLY = re.compile(r"[\d.%\s]+")
# "go to sleep", "go to the next song": screens, modes and tracks are not places.
_EN_NOT_A_PLACE = re.compile(
    r"\b(?:sleep|bed|settings?|menu|page|channel|track|song|next|previous|mode|screen|"
    r"beginning|start|end|music|playlist|album)\b"
)

_ZH_PLAY = re.compile(
    r"(?:(?:播放|我想听|我要听|想听|点播|给我放|给我播放)(?:一首|首|一些|点|一点|几首)?"
    r"|(?:放|来|播|听)(?:一首|首|一些|些|点|一点|几首|一曲|一段))(?P<q>.+)"
)
_ZH_PLAY_WITH_SUFFIX = re.compile(
    r"(?:放|来|播|听)(?P<q>.+?(?:的歌曲?|的音乐|的专辑|的曲子|的新歌|的歌单))"
)
_ZH_MUSIC_SUFFIX = re.compile(r"(?:的歌曲?|的音乐|的曲子)$")
_ZH_GENERIC_MUSIC = frozenset(
    {
        "音乐",
        "歌",
        "歌曲",
        "首歌",
        "一首歌",
        "点音乐",
        "点歌",
        "些音乐",
        "些歌",
        "一些音乐",
        "一些歌",
        "点儿音乐",
        "音乐吧",
        "歌吧",
        "好听的",
        "好听的歌",
        "首好听的",
        "一首好听的歌",
        "点好听的",
        "首好听的歌",
    }
)
_EN_PLAY = re.compile(
    r"(?:play|put on|listen to|i want to hear|let me hear|play me|queue up|"
    r"i want to listen to|i'd like to hear|i'd like to listen to|"
    r"i'm in the mood for|i am in the mood for|i feel like listening to)\s+(?P<q>.+)"
)
_EN_PLAY_LEAD = re.compile(
    r"^(?:me\s+)?(?:some\s+|a bit of\s+|a little\s+)?(?:songs by\s+|"
    r"music by\s+|something by\s+|a song by\s+|tracks by\s+)?"
)
_EN_GENERIC_MUSIC = frozenset(
    {
        "music",
        "some music",
        "something",
        "a song",
        "songs",
        "anything",
        "the music",
        "my music",
        "a tune",
        "tunes",
        "some tunes",
        "some songs",
        "something nice",
        "something good",
        "good music",
    }
)

_ZH_NAVIGATE = re.compile(
    r"(?:导航到|导航去|导航至|帮我导航到|导航|带我去|带我到|我要去|我想去|我要到|前往|送我去|"
    r"送我到|开车去|开车到|去)(?P<d>.+)"
)
_ZH_HOME = re.compile(r"(?:导航)?回(?P<d>家|公司)")
_ZH_VIA_SPLIT = re.compile(r"[,，]?(?:途经|途径|经过|经由|路过)")
_ZH_WAYPOINT = re.compile(
    r"(?:再|也|还要|还|另外)?(?:途经|途径|经过|路过|经由|中途去|顺路去|顺便去|添加途经点|添加途径点|添加一个途经点|"
    r"加一个途经点|增加途经点|增加一个途经点|添加经停点|加个途经点)(?P<w>.+)"
)
_EN_NAVIGATE = re.compile(
    r"(?:i want to go|i'd like to go|i need to go|navigate|drive|go|head|take me|get me|"
    r"bring me|guide me|route me|give me directions|"
    r"directions|set destination|set the destination|set navigation|start navigation|"
    r"plot a route|find a route|set a course|navigation|route)\s+(?:to|towards)\s+(?P<d>.+)"
)
_EN_HOME = re.compile(r"(?:navigate|take me|drive|go|head|get me|bring me|go back)\s+(?P<d>home)")
_EN_VIA_SPLIT = re.compile(r"\s+(?:via|by way of|stopping at|with a stop at)\s+")
_EN_WAYPOINT = re.compile(
    r"(?:also\s+|and\s+)?"
    r"(?:add (?:a |another )?(?:stop|waypoint|stopover)(?:\s+(?:at|in|to|for))?|stop by|"
    r"go via|go by way of|via|by way of|route via|make a stop at|add a stop on the way to)"
    r"\s+(?P<w>.+?)(?:\s+(?:on the way|along the way|to the route|to my route))?"
)
_EN_WAYPOINT_SUFFIX = re.compile(r"add\s+(?P<w>.+?)\s+as a (?:stop|waypoint|stopover)")


# Things of contract v2 a title never names: "来点森林味的香氛" is the fragrance.
_ZH_V2_THINGS = re.compile(
    r"香氛|香薰|雾灯|示廓灯|充电口|方向盘|扶手箱|界面|页面|能量回收|驾驶模式|声浪|车道|盲区"
)
_EN_V2_THINGS = re.compile(
    r"\b(?:fragrance|scent|fog lights?|charge port|steering wheel|armrest|page|regen|"
    r"drive mode|engine sound|lane)\b"
)


def _clean_query(text: str, language: Language) -> str | None:
    """The free words, or None when they hold command words or only a number."""
    query = text.strip(" ,，")
    if language == "zh":
        if not query or _ZH_COMMAND_WORDS.search(query) or _ZH_NUMBER_ONLY.fullmatch(query):
            return None
        return None if _ZH_V2_THINGS.search(query) else query
    if not query or _EN_COMMAND_WORDS.search(query) or _EN_NUMBER_ONLY.fullmatch(query):
        return None
    return None if _EN_V2_THINGS.search(query) else query


def _clean_place(text: str, language: Language) -> str | None:
    """A place as said; stricter than a title: no device words either (去除雾)."""
    place = _clean_query(text, language)
    if place is None:
        return None
    if language == "zh":
        if len(place) < 2 or _ZH_NOT_A_PLACE.search(place) or _ZH_DEVICE_WORDS.search(place):
            return None
        return place
    if _EN_DEVICE_WORDS.search(place) or _EN_NOT_A_PLACE.search(place):
        return None
    return place


def match_navigation(clause: str, language: Language) -> list[CabinAction] | None:
    """NavigateTo (with waypoints said after 途经/via), or AddWaypoint, or None."""
    if language == "zh":
        home = _ZH_HOME.fullmatch(clause)
        if home:
            return [NavigateTo(destination=home["d"])]
        navigate, via, waypoint = _ZH_NAVIGATE, _ZH_VIA_SPLIT, _ZH_WAYPOINT
    else:
        home = _EN_HOME.fullmatch(clause)
        if home:
            return [NavigateTo(destination=home["d"])]
        navigate, via, waypoint = _EN_NAVIGATE, _EN_VIA_SPLIT, _EN_WAYPOINT
    stop = waypoint.fullmatch(clause)
    if stop is None and language == "en":
        stop = _EN_WAYPOINT_SUFFIX.fullmatch(clause)
    if stop is not None:
        place = _clean_place(stop["w"], language)
        return None if place is None else [AddWaypoint(place=place)]
    found = navigate.fullmatch(clause)
    if found is None:
        return None
    destination, *stops = via.split(found["d"])
    places = [_clean_place(part, language) for part in (destination, *stops)]
    if any(place is None for place in places):
        return None
    first, *rest = [place for place in places if place is not None]
    return [NavigateTo(destination=first), *(AddWaypoint(place=place) for place in rest)]


def match_media(clause: str, language: Language) -> list[CabinAction] | None:
    """PlayMedia with what was asked for, or None when the clause is not a play request."""
    if language == "zh":
        found = _ZH_PLAY.fullmatch(clause) or _ZH_PLAY_WITH_SUFFIX.fullmatch(clause)
        if found is None:
            return None
        query = found["q"]
        if query in _ZH_GENERIC_MUSIC:
            return [PlayMedia(query=None)]
        query = _ZH_MUSIC_SUFFIX.sub("", query)
    else:
        found = _EN_PLAY.fullmatch(clause)
        if found is None:
            return None
        if found["q"] in _EN_GENERIC_MUSIC:
            return [PlayMedia(query=None)]
        query = _EN_PLAY_LEAD.sub("", found["q"], count=1)
    if language == "en" and query in _EN_GENERIC_MUSIC:
        return [PlayMedia(query=None)]
    cleaned = _clean_query(query, language)
    return None if cleaned is None else [PlayMedia(query=cleaned)]
