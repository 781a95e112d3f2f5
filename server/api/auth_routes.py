"""OAuth2 routes (``/oauth2/authorize``, ``/oauth2/token``, ``/oauth2/revoke``) and the SMART
configuration (``/.well-known/smart-configuration``, also under ``/fhir``).

The login page is plain HTML in Norwegian Bokmål with labelled fields, no scripts.
"""

from __future__ import annotations

import base64
import html
import time
from typing import Any
from urllib.parse import parse_qsl, unquote

from anyio import to_thread
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.routing import Route

from server.auth import oauth
from server.auth.accounts import TRAINING_PASSWORD, TrainingUser
from server.auth.context import AuthContext

MAX_FORM = 64 * 1024
NO_STORE = {"Cache-Control": "no-store", "Pragma": "no-cache"}
PAGE_HEADERS = {
    **NO_STORE,
    "X-Frame-Options": "DENY",
    "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; "
    "frame-ancestors 'none'",
    "Referrer-Policy": "no-referrer",
}
ROLE_NAMES = {
    "nurse": "sykepleier",
    "lead": "leder",
    "superuser": "superbruker",
    "admin": "administrator",
}
_THROTTLE = oauth.LoginThrottle()
_training_cache: tuple[float, list[TrainingUser]] = (0.0, [])


def ctx_of(request: Request) -> AuthContext:
    ctx: AuthContext = request.app.state.auth
    return ctx


def issuer(request: Request) -> str:
    return f"{request.url.scheme}://{request.url.netloc}"


async def _form(request: Request) -> dict[str, str]:
    body = await request.body()
    if len(body) > MAX_FORM:
        raise oauth.OAuthError("invalid_request", "request too large")
    return dict(parse_qsl(body.decode("utf-8", "replace"), keep_blank_values=True))


def _basic(request: Request) -> tuple[str, str] | None:
    header = request.headers.get("authorization", "")
    kind, _, value = header.partition(" ")
    if kind.lower() != "basic":
        return None
    try:
        user, _, secret = base64.b64decode(value).decode().partition(":")
    except ValueError:
        return None
    return unquote(user), unquote(secret)


def _json_error(exc: oauth.OAuthError) -> JSONResponse:
    headers = dict(NO_STORE)
    if exc.status == 401:
        headers["WWW-Authenticate"] = 'Basic realm="dho"'
    return JSONResponse(exc.body(), status_code=exc.status, headers=headers)


def _training_users(ctx: AuthContext) -> list[TrainingUser]:
    global _training_cache
    stamp, users = _training_cache
    if time.monotonic() - stamp > 60:
        users = ctx.accounts.training_users() if ctx.accounts.is_training() else []
        _training_cache = (time.monotonic(), users)
    return users


def _default_training_user(ctx: AuthContext, training: list[TrainingUser]) -> str:
    """Pre-fill a nurse of a response centre: the user a training session usually starts as
    (and whom `dho-console --screenshot` signs in as on the embedded backend)."""
    centres = {
        o.get("name")
        for o in ctx.accounts.store.all_of_type("Organization")
        if any(
            c.get("code") == "response-centre"
            for t in o.get("type") or ()
            for c in t.get("coding") or ()
        )
    }
    for user in training:
        if any(role == "nurse" and org in centres for role, org in user.roles):
            return user.username
    nurses = [u for u in training if any(role == "nurse" for role, _ in u.roles)]
    return (nurses or training)[0].username


def _page(title: str, body: str, status: int = 200) -> HTMLResponse:
    text = f"""<!doctype html>
<html lang="nb">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{html.escape(title)} – DHO responssenter</title>
<style>
body {{ font-family: system-ui, sans-serif; margin: 0; background: #f4f5f7; color: #1a1a1a; }}
main {{ max-width: 28rem; margin: 3rem auto; background: #fff; padding: 2rem;
  border-radius: 8px; box-shadow: 0 1px 4px rgba(0,0,0,.15); }}
label {{ display: block; margin-top: 1rem; font-weight: 600; }}
input {{ width: 100%; box-sizing: border-box; padding: .6rem; font-size: 1rem;
  border: 1px solid #555; border-radius: 4px; }}
input:focus, button:focus {{ outline: 3px solid #1d5fbf; outline-offset: 2px; }}
button {{ margin-top: 1.5rem; padding: .7rem 1.4rem; font-size: 1rem; background: #1d5fbf;
  color: #fff; border: 0; border-radius: 4px; cursor: pointer; }}
.feil {{ border-left: 4px solid #b00020; background: #fdecee; padding: .6rem .8rem; }}
.trening {{ margin-top: 2rem; font-size: .9rem; border-top: 1px solid #ccc; }}
</style>
</head>
<body>
<main>
{body}
</main>
</body>
</html>
"""
    return HTMLResponse(text, status_code=status, headers=PAGE_HEADERS)


def _error_page(message: str, status: int = 400) -> HTMLResponse:
    return _page(
        "Innlogging feilet",
        f'<h1>Innlogging feilet</h1>\n<p role="alert">{html.escape(message)}</p>',
        status,
    )


def _login_page(
    ctx: AuthContext, req: oauth.AuthorizeRequest, *, username: str, error: str | None = None
) -> HTMLResponse:
    e = html.escape
    training = _training_users(ctx)
    password = ""
    if training and not error:
        username = username or _default_training_user(ctx, training)
        password = TRAINING_PASSWORD
    alert = ""
    described = ""
    if error:
        alert = f'<p id="feil" class="feil" role="alert">{e(error)}</p>\n'
        described = ' aria-describedby="feil" aria-invalid="true"'
    parts = [
        "<h1>Logg inn</h1>",
        "<p>DHO responssenter – digital hjemmeoppfølging</p>",
        alert,
        '<form method="post" action="/oauth2/authorize">',
        f'<input type="hidden" name="request" value="{e(oauth.seal(ctx, req))}">',
        '<label for="username">Brukernavn</label>',
        f'<input id="username" name="username" type="text" autocomplete="username" '
        f'autocapitalize="none" spellcheck="false" required value="{e(username)}"{described}>',
        '<label for="password">Passord</label>',
        f'<input id="password" name="password" type="password" '
        f'autocomplete="current-password" required value="{e(password)}"{described}>',
        '<button type="submit">Logg inn</button>',
        "</form>",
    ]
    if training:
        rows = "\n".join(
            f"<li><code>{e(u.username)}</code> – {e(u.name)}: "
            + e(", ".join(f"{ROLE_NAMES.get(r, r)} ({org})" for r, org in u.roles))
            + "</li>"
            for u in training
        )
        parts += [
            '<section class="trening" aria-labelledby="trening-tittel">',
            '<h2 id="trening-tittel">Treningsmiljø</h2>',
            f"<p>Alle treningsbrukere har passordet <strong>{e(TRAINING_PASSWORD)}</strong>."
            " Dataene er syntetiske.</p>",
            f"<ul>\n{rows}\n</ul>",
            "</section>",
        ]
    return _page("Logg inn", "\n".join(parts), 401 if error else 200)


async def authorize_get(request: Request) -> Response:
    ctx = ctx_of(request)
    params = dict(request.query_params)
    try:
        req = await to_thread.run_sync(oauth.parse_authorize, ctx, params)
    except oauth.RedirectError as exc:
        return RedirectResponse(exc.location, status_code=303, headers=NO_STORE)
    except oauth.OAuthError as exc:
        return _error_page(exc.description)
    return await to_thread.run_sync(lambda: _login_page(ctx, req, username=req.login_hint))


async def authorize_post(request: Request) -> Response:
    ctx = ctx_of(request)
    try:
        form = await _form(request)
        req = oauth.unseal(ctx, form.get("request", ""))
    except (oauth.OAuthError, ValueError, TypeError) as exc:
        message = exc.description if isinstance(exc, oauth.OAuthError) else "ugyldig skjema"
        return _error_page(message)
    username = form.get("username", "").strip()
    password = form.get("password", "")
    if _THROTTLE.blocked(username):
        return await to_thread.run_sync(
            lambda: _login_page(
                ctx,
                req,
                username=username,
                error="For mange mislykkede forsøk. Vent noen minutter og prøv igjen.",
            )
        )
    try:
        location = await to_thread.run_sync(oauth.login, ctx, req, username, password)
    except oauth.OAuthError as exc:
        _THROTTLE.failed(username)
        message = exc.description
        return await to_thread.run_sync(
            lambda: _login_page(ctx, req, username=username, error=message)
        )
    _THROTTLE.succeeded(username)
    return RedirectResponse(location, status_code=303, headers=NO_STORE)


async def token(request: Request) -> Response:
    ctx = ctx_of(request)
    try:
        form = await _form(request)
        body: dict[str, Any] = await to_thread.run_sync(oauth.token, ctx, form, _basic(request))
    except oauth.OAuthError as exc:
        return _json_error(exc)
    return JSONResponse(body, headers=NO_STORE)


async def revoke(request: Request) -> Response:
    ctx = ctx_of(request)
    try:
        form = await _form(request)
        await to_thread.run_sync(oauth.revoke, ctx, form, _basic(request))
    except oauth.OAuthError as exc:
        return _json_error(exc)
    return Response(status_code=200, headers=NO_STORE)


async def smart_configuration(request: Request) -> Response:
    """Only advertised when tokens are required, so clients don't ask users to sign in for
    nothing against a backend started with ``--auth off``."""
    if not ctx_of(request).settings.enabled:
        return JSONResponse(
            {"error": "not_found", "error_description": "this server does not require sign-in"},
            status_code=404,
        )
    return JSONResponse(oauth.smart_configuration(issuer(request)))


def routes() -> list[Route]:
    """Mount at the root: ``/oauth2/...`` and ``/.well-known/...``."""
    return [
        Route("/oauth2/authorize", authorize_get, methods=["GET"]),
        Route("/oauth2/authorize", authorize_post, methods=["POST"]),
        Route("/oauth2/token", token, methods=["POST"]),
        Route("/oauth2/revoke", revoke, methods=["POST"]),
        Route("/.well-known/smart-configuration", smart_configuration, methods=["GET"]),
        Route("/fhir/.well-known/smart-configuration", smart_configuration, methods=["GET"]),
    ]
