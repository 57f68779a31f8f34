"""The wake word: PocketSphinx keyword spotting on the US English acoustic model.

Keyword spotting listens for one phrase in a continuous stream and ignores everything else,
which is what a wake word needs; it runs in real time on a fraction of one core. The phrase
must be made of words in the PocketSphinx dictionary (checked up front); phrases of three or
four syllables ("hey computer") are spotted most reliably.
"""

from __future__ import annotations

import logging
from pathlib import Path

import numpy as np

from tongxue.voice.audio import SAMPLE_RATE, Audio, Samples

logger = logging.getLogger(__name__)

DICTIONARY = "cmudict-en-us.dict"
_CHUNK = 1024


class WakeWordError(ValueError):
    """A wake phrase the spotter cannot listen for."""


class WakeWordSpotter:
    """Feed 16 kHz mono audio; `feed` says True when the phrase was heard."""

    def __init__(self, model_dir: Path, phrase: str, threshold: float = 1e-20) -> None:
        from pocketsphinx import Decoder

        self.phrase = " ".join(phrase.lower().split())
        if not self.phrase:
            raise WakeWordError("the wake phrase is empty")
        self.threshold = threshold
        self._decoder = Decoder(
            hmm=str(model_dir),
            dict=str(model_dir / DICTIONARY),
            keyphrase=self.phrase,
            kws_threshold=threshold,
            loglevel="FATAL",
        )
        unknown = [w for w in self.phrase.split() if self._decoder.lookup_word(w) is None]
        if unknown:
            raise WakeWordError(
                f"wake phrase {phrase!r}: {', '.join(unknown)} not in the PocketSphinx "
                "dictionary; choose English dictionary words"
            )
        self._decoder.start_utt()

    def reset(self) -> None:
        """Forget what was heard so far (after a detection, or when listening starts again)."""
        self._decoder.end_utt()
        self._decoder.start_utt()

    def feed(self, samples: Samples) -> bool:
        """The next stretch of the stream; True if the phrase ended in it (then it resets)."""
        pcm = (np.clip(samples, -1.0, 1.0) * 32767.0).astype("<i2")
        for start in range(0, pcm.shape[0], _CHUNK):
            self._decoder.process_raw(pcm[start : start + _CHUNK].tobytes(), False, False)
            if self._decoder.hyp() is not None:
                logger.info("wake phrase %r heard", self.phrase)
                self.reset()
                return True
        return False

    def detections(self, audio: Audio) -> list[float]:
        """Where in a clip (seconds from its start, at the end of the phrase) it was heard."""
        samples = audio.for_models().samples
        self.reset()
        found: list[float] = []
        for start in range(0, samples.shape[0], _CHUNK):
            if self.feed(samples[start : start + _CHUNK]):
                found.append((start + _CHUNK) / SAMPLE_RATE)
        self.reset()
        return found
