"""The car's `VehicleJournal` over the data folder's database: its state and undo log."""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Sequence
from typing import Any

from pydantic import ValidationError

from tongxue.cabin.results import TurnRecord
from tongxue.dialogue.database import Database

logger = logging.getLogger(__name__)

_SCHEMA = """
CREATE TABLE IF NOT EXISTS vehicle_state (
    vehicle TEXT PRIMARY KEY,
    state TEXT NOT NULL,
    saved_at REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS vehicle_turns (
    vehicle TEXT NOT NULL,
    position INTEGER NOT NULL,
    turn TEXT NOT NULL,
    PRIMARY KEY (vehicle, position)
);
"""


class SqliteVehicleJournal:
    """One car's state and undo log, filed under `vehicle`.

    Use the profile's id as `vehicle`: a data folder switched to another car profile then
    starts that car fresh instead of loading a state with other seats and equipment.
    """

    def __init__(self, database: Database, vehicle: str = "car") -> None:
        self.database = database
        self.vehicle = vehicle
        database.create_schema(_SCHEMA)

    def load_state(self) -> dict[str, Any] | None:
        with self.database.read() as db:
            row = db.execute(
                "SELECT state FROM vehicle_state WHERE vehicle = ?", (self.vehicle,)
            ).fetchone()
        if row is None:
            return None
        state: dict[str, Any] = json.loads(row[0])
        return state

    def save_state(self, state: dict[str, Any]) -> None:
        payload = json.dumps(state, ensure_ascii=False)
        with self.database.write() as db:
            db.execute(
                "INSERT INTO vehicle_state (vehicle, state, saved_at) VALUES (?, ?, ?) "
                "ON CONFLICT (vehicle) DO UPDATE SET state = excluded.state, "
                "saved_at = excluded.saved_at",
                (self.vehicle, payload, time.time()),
            )

    def load_turns(self) -> list[TurnRecord]:
        with self.database.read() as db:
            rows = db.execute(
                "SELECT turn FROM vehicle_turns WHERE vehicle = ? ORDER BY position",
                (self.vehicle,),
            ).fetchall()
        try:
            return [TurnRecord.model_validate_json(row[0]) for row in rows]
        except ValidationError:
            # Written by a release whose records no longer fit. Undo goes back one turn at a
            # time, so a log with a hole would undo to the wrong values: start it afresh.
            logger.warning(
                "the saved undo log of %s is unreadable; starting a new one", self.vehicle
            )
            return []

    def save_turns(self, turns: Sequence[TurnRecord]) -> None:
        with self.database.write() as db:
            db.execute("DELETE FROM vehicle_turns WHERE vehicle = ?", (self.vehicle,))
            db.executemany(
                "INSERT INTO vehicle_turns (vehicle, position, turn) VALUES (?, ?, ?)",
                [(self.vehicle, i, turn.model_dump_json()) for i, turn in enumerate(turns)],
            )
