"""What the recognizer is told to expect: the cabin's words, as a prompt per language.

Whisper continues the prompt as if it were the text before the audio, so short command
sentences in the car's own words make "打开车窗" far likelier than "阿凯车窗". The prompt also
biases: a word it lacks is misheard as one it has, and its last sentence is what a garbled
clip most often turns into. So every device of the car is in it, with both switching verbs,
and it ends on a question, which the rules never act on.

Hotwords go before the prompt, per turn: the names this car and this speaker use (contacts,
remembered places), which no fixed prompt can hold.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

from tongxue.cabin.seats import Seat
from tongxue.dialogue.memory import Memory, user_for_seat

if TYPE_CHECKING:
    from tongxue.dialogue.agent import CabinAgent

ZH_PROMPT = (
    "你好。打开空调。关闭车窗。打开阅读灯。关闭座椅通风。温度调到二十二度。打开座椅加热。"
    "关闭天窗。打开副驾车窗。打开后排右侧车窗。风量调到三档。打开遮阳帘。音量调大一点。"
    "打开氛围灯。打开后备箱。今天天气怎么样？"
)
EN_PROMPT = (
    "Open the window. Close the sunroof. Turn on the air conditioning. Set the temperature "
    "to 22 degrees. Turn on the seat heating. Turn on the reading light. Open the trunk. "
    "What's the weather like today?"
)
PROMPTS: dict[str, str] = {"zh": ZH_PROMPT, "en": EN_PROMPT}

_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")


_SENTENCE_END = re.compile(r"[。！？!?.;；]\s*")


def _bare_sentences(text: str) -> list[str]:
    """The sentences of `text`, without punctuation, spaces or case."""
    pieces = (re.sub(r"[\W_]+", "", piece).lower() for piece in _SENTENCE_END.split(text))
    return [piece for piece in pieces if piece]


def prompt_echo(text: str, prompt: str) -> bool:
    """Every sentence of `text` is a sentence of `prompt`: Whisper may have copied it.

    Given audio it cannot make out, Whisper writes its prompt's sentences ("Open the trunk."
    for a Chinese window command in noise); a real command can read the same, so an echo is
    trusted only from a clean decoding (see `asr.Hypothesis.heard_clearly`).
    """
    said = _bare_sentences(text)
    known = set(_bare_sentences(prompt))
    return bool(said) and all(sentence in known for sentence in said)


def has_chinese(text: str) -> bool:
    return _CJK.search(text) is not None


class ChineseNormalizer:
    """Traditional characters to simplified (OpenCC), which is what the rules know."""

    def __init__(self) -> None:
        import opencc

        self._converter = opencc.OpenCC("t2s")

    def __call__(self, text: str) -> str:
        return str(self._converter.convert(text)) if has_chinese(text) else text


# --- hotwords: the words of this car and these people, per turn ----------------------------
# A name is a hotword inside a short command in the prompt's style ("给张三打电话"), not bare:
# Whisper continues a list of names as a list ("李四、张三、李四…"). Seat words are only a hint
# on request, as one list: as commands ("打开主驾车窗") they made Whisper hear "打开主驾车窗"
# for "打开车窗" said in the back, which opens the wrong window.
_SEAT_WORDS: dict[Seat, tuple[str, str]] = {
    "driver": ("主驾", "driver"),
    "passenger": ("副驾", "passenger"),
    "rear_left": ("左后", "rear left"),
    "rear_right": ("右后", "rear right"),
    "third_left": ("三排左", "third row left"),
    "third_right": ("三排右", "third row right"),
}
# The arguments of remembered actions that name a place (navigate_to, add_waypoint,
# set_saved_place, navigate_to_saved's fallback).
_PLACE_ARGUMENTS = ("destination", "place", "address", "fallback")
_SAVED_PLACE_NAMES = frozenset({"home", "work"})


def seat_hotwords(seats: Sequence[Seat]) -> list[str]:
    """The rules' words for the car's `seats`, Chinese first."""
    words = [_SEAT_WORDS[seat] for seat in seats if seat in _SEAT_WORDS]
    return [zh for zh, _ in words] + [en for _, en in words]


def contact_hotwords(names: Sequence[str]) -> list[str]:
    """A call to each contact; a Latin name may be said in an English command too."""
    phrases = [f"给{name}打电话" for name in names]
    phrases += [f"Call {name}" for name in names if not has_chinese(name)]
    return phrases


def place_hotwords(places: Sequence[str]) -> list[str]:
    phrases = [f"导航到{place}" for place in places]
    phrases += [f"Navigate to {place}" for place in places if not has_chinese(place)]
    return phrases


def remembered_places(memories: Sequence[Memory]) -> list[str]:
    """Place names in remembered actions, newest first."""
    places: list[str] = []
    for memory in reversed(memories):
        for stored in memory.actions:
            for key in _PLACE_ARGUMENTS:
                value = stored.arguments.get(key)
                if isinstance(value, str) and value.strip() and value not in _SAVED_PLACE_NAMES:
                    places.append(value.strip())
    return places


def cabin_hotwords(agent: CabinAgent, seat: Seat, *, seats: bool = False) -> list[str]:
    """What this turn may name: the contacts, the speaker's remembered places (and the seats).

    Names first: the recognizer keeps as many hotwords as fit its budget.
    """
    state = agent.vehicle.state
    contacts = [contact.name for contact in state.phone.contacts]
    saved = [p for p in (state.navigation.home, state.navigation.work) if p]
    places = remembered_places(agent.memory.recall(user_for_seat(seat))) + saved
    hotwords = [*contact_hotwords(contacts), *place_hotwords(places)]
    if seats:
        words = seat_hotwords(agent.vehicle.profile.seats)
        hotwords.append("、".join(w for w in words if has_chinese(w)))
        hotwords.append(", ".join(w for w in words if not has_chinese(w)))
    return hotwords
