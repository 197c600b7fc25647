"""Bearer API keys: 401 without a valid key, 403 without the scope a route needs."""

from collections.abc import Callable
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from api.errors import ApiError
from api.keys import Caller, authenticate

bearer = HTTPBearer(auto_error=False, description="An API key: `Authorization: Bearer KEY`.")
CHALLENGE = {"WWW-Authenticate": "Bearer"}
Credentials = Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)]


def require(scope: str) -> Callable[..., Caller]:
    """A dependency giving the caller, who must hold `scope`."""

    def caller(request: Request, credentials: Credentials) -> Caller:
        if credentials is None:
            raise ApiError(401, "unauthorized", "an API key is required", headers=CHALLENGE)
        found = authenticate(request.app.state.store, credentials.credentials)
        if found is None:
            raise ApiError(401, "unauthorized", "unknown or revoked API key", headers=CHALLENGE)
        if scope not in found.scopes:
            raise ApiError(403, "forbidden", f"this key lacks the '{scope}' scope")
        request.state.caller = found
        return found

    return caller
