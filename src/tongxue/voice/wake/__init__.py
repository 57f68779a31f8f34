"""Wake words: three detector designs behind one interface, and phrases of your own.

- "sphinx": PocketSphinx keyword spotting, Chinese through pinyin mapped to English phones
  (`sphinx`, `phones`, `pinyin`);
- "embedding": Google's speech embeddings matched to templates by subsequence DTW
  (`embedding`, `dtw`, `embedding_detector`, `templates`);
- "two-stage": the embedding design at a loose threshold, each candidate confirmed by a short
  Whisper decoding matched in toneless pinyin (`two_stage`).

Templates are the phrase's enrolled samples (`enrollment`) where there are some, otherwise the
phrase synthesized in voices of their own. Every detector takes 16 kHz mono float32 chunks of
any length and says which phrase it heard, then starts afresh.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from tongxue.config import Settings
from tongxue.voice.audio import SAMPLE_RATE, Audio, Samples
from tongxue.voice.wake.enrollment import EnrolledPhrase, EnrollmentError, WakeEnrollment
from tongxue.voice.wake.errors import WakeWordError

if TYPE_CHECKING:
    from tongxue.voice.models import VoiceModels
    from tongxue.voice.wake.embedding_detector import EmbeddingDetector

__all__ = [
    "DESIGNS",
    "EnrolledPhrase",
    "EnrollmentError",
    "WakeDetection",
    "WakeDetector",
    "WakeEnrollment",
    "WakeWordError",
    "create_wake_detector",
    "detections",
    "wake_phrases",
]

DESIGNS = ("sphinx", "embedding", "two-stage")


@dataclass(frozen=True)
class WakeDetection:
    phrase: str
    at: float  # seconds from the stream's start, at the end of the phrase


class WakeDetector(Protocol):
    design: str
    phrases: tuple[str, ...]

    def feed(self, samples: Samples) -> str | None:
        """The next 16 kHz mono chunk; the phrase heard in it (then it resets itself)."""
        ...

    def reset(self) -> None:
        """Forget the stream so far (when listening starts again)."""
        ...


def detections(detector: WakeDetector, audio: Audio, chunk: int = 1280) -> list[WakeDetection]:
    """Every detection in a whole clip, fed `chunk` samples at a time from a fresh start.

    `at` is the end of the chunk in which the detector fired: the end of the phrase, late by
    the detector's own delay (at most a few hundred ms).
    """
    samples = audio.for_models().samples
    detector.reset()
    found: list[WakeDetection] = []
    for start in range(0, samples.shape[0], chunk):
        piece = samples[start : start + chunk]
        phrase = detector.feed(piece)
        if phrase is not None:
            found.append(WakeDetection(phrase, (start + piece.shape[0]) / SAMPLE_RATE))
    detector.reset()
    return found


def configured_phrases(settings: Settings) -> tuple[str, ...]:
    return tuple(" ".join(p.split()) for p in settings.voice_wake_phrases.split(",") if p.strip())


def wake_phrases(settings: Settings) -> tuple[str, ...]:
    """The configured phrases, then the enrolled ones (each phrase once)."""
    phrases = list(configured_phrases(settings))
    for enrolled in WakeEnrollment(settings.data_dir / "wake").phrases():
        if enrolled.phrase.lower() not in {p.lower() for p in phrases}:
            phrases.append(enrolled.phrase)
    return tuple(phrases)


def create_wake_detector(
    design: str,
    phrases: Sequence[str],
    models: VoiceModels,
    enrollment: WakeEnrollment | None = None,
    **tuning: float,
) -> WakeDetector:
    """A detector of its own (it keeps one stream's state) for `phrases`.

    `tuning`: `threshold` for every design (PocketSphinx's for "sphinx", the DTW distance for
    "embedding", the first stage's for "two-stage"); `settle` and `refractory` for the
    embedding stages; `confirm_seconds` for "two-stage".
    """
    phrases = tuple(" ".join(p.split()) for p in phrases)
    if not phrases or not all(phrases):
        raise WakeWordError("no wake phrase to listen for")
    if design == "sphinx":
        from tongxue.voice.wake.sphinx import SphinxDetector

        return SphinxDetector(models.wake_model_dir, phrases, tuning.get("threshold", 1e-20))
    if design == "embedding":
        return _embedding_detector(phrases, models, enrollment, tuning, None)
    if design == "two-stage":
        from tongxue.voice.wake.two_stage import (
            CONFIRM_SECONDS,
            FIRST_STAGE_THRESHOLD,
            TwoStageDetector,
        )

        first = _embedding_detector(phrases, models, enrollment, tuning, FIRST_STAGE_THRESHOLD)
        return TwoStageDetector(first, models.asr, tuning.get("confirm_seconds", CONFIRM_SECONDS))
    raise WakeWordError(f"unknown wake-word design {design!r}; choose one of {DESIGNS}")


def _embedding_detector(
    phrases: tuple[str, ...],
    models: VoiceModels,
    enrollment: WakeEnrollment | None,
    tuning: dict[str, float],
    threshold: float | None,
) -> EmbeddingDetector:
    from tongxue.voice.wake.embedding_detector import DEFAULT_THRESHOLD, EmbeddingDetector
    from tongxue.voice.wake.templates import TemplateBank

    embedder = models.speech_embedder()
    bank = TemplateBank(embedder, models.piper_dir, models.cache_dir, models.vad_path)
    templates = {}
    for phrase in phrases:
        samples = enrollment.samples(phrase) if enrollment is not None else []
        templates[phrase] = bank.of_samples(samples) if samples else bank.synthesized(phrase)
    return EmbeddingDetector(
        embedder,
        templates,
        threshold=tuning.get("threshold", threshold or DEFAULT_THRESHOLD),
        settle=round(tuning.get("settle", 2)),
        refractory=tuning.get("refractory", 1.0),
    )
