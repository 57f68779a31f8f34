"""What a device handler is given: the frame, the device it is about, and the seats."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from tongxue.cabin.actions import CabinAction
from tongxue.dialogue.rules.frame import Frame
from tongxue.dialogue.rules.tokens import Dev, SeatRef


@dataclass(frozen=True)
class Request:
    frame: Frame
    device: Dev
    targets: tuple[SeatRef, ...]
    brightness_attr: bool = False
    color_attr: bool = False
    # The sign of the previous turn's change on this device, for "再来一点 / a bit more".
    previous_sign: int | None = None

    @property
    def for_speaker_only(self) -> bool:
        """True when no seat other than the speaker's was named (whole-car devices)."""
        return self.targets == (None,)


Handler = Callable[[Request], list[CabinAction] | None]
