"""Where the vehicle keeps what must survive a restart: the car's state and the undo log.

The cabin stays free of storage: a journal is any object with these four methods. The
default keeps nothing; the server plugs in one backed by its SQLite database.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Protocol, runtime_checkable

from tongxue.cabin.results import TurnRecord


@runtime_checkable
class VehicleJournal(Protocol):
    def load_state(self) -> dict[str, Any] | None:
        """The state saved last (nested JSON), or None when nothing was saved yet."""

    def save_state(self, state: dict[str, Any]) -> None:
        """Keep the whole state (nested JSON); called after every change."""

    def load_turns(self) -> list[TurnRecord]:
        """The undo log saved last, oldest first."""

    def save_turns(self, turns: Sequence[TurnRecord]) -> None:
        """Keep the whole undo log (at most `MAX_UNDO_TURNS` turns), oldest first."""


class NoJournal:
    """Keeps nothing: a car that starts parked and fresh every time."""

    def load_state(self) -> dict[str, Any] | None:
        return None

    def save_state(self, state: dict[str, Any]) -> None:
        pass

    def load_turns(self) -> list[TurnRecord]:
        return []

    def save_turns(self, turns: Sequence[TurnRecord]) -> None:
        pass
