"""Assembles the assistant from settings: the car, the memory, the parser and the model."""

from __future__ import annotations

from tongxue.cabin.profile import resolve_profile
from tongxue.cabin.tools import tool_schemas
from tongxue.cabin.vehicle import Vehicle
from tongxue.config import Settings
from tongxue.dialogue.agent import CabinAgent
from tongxue.dialogue.memory import MemoryStore
from tongxue.dialogue.rules import RuleParser
from tongxue.dialogue.tool_router import E5Embedder, ToolRouter
from tongxue.engine.base import ChatEngine
from tongxue.engine.factory import create_engine


def create_agent(
    settings: Settings,
    *,
    use_llm: bool = True,
    engine: ChatEngine | None = None,
    vehicle: Vehicle | None = None,
    memory: MemoryStore | None = None,
) -> CabinAgent:
    if use_llm and engine is None:
        engine = create_engine(settings)
    vehicle = vehicle or Vehicle(resolve_profile(settings.car_profile))
    return CabinAgent(
        vehicle,
        engine=engine,
        memory=memory or MemoryStore(settings.data_dir / "memory.db"),
        parser=RuleParser(),
        router=create_router(vehicle) if engine is not None else None,
        llm_timeout=settings.llm_timeout,
    )


def create_router(vehicle: Vehicle) -> ToolRouter:
    """The embedding router over the tools this car has (takes a few seconds to build)."""
    names = [schema["function"]["name"] for schema in tool_schemas(vehicle.profile)]
    return ToolRouter(E5Embedder(), names)
