"""The Chinese lexicon: every word the scanner may accept, and what it means.

A word absent here makes its clause fail, which is the point: 不要, 为什么, 吗 and the
rest of the language go to the model. Keep entries specific; a short word that is also a
piece of a longer word is fine, because the scanner always takes the longest match.
"""

from __future__ import annotations

from tongxue.dialogue.rules.seat_words import ZH_SEAT_WORDS
from tongxue.dialogue.rules.tokens import (
    AGAIN,
    ALSO,
    BIT,
    CONJ,
    EVERY,
    FEEL_BIT,
    HALF,
    INTENS,
    LE,
    MAX,
    MIN,
    MORE,
    OFF,
    ON,
    PARTICLE,
    PRONOUN,
    SET,
    SPEAKER,
    ColorTok,
    Dev,
    Dim,
    FeelingTok,
    FoldTok,
    LockTok,
    ModeTok,
    MuteTok,
    QuantityTok,
    SeatTok,
    SwitchTok,
    Token,
    dev,
    down,
    up,
)

# Word tables read best as written: the formatter leaves the rest of this file alone.
# fmt: off
ZH_LEXICON: dict[str, tuple[Token, ...]] = {}


def _add(tokens: tuple[Token, ...], *words: str) -> None:
    for word in words:
        if word in ZH_LEXICON and ZH_LEXICON[word] != tokens:
            raise ValueError(f"duplicate lexicon word {word!r}")
        ZH_LEXICON[word] = tokens


for _word, _seats in ZH_SEAT_WORDS.items():
    # A pair like 二排 is two seat tokens joined, as if said "二排左和二排右".
    _tokens: list[Token] = []
    for _index, _seat in enumerate(_seats):
        if _index:
            _tokens.append(CONJ)
        _tokens.append(SeatTok(_seat))
    _add(tuple(_tokens), _word)

# --- devices -----------------------------------------------------------------------------
_add((dev(Dev.WINDOW),), "车窗", "窗户", "窗", "窗子", "车窗户", "窗口", "玻璃", "车窗玻璃")
_add((dev(Dev.SUNROOF),), "天窗", "全景天窗")
_add(
    (dev(Dev.SUNSHADE),),
    "遮阳帘", "遮阳板", "天窗遮阳帘", "遮光帘", "天幕遮阳帘", "遮阳", "天窗帘", "天幕", "窗帘",
    "车窗遮阳帘",
)
_add((dev(Dev.DOOR),), "车门", "门", "所有车门", "四门", "车辆")
_add((dev(Dev.DOOR_LOCK),), "门锁", "车锁", "中控锁", "车门锁")
_add((dev(Dev.CHILD_LOCK),), "儿童锁", "童锁", "儿童安全锁")
_add((dev(Dev.TRUNK),), "后备箱", "后备厢", "尾门", "行李箱", "后尾门", "电动尾门")
_add((dev(Dev.CLIMATE),), "空调", "空调系统")
_add((dev(Dev.COMPRESSOR),), "ac", "a/c", "压缩机", "制冷", "空调制冷", "ac制冷")
_add((dev(Dev.TEMPERATURE),), "温度", "空调温度", "车内温度", "车温", "气温")
_add(
    (dev(Dev.FAN),),
    "风量", "风速", "风力", "空调风量", "空调风速", "风", "风扇", "鼓风机", "出风量", "风档",
    "风力等级", "风量等级", "风速等级", "空调风力",
)
_add((dev(Dev.CLIMATE_MODE),), "出风模式", "空调模式", "吹风模式", "出风方向", "风向")
_add((dev(Dev.RECIRC),), "内循环", "空气内循环")
_add((dev(Dev.FRESH_AIR),), "外循环", "空气外循环")
_add((dev(Dev.DEFROST),), "除雾", "除霜", "除雾功能", "除霜功能")
_add(
    (dev(Dev.DEFROST_FRONT),),
    "前挡除雾", "前挡风除雾", "前挡风玻璃除雾", "前除雾", "前除霜", "前挡除霜", "前风挡除雾",
    "挡风玻璃除雾", "前窗除雾", "前挡风除霜",
)
_add(
    (dev(Dev.DEFROST_REAR),),
    "后挡除雾", "后挡风除雾", "后挡风玻璃除雾", "后除雾", "后除霜", "后挡除霜", "后窗除雾",
    "后窗除霜", "后风挡除雾", "后挡风除霜", "后窗加热", "后挡风加热",
)
_add((dev(Dev.SEAT),), "座椅", "座位", "椅子", "座")
_add((dev(Dev.SEAT_HEATING),), "座椅加热", "加热", "座椅加热功能", "座位加热")
_add((dev(Dev.SEAT_VENTILATION),), "座椅通风", "通风", "座椅通风功能", "座位通风")
_add((dev(Dev.SEAT_MASSAGE),), "座椅按摩", "按摩", "座椅按摩功能", "按摩功能", "座位按摩")
_add((dev(Dev.HEADLIGHTS),), "大灯", "前大灯", "车灯", "头灯", "前照灯", "车大灯", "车外灯")
_add((dev(Dev.LOW_BEAM),), "近光灯", "近光")
_add((dev(Dev.HIGH_BEAM),), "远光灯", "远光")
_add((dev(Dev.HEADLIGHTS), ModeTok("auto")), "自动大灯", "自动头灯")
_add((dev(Dev.AMBIENT),), "氛围灯", "气氛灯", "环境灯", "车内氛围灯", "氛围灯光")
_add((dev(Dev.READING_LIGHT),), "阅读灯", "阅读灯光", "读书灯", "看书灯")
_add(
    (dev(Dev.WIPERS),),
    "雨刮", "雨刷", "雨刮器", "雨刷器", "前雨刮", "雨刮片", "前雨刷", "前车窗雨刷器", "前车窗雨刷",
    "前挡雨刷", "雨刷片",
)
_add((dev(Dev.MIRRORS),), "后视镜", "外后视镜", "左右后视镜", "两边后视镜", "反光镜")
_add(
    (dev(Dev.VOLUME),),
    "音量", "声音", "媒体音量", "音乐声音", "音乐音量", "喇叭", "声量", "声响", "蓝牙音乐音量",
    "蓝牙音量", "视频声音", "视频的声音", "视频音量", "多媒体音量", "媒体声音", "音响",
    "视频的音量", "电视剧的音量", "电视剧音量", "电视剧的声音", "电影的音量", "电影声音",
)
_add(
    (dev(Dev.DISPLAY),),
    "屏幕", "中控屏", "中控屏幕", "显示屏", "大屏", "中控", "中控大屏", "车机屏幕", "屏",
    "一体屏", "主驾屏", "主驾屏幕", "主驾驶屏幕", "中控显示屏", "大屏幕",
)
_add((dev(Dev.BRIGHTNESS),), "亮度")
_add((dev(Dev.COLOR_ATTR),), "颜色", "灯光颜色", "颜色调")
_add((dev(Dev.MODE_ATTR),), "模式", "档位")

# --- switching -----------------------------------------------------------------------------
_add(
    (ON,),
    "打开", "开启", "开", "开一下", "启动", "启用", "打开下", "开起来", "开开", "点亮", "亮起",
    "拉开",
)
_add(
    (OFF,),
    "关闭", "关掉", "关上", "关", "关了", "关掉了", "关闭掉", "合上", "停掉", "停止", "停",
    "停下", "停下来", "拉上", "拉起来",
)
_add((SwitchTok(True, window_only=True),), "降下", "降下来", "摇下", "摇下来", "放下", "放下来")
_add((SwitchTok(False, window_only=True),), "升起", "升起来", "升上去", "摇上", "摇上去")
_add((ON, BIT), "开个缝", "开条缝", "开一条缝", "开一个缝")
_add((ON, MAX), "全开", "全部打开", "开满", "开到底", "打满")
_add((OFF, MIN), "全关", "关死", "关严")
_add((LockTok(True),), "锁", "锁上", "上锁", "锁住", "锁好", "落锁")
_add((LockTok(False),), "解锁", "开锁", "解开锁")
_add((dev(Dev.DOOR), LockTok(True)), "锁车", "锁门", "锁车门")
_add((dev(Dev.DOOR), LockTok(False)), "解锁车门", "解锁车辆")
_add((FoldTok(True),), "折叠", "收起", "收回", "折起", "折叠起来", "收起来", "折回", "收折")
_add((FoldTok(False),), "展开", "打开来", "展开来", "放开")
_add((dev(Dev.VOLUME), MuteTok(True)), "静音", "消音", "全部静音", "全车静音")
_add((dev(Dev.VOLUME), MuteTok(False)), "取消静音", "解除静音", "关闭静音", "关掉静音")

# --- setting and moving ---------------------------------------------------------------------
_add(
    (SET,),
    "调到", "调成", "调为", "调至", "设为", "设置为", "设置成", "设成", "设到", "设置到",
    "改成", "改为", "改到", "换成", "换到", "变成", "切换到", "切换成", "切换为", "切到",
    "到", "至", "开到", "关到", "调整到", "调整为", "设定为", "设定到", "定在",
    "保持", "保持在", "在", "放到", "打到", "升到", "降到", "开成", "调回", "改回", "切回", "换回",
    "调回到", "切回到", "改回到", "恢复成", "恢复到", "调节为", "调节到", "调节成", "调整成",
)
_add((), "调", "调整", "设置", "调节", "切换", "设定", "弄", "搞", "来", "给")
_add((up(Dim.HEIGHT),), "高", "调高", "升高", "提高", "高些", "往上调", "调上去", "抬高")
_add((down(Dim.HEIGHT),), "低", "调低", "降低", "低些", "往下调", "调下来", "调下去")
_add((up(Dim.VERTICAL),), "升", "上升")
_add((down(Dim.VERTICAL),), "降", "下降")
_add((up(Dim.SIZE),), "大", "调大", "加大", "开大", "放大", "变大", "大些")
_add((down(Dim.SIZE),), "小", "调小", "减小", "关小", "变小", "小些", "开小", "放轻")
_add((up(Dim.INCREASE),), "增加", "加", "增大", "加高")
_add((down(Dim.INCREASE),), "减少", "减", "减低", "降下去")
_add((up(Dim.STRENGTH),), "强", "加强", "调强", "强些", "猛")
_add((down(Dim.STRENGTH),), "弱", "减弱", "调弱", "弱些")
_add((up(Dim.SPEED),), "快", "加快")
_add((down(Dim.SPEED),), "慢", "放慢")
_add((up(Dim.BRIGHT, Dev.AMBIENT, Dev.DISPLAY),), "亮", "调亮", "变亮", "亮些")
_add((down(Dim.BRIGHT, Dev.AMBIENT, Dev.DISPLAY),), "暗", "调暗", "变暗", "暗些")
_add((up(Dim.WARMTH, Dev.TEMPERATURE),), "暖", "暖和", "暖和些", "热乎")
_add((down(Dim.WARMTH, Dev.TEMPERATURE),), "凉", "凉快", "凉爽", "凉快些")
# 冷/热 followed by 一点 is "colder/warmer"; alone they are feelings (below).
_add((up(Dim.WARMTH, Dev.TEMPERATURE), BIT), "热一点", "热点", "热一些")
_add((down(Dim.WARMTH, Dev.TEMPERATURE), BIT), "冷一点", "冷点", "冷一些")
_add((up(Dim.LOUDNESS, Dev.VOLUME),), "大声", "响", "大声些", "响些")
_add((down(Dim.LOUDNESS, Dev.VOLUME),), "小声", "小声些", "轻声")

# --- amounts --------------------------------------------------------------------------------
_add((BIT,), "一点", "一些", "点", "些", "一点点", "稍微", "稍稍", "略微", "一丢丢", "一点儿")
_add((HALF,), "一半", "半", "一半的位置")
_add(
    (MAX,), "最大", "最高", "最亮", "最强", "最大档", "最高档", "满", "最满", "百分百", "最快"
)
_add((MIN,), "最小", "最低", "最暗", "最弱", "最小档", "最低档", "最慢")
_add((QuantityTok("number", 100, "percent"),), "百分之百")
_add((AGAIN,), "再", "还", "更", "再次", "再稍微", "更加")
_add((MORE,), "多", "再多", "再来")
_add((AGAIN, MORE, BIT), "再来一点", "再来点", "再多一点", "再多点", "多来点", "多一点")

# --- feelings -------------------------------------------------------------------------------
_add((FeelingTok(1),), "冷", "冷了", "冻", "凉了")
_add((FeelingTok(-1),), "热", "热了", "闷", "闷热", "燥热")
_add((FeelingTok(1), INTENS), "冷死了", "冻死了", "冷死", "冻死")
_add((FeelingTok(-1), INTENS), "热死了", "闷死了", "热死", "闷死")
_add((FeelingTok(1), INTENS), "冻死我了", "冷死我了", "冻死了我")
_add((FeelingTok(-1), INTENS), "热死我了", "闷死我了", "热死了我")
_add((SPEAKER, FeelingTok(1), INTENS), "我冷", "我冷了")
_add((SPEAKER, FeelingTok(-1), INTENS), "我热", "我热了")
_add((FEEL_BIT,), "有点", "有点儿", "有些", "有一点", "有一点点")
# "还是有点冷" after a change: the feeling again, one more step the same way.
_add((FEEL_BIT,), "还是有点", "还是有点儿", "还是有些")
_add((INTENS,), "好", "太", "很", "非常", "特别", "真", "挺", "蛮", "超", "感觉", "觉得", "感到")

# --- colours and modes ----------------------------------------------------------------------
_COLORS = {
    "red": ("红色", "红"),
    "blue": ("蓝色", "蓝"),
    "green": ("绿色", "绿"),
    "purple": ("紫色", "紫"),
    "white": ("白色", "白"),
    "orange": ("橙色", "橙", "橘色", "橘黄色"),
    "yellow": ("黄色", "黄"),
    "pink": ("粉色", "粉", "粉红色", "粉红"),
    "cyan": ("青色", "青"),
}
for _color, _words in _COLORS.items():
    _add((ColorTok(_color),), *_words)

_add((ModeTok("auto"),), "自动", "自动模式", "自动档", "auto")
_add((ModeTok("face"),), "吹脸", "吹面", "吹脸模式", "吹面模式", "面部", "脸部", "吹上身")
_add((ModeTok("feet"),), "吹脚", "吹脚模式", "脚部", "吹脚部", "吹下身")
_add(
    (ModeTok("face_feet"),),
    "吹脸吹脚", "吹面吹脚", "吹脸和吹脚", "吹面和吹脚", "吹脸加吹脚", "吹脸和脚", "脸和脚",
    "吹脸吹脚模式", "吹面吹脚模式",
)
_add((ModeTok("windshield"),), "吹挡风玻璃", "吹风挡", "吹前挡", "除雾模式", "除霜模式")
_add((ModeTok("high"),), "高速", "高速档", "快档", "快速", "快速档")
_add((ModeTok("low"),), "低速", "低速档", "慢档", "慢速", "慢速档")

# --- glue -----------------------------------------------------------------------------------
_add(
    (PARTICLE,),
    "的", "把", "将", "这边", "那边", "位置", "位", "侧", "边", "一起", "车里", "车内",
    "车上", "帮我", "功能", "下", "啊", "呀", "哦", "吧", "哈",
)
# A reason said before the request ("太晒了把天幕关上"): it asks for nothing by itself, and
# the contract gives it no change of its own.
_add((PARTICLE,), "太晒了", "好晒啊", "好晒", "太晒", "晒死了")
_add((CONJ,), "和", "跟", "与", "以及", "还有", "、")
_add((LE,), "了")
_add((EVERY,), "都", "全都", "统统")
_add((ALSO,), "也", "也是", "也要", "也一样", "一样", "同样", "也来", "也来一个")
_add((PRONOUN,), "它", "这个", "那个")

ZH_MAX_WORD = max(len(word) for word in ZH_LEXICON)
