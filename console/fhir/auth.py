"""OAuth2 for people and scripts: authorization code + PKCE with a loopback redirect.

As HelseID does for native apps, the console opens the server's login page in the system
browser and listens on 127.0.0.1 on a free port for the redirect carrying the code. Endpoints
come from SMART discovery (`.well-known/smart-configuration`) or the CapabilityStatement's
`oauth-uris` extension, so this works against any server that publishes them.

Tokens never reach a log: reprs hide them and errors name only the endpoint.
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import html
import json
import logging
import re
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs, urlencode, urljoin, urlsplit

import httpx

from console.fhir.client import FhirClient
from console.fhir.errors import FhirHttpError, FhirMalformed, FhirUnavailable

log = logging.getLogger(__name__)

CLIENT_ID = "dho-console"
SCOPE = "openid fhirUser offline_access user/*.read user/*.write"
OAUTH_URIS = "http://fhir-registry.smarthealthit.org/StructureDefinition/oauth-uris"


class AuthError(Exception):
    """Sign-in failed; the message is a sentence for logs, the UI shows its own text."""


@dataclass(frozen=True, slots=True)
class AuthEndpoints:
    authorize: str
    token: str
    revoke: str | None = None


@dataclass(slots=True)
class TokenSet:
    access_token: str = field(repr=False)
    refresh_token: str | None = field(repr=False, default=None)
    #: time.time() when the access token expires.
    expires_at: float = 0.0
    #: Unverified claims, for showing who is signed in; the server verifies the token itself.
    claims: dict[str, Any] = field(default_factory=dict)

    def expires_in(self, now: float | None = None) -> float:
        return self.expires_at - (time.time() if now is None else now)


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def pkce_pair() -> tuple[str, str]:
    """A code verifier and its S256 challenge (RFC 7636)."""
    verifier = _b64url(secrets.token_bytes(48))
    challenge = _b64url(hashlib.sha256(verifier.encode("ascii")).digest())
    return verifier, challenge


def jwt_claims(token: str) -> dict[str, Any]:
    """Decode a JWT's payload without verifying it (display only); {} if not a JWT."""
    parts = token.split(".")
    if len(parts) != 3:
        return {}
    try:
        padded = parts[1] + "=" * (-len(parts[1]) % 4)
        claims = json.loads(base64.urlsafe_b64decode(padded))
    except (ValueError, json.JSONDecodeError):
        return {}
    return claims if isinstance(claims, dict) else {}


async def discover(client: FhirClient, http: httpx.AsyncClient) -> AuthEndpoints | None:
    """Where to sign in, or None when the server does not ask for sign-in at all."""
    base = client.base_url
    try:
        response = await http.get(f"{base}/.well-known/smart-configuration")
        if response.status_code == 200:
            config = response.json()
            if isinstance(config, dict) and config.get("token_endpoint"):
                return AuthEndpoints(
                    authorize=str(config.get("authorization_endpoint", "")),
                    token=str(config["token_endpoint"]),
                    revoke=config.get("revocation_endpoint"),
                )
    except (httpx.HTTPError, ValueError):
        pass
    caps = await client.capabilities()
    for rest in caps.raw.get("rest", []) or []:
        security = rest.get("security") or {}
        for ext in security.get("extension", []) or []:
            if ext.get("url") != OAUTH_URIS:
                continue
            uris = {e.get("url"): e.get("valueUri") for e in ext.get("extension", []) or []}
            if uris.get("token"):
                return AuthEndpoints(
                    authorize=str(uris.get("authorize") or ""),
                    token=str(uris["token"]),
                    revoke=uris.get("revoke"),
                )
    return None


def _token_set(payload: Any) -> TokenSet:
    if not isinstance(payload, dict) or not isinstance(payload.get("access_token"), str):
        raise FhirMalformed("the token endpoint's answer has no access_token")
    access = payload["access_token"]
    expires = payload.get("expires_in")
    claims = jwt_claims(access)
    if isinstance(expires, int | float):
        expires_at = time.time() + float(expires)
    elif isinstance(claims.get("exp"), int | float):
        expires_at = float(claims["exp"])
    else:
        expires_at = time.time() + 300
    refresh = payload.get("refresh_token")
    return TokenSet(access, refresh if isinstance(refresh, str) else None, expires_at, claims)


async def _token_request(http: httpx.AsyncClient, endpoint: str, form: dict[str, str]) -> TokenSet:
    try:
        response = await http.post(endpoint, data=form, headers={"Accept": "application/json"})
    except httpx.TransportError as exc:
        raise FhirUnavailable(f"token endpoint unreachable ({type(exc).__name__})") from exc
    if response.status_code != 200:
        try:
            body = response.json()
            reason = body.get("error_description") or body.get("error") or ""
        except ValueError:
            reason = ""
        raise FhirHttpError(response.status_code, f"token request refused: {reason}".strip())
    try:
        return _token_set(response.json())
    except ValueError as exc:
        raise FhirMalformed("the token endpoint did not answer with JSON") from exc


async def exchange_code(
    http: httpx.AsyncClient,
    endpoints: AuthEndpoints,
    *,
    code: str,
    verifier: str,
    redirect_uri: str,
    client_id: str = CLIENT_ID,
) -> TokenSet:
    return await _token_request(
        http,
        endpoints.token,
        {
            "grant_type": "authorization_code",
            "code": code,
            "code_verifier": verifier,
            "redirect_uri": redirect_uri,
            "client_id": client_id,
        },
    )


async def refresh(
    http: httpx.AsyncClient,
    endpoints: AuthEndpoints,
    refresh_token: str,
    *,
    client_id: str = CLIENT_ID,
) -> TokenSet:
    tokens = await _token_request(
        http,
        endpoints.token,
        {"grant_type": "refresh_token", "refresh_token": refresh_token, "client_id": client_id},
    )
    if tokens.refresh_token is None:
        tokens.refresh_token = refresh_token  # servers without rotation keep the old one valid
    return tokens


async def revoke(
    http: httpx.AsyncClient, endpoints: AuthEndpoints, token: str, *, client_id: str = CLIENT_ID
) -> None:
    """Best effort: sign-out proceeds locally even when the server cannot be told."""
    if not endpoints.revoke:
        return
    try:
        await http.post(
            endpoints.revoke,
            data={"token": token, "token_type_hint": "refresh_token", "client_id": client_id},
        )
    except httpx.HTTPError as exc:
        log.info("token revocation failed: %s", type(exc).__name__)


_DONE_PAGE = (
    "<!doctype html><html lang='nb'><meta charset='utf-8'><title>DHO</title>"
    "<body style='font-family:sans-serif;margin:3em'><h1>{title}</h1><p>{text}</p></body></html>"
)


class LoopbackLogin:
    """One sign-in through the system browser: listen, open the page, wait for the code."""

    def __init__(
        self,
        http: httpx.AsyncClient,
        endpoints: AuthEndpoints,
        open_url: Callable[[str], object],
        *,
        client_id: str = CLIENT_ID,
        scope: str = SCOPE,
        done_title: str = "Innlogget",
        done_text: str = "Du kan lukke denne fanen og gå tilbake til DHO-konsollet.",
    ) -> None:
        self._http = http
        self._endpoints = endpoints
        self._open_url = open_url
        self._client_id = client_id
        self._scope = scope
        self._done = _DONE_PAGE.format(title=html.escape(done_title), text=html.escape(done_text))
        self.redirect_uri = ""
        self.authorize_url = ""

    async def run(
        self,
        *,
        login_hint: str | None = None,
        ui_locales: str | None = None,
        wait: float = 300.0,
    ) -> TokenSet:
        verifier, challenge = pkce_pair()
        state = secrets.token_urlsafe(24)
        loop = asyncio.get_running_loop()
        result: asyncio.Future[dict[str, str]] = loop.create_future()

        async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
            try:
                request_line = (await asyncio.wait_for(reader.readline(), 10)).decode("latin-1")
                while (await asyncio.wait_for(reader.readline(), 10)) not in (b"\r\n", b"\n", b""):
                    pass
                target = request_line.split(" ")[1] if " " in request_line else "/"
                query = {k: v[0] for k, v in parse_qs(urlsplit(target).query).items()}
                is_callback = urlsplit(target).path == "/callback"
                body = self._done.encode("utf-8") if is_callback else b"not found"
                status = "200 OK" if is_callback else "404 Not Found"
                writer.write(
                    f"HTTP/1.1 {status}\r\nContent-Type: text/html; charset=utf-8\r\n"
                    f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n".encode()
                    + body
                )
                await writer.drain()
                if is_callback and not result.done():
                    result.set_result(query)
            except (TimeoutError, ConnectionError, IndexError):
                pass
            finally:
                writer.close()

        server = await asyncio.start_server(handle, "127.0.0.1", 0)
        try:
            port = server.sockets[0].getsockname()[1]
            self.redirect_uri = f"http://127.0.0.1:{port}/callback"
            params = {
                "response_type": "code",
                "client_id": self._client_id,
                "redirect_uri": self.redirect_uri,
                "scope": self._scope,
                "state": state,
                "code_challenge": challenge,
                "code_challenge_method": "S256",
            }
            if login_hint:
                params["login_hint"] = login_hint
            if ui_locales:
                params["ui_locales"] = ui_locales  # the login page speaks the console's language
            self.authorize_url = f"{self._endpoints.authorize}?{urlencode(params)}"
            self._open_url(self.authorize_url)
            try:
                answer = await asyncio.wait_for(result, wait)
            except TimeoutError as exc:
                raise AuthError("no answer from the browser sign-in in time") from exc
        finally:
            server.close()
            await server.wait_closed()
        if answer.get("state") != state:
            raise AuthError("the sign-in answer did not match our request (state)")
        if "error" in answer:
            raise AuthError(f"sign-in refused: {answer.get('error')}")
        code = answer.get("code")
        if not code:
            raise AuthError("the sign-in answer has no code")
        return await exchange_code(
            self._http,
            self._endpoints,
            code=code,
            verifier=verifier,
            redirect_uri=self.redirect_uri,
            client_id=self._client_id,
        )


_FORM = re.compile(r"<form\b[^>]*>(.*?)</form>", re.S | re.I)
_ACTION = re.compile(r"<form\b[^>]*\baction=[\"']([^\"']*)[\"']", re.I)
_INPUT = re.compile(r"<input\b[^>]*>", re.I)
_ATTR = re.compile(r"(\w[\w-]*)=[\"']([^\"']*)[\"']")


async def training_sign_in(
    http: httpx.AsyncClient,
    endpoints: AuthEndpoints,
    username: str | None = None,
    password: str | None = None,
    *,
    client_id: str = CLIENT_ID,
) -> TokenSet:
    """Fill the training backend's login form without a browser (for --screenshot and tests).

    Same code + PKCE flow as a person's, with the browser's part done here; only ever used
    with training users on the embedded backend. Without a username and password, the user
    the training login page pre-fills signs in.
    """
    verifier, challenge = pkce_pair()
    state = secrets.token_urlsafe(16)
    redirect_uri = "http://127.0.0.1:9/callback"  # never contacted: we read the redirect
    params = {
        "response_type": "code",
        "client_id": client_id,
        "redirect_uri": redirect_uri,
        "scope": SCOPE,
        "state": state,
        "code_challenge": challenge,
        "code_challenge_method": "S256",
    }
    if username:
        params["login_hint"] = username
    page = await http.get(endpoints.authorize, params=params)
    if page.status_code != 200:
        raise AuthError(f"login page answered {page.status_code}")
    form_html = page.text
    action_match = _ACTION.search(form_html)
    action = (
        urljoin(str(page.url), html.unescape(action_match.group(1)))
        if action_match
        else str(page.url)
    )
    fields: dict[str, str] = {}
    form = _FORM.search(form_html)
    for tag in _INPUT.findall(form.group(1) if form else form_html):
        attrs = {k.lower(): html.unescape(v) for k, v in _ATTR.findall(tag)}
        name = attrs.get("name")
        if name:
            fields[name] = attrs.get("value", "")
    if username:
        fields["username"] = username
    if password is not None:
        fields["password"] = password
    if not fields.get("username") or not fields.get("password"):
        raise AuthError("the login page pre-fills no training user")
    for key, value in params.items():
        fields.setdefault(key, value)
    answer = await http.post(action, data=fields, follow_redirects=False)
    location = answer.headers.get("location", "")
    if answer.status_code not in (302, 303) or not location.startswith(redirect_uri):
        raise AuthError(f"training sign-in refused ({answer.status_code})")
    query = {k: v[0] for k, v in parse_qs(urlsplit(location).query).items()}
    if query.get("state") != state or "code" not in query:
        raise AuthError("the training sign-in answer did not match our request")
    return await exchange_code(
        http,
        endpoints,
        code=query["code"],
        verifier=verifier,
        redirect_uri=redirect_uri,
        client_id=client_id,
    )


class AuthClient:
    """The sign-in calls for one server, over one httpx client (services never touch HTTP)."""

    def __init__(self, fhir: FhirClient, *, http: httpx.AsyncClient | None = None) -> None:
        self._fhir = fhir
        self._owns_http = http is None
        self._http = http or httpx.AsyncClient(timeout=httpx.Timeout(15.0))
        self.endpoints: AuthEndpoints | None = None

    async def aclose(self) -> None:
        if self._owns_http:
            await self._http.aclose()

    async def discover(self) -> AuthEndpoints | None:
        self.endpoints = await discover(self._fhir, self._http)
        return self.endpoints

    def _need(self) -> AuthEndpoints:
        if self.endpoints is None:
            raise AuthError("the server's sign-in endpoints are not known yet")
        return self.endpoints

    async def browser_sign_in(
        self,
        open_url: Callable[[str], object],
        *,
        login_hint: str | None = None,
        ui_locales: str | None = None,
        done_title: str | None = None,
        done_text: str | None = None,
    ) -> TokenSet:
        texts = {k: v for k, v in (("done_title", done_title), ("done_text", done_text)) if v}
        login = LoopbackLogin(self._http, self._need(), open_url, **texts)
        return await login.run(login_hint=login_hint, ui_locales=ui_locales)

    async def training_sign_in(
        self, username: str | None = None, password: str | None = None
    ) -> TokenSet:
        return await training_sign_in(self._http, self._need(), username, password)

    async def training_users(self) -> list[dict[str, Any]]:
        """The users a training backend offers at sign-in ([] elsewhere: 404, or no list)."""
        endpoints = self._need()
        parts = urlsplit(endpoints.authorize)
        url = f"{parts.scheme}://{parts.netloc}/oauth2/training-users"
        try:
            response = await self._http.get(url, headers={"Accept": "application/json"})
        except httpx.HTTPError as exc:
            log.info("no training users (%s)", type(exc).__name__)
            return []
        if response.status_code != 200:
            return []
        try:
            body = response.json()
        except ValueError:
            return []
        users = body.get("users") if isinstance(body, dict) else None
        return [
            u for u in users or () if isinstance(u, dict) and isinstance(u.get("username"), str)
        ]

    async def refresh(self, refresh_token: str) -> TokenSet:
        return await refresh(self._http, self._need(), refresh_token)

    async def revoke(self, token: str) -> None:
        if self.endpoints is not None:
            await revoke(self._http, self.endpoints, token)
