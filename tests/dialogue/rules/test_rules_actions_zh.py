"""Every action family, in Chinese: the words of the contract and everyday variants."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from tongxue.cabin.actions import (
    AddWaypoint,
    CabinAction,
    CancelNavigation,
    NavigateTo,
    NavigateToSaved,
    PauseMedia,
    PlayMedia,
    SetAmbientLight,
    SetChildLock,
    SetClimate,
    SetClimateMode,
    SetDefrost,
    SetDisplayBrightness,
    SetDoorLock,
    SetFanSpeed,
    SetHeadlights,
    SetMirrors,
    SetMute,
    SetReadingLight,
    SetRecirculation,
    SetSeatHeating,
    SetSeatMassage,
    SetSeatVentilation,
    SetSunroof,
    SetSunshade,
    SetTemperature,
    SetTrunk,
    SetVolume,
    SetWindow,
    SetWipers,
)

Parse = Callable[..., tuple[CabinAction, ...] | None]

CASES: list[tuple[str, list[CabinAction]]] = [
    # openings
    ("打开车窗", [SetWindow(position=100)]),
    ("把主驾车窗打开一半", [SetWindow(target="driver", position=50)]),
    ("帮我把副驾的窗户关上", [SetWindow(target="passenger", position=0)]),
    ("车窗开一点", [SetWindow(delta=20)]),
    ("车窗关一点", [SetWindow(delta=-20)]),
    ("车窗打开到30%", [SetWindow(position=30)]),
    ("车窗开百分之三十", [SetWindow(position=30)]),
    ("能不能把窗户开条缝", [SetWindow(delta=20)]),
    ("把车窗升上去", [SetWindow(position=0)]),
    ("车窗降下来", [SetWindow(position=100)]),
    ("关闭所有车窗", [SetWindow(target="all", position=0)]),
    ("打开天窗", [SetSunroof(position=100)]),
    ("天窗开一半", [SetSunroof(position=50)]),
    ("遮阳帘拉开一点", [SetSunshade(delta=20)]),
    ("关闭遮阳帘", [SetSunshade(position=0)]),
    # locks, trunk
    ("锁车", [SetDoorLock(locked=True)]),
    ("解锁车门", [SetDoorLock(locked=False)]),
    ("把车门锁打开", [SetDoorLock(locked=False)]),
    ("打开儿童锁", [SetChildLock(on=True)]),
    ("关闭儿童锁", [SetChildLock(on=False)]),
    ("打开后备箱", [SetTrunk(open=True)]),
    ("关上尾门", [SetTrunk(open=False)]),
    # climate
    ("打开空调", [SetClimate(power=True, ac=True)]),
    ("关闭空调", [SetClimate(power=False, ac=False)]),
    ("关闭压缩机", [SetClimate(ac=False)]),
    ("开内循环", [SetRecirculation(on=True)]),
    ("切换到外循环", [SetRecirculation(on=False)]),
    ("空调调到吹脚模式", [SetClimateMode(mode="feet")]),
    ("空调风吹脚", [SetClimateMode(mode="feet")]),
    ("吹脸吹脚", [SetClimateMode(mode="face_feet")]),
    ("空调调回自动模式", [SetClimateMode(mode="auto")]),
    ("打开前挡除雾", [SetDefrost(window="front", on=True)]),
    ("关闭后除霜", [SetDefrost(window="rear", on=False)]),
    # temperature
    ("温度调到22度", [SetTemperature(value=22)]),
    ("温度调到二十二点五度", [SetTemperature(value=22.5)]),
    ("空调22度", [SetTemperature(value=22)]),
    ("温度高一点", [SetTemperature(delta=1)]),
    ("温度调低两度", [SetTemperature(delta=-2)]),
    ("温度调到最高", [SetTemperature(value=32)]),
    ("暖和一点", [SetTemperature(delta=1)]),
    ("我有点冷", [SetTemperature(delta=2)]),
    ("有点热", [SetTemperature(delta=-2)]),
    ("冻死我了", [SetTemperature(delta=2)]),
    ("后排温度调到20度", [SetTemperature(target="rear", value=20)]),
    ("打开空调并把温度调到23度", [SetClimate(power=True, ac=True), SetTemperature(value=23)]),
    # fan
    ("风量调到3档", [SetFanSpeed(value=3)]),
    ("风量调到三档", [SetFanSpeed(value=3)]),
    ("风量大一点", [SetFanSpeed(delta=1)]),
    ("风小一点", [SetFanSpeed(delta=-1)]),
    ("风量最大", [SetFanSpeed(value=7)]),
    ("风量调到10档", [SetFanSpeed(value=10)]),  # the car clamps and says so
    # seats
    ("打开座椅加热", [SetSeatHeating(level=2)]),
    ("主驾座椅加热调到3档", [SetSeatHeating(target="driver", level=3)]),
    ("打开座椅加热三档", [SetSeatHeating(level=3)]),
    ("关闭座椅通风", [SetSeatVentilation(level=0)]),
    ("打开副驾座椅按摩", [SetSeatMassage(target="passenger", level=2)]),
    ("座椅加热调高一档", [SetSeatHeating(delta=1)]),
    ("后排座椅加热开到最大", [SetSeatHeating(target="rear", level=3)]),
    # lights, wipers, mirrors
    ("打开远光灯", [SetHeadlights(mode="high")]),
    ("大灯调成自动", [SetHeadlights(mode="auto")]),
    ("关闭大灯", [SetHeadlights(mode="off")]),
    ("打开氛围灯", [SetAmbientLight(on=True)]),
    ("氛围灯调成蓝色", [SetAmbientLight(color="blue")]),
    ("打开蓝色氛围灯", [SetAmbientLight(on=True, color="blue")]),
    ("氛围灯亮度调到80", [SetAmbientLight(brightness=80)]),
    ("氛围灯亮一点", [SetAmbientLight(brightness_delta=10)]),
    ("关闭氛围灯", [SetAmbientLight(on=False)]),
    ("打开主驾阅读灯", [SetReadingLight(target="driver", on=True)]),
    ("雨刮调到自动", [SetWipers(mode="auto")]),
    ("雨刮换成低速", [SetWipers(mode="low")]),
    ("雨刮开到最快", [SetWipers(mode="high")]),
    ("雨刮停了吧", [SetWipers(mode="off")]),
    ("折叠后视镜", [SetMirrors(folded=True)]),
    ("展开后视镜", [SetMirrors(folded=False)]),
    # media
    ("播放周杰伦的歌", [PlayMedia(query="周杰伦")]),
    ("我想听郭德纲的相声", [PlayMedia(query="郭德纲的相声")]),
    ("来点周杰伦", [PlayMedia(query="周杰伦")]),
    ("播放音乐", [PlayMedia()]),
    ("暂停", [PauseMedia()]),
    ("音乐先暂停一下", [PauseMedia()]),
    ("继续播放", [PlayMedia()]),
    ("音量调到50", [SetVolume(value=50)]),
    ("声音大一点", [SetVolume(delta=10)]),
    ("小声一点", [SetVolume(delta=-10)]),
    ("音量最大", [SetVolume(value=100)]),
    ("静音", [SetMute(muted=True)]),
    ("取消静音", [SetMute(muted=False)]),
    # navigation
    ("导航到上海虹桥站", [NavigateTo(destination="上海虹桥站")]),
    ("带我去最近的加油站", [NavigateTo(destination="最近的加油站")]),
    ("回家", [NavigateToSaved(place="home", fallback="家")]),
    ("途经苏州", [AddWaypoint(place="苏州")]),
    ("导航到首都机场途经国贸", [NavigateTo(destination="首都机场"), AddWaypoint(place="国贸")]),
    ("取消导航", [CancelNavigation()]),
    # display
    ("屏幕亮度调到70", [SetDisplayBrightness(value=70)]),
    ("屏幕亮一点", [SetDisplayBrightness(delta=10)]),
    ("中控屏调暗一点", [SetDisplayBrightness(delta=-10)]),
]


@pytest.mark.parametrize(("text", "expected"), CASES, ids=[text for text, _ in CASES])
def test_chinese_command(actions_of: Parse, text: str, expected: list[CabinAction]) -> None:
    assert actions_of(text) == tuple(expected)
