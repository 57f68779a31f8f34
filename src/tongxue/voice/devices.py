"""The microphone, through sounddevice (PortAudio): 32 ms frames at 16 kHz into asyncio."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from typing import Any

import numpy as np

from tongxue.voice.audio import SAMPLE_RATE, Audio
from tongxue.voice.vad import FRAME

logger = logging.getLogger(__name__)


class NoAudioDeviceError(RuntimeError):
    """No PortAudio, or no input device."""


def _sounddevice() -> Any:
    try:
        import sounddevice
    except OSError as error:  # the module loads, but PortAudio itself is missing
        raise NoAudioDeviceError(
            f"PortAudio is not available ({error}); install libportaudio2"
        ) from error
    return sounddevice


def input_device_available(device: int | str | None = None) -> bool:
    try:
        sounddevice = _sounddevice()
        sounddevice.check_input_settings(device=device, samplerate=SAMPLE_RATE, channels=1)
    except Exception:  # no device, no PortAudio, unsupported rate: all mean "no microphone"
        return False
    return True


async def microphone_frames(
    channels: int = 1, device: int | str | None = None
) -> AsyncIterator[Audio]:
    """Frames from the microphone until cancelled; one channel per seat microphone."""
    sounddevice = _sounddevice()
    loop = asyncio.get_running_loop()
    queue: asyncio.Queue[np.ndarray] = asyncio.Queue(maxsize=512)

    def callback(data: np.ndarray, _frames: int, _time: Any, status: Any) -> None:
        if status:
            logger.warning("microphone: %s", status)
        block = data.copy() if channels > 1 else data[:, 0].copy()
        loop.call_soon_threadsafe(_offer, queue, block)

    try:
        stream = sounddevice.InputStream(
            samplerate=SAMPLE_RATE,
            blocksize=FRAME,
            channels=channels,
            dtype="float32",
            device=device,
            callback=callback,
        )
    except Exception as error:
        raise NoAudioDeviceError(f"cannot open the microphone: {error}") from error
    with stream:
        while True:
            yield Audio(await queue.get(), SAMPLE_RATE)


def _offer(queue: asyncio.Queue[np.ndarray], block: np.ndarray) -> None:
    if queue.full():
        # The loop fell behind; dropping the oldest audio keeps the assistant in the present.
        queue.get_nowait()
    queue.put_nowait(block)
