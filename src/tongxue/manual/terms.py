"""Search terms of a text: jieba words for Chinese, light-stemmed words for English.

The keyword side of the manual search compares these; question words and particles are
dropped, since "怎么" or "how do I" says nothing about which section answers.
"""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import Iterable

import jieba

from tongxue.manual.source import Language


def _word_set(words: str) -> frozenset[str]:
    return frozenset(words.split())


_ZH_STOPWORDS = _word_set(
    "的 了 吗 呢 吧 啊 呀 嘛 么 是 我 我们 你 您 它 他 她 请问 请 一下 下 这 那 这个 那个 "
    "怎么 怎么办 怎么样 怎样 如何 什么 啥 为什么 为啥 哪 哪里 哪儿 哪个 几 多少 能 能不能 可以 "
    "可不可以 要 需要 应该 该 会 有 有没有 没有 在 和 与 或 或者 就 都 还 也 又 把 给 用 "
    "让 被 对 从 到 时 时候 的话 一个 个 一 上 里 中 得 地 着 过 去 来 说 想 知道 告诉 "
    "同学 你好 车 车子 汽车 我车 车上 这车 这辆车 这个车 咱们 咱 一点 有点 一下子 老是 总是 一直 "
    "东西 时候 现在 刚才 然后 就是 还是 而且 但是 不过 所以 因为 如果 比如 大概 一般 最好 "
    "到底 其实 些 能 上要 车能 最多能 能调"
)
_EN_STOPWORDS = _word_set(
    "a an the and or of to in on at for with by from is are was were be been being do does "
    "did doing i me my we our you your it its this that these those what which who whom how "
    "why when where can could should would will shall may might must have has had there "
    "here if then so up out about into over under again just not no any some all please "
    "tell know want need get got car vehicle tongxue hey s t m re ve ll d am um uh er hmm "
    "actually really super just like bit lot lots pretty stuff thing things way one ones them "
    "they he she his her us gonna wanna gotta now still also too very much many"
)
# The longest manual keyword taught to jieba as one word, in characters.
_LONGEST_NAME = 5
_WORD = re.compile(r"[a-z0-9]+(?:\.[0-9]+)?")
_HAN = re.compile(r"[\u4e00-\u9fff]")


def _stem(word: str) -> str:
    """Folds the common English endings, so "lights" meets "light" and "charging" "charge"."""
    if len(word) <= 3 or word.isdigit():
        return word
    for suffix, keep in (("ies", "y"), ("ing", ""), ("ed", ""), ("es", ""), ("s", "")):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            if suffix == "es" and not word.endswith(("ches", "shes", "sses", "xes")):
                continue
            stem = word[: -len(suffix)] + keep
            # "getting" -> "get", "stopped" -> "stop": the doubled consonant goes too.
            if suffix in ("ing", "ed") and len(stem) >= 3 and stem[-1] == stem[-2]:
                stem = stem[:-1] if stem[-1] not in "lsz" else stem
            return stem
    return word


class TermSplitter:
    """Splits text into terms; knows the manual's own words (titles, keywords) so jieba
    keeps "儿童锁" or "胎压" whole instead of guessing."""

    def __init__(self, vocabulary: Iterable[str] = ()) -> None:
        jieba.setLogLevel(logging.WARNING)
        self._jieba = jieba.Tokenizer()
        self._lock = threading.Lock()
        with self._lock:
            self._jieba.initialize()
            for word in vocabulary:
                # Names of things, not phrases: "多久保养一次" kept whole would match only
                # itself, never "保养".
                if _HAN.search(word) and " " not in word and len(word.strip()) <= _LONGEST_NAME:
                    self._jieba.add_word(word.strip(), freq=2000)

    def words(self, text: str, language: Language) -> list[str]:
        """The text's content words, as said: question words and particles dropped."""
        lowered = text.lower()
        if language == "en" and not _HAN.search(lowered):
            return [_stem(w) for w in _WORD.findall(lowered) if w not in _EN_STOPWORDS]
        with self._lock:
            pieces = self._jieba.lcut(lowered)
        found: list[str] = []
        for piece in pieces:
            piece = piece.strip()
            if not piece or piece in _ZH_STOPWORDS or piece in _EN_STOPWORDS:
                continue
            if _HAN.search(piece):
                found.append(piece)
            else:
                found += [_stem(w) for w in _WORD.findall(piece) if w not in _EN_STOPWORDS]
        return found

    def terms(self, text: str, language: Language) -> list[str]:
        """What the keyword side matches: the words, and for Chinese compounds also their
        two-character parts, so "胎压监测" still meets "胎压"."""
        return with_parts(self.words(text, language))


def with_parts(words: list[str]) -> list[str]:
    """Each word, followed by its two-character parts when it is a Chinese compound."""
    found: list[str] = []
    for word in words:
        found.append(word)
        if _HAN.search(word) and len(word) >= 3:
            found += [word[i : i + 2] for i in range(len(word) - 1)]
    return found
