"""Assembles the voice assistant from settings: the models, the agent, the endpointer."""

from __future__ import annotations

from collections.abc import Sequence

from tongxue.cabin.seats import Seat
from tongxue.config import Settings
from tongxue.dialogue.agent import CabinAgent
from tongxue.voice.conversation import ConversationConfig
from tongxue.voice.models import VoiceModels
from tongxue.voice.pipeline import VoiceAssistant
from tongxue.voice.seats import parse_seat_channels
from tongxue.voice.vad import VadConfig
from tongxue.voice.wake import wake_phrases


def vad_config(settings: Settings) -> VadConfig:
    return VadConfig(
        threshold=settings.voice_vad_threshold,
        release=max(0.05, settings.voice_vad_threshold - 0.15),
        end_silence_ms=settings.voice_end_silence_ms,
    )


def channel_seats(settings: Settings, agent: CabinAgent) -> tuple[Seat, ...]:
    """The seat of each microphone channel: the setting, else the car's seats in order."""
    return parse_seat_channels(settings.voice_seat_channels, agent.vehicle.profile.seats)


def create_voice_assistant(
    settings: Settings, agent: CabinAgent, models: VoiceModels | None = None
) -> VoiceAssistant:
    models = models or VoiceModels.load(settings)
    # Configured and enrolled phrases alike: Whisper writes whichever was said before the command.
    wake = wake_phrases(settings) if settings.voice_activation == "wake-word" else ()
    return VoiceAssistant(
        agent,
        models.asr,
        models.tts,
        models.new_vad(),
        vad_config=vad_config(settings),
        wake_phrases=wake,
        beams=settings.voice_asr_beams,
        hotwords=settings.voice_hotwords,
    )


def conversation_config(
    settings: Settings, seats: Sequence[Seat] | None, seat: Seat = "driver"
) -> ConversationConfig:
    return ConversationConfig(
        follow_up=settings.voice_follow_up,
        channel_seats=seats,
        seat=seat,
        vad=vad_config(settings),
    )
