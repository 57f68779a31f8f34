"""Design "two-stage": embedding templates at a loose threshold, confirmed by Whisper.

The first stage is cheap and runs on every frame; it is set to miss little, so it also fires
on near misses. Each time it does, the last ~2.5 s of audio are decoded by Whisper in the
phrase's language, prompted with the wake phrases, and the transcript must contain a wake
phrase in toneless pinyin (give or take one syllable). Whisper runs only on those candidates,
a few times an hour in a car, not continuously.
"""

from __future__ import annotations

import logging
from typing import Protocol

import numpy as np

from tongxue.voice.asr import Transcript
from tongxue.voice.audio import SAMPLE_RATE, Audio, Samples
from tongxue.voice.vocabulary import has_chinese
from tongxue.voice.wake.embedding_detector import EmbeddingDetector
from tongxue.voice.wake.pinyin import mismatch

logger = logging.getLogger(__name__)

FIRST_STAGE_THRESHOLD = 0.14
CONFIRM_SECONDS = 2.5


class Recognizer(Protocol):
    def transcribe(
        self, audio: Audio, language: str | None = None, prompt: str | None = None
    ) -> Transcript: ...


class TwoStageDetector:
    design = "two-stage"

    def __init__(
        self,
        first_stage: EmbeddingDetector,
        recognizer: Recognizer,
        confirm_seconds: float = CONFIRM_SECONDS,
    ) -> None:
        self.first_stage = first_stage
        self.phrases = first_stage.phrases
        self._recognizer = recognizer
        self._keep = round(confirm_seconds * SAMPLE_RATE)
        # Each language's decoding is prompted with that language's phrases only: prompted
        # with "hey Tongxue", Whisper writes 同学 as "Tongxue" even in Chinese.
        self._prompts = {
            "zh": "，".join(p for p in self.phrases if has_chinese(p)) or None,
            "en": ", ".join(p for p in self.phrases if not has_chinese(p)) or None,
        }
        self.last_heard: str | None = None  # Whisper's transcript of the latest candidate
        self.reset()

    def reset(self) -> None:
        self.first_stage.reset()
        self._recent = np.zeros(0, dtype=np.float32)

    def feed(self, samples: Samples) -> str | None:
        self._recent = np.concatenate([self._recent, samples.astype(np.float32, copy=False)])
        self._recent = self._recent[-self._keep :]
        candidate = self.first_stage.feed(samples)
        if candidate is None:
            return None
        confirmed = self.confirm(candidate, Audio(self._recent.copy(), SAMPLE_RATE))
        if confirmed is not None:
            self._recent = np.zeros(0, dtype=np.float32)
        return confirmed

    def confirm(self, candidate: str, clip: Audio) -> str | None:
        """The wake phrase Whisper heard in the clip (the candidate's language), or None."""
        # Romanized Chinese ("hey Tongxue") may come out better decoded as Chinese ("嘿同学").
        languages = ["zh"] if has_chinese(candidate) else ["en", "zh"]
        for language in languages:
            prompt = self._prompts[language]
            heard = self._recognizer.transcribe(clip, language=language, prompt=prompt).text
            self.last_heard = heard
            # The closest phrase wins; on a tie the first stage's candidate.
            found = [
                (edits, phrase != candidate, phrase)
                for phrase in self.phrases
                if (edits := mismatch(phrase, heard)) is not None
            ]
            if found:
                phrase = min(found)[2]
                logger.info("wake phrase %r confirmed: Whisper heard %r", phrase, heard)
                return phrase
        logger.info("wake candidate %r not confirmed: Whisper heard %r", candidate, heard)
        return None
