"""Both rankings of the manual search, and their fusion by rank."""

from __future__ import annotations

from tongxue.manual import ManualSearch, load_manual
from tongxue.manual.search import reciprocal_rank_fusion
from tongxue.manual.terms import TermSplitter

MANUAL = load_manual("suv6")


def _section(section_id: str) -> object:
    section = MANUAL.section(section_id, "zh")
    assert section is not None
    return section


def test_rank_fusion_rewards_agreement_and_keeps_every_candidate() -> None:
    a, b, c, d = (MANUAL.section(i, "en") for i in ("trunk", "child-lock", "sunroof", "wipers"))
    assert a and b and c and d
    fused = reciprocal_rank_fusion([[a, b, c], [b, d, a]])
    ids = [section.id for section, _ in fused]
    assert ids[0] == "child-lock", "2nd and 1st beats 1st and 3rd"
    assert ids[1] == "trunk"
    assert set(ids) == {"trunk", "child-lock", "sunroof", "wipers"}
    scores = dict((section.id, score) for section, score in fused)
    assert scores["child-lock"] == 1 / 62 + 1 / 61


def test_the_keyword_side_reads_chinese_words_and_their_parts() -> None:
    splitter = TermSplitter(["胎压监测"])
    assert splitter.words("胎压监测报警了怎么办", "zh")[:1] == ["胎压监测"]
    assert "胎压" in splitter.terms("胎压监测报警了怎么办", "zh"), "a compound meets its parts"
    assert "怎么" not in splitter.terms("胎压监测报警了怎么办", "zh"), "question words say nothing"
    assert splitter.terms("How do I turn on the lights?", "en") == ["turn", "light"]


def test_each_side_ranks_on_its_own(manual_search: ManualSearch) -> None:
    keyword = manual_search.keyword_ranking(manual_search.splitter.terms("儿童锁", "zh"), "zh")
    assert keyword[0][0].id == "child-lock"
    meaning = manual_search.index.nearest("小孩在后排老是自己开车门", "zh", 5)
    assert "child-lock" in [hit.section.id for hit in meaning[:3]]
    assert all(hit.section.language == "zh" for hit in meaning)


def test_the_fused_ranking_holds_both_sides(manual_search: ManualSearch) -> None:
    result = manual_search.search("how much air should the tyres have", "en", k=3)
    assert result.fused[0].section.id == "tyre-pressure"
    assert [h.rank for h in result.fused] == [1, 2, 3]
    assert result.bm25["tyre-pressure"] > 0 and result.similarity["tyre-pressure"] > 0.8
    fused_ids = {h.section.id for h in result.fused}
    assert result.keyword[0].section.id in fused_ids or result.meaning[0].section.id in fused_ids


def test_coverage_weighs_words_the_manual_never_uses_most(manual_search: ManualSearch) -> None:
    covered = manual_search.search("儿童锁怎么打开", "zh")
    fridge = manual_search.search("车载冰箱怎么打开", "zh")
    assert manual_search.coverage(covered, _section("child-lock")) == 1.0  # type: ignore[arg-type]
    top = fridge.fused[0].section
    assert manual_search.coverage(fridge, top) < 0.5, "冰箱 is nowhere in the manual"
