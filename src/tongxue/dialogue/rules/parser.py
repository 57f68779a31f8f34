"""The deterministic parser: a whole utterance to cabin actions, or None to hand it on.

Pipeline: normalise, recognise undo / memory, split into clauses, and understand every
clause fully (a fixed phrase, a play or navigation request, or lexicon tokens that form
one frame). One clause not understood, and the whole turn goes to the model.

Three kinds of clause ask for nothing by themselves when a command stands next to them:
a reason (下雨了), a feeling (it's getting cold, roll the window up) and a complaint
(风太大了，小一点: the complaint only names the fan). Alone, a feeling or a complaint is
the request (有点冷 is +2; 屏幕太亮了 is one step dimmer); a reason alone is not.
"""

from __future__ import annotations

import logging
import unicodedata
from dataclasses import dataclass, fields, replace

from tongxue.cabin.actions import AddWaypoint, CabinAction, NavigateTo, PlayMedia
from tongxue.dialogue.rules.families import families
from tongxue.dialogue.rules.frame import Frame, build_frame
from tongxue.dialogue.rules.freetext import match_media, match_navigation
from tongxue.dialogue.rules.intents import detect_intent
from tongxue.dialogue.rules.interpret import interpret, subject_of
from tongxue.dialogue.rules.normalize import detect_language, normalize, strip_politeness
from tongxue.dialogue.rules.phrases import match_phrase
from tongxue.dialogue.rules.reasons import is_reason
from tongxue.dialogue.rules.scanner import scan_en, scan_zh
from tongxue.dialogue.rules.split import strong_split, weak_split
from tongxue.dialogue.rules.tokens import Dev
from tongxue.dialogue.rules.types import Language, RuleContext, RuleParse

logger = logging.getLogger(__name__)

# Clauses that are pure courtesy ("打开车窗，谢谢") add nothing and do not block a turn.
_COURTESY = frozenset(
    {
        "谢谢", "谢谢你", "好的", "理想同学", "同学", "你好", "麻烦了", "辛苦了", "算了", "嗯",
        "哎", "那个", "thanks", "thank you", "please", "hey tongxue", "tongxue", "ok", "okay",
        "hey", "hi tongxue", "ok tongxue", "hello tongxue", "actually", "ugh", "so", "um", "uh",
        "oh", "well", "hmm", "alright",
    }
)  # fmt: skip
# The request roles a clause like "天窗" borrows from its neighbour in "打开车窗和天窗".
_REQUEST_FIELDS = tuple(
    f.name
    for f in fields(Frame)
    if f.name
    not in {
        "devices",
        "seats",
        "feeling",
        "feel_bit",
        "intens",
        "subject",
        "also",
        "again",
        "pronoun",
        "le",
        "copula",
        "complaint_word",
        "want",
    }
)

Actions = list[CabinAction]
# Longer than any command said in a car; a guard, too, for the segmenter's recursion.
MAX_TEXT_LENGTH = 200
# Immutable, so one shared default is safe.
_NO_CONTEXT = RuleContext()


class RuleParser:
    """Stateless and thread-safe; build one and reuse it."""

    def parse(self, text: str, context: RuleContext = _NO_CONTEXT) -> RuleParse | None:
        normalized = normalize(text)
        if not normalized or len(normalized) > MAX_TEXT_LENGTH:
            return None
        language = detect_language(normalized)
        intent = detect_intent(strip_politeness(normalized, language), language, _preference)
        if intent is not None:
            said = intent.memory_text
            if said is not None:
                said = _as_written(said, text)
            return RuleParse(intent.kind, intent.actions, language, said)
        actions = parse_actions(normalized, language, context.previous_actions)
        if not actions:
            logger.debug("rules hand on %r", text)
            return None
        return RuleParse("actions", tuple(_restore_case(actions, text)), language)


def _preference(text: str, language: Language) -> Actions | None:
    return parse_actions(text, language, ())


@dataclass(frozen=True)
class _Complaint:
    frame: Frame
    device: Dev


@dataclass(frozen=True)
class _Outcome:
    actions: Actions
    feeling: bool = False
    complaint: _Complaint | None = None


def parse_actions(
    text: str, language: Language, previous: tuple[CabinAction, ...]
) -> Actions | None:
    """All actions of a normalised utterance, or None if any clause is not understood."""
    clauses = [strip_politeness(clause, language) for clause in strong_split(text, language)]
    clauses = [clause for clause in clauses if clause and clause not in _COURTESY]
    commands: Actions = []
    feelings: Actions = []
    context = previous
    pending: _Complaint | None = None
    for clause in clauses:
        if is_reason(clause, language):
            continue
        hint = pending.device if pending is not None else None
        outcome = _parse_chunk(clause, language, context, hint)
        if outcome is None:
            return None
        if outcome.complaint is not None:
            if pending is not None:
                return None
            pending = outcome.complaint
            continue
        if pending is not None:
            # The complaint only named what the next clause changes; anything else is a
            # second request left unanswered.
            if families(tuple(outcome.actions)) != [pending.device]:
                return None
            pending = None
        (feelings if outcome.feeling else commands).extend(outcome.actions)
        context = tuple(outcome.actions)
    if pending is not None:
        answered = _answer_complaint(pending, context)
        if answered is None:
            return None
        commands.extend(answered)
    return commands or feelings or None


def _answer_complaint(complaint: _Complaint, context: tuple[CabinAction, ...]) -> Actions | None:
    """太亮了 alone: one step the other way."""
    frame = complaint.frame
    assert frame.sign is not None
    flipped = replace(
        frame,
        sign=-frame.sign,
        intens=False,
        feel_bit=False,
        subject=False,
        also=False,
        copula=False,
        complaint_word=False,
        le=False,
    )
    return interpret(flipped, context, hint=complaint.device)


def _parse_chunk(
    chunk: str, language: Language, previous: tuple[CabinAction, ...], hint: Dev | None
) -> _Outcome | None:
    whole = _parse_clause(chunk, language, previous, hint)
    if whole is not None:
        return whole
    pieces = [strip_politeness(piece, language) for piece in weak_split(chunk, language)]
    if len(pieces) < 2 or hint is not None:
        return None
    actions = _parse_pieces(pieces, language, previous)
    return None if actions is None else _Outcome(actions)


def _parse_clause(
    clause: str, language: Language, previous: tuple[CabinAction, ...], hint: Dev | None
) -> _Outcome | None:
    for matcher in (match_phrase, match_navigation, match_media):
        matched = matcher(clause, language)
        if matched is not None:
            return None if hint is not None else _Outcome(matched)
    frame = _frame(clause, language)
    if frame is None:
        return None
    if frame.is_complaint():
        if hint is not None:
            return None
        subject = subject_of(frame)
        device = _complained_about(subject.device, subject.implies) if subject else None
        return None if device is None else _Outcome([], complaint=_Complaint(frame, device))
    actions = interpret(frame, previous, hint)
    if actions is None:
        return None
    return _Outcome(actions, feeling=frame.feeling is not None)


def _complained_about(device: Dev | None, implies: frozenset[Dev] | None) -> Dev | None:
    if device is not None:
        return device
    if implies is not None and len(implies) == 1:
        return next(iter(implies))
    return None


def _frame(clause: str, language: Language) -> Frame | None:
    tokens = scan_zh(clause) if language == "zh" else scan_en(clause)
    return None if tokens is None else build_frame(tokens)


def _parse_pieces(
    pieces: list[str], language: Language, previous: tuple[CabinAction, ...]
) -> Actions | None:
    """打开车窗和天窗: each piece alone, a bare device borrowing its neighbour's request."""
    parsed: list[Actions | Frame] = []
    for piece in pieces:
        fixed = None
        for matcher in (match_phrase, match_navigation, match_media):
            fixed = matcher(piece, language)
            if fixed is not None:
                break
        if fixed is not None:
            parsed.append(fixed)
            continue
        frame = _frame(piece, language)
        if frame is None or frame.is_complaint() or frame.feeling is not None:
            return None
        parsed.append(frame)
    frames = [item for item in parsed if isinstance(item, Frame)]
    actions: Actions = []
    context = previous
    for item in parsed:
        if isinstance(item, Frame):
            frame = item if item.has_request() or item.also else _borrow(item, frames)
            if frame is None:
                return None
            found = interpret(frame, context)
            if not found:
                return None
        else:
            found = item
        actions.extend(found)
        context = tuple(found)
    return actions


def _borrow(frame: Frame, frames: list[Frame]) -> Frame | None:
    """The frame with the request of the nearest piece that made one, earlier first."""
    index = frames.index(frame)
    donors = [f for f in reversed(frames[:index]) if f.has_request()]
    donors += [f for f in frames[index + 1 :] if f.has_request()]
    if not donors or not frame.devices:
        return None
    donor = donors[0]
    return replace(frame, **{name: getattr(donor, name) for name in _REQUEST_FIELDS})


def _as_written(value: str, original: str) -> str:
    """`value` (found in the lower-cased text) with the user's own capitals."""
    cased = " ".join(unicodedata.normalize("NFKC", original).split())
    folded = cased.lower()
    if len(folded) != len(cased):
        return value
    start = folded.find(value)
    return cased[start : start + len(value)] if start >= 0 else value


def _restore_case(actions: Actions, original: str) -> Actions:
    """Places and titles as the user wrote them (Taylor Swift, not taylor swift)."""

    def as_written(value: str) -> str:
        return _as_written(value, original)

    restored: Actions = []
    for action in actions:
        if isinstance(action, NavigateTo):
            action = NavigateTo(destination=as_written(action.destination))
        elif isinstance(action, AddWaypoint):
            action = AddWaypoint(place=as_written(action.place))
        elif isinstance(action, PlayMedia) and action.query is not None:
            action = PlayMedia(query=as_written(action.query))
        restored.append(action)
    return restored
