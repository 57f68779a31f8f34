"""The request and response shapes of OpenAI's audio API, as far as Tongxue serves it."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

TranscriptionFormat = Literal["json", "text", "verbose_json"]
SpeechFormat = Literal["wav", "pcm", "mp3", "opus", "aac", "flac"]

# ISO 639-1 codes to the names OpenAI's verbose transcriptions give.
LANGUAGE_NAMES = {"zh": "chinese", "en": "english"}


class Transcription(BaseModel):
    text: str


class TranscriptionAlternative(BaseModel):
    language: str
    text: str
    score: float


class VerboseTranscription(BaseModel):
    task: Literal["transcribe"] = "transcribe"
    language: str
    duration: float
    text: str
    segments: list[dict[str, object]] = Field(default_factory=list)
    # Tongxue's addition: what the recognizer weighed, best first.
    alternatives: list[TranscriptionAlternative] = Field(default_factory=list)


class SpeechRequest(BaseModel):
    model_config = ConfigDict(extra="ignore")

    model: str = "tts-1"
    input: str = Field(min_length=1, max_length=4096)
    # Any name is accepted; the voice follows the text: Chinese to espeak-ng, else Piper.
    voice: str = "auto"
    response_format: SpeechFormat = "mp3"
    speed: float = Field(1.0, ge=0.25, le=4.0)
