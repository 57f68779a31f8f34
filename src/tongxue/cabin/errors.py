"""Errors raised by the cabin domain; all share `CabinError` so callers can catch one type."""

from __future__ import annotations


class CabinError(Exception):
    """Base class of every error the cabin raises."""


class UnknownPathError(CabinError, LookupError):
    """A dot path that names nothing in the car state."""

    def __str__(self) -> str:
        # LookupError would repr() the message; keep it readable.
        return str(self.args[0]) if self.args else ""


class InvalidValueError(CabinError, ValueError):
    """A value that does not fit the state path it was written to."""


class InvalidActionError(CabinError, ValueError):
    """A tool call that cannot become an action: unknown name, bad JSON or bad arguments."""


class ProfileError(CabinError, ValueError):
    """A car profile that cannot be loaded or does not make sense."""
