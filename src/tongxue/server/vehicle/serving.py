"""Direct control of the car: every action through the cabin policy.

The policy alone decides; this service only carries out its verdicts. When the policy
asks for a confirmation (a phone unlocking), the whole batch is held, nothing runs, and
the same key confirms it in a second request.
"""

from __future__ import annotations

import logging
import uuid

from tongxue.cabin.actions import ActionContext, CabinAction
from tongxue.cabin.errors import CabinError, InvalidActionError
from tongxue.cabin.policy import is_moving
from tongxue.cabin.results import CONFIRMATION_REQUIRED
from tongxue.cabin.seats import Seat
from tongxue.cabin.tools import available_actions, parse_tool_call
from tongxue.cabin.vehicle import Vehicle
from tongxue.server.confirmations import ConfirmationStore, PendingActions
from tongxue.server.errors import not_found, unprocessable
from tongxue.server.metrics import ServerMetrics
from tongxue.server.security.auth import Caller
from tongxue.server.vehicle.protocol import (
    ActionCall,
    ConfirmationRequired,
    VehicleActionsRequest,
    VehicleActionsResponse,
    VehicleProfileOut,
    VehicleStateOut,
)

logger = logging.getLogger(__name__)


class VehicleService:
    def __init__(
        self, vehicle: Vehicle, confirmations: ConfirmationStore, metrics: ServerMetrics
    ) -> None:
        self.vehicle = vehicle
        self.confirmations = confirmations
        self.metrics = metrics

    def state(self) -> VehicleStateOut:
        return VehicleStateOut(
            profile=self.vehicle.profile.id,
            moving=is_moving(self.vehicle.state),
            state=self.vehicle.snapshot(),
        )

    def profile(self) -> VehicleProfileOut:
        profile = self.vehicle.profile
        return VehicleProfileOut(
            id=profile.id,
            name=profile.name,
            seats=list(profile.ordered_seats),
            equipment=profile.equipment.model_dump(mode="json"),
            tools=[cls.name for cls in available_actions(profile)],
        )

    def parse(self, calls: list[ActionCall]) -> tuple[CabinAction, ...]:
        """Validate every action before any runs: one bad action and none of them do."""
        actions = []
        for index, call in enumerate(calls):
            try:
                actions.append(parse_tool_call(call.name, call.arguments))
            except InvalidActionError as exc:
                raise unprocessable(
                    str(exc), param=f"actions[{index}]", code="invalid_action"
                ) from exc
        return tuple(actions)

    def request(
        self, caller: Caller, body: VehicleActionsRequest
    ) -> VehicleActionsResponse | ConfirmationRequired:
        actions = self.parse(body.actions)
        verdicts = self.vehicle.check(list(actions), self.context(caller, body.seat))
        if any(v is not None and v.code == CONFIRMATION_REQUIRED for v in verdicts):
            pending = self.confirmations.hold(caller.key_id, body.seat, actions)
            logger.info(
                "held %d action(s) from key %s for confirmation", len(actions), caller.key_id
            )
            return ConfirmationRequired(
                id=pending.id,
                expires_at=pending.expires_at,
                confirm_url=f"/v1/vehicle/actions/confirmations/{pending.id}",
                actions=body.actions,
                message="unlocking from the phone needs a confirmation: POST to confirm_url",
            )
        return self.run(caller, body.seat, actions)

    def confirm(self, caller: Caller, confirmation_id: str) -> VehicleActionsResponse:
        pending: PendingActions | None = self.confirmations.take(confirmation_id, caller.key_id)
        if pending is None:
            raise not_found(f"confirmation '{confirmation_id}' (unknown, used or expired)")
        return self.run(caller, pending.seat, pending.actions, confirmed=True)

    def run(
        self,
        caller: Caller,
        seat: Seat,
        actions: tuple[CabinAction, ...],
        *,
        confirmed: bool = False,
    ) -> VehicleActionsResponse:
        turn_id = uuid.uuid4().hex
        ctx = self.context(caller, seat, confirmed=confirmed)
        results = self.vehicle.execute(list(actions), ctx, turn_id)
        for result in results:
            self.metrics.actions.labels(caller.role, result.status).inc()
        return VehicleActionsResponse(
            turn_id=turn_id,
            results=results,
            changes=[c for r in results for c in r.changes],
            refused=any(r.refused for r in results),
        )

    @staticmethod
    def context(caller: Caller, seat: Seat, *, confirmed: bool = False) -> ActionContext:
        return ActionContext(
            speaker=seat, source="api", role=caller.role, actor=caller.key_id, confirmed=confirmed
        )

    def simulate(self, values: dict[str, object]) -> VehicleStateOut:
        try:
            self.vehicle.set_many(values)
        except CabinError as exc:
            raise unprocessable(str(exc), param="values", code="invalid_state") from exc
        return self.state()

    def reset(self) -> VehicleStateOut:
        self.vehicle.reset()
        return self.state()
