"""What a remembered preference is about, so a newer one replaces it and "forget" finds it."""

from __future__ import annotations

from collections.abc import Sequence

from tongxue.cabin.actions import CabinAction

# Words that name a topic when someone asks to forget it; topics are action names.
_TOPIC_WORDS: dict[str, tuple[str, ...]] = {
    "set_temperature": ("温度", "度", "temperature", "degree", "warm", "cold"),
    "set_volume": ("音量", "声音", "volume", "loud"),
    "set_fan_speed": ("风量", "风速", "fan"),
    "set_seat_heating": ("加热", "heating", "heated"),
    "set_seat_ventilation": ("通风", "ventilation", "cooling seat"),
    "set_seat_massage": ("按摩", "massage"),
    "set_ambient_light": ("氛围灯", "ambient"),
    "set_display_brightness": ("屏幕", "display", "screen"),
    "play_media": ("歌", "音乐", "music", "song", "play"),
    "set_window": ("车窗", "窗", "window"),
    "set_climate": ("空调", "air conditioning", " ac"),
}


_EVERYTHING = (
    "所有",
    "全部",
    "一切",
    "习惯",
    "偏好",
    "everything",
    " all",
    "habits",
    "usual",
    "preferences",
    "about me",
)


def topic_of(actions: Sequence[CabinAction]) -> str:
    return "+".join(sorted({action.name for action in actions}))


def forget_topics(text: str, actions: Sequence[CabinAction]) -> list[str] | None:
    """The topics to forget, or None for everything ("忘掉我的习惯", "forget everything")."""
    if actions:
        return [topic_of(actions), *(a.name for a in actions)]
    lowered = f" {text.lower()}"
    topics = [topic for topic, words in _TOPIC_WORDS.items() if any(w in lowered for w in words)]
    if topics:
        return topics
    # Forgetting everything must be asked for; an unclear request forgets nothing.
    return None if any(w in lowered for w in _EVERYTHING) else []
