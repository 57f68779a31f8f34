"""Assembles the assistant from settings: the car, the memory, the parser and the model."""

from __future__ import annotations

from tongxue.cabin.profile import resolve_profile
from tongxue.cabin.tools import tool_schemas
from tongxue.cabin.vehicle import Vehicle
from tongxue.config import Settings
from tongxue.dialogue.agent import CabinAgent
from tongxue.dialogue.database import Database
from tongxue.dialogue.manual_answers import ManualDesk
from tongxue.dialogue.memory import MemoryStore
from tongxue.dialogue.providers import providers_from_settings
from tongxue.dialogue.rules import RuleParser
from tongxue.dialogue.sessions import SessionStore
from tongxue.dialogue.tool_router import ToolRouter
from tongxue.dialogue.vehicle_journal import SqliteVehicleJournal
from tongxue.engine.base import ChatEngine
from tongxue.engine.embeddings import E5Embedder, Embedder
from tongxue.engine.factory import create_engine
from tongxue.manual import has_manual, open_search

# Named for the memories it first held; sessions and the car's journal joined them later.
DATABASE_FILE = "memory.db"


def open_database(settings: Settings) -> Database:
    """The data folder's one database; open it once per process and share it."""
    return Database(settings.data_dir / DATABASE_FILE)


def create_vehicle(settings: Settings, database: Database) -> Vehicle:
    """The configured car, its state and undo log kept in `database`."""
    profile = resolve_profile(settings.car_profile)
    return Vehicle(profile, journal=SqliteVehicleJournal(database, profile.id))


def create_agent(
    settings: Settings,
    *,
    use_llm: bool = True,
    engine: ChatEngine | None = None,
    vehicle: Vehicle | None = None,
    memory: MemoryStore | None = None,
    database: Database | None = None,
) -> CabinAgent:
    """The assistant; memories, sessions and (unless `vehicle` is given) the car's state
    are kept in `database`, by default the data folder's."""
    if use_llm and engine is None:
        engine = create_engine(settings)
    database = database or open_database(settings)
    if vehicle is None:
        vehicle = create_vehicle(settings, database)
    embedder = E5Embedder()
    return CabinAgent(
        vehicle,
        engine=engine,
        memory=memory or MemoryStore(database),
        sessions=SessionStore(database=database),
        parser=RuleParser(),
        router=create_router(vehicle, embedder) if engine is not None else None,
        llm_timeout=settings.llm_timeout,
        providers=providers_from_settings(settings),
        manual=create_manual_desk(settings, vehicle, embedder, engine),
        escalation=create_escalation_engine(settings) if engine is not None else None,
        escalation_gap=settings.escalation_gap,
    )


def create_escalation_engine(settings: Settings) -> ChatEngine | None:
    """The larger model of the cascade, when the settings name one."""
    if settings.escalation_model is None:
        return None
    return create_engine(settings.model_copy(update={"model": settings.escalation_model}))


def create_router(vehicle: Vehicle, embedder: Embedder | None = None) -> ToolRouter:
    """The embedding router over the tools this car has (takes a few seconds to build)."""
    names = [schema["function"]["name"] for schema in tool_schemas(vehicle.profile)]
    return ToolRouter(embedder or E5Embedder(), names)


def create_manual_desk(
    settings: Settings,
    vehicle: Vehicle,
    embedder: Embedder | None = None,
    engine: ChatEngine | None = None,
) -> ManualDesk | None:
    """The owner's manual of this car, indexed; None for a car without one."""
    if not settings.manual or not has_manual(vehicle.profile.id):
        return None
    search = open_search(vehicle.profile.id, embedder or E5Embedder(), settings.cache_dir)
    writer = engine if settings.manual_answers == "model" else None
    return ManualDesk(search, writer, time_limit_s=settings.llm_timeout)
