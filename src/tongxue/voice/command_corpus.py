"""The spoken-command corpus of the voice bench, and what each command does to the car.

A transcript is judged by its outcome, not its spelling: run the rules' actions for it on a
default car (through the cabin's policy, as the assistant would) and compare the car with the
one the words actually said produce. A transcript the rules do not fully understand would go to
the language model; the bench does not call it and counts the command as missed.
"""

from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources
from typing import Any, Literal

import yaml
from pydantic import BaseModel, Field

from tongxue.cabin import ActionContext, CabinAction, Seat, Vehicle
from tongxue.dialogue.rules import RuleParser
from tongxue.dialogue.rules.types import ActionPart

CORPUS_FILE = "bench_commands.yaml"
# Nothing in the corpus names the speaker's seat; "my window" is the driver's.
SPEAKER: Seat = "driver"
# Whisper sometimes writes a whole paragraph for a garbled clip; the parser refuses past 200.
_MAX_TRANSCRIPT = 400

_parser = RuleParser()


class SpokenCommand(BaseModel):
    said: str = Field(description="The command as the driver says it.")
    language: Literal["zh", "en"]
    topic: str = Field(description="The first action it asks for (for grouping results).")
    source: str = Field(description="Where in the project's data the sentence comes from.")


def load_commands() -> list[SpokenCommand]:
    """The corpus shipped with the package, Chinese and English, in file order."""
    text = resources.files("tongxue.voice").joinpath("data", CORPUS_FILE).read_text("utf-8")
    data = yaml.safe_load(text)
    return [SpokenCommand.model_validate(entry) for entry in data["commands"]]


def understood_actions(text: str) -> tuple[CabinAction, ...] | None:
    """The actions of a command the rules fully understand; None when any part is not."""
    if not text.strip() or len(text) > _MAX_TRANSCRIPT:
        return None
    parse = _parser.parse(text)
    if parse is None or parse.kind != "actions" or not parse.actions:
        return None
    if not all(isinstance(part, ActionPart) for part in parse.parts):
        return None
    return parse.actions


@lru_cache(maxsize=4096)
def car_after(text: str) -> str | None:
    """The default car after the command, as canonical JSON; None if the rules miss it.

    Cached: the said text of every case is asked for once per SNR and recognizer.
    """
    actions = understood_actions(text)
    if actions is None:
        return None
    vehicle = Vehicle()
    vehicle.execute(actions, ActionContext(speaker=SPEAKER), "bench")
    return _canonical(vehicle.snapshot())


def default_car() -> str:
    return _canonical(Vehicle().snapshot())


def same_outcome(said: str, heard: str) -> bool:
    """The car comes out as the speaker wanted: the transcript's actions do what the words do."""
    wanted = car_after(said)
    return wanted is not None and car_after(heard) == wanted


def _canonical(snapshot: dict[str, Any]) -> str:
    return json.dumps(snapshot, sort_keys=True, ensure_ascii=False, default=str)
