"""Who is calling: the caller behind a bearer key, or the local user when no keys exist."""

from __future__ import annotations

from dataclasses import dataclass

from tongxue.cabin.actions import Role
from tongxue.server.errors import APIError
from tongxue.server.security.keys import KeyStore

# With no keys configured the server only answers loopback; whoever is there owns the car.
LOCAL_KEY_ID = "local"


@dataclass(frozen=True)
class Caller:
    key_id: str
    role: Role
    user: str | None

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"

    @property
    def owner(self) -> str:
        """The name sessions are filed under."""
        return self.user or self.key_id


LOCAL_CALLER = Caller(key_id=LOCAL_KEY_ID, role="admin", user=None)


def bearer_token(authorization: str | None) -> str | None:
    if not authorization:
        return None
    scheme, _, token = authorization.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return None
    return token.strip()


def authenticate(keys: KeyStore, token: str | None) -> Caller:
    """The caller for `token`; raises a 401 `APIError` when keys exist and it is not one."""
    if keys.empty:
        return LOCAL_CALLER
    if token is None:
        raise APIError(
            401,
            "this server needs an API key: send 'Authorization: Bearer <key>'",
            code="missing_api_key",
            headers={"WWW-Authenticate": "Bearer"},
        )
    record = keys.verify(token)
    if record is None:
        raise APIError(
            401,
            "the API key is not valid",
            code="invalid_api_key",
            headers={"WWW-Authenticate": "Bearer"},
        )
    return Caller(key_id=record.id, role=record.role, user=record.user)
