"""Whose work the one model does first: someone in the car waits on it, others can wait."""

from __future__ import annotations

from tongxue.cabin.actions import Role
from tongxue.engine.protocol import PRIORITY_HIGH, PRIORITY_NORMAL


def model_priority(role: Role) -> int:
    """The engine priority of a role's requests: the car's own go before everyone else's."""
    return PRIORITY_HIGH if role == "car" else PRIORITY_NORMAL
