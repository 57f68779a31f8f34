"""The tokens a lexicon turns words into, and the vocabulary they share across languages.

A clause is understood only if every part of it becomes one of these tokens; the frame
builder then checks that the tokens fit together.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from typing import Literal

from tongxue.cabin.seats import SeatTarget

# `None` is the speaker's own seat (我 / my / here).
SeatRef = SeatTarget | None


class Dev(Enum):
    """Things in the car a clause can be about, plus a few attribute words."""

    WINDOW = "window"
    SUNROOF = "sunroof"
    SUNSHADE = "sunshade"
    DOOR = "door"
    CHILD_LOCK = "child_lock"
    TRUNK = "trunk"
    CLIMATE = "climate"
    COMPRESSOR = "compressor"
    TEMPERATURE = "temperature"
    FAN = "fan"
    CLIMATE_MODE = "climate_mode"
    RECIRC = "recirculation"
    FRESH_AIR = "fresh_air"
    DEFROST = "defrost"
    DEFROST_FRONT = "defrost_front"
    DEFROST_REAR = "defrost_rear"
    SEAT = "seat"
    SEAT_HEATING = "seat_heating"
    SEAT_VENTILATION = "seat_ventilation"
    SEAT_MASSAGE = "seat_massage"
    HEADLIGHTS = "headlights"
    LOW_BEAM = "low_beam"
    HIGH_BEAM = "high_beam"
    AMBIENT = "ambient"
    READING_LIGHT = "reading_light"
    WIPERS = "wipers"
    MIRRORS = "mirrors"
    VOLUME = "volume"
    DISPLAY = "display"
    # Attribute words: they narrow a device ("氛围灯亮度") and never stand for one alone.
    BRIGHTNESS = "brightness"
    COLOR_ATTR = "color_attr"
    MODE_ATTR = "mode_attr"
    # 门锁 / 车锁: like DOOR, but "打开门锁" unlocks.
    DOOR_LOCK = "door_lock"
    # English words whose device depends on a seat word: "heat my seat" vs "turn up the heat".
    HEAT_WORD = "heat_word"
    HEATING_WORD = "heating_word"
    VENT_WORD = "vent_word"


class Dim(Enum):
    """Which scale a direction word speaks of; devices accept only the scales that fit."""

    HEIGHT = "height"  # 高/低, higher
    SIZE = "size"  # 大/小, bigger
    STRENGTH = "strength"  # 强/弱, stronger
    INCREASE = "increase"  # 增加/减少, increase
    VERTICAL = "vertical"  # 升/降, up/down: for a window, down opens it
    BRIGHT = "bright"  # 亮/暗, brighter
    WARMTH = "warmth"  # 暖/凉, warmer
    LOUDNESS = "loudness"  # 大声/小声, louder
    SPEED = "speed"  # 快/慢, faster


Unit = Literal["percent", "degree", "level"]
QuantityKind = Literal["number", "half", "max", "min"]
ModeWord = Literal["auto", "face", "feet", "face_feet", "windshield", "low", "high"]


@dataclass(frozen=True, slots=True)
class DeviceTok:
    device: Dev


@dataclass(frozen=True, slots=True)
class SeatTok:
    seat: SeatRef


@dataclass(frozen=True, slots=True)
class SwitchTok:
    """Open/close, on/off. `window_only` for words like 降下 / roll down."""

    on: bool
    window_only: bool = False


@dataclass(frozen=True, slots=True)
class SetterTok:
    """调到 / set to: the number that follows is a target, not a change."""


@dataclass(frozen=True, slots=True)
class DirTok:
    """A direction. `complaint_only` words (dark, loud, 吵) describe, they do not ask."""

    sign: int
    dim: Dim
    implies: frozenset[Dev] = frozenset()
    complaint_only: bool = False


@dataclass(frozen=True, slots=True)
class BitTok:
    """一点 / a bit: the device's standard step."""


@dataclass(frozen=True, slots=True)
class FeelBitTok:
    """有点: only with a feeling (有点冷); "温度有点高" is a complaint, not a request."""


@dataclass(frozen=True, slots=True)
class IntensTok:
    """好/太/很, so/too: only with a feeling."""


@dataclass(frozen=True, slots=True)
class FeelingTok:
    """冷 (sign +1: warm the cabin) or 热 (sign -1)."""

    sign: int


@dataclass(frozen=True, slots=True)
class SubjectTok:
    """I'm / it's: only with a feeling."""


@dataclass(frozen=True, slots=True)
class QuantityTok:
    kind: QuantityKind
    value: float | None = None
    unit: Unit | None = None


@dataclass(frozen=True, slots=True)
class UnitTok:
    """An English unit word that must follow a number (degrees, percent)."""

    unit: Unit


@dataclass(frozen=True, slots=True)
class LevelPrefixTok:
    """level / speed / setting: the number that follows is a level."""


@dataclass(frozen=True, slots=True)
class ByTok:
    """by (increase by 2): only with a direction."""


@dataclass(frozen=True, slots=True)
class ColorTok:
    color: str


@dataclass(frozen=True, slots=True)
class ModeTok:
    mode: ModeWord


@dataclass(frozen=True, slots=True)
class LockTok:
    locked: bool


@dataclass(frozen=True, slots=True)
class FoldTok:
    folded: bool


@dataclass(frozen=True, slots=True)
class MuteTok:
    muted: bool


@dataclass(frozen=True, slots=True)
class AgainTok:
    """再 / again / even: leans on the previous turn when no device is named."""


@dataclass(frozen=True, slots=True)
class MoreTok:
    """多 / more: the same direction as the previous change."""


@dataclass(frozen=True, slots=True)
class AlsoTok:
    """也 / too / also: repeat the previous turn for other seats."""


@dataclass(frozen=True, slots=True)
class PronounTok:
    """it / that: the thing of the previous turn."""


@dataclass(frozen=True, slots=True)
class ConjTok:
    """和 / and: only between two seat words."""


@dataclass(frozen=True, slots=True)
class LeTok:
    """了: fine after 关/停 (关了) and in feelings or complaints; "车窗开了" is a statement."""


@dataclass(frozen=True, slots=True)
class CopulaTok:
    """is / are: only in a complaint ("the screen is too dark")."""


@dataclass(frozen=True, slots=True)
class EveryTok:
    """都 / plural "windows": every seat, unless seat words say which."""


@dataclass(frozen=True, slots=True)
class WantTok:
    """I want / give me: switches on a device named with nothing else ("I want fresh air")."""


@dataclass(frozen=True, slots=True)
class ParticleTok:
    """A word that carries no meaning of its own here (的, 把, the, for)."""


Token = (
    DeviceTok
    | SeatTok
    | SwitchTok
    | SetterTok
    | DirTok
    | BitTok
    | FeelBitTok
    | IntensTok
    | FeelingTok
    | SubjectTok
    | QuantityTok
    | UnitTok
    | LevelPrefixTok
    | ByTok
    | ColorTok
    | ModeTok
    | LockTok
    | FoldTok
    | MuteTok
    | AgainTok
    | MoreTok
    | AlsoTok
    | PronounTok
    | ConjTok
    | LeTok
    | CopulaTok
    | WantTok
    | EveryTok
    | ParticleTok
)

# Shared constants, so the lexicons read like tables.
ON = SwitchTok(True)
OFF = SwitchTok(False)
SET = SetterTok()
BIT = BitTok()
FEEL_BIT = FeelBitTok()
INTENS = IntensTok()
SUBJECT = SubjectTok()
AGAIN = AgainTok()
MORE = MoreTok()
ALSO = AlsoTok()
PRONOUN = PronounTok()
CONJ = ConjTok()
PARTICLE = ParticleTok()
LE = LeTok()
COPULA = CopulaTok()
WANT = WantTok()
EVERY = EveryTok()
LEVEL_PREFIX = LevelPrefixTok()
BY = ByTok()
HALF = QuantityTok("half")
MAX = QuantityTok("max")
MIN = QuantityTok("min")
SPEAKER = SeatTok(None)


def dev(device: Dev) -> DeviceTok:
    return DeviceTok(device)


def up(dim: Dim, *implies: Dev) -> DirTok:
    return DirTok(1, dim, frozenset(implies))


def down(dim: Dim, *implies: Dev) -> DirTok:
    return DirTok(-1, dim, frozenset(implies))


def too_much(dim: Dim, *implies: Dev) -> DirTok:
    """An adjective that only complains: 'too loud' asks for the opposite."""
    return DirTok(1, dim, frozenset(implies), complaint_only=True)


def too_little(dim: Dim, *implies: Dev) -> DirTok:
    return DirTok(-1, dim, frozenset(implies), complaint_only=True)
