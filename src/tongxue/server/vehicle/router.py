"""`/v1/vehicle/...`: state, actions, phone confirmations, simulation, and the events socket."""

from __future__ import annotations

import asyncio
import contextlib
import logging

from fastapi import APIRouter, Response, WebSocket, WebSocketDisconnect, status

from tongxue.server.deps import AdminCaller, Ctx, CurrentCaller, VehicleControl
from tongxue.server.errors import APIError, ErrorResponse
from tongxue.server.events import RESYNC, REVOKED, Allowed
from tongxue.server.security.auth import LOCAL_KEY_ID, Caller, authenticate, bearer_token
from tongxue.server.vehicle.protocol import (
    ChangesEvent,
    ConfirmationRequired,
    SimulationRequest,
    SnapshotEvent,
    VehicleActionsRequest,
    VehicleActionsResponse,
    VehicleProfileOut,
    VehicleStateOut,
)

logger = logging.getLogger(__name__)

router = APIRouter(
    prefix="/v1/vehicle",
    tags=["vehicle"],
    responses={code: {"model": ErrorResponse} for code in (400, 401, 403, 404, 413, 429)},
)

# Browsers cannot set headers on a WebSocket; they offer the key as a subprotocol instead.
WS_PROTOCOL = "tongxue.v1"
WS_KEY_PREFIX = "tongxue.key."


@router.get("/state")
async def get_state(caller: CurrentCaller, vehicle: VehicleControl) -> VehicleStateOut:
    return vehicle.state()


@router.get("/profile")
async def get_profile(caller: CurrentCaller, vehicle: VehicleControl) -> VehicleProfileOut:
    return vehicle.profile()


@router.post(
    "/actions",
    responses={202: {"model": ConfirmationRequired, "description": "Held for confirmation"}},
)
async def post_actions(
    body: VehicleActionsRequest, response: Response, caller: CurrentCaller, vehicle: VehicleControl
) -> VehicleActionsResponse | ConfirmationRequired:
    outcome = vehicle.request(caller, body)
    if isinstance(outcome, ConfirmationRequired):
        response.status_code = status.HTTP_202_ACCEPTED
    return outcome


@router.post("/actions/confirmations/{confirmation_id}")
async def confirm_actions(
    confirmation_id: str, caller: CurrentCaller, vehicle: VehicleControl
) -> VehicleActionsResponse:
    return vehicle.confirm(caller, confirmation_id)


@router.post("/simulation")
async def simulate(
    body: SimulationRequest, caller: AdminCaller, vehicle: VehicleControl
) -> VehicleStateOut:
    return vehicle.simulate(body.values)


@router.post("/reset")
async def reset(caller: AdminCaller, vehicle: VehicleControl) -> VehicleStateOut:
    return vehicle.reset()


# --- events -------------------------------------------------------------------------------


def _socket_caller(ctx: Ctx, websocket: WebSocket) -> tuple[Caller, str | None]:
    """The caller, from the Authorization header or a `tongxue.key.<key>` subprotocol."""
    offered = [p.strip() for p in websocket.headers.get("sec-websocket-protocol", "").split(",")]
    token = bearer_token(websocket.headers.get("authorization"))
    for proto in offered:
        if proto.startswith(WS_KEY_PREFIX):
            token = token or proto[len(WS_KEY_PREFIX) :]
    caller = authenticate(ctx.keys, token)
    if ctx.limiter.acquire(caller.key_id) > 0:
        raise APIError(429, "rate limit reached for this key", code="rate_limit_exceeded")
    return caller, WS_PROTOCOL if WS_PROTOCOL in offered else None


def _may_listen(ctx: Ctx, caller: Caller) -> Allowed:
    """Whether `caller` may still listen: its key exists (or, keyless, still no key does)."""
    keys = ctx.keys
    if caller.key_id == LOCAL_KEY_ID:
        return lambda: keys.empty
    return lambda: keys.active(caller.key_id)


@router.websocket("/events")
async def vehicle_events(websocket: WebSocket, ctx: Ctx) -> None:
    """A snapshot of the whole state first, then every change as it happens."""
    try:
        caller, subprotocol = _socket_caller(ctx, websocket)
    except APIError as exc:
        # Closing before accepting answers the handshake with HTTP 403.
        await websocket.close(code=1008, reason=exc.message[:120])
        return
    await websocket.accept(subprotocol=subprotocol)
    hub = ctx.events
    queue = hub.listen(_may_listen(ctx, caller))
    ctx.metrics.websockets.inc()
    logger.info("events socket opened by %s (%s)", caller.key_id, caller.role)
    vehicle = ctx.vehicle

    def snapshot() -> str:
        return SnapshotEvent(
            seq=0, profile=vehicle.profile.id, state=vehicle.snapshot()
        ).model_dump_json()

    async def pump() -> None:
        # Listening started before the snapshot: a change in between arrives twice at most,
        # and applying a change twice leaves the same state.
        await websocket.send_text(snapshot())
        while True:
            message = await queue.get()
            if message is REVOKED:
                logger.info("events socket of %s closed: no longer authorized", caller.key_id)
                await websocket.close(
                    code=1008, reason="the API key was revoked: connect again with a valid one"
                )
                return
            if message is RESYNC:
                await websocket.send_text(snapshot())
                continue
            await websocket.send_text(ChangesEvent.model_validate(message).model_dump_json())

    async def drain() -> None:
        # Clients have nothing to say; reading is how a close is noticed.
        with contextlib.suppress(WebSocketDisconnect):
            while True:
                await websocket.receive_text()

    tasks = [asyncio.ensure_future(pump()), asyncio.ensure_future(drain())]
    try:
        await asyncio.wait(tasks, return_when=asyncio.FIRST_COMPLETED)
    finally:
        for task in tasks:
            task.cancel()
        for task in tasks:
            with contextlib.suppress(
                asyncio.CancelledError, WebSocketDisconnect, RuntimeError, OSError
            ):
                await task
        hub.leave(queue)
        ctx.metrics.websockets.dec()
        with contextlib.suppress(RuntimeError, OSError, WebSocketDisconnect):
            await websocket.close()
