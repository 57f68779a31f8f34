"""Design "sphinx": PocketSphinx keyword spotting, several phrases at once, Chinese included.

Keyword spotting listens for a list of phrases in a continuous stream and ignores everything
else, in real time on a few percent of one core. English words come from the CMU dictionary;
Chinese (hanzi, or a romanized word like "Tongxue") is turned into toneless pinyin and each
syllable into the nearest English phones, added to the dictionary as words of their own.

Measured limits: English dictionary phrases ("okay computer") are spotted well; on espeak-ng's
Mandarin the English acoustic model hears little of the mapped phones, and in our trials
phrases of three syllables or more (你好同学, 同学同学, even as dictionary words "knee how
tong xue") never fired at any threshold down to 1e-300, nor with a wider beam. Two-syllable
ones ("nihao", "tongxue") fire, loosely. The embedding designs are the ones for Chinese.
"""

from __future__ import annotations

import logging
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from tongxue.voice.audio import Samples
from tongxue.voice.wake.errors import WakeWordError
from tongxue.voice.wake.phones import syllable_phones
from tongxue.voice.wake.pinyin import hanzi_syllables, split_pinyin

logger = logging.getLogger(__name__)

DICTIONARY = "cmudict-en-us.dict"
_CHUNK = 1024
_SEARCH = "wake"
# Added words are named apart from the dictionary's, so "hao" cannot clash with an English one.
_PREFIX = "py-"


class SphinxDetector:
    """Spots any of `phrases`; `threshold` is PocketSphinx's: lower fires more readily."""

    design = "sphinx"

    def __init__(self, model_dir: Path, phrases: Sequence[str], threshold: float = 1e-20) -> None:
        from pocketsphinx import Decoder

        self.phrases = tuple(phrases)
        if not self.phrases or not all(p.strip() for p in self.phrases):
            raise WakeWordError("a wake phrase is empty")
        self.threshold = threshold
        self._decoder: Any = Decoder(
            hmm=str(model_dir),
            dict=str(model_dir / DICTIONARY),
            loglevel="FATAL",
        )
        self._keyphrases = {self._keyphrase(p): p for p in self.phrases}
        with tempfile.TemporaryDirectory() as folder:
            keyfile = Path(folder) / "wake.kws"
            lines = [f"{words} /{threshold:g}/" for words in self._keyphrases]
            keyfile.write_text("\n".join(lines) + "\n", encoding="utf-8")
            self._decoder.add_kws(_SEARCH, str(keyfile))
        self._decoder.activate_search(_SEARCH)
        self._decoder.start_utt()

    def _keyphrase(self, phrase: str) -> str:
        """The phrase as dictionary words, adding a pronunciation for each Chinese syllable."""
        words: list[str] = []
        for word in phrase.lower().replace(",", " ").split():
            if word.isascii() and self._decoder.lookup_word(word) is not None:
                words.append(word)
                continue
            syllables = hanzi_syllables(word) if not word.isascii() else split_pinyin(word)
            if not syllables:
                raise WakeWordError(
                    f"wake phrase {phrase!r}: {word!r} is neither in the PocketSphinx "
                    "dictionary nor Chinese (hanzi or pinyin)"
                )
            for syllable in syllables:
                try:
                    phones = syllable_phones(syllable)
                except KeyError as error:
                    raise WakeWordError(
                        f"wake phrase {phrase!r}: no pronunciation for {syllable!r}"
                    ) from error
                name = _PREFIX + syllable
                if self._decoder.lookup_word(name) is None:
                    self._decoder.add_word(name, phones, True)
                words.append(name)
        return " ".join(words)

    def reset(self) -> None:
        self._decoder.end_utt()
        self._decoder.start_utt()

    def feed(self, samples: Samples) -> str | None:
        pcm = (np.clip(samples, -1.0, 1.0) * 32767.0).astype("<i2")
        for start in range(0, pcm.shape[0], _CHUNK):
            self._decoder.process_raw(pcm[start : start + _CHUNK].tobytes(), False, False)
            hypothesis = self._decoder.hyp()
            if hypothesis is not None:
                said = str(hypothesis.hypstr).strip()
                heard = self._keyphrases.get(said, said)
                logger.info("wake phrase %r heard (sphinx)", heard)
                self.reset()
                return heard
        return None
