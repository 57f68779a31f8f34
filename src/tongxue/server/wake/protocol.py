"""Response models of `/v1/voice/wake-words`."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

# Long enough for any spoken wake phrase, short enough that it stays a phrase.
MAX_PHRASE_CHARS = 40


class EnrolledWakeWord(BaseModel):
    object: Literal["wake_word"] = "wake_word"
    phrase: str
    samples: int = Field(description="How many recordings of it the detector matches against.")


class WakeWordList(BaseModel):
    object: Literal["list"] = "list"
    detector: str = Field(description="The wake-word design the car listens with.")
    configured: list[str] = Field(description="The phrases in the settings (voice_wake_phrases).")
    enrolled: list[EnrolledWakeWord] = Field(description="The phrases enrolled from recordings.")


class WakeWordDeleted(BaseModel):
    object: Literal["wake_word.deleted"] = "wake_word.deleted"
    phrase: str
    deleted: bool = True
