from __future__ import annotations

import pytest

from tongxue.cabin import SEATS
from tongxue.cabin.seats import (
    is_rear_seat,
    is_rear_window,
    is_seat,
    nearest_seat,
    seats_of,
    window_of,
    zone_of,
)


@pytest.mark.parametrize("speaker", SEATS)
def test_no_target_is_the_speakers_seat(speaker: str) -> None:
    assert seats_of(None, speaker) == (speaker,)  # type: ignore[arg-type]


def test_group_words() -> None:
    assert seats_of("front", "third_left") == ("driver", "passenger")
    assert seats_of("rear", "driver") == ("rear_left", "rear_right", "third_left", "third_right")
    assert seats_of("third_row", "driver") == ("third_left", "third_right")
    assert seats_of("all", "driver") == SEATS
    assert seats_of("rear_right", "driver") == ("rear_right",)


@pytest.mark.parametrize(
    ("seat", "zone"),
    [
        ("driver", "driver"),
        ("passenger", "passenger"),
        ("rear_left", "rear"),
        ("rear_right", "rear"),
        ("third_left", "rear"),
        ("third_right", "rear"),
    ],
)
def test_zone_of_each_seat(seat: str, zone: str) -> None:
    assert zone_of(seat) == zone  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("seat", "own", "nearest"),
    [
        ("driver", "driver", "driver"),
        ("passenger", "passenger", "passenger"),
        ("rear_left", "rear_left", "rear_left"),
        ("rear_right", "rear_right", "rear_right"),
        ("third_left", None, "rear_left"),
        ("third_right", None, "rear_right"),
    ],
)
def test_window_of_each_seat(seat: str, own: str | None, nearest: str) -> None:
    assert window_of(seat, nearest=False) == own  # type: ignore[arg-type]
    assert window_of(seat, nearest=True) == nearest  # type: ignore[arg-type]


def test_rear_means_rows_two_and_three() -> None:
    assert [seat for seat in SEATS if is_rear_seat(seat)] == [
        "rear_left",
        "rear_right",
        "third_left",
        "third_right",
    ]
    assert is_rear_window("rear_left")
    assert not is_rear_window("passenger")
    assert is_seat("third_left")
    assert not is_seat("third_row")


@pytest.mark.parametrize(
    ("seat", "available", "expected"),
    [
        ("third_left", SEATS, "third_left"),
        ("third_left", ("driver", "passenger", "rear_left", "rear_right"), "rear_left"),
        ("third_right", ("driver", "passenger", "rear_left", "rear_right"), "rear_right"),
        ("third_right", ("driver", "passenger"), "passenger"),
        ("rear_left", ("driver", "passenger"), "driver"),
    ],
)
def test_nearest_seat(seat: str, available: tuple[str, ...], expected: str) -> None:
    assert nearest_seat(seat, available) == expected  # type: ignore[arg-type]
