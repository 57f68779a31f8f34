"""Evaluation files against the cabin contract: reading them, and the paths and values cases name.

The contract's state table (cabin.md plus cabin-v2.md) is `CarState`: test_cabin_state.py and
test_v2_state.py in tests/cabin hold the model to that table path by path, so the data files are
checked against the model rather than against one more transcription of the table. The model is
looser than the table in one place, radio frequencies (it leaves band and step to the radio
actions), so that rule of the table is added here.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from tongxue.cabin.effects_media import AM_STEP
from tongxue.cabin.errors import InvalidValueError, UnknownPathError
from tongxue.cabin.state import AM_RANGE, FM_RANGE, CarState
from tongxue.dialogue.evaluation import EvalCase

EVALS = Path(__file__).resolve().parents[2] / "evals"
# The keys a case line may have: those the evaluation runner reads.
CASE_KEYS: frozenset[str] = frozenset(EvalCase.model_fields)
# Every leaf path of the default car (all six seats); a list is one leaf.
STATE_PATHS: frozenset[str] = frozenset(CarState().paths())
_FREQUENCY_PATHS = frozenset({"radio.frequency", "radio.presets"})


def read_rows(path: Path) -> list[dict[str, Any]]:
    """The JSON object on each non-blank line of a JSON Lines file."""
    rows = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        row = json.loads(line)
        assert isinstance(row, dict), f"{path.name}:{number} is not an object"
        rows.append(row)
    return rows


def is_text(value: Any) -> bool:
    return isinstance(value, str) and bool(value.strip())


def on_a_band(frequency: Any) -> bool:
    """FM 87.5..108.0 MHz on a 0.1 step, or AM 531..1629 kHz on a 9 kHz step."""
    if isinstance(frequency, bool) or not isinstance(frequency, int | float):
        return False
    if FM_RANGE[0] <= frequency <= FM_RANGE[1]:
        return math.isclose(frequency * 10, round(frequency * 10), abs_tol=1e-6)
    return AM_RANGE[0] <= frequency <= AM_RANGE[1] and (frequency - AM_RANGE[0]) % AM_STEP == 0


def value_problem(path: str, value: Any) -> str | None:
    """Why the contract does not let `path` hold `value`, or None when it does."""
    state = CarState()
    try:
        state.set_path(path, value)
    except (InvalidValueError, UnknownPathError) as error:
        return str(error)
    held = state.get_path(path)
    # The model snaps a temperature to its 0.5 °C step; data must already stand on it.
    if held != value:
        return f"'{path}' would hold {held!r}, not {value!r}"
    if path in _FREQUENCY_PATHS:
        off_band = [f for f in (value if isinstance(value, list) else [value]) if not on_a_band(f)]
        if off_band:
            return f"'{path}': {off_band} on no band or off its step"
    return None


def case_problems(case: dict[str, Any]) -> Iterator[str]:
    """Each path a case sets, expects or keeps unchanged that the car lacks, and each bad value."""
    for section in ("state", "expect"):
        for path, value in case.get(section, {}).items():
            problem = value_problem(path, value)
            if problem is not None:
                yield f"{section}: {problem}"
    for path in case.get("unchanged", []):
        if path not in STATE_PATHS:
            yield f"unchanged: unknown path '{path}'"
