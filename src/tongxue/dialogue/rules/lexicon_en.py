"""The English lexicon: word sequences (without "the") and what they mean.

As in Chinese, a word absent here makes its clause fail: "don't", "why", "is" and the rest
of the language go to the model.
"""

from __future__ import annotations

from tongxue.dialogue.rules.seat_words import EN_SEAT_WORDS
from tongxue.dialogue.rules.tokens import (
    AGAIN,
    ALSO,
    BIT,
    BY,
    CONJ,
    COPULA,
    EVERY,
    HALF,
    INTENS,
    LEVEL_PREFIX,
    MAX,
    MIN,
    MORE,
    OFF,
    ON,
    PARTICLE,
    PRONOUN,
    SET,
    SUBJECT,
    WANT,
    ColorTok,
    Dev,
    Dim,
    FeelingTok,
    FoldTok,
    LockTok,
    ModeTok,
    MuteTok,
    SeatTok,
    SwitchTok,
    Token,
    UnitTok,
    dev,
    down,
    too_little,
    too_much,
    up,
)

# Word tables read best as written: the formatter leaves the rest of this file alone.
# fmt: off
EN_LEXICON: dict[tuple[str, ...], tuple[Token, ...]] = {}


def _add(tokens: tuple[Token, ...], *phrases: str) -> None:
    for phrase in phrases:
        key = tuple(phrase.split())
        if key in EN_LEXICON and EN_LEXICON[key] != tokens:
            raise ValueError(f"duplicate lexicon phrase {phrase!r}")
        EN_LEXICON[key] = tokens


for _phrase, _seats in EN_SEAT_WORDS.items():
    _tokens: list[Token] = []
    for _index, _seat in enumerate(_seats):
        if _index:
            _tokens.append(CONJ)
        _tokens.append(SeatTok(_seat))
    # "the rear right one", "on the passenger side": the seat, not the number 1 or "on".
    _add(tuple(_tokens), _phrase, f"{_phrase} one", f"{_phrase} ones", f"on {_phrase}")

# --- devices -------------------------------------------------------------------------------
_add((dev(Dev.WINDOW),), "window", "side window")
_add((dev(Dev.WINDOW), EVERY), "windows", "side windows")
_add((dev(Dev.SUNROOF),), "sunroof", "sun roof", "moonroof", "moon roof", "panoramic roof")
_add(
    (dev(Dev.SUNSHADE),),
    "sunshade", "sun shade", "sunshades", "roof blind", "roof shade", "sunroof shade",
    "sunroof blind", "shade", "sun blind", "sunblind",
)
_add((dev(Dev.DOOR),), "door", "doors", "car", "car doors", "door locks", "central locking")
_add(
    (dev(Dev.CHILD_LOCK),),
    "child lock", "child locks", "child safety lock", "child safety locks", "kid lock",
    "child safety", "child proof lock", "childproof lock",
)
_add((dev(Dev.TRUNK),), "trunk", "boot", "tailgate", "liftgate", "hatch", "trunk lid")
_add(
    (dev(Dev.CLIMATE),),
    "ac", "a/c", "air conditioning", "air conditioner", "air con", "aircon", "climate",
    "climate control", "hvac", "climate system",
)
_add((dev(Dev.COMPRESSOR),), "compressor", "ac compressor", "a/c compressor")
_add((dev(Dev.TEMPERATURE),), "temperature", "temp", "cabin temperature")
_add((dev(Dev.HEAT_WORD),), "heat")
_add((dev(Dev.HEATING_WORD),), "heating", "heater", "heaters")
_add((dev(Dev.VENT_WORD),), "ventilation", "ventilate", "ventilator", "ventilators", "cooling")
_add((dev(Dev.FAN),), "fan", "fan speed", "blower", "fan level", "fans", "airflow speed")
_add(
    (dev(Dev.CLIMATE_MODE),),
    "airflow", "air flow", "vent mode", "air direction", "airflow mode", "climate mode",
    "ac mode", "air distribution", "vents", "air",
)
_add(
    (dev(Dev.RECIRC),),
    "recirculation", "recirc", "air recirculation", "recirculation mode", "inside air",
    "internal air", "cabin air recirculation", "recirculate", "recirculate air",
)
_add((dev(Dev.FRESH_AIR),), "fresh air", "outside air", "fresh air mode", "outside air mode")
_add((dev(Dev.DEFROST),), "defrost", "defroster", "defog", "defogger", "demister", "defrosting")
_add(
    (dev(Dev.DEFROST_FRONT),),
    "front defrost", "front defroster", "windshield defrost", "windshield defroster",
    "windscreen defrost", "front defog", "front demister", "front windshield defrost",
)
_add(
    (dev(Dev.DEFROST_FRONT), ON),
    "defrost windshield", "defog windshield", "defrost windscreen", "demist windshield",
    "defrost front windshield", "defog front windshield",
)
_add(
    (dev(Dev.DEFROST_REAR),),
    "rear defrost", "rear defroster", "rear window defrost", "rear window defroster",
    "rear defog", "rear demister", "rear window heating", "rear window heater",
    "back window defrost",
)
_add((dev(Dev.DEFROST_REAR), ON), "defrost rear window", "defog rear window", "defrost back window")
_add((dev(Dev.SEAT),), "seat", "seats")
_add(
    (dev(Dev.SEAT_HEATING),),
    "seat heating", "seat heater", "seat heaters", "heated seat", "heated seats",
    "seat warmer", "seat warmers", "seat heat", "seats heating", "heating seat",
)
_add(
    (dev(Dev.SEAT_VENTILATION),),
    "seat ventilation", "ventilated seat", "ventilated seats", "seat cooling", "cooled seat",
    "cooled seats", "seat fan", "seat fans", "seat vent", "seat vents", "seats ventilation",
    "cooling seat", "seat ventilator",
)
_add(
    (dev(Dev.SEAT_MASSAGE),),
    "seat massage", "massage", "massager", "massage seat", "massage seats", "massage function",
    "seat massager", "massaging",
)
_add(
    (dev(Dev.HEADLIGHTS),),
    "headlights", "headlight", "head lights", "head light", "headlamps", "headlamp",
)
_add((dev(Dev.HIGH_BEAM),), "high beam", "high beams", "brights", "full beam", "full beams")
_add((dev(Dev.LOW_BEAM),), "low beam", "low beams", "dipped beam", "dipped beams", "dims")
_add((dev(Dev.HEADLIGHTS), ModeTok("auto")), "auto headlights", "automatic headlights")
_add(
    (dev(Dev.AMBIENT),),
    "ambient light", "ambient lights", "ambient lighting", "mood light", "mood lights",
    "mood lighting", "atmosphere light", "atmosphere lights", "ambience light",
    "ambience lighting", "accent lighting", "ambient",
)
_add(
    (dev(Dev.READING_LIGHT),),
    "reading light", "reading lights", "reading lamp", "reading lamps", "map light",
    "map lights",
)
_add(
    (dev(Dev.WIPERS),),
    "wipers", "wiper", "windshield wipers", "windshield wiper", "windscreen wipers",
)
_add(
    (dev(Dev.MIRRORS),),
    "mirrors", "mirror", "side mirrors", "wing mirrors", "rearview mirrors",
    "rear view mirrors", "outside mirrors", "side mirror", "door mirrors",
)
_add((dev(Dev.VOLUME),), "volume", "sound", "music", "audio", "music volume", "media volume")
_add(
    (dev(Dev.DISPLAY),),
    "screen", "display", "center screen", "centre screen", "center display",
    "centre display", "touchscreen", "touch screen", "main screen", "infotainment screen",
)
_add((dev(Dev.BRIGHTNESS),), "brightness")
_add((dev(Dev.COLOR_ATTR),), "color", "colour")
_add((dev(Dev.MODE_ATTR),), "mode", "setting")

# --- switching -------------------------------------------------------------------------------
_add(
    (ON,),
    "turn on", "switch on", "on", "open", "open up", "enable", "activate", "pop", "pop open",
    "start", "engage", "put on",
)
_add(
    (OFF,),
    "turn off", "switch off", "off", "close", "shut", "shut off", "disable", "deactivate",
    "stop", "close up", "disengage",
)
_add((SwitchTok(True, window_only=True),), "roll down", "wind down", "put down")
_add((SwitchTok(False, window_only=True),), "roll up", "wind up", "put up")
_add((ON, BIT), "crack", "crack open")
_add((LockTok(True),), "lock", "lock up")
_add((LockTok(False),), "unlock")
_add((FoldTok(True),), "fold", "fold in", "tuck in", "retract", "fold up")
_add((FoldTok(False),), "unfold", "fold out", "extend")
_add((dev(Dev.VOLUME), MuteTok(True)), "mute", "silence")
_add((dev(Dev.VOLUME), MuteTok(False)), "unmute", "un mute")

# --- setting and moving ------------------------------------------------------------------------
_add((SET,), "to", "at", "set to", "change to", "adjust to", "switch to")
_add(
    (), "set", "change", "adjust", "turn", "make", "switch", "put", "keep", "get", "roll",
    "point", "direct", "blow",
)
_add((WANT,), "i want", "i need", "i'd like", "give me", "can i get", "can i have")
_add((up(Dim.VERTICAL),), "up", "raise")
_add((down(Dim.VERTICAL),), "down", "lower")
_add((up(Dim.VERTICAL),), "turn up", "crank up", "bump up", "pump up", "crank")
_add((down(Dim.VERTICAL),), "turn down", "bring down", "knock down")
_add((up(Dim.HEIGHT),), "higher")
_add((up(Dim.INCREASE),), "increase", "boost")
_add((down(Dim.INCREASE),), "decrease", "reduce")
_add((up(Dim.SIZE),), "bigger", "wider", "more open")
_add((down(Dim.SIZE),), "smaller", "narrower")
_add((up(Dim.STRENGTH),), "stronger")
_add((down(Dim.STRENGTH),), "weaker")
_add((up(Dim.SPEED),), "faster")
_add((down(Dim.SPEED),), "slower")
_add((up(Dim.BRIGHT, Dev.AMBIENT, Dev.DISPLAY),), "brighter", "brighten")
_add((down(Dim.BRIGHT, Dev.AMBIENT, Dev.DISPLAY),), "dimmer", "darker", "dim", "darken")
_add((up(Dim.WARMTH, Dev.TEMPERATURE),), "warmer", "hotter", "heat up", "warm up")
_add((down(Dim.WARMTH, Dev.TEMPERATURE),), "cooler", "colder", "cool down", "cool off")
_add((up(Dim.LOUDNESS, Dev.VOLUME),), "louder")
_add((down(Dim.LOUDNESS, Dev.VOLUME),), "quieter", "softer")

# --- amounts -----------------------------------------------------------------------------------
_add(
    (BIT,),
    "a bit", "a little", "a little bit", "slightly", "a tad", "a touch", "bit", "little",
    "a notch", "one notch", "a step", "one step",
)
_add((HALF,), "half", "halfway", "half way", "half open", "50 50", "in half")
_add(
    (MAX,),
    "max", "maximum", "full", "fully", "all way", "highest", "full blast", "top", "all way up",
    "brightest", "loudest", "strongest", "maxed", "max out",
)
_add((MIN,), "min", "minimum", "lowest", "dimmest", "quietest", "weakest", "all way down")
_add((UnitTok("degree"),), "degrees", "degree", "°", "°c", "c", "celsius", "degrees celsius")
_add((UnitTok("percent"),), "percent", "%", "per cent")
_add((LEVEL_PREFIX,), "level", "speed", "setting level", "notch")
_add((BY,), "by")
_add((AGAIN,), "again", "even", "still")
_add((MORE,), "more", "some more")
_add((AGAIN, MORE, BIT), "a bit more", "a little more", "little more", "bit more")

# --- feelings -------------------------------------------------------------------------------------
_add((FeelingTok(1),), "cold", "chilly", "freezing", "frozen")
_add(
    (FeelingTok(-1),),
    "hot", "warm", "boiling", "stuffy", "roasting", "sweating", "burning up", "melting",
    "sweltering",
)
_add(
    (SUBJECT,),
    "i'm", "i am", "im", "it's", "it is", "its", "i feel", "i'm feeling", "feeling", "getting",
    "i'm getting", "it's getting", "we're", "we are",
)
_add(
    (INTENS,),
    "so", "very", "really", "kind of", "kinda", "pretty", "quite", "rather", "way too", "far too",
    "a bit too", "a little too", "much too",
)
_add((COPULA,), "is", "are", "'s")
# Adjectives that only describe: "the screen is too dark" asks for brighter.
_add((too_little(Dim.BRIGHT, Dev.AMBIENT, Dev.DISPLAY),), "dark")
_add((too_much(Dim.BRIGHT, Dev.AMBIENT, Dev.DISPLAY),), "bright")
_add((too_much(Dim.LOUDNESS, Dev.VOLUME),), "loud")
_add((too_little(Dim.LOUDNESS, Dev.VOLUME),), "quiet", "soft")
_add((too_much(Dim.STRENGTH),), "strong")
_add((too_little(Dim.STRENGTH),), "weak")

# --- colours and modes ----------------------------------------------------------------------------
for _color in ("red", "blue", "green", "purple", "white", "orange", "yellow", "pink", "cyan"):
    _add((ColorTok(_color),), _color)
_add((ModeTok("auto"),), "auto", "automatic", "auto mode", "automatic mode")
_add((ModeTok("face"),), "face", "face mode", "upper body", "face vents", "my face")
_add((ModeTok("feet"),), "feet", "foot", "floor", "feet mode", "floor mode", "my feet", "footwell")
_add(
    (ModeTok("face_feet"),),
    "face and feet", "face and floor", "bi level", "bilevel", "face feet", "face and foot",
    "my face and feet",
)
_add((ModeTok("windshield"),), "windshield", "windscreen", "windshield mode", "defrost mode")
_add((ModeTok("high"),), "high", "high speed", "fast")
_add((ModeTok("low"),), "low", "low speed", "slow")

# --- glue ----------------------------------------------------------------------------------
_add((PARTICLE,), "for", "of", "in", "side", "please", "now", "just", "a", "all around")
_add((CONJ,), "and")
_add((ALSO,), "also", "too", "as well", "same for", "same", "do same for", "same thing for")
_add((PRONOUN,), "it", "that", "them", "this", "those", "things")

EN_MAX_WORDS = max(len(key) for key in EN_LEXICON)
