"""Where reply audio goes: the loudspeaker, or memory (files, tests, the server).

A sink takes whole sentences and plays them in order; `stop` cuts playback at once (barge-in).
`advance` tells it how much stream time has passed: a device sink plays in real time and
ignores it, the memory sink plays exactly that much, so a recording run through the live loop
gives the same barge-in points every time.
"""

from __future__ import annotations

import collections
import logging
import threading
from typing import Protocol

import numpy as np

from tongxue.voice.audio import Audio

logger = logging.getLogger(__name__)


class AudioSink(Protocol):
    def play(self, audio: Audio) -> None:
        """Queue audio after what is already queued."""

    def stop(self) -> None:
        """Drop everything not yet played."""

    @property
    def playing(self) -> bool:
        """Whether queued audio is still sounding."""

    def advance(self, seconds: float) -> None:
        """Stream time has moved on by `seconds`."""


class MemorySink:
    """Plays into a list, clocked by the stream; keeps what was heard and what was cut."""

    def __init__(self, rate: int) -> None:
        self.rate = rate
        self._queue: collections.deque[Audio] = collections.deque()
        self._offset = 0  # frames of the head of the queue already played
        self.played: list[Audio] = []
        self.stops: list[float] = []  # seconds of audio dropped at each stop
        self.clock = 0.0

    def play(self, audio: Audio) -> None:
        self._queue.append(audio.mono().resampled(self.rate))

    def stop(self) -> None:
        dropped = sum(a.frames for a in self._queue) - self._offset
        if self._queue:
            head = self._queue[0]
            if self._offset:
                self.played.append(Audio(head.samples[: self._offset], self.rate))
        self.stops.append(dropped / self.rate)
        self._queue.clear()
        self._offset = 0

    @property
    def playing(self) -> bool:
        return bool(self._queue)

    def advance(self, seconds: float) -> None:
        self.clock += seconds
        frames = round(seconds * self.rate)
        while frames and self._queue:
            head = self._queue[0]
            take = min(frames, head.frames - self._offset)
            self._offset += take
            frames -= take
            if self._offset >= head.frames:
                self.played.append(head)
                self._queue.popleft()
                self._offset = 0

    def heard(self) -> Audio:
        """Everything that actually sounded, in order."""
        if not self.played:
            return Audio.silence(0.0, self.rate)
        return Audio.concat(self.played)


class SpeakerSink:
    """The default output device through sounddevice (PortAudio), fed from a callback."""

    def __init__(self, rate: int, device: int | str | None = None) -> None:
        import sounddevice

        self.rate = rate
        self._lock = threading.Lock()
        self._queue: collections.deque[np.ndarray] = collections.deque()
        self._stream = sounddevice.OutputStream(
            samplerate=rate,
            channels=1,
            dtype="float32",
            device=device,
            callback=self._callback,
        )
        self._stream.start()

    def _callback(self, out: np.ndarray, frames: int, _time: object, _status: object) -> None:
        filled = 0
        with self._lock:
            while filled < frames and self._queue:
                head = self._queue[0]
                take = min(frames - filled, head.shape[0])
                out[filled : filled + take, 0] = head[:take]
                filled += take
                if take == head.shape[0]:
                    self._queue.popleft()
                else:
                    self._queue[0] = head[take:]
        out[filled:, 0] = 0.0

    def play(self, audio: Audio) -> None:
        samples = audio.mono().resampled(self.rate).samples
        with self._lock:
            self._queue.append(samples.astype(np.float32))

    def stop(self) -> None:
        with self._lock:
            self._queue.clear()

    @property
    def playing(self) -> bool:
        with self._lock:
            return bool(self._queue)

    def advance(self, seconds: float) -> None:
        pass  # the device keeps its own time

    def close(self) -> None:
        self._stream.stop()
        self._stream.close()
