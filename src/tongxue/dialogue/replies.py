"""Spoken replies for what the car did, in the user's language, short enough to read aloud."""

from __future__ import annotations

from collections.abc import Sequence

from tongxue.cabin.policy import Refusal
from tongxue.cabin.results import ActionResult, Clamp, StateChange
from tongxue.dialogue.language import Language

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
}

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
    return f"{en}: {new}"


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


def action_reply(results: Sequence[ActionResult], language: Language) -> str:
    """One short sentence covering every action of a turn."""
    parts: list[str] = []
    problems: list[str] = []
    for result in results:
        if result.status in ("refused", "unsupported"):
            problems.append(refusal_reason(result.reason_code, result.reason, language))
            continue
        if not result.changes:
            if result.clamped:
                parts.append(_describe_clamp_only(result.clamped[0], language))
            else:
                parts.append(_already(result, language))
            continue
        described = [_describe(change, language) for change in result.changes[:4]]
        note = "".join(_clamp_note(c, language) for c in result.clamped[:1])
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


def apology(language: Language) -> str:
    if language == "zh":
        return "抱歉，我没能理解，请换个说法再试一次。"
    return "Sorry, I didn't catch that. Could you say it another way?"
