"""Seat mentions decide whether a model's `target` was actually said."""

from __future__ import annotations

import pytest

from tongxue.dialogue.rules.mentions import names_a_seat


@pytest.mark.parametrize(
    "text",
    ["副驾太热了", "后排的窗户开一点", "warm the rear seats", "all windows down", "driver side"],
)
def test_named_seats_are_found(text: str) -> None:
    assert names_a_seat(text)


@pytest.mark.parametrize(
    "text",
    [
        "我腰好酸，给我按按",
        "太黑了看不清书",
        "it's too dark to read over here",
        "my back is killing me, can I get a massage",
        "I can barely hear the music",
    ],
)
def test_speaker_words_and_bodies_are_not_seats(text: str) -> None:
    assert not names_a_seat(text)
