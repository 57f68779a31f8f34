"""API keys with roles, hashed at rest; who is calling; per-key rate limits; safe binding."""
