"""Response models of `/v1/memories`."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel

from tongxue.dialogue.memory import Memory


class MemoryOut(Memory):
    object: Literal["memory"] = "memory"


class MemoryList(BaseModel):
    object: Literal["list"] = "list"
    user: str
    data: list[MemoryOut]


class MemoryDeleted(BaseModel):
    id: int
    object: Literal["memory.deleted"] = "memory.deleted"
    deleted: bool = True


class MemoriesDeleted(BaseModel):
    object: Literal["memory.deleted_all"] = "memory.deleted_all"
    user: str
    deleted_count: int
