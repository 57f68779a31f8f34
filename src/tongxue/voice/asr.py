"""Speech recognition: Whisper base (CTranslate2, through faster-whisper) for Chinese and English.

faster-whisper's `transcribe` is built for long recordings: it pads every clip to 30 s, which
costs ~0.8 s of encoder time on two cores for a two-second command. Here the encoder sees the
clip padded only to the next 5 s step (10 s at least), which CTranslate2 allows and which
recognizes short commands as well, in an eighth of the time. The encoder runs once; the
language is detected from its output among the car's languages, and the clip is decoded in
each of them (the decoder is the cheap part), every decoding prompted with the cabin words of
its language. Which hypothesis wins is decided by `Transcript.ranked`, or by the caller
(the pipeline prefers one the rules understand).
"""

from __future__ import annotations

import logging
import math
import re
import threading
import time
import zlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from tongxue.voice.audio import SAMPLE_RATE, Audio
from tongxue.voice.vocabulary import PROMPTS, ChineseNormalizer, has_chinese

logger = logging.getLogger(__name__)

_FRAMES_PER_SECOND = 100
_MIN_WINDOW = 1000
_WINDOW_STEP = 500
_MAX_WINDOW = 3000
# Whisper's usual test for a decoder stuck in a loop ("建建建建…").
_MAX_COMPRESSION = 2.4
# A decoding this sure, in a language this likely, is taken without trying the others.
_SURE_LANGUAGE = 0.98
_CLEAN_LOGPROB = -0.3


@dataclass(frozen=True)
class Hypothesis:
    """The clip decoded in one language."""

    language: str
    text: str
    # Whisper's language-identification probability, renormalised over the car's languages.
    language_probability: float
    avg_logprob: float
    tokens: int
    no_speech_prob: float
    compression_ratio: float

    @property
    def confident(self) -> bool:
        """A near-certain language and a clean decoding: no other language can do better."""
        return (
            self.language_probability >= _SURE_LANGUAGE
            and self.avg_logprob >= _CLEAN_LOGPROB
            and self.compression_ratio <= _MAX_COMPRESSION
        )

    @property
    def score(self) -> float:
        """log P(language, text | audio) as Whisper sees it, per token of text.

        The decoder's average log probability, plus the language's log probability spread
        over the tokens: a long confident decoding outweighs a shaky language guess, and
        synthetic or accented Chinese, which Whisper often guesses to be English, still
        wins when it decodes far better as Chinese. A looping decoding is pushed down.
        """
        prior = math.log(max(self.language_probability, 1e-6)) / (self.tokens + 1)
        loop_penalty = 1.0 if self.compression_ratio > _MAX_COMPRESSION else 0.0
        return self.avg_logprob + prior - loop_penalty


@dataclass(frozen=True)
class Transcript:
    text: str
    language: str
    hypotheses: tuple[Hypothesis, ...]
    audio_seconds: float
    seconds: float
    timings: Mapping[str, float] = field(default_factory=dict)

    @property
    def ranked(self) -> tuple[Hypothesis, ...]:
        return tuple(sorted(self.hypotheses, key=lambda h: h.score, reverse=True))

    def choose(self, hypothesis: Hypothesis) -> Transcript:
        return Transcript(
            hypothesis.text,
            hypothesis.language,
            self.hypotheses,
            self.audio_seconds,
            self.seconds,
            self.timings,
        )


def encoder_window(frames: int) -> int:
    """Mel frames the encoder sees for a clip of `frames`: the next 5 s step, 10 s to 30 s."""
    steps = math.ceil(max(frames, 1) / _WINDOW_STEP)
    return min(_MAX_WINDOW, max(_MIN_WINDOW, steps * _WINDOW_STEP))


_SENTENCE = re.compile(r"[^。！？!?.]+[。！？!?.]?")


def collapse_repeats(text: str) -> str:
    """A sentence said once, not the decoder's "Open the window. Open the window. Open the".

    Whisper, prompted with commands, sometimes repeats the one it heard until its token limit;
    nobody gives the same command twice in one breath, so repeats (and a cut-off repeat at the
    end) are dropped.
    """
    sentences = [s.strip() for s in _SENTENCE.findall(text) if s.strip()]
    kept: list[str] = []
    for sentence in sentences:
        if kept and _bare(sentence) == _bare(kept[-1]):
            continue
        kept.append(sentence)
    if len(kept) > 1 and _bare(kept[-1]) and _bare(kept[-2]).startswith(_bare(kept[-1])):
        kept.pop()
    joiner = "" if any(has_chinese(s) for s in kept) else " "
    return joiner.join(kept) if kept else text.strip()


def _bare(sentence: str) -> str:
    return re.sub(r"[\s。！？!?.，,]", "", sentence).lower()


def _compression_ratio(text: str) -> float:
    data = text.encode("utf-8")
    return len(data) / len(zlib.compress(data)) if data else 0.0


class WhisperRecognizer:
    """Loads the CTranslate2 Whisper folder once; `transcribe` is safe to call from threads."""

    def __init__(
        self,
        model_dir: Path,
        *,
        languages: Sequence[str] = ("zh", "en"),
        prompts: Mapping[str, str] | None = None,
        threads: int = 0,
        compute_type: str = "int8",
    ) -> None:
        from faster_whisper import WhisperModel

        self.languages = tuple(languages)
        if not self.languages:
            raise ValueError("speech recognition needs at least one language")
        self.prompts = dict(PROMPTS if prompts is None else prompts)
        self._model = WhisperModel(
            str(model_dir), device="cpu", compute_type=compute_type, cpu_threads=threads
        )
        unknown = set(self.languages) - set(self._model.supported_languages)
        if unknown:
            raise ValueError(f"Whisper does not know the language(s) {sorted(unknown)}")
        self._normalize = ChineseNormalizer()
        self._lock = threading.Lock()
        self._tokenizers: dict[str, Any] = {}
        self._prompt_tokens: dict[str, list[int]] = {}

    def transcribe(
        self, audio: Audio, language: str | None = None, prompt: str | None = None
    ) -> Transcript:
        """The words of a clip; `language` forces one instead of detecting it.

        `prompt` replaces the cabin prompts (for every language) for this clip only.
        """
        samples = audio.for_models().samples
        if samples.shape[0] > 30 * SAMPLE_RATE:
            logger.warning("only the first 30 s of a %.1f s clip are recognized", audio.duration)
            samples = samples[: 30 * SAMPLE_RATE]
        with self._lock:
            return self._transcribe(samples, language, prompt)

    def _transcribe(
        self, samples: np.ndarray[Any, Any], language: str | None, prompt: str | None
    ) -> Transcript:
        import ctranslate2
        from faster_whisper.transcribe import pad_or_trim

        started = time.perf_counter()
        hop = SAMPLE_RATE // _FRAMES_PER_SECOND
        window = encoder_window(samples.shape[0] // hop)
        # Pad with silent samples, as Whisper was trained, not with zero features: the encoder
        # then hears silence after the words, and the decoder stops instead of going on.
        silent = np.zeros(max(0, window * hop - samples.shape[0]), dtype=np.float32)
        features = self._model.feature_extractor(np.concatenate([samples, silent]))
        padded = np.ascontiguousarray(pad_or_trim(features, window)[np.newaxis], np.float32)
        encoded = self._model.model.encode(ctranslate2.StorageView.from_array(padded))
        encode_done = time.perf_counter()
        probabilities = self._language_probabilities(encoded)
        languages = (
            [language]
            if language
            else sorted(self.languages, key=lambda code: probabilities[code], reverse=True)
        )
        seconds = samples.shape[0] / SAMPLE_RATE
        # Speech has at most ~8 tokens a second; a decoder past that is looping.
        max_new = min(200, int(8 * seconds) + 12)
        hypotheses: list[Hypothesis] = []
        for code in languages:
            hypotheses.append(
                self._decode(encoded, code, probabilities.get(code, 1.0), max_new, prompt)
            )
            if hypotheses[0].confident:
                # The likeliest language decoded cleanly: the others cannot beat it.
                break
        done = time.perf_counter()
        transcript = Transcript(
            text="",
            language=languages[0],
            hypotheses=tuple(hypotheses),
            audio_seconds=seconds,
            seconds=done - started,
            timings={"encode": encode_done - started, "decode": done - encode_done},
        )
        best = transcript.ranked[0]
        logger.info(
            "heard %r (%s, %.0f ms): %s",
            best.text,
            best.language,
            1000 * transcript.seconds,
            "; ".join(f"{h.language} {h.score:.2f} {h.text!r}" for h in hypotheses),
        )
        return transcript.choose(best)

    def _language_probabilities(self, encoded: Any) -> dict[str, float]:
        results = self._model.model.detect_language(encoded)[0]
        found = {token[2:-2]: float(p) for token, p in results}
        wanted = {code: found.get(code, 0.0) for code in self.languages}
        total = sum(wanted.values())
        if total <= 0:
            return {code: 1.0 / len(wanted) for code in wanted}
        return {code: p / total for code, p in wanted.items()}

    def _decode(
        self, encoded: Any, language: str, probability: float, max_new: int, text: str | None
    ) -> Hypothesis:
        tokenizer = self._tokenizer(language)
        previous = self._prompt_tokens[language]
        if text is not None:
            previous = tokenizer.encode(" " + text.strip()) if text.strip() else []
        # Whisper's context is 448 tokens; the previous text may take at most half of it.
        prompt = self._model.get_prompt(tokenizer, previous[-223:], without_timestamps=True)
        result = self._model.model.generate(
            encoded,
            [prompt],
            beam_size=1,
            max_length=len(prompt) + max_new,
            return_scores=True,
            return_no_speech_prob=True,
            suppress_blank=True,
            suppress_tokens=[-1],
        )[0]
        tokens = result.sequences_ids[0]
        # CTranslate2 scores are length-normalised; this is faster-whisper's average log prob.
        avg_logprob = result.scores[0] * len(tokens) / (len(tokens) + 1)
        text = collapse_repeats(self._normalize(tokenizer.decode(tokens).strip()))
        # Measured after the repeats are gone: what still loops is garbage ("建建建建…").
        compression = _compression_ratio(text)
        return Hypothesis(
            language=language,
            text=text,
            language_probability=probability,
            avg_logprob=float(avg_logprob),
            tokens=len(tokens),
            no_speech_prob=float(result.no_speech_prob),
            compression_ratio=compression,
        )

    def _tokenizer(self, language: str) -> Any:
        if language not in self._tokenizers:
            from faster_whisper.tokenizer import Tokenizer

            tokenizer = Tokenizer(
                self._model.hf_tokenizer, True, task="transcribe", language=language
            )
            prompt = self.prompts.get(language, "").strip()
            self._prompt_tokens[language] = tokenizer.encode(" " + prompt) if prompt else []
            self._tokenizers[language] = tokenizer
        return self._tokenizers[language]
