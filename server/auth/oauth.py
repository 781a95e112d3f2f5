"""OAuth 2.0 for the reference backend: authorization code + PKCE (S256), refresh-token
rotation, client credentials and revocation. Transport-free: the routes in
``server.api.auth_routes`` parse HTTP and call these.

- The console is a public native client (``dho-console``): its ``redirect_uri`` must be a
  loopback URL (``http://127.0.0.1:<port>/...`` or ``http://localhost:<port>/...``), as HelseID
  requires of native apps (RFC 8252 §7.3).
- Authorization codes live 60 s, are single-use, and are stored hashed; replaying one revokes the
  refresh tokens issued from it.
- Refresh tokens rotate: each use returns a new one and retires the old; presenting a retired
  one revokes the whole family (someone copied it).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import math
import re
import time
from dataclasses import asdict, dataclass
from typing import Any
from urllib.parse import urlencode, urlsplit

from server.auth.accounts import Client, ReuseDetected
from server.auth.context import AuthContext
from server.auth.principal import Principal

FORM_LIFETIME = 600  # seconds a login form stays valid
VERIFIER = re.compile(r"^[A-Za-z0-9\-._~]{43,128}$")
CHALLENGE = re.compile(r"^[A-Za-z0-9\-_]{43}$")


class OAuthError(Exception):
    """An RFC 6749 error: ``error`` code, description and HTTP status; ``key`` names the
    sentence the login page shows in the user's language (``auth_routes.TEXT``)."""

    def __init__(
        self, error: str, description: str, status: int = 400, key: str | None = None
    ) -> None:
        super().__init__(description)
        self.error = error
        self.description = description
        self.status = status
        self.key = key

    def body(self) -> dict[str, str]:
        return {"error": self.error, "error_description": self.description}


def is_loopback_redirect(uri: str) -> bool:
    try:
        parts = urlsplit(uri)
        port = parts.port
    except ValueError:
        return False
    return (
        parts.scheme == "http"
        and parts.hostname in ("127.0.0.1", "localhost")
        and parts.username is None
        and parts.password is None
        and not parts.fragment
        and (port is None or 0 < port < 65536)
        and parts.netloc.lower().split("@")[-1].split(":")[0] in ("127.0.0.1", "localhost")
    )


def s256(verifier: str) -> str:
    digest = hashlib.sha256(verifier.encode()).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


@dataclass(frozen=True)
class AuthorizeRequest:
    client_id: str
    redirect_uri: str
    state: str
    code_challenge: str
    scope: str
    login_hint: str = ""
    ui_locales: str = ""  # OpenID Connect: the languages the login page should speak

    def redirect(self, **params: str) -> str:
        query = urlencode({**params, "state": self.state} if self.state else params)
        sep = "&" if "?" in self.redirect_uri else "?"
        return f"{self.redirect_uri}{sep}{query}"


class RedirectError(OAuthError):
    """An error reported to the client through its (valid) redirect_uri."""

    def __init__(self, request: AuthorizeRequest, error: str, description: str) -> None:
        super().__init__(error, description)
        self.location = request.redirect(error=error, error_description=description)


def parse_authorize(ctx: AuthContext, params: dict[str, str]) -> AuthorizeRequest:
    """Validate an authorization request. Client and redirect errors are shown to the user
    (:class:`OAuthError`); the rest go back to the client (:class:`RedirectError`)."""
    client_id = params.get("client_id", "")
    client = ctx.accounts.client(client_id) if client_id else None
    if client is None:
        raise OAuthError("invalid_client", f"unknown client {client_id!r}", key="unknown_client")
    redirect_uri = params.get("redirect_uri", "")
    if not is_loopback_redirect(redirect_uri):
        raise OAuthError(
            "invalid_request",
            "redirect_uri must be a loopback address (http://127.0.0.1:<port>/... "
            "or http://localhost:<port>/...)",
            key="redirect",
        )
    request = AuthorizeRequest(
        client_id=client_id,
        redirect_uri=redirect_uri,
        state=params.get("state", ""),
        code_challenge=params.get("code_challenge", ""),
        scope=params.get("scope", "openid fhirUser user/*.*"),
        login_hint=params.get("login_hint", "")[:128],
        ui_locales=params.get("ui_locales", "")[:64],
    )
    if params.get("response_type") != "code":
        raise RedirectError(request, "unsupported_response_type", "response_type must be code")
    if "authorization_code" not in client.grant_types:
        raise RedirectError(request, "unauthorized_client", "client may not use this grant")
    if params.get("code_challenge_method") != "S256" or not CHALLENGE.match(request.code_challenge):
        raise RedirectError(
            request, "invalid_request", "PKCE is required: code_challenge with method S256"
        )
    return request


def _form_key(ctx: AuthContext) -> bytes:
    return hmac.new(ctx.key, b"dho-authorize-form", hashlib.sha256).digest()


def seal(ctx: AuthContext, request: AuthorizeRequest) -> str:
    """The validated request as a signed, expiring hidden form field."""
    payload = json.dumps({**asdict(request), "exp": int(time.time()) + FORM_LIFETIME})
    raw = base64.urlsafe_b64encode(payload.encode()).decode()
    mac = hmac.new(_form_key(ctx), raw.encode(), hashlib.sha256).hexdigest()
    return f"{raw}.{mac}"


def unseal(ctx: AuthContext, sealed: str) -> AuthorizeRequest:
    raw, _, mac = sealed.partition(".")
    expected = hmac.new(_form_key(ctx), raw.encode(), hashlib.sha256).hexdigest()
    if not hmac.compare_digest(mac, expected):
        raise OAuthError("invalid_request", "the form is not valid", key="form_invalid")
    data = json.loads(base64.urlsafe_b64decode(raw))
    if data.pop("exp", 0) < time.time():
        raise OAuthError("invalid_request", "the form has expired", key="form_expired")
    known = {f for f in AuthorizeRequest.__dataclass_fields__}
    return AuthorizeRequest(**{k: v for k, v in data.items() if k in known})


def login(
    ctx: AuthContext,
    request: AuthorizeRequest,
    username: str,
    password: str,
    address: str = "",
) -> str:
    """Check the password (throttled: server.auth.throttle); return the redirect URL carrying
    a fresh code. Raises :class:`SlowDown` while a delay runs, OAuthError (``access_denied``)
    on bad credentials."""
    wait = ctx.throttle.wait("user", username, address)
    if wait > 0:
        raise SlowDown(wait)
    if not ctx.accounts.check_password(username, password):
        ctx.throttle.failed("user", username, address)
        raise OAuthError("access_denied", "wrong user name or password", 401, key="wrong")
    ctx.throttle.succeeded("user", username, address)
    if ctx.accounts.load_user(username, request.client_id) is None:
        raise OAuthError("access_denied", "the user is not active", 403, key="inactive")
    code = ctx.accounts.save_code(
        client_id=request.client_id,
        username=username,
        redirect_uri=request.redirect_uri,
        challenge=request.code_challenge,
        scope=request.scope,
    )
    return request.redirect(code=code)


def _token_response(
    ctx: AuthContext, principal: Principal, scope: str, refresh: str | None
) -> dict[str, Any]:
    body: dict[str, Any] = {
        "access_token": ctx.issue(principal),
        "token_type": "Bearer",
        "expires_in": ctx.access_lifetime,
        "scope": scope,
    }
    if refresh is not None:
        body["refresh_token"] = refresh
        body["refresh_expires_in"] = 12 * 3600
    if principal.kind == "user":
        body["fhirUser"] = f"Practitioner/{principal.sub}"
    elif principal.is_patient:  # SMART launch context: the patient whose record this is
        body["fhirUser"] = principal.fhir_user
        body["patient"] = principal.patient
    return body


class SlowDown(OAuthError):
    """Too many failed attempts under this name or from this address: wait ``retry_after``."""

    def __init__(self, retry_after: float, key: str = "wait") -> None:
        self.retry_after = max(1, math.ceil(retry_after))
        super().__init__(
            "slow_down",
            f"too many failed attempts; try again in {self.retry_after} s",
            429,
            key=key,
        )


def _secret(ctx: AuthContext, client_id: str, secret: str, address: str) -> Client:
    """Check a client secret, throttled like passwords (server.auth.throttle)."""
    wait = ctx.throttle.wait("client", client_id, address)
    if wait > 0:
        raise SlowDown(wait)
    client = ctx.accounts.check_client_secret(client_id, secret)
    if client is None:
        ctx.throttle.failed("client", client_id, address)
        raise OAuthError("invalid_client", "client authentication failed", 401)
    ctx.throttle.succeeded("client", client_id, address)
    return client


def _public_or_authenticated(
    ctx: AuthContext, form: dict[str, str], basic: tuple[str, str] | None, address: str = ""
) -> Client:
    """The calling client: public ones name themselves, confidential ones authenticate."""
    if basic is not None:
        return _secret(ctx, basic[0], basic[1], address)
    client_id = form.get("client_id", "")
    if "client_secret" in form:
        return _secret(ctx, client_id, form["client_secret"], address)
    public = ctx.accounts.client(client_id) if client_id else None
    if public is None or not public.public:
        raise OAuthError("invalid_client", "unknown client or client authentication missing", 401)
    return public


def token(
    ctx: AuthContext, form: dict[str, str], basic: tuple[str, str] | None, address: str = ""
) -> dict[str, Any]:
    """The token endpoint (all grants); raises OAuthError."""
    grant = form.get("grant_type", "")
    client = _public_or_authenticated(ctx, form, basic, address)
    if grant not in client.grant_types:
        raise OAuthError("unauthorized_client", f"{client.client_id} may not use {grant!r}")
    if grant == "authorization_code":
        return _exchange_code(ctx, client, form)
    if grant == "refresh_token":
        return _refresh(ctx, client, form)
    if grant == "client_credentials":
        return _token_response(
            ctx, ctx.accounts.service_principal(client), form.get("scope", "system/*.*"), None
        )
    raise OAuthError("unsupported_grant_type", f"grant_type {grant!r} is not supported")


def _exchange_code(ctx: AuthContext, client: Client, form: dict[str, str]) -> dict[str, Any]:
    verifier = form.get("code_verifier", "")
    if not VERIFIER.match(verifier):
        raise OAuthError("invalid_request", "code_verifier is missing or malformed")
    row = ctx.accounts.take_code(form.get("code", ""))
    if row is None:
        raise OAuthError("invalid_grant", "the code is unknown, expired or already used")
    if row.client_id != client.client_id:
        raise OAuthError("invalid_grant", "the code was issued to another client")
    if form.get("redirect_uri") != row.redirect_uri:
        raise OAuthError("invalid_grant", "redirect_uri differs from the authorization request")
    if not hmac.compare_digest(s256(verifier), row.code_challenge):
        raise OAuthError("invalid_grant", "code_verifier does not match the code_challenge")
    principal = ctx.accounts.load_user(row.username, client.client_id)
    if principal is None:
        raise OAuthError("invalid_grant", "the user is no longer active")
    refresh = ctx.accounts.issue_refresh(
        family=row.family, client_id=client.client_id, username=row.username, scope=row.scope
    )
    return _token_response(ctx, principal, row.scope, refresh)


def _refresh(ctx: AuthContext, client: Client, form: dict[str, str]) -> dict[str, Any]:
    try:
        record = ctx.accounts.rotate_refresh(form.get("refresh_token", ""), client.client_id)
    except ReuseDetected:
        raise OAuthError(
            "invalid_grant", "refresh token reuse detected; the session is revoked"
        ) from None
    if record is None:
        raise OAuthError("invalid_grant", "the refresh token is unknown, expired or revoked")
    principal = ctx.accounts.load_user(record.username, client.client_id)
    if principal is None:
        raise OAuthError("invalid_grant", "the user is no longer active")
    refresh = ctx.accounts.issue_refresh(
        family=record.family,
        client_id=client.client_id,
        username=record.username,
        scope=record.scope,
    )
    return _token_response(ctx, principal, record.scope, refresh)


def revoke(
    ctx: AuthContext, form: dict[str, str], basic: tuple[str, str] | None, address: str = ""
) -> None:
    """RFC 7009: revoke a refresh token (and its family). Unknown tokens and access tokens
    are accepted silently (access tokens expire within minutes)."""
    client = _public_or_authenticated(ctx, form, basic, address)
    value = form.get("token", "")
    if value:
        ctx.accounts.revoke_refresh(value, client.client_id)


def smart_configuration(issuer: str) -> dict[str, Any]:
    return {
        "issuer": issuer,
        "authorization_endpoint": f"{issuer}/oauth2/authorize",
        "token_endpoint": f"{issuer}/oauth2/token",
        "revocation_endpoint": f"{issuer}/oauth2/revoke",
        "grant_types_supported": ["authorization_code", "refresh_token", "client_credentials"],
        "response_types_supported": ["code"],
        "code_challenge_methods_supported": ["S256"],
        "token_endpoint_auth_methods_supported": [
            "none",
            "client_secret_basic",
            "client_secret_post",
        ],
        "scopes_supported": ["openid", "fhirUser", "offline_access", "user/*.*", "system/*.*"],
        "capabilities": [
            "launch-standalone",
            "client-public",
            "client-confidential-symmetric",
            "permission-user",
        ],
    }


def security(issuer: str) -> dict[str, Any]:
    """``CapabilityStatement.rest.security`` with the SMART oauth-uris extension."""
    return {
        "extension": [
            {
                "url": "http://fhir-registry.smarthealthit.org/StructureDefinition/oauth-uris",
                "extension": [
                    {"url": "authorize", "valueUri": f"{issuer}/oauth2/authorize"},
                    {"url": "token", "valueUri": f"{issuer}/oauth2/token"},
                    {"url": "revoke", "valueUri": f"{issuer}/oauth2/revoke"},
                ],
            }
        ],
        "cors": False,
        "service": [
            {
                "coding": [
                    {
                        "system": "http://terminology.hl7.org/CodeSystem/restful-security-service",
                        "code": "SMART-on-FHIR",
                    }
                ]
            }
        ],
        "description": "OAuth2 authorization code with PKCE (S256) for users, "
        "client_credentials for services; Bearer JWT access tokens.",
    }
