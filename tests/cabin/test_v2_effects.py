"""Contract v2's actions: the paths each writes, fitted-only seats, and what is unsupported."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, cast

import pytest

from support.cabin_writes import assert_unsupported, assert_writes_only
from tongxue.cabin import (
    ActionContext,
    ActionResult,
    AnswerCall,
    CabinAction,
    CallContact,
    CancelNavigation,
    DialNumber,
    EndCall,
    NavigateTo,
    NavigateToSaved,
    PlayMedia,
    PlayVideo,
    RecallSeatMemory,
    Redial,
    RemoveWaypoints,
    ResetSeatPosition,
    SaveRadioPreset,
    SelectRadioPreset,
    SetAmbientLight,
    SetChargePort,
    SetClimatePreset,
    SetConsole,
    SetDriveMode,
    SetDriverAssistance,
    SetEngineSound,
    SetEqualizer,
    SetExteriorLights,
    SetFanSpeed,
    SetFavorite,
    SetFragrance,
    SetLumbar,
    SetMassageMode,
    SetMediaSource,
    SetMirrorHeating,
    SetNavigationVoice,
    SetPedestrianAlert,
    SetPlayMode,
    SetPowerMode,
    SetRegen,
    SetRoutePreferences,
    SetSavedPlace,
    SetScene,
    SetScreen,
    SetScreenBrightness,
    SetSeatPosition,
    SetSteeringWheelHeating,
    SetTrafficLayer,
    SetVentPattern,
    SetVolume,
    ShowScreenPage,
    SkipTrack,
    SlidePassengerScreen,
    TuneRadio,
    Vehicle,
)
from tongxue.cabin.actions import V2_ACTION_CLASSES
from tongxue.cabin.seats import Seat

Run = Callable[..., ActionResult]
ZONES = ("driver", "passenger", "rear")

# (setup paths, action, expected writes) from the driver in a parked default car.
V2_PATH_CASES: list[tuple[dict[str, Any], CabinAction, dict[str, Any]]] = [
    # seats
    ({}, SetSeatPosition(backrest=10), {"seats.driver.backrest": 10}),
    ({}, SetSeatPosition(backrest_delta=1), {"seats.driver.backrest": 4}),
    ({}, SetSeatPosition(fore_aft_delta=-20), {"seats.driver.fore_aft": 30}),
    (
        {},
        SetSeatPosition(target="rear", fore_aft=100),
        {
            f"seats.{s}.fore_aft": 100
            for s in ("rear_left", "rear_right", "third_left", "third_right")
        },
    ),
    ({}, SetLumbar(level=2), {"seats.driver.lumbar": 2}),
    (
        {"seats.passenger.lumbar": 2},
        SetLumbar(target="passenger", delta=-1),
        {"seats.passenger.lumbar": 1},
    ),
    (
        {},
        RecallSeatMemory(slot=2),
        {
            "seats.driver.memory": 2,
            "seats.driver.backrest": 2,
            "seats.driver.fore_aft": 30,
            "seats.driver.lumbar": 1,
        },
    ),
    (
        {},
        RecallSeatMemory(slot=3),
        {
            "seats.driver.memory": 3,
            "seats.driver.backrest": 6,
            "seats.driver.fore_aft": 80,
            "seats.driver.lumbar": 2,
        },
    ),
    (
        {
            "seats.driver.memory": 3,
            "seats.driver.backrest": 6,
            "seats.driver.fore_aft": 80,
            "seats.driver.lumbar": 2,
        },
        ResetSeatPosition(),
        {
            "seats.driver.memory": None,
            "seats.driver.backrest": 3,
            "seats.driver.fore_aft": 50,
            "seats.driver.lumbar": 0,
        },
    ),
    (
        {},
        SetMassageMode(mode="shoulder"),
        {"seats.driver.massage_mode": "shoulder", "seats.driver.massage": 2},
    ),
    (
        {"seats.driver.massage": 3},
        SetMassageMode(mode="lumbar"),
        {"seats.driver.massage_mode": "lumbar"},
    ),
    # climate
    (
        {},
        SetVentPattern(pattern="natural"),
        {"climate.driver.vent": "natural", "climate.power": True},
    ),
    (
        {"climate.power": True},
        SetVentPattern(target="all", pattern="sweep"),
        {f"climate.{z}.vent": "sweep" for z in ZONES},
    ),
    (
        {},
        SetClimatePreset(preset="max_cooling"),
        {
            "climate.power": True,
            "climate.ac": True,
            "climate.recirculation": True,
            "climate.fan_speed": 7,
            **{f"climate.{z}.temperature": 16.0 for z in ZONES},
        },
    ),
    (
        {},
        SetClimatePreset(preset="max_heating"),
        {
            "climate.power": True,
            "climate.fan_speed": 7,
            **{f"climate.{z}.temperature": 32.0 for z in ZONES},
        },
    ),
    # lights and body
    (
        {},
        SetExteriorLights(position=True, fog_front=True, fog_rear=True),
        {"lights.position": True, "lights.fog_front": True, "lights.fog_rear": True},
    ),
    ({"lights.fog_rear": True}, SetExteriorLights(fog_rear=False), {"lights.fog_rear": False}),
    (
        {},
        SetAmbientLight(mode="breathing"),
        {"lights.ambient.mode": "breathing", "lights.ambient.on": True},
    ),
    ({}, SetMirrorHeating(on=True), {"mirrors.heating": True}),
    ({}, SetSteeringWheelHeating(on=True), {"steering_wheel.heating": True}),
    ({}, SetFragrance(on=True), {"fragrance.on": True}),
    ({"fragrance.on": True}, SetFragrance(on=False), {"fragrance.on": False}),
    ({}, SetFragrance(scent="citrus"), {"fragrance.scent": "citrus", "fragrance.on": True}),
    ({}, SetFragrance(next_scent=True), {"fragrance.scent": "floral", "fragrance.on": True}),
    (
        {"fragrance.scent": "tea"},
        SetFragrance(next_scent=True),
        {"fragrance.scent": "ocean", "fragrance.on": True},
    ),
    ({}, SetFragrance(level=3), {"fragrance.level": 3, "fragrance.on": True}),
    ({}, SetFragrance(level_delta=-1), {"fragrance.level": 1, "fragrance.on": True}),
    ({}, SetChargePort(open=True), {"charge_port.open": True}),
    ({}, SetConsole(position=100), {"console.position": 100}),
    ({"console.position": 50}, SetConsole(delta=-20), {"console.position": 30}),
    # audio
    ({}, SetVolume(value=80, channel="navigation"), {"audio.navigation_volume": 80}),
    ({}, SetVolume(delta=10, channel="system"), {"audio.system_volume": 50}),
    ({}, SetVolume(delta=-10, channel="call"), {"audio.call_volume": 50}),
    ({}, SetVolume(value=70, channel="media"), {"media.volume": 70}),
    ({"phone.call_state": "in_call"}, SetVolume(delta=10), {"audio.call_volume": 70}),
    ({"phone.call_state": "ringing"}, SetVolume(delta=10), {"media.volume": 40}),
    ({}, SetEqualizer(preset="jazz"), {"audio.eq": "jazz"}),
    ({}, SetEngineSound(style="sport"), {"audio.engine_sound": "sport"}),
    (
        {"audio.pedestrian_alert": False},
        SetPedestrianAlert(on=True),
        {"audio.pedestrian_alert": True},
    ),
    # media
    (
        {
            "media.track": 4,
            "media.liked": True,
            "media.playlist": "favorites",
            "media.source": "radio",
        },
        PlayMedia(query="稻香"),
        {
            "media.playing": True,
            "media.query": "稻香",
            "media.track": 1,
            "media.liked": False,
            "media.playlist": None,
            "media.source": "music",
        },
    ),
    (
        {"media.query": "稻香"},
        PlayMedia(playlist="favorites"),
        {"media.playing": True, "media.query": None, "media.playlist": "favorites"},
    ),
    (
        {},
        PlayMedia(query="毒药", playlist="favorites"),
        {"media.playing": True, "media.query": "毒药", "media.playlist": "favorites"},
    ),
    (
        {"media.source": "bluetooth", "media.track": 3},
        PlayMedia(),
        {"media.playing": True},
    ),
    (
        {"media.source": "video", "media.video_screen": "rear"},
        PlayMedia(query="jazz"),
        {
            "media.playing": True,
            "media.query": "jazz",
            "media.source": "music",
            "media.video_screen": None,
        },
    ),
    (
        {},
        PlayVideo(query="流浪地球", screen="rear"),
        {
            "media.source": "video",
            "media.playing": True,
            "media.query": "流浪地球",
            "media.video_screen": "rear",
            "screens.rear.on": True,
        },
    ),
    (
        {},
        PlayVideo(query="繁花", episode=3),
        {
            "media.source": "video",
            "media.playing": True,
            "media.query": "繁花",
            "media.track": 3,
            "media.video_screen": "center",
        },
    ),
    (
        {"media.source": "video", "media.video_screen": "rear"},
        SetMediaSource(source="bluetooth"),
        {"media.source": "bluetooth", "media.playing": True, "media.video_screen": None},
    ),
    (
        {"media.track": 2, "media.liked": True},
        SkipTrack(direction="next"),
        {"media.track": 3, "media.liked": False},
    ),
    ({"media.track": 2}, SkipTrack(direction="previous"), {"media.track": 1}),
    (
        {"media.source": "radio", "radio.preset": 6},
        SkipTrack(direction="next"),
        {"radio.preset": 1, "radio.frequency": 88.1, "media.playing": True},
    ),
    ({}, SetFavorite(liked=True), {"media.liked": True}),
    ({}, SetPlayMode(mode="repeat_one"), {"media.play_mode": "repeat_one"}),
    # radio
    (
        {"radio.preset": 3},
        TuneRadio(frequency=101.7),
        {
            "radio.frequency": 101.7,
            "radio.preset": None,
            "media.source": "radio",
            "media.playing": True,
        },
    ),
    (
        {},
        TuneRadio(frequency=909),
        {
            "radio.band": "AM",
            "radio.frequency": 909,
            "media.source": "radio",
            "media.playing": True,
        },
    ),
    (
        {},
        SelectRadioPreset(preset=6),
        {
            "radio.band": "AM",
            "radio.frequency": 990,
            "radio.preset": 6,
            "media.source": "radio",
            "media.playing": True,
        },
    ),
    (
        {},
        SelectRadioPreset(delta=1),
        {
            "radio.frequency": 88.1,
            "radio.preset": 1,
            "media.source": "radio",
            "media.playing": True,
        },
    ),
    (
        {"radio.frequency": 90.0},
        SaveRadioPreset(preset=2),
        {"radio.presets": [88.1, 90.0, 97.7, 101.7, 105.7, 990]},
    ),
    # phone
    (
        {},
        CallContact(name=" alice "),
        {"phone.call_state": "dialing", "phone.party": "Alice", "phone.last_dialed": "13800138004"},
    ),
    (
        {},
        DialNumber(number="10086"),
        {"phone.call_state": "dialing", "phone.party": "10086", "phone.last_dialed": "10086"},
    ),
    (
        {},
        DialNumber(number="13800138001"),
        {"phone.call_state": "dialing", "phone.party": "张三", "phone.last_dialed": "13800138001"},
    ),
    (
        {"phone.last_dialed": "10086"},
        Redial(),
        {"phone.call_state": "dialing", "phone.party": "10086"},
    ),
    (
        {"phone.call_state": "ringing", "phone.party": "李四"},
        AnswerCall(),
        {"phone.call_state": "in_call"},
    ),
    (
        {"phone.call_state": "ringing", "phone.party": "李四"},
        EndCall(),
        {"phone.call_state": "idle", "phone.party": None},
    ),
    # screens
    ({}, SetScreen(screen="passenger", on=True), {"screens.passenger.on": True}),
    ({}, SetScreen(on=False), {"screens.center.on": False}),
    ({}, SetScreenBrightness(value=80), {"display.brightness": 80}),
    ({}, SetScreenBrightness(screen="rear", delta=-10), {"screens.rear.brightness": 50}),
    ({}, SlidePassengerScreen(position=100), {"screens.passenger.position": 100}),
    ({}, SlidePassengerScreen(delta=20), {"screens.passenger.position": 20}),
    (
        {},
        ShowScreenPage(screen="passenger", page="media"),
        {"screens.passenger.page": "media", "screens.passenger.on": True},
    ),
    # driving
    ({}, SetDriveMode(mode="sport"), {"drive.mode": "sport"}),
    ({}, SetPowerMode(mode="ev"), {"drive.power_mode": "ev"}),
    ({}, SetRegen(level=3), {"drive.regen": 3}),
    ({}, SetDriverAssistance(function="auto_hold", on=True), {"adas.auto_hold": True}),
    ({}, SetDriverAssistance(function="lane_keep", on=False), {"adas.lane_keep": False}),
    # navigation
    (
        {
            "navigation.destination": "A",
            "navigation.remaining_km": 12.0,
            "navigation.eta_min": 20.0,
        },
        NavigateTo(destination="B"),
        {
            "navigation.destination": "B",
            "navigation.remaining_km": None,
            "navigation.eta_min": None,
        },
    ),
    (
        {"navigation.destination": "A", "navigation.remaining_km": 12.0},
        CancelNavigation(),
        {"navigation.destination": None, "navigation.remaining_km": None},
    ),
    (
        {"navigation.home": "上海市徐汇区天平路1号"},
        NavigateToSaved(place="home", fallback="家"),
        {"navigation.destination": "上海市徐汇区天平路1号"},
    ),
    ({}, NavigateToSaved(place="work", fallback="公司"), {"navigation.destination": "公司"}),
    ({}, SetSavedPlace(place="work", address="张江高科"), {"navigation.work": "张江高科"}),
    (
        {"navigation.waypoints": ["A", "B", "C"], "navigation.eta_min": 30.0},
        RemoveWaypoints(index=2),
        {"navigation.waypoints": ["A", "C"], "navigation.eta_min": None},
    ),
    (
        {"navigation.waypoints": ["A", "B"]},
        RemoveWaypoints(place="b"),
        {"navigation.waypoints": ["A"]},
    ),
    ({"navigation.waypoints": ["A", "B"]}, RemoveWaypoints(), {"navigation.waypoints": []}),
    (
        {"navigation.avoid_highways": True},
        SetRoutePreferences(preference="highways"),
        {"navigation.avoid_highways": False, "navigation.route_preference": "highways"},
    ),
    (
        {},
        SetRoutePreferences(avoid_tolls=True, avoid_highways=True),
        {"navigation.avoid_tolls": True, "navigation.avoid_highways": True},
    ),
    ({}, SetNavigationVoice(mode="brief"), {"navigation.voice": "brief"}),
    ({}, SetTrafficLayer(on=True), {"navigation.traffic_layer": True}),
    # scene
    (
        {"media.playing": True},
        SetScene(scene="rest"),
        {
            "seats.driver.backrest": 8,
            "climate.power": True,
            "display.brightness": 10,
            "screens.passenger.brightness": 10,
            "screens.rear.brightness": 10,
            "media.playing": False,
            "scene": "rest",
        },
    ),
    ({"scene": "rest"}, SetScene(scene="none"), {"scene": "none"}),
]


@pytest.mark.parametrize(
    ("setup", "action", "expected"),
    V2_PATH_CASES,
    ids=[f"{i}-{case[1].name}" for i, case in enumerate(V2_PATH_CASES)],
)
def test_v2_action_writes_its_paths_and_nothing_else(
    run: Run, car: Vehicle, setup: dict[str, Any], action: CabinAction, expected: dict[str, Any]
) -> None:
    assert_writes_only(run, car, setup, action, expected)


def test_every_v2_action_is_covered() -> None:
    assert {action.name for _, action, _ in V2_PATH_CASES} >= {c.name for c in V2_ACTION_CLASSES}


# --- the speaker's own seat, screen and zone ---------------------------------------------


@pytest.mark.parametrize(
    ("speaker", "screen"),
    [
        ("driver", "center"),
        ("passenger", "passenger"),
        ("rear_left", "rear"),
        ("third_right", "rear"),
    ],
)
def test_video_plays_on_the_speakers_screen(
    run: Run, car: Vehicle, speaker: Any, screen: str
) -> None:
    result = run(car, PlayVideo(query="熊出没"), speaker=speaker)
    assert result.status == "done"
    assert car.get("media.video_screen") == screen
    assert car.get(f"screens.{screen}.on") is True


def test_vent_pattern_acts_on_the_speakers_zone(run: Run, car: Vehicle) -> None:
    run(car, SetVentPattern(pattern="avoid"), speaker="third_left")
    assert car.get("climate.rear.vent") == "avoid"
    assert car.get("climate.driver.vent") == "normal"


def test_rest_scene_reclines_the_speakers_seat(run: Run, car: Vehicle) -> None:
    run(car, SetScene(scene="rest"), speaker="rear_right")
    assert car.get("seats.rear_right.backrest") == 8
    assert car.get("seats.driver.backrest") == 3


@pytest.mark.parametrize(
    ("target", "seats"),
    [
        ("second_row", ["rear_left", "rear_right"]),
        ("left_side", ["driver", "rear_left", "third_left"]),
        ("right_side", ["passenger", "rear_right", "third_right"]),
    ],
)
def test_v2_seat_groups(run: Run, car: Vehicle, target: Any, seats: list[str]) -> None:
    result = run(car, SetSeatPosition(target=target, backrest=5))
    assert sorted(c.path for c in result.changes) == sorted(f"seats.{s}.backrest" for s in seats)


# --- fitted only: never borrowed ------------------------------------------------------------


@pytest.mark.parametrize(
    "action", [SetLumbar(level=2), RecallSeatMemory(slot=1)], ids=lambda a: a.name
)
@pytest.mark.parametrize("speaker", ["rear_left", "third_right"])
def test_a_rear_speaker_has_no_lumbar_or_memory(
    run: Run, car: Vehicle, action: CabinAction, speaker: Any
) -> None:
    assert_unsupported(run, car, action, "not_equipped", speaker=speaker)


def test_a_group_keeps_the_seats_with_lumbar(run: Run, car: Vehicle) -> None:
    result = run(car, SetLumbar(target="all", level=3))
    assert sorted(c.path for c in result.changes) == [
        "seats.driver.lumbar",
        "seats.passenger.lumbar",
    ]


def test_reset_leaves_lumbar_and_memory_where_not_fitted(run: Run, car: Vehicle) -> None:
    car.set_many({"seats.rear_left.backrest": 9, "seats.rear_left.fore_aft": 0})
    result = run(car, ResetSeatPosition(), speaker="rear_left")
    assert {c.path: c.new for c in result.changes} == {
        "seats.rear_left.backrest": 3,
        "seats.rear_left.fore_aft": 50,
    }


def test_sedan_has_no_massage_mode_but_has_lumbar(run: Run, sedan: Vehicle) -> None:
    assert run(sedan, SetMassageMode(mode="back")).status == "unsupported"
    assert run(sedan, SetLumbar(level=1)).status == "done"
    assert run(sedan, SetSeatPosition(target="rear", backrest=6)).status == "done"
    assert sedan.get("seats.rear_right.backrest") == 6


def test_sedan_rear_seat_positions_through_third_row_speaker(run: Run, sedan: Vehicle) -> None:
    run(sedan, SetSeatPosition(backrest=7), speaker="third_left")
    assert sedan.get("seats.rear_left.backrest") == 7


# --- clamps -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("setup", "action", "path", "requested", "applied"),
    [
        ({}, SetSeatPosition(backrest_delta=9), "seats.driver.backrest", 12, 10),
        ({}, SetSeatPosition(fore_aft_delta=-60), "seats.driver.fore_aft", -10, 0),
        ({}, SetLumbar(level=5), "seats.driver.lumbar", 5, 3),
        ({}, SetFragrance(level=0), "fragrance.level", 0, 1),
        ({}, SetConsole(delta=-20), "console.position", -20, 0),
        ({}, SetRegen(level=5), "drive.regen", 5, 3),
        ({}, SetVolume(channel="system", value=120), "audio.system_volume", 120, 100),
        ({}, SlidePassengerScreen(delta=-20), "screens.passenger.position", -20, 0),
    ],
)
def test_v2_numbers_clamp(
    run: Run,
    car: Vehicle,
    setup: dict[str, Any],
    action: CabinAction,
    path: str,
    requested: int,
    applied: int,
) -> None:
    car.set_many(setup)
    result = run(car, action)
    assert result.status in ("clamped", "done")
    assert [(c.path, c.requested, c.applied) for c in result.clamped] == [
        (path, requested, applied)
    ]
    assert car.get(path) == applied


# --- radio ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("frequency", "band", "tuned"),
    [
        (101.0, "FM", 101.0),
        (87.5, "FM", 87.5),
        (108.0, "FM", 108.0),
        (101.75, "FM", 101.8),
        (101.74, "FM", 101.7),
        (909, "AM", 909),
        (531, "AM", 531),
        (1629, "AM", 1629),
        (600, "AM", 603),
        (1000, "AM", 999),
    ],
)
def test_tune_radio_picks_band_and_snaps(
    run: Run, car: Vehicle, frequency: float, band: str, tuned: float
) -> None:
    assert run(car, TuneRadio(frequency=frequency)).status == "done"
    assert car.get("radio.band") == band
    assert car.get("radio.frequency") == tuned


@pytest.mark.parametrize("frequency", [50.0, 120.0, 500, 1700, 0])
def test_a_frequency_on_no_band_is_unsupported(run: Run, car: Vehicle, frequency: float) -> None:
    assert_unsupported(run, car, TuneRadio(frequency=frequency), "out_of_band")


@pytest.mark.parametrize(
    ("start", "delta", "preset"),
    [(None, 1, 1), (None, -1, 6), (1, -1, 6), (6, 1, 1), (3, 1, 4), (3, -1, 2)],
)
def test_presets_cycle(run: Run, car: Vehicle, start: int | None, delta: int, preset: int) -> None:
    car.set("radio.preset", start)
    run(car, SelectRadioPreset(delta=delta))
    assert car.get("radio.preset") == preset
    assert car.get("radio.frequency") == car.get("radio.presets")[preset - 1]


def test_previous_on_the_radio_steps_back_a_preset(run: Run, car: Vehicle) -> None:
    car.set_many({"media.source": "radio", "media.track": 5})
    run(car, SkipTrack(direction="previous"))
    assert car.get("radio.preset") == 6
    assert car.get("radio.band") == "AM"
    assert car.get("media.track") == 5


def test_previous_never_goes_below_track_one(run: Run, car: Vehicle) -> None:
    result = run(car, SkipTrack(direction="previous"))
    assert result.status == "unchanged"
    assert car.get("media.track") == 1


# --- phone ------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["招商银行", "公司", "张", "Alic"])
def test_calling_someone_not_in_contacts_is_unsupported(run: Run, car: Vehicle, name: str) -> None:
    assert_unsupported(run, car, CallContact(name=name), "not_in_contacts")


def test_contacts_come_from_the_state(run: Run, car: Vehicle) -> None:
    car.set("phone.contacts", [{"name": "妈妈", "number": "13900000000"}])
    assert run(car, CallContact(name="张三")).status == "unsupported"
    assert run(car, CallContact(name="妈妈")).status == "done"
    assert car.get("phone.party") == "妈妈"


@pytest.mark.parametrize(
    ("setup", "action", "code"),
    [
        ({}, Redial(), "nothing_to_redial"),
        ({}, AnswerCall(), "not_ringing"),
        ({"phone.call_state": "in_call"}, AnswerCall(), "not_ringing"),
        ({}, EndCall(), "no_call"),
    ],
    ids=["redial-none", "answer-idle", "answer-in-call", "end-idle"],
)
def test_nothing_to_act_on_is_unsupported(
    run: Run, car: Vehicle, setup: dict[str, Any], action: CabinAction, code: str
) -> None:
    car.set_many(setup)
    assert_unsupported(run, car, action, code)


def test_a_new_call_replaces_the_current_one(run: Run, car: Vehicle) -> None:
    car.set_many({"phone.call_state": "in_call", "phone.party": "李四"})
    run(car, CallContact(name="Bob"))
    assert car.get("phone.call_state") == "dialing"
    assert car.get("phone.party") == "Bob"


def test_hanging_up_a_call_in_progress(run: Run, car: Vehicle) -> None:
    car.set_many({"phone.call_state": "in_call", "phone.party": "李四"})
    run(car, EndCall())
    assert car.get("phone.call_state") == "idle"
    assert car.get("phone.party") is None


# --- navigation -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "action", [RemoveWaypoints(index=3), RemoveWaypoints(place="D")], ids=["index", "place"]
)
def test_removing_a_stop_not_on_the_route_is_unsupported(
    run: Run, car: Vehicle, action: CabinAction
) -> None:
    car.set("navigation.waypoints", ["A", "B"])
    assert_unsupported(run, car, action, "not_found")


# --- v2 (e): what turns the climate on -----------------------------------------------------


@pytest.mark.parametrize(
    ("action", "power"),
    [
        (SetFanSpeed(value=3), True),
        (SetFanSpeed(value=0), False),
        (SetVentPattern(pattern="normal"), True),
    ],
)
def test_climate_power_follows_air_requests(
    run: Run, car: Vehicle, action: CabinAction, power: bool
) -> None:
    run(car, action)
    assert car.get("climate.power") is power


def test_a_car_without_lumbar_has_no_lumbar_path_or_tool(run: Run) -> None:
    from tongxue.cabin import UnknownPathError, tool_schemas
    from tongxue.cabin.profile import profile_from_dict

    profile = profile_from_dict(
        {
            "id": "basic",
            "name": "Basic",
            "equipment": {"seat_lumbar": [], "seat_memory": ["driver"]},
        }
    )
    car = Vehicle(profile)
    with pytest.raises(UnknownPathError):
        car.get("seats.driver.lumbar")
    assert car.get("seats.driver.memory") is None
    result = run(car, SetLumbar(level=1))
    assert (result.status, result.reason_code) == ("unsupported", "not_equipped")
    assert "set_lumbar" not in {tool["function"]["name"] for tool in tool_schemas(profile)}
    # Memory recall moves the seat but has no lumbar to set here.
    assert {c.path for c in run(car, RecallSeatMemory(slot=2)).changes} == {
        "seats.driver.memory",
        "seats.driver.backrest",
        "seats.driver.fore_aft",
    }


@pytest.mark.parametrize(
    ("speaker", "position"),
    [("driver", 100), ("rear_left", 100), ("third_left", 100), ("passenger", 0), ("rear_right", 0)],
)
def test_the_passenger_screen_slides_toward_whoever_asks(
    car: Vehicle, speaker: str, position: int
) -> None:
    car.set("screens.passenger.position", 50)
    car.execute(
        [SlidePassengerScreen(toward_speaker=True)],
        ActionContext(speaker=cast(Seat, speaker)),
        "t1",
    )
    assert car.get("screens.passenger.position") == position
