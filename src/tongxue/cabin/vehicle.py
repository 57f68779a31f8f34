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
from tongxue.cabin.journal import NoJournal, VehicleJournal
from tongxue.cabin.profile import DEFAULT_PROFILE, CarProfile
from tongxue.cabin.results import ActionResult, StateChange, Status, TurnRecord
from tongxue.cabin.state import CarState

logger = logging.getLogger(__name__)

Subscriber = Callable[[list[StateChange]], None]

# Turns kept for undo; a car conversation never needs to go back further.
MAX_UNDO_TURNS = 50


class Vehicle:
    """One car. Thread-safe; subscribers are called outside the lock, after each change.

    Every change, whoever asks, goes through the adapter (the car) and the journal (what
    survives a restart); every request to act goes through the policy first.
    """

    def __init__(
        self,
        profile: CarProfile = DEFAULT_PROFILE,
        adapter: VehicleAdapter | None = None,
        journal: VehicleJournal | None = None,
    ) -> None:
        self.profile = profile
        self.adapter: VehicleAdapter = adapter if adapter is not None else SimulatedAdapter()
        self.journal: VehicleJournal = journal if journal is not None else NoJournal()
        self._state = profile.initial_state()
        self._restore(self.journal.load_state())
        self._undo_log: list[TurnRecord] = self.journal.load_turns()[-MAX_UNDO_TURNS:]
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

        Bypasses the policy and the undo log (this is the car's state becoming something,
        not a request to the car), but not the adapter and the journal.
        """
        self.set_many({path: value})

    def set_many(self, values: Mapping[str, Any]) -> None:
        """Several `set`s, all or nothing."""
        with self._lock:
            changes = self._write_all(list(values.items()))
            self._commit(changes)
        self._notify(changes)

    def reset(self) -> None:
        """Back to the profile's parked car; forgets the undo log."""
        with self._lock:
            fresh = self.profile.initial_state()
            changes = _diff(self._state.to_dict(), fresh.to_dict())
            state_before, log_before = self._state, list(self._undo_log)
            self._state = fresh
            self._undo_log.clear()
            try:
                self._commit(changes, turns_changed=True)
            except Exception:
                self._state, self._undo_log[:] = state_before, log_before
                raise
        self._notify(changes)

    def refresh(self) -> None:
        """Merge what the adapter reports (sensors of a real car) into the state."""
        reported = self.adapter.read()
        if not reported:
            return
        with self._lock:
            # The car told us these values: they are not sent back to it.
            changes = self._write_all(list(_flatten(reported)))
            if changes:
                self.journal.save_state(self._state.to_dict())
        self._notify(changes)

    # --- actions ---------------------------------------------------------------------

    def execute(
        self, actions: Sequence[CabinAction], ctx: ActionContext, turn_id: str
    ) -> list[ActionResult]:
        """Run actions in order, each through the policy; one result per action.

        A refused or unsupported action changes nothing; the others still run. A failure
        (a bad value, a car that rejects the change) undoes the whole batch and re-raises:
        nothing is half done. Calls with the same `turn_id` in a row count as one turn for
        undo.
        """
        self.refresh()
        results: list[ActionResult] = []
        with self._lock:
            log_before = list(self._undo_log)
            try:
                for action in actions:
                    results.append(self._execute_one(action, ctx))
                changes = [change for result in results for change in result.changes]
                self._record(turn_id, ctx, results)
                self._commit(changes, turns_changed=bool(changes))
            except Exception:
                self._rollback([c for r in results for c in r.changes])
                self._undo_log[:] = log_before
                raise
        self._notify(changes)
        return results

    def check(
        self, actions: Sequence[CabinAction], ctx: ActionContext
    ) -> list[policy.Refusal | None]:
        """The policy's verdict on each action as things stand, without running any."""
        with self._lock:
            verdicts: list[policy.Refusal | None] = []
            for action in actions:
                plan = plan_action(action, self._state, self.profile, ctx.speaker)
                writes = () if isinstance(plan, Unsupported) else plan.writes
                verdicts.append(policy.check(ctx, self._state, writes))
            return verdicts

    def undo(self, ctx: ActionContext) -> list[ActionResult]:
        """Revert the most recent turn that changed something, as `ctx` asks; a second
        undo right after reverts the first.

        Each reverted action is judged by the policy as a request from `ctx` (the person
        asking now, not the one who asked then). What the policy refuses stays undoable;
        one result per action of the turn says what was reverted and what was refused and
        why. [] when there is nothing to undo.
        """
        self.refresh()
        with self._lock:
            if not self._undo_log:
                return []
            turn = self._undo_log[-1]
            refusal = policy.check_undo(turn.context, ctx)
            if refusal is not None:
                return [_refused(_undo_of(turn.results[-1]), refusal)]
            outcome: list[ActionResult] = []
            kept: list[ActionResult] = []
            applied: list[StateChange] = []
            log_before = list(self._undo_log)
            try:
                for result in reversed(turn.results):
                    if not result.changes:
                        continue
                    reverted = [(change.path, change.old) for change in reversed(result.changes)]
                    refusal = policy.check(ctx, self._state, reverted)
                    if refusal is not None:
                        logger.info("undo of %s refused: %s", result.name, refusal.reason)
                        outcome.append(_refused(_undo_of(result), refusal))
                        kept.insert(0, result)
                        continue
                    # Only the final value per path matters once an action wrote it twice.
                    changes = _merge(self._write_all(reverted))
                    applied.extend(changes)
                    status: Status = "done" if changes else "unchanged"
                    outcome.append(
                        _undo_of(result).model_copy(update={"status": status, "changes": changes})
                    )
                self._undo_log[-1:] = [turn.model_copy(update={"results": kept})] if kept else []
                # The undo is itself a turn: undoing right after it puts things back
                # (contract v2, k: one level, no history).
                reverts = [result for result in outcome if result.changes]
                if reverts:
                    self._undo_log.append(
                        TurnRecord(turn_id=f"undo:{turn.turn_id}", context=ctx, results=reverts)
                    )
                applied = _merge(applied)
                self._commit(applied, turns_changed=True)
            except Exception:
                self._rollback(applied)
                self._undo_log[:] = log_before
                raise
        self._notify(applied)
        return outcome

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
        refusal = policy.check(ctx, self._state, plan.writes)
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
        except Exception:
            self._rollback(changes)
            raise
        return changes

    def _rollback(self, changes: Sequence[StateChange]) -> None:
        for change in reversed(changes):
            self._state.set_path(change.path, change.old)

    def _commit(self, changes: list[StateChange], *, turns_changed: bool = False) -> None:
        """Carry accepted changes to the car, then keep them; the caller rolls back on error."""
        if changes:
            self.adapter.apply(changes)
            self.journal.save_state(self._state.to_dict())
        if turns_changed:
            self.journal.save_turns(self._undo_log)

    def _restore(self, saved: dict[str, Any] | None) -> None:
        """Take over a saved state, leaf by leaf: a leaf this car no longer has is skipped."""
        if not saved:
            return
        for path, value in _flatten(saved):
            try:
                self._state.set_path(path, value)
            except CabinError as exc:
                logger.warning("not restoring %s=%r: %s", path, value, exc)

    def _record(self, turn_id: str, ctx: ActionContext, results: list[ActionResult]) -> None:
        if not any(result.changes for result in results):
            return
        last = self._undo_log[-1] if self._undo_log else None
        if last is not None and last.turn_id == turn_id:
            # A new record, not an edit: a failed batch restores the log as it was.
            self._undo_log[-1] = last.model_copy(update={"results": [*last.results, *results]})
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


def _undo_of(result: ActionResult) -> ActionResult:
    """An undo's result for one action of the turn it reverts."""
    return ActionResult(name=result.name, arguments=result.arguments, status="unchanged")


def _refused(result: ActionResult, refusal: policy.Refusal) -> ActionResult:
    return result.model_copy(
        update={"status": "refused", "reason_code": refusal.code, "reason": refusal.reason}
    )
