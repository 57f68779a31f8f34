"""What an action writes, checked the one way for every action table."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from tongxue.cabin import ActionResult, CabinAction, Vehicle


def assert_writes_only(
    run: Callable[..., ActionResult],
    car: Vehicle,
    setup: dict[str, Any],
    action: CabinAction,
    expected: dict[str, Any],
) -> None:
    """From `setup`, the action writes exactly `expected` (new values) and moves nothing else."""
    car.set_many(setup)
    before = car.snapshot()
    result = run(car, action)
    assert result.status == "done", result
    assert result.name == action.name
    assert {c.path: c.new for c in result.changes} == expected
    for change in result.changes:
        assert change.old == _at(before, change.path)
    after = car.snapshot()
    for path, value in expected.items():
        assert car.get(path) == value
        parent, _, last = path.rpartition(".")
        _at(before, parent)[last] = value
    assert after == before  # nothing but the expected paths moved


def assert_unsupported(
    run: Callable[..., ActionResult],
    car: Vehicle,
    action: CabinAction,
    reason_code: str,
    **context: Any,
) -> None:
    """The action is unsupported for `reason_code` and the car is left as it was."""
    before = car.snapshot()
    result = run(car, action, **context)
    assert (result.status, result.reason_code) == ("unsupported", reason_code), result
    assert car.snapshot() == before


def _at(tree: dict[str, Any], path: str) -> Any:
    """The node at a dot path of a snapshot; the empty path is the snapshot itself."""
    node: Any = tree
    for key in path.split(".") if path else []:
        node = node[key]
    return node
