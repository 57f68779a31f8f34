"""Reply wording for contract v2's turns: offline, unsupported, negations, several parts."""

from __future__ import annotations

from typing import Any

import pytest

from tongxue.cabin.results import ActionResult, StateChange, Status
from tongxue.dialogue.replies import (
    Acted,
    NotUnderstood,
    Said,
    action_reply,
    compose_reply,
    negation_reply,
    offline_reply,
    unsupported_reply,
)


def result(name: str, status: Status, **extra: Any) -> ActionResult:
    return ActionResult(name=name, status=status, **extra)


RECIRCULATION = result(
    "set_recirculation",
    "done",
    arguments={"on": True},
    changes=[StateChange(path="climate.recirculation", old=False, new=True)],
)
TRUNK_REFUSED = result("set_trunk", "refused", arguments={"open": True}, reason_code="moving")


def test_one_part_reads_as_it_did_alone() -> None:
    assert compose_reply([Acted((RECIRCULATION,))], "zh") == action_reply([RECIRCULATION], "zh")
    assert compose_reply([Said("续航还有420公里。")], "zh") == "续航还有420公里。"


def test_done_then_offline() -> None:
    pieces = [Acted((RECIRCULATION,)), Said(offline_reply("weather", "zh"))]
    assert compose_reply(pieces, "zh") == "好的，内循环已打开。查天气需要联网，现在离线。"
    pieces = [Acted((RECIRCULATION,)), Said(offline_reply("weather", "en"))]
    assert compose_reply(pieces, "en") == (
        "OK: recirculation on. I can't check the weather offline."
    )


def test_actions_of_several_parts_say_ok_once_where_the_first_was_said() -> None:
    pieces = [
        Said("续航还有420公里。"),
        Acted((RECIRCULATION,)),
        Said(offline_reply("traffic", "zh")),
        Acted((TRUNK_REFUSED,)),
    ]
    assert compose_reply(pieces, "zh") == (
        "续航还有420公里。好的，内循环已打开。抱歉，车辆行驶中，出于安全考虑不能这样做。"
        "查路况需要联网，现在离线。"
    )


def test_what_was_not_understood_comes_last() -> None:
    pieces = [NotUnderstood("xyz"), Acted((RECIRCULATION,))]
    assert compose_reply(pieces, "en") == ('OK: recirculation on. And I didn\'t understand "xyz".')
    assert compose_reply([NotUnderstood("呜啦")], "zh") == "抱歉，我没听懂“呜啦”。"


def test_nothing_at_all_is_an_apology() -> None:
    assert compose_reply([], "en").startswith("Sorry")
    assert compose_reply([Acted(()), Said("  ")], "zh").startswith("抱歉")


def test_the_same_sentence_twice_is_said_once() -> None:
    offline = Said(offline_reply("weather", "zh"))
    assert compose_reply([offline, offline], "zh") == "查天气需要联网，现在离线。"


def test_a_contact_not_found_is_named() -> None:
    missing = result(
        "call_contact", "unsupported", arguments={"name": "招商银行"}, reason_code="not_in_contacts"
    )
    assert action_reply([missing], "zh") == "抱歉，通讯录里没有找到招商银行。"
    assert action_reply([missing], "en") == "Sorry, 招商银行 was not found in your contacts."


@pytest.mark.parametrize(
    ("code", "zh", "en"),
    [
        ("nothing_to_redial", "重拨", "redial"),
        ("not_ringing", "来电", "incoming call"),
        ("no_call", "通话", "no call"),
        ("out_of_contract", "暂不支持", "can't do that"),
    ],
)
def test_nothing_to_act_on_is_worded(code: str, zh: str, en: str) -> None:
    unsupported = result("redial", "unsupported", reason_code=code)
    assert zh in action_reply([unsupported], "zh")
    assert en in action_reply([unsupported], "en")


def test_out_of_contract_and_negation() -> None:
    assert unsupported_reply("zh") == "这个功能暂不支持。"
    assert unsupported_reply("en") == "I can't do that in this car."
    assert negation_reply("zh", "不用开空调") == "好的，不开。"
    assert negation_reply("zh", "别关窗") == "好的，不关。"
    assert negation_reply("zh") == "好的，保持不变。"
    assert negation_reply("en", "don't open the sunroof") == "OK, I won't."


def change(path: str, old: Any, new: Any) -> StateChange:
    return StateChange(path=path, old=old, new=new)


def test_v2_paths_have_words() -> None:
    fog = result(
        "set_exterior_lights",
        "done",
        changes=[change("lights.fog_front", False, True), change("lights.fog_rear", False, True)],
    )
    assert action_reply([fog], "zh") == "好的，前雾灯已打开，后雾灯已打开。"
    assert action_reply([fog], "en") == "OK: front fog lights on, rear fog lights on."
    mode = result("set_play_mode", "done", changes=[change("media.play_mode", "x", "repeat_one")])
    assert action_reply([mode], "zh") == "好的，播放模式：单曲循环。"
    assert action_reply([mode], "en") == "OK: play mode: repeat one."
    screen = result("set_screen", "done", changes=[change("screens.center.on", True, False)])
    assert action_reply([screen], "zh") == "好的，中控屏已关闭。"


def test_follow_on_changes_are_not_said() -> None:
    call = result(
        "call_contact",
        "done",
        changes=[
            change("phone.call_state", "idle", "dialing"),
            change("phone.party", None, "张三"),
            change("phone.last_dialed", None, "13800138001"),
        ],
    )
    assert "13800138001" not in action_reply([call], "zh")
    assert "张三" in action_reply([call], "zh")
    trip = result("navigate_to", "done", changes=[change("navigation.eta_min", 30, None)])
    assert action_reply([trip], "zh") == "好的。"
