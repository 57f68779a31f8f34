"""The HTTP face of Tongxue: OpenAI-compatible chat, the assistant, the car, the web app.

Nothing in `tongxue` imports this package; it sits on top of `dialogue`, `engine` and
`cabin`. `docs/server.md` describes the API.
"""

from tongxue.server.app import build_context, create_app

__all__ = ["build_context", "create_app"]
