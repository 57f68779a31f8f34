"""Who spoke: one microphone per seat, and the seat whose microphone heard the most speech.

Every microphone in a cabin hears every passenger, but the speaker's own microphone, a few
tens of centimetres away, hears them loudest. Energy is summed only over the stretches the
VAD marked as speech, so road noise in the quiet parts does not vote.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import cast

import numpy as np

from tongxue.cabin.seats import SEATS, Seat
from tongxue.voice.audio import Audio
from tongxue.voice.vad import Segment


class SeatChannelsError(ValueError):
    """A channel-to-seat mapping that does not fit the recording."""


@dataclass(frozen=True)
class SeatDecision:
    seat: Seat
    # Mean speech energy per seat microphone, in dB relative to full scale.
    levels_db: dict[Seat, float]


def parse_seat_channels(text: str, default: Sequence[Seat]) -> tuple[Seat, ...]:
    """`"driver,passenger,..."`, one seat per channel in order; empty gives `default`."""
    names = [name.strip() for name in text.split(",") if name.strip()]
    if not names:
        return tuple(default)
    unknown = [name for name in names if name not in SEATS]
    if unknown:
        raise SeatChannelsError(f"unknown seat(s) {unknown}; seats are {', '.join(SEATS)}")
    if len(set(names)) != len(names):
        raise SeatChannelsError("a seat is given to two channels")
    return tuple(cast(Seat, name) for name in names)


def speaking_seat(
    audio: Audio, channel_seats: Sequence[Seat], speech: Sequence[Segment] = ()
) -> SeatDecision:
    """The seat of the channel with the most speech energy."""
    if audio.channels < 2:
        raise SeatChannelsError("seat detection needs one channel per seat microphone")
    if audio.channels > len(channel_seats):
        raise SeatChannelsError(
            f"the recording has {audio.channels} channels but only {len(channel_seats)} seats "
            "are named for them"
        )
    samples = audio.samples.astype(np.float64)
    if speech:
        mask = np.zeros(audio.frames, dtype=bool)
        for segment in speech:
            mask[round(segment.start * audio.rate) : round(segment.end * audio.rate)] = True
        if mask.any():
            samples = samples[mask]
    energy = np.mean(samples**2, axis=0) + 1e-12
    levels = {
        channel_seats[index]: float(10 * np.log10(energy[index])) for index in range(audio.channels)
    }
    loudest = int(np.argmax(energy))
    return SeatDecision(seat=channel_seats[loudest], levels_db=levels)
