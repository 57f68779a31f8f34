"""Everything the endpoints share, built once per app."""

from __future__ import annotations

import time
from dataclasses import dataclass, field

from tongxue.cabin.vehicle import Vehicle
from tongxue.config import Settings
from tongxue.dialogue.agent import CabinAgent
from tongxue.engine.base import ChatEngine
from tongxue.server.assistant.serving import AssistantService
from tongxue.server.confirmations import ConfirmationStore
from tongxue.server.events import EventHub
from tongxue.server.metrics import ServerMetrics
from tongxue.server.openai_compat.serving import OpenAIServingChat
from tongxue.server.ownership import SessionOwners
from tongxue.server.security.keys import KeyStore
from tongxue.server.security.model_quota import ModelQuota
from tongxue.server.security.ratelimit import RateLimiter
from tongxue.server.vehicle.serving import VehicleService


@dataclass
class ServerContext:
    settings: Settings
    agent: CabinAgent
    vehicle: Vehicle
    engine: ChatEngine | None
    keys: KeyStore
    limiter: RateLimiter
    quota: ModelQuota
    metrics: ServerMetrics
    confirmations: ConfirmationStore
    events: EventHub
    owners: SessionOwners
    chat: OpenAIServingChat | None
    assistant: AssistantService
    vehicle_service: VehicleService
    started_at: float = field(default_factory=time.time)

    @property
    def open_mode(self) -> bool:
        """No keys: loopback callers act as the owner, without authentication."""
        return self.keys.empty
