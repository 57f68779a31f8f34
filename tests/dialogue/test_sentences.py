"""The one sentence splitter, and the first clause that lets speech start early."""

from __future__ import annotations

from tongxue.dialogue.prompt import HISTORY_REPLY_CHARS, compact_reply
from tongxue.dialogue.sentences import split_sentence


def test_a_sentence_is_cut_at_its_end() -> None:
    assert split_sentence("好的。还有别的吗") == ("好的。", "还有别的吗")
    assert split_sentence("no end yet") == ("", "no end yet")


def test_the_first_piece_may_be_a_long_enough_clause() -> None:
    assert split_sentence("为什么电脑会变成手机，因为", first=True) == (
        "为什么电脑会变成手机，",
        "因为",
    )
    assert split_sentence("Why did the chicken cross, the", first=True) == (
        "Why did the chicken cross,",
        " the",
    )


def test_a_short_opening_clause_waits_for_more() -> None:
    assert split_sentence("好的，", first=True) == ("", "好的，")
    assert split_sentence("好的，马上为你打开。", first=True) == ("好的，马上为你打开。", "")


def test_only_the_first_piece_is_cut_at_a_clause() -> None:
    assert split_sentence("为什么电脑会变成手机，因为", first=False) == (
        "",
        "为什么电脑会变成手机，因为",
    )


def test_history_keeps_the_first_sentence_of_an_earlier_reply_cut_short() -> None:
    assert compact_reply("好的，主驾温度已调到26度。空调已打开。") == "好的，主驾温度已调到26度。"
    long = "x" * 200
    assert compact_reply(long) == "x" * HISTORY_REPLY_CHARS + "…"
