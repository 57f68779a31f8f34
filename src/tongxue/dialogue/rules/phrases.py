"""Whole-clause phrases with no parts to parse: 暂停, 继续播放, 取消导航, pause, resume."""

from __future__ import annotations

import re

from tongxue.cabin.actions import CabinAction, CancelNavigation, PauseMedia, PlayMedia
from tongxue.dialogue.rules.types import Language

# Word tables read best as written: the formatter leaves the rest of this file alone.
# fmt: off
_ZH_PAUSE = frozenset(
    {
        "暂停", "暂停播放", "暂停音乐", "暂停歌曲", "停止播放", "停止音乐", "音乐暂停", "别放了",
        "不要放了", "停一下音乐", "停止放歌", "关闭音乐", "关掉音乐", "把音乐关了", "音乐关掉",
        "音乐停了", "停止放音乐", "音乐停一下", "把音乐暂停", "把歌暂停", "歌暂停", "暂停放歌",
        "先别放了", "停止播放音乐", "暂停播放音乐", "关闭音乐播放", "把音乐关掉",
    }
)
_ZH_RESUME = frozenset(
    {
        "继续", "继续播放", "继续放", "接着放", "接着播", "接着播放", "恢复播放", "继续播放音乐",
        "继续放歌", "继续听", "播放", "放歌", "放首歌", "放点音乐", "播放音乐", "打开音乐",
        "开音乐", "听歌", "放音乐", "来点音乐", "来首歌", "音乐继续", "继续放音乐", "播放歌曲",
        "放一首歌", "来一首歌", "听音乐", "我想听歌", "继续刚才的音乐", "接着听",
    }
)
_ZH_CANCEL_NAVIGATION = frozenset(
    {
        "取消导航", "结束导航", "退出导航", "停止导航", "关闭导航", "关掉导航", "导航取消",
        "导航结束", "不用导航了", "别导航了", "取消路线", "结束路线", "导航关掉", "导航关闭",
        "退出路线", "取消目的地", "把导航关了", "把导航关掉", "不导航了", "停止路线",
    }
)
_EN_PAUSE = frozenset(
    {
        "pause", "pause music", "pause the music", "pause playback", "pause it", "pause the song",
        "stop music", "stop the music", "stop playing", "stop playback", "stop the song",
        "turn off music", "turn off the music", "pause media", "pause the audio",
        "turn the music off", "pause the playback", "stop the playback", "pause song",
    }
)
_EN_RESUME = frozenset(
    {
        "resume", "resume music", "resume playback", "resume playing", "continue",
        "continue playing", "continue music", "continue playback", "keep playing", "unpause",
        "play", "play music", "resume the music", "start music", "start the music",
        "play something", "turn on music", "turn on the music", "turn the music on",
        "continue the music", "resume the song", "play some music", "play a song",
        "unpause the music", "start playing", "start playing music", "put on some music",
        "put some music on", "resume media", "play the music",
    }
)
_EN_CANCEL_NAVIGATION = frozenset(
    {
        "cancel navigation", "stop navigation", "end navigation", "exit navigation",
        "quit navigation", "cancel the navigation", "stop the navigation", "end the navigation",
        "stop navigating", "cancel route", "cancel the route", "end route", "end the route",
        "cancel directions", "stop directions", "turn off navigation", "close navigation",
        "cancel guidance", "stop guidance", "clear the route", "clear route",
        "turn off the navigation", "cancel the trip", "stop the route", "exit the navigation",
        "clear navigation", "clear the destination", "cancel my route", "end my route",
    }
)


# 音乐先暂停 / 把歌停一下 / 暂停播放音乐: a pause with the thing paused said around it.
_ZH_PAUSE_FORM = re.compile(
    r"(?:把)?(?:音乐|歌|歌曲|播放|媒体)?(?:先)?(?:暂停|停止播放|停一下|停一停|停下)"
    r"(?:播放)?(?:音乐|歌曲|歌)?"
)


def match_phrase(clause: str, language: Language) -> list[CabinAction] | None:
    """The action of a fixed phrase, or None when the clause is not one."""
    if language == "zh" and _ZH_PAUSE_FORM.fullmatch(clause) and clause not in ("停下",):
        return [PauseMedia()]
    if language == "zh":
        pause, resume, cancel = _ZH_PAUSE, _ZH_RESUME, _ZH_CANCEL_NAVIGATION
    else:
        pause, resume, cancel = _EN_PAUSE, _EN_RESUME, _EN_CANCEL_NAVIGATION
    if clause in pause:
        return [PauseMedia()]
    if clause in resume:
        return [PlayMedia(query=None)]
    if clause in cancel:
        return [CancelNavigation()]
    return None
