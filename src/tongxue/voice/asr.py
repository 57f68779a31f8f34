"""Speech recognition: Whisper base (CTranslate2, through faster-whisper) for Chinese and English.

faster-whisper's `transcribe` is built for long recordings: it pads every clip to 30 s, which
costs ~0.8 s of encoder time on two cores for a two-second command. Here the encoder sees the
clip padded only to the next 5 s step (10 s at least), which CTranslate2 allows and which
recognizes short commands as well, in an eighth of the time. The encoder runs once; the
language is detected from its output among the car's languages, and the clip is decoded in
each of them (the decoder is the cheap part), every decoding prompted with the cabin words of
its language and, per turn, hotwords (contact names, remembered places). With
`beams` above one each language is decoded by beam search and keeps its n-best; which
hypothesis wins is decided by `Transcript.ranked`, or by the caller (the pipeline's
`GrammarRescorer` prefers one the rules understand).
"""

from __future__ import annotations

import logging
import math
import re
import threading
import time
import zlib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from tongxue.voice.audio import SAMPLE_RATE, Audio
from tongxue.voice.vocabulary import PROMPTS, ChineseNormalizer, has_chinese, prompt_echo

logger = logging.getLogger(__name__)

_FRAMES_PER_SECOND = 100
_MIN_WINDOW = 1000
_WINDOW_STEP = 500
_MAX_WINDOW = 3000
# Whisper's usual test for a decoder stuck in a loop ("建建建建…").
_MAX_COMPRESSION = 2.4
# A decoding this sure, in a language this likely, is taken without trying the others.
_SURE_LANGUAGE = 0.98
# The car is Chinese first: Chinese is decoded first from this probability up.
_CHINESE_FIRST = 0.15
_CLEAN_LOGPROB = -0.3
# Below this Whisper is guessing; acting on a guess could open the wrong window.
MIN_AVG_LOGPROB = -1.0
# Whisper's decoder sees 448 tokens: the prompt's context (previous text and hotwords), the
# task tokens (at most 5) and the new tokens (at most 200) must fit in it.
_CONTEXT_TOKENS = 448 - 200 - 8
# Hotwords are a hint; the cabin prompt (139 tokens in Chinese), which shapes how commands are
# written, keeps the rest.
_HOTWORD_TOKENS = 96


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
    # Place in its language's n-best (0: the beam's best; always 0 when greedy).
    rank: int = 0
    # Every sentence of it is a sentence of the decoder's prompt (cabin words or hotwords).
    echo: bool = False

    @property
    def confident(self) -> bool:
        """A near-certain language and a clean decoding: no other language can do better."""
        return (
            self.language_probability >= _SURE_LANGUAGE
            and self.avg_logprob >= _CLEAN_LOGPROB
            and self.compression_ratio <= _MAX_COMPRESSION
        )

    @property
    def heard_clearly(self) -> bool:
        """Not a guess: a decoding Whisper was sure of, or one that is not its prompt's echo.

        Measured on synthesized Chinese commands in car noise (`tongxue bench voice
        --commands`): of the n-best readings that only repeated prompt sentences, 60 were
        wrong and 4 right; the right ones decoded with an average log probability of -0.04 to
        -0.44, the wrong ones -0.34 to -0.79. Acting on an echo would open the trunk for
        "打开遮阳帘", so an echo counts as heard only from a clean decoding.
        """
        if self.avg_logprob < MIN_AVG_LOGPROB:
            return False
        return not self.echo or self.avg_logprob >= _CLEAN_LOGPROB

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
    # The hypothesis `text` comes from; None: the best-scored.
    chosen: Hypothesis | None = None

    @property
    def ranked(self) -> tuple[Hypothesis, ...]:
        return tuple(sorted(self.hypotheses, key=lambda h: h.score, reverse=True))

    @property
    def hypothesis(self) -> Hypothesis:
        """The hypothesis the transcript's text is taken from."""
        return self.chosen or self.ranked[0]

    def choose(self, hypothesis: Hypothesis) -> Transcript:
        return Transcript(
            hypothesis.text,
            hypothesis.language,
            self.hypotheses,
            self.audio_seconds,
            self.seconds,
            self.timings,
            hypothesis,
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
        self,
        audio: Audio,
        language: str | None = None,
        prompt: str | None = None,
        *,
        beams: int = 1,
        hotwords: Sequence[str] = (),
        understands: Callable[[str], bool] | None = None,
    ) -> Transcript:
        """The words of a clip; `language` forces one instead of detecting it.

        `prompt` replaces the cabin prompts (for every language) for this clip only;
        `hotwords` are added to them. With `beams` above one every decoded language keeps
        its n-best in `hypotheses`. `understands` (the rules, for the pipeline) lets a
        likely language's confident hypothesis end the search only when it is understood.
        """
        if beams < 1:
            raise ValueError("beams must be at least 1")
        samples = audio.for_models().samples
        if samples.shape[0] > 30 * SAMPLE_RATE:
            logger.warning("only the first 30 s of a %.1f s clip are recognized", audio.duration)
            samples = samples[: 30 * SAMPLE_RATE]
        with self._lock:
            return self._transcribe(
                samples, language, _Decoding(prompt, beams, tuple(hotwords), understands)
            )

    def prompt_tokens(
        self, language: str, prompt: str | None = None, hotwords: Sequence[str] = ()
    ) -> list[int]:
        """The decoder's prompt: hotwords, then the cabin prompt (or `prompt`), then the task.

        Hotwords take at most `_HOTWORD_TOKENS`, and with the prompt at most
        `_CONTEXT_TOKENS`, so that a command of 200 tokens still fits Whisper's 448.
        """
        with self._lock:
            return self._prompt(language, prompt, hotwords)

    def _prompt(self, language: str, text: str | None, hotwords: Sequence[str]) -> list[int]:
        tokenizer = self._tokenizer(language)
        previous = self._prompt_tokens[language]
        if text is not None:
            previous = tokenizer.encode(" " + text.strip()) if text.strip() else []
        hot = fit_hotwords(hotwords_for(hotwords, language), tokenizer.encode, language)
        room = _CONTEXT_TOKENS - (len(tokenizer.encode(" " + hot)) if hot else 0)
        # The prompt's end is what the decoder continues from: the start is cut first.
        previous = previous[len(previous) - room :] if len(previous) > room else previous
        tokens: list[int] = self._model.get_prompt(
            tokenizer, previous, without_timestamps=True, hotwords=hot or None
        )
        return tokens

    def _transcribe(
        self, samples: np.ndarray[Any, Any], language: str | None, decoding: _Decoding
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
        languages = [language] if language else decoding_order(probabilities)
        seconds = samples.shape[0] / SAMPLE_RATE
        # Speech has at most ~8 tokens a second; a decoder past that is looping.
        max_new = min(200, int(8 * seconds) + 12)
        hypotheses: list[Hypothesis] = []
        for code in languages:
            best = self._decode(encoded, code, probabilities.get(code, 1.0), max_new, decoding)
            hypotheses.extend(best)
            if decoding.settles(best):
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
        best_scored = transcript.ranked[0]
        logger.info(
            "heard %r (%s, %.0f ms): %s",
            best_scored.text,
            best_scored.language,
            1000 * transcript.seconds,
            "; ".join(f"{h.language} {h.score:.2f} {h.text!r}" for h in hypotheses),
        )
        return transcript.choose(best_scored)

    def _language_probabilities(self, encoded: Any) -> dict[str, float]:
        results = self._model.model.detect_language(encoded)[0]
        found = {token[2:-2]: float(p) for token, p in results}
        wanted = {code: found.get(code, 0.0) for code in self.languages}
        total = sum(wanted.values())
        if total <= 0:
            return {code: 1.0 / len(wanted) for code in wanted}
        return {code: p / total for code, p in wanted.items()}

    def _decode(
        self,
        encoded: Any,
        language: str,
        probability: float,
        max_new: int,
        decoding: _Decoding,
    ) -> list[Hypothesis]:
        """The clip's n-best in `language`, best first."""
        tokenizer = self._tokenizer(language)
        prompt = self._prompt(language, decoding.prompt, decoding.hotwords)
        base = decoding.prompt if decoding.prompt is not None else self.prompts.get(language, "")
        prompt_text = "。".join([base, *hotwords_for(decoding.hotwords, language)])
        result = self._model.model.generate(
            encoded,
            [prompt],
            beam_size=decoding.beams,
            num_hypotheses=decoding.beams,
            max_length=len(prompt) + max_new,
            return_scores=True,
            return_no_speech_prob=True,
            suppress_blank=True,
            suppress_tokens=[-1],
        )[0]
        hypotheses: list[Hypothesis] = []
        for rank, (tokens, score) in enumerate(
            zip(result.sequences_ids, result.scores, strict=True)
        ):
            # CTranslate2 scores are length-normalised; this is faster-whisper's avg log prob.
            avg_logprob = score * len(tokens) / (len(tokens) + 1)
            text = collapse_repeats(self._normalize(tokenizer.decode(tokens).strip()))
            echo = prompt_echo(text, prompt_text)
            hypotheses.append(
                Hypothesis(
                    language=language,
                    text=text,
                    language_probability=probability,
                    avg_logprob=float(avg_logprob),
                    tokens=len(tokens),
                    no_speech_prob=float(result.no_speech_prob),
                    # Measured after the repeats are gone: what still loops is garbage.
                    compression_ratio=_compression_ratio(text),
                    rank=rank,
                    echo=echo,
                )
            )
        return hypotheses

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


@dataclass(frozen=True)
class _Decoding:
    """How one clip is decoded, in every language."""

    prompt: str | None
    beams: int
    hotwords: tuple[str, ...]
    understands: Callable[[str], bool] | None

    def settles(self, best: Sequence[Hypothesis]) -> bool:
        """The first language's n-best is good enough not to try another language.

        Without the rules, only a near-certain language's clean decoding is. With them, a
        clean reading they understand is enough whatever the language's probability: in
        another language the same audio would have to read as another command, as cleanly.
        """
        if self.understands is None:
            return bool(best) and best[0].confident
        understands = self.understands
        return any(
            h.heard_clearly
            and h.avg_logprob >= _CLEAN_LOGPROB
            and h.compression_ratio <= _MAX_COMPRESSION
            and understands(h.text)
            for h in best
        )


def decoding_order(probabilities: Mapping[str, float]) -> list[str]:
    """The languages to decode, likeliest first, but Chinese first when it is at all likely.

    Whisper base often takes Mandarin (synthetic, accented, in noise) for English: espeak-ng's
    "打开车窗" is English at 0.77. Decoding Chinese first, when it is likely enough, lets a
    clean Chinese command end the search before the English decoding (~150 ms on 2 cores).
    """
    order = sorted(probabilities, key=lambda code: probabilities[code], reverse=True)
    if "zh" in order and probabilities["zh"] >= _CHINESE_FIRST:
        order.remove("zh")
        order.insert(0, "zh")
    return order


# Hotwords are short commands (see `vocabulary`): written as sentences, like the cabin prompt.
_HOTWORD_JOINERS = {"zh": "。", "en": ". "}
_HOTWORD_ENDS = {"zh": "。", "en": "."}


def hotwords_for(hotwords: Sequence[str], language: str) -> list[str]:
    """The hotwords written in `language`'s script: Chinese ones for Chinese, others for the rest.

    Duplicates and blanks are dropped; the order (the caller's priority) is kept.
    """
    seen: set[str] = set()
    kept: list[str] = []
    for word in (w.strip() for w in hotwords):
        if not word or word in seen or has_chinese(word) != (language == "zh"):
            continue
        seen.add(word)
        kept.append(word)
    return kept


def fit_hotwords(
    words: Sequence[str],
    encode: Callable[[str], list[int]],
    language: str,
    budget: int = _HOTWORD_TOKENS,
) -> str:
    """As many of `words`, in order, as fit in `budget` tokens, as sentences of text."""
    joiner = _HOTWORD_JOINERS.get(language, ". ")
    end = _HOTWORD_ENDS.get(language, ".")
    line = ""
    for word in words:
        longer = f"{line}{joiner}{word}" if line else word
        if len(encode(f" {longer}{end}")) > budget:
            break
        line = longer
    return f"{line}{end}" if line else ""
