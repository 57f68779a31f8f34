"""What the LLM sees: a byte-stable system prompt and tools, then a compact view of the car."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from tongxue.cabin.seats import Seat
from tongxue.dialogue.examples import Example
from tongxue.dialogue.sentences import sentences
from tongxue.dialogue.sessions import Session
from tongxue.engine.protocol import ChatMessage, FunctionCall, MessageToolCall

SYSTEM_PROMPT = """\
You are Tongxue (同学), the voice assistant inside this car. People in different seats talk to \
you in Chinese or English.
- To change anything in the car, call one of the tools. Call only what the person asked for.
- Leave out "target" to act on the speaker's own seat. Use a target only when a seat or \
group (front, rear, all) is named.
- "a bit"/"一点" means a small change: use "delta" (windows 20, temperature 1, volume 10).
- "I'm cold"/"冷" means temperature delta 2; "I'm hot"/"热" means delta -2.
- For greetings, questions and chat, do not call tools: answer in one or two short \
sentences in the person's language, plain text that reads well aloud, no markdown.\
"""

_SEAT_NAMES = {
    "driver": "driver (主驾)",
    "passenger": "front passenger (副驾)",
    "rear_left": "rear left (左后)",
    "rear_right": "rear right (右后)",
    "third_left": "third row left (三排左)",
    "third_right": "third row right (三排右)",
}


def car_summary(state: dict[str, Any]) -> str:
    """The few facts a question may need, short to keep each turn's prompt small."""
    climate = state["climate"]
    zones = ", ".join(
        f"{zone} {climate[zone]['temperature']:g}°C"
        for zone in ("driver", "passenger", "rear")
        if zone in climate
    )
    media = state["media"]
    return (
        f"speed {state['drive']['speed_kmh']:g} km/h, gear {state['drive']['gear']}; "
        f"battery {state['energy']['battery_percent']:g}%, "
        f"fuel {state['energy']['fuel_percent']:g}%, "
        f"range {state['energy']['range_km']:g} km; "
        f"climate {'on' if climate['power'] else 'off'} ({zones}); "
        f"volume {media['volume']}{', playing' if media['playing'] else ''}"
    )


def seat_line(seat: str, car: str = "") -> str:
    return f"[seat: {_SEAT_NAMES.get(seat, seat)}{car}]"


def example_messages(examples: Sequence[Example]) -> list[ChatMessage]:
    """Worked examples as earlier turns: what was said, and the calls that answered it.

    They come after the system prompt and the tools, which stay byte for byte the same on
    every turn and so stay in the model's prompt cache; the examples change with the turn.
    """
    messages: list[ChatMessage] = []
    for number, example in enumerate(examples, 1):
        messages.append(
            ChatMessage(role="user", content=f"{seat_line(example.seat)}\n{example.text}")
        )
        calls = [
            MessageToolCall(
                id=f"example_{number}_{index}",
                function=FunctionCall(
                    name=call.name, arguments=json.dumps(call.arguments, ensure_ascii=False)
                ),
            )
            for index, call in enumerate(example.calls, 1)
        ]
        messages.append(ChatMessage(role="assistant", tool_calls=calls or None))
    return messages


def system_message() -> ChatMessage:
    """The first message of every prompt: the same bytes on every turn (see `warm`)."""
    return ChatMessage(role="system", content=SYSTEM_PROMPT)


def build_messages(
    session: Session,
    text: str,
    seat: Seat,
    state: dict[str, Any] | None,
    history_turns: int = 3,
    examples: Sequence[Example] = (),
    *,
    long_reply: bool = False,
) -> list[ChatMessage]:
    """System prompt, worked examples (if any), the last turns, then this turn.

    Everything that changes from turn to turn comes after the system prompt, whose saved
    state the engine restores; the history is compacted to keep that changing part short.
    """
    messages = [system_message(), *example_messages(examples)]
    for turn in session.turns[-history_turns:]:
        messages.append(ChatMessage(role="user", content=turn.text))
        messages.append(ChatMessage(role="assistant", content=compact_reply(turn.reply)))
    car = f"; car: {car_summary(state)}" if state is not None else ""
    content = f"{seat_line(seat, car)}\n{text}"
    if long_reply:
        content += f"\n{LONG_REPLY_NOTE}"
    messages.append(ChatMessage(role="user", content=content))
    return messages


# A text face may ask for more than the speaker's one or two sentences; said in the turn,
# not in the system prompt, so the saved state of the system prompt still serves.
LONG_REPLY_NOTE = "(On screen: a fuller answer of a short paragraph is welcome.)"
HISTORY_REPLY_CHARS = 80


def compact_reply(reply: str) -> str:
    """An earlier reply as history: its first sentence, cut short (a manual passage or a
    long answer would otherwise be prefilled again on every later turn)."""
    parts = sentences(reply)
    first = parts[0] if parts else reply
    return first if len(first) <= HISTORY_REPLY_CHARS else first[:HISTORY_REPLY_CHARS] + "…"
