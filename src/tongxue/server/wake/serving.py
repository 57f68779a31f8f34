"""Wake-word enrollment for the server: uploads decoded, then stored by `WakeEnrollment`.

Every sample is decoded and checked before anything is written, so a request with one bad
recording stores nothing. Enrollments and removals run one at a time in a worker thread:
the store is a folder of files, and the event loop keeps answering everyone else.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence
from pathlib import Path

from tongxue.config import Settings
from tongxue.models.bundles import SILERO_VAD
from tongxue.models.store import ModelStore
from tongxue.voice.audio import Audio, AudioFormatError, decode_audio
from tongxue.voice.wake import configured_phrases
from tongxue.voice.wake.enrollment import EnrolledPhrase, WakeEnrollment, slug_of

logger = logging.getLogger(__name__)

# A sample is one phrase with some silence around it; the store keeps at most 3 s of speech.
MAX_SAMPLE_SECONDS = 10.0
# Each phrase is matched in every stretch of speech the car hears: a few are plenty, and a key
# cannot fill the disk with them.
MAX_ENROLLED = 20


class SampleError(ValueError):
    """One uploaded sample that cannot be used; `index` says which (from 0)."""

    def __init__(self, index: int, cause: AudioFormatError) -> None:
        super().__init__(f"sample {index + 1}: {cause}")
        self.index = index
        self.cause = cause


class TooManyWakeWordsError(ValueError):
    """A new phrase while MAX_ENROLLED are already enrolled."""


def decode_samples(uploads: Sequence[bytes], max_seconds: float) -> list[Audio]:
    """Every upload as the models take it (mono 16 kHz); blocking, for a worker thread.

    Raises `SampleError` around the first `AudioFormatError` (or its subclasses).
    """
    samples = []
    for index, data in enumerate(uploads):
        try:
            samples.append(decode_audio(data, max_seconds=max_seconds).for_models())
        except AudioFormatError as error:
            raise SampleError(index, error) from error
    return samples


class WakeWordService:
    """The car's wake-word store (settings.data_dir / "wake"), opened on first use."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.max_sample_seconds = min(MAX_SAMPLE_SECONDS, settings.max_audio_seconds)
        self._enrollment: WakeEnrollment | None = None
        self._opening = asyncio.Lock()
        self._writing = asyncio.Lock()

    @property
    def directory(self) -> Path:
        return self.settings.data_dir / "wake"

    def configured(self) -> list[str]:
        return list(configured_phrases(self.settings))

    async def enrolled(self) -> list[EnrolledPhrase]:
        enrollment = await self._store()
        return await asyncio.to_thread(enrollment.phrases)

    async def enroll(self, phrase: str, uploads: Sequence[bytes]) -> EnrolledPhrase:
        """Store `phrase` from its recordings, replacing an earlier enrollment of it.

        Raises `SampleError` for an upload that is not usable audio, `TooManyWakeWordsError`
        for a new phrase when the store is full, and the store's
        `EnrollmentError` for recordings it refuses (silent, too long, ...).
        """
        samples = await asyncio.to_thread(decode_samples, uploads, self.max_sample_seconds)
        enrollment = await self._store()
        async with self._writing:
            known = await asyncio.to_thread(enrollment.phrases)
            # The store files a phrase under its syllables: that is what "the same phrase" is.
            slug = slug_of(phrase)
            if len(known) >= MAX_ENROLLED and not any(e.slug == slug for e in known):
                raise TooManyWakeWordsError(
                    f"{MAX_ENROLLED} wake phrases are enrolled already, the most the car "
                    "keeps: remove one first"
                )
            enrolled = await asyncio.to_thread(enrollment.enroll, phrase, samples)
        logger.info("enrolled wake phrase %r from %d samples", enrolled.phrase, enrolled.samples)
        return enrolled

    async def remove(self, phrase: str) -> bool:
        enrollment = await self._store()
        async with self._writing:
            return await asyncio.to_thread(enrollment.remove, phrase)

    async def _store(self) -> WakeEnrollment:
        async with self._opening:
            if self._enrollment is None:
                self._enrollment = await asyncio.to_thread(self._open)
            return self._enrollment

    def _open(self) -> WakeEnrollment:
        # Only the VAD (2 MB) is needed to trim the recordings, not the other voice models.
        vad_path = ModelStore(self.settings).resolve_bundle(SILERO_VAD) / "silero_vad.onnx"
        return WakeEnrollment(self.directory, vad_path=vad_path)
