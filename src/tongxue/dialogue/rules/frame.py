"""Collects a clause's tokens into one frame, refusing tokens that contradict each other."""

from __future__ import annotations

from dataclasses import dataclass, field
from itertools import pairwise
from typing import TypeVar

from tongxue.dialogue.rules.tokens import (
    AgainTok,
    AlsoTok,
    BitTok,
    ByTok,
    ColorTok,
    ConjTok,
    CopulaTok,
    Dev,
    DeviceTok,
    Dim,
    DirTok,
    EveryTok,
    FeelBitTok,
    FeelingTok,
    FoldTok,
    IntensTok,
    LeTok,
    LevelPrefixTok,
    LockTok,
    ModeTok,
    ModeWord,
    MoreTok,
    MuteTok,
    ParticleTok,
    PronounTok,
    QuantityTok,
    SeatRef,
    SeatTok,
    SetterTok,
    SubjectTok,
    SwitchTok,
    Token,
    UnitTok,
    WantTok,
)

_T = TypeVar("_T")
_ALSO = AlsoTok()


class Conflict(Exception):
    """Two tokens of one clause say different things (开 and 关, 22度 and 一点)."""


@dataclass
class Frame:
    """Everything one clause said, by role. Empty fields were not said."""

    devices: list[Dev] = field(default_factory=list)
    seats: list[SeatRef] = field(default_factory=list)
    switch: bool | None = None
    window_only_switch: bool = False
    setter: bool = False
    sign: int | None = None
    dims: set[Dim] = field(default_factory=set)
    implies: frozenset[Dev] | None = None
    bit: bool = False
    feel_bit: bool = False
    intens: bool = False
    subject: bool = False
    feeling: int | None = None
    quantity: QuantityTok | None = None
    by: bool = False
    color: str | None = None
    mode: ModeWord | None = None
    lock: bool | None = None
    fold: bool | None = None
    mute: bool | None = None
    again: bool = False
    more: bool = False
    also: bool = False
    pronoun: bool = False
    le: bool = False
    copula: bool = False
    complaint_word: bool = False
    want: bool = False
    every: bool = False

    def is_complaint(self) -> bool:
        """太亮了 / the music's too loud: a direction said as a complaint, nothing else."""
        intensified = self.intens or self.feel_bit or (self.also and (self.copula or self.subject))
        return (
            self.sign is not None
            and intensified
            and self.feeling is None
            and self.switch is None
            and not (self.setter or self.bit or self.more or self.by)
            and self.quantity is None
            and self.color is None
            and self.mode is None
            and self.lock is None
            and self.fold is None
            and self.mute is None
        )

    def has_request(self) -> bool:
        """True when the clause asks for some change, not only names things."""
        return (
            self.switch is not None
            or self.setter
            or self.sign is not None
            or self.bit
            or self.feeling is not None
            or self.quantity is not None
            or self.color is not None
            or self.mode is not None
            or self.lock is not None
            or self.fold is not None
            or self.mute is not None
            or self.more
        )


def _same(current: _T | None, new: _T) -> _T:
    if current is not None and current != new:
        raise Conflict(f"{current!r} vs {new!r}")
    return new


def _attach_units(tokens: list[Token]) -> list[Token]:
    """English units and level prefixes become part of their number (22 degrees, level 3)."""
    merged: list[Token] = []
    index = 0
    while index < len(tokens):
        token = tokens[index]
        if isinstance(token, UnitTok):
            previous = merged[-1] if merged else None
            if not (
                isinstance(previous, QuantityTok)
                and previous.kind == "number"
                and previous.unit is None
            ):
                raise Conflict("unit without a number")
            merged[-1] = QuantityTok("number", previous.value, token.unit)
        elif isinstance(token, LevelPrefixTok):
            following = tokens[index + 1] if index + 1 < len(tokens) else None
            if not (
                isinstance(following, QuantityTok)
                and following.kind == "number"
                and following.unit is None
            ):
                raise Conflict("level without a number")
            merged.append(QuantityTok("number", following.value, "level"))
            index += 1
        else:
            merged.append(token)
        index += 1
    return merged


def _check_counts(tokens: list[Token]) -> None:
    """A bare number right before a device or seat counts things (四车窗, 2 windows)."""
    for token, following in pairwise(tokens):
        if (
            isinstance(token, QuantityTok)
            and token.kind == "number"
            and token.unit is None
            and isinstance(following, DeviceTok | SeatTok)
        ):
            raise Conflict("a count, not an amount")


def _collect_seats(tokens: list[Token]) -> list[SeatRef]:
    """Seat words: one run joined by 和/and; a repeat elsewhere must name the same seats."""
    runs: list[list[SeatRef]] = []
    previous: Token | None = None
    for index, token in enumerate(tokens):
        if isinstance(token, ConjTok):
            following = tokens[index + 1] if index + 1 < len(tokens) else None
            if not (isinstance(previous, SeatTok) and isinstance(following, SeatTok)):
                raise Conflict("和/and outside a list of seats")
        elif isinstance(token, SeatTok):
            if isinstance(previous, ConjTok):
                runs[-1].append(token.seat)
            elif isinstance(previous, SeatTok):
                raise Conflict("two seat words in a row")
            else:
                runs.append([token.seat])
        previous = token
    if not runs:
        return []
    first = runs[0]
    if any(set(run) != set(first) for run in runs[1:]):
        raise Conflict("different seats named")
    unique: list[SeatRef] = []
    for seat in first:
        if seat not in unique:
            unique.append(seat)
    return unique


def build_frame(raw_tokens: list[Token]) -> Frame | None:
    """The frame of a clause, or None when its tokens contradict each other."""
    try:
        tokens = _attach_units(raw_tokens)
        if tokens and isinstance(tokens[0], ConjTok):
            # A turn that starts with 和/and adds to the previous one: "and the rear to 20".
            tokens[0] = _ALSO

        _check_counts(tokens)
        frame = Frame(seats=_collect_seats(tokens))
        for token in tokens:
            _apply(frame, token)
    except Conflict:
        return None
    return frame


def _apply(frame: Frame, token: Token) -> None:
    if isinstance(token, DeviceTok):
        if token.device not in frame.devices:
            frame.devices.append(token.device)
    elif isinstance(token, SwitchTok):
        frame.switch = _same(frame.switch, token.on)
        frame.window_only_switch = frame.window_only_switch or token.window_only
    elif isinstance(token, SetterTok):
        frame.setter = True
    elif isinstance(token, DirTok):
        frame.sign = _same(frame.sign, token.sign)
        frame.dims.add(token.dim)
        frame.complaint_word = frame.complaint_word or token.complaint_only
        if token.implies:
            known = frame.implies
            frame.implies = token.implies if known is None else known & token.implies
            if not frame.implies:
                raise Conflict("direction words point at different things")
    elif isinstance(token, QuantityTok):
        frame.quantity = _quantity(frame.quantity, token)
    elif isinstance(token, FeelingTok):
        frame.feeling = _same(frame.feeling, token.sign)
    elif isinstance(token, ColorTok):
        frame.color = _same(frame.color, token.color)
    elif isinstance(token, ModeTok):
        frame.mode = _same(frame.mode, token.mode)
    elif isinstance(token, LockTok):
        frame.lock = _same(frame.lock, token.locked)
    elif isinstance(token, FoldTok):
        frame.fold = _same(frame.fold, token.folded)
    elif isinstance(token, MuteTok):
        frame.mute = _same(frame.mute, token.muted)
    else:
        _apply_flag(frame, token)


def _apply_flag(frame: Frame, token: Token) -> None:
    if isinstance(token, BitTok):
        frame.bit = True
    elif isinstance(token, FeelBitTok):
        frame.feel_bit = True
    elif isinstance(token, IntensTok):
        frame.intens = True
    elif isinstance(token, SubjectTok):
        frame.subject = True
    elif isinstance(token, ByTok):
        frame.by = True
    elif isinstance(token, AgainTok):
        frame.again = True
    elif isinstance(token, MoreTok):
        frame.more = True
    elif isinstance(token, AlsoTok):
        frame.also = True
    elif isinstance(token, PronounTok):
        frame.pronoun = True
    elif isinstance(token, LeTok):
        frame.le = True
    elif isinstance(token, CopulaTok):
        frame.copula = True
    elif isinstance(token, WantTok):
        frame.want = True
    elif isinstance(token, EveryTok):
        frame.every = True
    elif isinstance(token, SeatTok | ConjTok | ParticleTok):
        pass  # seats were collected up front; particles mean nothing on their own
    else:  # pragma: no cover - every token class is handled above
        raise Conflict(f"unhandled token {token!r}")


def _quantity(current: QuantityTok | None, new: QuantityTok) -> QuantityTok:
    if current is None or current == new:
        return new
    raise Conflict("two amounts")
