"""`GET /healthz`, `GET /metrics` (Prometheus) and `GET /v1/me`."""

from __future__ import annotations

import time
from typing import Any, Literal

from fastapi import APIRouter, Response
from pydantic import BaseModel

from tongxue.cabin.actions import Role
from tongxue.engine.base import ChatEngine
from tongxue.engine.prefix_cache import PrefixEntry
from tongxue.server.deps import AdminCaller, Ctx, CurrentCaller
from tongxue.server.errors import ErrorResponse
from tongxue.server.metrics import CONTENT_TYPE

router = APIRouter(tags=["system"])


def _errors(*codes: int) -> dict[int | str, dict[str, Any]]:
    """The error answers an endpoint declares (`/healthz` needs no key and refuses nobody)."""
    return {code: {"model": ErrorResponse} for code in codes}


class PrefixWarmup(BaseModel):
    """How many of the model's common prompt prefixes are prefilled and saved, and the
    memory each saved state takes."""

    warmed: int
    skipped: int
    total: int
    bytes: int = 0
    max_bytes: int = 0
    states: list[PrefixEntry] = []


class Health(BaseModel):
    status: Literal["ok"] = "ok"
    model: str | None
    backend: str | None
    profile: str
    queue_depth: int
    uptime_s: float
    auth: Literal["keys", "loopback-only"]
    prefixes: PrefixWarmup | None = None


class Me(BaseModel):
    object: Literal["caller"] = "caller"
    key_id: str
    role: Role
    user: str | None
    auth: Literal["keys", "loopback-only"]


@router.get("/healthz")
async def healthz(ctx: Ctx) -> Health:
    engine = ctx.engine
    return Health(
        prefixes=_prefixes(engine) if engine else None,
        model=engine.model_name if engine else None,
        backend=engine.backend if engine else None,
        profile=ctx.vehicle.profile.id,
        queue_depth=engine.queue_depth if engine else 0,
        uptime_s=time.time() - ctx.started_at,
        auth="loopback-only" if ctx.open_mode else "keys",
    )


def _prefixes(engine: ChatEngine) -> PrefixWarmup | None:
    progress = engine.warm_progress
    if progress is None:
        return None
    report = engine.prefix_report()
    return PrefixWarmup(
        warmed=progress.warmed,
        skipped=progress.skipped,
        total=progress.total,
        bytes=report.bytes if report else 0,
        max_bytes=report.max_bytes if report else 0,
        states=report.entries if report else [],
    )


@router.get("/metrics", response_class=Response, responses=_errors(401, 403, 429))
async def metrics(ctx: Ctx, caller: AdminCaller) -> Response:
    # With keys, only an admin key scrapes (Prometheus sends it as a bearer token).
    return Response(ctx.metrics.exposition(), media_type=CONTENT_TYPE)


@router.get("/v1/me", responses=_errors(401, 429))
async def me(ctx: Ctx, caller: CurrentCaller) -> Me:
    return Me(
        key_id=caller.key_id,
        role=caller.role,
        user=caller.user,
        auth="loopback-only" if ctx.open_mode else "keys",
    )
