"""The manual's index: built once, reused while nothing changed, rebuilt when anything did."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np
import numpy.typing as npt
import pytest

from tongxue.engine.embeddings import E5Embedder
from tongxue.manual import ManualIndex, load_manual

CHAPTERS = {
    "zh": "# 车门\n\n"
    "## 儿童锁 {#child-lock}\n关键词：儿童锁、小孩开门\n\n"
    "打开儿童锁后，后排乘客无法从车内打开后门。\n\n"
    "## 后备箱 {#trunk}\n关键词：后备箱、尾门\n\n停车时说「打开后备箱」即可打开尾门。\n\n"
    "## 胎压 {#tyre-pressure}\n关键词：胎压、打气\n\n冷胎胎压 250 kPa，正常范围 220–300 kPa。\n",
    "en": "# Doors\n\n"
    "## Child lock {#child-lock}\nKeywords: child lock, kids opening doors\n\n"
    "With the child lock on, rear passengers cannot open the rear doors from inside.\n\n"
    '## Trunk {#trunk}\nKeywords: trunk, tailgate, boot\n\nSay "open the trunk" when parked.\n\n'
    "## Tyre pressure {#tyre-pressure}\nKeywords: tyre pressure, inflate\n\n"
    "Inflate cold tyres to 250 kPa; the normal band is 220-300 kPa.\n",
}


class CountingEmbedder:
    """The real E5 model, counting the passages it embeds."""

    def __init__(self, inner: E5Embedder, name: str = "") -> None:
        self.inner = inner
        self.passages_embedded = 0
        self._name = name or inner.name

    @property
    def name(self) -> str:
        return self._name

    def queries(self, texts: Sequence[str]) -> npt.NDArray[np.float32]:
        return self.inner.queries(texts)

    def passages(self, texts: Sequence[str]) -> npt.NDArray[np.float32]:
        self.passages_embedded += len(texts)
        return self.inner.passages(texts)


@pytest.fixture(scope="module")
def e5() -> E5Embedder:
    return E5Embedder()


def _write_manual(folder: Path, chapters: dict[str, str] = CHAPTERS) -> Path:
    for language, text in chapters.items():
        (folder / language).mkdir(parents=True, exist_ok=True)
        (folder / language / "01-doors.md").write_text(text, encoding="utf-8")
    return folder


def test_the_index_is_built_then_reused(tmp_path: Path, e5: E5Embedder) -> None:
    manual = load_manual("test", _write_manual(tmp_path / "manual"))
    path = tmp_path / "cache" / "test.sqlite"
    embedder = CountingEmbedder(e5)
    ManualIndex.open(manual, embedder, path, progress=False).close()
    assert path.is_file()
    assert embedder.passages_embedded == 6
    again = ManualIndex.open(manual, embedder, path, progress=False)
    assert embedder.passages_embedded == 6, "an up-to-date index is opened, not rebuilt"
    hits = again.nearest("小孩在后面老是自己开门", "zh", 3)
    assert hits[0].section.id == "child-lock"
    assert len(hits) == 3 and all(h.section.language == "zh" for h in hits)
    assert hits[0].similarity > hits[-1].similarity


def test_a_changed_manual_or_model_rebuilds_the_index(tmp_path: Path, e5: E5Embedder) -> None:
    folder = _write_manual(tmp_path / "manual")
    path = tmp_path / "test.sqlite"
    embedder = CountingEmbedder(e5)
    ManualIndex.open(load_manual("test", folder), embedder, path, progress=False).close()
    changed = dict(CHAPTERS, en=CHAPTERS["en"].replace("250 kPa", "260 kPa"))
    _write_manual(folder, changed)
    ManualIndex.open(load_manual("test", folder), embedder, path, progress=False).close()
    assert embedder.passages_embedded == 12, "the manual's digest changed: rebuilt"
    other_model = CountingEmbedder(e5, name="another-model")
    ManualIndex.open(load_manual("test", folder), other_model, path, progress=False).close()
    assert other_model.passages_embedded == 6, "another embedding model: rebuilt"


def test_a_broken_index_file_is_rebuilt(tmp_path: Path, e5: E5Embedder) -> None:
    manual = load_manual("test", _write_manual(tmp_path / "manual"))
    path = tmp_path / "test.sqlite"
    path.write_bytes(b"this is not a database" * 100)
    index = ManualIndex.open(manual, CountingEmbedder(e5), path, progress=False)
    assert index.nearest("how much air in the tyres", "en", 1)[0].section.id == "tyre-pressure"
    assert not list(tmp_path.glob(".*.partial")), "no half-built file is left behind"
