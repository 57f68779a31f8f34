"""A user's remembered preferences: list and delete."""
