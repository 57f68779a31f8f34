"""Templates for the embedding detector: the phrase synthesized in voices of its own.

A configured phrase nobody enrolled is spoken by the TEMPLATE voices below, which are
deliberately not the speakers `tongxue.voice.synthetic` gives benchmarks and tests
(`VARIANTS_ZH`, `VARIANTS_EN`): a detector that only knew its test voices would measure
nothing. Romanized Chinese ("hey Tongxue") is respelled for the English voices ("hey tong
shway"), which would otherwise read it as English. The vectors are cached on disk, keyed by
voice, text and model, so they are synthesized once per machine.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict
from pathlib import Path

import numpy as np

from tongxue.voice.audio import Audio
from tongxue.voice.synthetic import SyntheticSpeaker, VoiceVariant
from tongxue.voice.vocabulary import has_chinese
from tongxue.voice.wake.embedding import SpeechEmbedder, Vectors
from tongxue.voice.wake.pinyin import split_pinyin
from tongxue.voice.wake.trim import trimmed

logger = logging.getLogger(__name__)

TEMPLATE_VOICES_ZH: tuple[VoiceVariant, ...] = (
    VoiceVariant("tpl-zh-m2", "zh", "espeak", "cmn-latn-pinyin+m2", 1.0, 45),
    VoiceVariant("tpl-zh-f1", "zh", "espeak", "cmn-latn-pinyin+f1", 1.05, 65),
    VoiceVariant("tpl-zh-m5", "zh", "espeak", "cmn-latn-pinyin+m5", 0.95, 50),
)
TEMPLATE_VOICES_EN: tuple[VoiceVariant, ...] = (
    VoiceVariant("tpl-en-joe-slow", "en", "piper", speed=0.93, pitch=1.0),
    VoiceVariant("tpl-en-us", "en", "espeak", "en-us", 1.0, 50),
    VoiceVariant("tpl-en-f2", "en", "espeak", "en+f2", 1.0, 60),
)
# Bumped when what goes into a template changes (trimming, respelling), invalidating the cache.
_VERSION = 2
# Silence around the speech: each vector hears 775 ms, so without it the phrase's first and
# last syllables would only ever be heard half; with it the template also says "a pause, then
# the phrase, then a pause", which "同学们" or "你好，打开车窗" are not.
PAD_BEFORE = 0.4
PAD_AFTER = 0.3

# Pinyin spelled the way an English voice says it closest.
_RESPELL_INITIALS = {"x": "sh", "q": "ch", "j": "j", "zh": "j", "c": "ts", "z": "dz"}
_RESPELL_FINALS = {
    "ue": "way", "ve": "way", "i": "ee", "ui": "way", "iu": "yo", "ou": "oh", "ao": "ow",
    "ai": "eye", "ei": "ay", "ie": "yeh", "ian": "yen", "uo": "waw", "ong": "ong",
    "iang": "yahng", "iong": "yong", "ing": "ing", "in": "een", "u": "oo", "a": "ah",
    "e": "uh", "an": "ahn", "ang": "ahng", "en": "un", "eng": "ung", "iao": "yow",
}  # fmt: skip


def respelled(syllable: str) -> str:
    """One pinyin syllable as an English reader would say it ("xue" → "shway")."""
    initial = next((i for i in ("zh", "ch", "sh") if syllable.startswith(i)), syllable[:1])
    if syllable == initial or initial in "aoe":
        initial = ""
    final = syllable[len(initial) :]
    return _RESPELL_INITIALS.get(initial, initial) + _RESPELL_FINALS.get(final, final)


def speakable(phrase: str, language: str) -> str:
    """The text a voice of `language` says for the phrase.

    Chinese voices take it as it is; English ones get romanized Chinese words of several
    syllables respelled ("hey Tongxue" → "hey tong shway").
    """
    if language == "zh":
        return phrase
    words = []
    for word in phrase.split():
        syllables = split_pinyin(word) if word.isascii() else None
        if syllables is not None and len(syllables) > 1:
            words.append(" ".join(respelled(s) for s in syllables))
        else:
            words.append(word)
    return " ".join(words)


def padded(speech: Audio) -> Audio:
    speech = speech.for_models()
    return Audio.concat([Audio.silence(PAD_BEFORE), speech, Audio.silence(PAD_AFTER)])


def template_voices(phrase: str) -> tuple[VoiceVariant, ...]:
    return TEMPLATE_VOICES_ZH if has_chinese(phrase) else TEMPLATE_VOICES_EN


class TemplateBank:
    """Makes (and caches) the template vectors of configured phrases."""

    def __init__(
        self,
        embedder: SpeechEmbedder,
        piper_dir: Path,
        cache_dir: Path | None,
        vad_path: Path | None = None,
        model_tag: str = "speech-embedding",
    ) -> None:
        self._embedder = embedder
        self._piper_dir = piper_dir
        self._cache_dir = cache_dir
        self._vad_path = vad_path
        self._model_tag = model_tag
        self._speaker: SyntheticSpeaker | None = None

    def synthesized(self, phrase: str) -> list[Vectors]:
        return [
            self._vectors(voice, speakable(phrase, voice.language))
            for voice in template_voices(phrase)
        ]

    def of_samples(self, samples: Sequence[Audio]) -> list[Vectors]:
        """Templates from recordings (already trimmed: enrolled samples are stored so)."""
        return [self._embedder.of(padded(sample)) for sample in samples]

    def _vectors(self, voice: VoiceVariant, text: str) -> Vectors:
        path = self._cache_path(voice, text)
        if path is not None and path.exists():
            cached: Vectors = np.load(path).astype(np.float32)
            return cached
        audio = self._speak(voice, text)
        vectors = self._embedder.of(padded(trimmed(audio, self._vad_path) or audio))
        if path is not None:
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_suffix(".tmp.npy")
            np.save(tmp, vectors)
            tmp.replace(path)
        return vectors

    def _speak(self, voice: VoiceVariant, text: str) -> Audio:
        if self._speaker is None:
            self._speaker = SyntheticSpeaker(self._piper_dir)
        speaker = self._speaker
        logger.info("synthesizing the wake template %r in %s", text, voice.name)
        # In a thread of its own: the speaker runs an event loop, and the caller may be
        # inside one already (the live loop, an async test).
        with ThreadPoolExecutor(1) as pool:
            return pool.submit(speaker.speak, voice, text).result()

    def _cache_path(self, voice: VoiceVariant, text: str) -> Path | None:
        if self._cache_dir is None:
            return None
        key = json.dumps(
            [asdict(voice), text, self._model_tag, _VERSION], ensure_ascii=False, sort_keys=True
        )
        digest = hashlib.sha256(key.encode()).hexdigest()[:24]
        return self._cache_dir / "wake-templates" / f"{digest}.npy"
