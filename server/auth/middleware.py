"""Bearer-token authentication for HTTP and WebSocket (pure ASGI, no body buffering).

With ``--auth on`` every request needs ``Authorization: Bearer <access token>`` except
``GET /fhir/metadata``, ``/.well-known/*``, ``/fhir/.well-known/*`` and the OAuth2 routes; a
WebSocket may pass the token as ``?access_token=`` instead (browsers cannot set headers there).
The principal is put on ``request.state.principal`` (None with ``--auth off``).
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import parse_qs

from starlette.types import ASGIApp, Receive, Scope, Send
from starlette.websockets import WebSocket

from server.auth.context import AuthContext
from server.auth.principal import Principal
from server.auth.tokens import TokenError

OPEN_PREFIXES = ("/oauth2/", "/.well-known/", "/fhir/.well-known/")
OPEN_GETS = ("/fhir/metadata",)
REALM = "dho"
WS_POLICY_VIOLATION = 1008


def is_open(path: str, method: str) -> bool:
    if path.startswith(OPEN_PREFIXES):
        return True
    return method in ("GET", "HEAD") and path.rstrip("/") in OPEN_GETS


def bearer_token(scope: Scope) -> str | None:
    for name, value in scope.get("headers") or ():
        if name == b"authorization":
            kind, _, token = value.decode("latin-1").partition(" ")
            if kind.lower() == "bearer" and token.strip():
                return token.strip()
    if scope["type"] == "websocket":
        query = parse_qs(scope.get("query_string", b"").decode("latin-1"))
        values = query.get("access_token")
        if values and values[0]:
            return values[0]
    return None


class AuthMiddleware:
    def __init__(self, app: ASGIApp, ctx: AuthContext) -> None:
        self.app = app
        self.ctx = ctx

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        state = scope.setdefault("state", {})
        state["principal"] = None
        if not self.ctx.enabled:
            await self.app(scope, receive, send)
            return
        method = scope.get("method", "GET")
        path = scope["path"]
        token = bearer_token(scope)
        error: str | None = None
        if token is not None:
            try:
                principal = self.ctx.verify(token)
            except TokenError as exc:
                error = str(exc)
            else:
                # Tokens follow the account: a deactivated user or role is refused at once.
                problem = await self.ctx.liveness.problem(principal)
                if problem is None:
                    state["principal"] = principal
                else:
                    error = problem
        if state["principal"] is None and not is_open(path, method):
            if scope["type"] == "websocket":
                # Closing before accept makes the server answer the handshake with 403.
                await send({"type": "websocket.close", "code": WS_POLICY_VIOLATION})
                return
            await _unauthorized(send, error)
            return
        await self.app(scope, receive, send)


async def _unauthorized(send: Send, error: str | None) -> None:
    if error is None:
        diagnostics = "sign in first: send Authorization: Bearer <access token>"
        challenge = f'Bearer realm="{REALM}"'
    else:
        diagnostics = f"invalid access token: {error}"
        safe = error.replace('"', "'")
        challenge = f'Bearer realm="{REALM}", error="invalid_token", error_description="{safe}"'
    body = json.dumps(
        {
            "resourceType": "OperationOutcome",
            "issue": [{"severity": "error", "code": "login", "diagnostics": diagnostics}],
        }
    ).encode()
    headers: list[tuple[bytes, bytes]] = [
        (b"content-type", b"application/fhir+json"),
        (b"content-length", str(len(body)).encode()),
        (b"www-authenticate", challenge.encode()),
    ]
    await send({"type": "http.response.start", "status": 401, "headers": headers})
    await send({"type": "http.response.body", "body": body})


async def authenticate_websocket(websocket: WebSocket) -> Principal | None:
    """The principal of a WebSocket connection (None with ``--auth off``, or if it carried
    no valid token). With auth on, the middleware has already refused tokenless handshakes."""
    state: dict[str, Any] = websocket.scope.get("state") or {}
    principal = state.get("principal")
    if isinstance(principal, Principal):
        return principal
    ctx = getattr(websocket.app.state, "auth", None)
    token = bearer_token(websocket.scope)
    if ctx is None or token is None:
        return None
    try:
        found: Principal = ctx.verify(token)
    except TokenError:
        return None
    if await ctx.liveness.problem(found) is not None:
        return None
    return found
