"""Seat words of the contract for all six seats and the groups, in both languages."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from tongxue.cabin.actions import CabinAction, SetSeatHeating
from tongxue.dialogue.rules.seat_words import EN_SEAT_WORDS, ZH_SEAT_WORDS

Parse = Callable[..., tuple[CabinAction, ...] | None]

ZH_CONTRACT = {
    "主驾": "driver", "主驾驶": "driver", "司机": "driver", "左前": "driver",
    "副驾": "passenger", "副驾驶": "passenger", "右前": "passenger",
    "左后": "rear_left", "二排左": "rear_left", "后排左侧": "rear_left",
    "右后": "rear_right", "二排右": "rear_right", "后排右侧": "rear_right",
    "三排左": "third_left", "三排右": "third_right",
    "前排": "front", "后排": "rear", "全部": "all", "所有": "all", "全车": "all",
}  # fmt: skip
EN_CONTRACT = {
    "driver": "driver", "front left": "driver",
    "passenger": "passenger", "front passenger": "passenger", "front right": "passenger",
    "rear left": "rear_left", "second row left": "rear_left",
    "rear right": "rear_right", "second row right": "rear_right",
    "third row left": "third_left", "third row right": "third_right",
    "front": "front", "rear": "rear", "back": "rear", "all": "all", "every": "all",
}  # fmt: skip


@pytest.mark.parametrize(("word", "seat"), ZH_CONTRACT.items())
def test_every_contract_seat_word_zh(actions_of: Parse, word: str, seat: str) -> None:
    assert ZH_SEAT_WORDS[word] == (seat,)
    assert actions_of(f"打开{word}座椅加热") == (SetSeatHeating(target=seat, level=2),)


@pytest.mark.parametrize(("word", "seat"), EN_CONTRACT.items())
def test_every_contract_seat_word_en(actions_of: Parse, word: str, seat: str) -> None:
    assert EN_SEAT_WORDS[word] == (seat,)
    text = f"turn on the {word} seat heating"
    assert actions_of(text) == (SetSeatHeating(target=seat, level=2),)


@pytest.mark.parametrize(
    "text", ["打开我的座椅加热", "打开我这边的座椅加热", "打开座椅加热", "turn on my seat heating"]
)
def test_the_speakers_seat_is_no_target(actions_of: Parse, text: str) -> None:
    assert actions_of(text) == (SetSeatHeating(level=2),)


def test_a_pair_of_seats_is_two_actions(actions_of: Parse) -> None:
    both = (SetSeatHeating(target="driver", level=2), SetSeatHeating(target="passenger", level=2))
    assert actions_of("打开主驾和副驾的座椅加热") == both
    assert actions_of("turn on the driver and passenger seat heating") == both
    # Contract v2 names the second row as a group.
    assert actions_of("打开二排座椅加热") == (SetSeatHeating(target="second_row", level=2),)


@pytest.mark.parametrize("text", ["打开主驾副驾座椅加热", "打开我主驾座椅加热"])
def test_unclear_seats_hand_on(actions_of: Parse, text: str) -> None:
    assert actions_of(text) is None


@pytest.mark.parametrize("text", ["主驾风量调到3档", "打开副驾天窗", "turn up the driver volume"])
def test_a_seat_word_on_a_whole_car_device_hands_on(actions_of: Parse, text: str) -> None:
    assert actions_of(text) is None
