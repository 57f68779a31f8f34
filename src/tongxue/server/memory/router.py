"""`/v1/memories`: a key lists and deletes its own user's memories; admins name the user."""

from __future__ import annotations

import asyncio
from typing import Annotated

from fastapi import APIRouter, Path, Query

from tongxue.cabin.seats import Seat
from tongxue.dialogue.memory import user_for_seat
from tongxue.server.deps import Ctx, CurrentCaller
from tongxue.server.errors import ErrorResponse, forbidden, not_found
from tongxue.server.memory.protocol import MemoriesDeleted, MemoryDeleted, MemoryList, MemoryOut
from tongxue.server.security.auth import Caller

router = APIRouter(
    prefix="/v1/memories",
    tags=["memory"],
    responses={code: {"model": ErrorResponse} for code in (400, 401, 403, 404, 429)},
)

UserParam = Annotated[
    str | None, Query(min_length=1, max_length=64, description="Whose memories (admins only).")
]
SeatParam = Annotated[
    Seat | None, Query(description="The occupant of this seat (admins only, keyless setups).")
]
# Memory ids are SQLite row ids: a larger number is no id at all (and SQLite cannot take it).
MemoryId = Annotated[int, Path(ge=1, le=2**63 - 1, description="The memory's id.")]


def _whose(caller: Caller, user: str | None, seat: Seat | None) -> str:
    """The user whose memories the caller addresses; only admins may name someone else."""
    asked = user or (user_for_seat(seat) if seat else None)
    if asked is not None and asked != caller.user and not caller.is_admin:
        raise forbidden("a key only sees its own user's memories", code="not_your_user")
    # Without keys the speaker is known by seat; the driver is the natural default.
    return asked or caller.user or user_for_seat("driver")


@router.get("")
async def list_memories(
    ctx: Ctx, caller: CurrentCaller, user: UserParam = None, seat: SeatParam = None
) -> MemoryList:
    whose = _whose(caller, user, seat)
    memories = await asyncio.to_thread(ctx.agent.memory.recall, whose)
    return MemoryList(user=whose, data=[MemoryOut.model_validate(m.model_dump()) for m in memories])


@router.delete("")
async def delete_memories(
    ctx: Ctx, caller: CurrentCaller, user: UserParam = None, seat: SeatParam = None
) -> MemoriesDeleted:
    whose = _whose(caller, user, seat)
    count = await asyncio.to_thread(ctx.agent.memory.forget, whose)
    return MemoriesDeleted(user=whose, deleted_count=count)


@router.delete("/{memory_id}")
async def delete_memory(
    memory_id: MemoryId,
    ctx: Ctx,
    caller: CurrentCaller,
    user: UserParam = None,
    seat: SeatParam = None,
) -> MemoryDeleted:
    whose = _whose(caller, user, seat)
    if not await asyncio.to_thread(ctx.agent.memory.forget_id, whose, memory_id):
        raise not_found(f"memory {memory_id}")
    return MemoryDeleted(id=memory_id)
