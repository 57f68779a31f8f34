"""Seat and group words of the contract (and their everyday variants), both languages.

Each word maps to the seat references it names; a list of two is a pair like 二排 that no
single group word of the contract covers exactly.
"""

from __future__ import annotations

from tongxue.dialogue.rules.tokens import SeatRef

# Word tables read best as written: the formatter leaves the rest of this file alone.
# fmt: off
ZH_SEAT_WORDS: dict[str, tuple[SeatRef, ...]] = {}
EN_SEAT_WORDS: dict[str, tuple[SeatRef, ...]] = {}


def _add(table: dict[str, tuple[SeatRef, ...]], seats: tuple[SeatRef, ...], *words: str) -> None:
    for word in words:
        table[word] = seats


# --- Chinese ---------------------------------------------------------------------------
_add(
    ZH_SEAT_WORDS, ("driver",),
    "主驾", "主驾驶", "司机", "左前", "主驾位", "主驾驶位", "驾驶位", "驾驶座", "主驾座",
    "主驾驶座", "主驾驶侧", "主驾侧", "驾驶员", "左前方", "左前侧", "司机位",
)
_add(
    ZH_SEAT_WORDS, ("passenger",),
    "副驾", "副驾驶", "右前", "副驾位", "副驾驶位", "副驾座", "副驾驶座", "副驾驶侧",
    "副驾侧", "右前方", "右前侧",
)
_add(
    ZH_SEAT_WORDS, ("rear_left",),
    "左后", "二排左", "后排左侧", "后排左", "左后方", "左后侧", "二排左侧", "第二排左",
    "第二排左侧", "后排左边", "二排左边", "左后座",
)
_add(
    ZH_SEAT_WORDS, ("rear_right",),
    "右后", "二排右", "后排右侧", "后排右", "右后方", "右后侧", "二排右侧", "第二排右",
    "第二排右侧", "后排右边", "二排右边", "右后座",
)
_add(ZH_SEAT_WORDS, ("third_left",), "三排左", "三排左侧", "第三排左", "第三排左侧", "三排左边")
_add(
    ZH_SEAT_WORDS, ("third_right",), "三排右", "三排右侧", "第三排右", "第三排右侧", "三排右边"
)
_add(ZH_SEAT_WORDS, ("front",), "前排", "前排座椅", "第一排", "一排", "前面", "主副驾", "主副驾驶")
_add(ZH_SEAT_WORDS, ("rear",), "后排", "后座", "后排座椅", "后面")
_add(ZH_SEAT_WORDS, ("third_row",), "三排", "第三排")
_add(ZH_SEAT_WORDS, ("rear_left", "rear_right"), "二排", "第二排")
_add(ZH_SEAT_WORDS, ("all",), "全部", "所有", "全车", "所有的", "全部的", "全车的", "每个")
# Contract v2's groups.
_add(ZH_SEAT_WORDS, ("second_row",), "中排", "中间一排")
_add(ZH_SEAT_WORDS, ("third_row",), "最后一排")
_add(ZH_SEAT_WORDS, ("left_side",), "左边", "左侧", "左边的", "左侧的")
_add(ZH_SEAT_WORDS, ("right_side",), "右边", "右侧", "右边的", "右侧的")
_add(ZH_SEAT_WORDS, (None,), "我", "我的", "我这边", "我这里", "我这儿", "给我", "我这个")

# --- English ---------------------------------------------------------------------------
_add(
    EN_SEAT_WORDS, ("driver",),
    "driver", "driver's", "drivers", "front left", "driver side", "driver's side",
    "left front",
)
_add(
    EN_SEAT_WORDS, ("passenger",),
    "passenger", "passenger's", "front passenger", "front passenger's", "front right",
    "passenger side", "passenger's side", "right front", "co driver",
)
_add(
    EN_SEAT_WORDS, ("rear_left",),
    "rear left", "second row left", "back left", "left rear", "left back",
)
_add(
    EN_SEAT_WORDS, ("rear_right",),
    "rear right", "second row right", "back right", "right rear", "right back",
)
_add(EN_SEAT_WORDS, ("third_left",), "third row left", "left third row")
_add(EN_SEAT_WORDS, ("third_right",), "third row right", "right third row")
_add(EN_SEAT_WORDS, ("front",), "front", "front row")
_add(EN_SEAT_WORDS, ("rear",), "rear", "back", "back row", "rear row")
_add(EN_SEAT_WORDS, ("third_row",), "third row")
_add(EN_SEAT_WORDS, ("rear_left", "rear_right"), "second row")
_add(EN_SEAT_WORDS, ("all",), "all", "every", "all of", "everyone's", "all four")
_add(
    EN_SEAT_WORDS, (None,),
    "my", "mine", "here", "my side", "me", "back here", "over here", "in here", "my one",
)
_add(EN_SEAT_WORDS, ("rear",), "in back", "back there", "in rear", "both rear", "both back")
_add(EN_SEAT_WORDS, ("front",), "in front", "up front", "both front")
_add(EN_SEAT_WORDS, ("all",), "everyone", "everybody")
# Contract v2's groups.
_add(EN_SEAT_WORDS, ("second_row",), "middle row")
_add(EN_SEAT_WORDS, ("third_row",), "last row")
_add(EN_SEAT_WORDS, ("left_side",), "left side")
_add(EN_SEAT_WORDS, ("right_side",), "right side")
