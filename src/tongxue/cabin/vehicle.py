"""The vehicle: state, profile, safety policy, action log with undo, change subscribers."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any

from tongxue.cabin import policy
from tongxue.cabin.actions import ActionContext, CabinAction
from tongxue.cabin.adapter import SimulatedAdapter, VehicleAdapter
from tongxue.cabin.effects import Unsupported, plan_action
from tongxue.cabin.errors import CabinError
from tongxue.cabin.profile import DEFAULT_PROFILE, CarProfile
from tongxue.cabin.results import ActionResult, StateChange, Status, TurnRecord
from tongxue.cabin.state import CarState

logger = logging.getLogger(__name__)

Subscriber = Callable[[list[StateChange]], None]

# Turns kept for undo; a car conversation never needs to go back further.
MAX_UNDO_TURNS = 50


class Vehicle:
    """One car. Thread-safe; subscribers are called outside the lock, after each change."""

    def __init__(
        self, profile: CarProfile = DEFAULT_PROFILE, adapter: VehicleAdapter | None = None
    ) -> None:
        self.profile = profile
        self.adapter: VehicleAdapter = adapter if adapter is not None else SimulatedAdapter()
        self._state = profile.initial_state()
        self._undo_log: list[TurnRecord] = []
        self._subscribers: list[Subscriber] = []
        self._lock = threading.RLock()

    # --- reading ---------------------------------------------------------------------

    @property
    def state(self) -> CarState:
        """The live state: read it; change it through `execute` or `set`."""
        return self._state

    def snapshot(self) -> dict[str, Any]:
        """The whole state as nested JSON (a copy)."""
        with self._lock:
            return self._state.to_dict()

    def get(self, path: str) -> Any:
        """The value at a dot path."""
        with self._lock:
            return self._state.get_path(path)

    @property
    def can_undo(self) -> bool:
        return bool(self._undo_log)

    @property
    def history(self) -> tuple[TurnRecord, ...]:
        """Turns that changed something and can still be undone, oldest first."""
        return tuple(self._undo_log)

    # --- raw setup -------------------------------------------------------------------

    def set(self, path: str, value: Any) -> None:
        """Write one path directly: evaluation setup and simulation, read-only paths included.

        Bypasses the policy, the undo log and the adapter (this is the car's state becoming
        something, not a request to the car).
        """
        self.set_many({path: value})

    def set_many(self, values: Mapping[str, Any]) -> None:
        """Several `set`s, all or nothing."""
        with self._lock:
            changes = self._write_all(list(values.items()))
        self._notify(changes)

    def reset(self) -> None:
        """Back to the profile's parked car; forgets the undo log."""
        with self._lock:
            before = self._state.to_dict()
            self._state = self.profile.initial_state()
            self._undo_log.clear()
            changes = _diff(before, self._state.to_dict())
        self._notify(changes)

    def refresh(self) -> None:
        """Merge what the adapter reports (sensors of a real car) into the state."""
        reported = self.adapter.read()
        if reported:
            self.set_many(dict(_flatten(reported)))

    # --- actions ---------------------------------------------------------------------

    def execute(
        self, actions: Sequence[CabinAction], ctx: ActionContext, turn_id: str
    ) -> list[ActionResult]:
        """Run actions in order, each through the policy; one result per action.

        A refused or unsupported action changes nothing; the others still run. Calls with
        the same `turn_id` in a row count as one turn for undo.
        """
        self.refresh()
        results: list[ActionResult] = []
        with self._lock:
            for action in actions:
                result = self._execute_one(action, ctx)
                results.append(result)
                if result.changes:
                    self.adapter.apply(result.changes)
            self._record(turn_id, ctx, results)
        changes = [change for result in results for change in result.changes]
        self._notify(changes)
        return results

    def undo(self) -> list[StateChange]:
        """Revert the most recent turn that changed something; [] when there is none."""
        with self._lock:
            if not self._undo_log:
                return []
            turn = self._undo_log[-1]
            reverted = [(change.path, change.old) for change in reversed(turn.changes)]
            if policy.is_moving(self.state) and any(
                path in _UNSAFE_WHILE_MOVING and _UNSAFE_WHILE_MOVING[path] == value
                for path, value in reverted
            ):
                # Undo is no back door around the policy: it would unlock, open the trunk
                # or fold the mirrors of a moving car. The turn stays undoable once parked.
                logger.warning("undo refused: it would %s while moving", reverted)
                return []
            self._undo_log.pop()
            changes = self._write_all(reverted)
            # Only the final value per path matters once a turn wrote a path twice.
            changes = _merge(changes)
            if changes:
                self.adapter.apply(changes)
        self._notify(changes)
        return changes

    def subscribe(self, callback: Subscriber) -> Callable[[], None]:
        """Call `callback` with every non-empty list of changes; returns the unsubscriber."""
        with self._lock:
            self._subscribers.append(callback)

        def unsubscribe() -> None:
            with self._lock:
                if callback in self._subscribers:
                    self._subscribers.remove(callback)

        return unsubscribe

    # --- internals -------------------------------------------------------------------

    def _execute_one(self, action: CabinAction, ctx: ActionContext) -> ActionResult:
        base: dict[str, Any] = {"name": action.name, "arguments": action.arguments()}
        plan = plan_action(action, self._state, self.profile, ctx.speaker)
        if isinstance(plan, Unsupported):
            return ActionResult(
                **base, status="unsupported", reason_code=plan.code, reason=plan.reason
            )
        refusal = policy.check(action, ctx, self._state, plan)
        if refusal is not None:
            logger.info("refused %s from %s: %s", action.name, ctx.speaker, refusal.reason)
            return ActionResult(
                **base, status="refused", reason_code=refusal.code, reason=refusal.reason
            )
        changes = self._write_all(list(plan.writes))
        clamps = list(plan.clamps)
        status: Status = "clamped" if clamps else "done" if changes else "unchanged"
        return ActionResult(**base, status=status, changes=changes, clamped=clamps)

    def _write_all(self, writes: list[tuple[str, Any]]) -> list[StateChange]:
        """Apply writes in order; on a bad one, undo the earlier ones and re-raise."""
        changes: list[StateChange] = []
        try:
            for path, value in writes:
                old = self._state.get_path(path)
                if old == value and type(old) is type(value):
                    continue
                self._state.set_path(path, value)
                new = self._state.get_path(path)
                if new != old:
                    changes.append(StateChange(path=path, old=old, new=new))
        except CabinError:
            for change in reversed(changes):
                self._state.set_path(change.path, change.old)
            raise
        return changes

    def _record(self, turn_id: str, ctx: ActionContext, results: list[ActionResult]) -> None:
        if not any(result.changes for result in results):
            return
        last = self._undo_log[-1] if self._undo_log else None
        if last is not None and last.turn_id == turn_id:
            last.results.extend(results)
            return
        self._undo_log.append(TurnRecord(turn_id=turn_id, context=ctx, results=results))
        del self._undo_log[:-MAX_UNDO_TURNS]

    def _notify(self, changes: list[StateChange]) -> None:
        if not changes:
            return
        with self._lock:
            subscribers = list(self._subscribers)
        for callback in subscribers:
            try:
                callback(list(changes))
            except Exception:
                # A broken listener (a UI, a logger) must not break the car.
                logger.exception("cabin subscriber %r failed", callback)


# Values the moving-car safety rule forbids; undo must not write them either.
_UNSAFE_WHILE_MOVING: dict[str, Any] = {
    "doors.locked": False,
    "trunk.open": True,
    "mirrors.folded": True,
}


def _flatten(values: Mapping[str, Any], prefix: str = "") -> Iterator[tuple[str, Any]]:
    for key, value in values.items():
        if isinstance(value, Mapping):
            yield from _flatten(value, f"{prefix}{key}.")
        else:
            yield f"{prefix}{key}", value


def _diff(before: dict[str, Any], after: dict[str, Any]) -> list[StateChange]:
    old_leaves = dict(_flatten(before))
    new_leaves = dict(_flatten(after))
    return [
        StateChange(path=path, old=old_leaves.get(path), new=new)
        for path, new in new_leaves.items()
        if old_leaves.get(path) != new
    ]


def _merge(changes: list[StateChange]) -> list[StateChange]:
    first: dict[str, StateChange] = {}
    last: dict[str, StateChange] = {}
    for change in changes:
        first.setdefault(change.path, change)
        last[change.path] = change
    return [
        StateChange(path=path, old=first[path].old, new=last[path].new)
        for path in last
        if first[path].old != last[path].new
    ]
