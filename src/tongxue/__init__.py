"""Tongxue: an open, offline-first AI assistant for the car and the phone."""

__version__ = "0.1.0"
