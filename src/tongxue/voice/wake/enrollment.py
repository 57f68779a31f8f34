"""Your own wake word: a phrase and 3 to 5 recordings of it, kept in the data folder.

Each phrase gets a folder `<slug>/` with `sample-1.wav`… (the speech only, silence trimmed
with the VAD) and `phrase.json`. The embedding detectors use the samples as the phrase's
templates, in place of synthesized ones.
"""

from __future__ import annotations

import json
import logging
import re
import shutil
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from tongxue.voice.audio import Audio, read_wav, write_wav
from tongxue.voice.wake.pinyin import tokens
from tongxue.voice.wake.trim import trimmed

logger = logging.getLogger(__name__)

MIN_SAMPLES = 3
MAX_SAMPLES = 5
MAX_SPEECH_SECONDS = 3.0
MIN_SPEECH_SECONDS = 0.2
_META = "phrase.json"


@dataclass(frozen=True)
class EnrolledPhrase:
    phrase: str
    slug: str
    samples: int
    directory: Path


class EnrollmentError(ValueError):
    """Samples (or a phrase) that cannot make a wake word."""


def slug_of(phrase: str) -> str:
    """A folder name for the phrase: its syllables ("小理小理" → "xiao-li-xiao-li")."""
    slug = "-".join(re.sub(r"[^a-z0-9]+", "", t) for t in tokens(phrase))
    slug = re.sub(r"-+", "-", slug).strip("-")
    if not slug:
        raise EnrollmentError(f"the phrase {phrase!r} has no letters or hanzi")
    return slug


def normalized(phrase: str) -> str:
    return " ".join(phrase.split())


class WakeEnrollment:
    """The enrolled phrases under `directory` (settings.data_dir / "wake")."""

    def __init__(self, directory: Path, vad_path: Path | None = None) -> None:
        self.directory = directory
        self.vad_path = vad_path

    def enroll(self, phrase: str, samples: Sequence[Audio]) -> EnrolledPhrase:
        """Trim and check every sample, then store them (replacing an earlier enrollment)."""
        phrase = normalized(phrase)
        if not phrase:
            raise EnrollmentError("the wake phrase is empty")
        slug = slug_of(phrase)
        if not MIN_SAMPLES <= len(samples) <= MAX_SAMPLES:
            raise EnrollmentError(
                f"enrolling takes {MIN_SAMPLES} to {MAX_SAMPLES} samples of the phrase, "
                f"not {len(samples)}"
            )
        speech = [self._speech_of(sample, index) for index, sample in enumerate(samples, 1)]
        folder = self.directory / slug
        staging = self.directory / f".{slug}.new"
        shutil.rmtree(staging, ignore_errors=True)
        for index, clip in enumerate(speech, 1):
            write_wav(staging / f"sample-{index}.wav", clip)
        meta = {"phrase": phrase, "samples": len(speech)}
        (staging / _META).write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")
        shutil.rmtree(folder, ignore_errors=True)
        staging.replace(folder)
        return EnrolledPhrase(phrase, slug, len(speech), folder)

    def _speech_of(self, sample: Audio, index: int) -> Audio:
        if sample.frames == 0:
            raise EnrollmentError(f"sample {index} is empty")
        speech = trimmed(sample, self.vad_path)
        if speech is None:
            raise EnrollmentError(f"sample {index} is silent: no speech was heard in it")
        if speech.duration > MAX_SPEECH_SECONDS + 0.1:
            raise EnrollmentError(
                f"sample {index} holds {speech.duration:.1f} s of speech; a wake phrase lasts "
                f"at most {MAX_SPEECH_SECONDS:g} s (say only the phrase)"
            )
        if speech.duration < MIN_SPEECH_SECONDS:
            raise EnrollmentError(f"sample {index} is too short to be the phrase")
        return speech

    def phrases(self) -> list[EnrolledPhrase]:
        if not self.directory.is_dir():
            return []
        found = []
        for folder in sorted(self.directory.iterdir()):
            meta = folder / _META
            if folder.name.startswith(".") or not meta.is_file():
                continue
            try:
                data = json.loads(meta.read_text(encoding="utf-8"))
                found.append(
                    EnrolledPhrase(str(data["phrase"]), folder.name, int(data["samples"]), folder)
                )
            except (ValueError, KeyError, TypeError):
                logger.warning("ignoring %s: not a wake-phrase enrollment", folder)
        return found

    def find(self, phrase: str) -> EnrolledPhrase | None:
        phrase = normalized(phrase)
        return next((p for p in self.phrases() if p.phrase.lower() == phrase.lower()), None)

    def samples(self, phrase: str) -> list[Audio]:
        enrolled = self.find(phrase)
        if enrolled is None:
            return []
        return [
            read_wav(enrolled.directory / f"sample-{index}.wav")
            for index in range(1, enrolled.samples + 1)
        ]

    def remove(self, phrase: str) -> bool:
        enrolled = self.find(phrase)
        if enrolled is None:
            return False
        shutil.rmtree(enrolled.directory)
        return True
