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
import re
import unicodedata
from dataclasses import dataclass, fields, replace
from functools import lru_cache

from tongxue.cabin.actions import CabinAction
from tongxue.dialogue.rules.compound import may_cut, may_hide_another, segment, verb_before
from tongxue.dialogue.rules.families import families
from tongxue.dialogue.rules.frame import Frame, build_frame
from tongxue.dialogue.rules.freetext import match_media, match_navigation
from tongxue.dialogue.rules.intents import detect_intent
from tongxue.dialogue.rules.interpret import interpret, subject_of
from tongxue.dialogue.rules.negation import read_negation
from tongxue.dialogue.rules.normalize import detect_language, normalize, strip_politeness
from tongxue.dialogue.rules.phrases import match_phrase
from tongxue.dialogue.rules.reasons import is_reason
from tongxue.dialogue.rules.scanner import scan_en, scan_zh
from tongxue.dialogue.rules.split import strong_split, weak_split
from tongxue.dialogue.rules.template_slots import SeatUnsupported, plain_seat_words
from tongxue.dialogue.rules.templates import match_template
from tongxue.dialogue.rules.tokens import Dev
from tongxue.dialogue.rules.types import (
    ActionPart,
    Language,
    NegationPart,
    Part,
    ProviderPart,
    QuestionPart,
    RuleContext,
    RuleParse,
    UnknownPart,
    UnsupportedPart,
)

logger = logging.getLogger(__name__)

# Clauses that are pure courtesy ("打开车窗，谢谢") add nothing and do not block a turn.
_COURTESY = frozenset(
    {
        "谢谢", "谢谢你", "好的", "理想同学", "同学", "你好", "麻烦了", "辛苦了", "算了", "嗯",
        "哎", "那个", "那", "哎呀", "呀", "哎哟", "啊", "呃", "唉", "哦", "喂", "嗨", "嘿",
        "你好同学", "同学同学", "导航", "开始导航", "would you", "will you", "could you",
        "can you", "never mind", "好吗", "行吗", "可以吗", "right", "thanks", "thank you",
        "please", "hey tongxue", "tongxue", "ok", "okay",
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

    @staticmethod
    def forget() -> None:
        """Empty the caches of pieces already read (benchmarks time a cold parse)."""
        _read_piece.cache_clear()
        match_template.cache_clear()
        strip_politeness.cache_clear()

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
        clauses = _clauses(normalized, language)
        if len(clauses) > 1:
            # "先去A，再去B" / "first the bank, then the airport": one template that
            # spans the clauses and asks for several things at once reads them together.
            spanning = match_template(strip_politeness(normalized, language), language, context)
            if isinstance(spanning, ActionPart) and len(spanning.actions) > 1:
                restored = tuple(_restore_case(list(spanning.actions), text))
                return RuleParse("actions", restored, language, parts=(ActionPart(restored),))
        if len(clauses) == 1 and clauses[0] != normalized:
            # "Never mind, undo that": the one clause that asks for something is the turn.
            intent = detect_intent(clauses[0], language, _preference)
            if intent is not None and intent.kind == "undo":
                return RuleParse("undo", (), language)
        templated = [match_template(clause, language, context) for clause in clauses]
        parts = _read_parts(clauses, language, context, text)
        if len(clauses) > 1 and all(isinstance(p, QuestionPart | UnknownPart) for p in parts):
            # "外面多少度，冷不冷" / "the car feels wobbly, is a tyre going flat": a question
            # template that spans the clauses (a tag question, a lead-in) asks one question;
            # the tag or lead-in adds nothing to it, alone or beside it.
            joined = (", " if language == "en" else ",").join(clauses)
            spanning = match_template(joined, language, context)
            if isinstance(spanning, QuestionPart):
                return RuleParse("actions", (), language, parts=(spanning,))
        actions = tuple(a for part in parts if isinstance(part, ActionPart) for a in part.actions)
        if not any(templated) and len(parts) <= len(clauses):
            # With no clause cut in two and no template, a v1 request reads best whole:
            # a complaint and its fix, a reason beside a command, 和 across clauses.
            whole = parse_actions(normalized, language, context.previous_actions)
            if whole:
                restored = tuple(_restore_case(whole, text))
                return RuleParse("actions", restored, language, parts=(ActionPart(restored),))
        if all(isinstance(part, UnknownPart) for part in parts):
            logger.debug("rules hand on %r", text)
            return None
        return RuleParse("actions", actions, language, parts=tuple(parts))


# "导航去附近的加油站" is navigation, whatever it names (contract v2: 导航到/去/带我去 X).
_NAVIGATE_FIRST = re.compile(
    r"^(?:导航|开车去|带我去|送我去|去|到)|^(?:navigate|take me|drive me|go to|head to)\b"
)


def _navigates(part: Part, text: str) -> bool:
    """A place search said as a navigation request: the navigation wins."""
    return (
        isinstance(part, ProviderPart)
        and part.kind == "places"
        and bool(_NAVIGATE_FIRST.match(text))
    )


def _is_courtesy(clause: str) -> bool:
    return clause.rstrip("?？ ") in _COURTESY


def _clauses(normalized: str, language: Language) -> list[str]:
    """The clauses that ask for something: courtesy and reasons (下雨了) dropped."""
    clauses = [strip_politeness(clause, language) for clause in strong_split(normalized, language)]
    return [
        clause
        for clause in clauses
        if clause
        and not _is_courtesy(clause)
        # "太吵了" reads like a reason, but a template knows it as a complaint.
        and (not is_reason(clause, language) or match_template(clause, language, _NO_CONTEXT))
    ]


def _read_parts(
    clauses: list[str],
    language: Language,
    context: RuleContext,
    original: str,
) -> list[Part]:
    """Every clause as parts in spoken order; each part sees the actions before it."""
    parts: list[Part] = []
    previous = context.previous_actions
    for clause in clauses:
        for part in _clause_parts(clause, language, context, previous):
            if isinstance(part, ActionPart):
                restored = tuple(_restore_case(list(part.actions), original))
                part = ActionPart(restored, part.text)
                if restored:
                    previous = restored
            parts.append(part)
    return parts


def _clause_parts(
    clause: str, language: Language, context: RuleContext, previous: tuple[CabinAction, ...]
) -> list[Part]:
    """One clause: read whole, else as a negation, else cut into a run-on compound."""
    whole = _read_piece(clause, language, context, previous)

    def understands(piece: str) -> bool:
        return _read_borrowing(piece, clause, language, context, previous) is not None

    worth_cutting = whole is None or may_hide_another(clause, language)
    cut = (
        segment(clause, language, understands)
        if worth_cutting and may_cut(clause, language)
        else None
    )
    # Read the pieces again in order, each leaning on the one before ("打开座椅加热，调到
    # 三档" means the heating), as they would be if said with a pause.
    pieces = None if cut is None else _chained(cut, clause, language, context, previous)
    templated = match_template(clause, language, context) is not None
    if whole is not None and _whole_wins(whole, pieces, templated):
        return [whole]
    if whole is None and (pieces is None or any(part is None for _, part in pieces)):
        joined = _joined_parts(clause, language, context, previous)
        if joined is not None:
            return joined
    if pieces is None:
        return [UnknownPart(clause)] if whole is None else [whole]
    return _said_once([part if part is not None else UnknownPart(text) for text, part in pieces])


def _whole_wins(whole: Part, pieces: list[tuple[str, Part | None]] | None, templated: bool) -> bool:
    """Whether the clause read whole says it all, rather than its cut into pieces.

    "打开空调打开外循环" reads whole as one request: the parser must not drop the other
    silently, so a cut whose every piece is understood and that asks for more wins. A
    sentence template matching the whole clause, and a whole question, negation or
    out-of-contract request, say it all, unless a place or weather request swallowed a
    command ("打开雾灯明天会下雨吗").
    """
    if _swallows_a_command(whole, pieces):
        return False
    if templated or pieces is None or any(part is None for _, part in pieces):
        return True
    if not isinstance(whole, ActionPart):
        return True
    return not _more_kinds([part for _, part in pieces], whole)


def _joined_parts(
    clause: str, language: Language, context: RuleContext, previous: tuple[CabinAction, ...]
) -> list[Part] | None:
    """ "打开充电口和香氛", "turn on the fog lights and will it rain": each side of 和 / and
    read alone (a bare device borrows the verb before it); None unless every side is."""
    sides = weak_split(clause, language)
    if len(sides) < 2:
        return None
    parts: list[Part] = []
    for side in sides:
        part = _read_borrowing(side, clause, language, context, previous)
        if part is None:
            return None
        parts.append(part)
        if isinstance(part, ActionPart) and part.actions:
            previous = part.actions
    return parts


# The fields that say which thing an action is about (the rest say what to make of it).
_ABOUT_FIELDS = ("target", "channel", "screen", "window", "function", "place")


def _said_once(parts: list[Part]) -> list[Part]:
    """The same change said twice in one clause counts once, and a self-correction keeps
    the last value (contract v2): of two actions of one kind on one target, the later."""

    def key(action: CabinAction) -> tuple[object, ...]:
        # What a change is about, not its value: two volumes of different channels differ,
        # and so do a seat's fore-aft and its backrest.
        about = (getattr(action, field, None) for field in _ABOUT_FIELDS)
        return (action.name, *about, tuple(sorted(action.arguments())))

    later: set[tuple[object, ...]] = set()
    kept: list[Part] = []
    for part in reversed(parts):
        if isinstance(part, ActionPart):
            actions = tuple(a for a in part.actions if key(a) not in later)
            later.update(key(a) for a in part.actions)
            if not actions:
                continue
            part = ActionPart(actions, part.text)
        kept.append(part)
    return kept[::-1]


def _read_borrowing(
    piece: str,
    clause: str,
    language: Language,
    context: RuleContext,
    previous: tuple[CabinAction, ...],
) -> Part | None:
    """A piece of a run-on clause; a bare device borrows the verb said before it
    ("打开座椅按摩座椅通风": the ventilation is opened too)."""
    found = _read_piece(piece, language, context, previous)
    if found is not None:
        return found
    verb = verb_before(clause, piece, language)
    if verb is None:
        return None
    # "…and the steering wheel heating too": with the verb borrowed, "too" adds nothing.
    bare = _ALSO_AT_END.sub("", piece)
    return _read_piece(verb + bare, language, context, previous)


_ALSO_AT_END = re.compile(r"(?:\s+(?:too|as well|also)|也)$")


def _swallows_a_command(whole: Part, pieces: list[tuple[str, Part | None]] | None) -> bool:
    """ "打开雾灯明天会下雨吗" read whole is a weather question about "打开雾灯明天": a cut
    into a command and the same kind of request says what was really asked."""
    if not isinstance(whole, ProviderPart) or pieces is None:
        return False
    found = [part for _, part in pieces]
    return (
        None not in found
        and any(isinstance(part, ActionPart) for part in found)
        and any(isinstance(part, ProviderPart) for part in found)
    )


def _chained(
    cut: list[tuple[str, bool]],
    clause: str,
    language: Language,
    context: RuleContext,
    previous: tuple[CabinAction, ...],
) -> list[tuple[str, Part | None]]:
    chained: list[tuple[str, Part | None]] = []
    for text, understood in cut:
        part = _read_borrowing(text, clause, language, context, previous) if understood else None
        chained.append((text, part))
        if isinstance(part, ActionPart) and part.actions:
            previous = part.actions
    return chained


def _more_kinds(pieces: list[Part | None], whole: Part) -> bool:
    """The pieces ask for a kind of thing the whole reading does not."""

    def kinds(part: Part | None) -> set[type]:
        if isinstance(part, ActionPart):
            return {type(action) for action in part.actions}
        # A cut piece read as a question or a negation ("前排温度" of "前排温度调到21度")
        # is a piece of the request, not a second one.
        if part is None or isinstance(part, QuestionPart | NegationPart):
            return set()
        return {type(part)}

    found = set().union(*(kinds(piece) for piece in pieces))
    return bool(found - kinds(whole))


# Pure and asked again for the same piece while a clause is cut: the answer is kept.
@lru_cache(maxsize=16_384)
def _read_piece(
    text: str, language: Language, context: RuleContext, previous: tuple[CabinAction, ...]
) -> Part | None:
    """A clause or a piece of one, understood whole, or None."""
    text = strip_politeness(text, language)
    if not text or _is_courtesy(text):
        return None
    template = match_template(text, language, context)
    if template is not None and not _navigates(template, text):
        return template
    try:
        plain = plain_seat_words(text, language, replace(context, previous_actions=previous))
    except SeatUnsupported:
        return UnsupportedPart("no such seat", text)
    actions = parse_actions(plain, language, previous)
    if actions:
        return ActionPart(tuple(actions), text)

    def understand(piece: str) -> list[CabinAction] | None:
        found = match_template(piece, language, context)
        if isinstance(found, ActionPart):
            return list(found.actions)
        return parse_actions(piece, language, previous) if found is None else None

    negated = read_negation(text, language, understand)
    if negated is None:
        return None
    return ActionPart(negated.actions, text) if negated.actions else NegationPart(text)


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
    clauses = [clause for clause in clauses if clause and not _is_courtesy(clause)]
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
        said = {
            field: as_written(value)
            for field in _FREE_TEXT_FIELDS
            if isinstance(value := getattr(action, field, None), str) and value != FAVORITES
        }
        restored.append(action.model_copy(update=said) if said else action)
    return restored


# The favourites playlist is a name of the contract, not words as said.
FAVORITES = "favorites"
# Fields that hold words as the user said them (a place, a title, a name).
_FREE_TEXT_FIELDS = ("destination", "place", "query", "playlist", "address", "fallback")
