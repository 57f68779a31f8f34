"""Errors in the OpenAI shape: `{"error": {"message", "type", "param", "code"}}`.

Every failure the server reports, whatever raised it (validation, auth, limits, the engine,
an unknown route), leaves through these handlers, so clients see one shape everywhere.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping, Sequence
from http import HTTPStatus
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from starlette.exceptions import HTTPException as StarletteHTTPException

logger = logging.getLogger(__name__)

# The `type` OpenAI-style clients expect for each status; anything else is a server error.
_ERROR_TYPES: dict[int, str] = {
    400: "invalid_request_error",
    401: "authentication_error",
    403: "permission_error",
    404: "not_found_error",
    405: "invalid_request_error",
    409: "conflict_error",
    413: "invalid_request_error",
    415: "invalid_request_error",
    422: "invalid_request_error",
    429: "rate_limit_error",
    503: "service_unavailable_error",
}


class ErrorInfo(BaseModel):
    message: str
    type: str
    param: str | None = None
    code: str | None = None


class ErrorResponse(BaseModel):
    error: ErrorInfo


def error_type(status: int) -> str:
    return _ERROR_TYPES.get(status, "server_error" if status >= 500 else "invalid_request_error")


class APIError(Exception):
    """A failure with its HTTP status, reported to the client in the OpenAI shape."""

    def __init__(
        self,
        status: int,
        message: str,
        *,
        code: str | None = None,
        param: str | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.code = code
        self.param = param
        self.headers = dict(headers or {})

    def body(self) -> ErrorResponse:
        return ErrorResponse(
            error=ErrorInfo(
                message=self.message, type=error_type(self.status), param=self.param, code=self.code
            )
        )

    def response(self) -> JSONResponse:
        return JSONResponse(
            self.body().model_dump(), status_code=self.status, headers=self.headers or None
        )


def bad_request(message: str, *, param: str | None = None, code: str | None = None) -> APIError:
    return APIError(400, message, param=param, code=code)


def unprocessable(message: str, *, param: str | None = None, code: str | None = None) -> APIError:
    """A well-formed request whose values are out of type or range (like FastAPI's 422)."""
    return APIError(422, message, param=param, code=code)


def not_found(what: str, *, param: str | None = None) -> APIError:
    return APIError(404, f"{what} not found", param=param, code="not_found")


def forbidden(message: str, *, code: str = "forbidden") -> APIError:
    return APIError(403, message, code=code)


def _location(loc: Sequence[Any]) -> str | None:
    """`["body", "messages", 0, "role"]` → `messages[0].role` (the OpenAI `param` style)."""
    parts = list(loc)
    if parts and parts[0] in ("body", "query", "path", "header"):
        parts = parts[1:]
    text = ""
    for part in parts:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += ("." if text else "") + str(part)
    return text or None


def validation_error(errors: Sequence[Any]) -> APIError:
    """The first validation problem, with the others appended to the message.

    A body that is not JSON at all is a 400; a value of the wrong type or out of range in
    well-formed JSON is a 422, in every endpoint alike.
    """
    if not errors:
        return bad_request("the request is not valid")
    messages = []
    for item in errors[:5]:
        where = _location(item.get("loc", ()))
        msg = str(item.get("msg", "invalid value")).removeprefix("Value error, ")
        messages.append(f"{where}: {msg}" if where else msg)
    first = errors[0]
    param = _location(first.get("loc", ()))
    if first.get("type") == "json_invalid":
        return bad_request("; ".join(messages), param=param, code="invalid_json")
    return unprocessable("; ".join(messages), param=param, code="invalid_value")


async def _api_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, APIError)
    return exc.response()


async def _validation(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    return validation_error(exc.errors()).response()


async def _http(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    status = exc.status_code
    if status == 404:
        message = f"no route for {request.method} {request.url.path}"
    elif status == 405:
        message = f"{request.method} is not allowed on {request.url.path}"
    else:
        message = str(exc.detail) or HTTPStatus(status).phrase
    return APIError(
        status,
        message,
        code=HTTPStatus(status).phrase.lower().replace(" ", "_"),
        headers=exc.headers,
    ).response()


async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
    logger.exception("unhandled error on %s %s", request.method, request.url.path)
    return APIError(500, "internal server error", code="internal_error").response()


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(APIError, _api_error)
    app.add_exception_handler(RequestValidationError, _validation)
    app.add_exception_handler(StarletteHTTPException, _http)
    app.add_exception_handler(Exception, _unexpected)
    _document_error_shape(app)


_FASTAPI_VALIDATION = "#/components/schemas/HTTPValidationError"
_ERROR_RESPONSE = "#/components/schemas/ErrorResponse"


def _document_error_shape(app: FastAPI) -> None:
    """Make `/openapi.json` say what a 422 is here: the OpenAI shape, not FastAPI's own.

    FastAPI declares `{"detail": [...]}` (`HTTPValidationError`) for the 422 of every
    operation that takes parameters or a body; `_validation` answers in the OpenAI shape.
    """
    generate = app.openapi

    def openapi() -> dict[str, Any]:
        fresh = app.openapi_schema is None
        schema = generate()
        if fresh:
            _replace_validation_responses(schema)
        return schema

    app.openapi = openapi  # type: ignore[method-assign]


def _replace_validation_responses(schema: dict[str, Any]) -> None:
    components = schema.get("components", {}).get("schemas", {})
    if "ErrorResponse" not in components:
        return
    for operations in schema.get("paths", {}).values():
        for operation in operations.values():
            response = operation.get("responses", {}).get("422")
            if not isinstance(response, dict):
                continue
            for media in response.get("content", {}).values():
                if media.get("schema") == {"$ref": _FASTAPI_VALIDATION}:
                    media["schema"] = {"$ref": _ERROR_RESPONSE}
    components.pop("HTTPValidationError", None)
    if "#/components/schemas/ValidationError" not in json.dumps(schema):
        components.pop("ValidationError", None)
