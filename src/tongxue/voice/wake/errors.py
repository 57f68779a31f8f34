"""What goes wrong with wake phrases."""

from __future__ import annotations


class WakeWordError(ValueError):
    """A wake phrase a detector cannot listen for."""
