"""The server's last word on every action: whatever asked for it, the model included.

The assistant executes actions with the source of the path that understood the turn
(`rules` or `llm`). When the person behind the turn is on the phone, the server must still
judge those actions as remote ones: no driving controls, no unlocking without the explicit
confirmation step, no undoing what someone in the car did. The caller of the request in
progress travels in a context variable, so the assistant needs to know nothing about it.
"""

from __future__ import annotations

from collections.abc import Sequence
from contextvars import ContextVar

from tongxue.cabin.actions import ActionContext, CabinAction, SetDoorLock
from tongxue.cabin.results import ActionResult, StateChange
from tongxue.cabin.vehicle import Vehicle
from tongxue.server.security.auth import Caller

CONFIRMATION_REQUIRED = "confirmation_required"

# The caller of the request being served, set by the endpoints that run the assistant.
acting_caller: ContextVar[Caller | None] = ContextVar("acting_caller", default=None)


def needs_confirmation(action: CabinAction) -> bool:
    """Actions a phone may only take after an explicit second step."""
    return isinstance(action, SetDoorLock) and not action.locked


class GuardedVehicle(Vehicle):
    """A `Vehicle` that treats everything done on behalf of a phone as remote."""

    def execute(
        self,
        actions: Sequence[CabinAction],
        ctx: ActionContext,
        turn_id: str,
        *,
        confirmed: bool = False,
    ) -> list[ActionResult]:
        caller = acting_caller.get()
        if caller is not None and caller.role == "phone" and ctx.source != "phone":
            ctx = ctx.model_copy(update={"source": "phone"})
        if ctx.source != "phone" or confirmed:
            return super().execute(actions, ctx, turn_id)
        held = [needs_confirmation(action) for action in actions]
        if not any(held):
            return super().execute(actions, ctx, turn_id)
        allowed = [a for a, hold in zip(actions, held, strict=True) if not hold]
        done = iter(super().execute(allowed, ctx, turn_id))
        return [
            _awaiting_confirmation(action) if hold else next(done)
            for action, hold in zip(actions, held, strict=True)
        ]

    def undo(self) -> list[StateChange]:
        caller = acting_caller.get()
        if caller is not None and caller.role == "phone" and not self._phone_may_undo():
            return []
        return super().undo()

    def _phone_may_undo(self) -> bool:
        """Only the phone's own last turn, and never when undoing it would unlock the car."""
        history = self.history
        if not history:
            return True
        last = history[-1]
        if last.context.source != "phone":
            return False
        return not any(c.path == "doors.locked" and c.old is False for c in last.changes)


def _awaiting_confirmation(action: CabinAction) -> ActionResult:
    return ActionResult(
        name=action.name,
        arguments=action.arguments(),
        status="refused",
        reason_code=CONFIRMATION_REQUIRED,
        reason="unlocking from the phone needs a confirmation: use the remote unlock control",
    )
