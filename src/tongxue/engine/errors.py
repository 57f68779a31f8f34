"""Errors the engine raises, each with a message a person can act on."""


class EngineError(RuntimeError):
    """The engine could not produce an answer."""


class ContextOverflowError(EngineError):
    """The prompt does not fit in the model's context window."""


class UnsupportedRequestError(EngineError):
    """The backend cannot honour part of the request."""


class GenerationTimeoutError(EngineError):
    """The generation ran past the request's own time limit."""
