"""Grammar-guided recognition: the n-best hypothesis the rules understand, within a margin."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from tongxue.config import Settings
from tongxue.dialogue.factory import create_agent
from tongxue.dialogue.memory import StoredAction, user_for_seat
from tongxue.dialogue.rules.seat_words import EN_SEAT_WORDS, ZH_SEAT_WORDS
from tongxue.voice.asr import Hypothesis, Transcript
from tongxue.voice.models import VoiceModels
from tongxue.voice.pipeline import usable
from tongxue.voice.rescoring import DEFAULT_MARGIN, GrammarRescorer, rules_understand
from tongxue.voice.vocabulary import PROMPTS, cabin_hotwords, prompt_echo, seat_hotwords
from voice.voice_kit import Say, padded


def _hypothesis(text: str, avg_logprob: float, rank: int = 0, language: str = "zh") -> Hypothesis:
    # A sure language: the score is the decoder's log probability, nearly unchanged.
    return Hypothesis(
        language=language,
        text=text,
        language_probability=1.0,
        avg_logprob=avg_logprob,
        tokens=6,
        no_speech_prob=0.01,
        compression_ratio=1.0,
        rank=rank,
    )


def _transcript(*hypotheses: Hypothesis) -> Transcript:
    best = max(hypotheses, key=lambda h: h.score)
    return Transcript(best.text, best.language, hypotheses, 2.0, 0.5, chosen=best)


def test_the_rules_understand_commands_and_intents_not_garble() -> None:
    assert rules_understand("打开车窗。")
    assert rules_understand("Open the window.")
    assert rules_understand("撤销")  # an intent, with no parts
    assert rules_understand("记住我喜欢二十二度")
    assert not rules_understand("阿凯车窗。")
    assert not rules_understand("打开座椅加热调热")
    assert not rules_understand("")


def test_an_understood_lower_hypothesis_beats_a_garbled_top_one() -> None:
    transcript = _transcript(
        _hypothesis("阿凯车窗。", -0.30, rank=0),
        _hypothesis("打开车窗。", -0.36, rank=1),
        _hypothesis("阿凯车床。", -0.50, rank=2),
    )
    assert transcript.text == "阿凯车窗。"
    chosen = GrammarRescorer().choose(transcript)
    assert chosen.text == "打开车窗。" and chosen.language == "zh"
    assert chosen.hypothesis.rank == 1
    assert chosen.hypotheses == transcript.hypotheses  # the n-best is kept for the turn


def test_an_understood_hypothesis_far_below_the_best_is_refused() -> None:
    transcript = _transcript(
        _hypothesis("阿凯车窗。", -0.30, rank=0),
        _hypothesis("打开车窗。", -0.30 - DEFAULT_MARGIN - 0.2, rank=1),
    )
    chosen = GrammarRescorer().choose(transcript)
    assert chosen.text == "阿凯车窗。" and chosen.hypothesis.rank == 0


def test_of_several_understood_hypotheses_the_best_scored_wins() -> None:
    transcript = _transcript(
        _hypothesis("阿凯车窗。", -0.20, rank=0),
        _hypothesis("关闭车窗。", -0.28, rank=2),
        _hypothesis("打开车窗。", -0.25, rank=1),
    )
    assert GrammarRescorer().choose(transcript).text == "打开车窗。"


def test_the_other_languages_hypotheses_compete_too() -> None:
    # Chinese speech in cabin noise, which Whisper found likelier to be English garble.
    transcript = _transcript(
        _hypothesis("Ah, I church one.", -0.68, language="en"), _hypothesis("打开车窗。", -0.71)
    )
    chosen = GrammarRescorer().choose(transcript)
    assert chosen.text == "打开车窗。" and chosen.language == "zh"
    # A prompt sentence far below the best is not what was said.
    far = _transcript(
        _hypothesis("天亮调小一点。", -0.20), _hypothesis("Open the trunk.", -0.60, language="en")
    )
    assert GrammarRescorer().choose(far).text == "天亮调小一点。"


def test_with_nothing_understood_the_best_scored_stays() -> None:
    transcript = _transcript(_hypothesis("阿凯车窗。", -0.3), _hypothesis("阿凯车床。", -0.35, 1))
    assert GrammarRescorer().choose(transcript).text == "阿凯车窗。"


def test_the_rescorer_takes_its_own_judge_and_margin() -> None:
    transcript = _transcript(_hypothesis("打开车窗。", -0.2), _hypothesis("阿凯车窗。", -0.9, 1))
    judge = GrammarRescorer(lambda text: text.startswith("阿凯"), margin=1.0)
    assert judge.choose(transcript).text == "阿凯车窗。"
    assert GrammarRescorer(lambda text: False).choose(transcript).text == "打开车窗。"
    with pytest.raises(ValueError, match="margin"):
        GrammarRescorer(margin=-0.1)


def test_the_not_heard_clearly_gate_looks_at_the_chosen_hypothesis() -> None:
    guessed = _hypothesis("打开车窗。", -1.4, rank=3)
    transcript = _transcript(_hypothesis("阿凯车窗。", -0.9), guessed)
    assert usable(transcript)
    assert not usable(transcript.choose(guessed))


def test_beam_search_keeps_an_n_best_the_rescorer_chooses_from(
    voice_models: VoiceModels, say: Say
) -> None:
    transcript = voice_models.asr.transcribe(padded(say("打开车窗")), language="zh", beams=4)
    assert [h.language for h in transcript.hypotheses] == ["zh"] * 4
    assert [h.rank for h in transcript.hypotheses] == [0, 1, 2, 3]
    assert len({h.text for h in transcript.hypotheses}) > 1
    chosen = GrammarRescorer().choose(transcript)
    assert chosen.text.rstrip("。") == "打开车窗"
    assert usable(chosen)


def test_greedy_decoding_keeps_one_hypothesis_a_language(
    voice_models: VoiceModels, say: Say
) -> None:
    transcript = voice_models.asr.transcribe(padded(say("打开车窗")), language="zh")
    assert len(transcript.hypotheses) == 1 and transcript.hypothesis.rank == 0


# --- hotwords ----------------------------------------------------------------------------


def test_seat_hotwords_are_the_rules_seat_words_for_the_cars_seats() -> None:
    four = seat_hotwords(("driver", "passenger", "rear_left", "rear_right"))
    six = seat_hotwords(("driver", "passenger", "rear_left", "rear_right", "third_left"))
    assert "主驾" in four and "rear right" in four and "三排左" not in four
    assert "三排左" in six
    assert all(w in ZH_SEAT_WORDS or w in EN_SEAT_WORDS for w in six)


def test_hotwords_hold_the_contacts_and_the_speakers_remembered_places(tmp_path: Path) -> None:
    agent = create_agent(Settings(data_dir=tmp_path / "data"), use_llm=False)
    places = [StoredAction(name="navigate_to", arguments={"destination": "虹桥机场"})]
    agent.memory.remember(user_for_seat("driver"), "navigate_to", "记住去虹桥机场", places)
    agent.vehicle.set("navigation.home", "陆家嘴")
    driver = cabin_hotwords(agent, "driver")
    wanted = {"给张三打电话", "给Alice打电话", "Call Alice", "导航到虹桥机场", "导航到陆家嘴"}
    assert wanted <= set(driver)
    assert all(rules_understand(phrase) for phrase in driver)
    assert "导航到虹桥机场" not in cabin_hotwords(agent, "passenger")
    # Seat words only when asked for, after the names (the recognizer keeps what fits).
    assert not any("主驾" in phrase for phrase in driver)
    with_seats = cabin_hotwords(agent, "driver", seats=True)
    assert with_seats[: len(driver)] == driver
    assert with_seats[-2].startswith("主驾、副驾、左后、右后") and "rear right" in with_seats[-1]


def test_an_echo_of_the_prompt_is_recognised_sentence_by_sentence() -> None:
    prompt = "打开空调。关闭车窗。Open the trunk. What's the weather like today?"
    assert prompt_echo("Open the trunk.", prompt)
    assert prompt_echo("open the trunk what's the weather like today", prompt) is False
    assert prompt_echo("关闭车窗。打开空调", prompt)
    assert not prompt_echo("打开遮阳帘。", prompt)
    assert not prompt_echo("关闭车窗。打开遮阳帘。", prompt)
    assert not prompt_echo("", prompt)


def test_an_unclear_echo_of_the_prompt_neither_wins_nor_is_acted_on() -> None:
    echo = replace(_hypothesis("Open the trunk.", -0.5, language="en"), echo=True)
    heard = _hypothesis("打开遮阳帘。", -0.55)
    chosen = GrammarRescorer().choose(_transcript(echo, heard))
    # Both are commands the rules understand; the echo is a guess, so the other wins.
    assert chosen.text == "打开遮阳帘。"
    # Alone, the echo is not acted on: the assistant asks again instead of opening the trunk.
    alone = GrammarRescorer().choose(_transcript(echo))
    assert alone.text == "Open the trunk." and not usable(alone)
    # A clean decoding of a prompt sentence is a command like any other.
    clean = replace(_hypothesis("Open the trunk.", -0.1, language="en"), echo=True)
    assert usable(GrammarRescorer().choose(_transcript(clean)))


def test_the_recognizer_marks_echoes_of_its_own_prompt(voice_models: VoiceModels, say: Say) -> None:
    transcript = voice_models.asr.transcribe(padded(say("Open the trunk")), beams=2)
    assert transcript.hypotheses
    for hypothesis in transcript.hypotheses:
        assert hypothesis.echo == prompt_echo(hypothesis.text, PROMPTS[hypothesis.language])
