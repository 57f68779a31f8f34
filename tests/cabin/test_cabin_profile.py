from __future__ import annotations

from pathlib import Path

import pytest

from tongxue.cabin import (
    DEFAULT_PROFILE,
    SEATS,
    CarProfile,
    ProfileError,
    builtin_profiles,
    load_builtin_profile,
    load_profile,
    resolve_profile,
)


def test_default_profile_is_the_contracts_six_seat_suv() -> None:
    assert DEFAULT_PROFILE.id == "suv6"
    assert DEFAULT_PROFILE.ordered_seats == SEATS
    assert DEFAULT_PROFILE.has_third_row
    for feature in ("sunroof", "sunshade", "ambient_light"):
        assert DEFAULT_PROFILE.has(feature)  # type: ignore[arg-type]
    for seat_feature in ("seat_heating", "seat_ventilation", "seat_massage"):
        assert DEFAULT_PROFILE.seats_with(seat_feature) == SEATS  # type: ignore[arg-type]


def test_builtin_profiles_ship_suv_and_sedan() -> None:
    assert {"suv6", "sedan5"} <= set(builtin_profiles())


def test_sedan_has_no_third_row_and_less_equipment() -> None:
    sedan = load_builtin_profile("sedan5")
    assert sedan.ordered_seats == ("driver", "passenger", "rear_left", "rear_right")
    assert not sedan.has_third_row
    assert not sedan.has("sunshade")
    assert not sedan.has("seat_massage")
    assert sedan.seats_with("seat_ventilation") == ("driver", "passenger")
    assert "third_left" not in sedan.initial_state().to_dict()["seats"]


def test_load_profile_from_toml(tmp_path: Path) -> None:
    path = tmp_path / "coupe.toml"
    path.write_text(
        'id = "coupe"\nname = "Coupe"\nseats = ["passenger", "driver"]\n'
        '[equipment]\nsunroof = false\nseat_massage = ["driver"]\n',
        encoding="utf-8",
    )
    profile = load_profile(path)
    assert profile.ordered_seats == ("driver", "passenger")
    assert not profile.has("sunroof")
    assert profile.has("sunshade")  # not listed: fitted by default
    assert profile.seats_with("seat_heating") == ("driver", "passenger")  # every seat
    assert profile.seats_with("seat_massage") == ("driver",)
    assert resolve_profile(path) == profile
    assert resolve_profile("sedan5").id == "sedan5"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('id = "x"\nname = "X"\nseats = ["passenger", "rear_left"]\n', "front seats"),
        ('id = "x"\nname = "X"\nseats = ["driver", "passenger", "driver"]\n', "twice"),
        ('id = "x"\nname = "X"\nseats = ["driver", "passenger", "boot"]\n', "seats"),
        (
            'id = "x"\nname = "X"\nseats = ["driver", "passenger"]\n'
            '[equipment]\nseat_massage = ["rear_left"]\n',
            "does not have",
        ),
        ('id = "x"\nname = "X"\ncolour = "red"\n', "colour"),
        ('name = "X"\n', "id"),
        ("id = = 3\n", "not valid TOML"),
    ],
)
def test_bad_profiles_raise_profile_error(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "bad.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ProfileError, match=message):
        load_profile(path)


def test_missing_profiles_raise_profile_error(tmp_path: Path) -> None:
    with pytest.raises(ProfileError, match="cannot read"):
        load_profile(tmp_path / "absent.toml")
    with pytest.raises(ProfileError, match="no built-in car profile"):
        load_builtin_profile("spaceship")


def test_profile_is_immutable() -> None:
    with pytest.raises(ValueError):
        DEFAULT_PROFILE.seats = ("driver",)  # type: ignore[misc]
    assert isinstance(DEFAULT_PROFILE, CarProfile)
