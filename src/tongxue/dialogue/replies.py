"""Spoken replies for what the car did, in the user's language, short enough to read aloud."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from tongxue.cabin.policy import Refusal
from tongxue.cabin.results import ActionResult, Clamp, StateChange
from tongxue.cabin.status import StatusAnswer, StatusFact
from tongxue.dialogue.language import Language
from tongxue.dialogue.providers.base import Forecast, Place
from tongxue.dialogue.sentences import join_sentences

_PLACES_ZH = {
    "driver": "主驾",
    "passenger": "副驾",
    "rear_left": "左后",
    "rear_right": "右后",
    "third_left": "三排左",
    "third_right": "三排右",
    "rear": "后排",
    "front_left": "左前",
    "front_right": "右前",
    "center": "中控",
}
_PLACES_EN = {
    "driver": "driver",
    "passenger": "passenger",
    "rear_left": "rear left",
    "rear_right": "rear right",
    "third_left": "third-row left",
    "third_right": "third-row right",
    "rear": "rear",
    "front_left": "front left",
    "front_right": "front right",
    "center": "centre",
}

# path pattern (with * for a seat, zone or window) → (zh label, en label, unit zh, unit en)
_LABELS: dict[str, tuple[str, str, str, str]] = {
    "windows.*": ("{p}车窗", "{p} window", "%", "%"),
    "sunroof": ("天窗", "sunroof", "%", "%"),
    "sunshade": ("遮阳帘", "sunshade", "%", "%"),
    "doors.locked": ("车门锁", "door locks", "", ""),
    "doors.child_lock": ("儿童锁", "child lock", "", ""),
    "trunk.open": ("后备箱", "trunk", "", ""),
    "climate.power": ("空调", "climate", "", ""),
    "climate.ac": ("制冷", "A/C", "", ""),
    "climate.*.temperature": ("{p}温度", "{p} temperature", "度", "°C"),
    "climate.fan_speed": ("风量", "fan speed", "档", ""),
    "climate.mode": ("出风模式", "air mode", "", ""),
    "climate.recirculation": ("内循环", "recirculation", "", ""),
    "climate.front_defrost": ("前挡除雾", "front defrost", "", ""),
    "climate.rear_defrost": ("后挡除雾", "rear defrost", "", ""),
    "seats.*.heating": ("{p}座椅加热", "{p} seat heating", "档", ""),
    "seats.*.ventilation": ("{p}座椅通风", "{p} seat ventilation", "档", ""),
    "seats.*.massage": ("{p}座椅按摩", "{p} seat massage", "档", ""),
    "lights.headlights": ("大灯", "headlights", "", ""),
    "lights.ambient.on": ("氛围灯", "ambient light", "", ""),
    "lights.ambient.color": ("氛围灯颜色", "ambient colour", "", ""),
    "lights.ambient.brightness": ("氛围灯亮度", "ambient brightness", "", ""),
    "lights.reading.*": ("{p}阅读灯", "{p} reading light", "", ""),
    "wipers": ("雨刮", "wipers", "", ""),
    "mirrors.folded": ("后视镜折叠", "mirror fold", "", ""),
    "media.playing": ("播放", "playback", "", ""),
    "media.volume": ("音量", "volume", "", ""),
    "media.muted": ("静音", "mute", "", ""),
    "media.query": ("播放内容", "now playing", "", ""),
    "navigation.destination": ("导航目的地", "destination", "", ""),
    "navigation.waypoints": ("途经点", "waypoints", "", ""),
    "display.brightness": ("屏幕亮度", "screen brightness", "", ""),
    # version 2
    "seats.*.backrest": ("{p}靠背角度", "{p} backrest", "档", ""),
    "seats.*.fore_aft": ("{p}座椅前后位置", "{p} seat position", "", ""),
    "seats.*.lumbar": ("{p}腰托", "{p} lumbar support", "档", ""),
    "seats.*.memory": ("{p}座椅记忆位置", "{p} seat memory", "", ""),
    "seats.*.massage_mode": ("{p}按摩模式", "{p} massage mode", "", ""),
    "steering_wheel.heating": ("方向盘加热", "steering wheel heating", "", ""),
    "mirrors.heating": ("后视镜加热", "mirror heating", "", ""),
    "charge_port.open": ("充电口", "charge port", "", ""),
    "fragrance.on": ("香氛", "fragrance", "", ""),
    "fragrance.scent": ("香氛香型", "scent", "", ""),
    "fragrance.level": ("香氛浓度", "fragrance level", "档", ""),
    "lights.position": ("示廓灯", "position lights", "", ""),
    "lights.fog_front": ("前雾灯", "front fog lights", "", ""),
    "lights.fog_rear": ("后雾灯", "rear fog lights", "", ""),
    "lights.ambient.mode": ("氛围灯模式", "ambient mode", "", ""),
    "climate.*.vent": ("{p}出风方式", "{p} vents", "", ""),
    "console.position": ("扶手箱位置", "console position", "", ""),
    "audio.navigation_volume": ("导航音量", "navigation volume", "", ""),
    "audio.call_volume": ("通话音量", "call volume", "", ""),
    "audio.system_volume": ("系统音量", "system volume", "", ""),
    "audio.eq": ("音效", "sound", "", ""),
    "audio.engine_sound": ("声浪", "engine sound", "", ""),
    "audio.pedestrian_alert": ("低速提示音", "pedestrian alert", "", ""),
    "media.source": ("音源", "source", "", ""),
    "media.track": ("曲目", "track", "", ""),
    "media.liked": ("收藏", "favourite", "", ""),
    "media.playlist": ("歌单", "playlist", "", ""),
    "media.play_mode": ("播放模式", "play mode", "", ""),
    "media.video_screen": ("视频播放屏", "video screen", "", ""),
    "radio.band": ("波段", "band", "", ""),
    "radio.frequency": ("收音机频率", "radio frequency", "", ""),
    "radio.preset": ("电台预设", "radio preset", "", ""),
    "radio.presets": ("电台预设列表", "radio presets", "", ""),
    "phone.call_state": ("电话", "phone", "", ""),
    "phone.party": ("通话对象", "calling", "", ""),
    "screens.*.on": ("{p}屏", "{p} screen", "", ""),
    "screens.*.brightness": ("{p}屏亮度", "{p} screen brightness", "", ""),
    "screens.*.position": ("{p}屏位置", "{p} screen position", "", ""),
    "screens.*.page": ("{p}屏页面", "{p} screen page", "", ""),
    "drive.mode": ("驾驶模式", "drive mode", "", ""),
    "drive.power_mode": ("能源模式", "power mode", "", ""),
    "drive.regen": ("能量回收", "regenerative braking", "档", ""),
    "adas.lane_keep": ("车道保持", "lane keeping", "", ""),
    "adas.lane_departure_warning": ("车道偏离预警", "lane departure warning", "", ""),
    "adas.blind_spot": ("盲区监测", "blind spot monitoring", "", ""),
    "adas.forward_collision": ("前向碰撞预警", "forward collision warning", "", ""),
    "adas.rear_cross_traffic": ("后方横向来车预警", "rear cross traffic alert", "", ""),
    "adas.speed_warning": ("超速提醒", "speed warning", "", ""),
    "adas.auto_hold": ("自动驻车", "auto hold", "", ""),
    "adas.seatbelt_reminder": ("安全带提醒", "seat belt reminder", "", ""),
    "navigation.avoid_highways": ("避开高速", "avoid highways", "", ""),
    "navigation.avoid_tolls": ("避开收费", "avoid tolls", "", ""),
    "navigation.traffic_layer": ("路况", "traffic layer", "", ""),
    "navigation.route_preference": ("路线偏好", "route preference", "", ""),
    "navigation.voice": ("导航播报", "navigation voice", "", ""),
    "navigation.home": ("家的地址", "home address", "", ""),
    "navigation.work": ("公司地址", "work address", "", ""),
    "scene": ("场景", "scene", "", ""),
}

# Changes that follow from another and would only clutter the reply.
_UNSAID = frozenset({"navigation.remaining_km", "navigation.eta_min", "phone.last_dialed"})

_WORDS_ZH = {
    "auto": "自动",
    "face": "吹面",
    "feet": "吹脚",
    "face_feet": "吹面吹脚",
    "windshield": "吹挡风玻璃",
    "off": "关闭",
    "low": "低",
    "high": "高",
    "red": "红色",
    "blue": "蓝色",
    "green": "绿色",
    "purple": "紫色",
    "white": "白色",
    "orange": "橙色",
    "yellow": "黄色",
    "pink": "粉色",
    "cyan": "青色",
    # version 2 values
    "normal": "正常",
    "sweep": "扫风",
    "natural": "自然风",
    "avoid": "避人",
    "full": "全身",
    "shoulder": "肩部",
    "back": "背部",
    "lumbar": "腰部",
    "ocean": "海洋",
    "forest": "森林",
    "floral": "花香",
    "citrus": "柑橘",
    "tea": "茶香",
    "static": "常亮",
    "breathing": "呼吸",
    "music": "音乐",
    "drive_mode": "随驾驶模式",
    "temperature": "随温度",
    "standard": "标准",
    "pop": "流行",
    "rock": "摇滚",
    "jazz": "爵士",
    "classical": "古典",
    "vocal": "人声",
    "comfort": "舒适",
    "sport": "运动",
    "wild": "狂野",
    "eco": "经济",
    "snow": "雪地",
    "offroad": "越野",
    "hybrid": "智能混动",
    "ev": "纯电",
    "hold": "保电",
    "bluetooth": "蓝牙音乐",
    "usb": "USB音乐",
    "radio": "收音机",
    "video": "视频",
    "sequence": "顺序播放",
    "repeat_one": "单曲循环",
    "repeat_all": "列表循环",
    "shuffle": "随机播放",
    "center": "中控屏",
    "passenger": "副驾屏",
    "rear": "后排屏",
    "home": "首页",
    "navigation": "导航",
    "media": "音乐",
    "phone": "电话",
    "climate": "空调",
    "seats": "座椅",
    "lights": "灯光",
    "settings": "设置",
    "recommended": "推荐",
    "fastest": "最快",
    "shortest": "最短",
    "highways": "高速优先",
    "on": "详细",
    "brief": "简洁",
    "dialing": "正在拨号",
    "ringing": "来电中",
    "in_call": "通话中",
    "idle": "已挂断",
    "rest": "小憩模式",
    "none": "无",
    "favorites": "我的收藏",
}

_REASONS: dict[str, tuple[str, str]] = {
    "moving": ("车辆行驶中，出于安全考虑不能这样做", "the car is moving, so that is not safe"),
    "driver_only": ("这项功能只能由主驾控制", "only the driver can change that"),
    "not_in_seat": ("远程不能操作驾驶功能", "driving controls can't be changed remotely"),
    "child_lock": (
        "儿童锁已开启，后排不能打开车窗",
        "the child lock is on, so rear windows stay closed",
    ),
    "not_equipped": ("这辆车没有这项配置", "this car doesn't have that"),
    "no_such_seat": ("这辆车没有这个座位", "this car doesn't have that seat"),
    "no_window": ("那个位置没有车窗", "there is no window there"),
    "confirmation_required": (
        "手机远程解锁需要再确认一次",
        "unlocking from the phone needs a confirmation",
    ),
    "not_your_turn": ("手机只能撤销自己刚才的操作", "the phone can only undo its own changes"),
    "too_many_waypoints": ("途经点最多十个", "a route takes at most ten stops"),
    # Version 2: understood, but there is nothing to act on.
    "not_in_contacts": ("通讯录里没有找到这个联系人", "that name was not found in your contacts"),
    "nothing_to_redial": ("还没有拨过电话，没有可以重拨的号码", "there is no number to redial"),
    "not_ringing": ("现在没有来电", "there is no incoming call"),
    "no_call": ("现在没有通话", "there is no call to hang up"),
    "read_only": ("这一项只能查看，不能用语音修改", "that can only be read, not changed by voice"),
    "out_of_band": (
        "这个频率不在调频或调幅的范围内",
        "that frequency is on neither FM nor AM",
    ),
    "no_seat_there": ("那个方向没有座位", "there is no seat there"),
    "out_of_contract": ("这个功能暂不支持", "I can't do that in this car"),
    "always_on": ("这项安全提醒必须保持开启", "that safety warning must stay on"),
    "front_seats_only": ("儿童锁只能由前排控制", "only the front seats can change the child lock"),
}


def _label(path: str) -> tuple[str, str, str, str] | None:
    parts = path.split(".")
    for pattern, label in _LABELS.items():
        pattern_parts = pattern.split(".")
        if len(pattern_parts) != len(parts):
            continue
        place = None
        for want, got in zip(pattern_parts, parts, strict=True):
            if want == "*":
                place = got
            elif want != got:
                break
        else:
            zh, en, unit_zh, unit_en = label
            return (
                zh.format(p=_PLACES_ZH.get(place or "", place or "")),
                en.format(p=_PLACES_EN.get(place or "", place or "")),
                unit_zh,
                unit_en,
            )
    return None


def _number(value: float) -> str:
    return f"{value:g}"


def _describe(change: StateChange, language: Language) -> str:
    label = _label(change.path)
    zh, en, unit_zh, unit_en = label or (change.path, change.path, "", "")
    new = change.new
    if language == "zh":
        if isinstance(new, bool):
            return f"{zh}已{'打开' if new else '关闭'}"
        if change.path.startswith(("windows.", "sunroof", "sunshade")) and new in (0, 100):
            return f"{zh}已{'打开' if new == 100 else '关闭'}"
        if isinstance(new, int | float):
            return f"{zh}已调到{_number(new)}{unit_zh}"
        if new is None or new == []:
            return f"{zh}已清除"
        if isinstance(new, list):
            return f"{zh}：{'、'.join(str(v) for v in new)}"
        return f"{zh}：{_WORDS_ZH.get(str(new), str(new))}"
    if isinstance(new, bool):
        return f"{en} {'on' if new else 'off'}"
    if change.path.startswith(("windows.", "sunroof", "sunshade")) and new in (0, 100):
        return f"{en} {'opened' if new == 100 else 'closed'}"
    if isinstance(new, int | float):
        return f"{en} set to {_number(new)}{unit_en}"
    if new is None or new == []:
        return f"{en} cleared"
    if isinstance(new, list):
        return f"{en}: {', '.join(str(v) for v in new)}"
    # Enum values are snake_case words ("repeat_one"): say them as words.
    return f"{en}: {new.replace('_', ' ') if isinstance(new, str) else new}"


def _clamp_note(clamp: Clamp, language: Language) -> str:
    if language == "zh":
        return f"（{_number(clamp.requested)}超出范围，已调到{_number(clamp.applied)}）"
    return f" ({_number(clamp.requested)} is out of range, so {_number(clamp.applied)})"


def _already(result: ActionResult, language: Language) -> str:
    return "已经是这样了" if language == "zh" else "that's already set"


def refusal_reason(code: str | None, fallback: str | None, language: Language) -> str:
    zh, en = _REASONS.get(
        code or "", (fallback or "这个操作不被允许", fallback or "that isn't allowed")
    )
    return zh if language == "zh" else en


# Why an understood action could not be done, where the wording needs its arguments.
_NAMED_REASONS: dict[str, tuple[str, str]] = {
    "not_in_contacts": ("通讯录里没有找到{name}", "{name} was not found in your contacts"),
}


def problem_reason(result: ActionResult, language: Language) -> str:
    """Why a refused or unsupported action did nothing, in words."""
    named = _NAMED_REASONS.get(result.reason_code or "")
    name = result.arguments.get("name")
    if named is not None and isinstance(name, str) and name.strip():
        zh, en = named
        return (zh if language == "zh" else en).format(name=name.strip())
    return refusal_reason(result.reason_code, result.reason, language)


def action_reply(results: Sequence[ActionResult], language: Language) -> str:
    """One short sentence covering every action of a turn."""
    parts: list[str] = []
    problems: list[str] = []
    for result in results:
        if result.status in ("refused", "unsupported"):
            problems.append(problem_reason(result, language))
            continue
        if not result.changes:
            if result.clamped:
                parts.append(_describe_clamp_only(result.clamped[0], language))
            else:
                parts.append(_already(result, language))
            continue
        said = [change for change in result.changes if change.path not in _UNSAID]
        described = [_describe(change, language) for change in said[:4]]
        note = "".join(_clamp_note(c, language) for c in result.clamped[:1])
        if described or note:
            parts.append(("，" if language == "zh" else ", ").join(described) + note)
    return _sentence(parts, problems, language)


def _describe_clamp_only(clamp: Clamp, language: Language) -> str:
    if language == "zh":
        return f"已经在极限值{_number(clamp.applied)}了"
    return f"already at the limit of {_number(clamp.applied)}"


def _sentence(parts: list[str], problems: list[str], language: Language) -> str:
    unique_problems = list(dict.fromkeys(problems))
    if language == "zh":
        text = ("好的，" + "，".join(parts) + "。") if parts else ""
        if unique_problems:
            text += "抱歉，" + "；".join(unique_problems) + "。"
        return text or "好的。"
    text = ("OK: " + "; ".join(parts) + ".") if parts else ""
    if unique_problems:
        sorry = "Sorry, " + "; ".join(unique_problems) + "."
        text = f"{text} {sorry}" if text else sorry
    return text or "OK."


def undo_reply(results: Sequence[ActionResult], language: Language) -> str:
    """What an undo did: reverted, partly reverted, refused (never "undone" then), or none."""
    if not results:
        return "没有可以撤销的操作。" if language == "zh" else "There is nothing to undo."
    problems = list(
        dict.fromkeys(
            refusal_reason(r.reason_code, r.reason, language) for r in results if r.refused
        )
    )
    if not problems:
        return "好的，已撤销刚才的操作。" if language == "zh" else "OK, I undid that."
    partly = any(not r.refused for r in results)
    if language == "zh":
        head = "好的，已撤销其中一部分；但" if partly else "抱歉，不能撤销："
        return head + "；".join(problems) + "。"
    head = "I undid part of that, but " if partly else "Sorry, I can't undo that: "
    return head + "; ".join(problems) + "."


def not_remembered_reply(refusals: Sequence[Refusal], language: Language) -> str:
    """Why a preference was not stored: the policy refuses it to the person saving it."""
    reasons = list(dict.fromkeys(refusal_reason(r.code, r.reason, language) for r in refusals))
    if language == "zh":
        return "抱歉，这个我不能记住：" + "；".join(reasons) + "。"
    return "Sorry, I can't remember that: " + "; ".join(reasons) + "."


# --- turns of contract v2: offline, out of contract, negations, and turns of several parts --

_OFFLINE: dict[str, tuple[str, str]] = {
    "weather": ("查天气需要联网，现在离线。", "I can't check the weather offline."),
    "places": ("搜索地点需要联网，现在离线。", "I can't search for places offline."),
    "traffic": ("查路况需要联网，现在离线。", "I can't check the traffic offline."),
    "knowledge": ("这个需要联网查询，现在离线。", "I can't look that up offline."),
    "smart_home": ("控制家里的设备需要联网，现在离线。", "I can't reach your smart home offline."),
}
_OFFLINE_ANY = ("这个需要联网，现在离线。", "I can't do that offline.")


def offline_reply(kind: str, language: Language) -> str:
    """What needs a provider (weather, places, ...) while none is configured: says offline."""
    zh, en = _OFFLINE.get(kind, _OFFLINE_ANY)
    return zh if language == "zh" else en


def manual_not_found_reply(language: Language) -> str:
    """A question about the car that the owner's manual does not answer."""
    if language == "zh":
        return "抱歉，手册里没有找到相关内容。"
    return "Sorry, I couldn't find that in the manual."


def manual_source(titles: Sequence[str], language: Language) -> str:
    """Where a manual answer came from, in words the speaker can say."""
    if language == "zh":
        return "见手册" + "、".join(f"「{t}」" for t in titles) + "一节。"
    named = ", ".join(titles)
    return f"From the manual, section {named}."


_CONDITIONS: dict[str, tuple[str, str]] = {
    "clear": ("晴", "clear"),
    "cloudy": ("多云", "cloudy"),
    "fog": ("有雾", "foggy"),
    "drizzle": ("有小雨", "drizzly"),
    "rain": ("有雨", "rainy"),
    "snow": ("有雪", "snowy"),
    "thunderstorm": ("有雷雨", "stormy"),
}


def forecast_reply(forecast: Forecast | None, language: Language) -> str:
    """A provider's forecast in one sentence; None: the place was not found."""
    if forecast is None:
        return "没有找到那个地方的天气。" if language == "zh" else "I couldn't find that place."
    zh_bits: list[str] = []
    en_bits: list[str] = []
    if forecast.condition is not None:
        zh, en = _CONDITIONS[forecast.condition]
        zh_bits.append(zh)
        en_bits.append(en)
    low, high = forecast.temperature_min, forecast.temperature_max
    if low is not None and high is not None:
        zh_bits.append(f"{_number(round(low))}到{_number(round(high))}度")
        en_bits.append(f"{_number(round(low))} to {_number(round(high))}°C")
    if forecast.precipitation_probability is not None:
        zh_bits.append(f"降水概率{forecast.precipitation_probability}%")
        en_bits.append(f"{forecast.precipitation_probability}% chance of rain")
    day = forecast.day.isoformat()
    if language == "zh":
        return f"{forecast.place}{day}：{'，'.join(zh_bits) or '暂无预报'}。"
    return f"{forecast.place} on {day}: {', '.join(en_bits) or 'no forecast yet'}."


def places_reply(places: Sequence[Place], language: Language) -> str:
    """What a place search found, the first few by name."""
    names = [place.name for place in places[:3]]
    if not names:
        return "没有找到相关的地点。" if language == "zh" else "I found no such place."
    if language == "zh":
        return f"找到{len(places)}个地点：{'、'.join(names)}。"
    return f"I found {len(places)}: {', '.join(names)}."


def unsupported_reply(language: Language) -> str:
    """A request understood but outside what this car can do (HUD, dashcam, ...)."""
    return "这个功能暂不支持。" if language == "zh" else "I can't do that in this car."


def negation_reply(language: Language, text: str = "") -> str:
    """A negation that asks for nothing (不用开空调): acknowledged, nothing changes."""
    if language != "zh":
        return "OK, I won't."
    if "关" in text:
        return "好的，不关。"
    if "开" in text:
        return "好的，不开。"
    return "好的，保持不变。"


@dataclass(frozen=True)
class Acted:
    """A part that ran actions: their results, worded by `action_reply`."""

    results: tuple[ActionResult, ...]


@dataclass(frozen=True)
class Said:
    """A part already worded: an answer, offline, unsupported, an acknowledged negation."""

    text: str


@dataclass(frozen=True)
class NotUnderstood:
    """A part nobody understood, as it was said."""

    text: str


ReplyPiece = Acted | Said | NotUnderstood


def compose_reply(pieces: Sequence[ReplyPiece], language: Language) -> str:
    """One reply for a turn of several parts, given in spoken order.

    The actions of every part are worded together, where the first of them was said, so
    the reply says "OK" once; what could not be done follows with its reason, and what was
    not understood comes last. A turn of one part reads exactly as it would alone.
    """
    sentences: list[str] = []
    results = [r for piece in pieces if isinstance(piece, Acted) for r in piece.results]
    acted_at: int | None = None
    for piece in pieces:
        if isinstance(piece, Acted) and piece.results and acted_at is None:
            acted_at = len(sentences)
            sentences.append("")  # filled below, once every part's results are known
        elif isinstance(piece, Said) and piece.text.strip():
            sentences.append(piece.text.strip())
    if acted_at is not None:
        sentences[acted_at] = action_reply(results, language)
    unknown = [p.text.strip() for p in pieces if isinstance(p, NotUnderstood) and p.text.strip()]
    sentences = list(dict.fromkeys(sentences))
    if unknown:
        sentences.append(_not_understood(unknown, language, alone=not sentences))
    if not sentences:
        return apology(language)
    return join_sentences(sentences, language)


def _not_understood(texts: Sequence[str], language: Language, *, alone: bool) -> str:
    if language == "zh":
        quoted = "、".join(f"“{t}”" for t in texts)
        return f"抱歉，我没听懂{quoted}。" if alone else f"另外，我没听懂{quoted}。"
    quoted = ", ".join(f'"{t}"' for t in texts)
    return (
        f"Sorry, I didn't understand {quoted}." if alone else f"And I didn't understand {quoted}."
    )


def apology(language: Language) -> str:
    if language == "zh":
        return "抱歉，我没能理解，请换个说法再试一次。"
    return "Sorry, I didn't catch that. Could you say it another way?"


# --- Answers from the car's state (status questions) -------------------------------------


def format_number(value: float) -> str:
    """A number as a reply says it: digits, at most one decimal, no trailing .0, no
    thousands separators (22.5, 420, 12000)."""
    rounded = round(float(value), 1)
    if rounded == int(rounded):
        return str(int(rounded))
    return f"{rounded:.1f}"


_UNKNOWN = ("暂时读不到这项信息。", "I can't read that right now.")

# topic -> (zh, en) templates for a single reading, {v} the number.
_READING_REPLIES: dict[str, tuple[str, str]] = {
    "range": ("续航还有{v}公里。", "Range is {v} km."),
    "battery": ("电量还有{v}%。", "Battery is at {v}%."),
    "fuel": ("油量还有{v}%。", "Fuel is at {v}%."),
    "speed": ("当前车速{v}公里每小时。", "Speed is {v} km/h."),
    "odometer": ("总里程{v}公里。", "The odometer reads {v} km."),
    "outside_temperature": ("车外温度{v}度。", "It's {v} °C outside."),
    "inside_temperature": ("车内温度{v}度。", "It's {v} °C inside."),
}
_TRIP_REPLIES: dict[str, tuple[str, str]] = {
    "distance_left": ("距离目的地还有{v}公里。", "{v} km to go."),
    "time_left": ("预计还要{v}分钟到达。", "About {v} minutes to go."),
}
_NO_NAVIGATION = ("当前没有导航。", "No navigation is active.")
_NO_ROUTE = ("路线还没有算好。", "The route is not calculated yet.")
_PLACES_SAVED: dict[str, tuple[str, str, str, str]] = {
    "home": ("家的地址是{v}。", "Home is {v}.", "还没有设置家的地址。", "No home address set."),
    "work": (
        "公司的地址是{v}。",
        "Work is {v}.",
        "还没有设置公司的地址。",
        "No work address set.",
    ),
}
_ZONES_ZH = {"driver": "主驾", "passenger": "副驾", "rear": "后排"}


def status_reply(answer: StatusAnswer, language: Language) -> str:
    """One short sentence, in the asker's language, that answers a status question."""
    zh = language == "zh"
    topic = answer.question.topic
    facts = answer.facts
    if topic in _READING_REPLIES:
        return _reading_reply(_READING_REPLIES[topic], facts[0].value, zh)
    if topic in _TRIP_REPLIES:
        return _trip_reply(topic, facts, zh)
    if topic == "tyres":
        return _tyres_reply(facts, zh)
    if topic == "set_temperature":
        return _set_temperature_reply(facts, zh)
    if topic == "location":
        where = facts[0].value
        if where is None:
            return _pick(_UNKNOWN, zh)
        return f"当前位置：{where}。" if zh else f"We are at {where}."
    if topic in ("home_address", "work_address"):
        saved_zh, saved_en, none_zh, none_en = _PLACES_SAVED[facts[0].name]
        if facts[0].value is None:
            return none_zh if zh else none_en
        return (saved_zh if zh else saved_en).format(v=facts[0].value)
    if topic == "contact_number":
        return _contact_reply(facts[0], zh)
    return _open_check_reply(answer, zh)


def _pick(pair: tuple[str, str], zh: bool) -> str:
    return pair[0] if zh else pair[1]


def _reading_reply(template: tuple[str, str], value: object, zh: bool) -> str:
    if not isinstance(value, int | float):
        return _pick(_UNKNOWN, zh)
    return _pick(template, zh).format(v=format_number(value))


def _trip_reply(topic: str, facts: list[StatusFact], zh: bool) -> str:
    if facts[0].value is None:
        return _pick(_NO_NAVIGATION, zh)
    left = facts[1].value if len(facts) > 1 else None
    if left is None:
        return _pick(_NO_ROUTE, zh)
    return _reading_reply(_TRIP_REPLIES[topic], left, zh)


def _tyre_verdict(fact: StatusFact, zh: bool) -> str:
    low = isinstance(fact.value, int | float) and fact.value < 220
    if zh:
        return "胎压偏低" if low else "胎压偏高"
    return "low" if low else "high"


def _tyres_reply(facts: list[StatusFact], zh: bool) -> str:
    if any(not isinstance(f.value, int | float) for f in facts):
        return _pick(_UNKNOWN, zh)
    odd = [f for f in facts if not f.normal]
    if len({format_number(f.value) for f in facts}) == 1:
        kpa = format_number(facts[0].value)
        verdict = _tyre_verdict(facts[0], zh) if odd else _pick(("正常", "normal"), zh)
        if zh:
            return f"四个轮胎都是{kpa}kPa，{verdict}。"
        return f"All four tyres are at {kpa} kPa, {verdict}."
    places = _PLACES_ZH if zh else _PLACES_EN
    if zh:
        readings = "，".join(f"{places[f.name]}{format_number(f.value)}kPa" for f in facts)
        tail = "，".join(f"{places[f.name]}{_tyre_verdict(f, zh)}" for f in odd)
        return f"胎压：{readings}" + (f"；{tail}。" if odd else "，都正常。")
    readings = ", ".join(f"{places[f.name]} {format_number(f.value)} kPa" for f in facts)
    tail = ", ".join(f"{places[f.name]} is {_tyre_verdict(f, zh)}" for f in odd)
    return f"Tyre pressure: {readings}" + (f"; {tail}." if odd else ", all normal.")


def _set_temperature_reply(facts: list[StatusFact], zh: bool) -> str:
    zones = [f for f in facts if f.name != "climate.power"]
    power = next((f.value for f in facts if f.name == "climate.power"), None)
    if not zones or any(not isinstance(f.value, int | float) for f in zones):
        return _pick(_UNKNOWN, zh)
    if zh:
        if len(zones) == 1:
            text = f"{_ZONES_ZH.get(zones[0].name, '')}温度设定为{format_number(zones[0].value)}度"
        else:
            parts = [f"{_ZONES_ZH.get(f.name, f.name)}{format_number(f.value)}度" for f in zones]
            text = "温度设定：" + "，".join(parts)
        return text + ("，空调目前关着。" if power is False else "。")
    if len(zones) == 1:
        text = f"The {zones[0].name} temperature is set to {format_number(zones[0].value)} °C"
    else:
        parts = [f"{f.name} {format_number(f.value)} °C" for f in zones]
        text = "Temperature set: " + ", ".join(parts)
    return text + ("; the climate is off." if power is False else ".")


def _contact_reply(fact: StatusFact, zh: bool) -> str:
    if fact.value is None:
        if zh:
            return f"通讯录里没有找到{fact.name}。" if fact.name else "通讯录里没有找到这个人。"
        return f"{fact.name or 'That name'} was not found in your contacts."
    return f"{fact.name}的电话是{fact.value}。" if zh else f"{fact.name}'s number is {fact.value}."


# Paths an open check may name that the change labels above do not cover (or cover in
# words made for changes, not for states).
_OPEN_LABELS: dict[str, tuple[str, str]] = {
    "doors.locked": ("车门", "doors"),
    "climate.ac": ("空调制冷", "A/C"),
    "charge_port.open": ("充电口", "charge port"),
    "lights.position": ("示廓灯", "position lights"),
    "lights.fog_front": ("前雾灯", "front fog lights"),
    "lights.fog_rear": ("后雾灯", "rear fog lights"),
    "steering_wheel.heating": ("方向盘加热", "steering wheel heating"),
    "mirrors.heating": ("后视镜加热", "mirror heating"),
    "mirrors.folded": ("后视镜", "mirrors"),
    "fragrance.on": ("香氛", "fragrance"),
    "media.playing": ("媒体播放", "media"),
    "screens.center.on": ("中控屏", "centre screen"),
    "screens.passenger.on": ("副驾屏", "passenger screen"),
    "screens.rear.on": ("后排屏", "rear screen"),
}
# Paths that open and close (the rest switch on and off).
_CLOSING_PREFIXES = ("windows.", "sunroof", "sunshade", "trunk.", "charge_port.", "doors.")
# A subject's one thing word -> what "all of them" is called.
_THINGS: dict[str, tuple[str, str]] = {
    "window": ("车窗", "windows"),
    "windows": ("车窗", "windows"),
    "light": ("车灯", "lights"),
    "lights": ("车灯", "lights"),
    "door": ("车门", "doors"),
    "doors": ("车门", "doors"),
    "screen": ("屏幕", "screens"),
    "screens": ("屏幕", "screens"),
}


def _open_label(path: str, zh: bool) -> str:
    if path in _OPEN_LABELS:
        return _pick(_OPEN_LABELS[path], zh)
    label = _label(path)
    if label is None:
        return path
    return label[0] if zh else label[1]


def _open_state(fact: StatusFact, zh: bool) -> str:
    """How one checked thing stands: open/closed, on/off, locked/unlocked."""
    if fact.name == "doors.locked":
        return _pick(("已锁好", "locked") if fact.normal else ("没锁", "unlocked"), zh)
    if fact.name.startswith(_CLOSING_PREFIXES):
        return _pick(("关着", "closed") if fact.normal else ("开着", "open"), zh)
    return _pick(("关着", "off") if fact.normal else ("开着", "on"), zh)


def _open_check_reply(answer: StatusAnswer, zh: bool) -> str:
    facts = answer.facts
    if not facts:
        return _pick(("这个我查不到。", "I can't check that."), zh)
    shown = [f for f in facts if not f.normal] or (facts if len(facts) == 1 else [])
    if shown:
        gap = "" if zh else " "
        parts = [f"{_open_label(f.name, zh)}{gap}{_open_state(f, zh)}" for f in shown]
        if zh:
            return "，".join(parts) + "。"
        text = ", ".join(parts)
        return text[0].upper() + text[1:] + "."
    closing = all(f.name.startswith(_CLOSING_PREFIXES) for f in facts)
    thing = _THINGS.get((answer.question.subject or "").strip().casefold())
    if zh:
        return f"{thing[0] if thing else ''}{'都关好了' if closing else '都关着'}。"
    if thing:
        return f"All {thing[1]} are {'closed' if closing else 'off'}."
    return "Everything is closed." if closing else "Everything is off."
