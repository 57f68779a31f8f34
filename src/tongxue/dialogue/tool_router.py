"""Picks the few cabin tools a turn may need, or none for a chat, by meaning.

A 0.5B model offered all 28 cabin tools calls the first one for almost anything, and the
3,600-token prompt makes every cold turn slow. Offered the two or three tools that an
embedding model (multilingual E5, 4-bit, on the CPU) finds closest to what was said, it
calls the right one; and a turn closest to small talk or a question gets no tools at all,
so the model answers instead of touching the car.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt

from tongxue.engine.embeddings import Embedder

if TYPE_CHECKING:
    from tongxue.dialogue.examples import ExampleIndex

logger = logging.getLogger(__name__)

CHAT = "chat"
# The small-talk topic that needs the car's state in the prompt (battery, range, speed).
CAR_INFO = "car_info"

# What people say when they want each tool, in both languages; the router embeds these.
TOOL_PHRASES: dict[str, str] = {
    "set_window": "车窗 窗户 开窗 关窗 透透气 好闷 window open close roll down fresh air stuffy",
    "set_sunroof": "天窗 看星星 sunroof open the roof",
    "set_sunshade": "遮阳帘 太晒 阳光刺眼 sunshade blinds too sunny",
    "set_door_lock": "车门 锁车 解锁 开锁 lock unlock doors",
    "set_child_lock": "儿童锁 小孩 child lock kids",
    "set_trunk": "后备箱 尾门 放行李 trunk boot luggage",
    "set_climate": "空调 制冷 开空调 关空调 air conditioning AC",
    "set_temperature": "温度 好冷 好热 冻死 热死 暖和点 凉快点 "
    "temperature cold hot freezing warm cool",
    "set_fan_speed": "风量 风太大 风小点 出风 fan blowing air flow",
    "set_climate_mode": "吹脚 吹脸 出风模式 air to feet face windshield mode",
    "set_recirculation": "内循环 外循环 外面有味道 尾气 recirculation outside smell exhaust",
    "set_defrost": "除雾 起雾 玻璃看不清 defrost foggy windshield misted",
    "set_seat_heating": "座椅加热 屁股凉 座位好冰 seat heating heated seat cold seat warm my seat",
    "set_seat_ventilation": "座椅通风 后背出汗 座位好热 seat ventilation sweaty back cooled seat",
    "set_seat_massage": "按摩 腰酸 背疼 好累 massage back hurts sore tired",
    "set_headlights": "大灯 远光 近光 天黑了 headlights high beam low beam",
    "set_ambient_light": "氛围灯 灯光颜色 浪漫 ambient light colour mood lighting",
    "set_reading_light": "阅读灯 看书 太黑看不清 reading light read a book too dark",
    "set_wipers": "雨刮 下雨 看不清路 wipers rain",
    "set_mirrors": "后视镜 折叠 mirrors fold",
    "play_media": "播放 放歌 听音乐 来一首 继续播放 play music song listen",
    "pause_media": "暂停 先别放了 停止播放 pause stop playing",
    "set_volume": "音量 太吵 声音大点 声音小点 听不见 volume too loud can't hear louder quieter",
    "set_mute": "静音 安静 闭嘴 mute silence",
    "navigate_to": "导航 去 带我去 找个餐厅 加油站 饿了 "
    "navigate take me to find a restaurant hungry",
    "add_waypoint": "途经 顺路 中途停 stop by on the way waypoint",
    "cancel_navigation": "取消导航 不去了 停止导航 cancel navigation stop the route",
    "set_display_brightness": "屏幕亮度 屏幕太亮 刺眼 屏幕暗 screen brightness display glare",
    # Contract v2.
    "set_seat_position": "座椅往前 往后 靠背 放平 躺平 坐直 腿伸不开 太挤 "
    "seat forward back recline backrest lie flat sit up legroom",
    "set_lumbar": "腰托 腰部支撑 腰不舒服 lumbar support lower back",
    "recall_seat_memory": "座椅记忆 坐姿 位置一 位置二 seat memory position recall",
    "reset_seat_position": "座椅复位 恢复座椅 reset the seat",
    "set_massage_mode": "按摩模式 肩颈 背部 腰部 全身按摩 massage mode shoulder back full body",
    "set_vent_pattern": "自然风 扫风 摆风 避人 别对着我吹 "
    "natural wind sweep swing avoid blowing on me",
    "set_climate_preset": "极速制冷 快速降温 极速制热 快速升温 热死了快点 max cooling max heating",
    "set_exterior_lights": "示廓灯 示宽灯 小灯 雾灯 起雾了看不清 position lights fog lights",
    "set_mirror_heating": "后视镜加热 后视镜除霜 镜子起雾 mirror heating defrost the mirrors",
    "set_steering_wheel_heating": "方向盘加热 方向盘好冰 手冷 steering wheel heating cold hands",
    "set_fragrance": "香氛 香薰 味道 香味 车里有味 森林 海洋 花香 fragrance scent smell nice",
    "set_charge_port": "充电口 充电盖 要充电 charge port charging flap",
    "set_console": "扶手箱 扶手台 console armrest",
    "set_equalizer": "音效 均衡器 摇滚 爵士 古典 人声 equalizer EQ sound profile",
    "set_engine_sound": "声浪 引擎声 模拟声浪 engine sound",
    "set_pedestrian_alert": "低速提示音 行人提示音 pedestrian alert",
    "play_video": "看电影 看电视剧 播放视频 综艺 第几集 watch a movie show episode video",
    "set_media_source": "蓝牙音乐 USB 本地音乐 收音机 电台 广播 bluetooth usb radio source",
    "skip_track": "下一首 上一首 切歌 换一首 不好听 next song previous skip this one",
    "set_favorite": "收藏这首 喜欢这首 取消收藏 like this song favourite unlike",
    "set_play_mode": "单曲循环 随机播放 顺序播放 列表循环 repeat shuffle play mode",
    "tune_radio": "调频 调幅 FM AM 频率 tune radio frequency",
    "select_radio_preset": "第几个电台 预设电台 下一个电台 radio preset next station",
    "save_radio_preset": "保存电台 存为预设 save this station preset",
    "call_contact": "打电话给 呼叫 给谁打个电话 联系 call someone phone a contact",
    "dial_number": "拨打号码 拨号 dial number",
    "redial": "重拨 回拨 再打一次 redial call back",
    "answer_call": "接听 接电话 answer the call pick up",
    "end_call": "挂断 挂电话 拒接 不接 hang up decline end call",
    "set_screen": "屏幕关掉 息屏 点亮屏幕 副驾屏 后排屏 screen on off wake sleep",
    "set_screen_brightness": "副驾屏亮度 后排屏亮度 passenger screen rear screen brightness",
    "slide_passenger_screen": "副驾屏滑过来 屏幕移过去 转向 slide the passenger screen",
    "show_screen_page": "打开页面 界面 设置页 空调页面 返回首页 open the settings page home screen",
    "set_drive_mode": "驾驶模式 运动模式 经济模式 舒适模式 雪地 越野 drive mode sport eco comfort",
    "set_power_mode": "纯电 混动 保电 增程 EV mode hybrid hold battery",
    "set_regen": "能量回收 动能回收 单踏板 regen regenerative braking one pedal",
    "set_driver_assistance": "车道保持 车道偏离 盲区 碰撞预警 超速提醒 自动驻车 "
    "lane keeping blind spot collision warning auto hold",
    "navigate_to_saved": "回家 去公司 上班 go home go to work",
    "set_saved_place": "设置家的地址 公司地址 set home address work address",
    "remove_waypoints": "删除途经点 不去那了 remove the stop waypoint",
    "set_route_preferences": "不走高速 避开收费 最快路线 最短 高速优先 "
    "avoid highways tolls fastest route",
    "set_navigation_voice": "导航播报 导航声音 简洁播报 导航静音 navigation voice guidance brief",
    "set_traffic_layer": "路况 实时路况 traffic layer",
    "set_scene": "小憩模式 休息一下 睡一会 困了 rest mode nap",
}

# Turns that want an answer, not a change of the car.
CHAT_PHRASES: dict[str, str] = {
    "greeting": "你好 谢谢 再见 早上好 hello hi thanks thank you goodbye good morning",
    "identity": "你是谁 你叫什么 你会什么 who are you what can you do your name",
    "fun": "讲个笑话 讲故事 聊聊天 tell me a joke a story let's chat",
    "knowledge": "为什么 是什么 怎么 多少 哪一年 谁唱的 知识问题 "
    "why what is how many which year who sings question",
    CAR_INFO: "还有多少电 续航 能跑多远 胎压 油量 车速 保养 "
    "battery range how far tire pressure fuel speed service",
    "world": "今天天气 新闻 时间 weather news what time is it",
    "math": "算术 二加二 计算 math two plus two calculate",
}


# Tools whose prompts are warmed first: chosen by hand (not counted from data) as the comfort,
# media and navigation tools that colloquial requests name most; the others follow in
# catalogue order.
WARM_FIRST = (
    "set_temperature",
    "set_seat_heating",
    "set_window",
    "set_volume",
    "set_fan_speed",
    "set_climate",
    "set_seat_massage",
    "set_seat_ventilation",
    "navigate_to",
    "play_media",
    "set_sunshade",
    "set_recirculation",
    "set_defrost",
    "set_ambient_light",
    "set_seat_position",
    "skip_track",
)


# Tools offered to the larger model when the router is unsure.
ALTERNATIVES = 3


def warm_rank(name: str) -> int:
    """Where a tool's prompt comes in the warm-up order."""
    if name in WARM_FIRST:
        return WARM_FIRST.index(name)
    names = list(TOOL_PHRASES)
    return len(WARM_FIRST) + (names.index(name) if name in names else len(names))


@dataclass(frozen=True)
class Route:
    """The tools to offer (closest first); empty means answer without tools."""

    tools: tuple[str, ...]
    scores: tuple[float, ...]
    chat_topic: str | None = None
    # How far the best label stood out from the next one (a tool or small talk); small
    # means the router was unsure.
    gap: float = 1.0
    # The closest tools, the best first, for a model that can choose among several.
    alternatives: tuple[str, ...] = ()

    @property
    def is_chat(self) -> bool:
        return not self.tools


class ToolRouter:
    """Phrases alone, or the labelled examples first (`examples`), the phrases after them.

    With examples, a sentence goes to the tools of the examples nearest to it (the best
    score per tool, with the runners-up within `margin`), or to no tool when its nearest
    example is small talk; the chat topic still comes from the chat phrases. A tool that no
    example calls yet (a new one) keeps its phrase, embedded the same way as the examples
    so that the scores compare.
    """

    def __init__(
        self,
        embedder: Embedder,
        available: Sequence[str],
        *,
        top_k: int = 1,
        margin: float = 0.015,
        examples: ExampleIndex | None = None,
    ) -> None:
        self.embedder = embedder
        self.examples = examples
        self.top_k = top_k
        self.margin = margin
        taught = {tool for e in examples.examples for tool in e.tools} if examples else set()
        self.names = [n for n in available if n in TOOL_PHRASES or n in taught]
        phrased = [n for n in self.names if n in TOOL_PHRASES]
        self._labels = [*phrased, *(f"{CHAT}:{topic}" for topic in CHAT_PHRASES)]
        texts = [*(TOOL_PHRASES[n] for n in phrased), *CHAT_PHRASES.values()]
        self._matrix = embedder.passages(texts)
        if examples is not None:
            usable = set(self.names)
            self._example_rows = [
                i for i, e in enumerate(examples.examples) if not e.tools or set(e.tools) <= usable
            ]
            untaught = [n for n in phrased if n not in taught]
            self._untaught = untaught
            self._untaught_matrix = (
                embedder.queries([TOOL_PHRASES[n] for n in untaught]) if untaught else None
            )

    def route(self, text: str) -> Route:
        if self.examples is not None:
            return self._route_by_examples(text, self.examples)
        scores = self._matrix @ self.embedder.queries([text])[0]
        order = np.argsort(-scores)
        best = float(scores[order[0]])
        gap = best - float(scores[order[1]]) if len(order) > 1 else 1.0
        if self._labels[order[0]].startswith(CHAT):
            topic = self._labels[order[0]].partition(":")[2]
            return Route(tools=(), scores=(best,), chat_topic=topic, gap=gap)
        picked: list[str] = []
        picked_scores: list[float] = []
        for index in order:
            label = self._labels[index]
            # Offer the runners-up only when they are nearly as close as the best.
            if label.startswith(CHAT) or best - float(scores[index]) > self.margin:
                break
            if label not in picked:
                picked.append(label)
                picked_scores.append(float(scores[index]))
            if len(picked) == self.top_k:
                break
        closest = [self._labels[i] for i in order if not self._labels[i].startswith(CHAT)]
        return Route(
            tools=tuple(picked),
            scores=tuple(picked_scores),
            gap=gap,
            alternatives=tuple(closest[:ALTERNATIVES]),
        )

    def _route_by_examples(self, text: str, examples: ExampleIndex) -> Route:
        similarities = examples.similarities(text)
        best_of: dict[str, float] = {}  # tool name, or CHAT, to its best score
        for row in self._example_rows:
            score = float(similarities[row])
            for label in examples.examples[row].tools or (CHAT,):
                best_of[label] = max(best_of.get(label, -1.0), score)
        if self._untaught_matrix is not None:
            phrase_scores = self._untaught_matrix @ examples.embed(text)
            for name, score in zip(self._untaught, phrase_scores, strict=True):
                best_of[name] = max(best_of.get(name, -1.0), float(score))
        ranked = sorted(best_of.items(), key=lambda item: -item[1])
        gap = ranked[0][1] - ranked[1][1] if len(ranked) > 1 else 1.0
        if not ranked or ranked[0][0] == CHAT:
            return Route(
                tools=(),
                scores=(ranked[0][1] if ranked else 0.0,),
                chat_topic=self._chat_topic(examples.embed(text)),
                gap=gap,
            )
        best = ranked[0][1]
        picked = [
            (label, score)
            for label, score in ranked
            if label != CHAT and best - score <= self.margin
        ][: self.top_k]
        closest = [label for label, _ in ranked if label != CHAT]
        return Route(
            tools=tuple(n for n, _ in picked),
            scores=tuple(s for _, s in picked),
            gap=gap,
            alternatives=tuple(closest[:ALTERNATIVES]),
        )

    def _chat_topic(self, vector: npt.NDArray[np.float32]) -> str:
        """The closest chat topic by its phrase (car questions need the car's state)."""
        first_chat = self._labels.index(f"{CHAT}:{next(iter(CHAT_PHRASES))}")
        scores = self._matrix[first_chat:] @ vector
        return self._labels[first_chat + int(np.argmax(scores))].partition(":")[2]
