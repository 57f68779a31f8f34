"""What kind of thing was said, for the owner's manual: a question or a symptom, a request
to act, a question about the car rather than the world, a question asking for a judgement.

Word patterns only, so the answer is the same on every machine; the manual's search decides
what the question is about.
"""

from __future__ import annotations

import re

from tongxue.dialogue.language import Language

# A question, in either language: how/what/why/where, a yes-no ending, a question mark.
_QUESTION_ZH = re.compile(
    r"怎么|怎样|如何|什么|啥|为什么|为啥|哪|吗|呢|多少|多久|多长|多大|多重|多深|多高|多远|多快|几|"
    r"是否|能否|能不能|可不可以|要不要|有没有|会不会|行不行|干嘛|干啥|意思|咋|办法|[?？]|"
    # 装前轮还是后轮: a choice asked; 还是撤销吧 is no question.
    r"\S还是\S(?!.*吧$)"
)
_QUESTION_EN = re.compile(
    r"^\s*(can|could|should|is|are|do|does|did|will|may|must|am)\b|"
    r"\b(how|what|what's|whats|why|where|when|which|who)\b|\?|\bmeans?\b",
    re.IGNORECASE,
)
# Words that put a question about the car itself, not the world: what the manual would
# have to answer, so its silence is a "not in the manual", not a chat.
_CAR_WORDS = re.compile(
    r"车|仪表|警告灯|指示灯|故障灯|报警|保养|轮|胎|充电|续航|油|电池|座椅|空调|方向盘|刹车|"
    r"发动机|增程器|雷达|摄像头|后视镜|雨刮|雨刷|天窗|车窗|车门|后备箱|尾门|前舱|引擎盖|"
    r"安全带|气囊|钥匙|大灯|灯光|挡位|档位|HUD|抬头显示|拖车|拖挂|底盘|悬架|悬挂|冰箱|"
    r"漆|剐蹭|刮蹭|保险|理赔|保修|质保|年检|4S店|ETC|桌板|挡风玻璃|玻璃|加速|百公里|马力|扭矩|"
    r"油耗|电耗|车机|导航|屏|音响|蓝牙|快充|慢充|充到|充满|暖风|冷风|出风|涉水|积水|"
    r"\b(cars?|vehicle|dashboard|warning|tyres?|tires?|wheels?|charg\w*|range|fuel|petrol|"
    r"gas|oil|battery|seats?|brakes?|engine|steering|mirrors?|wipers?|sunroof|windows?|"
    r"doors?|trunk|boot|bonnet|hood|airbags?|seatbelts?|keys?|headlights?|lights?|gears?|"
    r"hud|head-up|trailer|tow\w*|suspension|fridge|radar|camera|cruise|parking|paint|"
    r"scratch\w*|roof|rack|carplay|android auto|bluetooth|insurance|warranty|dealer|"
    r"licen[cs]e|accelerat\w*|0 to 100|horsepower|torque|mpg|consumption|sat ?nav|screens?|"
    r"stereo|speakers?)\b",
    re.IGNORECASE,
)
# Something wrong with the car, said as a statement ("仪表盘上亮了个黄灯", "my tyre is flat"):
# the manual's what-to-do sections answer it as if it were asked.
_SYMPTOM = re.compile(
    r"(灯|图标|标志|符号|指示|感叹号|仪表).{0,8}(亮了|亮起|亮着|在闪|闪烁|一直闪)|"
    r"(亮了|亮起|出来|出现)(一)?个.{0,10}(灯|图标|标志|符号|感叹号)|"
    r"报警|警告|故障|坏了|漏气|爆胎|没气|没电|亏电|打不着|启动不了|异响|冒烟|进水|撞了|追尾|"
    r"抛锚|趴窝|图标|仪表上|仪表盘上|滴滴|响个不停|一直响|"
    r"\b(came on|come on|lit up|flashing|blinking|warning|broke|broken|flat (tyre|tire)|"
    r"(tyre|tire) is flat|puncture|on the (display|dashboard|dash|cluster|screen)|"
    r"won't start|dead|smoke|smoking|crash|crashed|accident|flooded|stuck|noise|overheat\w*|"
    r"(light|lamp|symbol|icon)s? (is|are|keeps?) (on|lit|flashing|blinking))\b",
    re.IGNORECASE,
)
# A request to do something now ("帮我把座椅热一下", "could you turn on the fog lights"),
# which is the car's or the model's to act on, unless it asks how or what. "能不能…" that
# the rules did not understand is a question about what the car can do.
_REQUEST_ZH = re.compile(
    r"^(帮我|给我|请你?|麻烦你?|帮忙|打开|关闭|关掉|切换)|^(把|将).{1,12}(调|开|关|设|换|切)"
)
# Verbs whose object is free words (a title, a place, a name): "播放等什么君" is a request
# even with 什么 in the title.
_REQUEST_WITH_TITLE_ZH = re.compile(r"^(播放|导航到|导航去|打电话给|拨打|来一?首|放一?首)")
_REQUEST_EN = re.compile(
    r"^\s*(please|can you|could you|would you|will you|(can|could|may) i (get|have)|turn|"
    r"switch|set|open|close|play|navigate|call|make|put|start|stop)\b",
    re.IGNORECASE,
)
# Greetings and small talk, which are the model's to answer whatever words they share
# with the manual ("good morning, how's it going").
_SMALL_TALK = re.compile(
    r"^\W*(good (morning|afternoon|evening|night)|how are you|how's it going|what's up|"
    r"thanks?|thank you)\b|^\W*(hi|hello|hey)\W*(tongxue)?\W*$|how('s| is) it going|"
    r"how are you|"
    r"^(你好|您好|早上好|中午好|下午好|晚上好|晚安|谢谢|在吗|在不在)|你(好吗|是谁|叫什么)",
    re.IGNORECASE,
)
_ASKS_HOW_ZH = re.compile(r"怎么|如何|怎样|什么|为什么|为啥|哪|多少|多久|几|是不是|会不会|意思|咋")
_ASKS_HOW_EN = re.compile(
    r"\b(how|what|why|where|when|which|mean|means)\b|\bcan i (?!get|have)|\bshould i\b|"
    r"\bdo i\b",
    re.IGNORECASE,
)
# A status question that asks for a judgement, which the manual's norms answer.
_NORM = re.compile(
    r"正常|标准|合适|够不够|够吗|建议|应该|多少合适|\b(normal|ok|okay|fine|enough|recommended|"
    r"should|right)\b",
    re.IGNORECASE,
)


def asks_for_norm(text: str) -> bool:
    """A live reading asked about with a judgement in mind: 胎压正常吗, are my tyres ok."""
    return bool(_NORM.search(text))


def is_small_talk(text: str) -> bool:
    return bool(_SMALL_TALK.search(text))


def is_request(text: str, language: Language) -> bool:
    """A request to act now, not a question about how things work."""
    if language == "zh":
        if _REQUEST_WITH_TITLE_ZH.search(text):
            return True
        return bool(_REQUEST_ZH.search(text)) and not _ASKS_HOW_ZH.search(text)
    return bool(_REQUEST_EN.search(text)) and not _ASKS_HOW_EN.search(text)


def is_question(text: str, language: Language) -> bool:
    pattern = _QUESTION_ZH if language == "zh" else _QUESTION_EN
    return bool(pattern.search(text))


def is_symptom(text: str) -> bool:
    """Something wrong with the car said as a statement: 仪表上亮了个黄灯, my tyre is flat."""
    return bool(_SYMPTOM.search(text))


def about_the_car(text: str) -> bool:
    """Names a part or matter of the car, so the manual's silence is an answer."""
    return bool(_CAR_WORDS.search(text))
