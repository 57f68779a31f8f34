"""Assembles the assistant from settings: the car, the memory, the parser and the model."""

from __future__ import annotations

from tongxue.cabin.profile import resolve_profile
from tongxue.cabin.vehicle import Vehicle
from tongxue.config import Settings
from tongxue.dialogue.agent import CabinAgent
from tongxue.dialogue.memory import MemoryStore
from tongxue.dialogue.rules import RuleParser
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
    return CabinAgent(
        vehicle or Vehicle(resolve_profile(settings.car_profile)),
        engine=engine,
        memory=memory or MemoryStore(settings.data_dir / "memory.db"),
        parser=RuleParser(),
        llm_timeout=settings.llm_timeout,
    )
