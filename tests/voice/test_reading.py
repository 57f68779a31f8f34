"""How a reply is read aloud: numbers in Chinese words, and cut into runs by script."""

from __future__ import annotations

import re

import pytest

from tongxue.voice.reading import ScriptRun, cardinal, read_chinese, read_english, script_runs


@pytest.mark.parametrize(
    ("written", "said"),
    [
        ("温度已调到22度", "温度已调到二十二度"),
        ("22.5度", "二十二点五度"),
        ("22°C", "二十二摄氏度"),
        ("22℃", "二十二摄氏度"),
        ("22 °C", "二十二摄氏度"),
        ("风量3档", "风量三档"),
        ("50%", "百分之五十"),
        ("降水概率30％", "降水概率百分之三十"),
        ("120km", "一百二十公里"),
        ("120公里", "一百二十公里"),
        ("当前车速120km/h", "当前车速一百二十公里每小时"),
        ("-5度", "零下五度"),
        ("车外温度-5°C", "车外温度零下五摄氏度"),
        ("零下-3度", "零下三度"),
        ("-3到5度", "零下三到五度"),
        ("-8~-2℃", "零下八到零下二摄氏度"),
        ("差值为-5", "差值为负五"),
        ("14:30", "十四点三十分"),
        ("8:05出发", "八点零五分出发"),
        ("8:00", "八点整"),
        ("2026年", "二零二六年"),
        ("2000年以后", "二零零零年以后"),
        ("北京2026-12-01：晴", "北京二零二六年十二月一日：晴"),
        ("13800138000", "幺三八零零幺三八零零零"),
        ("电话是138-0013-8000。", "电话是幺三八零零幺三八零零零。"),
        ("第2排", "第二排"),
        ("第2个路口", "第二个路口"),
        ("2个", "两个"),
        ("找到2家", "找到两家"),
        ("下午2点出发", "下午两点出发"),
        ("2km", "两公里"),
        ("22个", "二十二个"),
        ("2度", "二度"),
        ("2档", "二档"),
        ("2.5个", "二点五个"),
        ("2000", "两千"),
        ("22000", "两万二千"),
        ("12000公里", "一万二千公里"),
        ("12,000公里", "一万二千公里"),
        ("12000000元", "一千二百万元"),
        ("18-22度", "十八到二十二度"),
        ("1/2", "二分之一"),
        ("四个轮胎都是230kPa，正常。", "四个轮胎都是二百三十千帕，正常。"),
        ("调频97.4", "调频九十七点四"),
        ("音量２０", "音量二十"),
        ("0.5", "零点五"),
        ("好的，车窗已打开。", "好的，车窗已打开。"),
    ],
)
def test_numbers_are_read_the_way_mandarin_says_them(written: str, said: str) -> None:
    assert read_chinese(written) == said


@pytest.mark.parametrize(
    "reply",
    [
        "好的，主驾温度已调到22.5度，风量已调到3档（35超出范围，已调到32）。",
        "电量还有50%。",
        "当前车速120公里每小时。",
        "总里程12000公里。",
        "胎压：左前230kPa，右前228kPa，左后231kPa，右后190kPa；右后胎压偏低。",
        "北京2026-12-01：多云，-3到5度，降水概率20%。",
        "找到3个地点：星巴克、瑞幸、喜茶。",
        "张三的电话是13800138000。",
        "预计还要25分钟到达。",
    ],
)
def test_no_digit_is_left_for_espeak_in_the_assistants_replies(reply: str) -> None:
    said = read_chinese(reply)
    assert not re.search(r"[0-9%]", said), said


def test_two_is_liang_before_thousands_but_not_inside_a_number() -> None:
    assert cardinal("2000") == "两千"
    assert cardinal("20000") == "两万"
    assert cardinal("200") == "二百"
    assert cardinal("1200") == "一千二百"


def zh(text: str) -> ScriptRun:
    return ScriptRun("zh", text)


def en(text: str) -> ScriptRun:
    return ScriptRun("en", text)


@pytest.mark.parametrize(
    ("reply", "runs"),
    [
        ("Open the window.", [en("Open the window.")]),
        ("好的，车窗已打开。", [zh("好的，车窗已打开。")]),
        ("温度调到22度", [zh("温度调到22度")]),
        ("胎压：左前230kPa", [zh("胎压：左前230kPa")]),
        ("It's 22 °C outside.", [en("It's 22 °C outside.")]),
        ("正在播放 Yesterday Once More", [zh("正在播放"), en("Yesterday Once More")]),
        (
            "好的，正在播放 Yesterday Once More。",
            [zh("好的，正在播放"), en("Yesterday Once More。")],
        ),
        ("导航到 Starbucks 星巴克", [zh("导航到"), en("Starbucks"), zh("星巴克")]),
        ("Playing 晴天 by Jay Chou.", [en("Playing"), zh("晴天"), en("by Jay Chou.")]),
        ("音源：USB音乐", [zh("音源："), en("USB"), zh("音乐")]),
        ("已连接 iPhone 15 Pro", [zh("已连接"), en("iPhone 15 Pro")]),
        ("iPhone15的电量", [en("iPhone15"), zh("的电量")]),
        ("播放 Jay Chou 的 3 首歌", [zh("播放"), en("Jay Chou"), zh("的 3 首歌")]),
        ("22度", [zh("22度")]),
        ("22", [en("22")]),
        ("   ", []),
        ("。", []),
    ],
)
def test_a_reply_is_cut_into_runs_where_the_script_changes(
    reply: str, runs: list[ScriptRun]
) -> None:
    assert script_runs(reply) == runs


def test_each_run_is_given_to_its_voice_ready_to_read() -> None:
    runs = script_runs("好的，温度调到22度，正在播放 Yesterday Once More。")
    assert [run.spoken() for run in runs] == [
        "好的，温度调到二十二度，正在播放",
        "Yesterday Once More.",
    ]
    assert read_english("Playing “晴天”，by Jay Chou") == 'Playing "晴天", by Jay Chou'
