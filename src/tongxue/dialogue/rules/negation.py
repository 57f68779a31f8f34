"""Negations (contract v2, settled case g): "不用开空调" asks for nothing.

A negated request never acts, with two exceptions the contract names: a wish with 了 or
不再 / no longer / anymore about something that is on turns it off ("不想听歌了" pauses,
"座椅不用加热了" sets the heating to 0), and "别这么大声" / "not so loud" is the complaint
"too loud" (one step down). Everything else negated is acknowledged and changes nothing.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from tongxue.cabin.actions import CabinAction, PauseMedia, PlayMedia
from tongxue.dialogue.rules.types import Language

_ZH_NEGATION = re.compile(r"不用|不要|别|不需要|无需|不必|不想|甭|不再")
_EN_NEGATION = re.compile(
    r"\b(?:(?:you |there's |there is )?(?:don't|do not|dont) need to|don't|do not|dont|"
    r"(?:there's )?no need (?:to|for)|never mind|i don't want to|i do not want to)\b\s*"
)
_EN_ANYMORE = re.compile(r"\s*\b(?:any ?more|no longer)\b\s*")
_ZH_SO = re.compile(r"(?:别|不要)(?:这么|那么|太)")
_EN_NOT_SO = re.compile(r"^(?:not|don't be) so ")
# A level or position field at a non-zero value is "on"; these names hold one.
_LEVEL_FIELDS = ("level", "value", "position")
_SWITCH_FIELDS = ("on", "open", "power", "ac", "liked", "playing")
# Choices whose "off" is one of their values: no more natural wind is the normal vent.
_OFF_CHOICES = {"pattern": "normal", "style": "off", "scene": "none"}

Understand = Callable[[str], list[CabinAction] | None]


@dataclass(frozen=True)
class Negated:
    """What a negated clause means: actions to run (may be empty: acknowledge only)."""

    actions: tuple[CabinAction, ...]


def read_negation(clause: str, language: Language, understand: Understand) -> Negated | None:
    """None when `clause` is not a negation of something the rules understand."""
    if language == "zh":
        return _read_zh(clause, understand)
    return _read_en(clause, understand)


def _read_zh(clause: str, understand: Understand) -> Negated | None:
    if _ZH_SO.search(clause):
        # 别这么大声 = 太大声 said as a wish: the complaint, one step the fixing way.
        complaint = understand(_ZH_SO.sub("太", clause, count=1))
        return None if complaint is None else Negated(tuple(complaint))
    match = _ZH_NEGATION.search(clause)
    if match is None:
        return None
    wish_over = clause.endswith("了") or match.group() == "不再"
    rest = (clause[: match.start()] + clause[match.end() :]).removesuffix("了")
    rest = rest.removeprefix("我").removeprefix("再").removeprefix("要")
    return _negate((rest, "打开" + rest), wish_over, understand)


def _read_en(clause: str, understand: Understand) -> Negated | None:
    if _EN_NOT_SO.match(clause):
        complaint = understand(_EN_NOT_SO.sub("it's too ", clause, count=1))
        return None if complaint is None else Negated(tuple(complaint))
    match = _EN_NEGATION.search(clause)
    anymore = _EN_ANYMORE.search(clause)
    if match is None and anymore is None:
        return None
    rest = clause
    if match is not None:
        rest = rest[: match.start()] + rest[match.end() :]
    rest = _EN_ANYMORE.sub(" ", rest).strip()
    rest = re.sub(r"^(?:i )?(?:want|need)(?: to)? ", "", rest)
    return _negate((rest, "turn on " + rest), anymore is not None, understand)


def _negate(readings: tuple[str, str], wish_over: bool, understand: Understand) -> Negated | None:
    # "座椅不用加热了" leaves "座椅加热", a device without a verb: read it as switched on.
    actions = None
    for reading in readings:
        actions = understand(reading.strip()) if reading.strip() else None
        if actions is not None:
            break
    if actions is None:
        return None
    if not wish_over:
        return Negated(())
    turned_off = [_turned_off(action) for action in actions]
    if any(action is None for action in turned_off):
        return Negated(())
    return Negated(tuple(action for action in turned_off if action is not None))


def _turned_off(action: CabinAction) -> CabinAction | None:
    """The same thing switched off, or None when the action has no "off"."""
    if isinstance(action, PlayMedia):
        return PauseMedia()
    given = action.arguments()
    for name in _SWITCH_FIELDS:
        if given.get(name) is True:
            return type(action).model_validate({**given, name: False})
    for name, off in _OFF_CHOICES.items():
        if given.get(name) not in (None, off):
            return type(action).model_validate({**given, name: off})
    for name in _LEVEL_FIELDS:
        value = given.get(name)
        if isinstance(value, int | float) and value > 0:
            return type(action).model_validate({**given, name: 0})
    if given.get("delta") is not None and "level" in type(action).model_fields:
        rest = {key: value for key, value in given.items() if key != "delta"}
        return type(action).model_validate({**rest, "level": 0})
    return None
