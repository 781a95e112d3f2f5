"""OAuth2 routes (``/oauth2/authorize``, ``/oauth2/token``, ``/oauth2/revoke``), the SMART
configuration (``/.well-known/smart-configuration``, also under ``/fhir``), the training users
of a training backend (``/oauth2/training-users``) and a lead's unlock of a colleague's sign-in
(``POST /fhir/Practitioner/{id}/$unlock-sign-in``).

The login page is plain HTML with labelled fields and no scripts, in Bokmål, Nynorsk or English:
the ``ui_locales`` parameter of the authorization request (the console sends its language),
else the browser's ``Accept-Language``, else Bokmål.
"""

from __future__ import annotations

import base64
import html
import logging
import time
from typing import Any
from urllib.parse import parse_qsl, unquote

from anyio import to_thread
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.routing import Route

from server.auth import oauth
from server.auth.accounts import TRAINING_PASSWORD, TrainingUser
from server.auth.audit import Record
from server.auth.context import AuthContext

log = logging.getLogger("dho.auth")

MAX_FORM = 64 * 1024
NO_STORE = {"Cache-Control": "no-store", "Pragma": "no-cache"}
PAGE_HEADERS = {
    **NO_STORE,
    "X-Frame-Options": "DENY",
    "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; "
    "frame-ancestors 'none'",
    "Referrer-Policy": "no-referrer",
}
LANGUAGES = ("nb", "nn", "en")
#: The login page's sentences per language (keys of ``OAuthError.key`` among them).
TEXT: dict[str, dict[str, str]] = {
    "nb": {
        "sign_in": "Logg inn",
        "product": "DHO responssenter – digital hjemmeoppfølging",
        "username": "Brukernavn",
        "password": "Passord",
        "failed": "Innlogging feilet",
        "training": "Treningsmiljø",
        "training_text": "Alle treningsbrukere har passordet {password}. Dataene er syntetiske.",
        "wrong": "Feil brukernavn eller passord.",
        "inactive": "Brukeren er ikke aktiv.",
        "wait": "For mange mislykkede forsøk. Vent {seconds} sekunder og prøv igjen.",
        "form_invalid": "Skjemaet er ugyldig. Start innloggingen på nytt.",
        "form_expired": "Skjemaet er utløpt. Start innloggingen på nytt.",
        "unknown_client": "Ukjent klient.",
        "redirect": "Svaradressen må være en loopback-adresse (http://127.0.0.1:<port>/...).",
        "nurse": "sykepleier",
        "lead": "leder",
        "superuser": "superbruker",
        "admin": "administrator",
    },
    "nn": {
        "sign_in": "Logg inn",
        "product": "DHO responssenter – digital heimeoppfølging",
        "username": "Brukarnamn",
        "password": "Passord",
        "failed": "Innlogginga feila",
        "training": "Treningsmiljø",
        "training_text": "Alle treningsbrukarar har passordet {password}. Dataa er syntetiske.",
        "wrong": "Feil brukarnamn eller passord.",
        "inactive": "Brukaren er ikkje aktiv.",
        "wait": "For mange mislukka forsøk. Vent {seconds} sekund og prøv igjen.",
        "form_invalid": "Skjemaet er ugyldig. Start innlogginga på nytt.",
        "form_expired": "Skjemaet har gått ut. Start innlogginga på nytt.",
        "unknown_client": "Ukjend klient.",
        "redirect": "Svaradressa må vere ei loopback-adresse (http://127.0.0.1:<port>/...).",
        "nurse": "sjukepleiar",
        "lead": "leiar",
        "superuser": "superbrukar",
        "admin": "administrator",
    },
    "en": {
        "sign_in": "Sign in",
        "product": "DHO response centre – digital home follow-up",
        "username": "User name",
        "password": "Password",
        "failed": "Sign-in failed",
        "training": "Training environment",
        "training_text": "Every training user has the password {password}. The data are synthetic.",
        "wrong": "Wrong user name or password.",
        "inactive": "This user is not active.",
        "wait": "Too many failed attempts. Wait {seconds} seconds and try again.",
        "form_invalid": "The form is not valid. Start signing in again.",
        "form_expired": "The form has expired. Start signing in again.",
        "unknown_client": "Unknown client.",
        "redirect": "The redirect address must be a loopback address "
        "(http://127.0.0.1:<port>/...).",
        "nurse": "nurse",
        "lead": "department lead",
        "superuser": "superuser",
        "admin": "administrator",
    },
}


def ctx_of(request: Request) -> AuthContext:
    ctx: AuthContext = request.app.state.auth
    return ctx


def issuer(request: Request) -> str:
    return f"{request.url.scheme}://{request.url.netloc}"


def client_address(request: Request) -> str:
    return request.client.host if request.client else ""


def language(ui_locales: str, accept_language: str = "") -> str:
    """nb, nn or en: the first of ``ui_locales`` we speak, else of Accept-Language, else nb."""
    wanted = ui_locales.replace(",", " ").split()
    for part in accept_language.split(","):
        wanted.append(part.split(";")[0].strip())
    for tag in wanted:
        primary = tag.lower().replace("_", "-").split("-")[0]
        if primary in LANGUAGES:
            return primary
        if primary == "no":
            return "nb"
    return "nb"


def _t(lang: str, key: str, **values: object) -> str:
    text = TEXT.get(lang, TEXT["nb"]).get(key) or TEXT["nb"].get(key) or key
    return text.format(**values) if values else text


def _message(lang: str, exc: oauth.OAuthError) -> str:
    if exc.key is None:
        return exc.description
    if isinstance(exc, oauth.SlowDown):
        return _t(lang, "wait", seconds=exc.retry_after)
    return _t(lang, exc.key)


async def _form(request: Request) -> dict[str, str]:
    body = await request.body()
    if len(body) > MAX_FORM:
        raise oauth.OAuthError("invalid_request", "request too large")
    form = dict(parse_qsl(body.decode("utf-8", "replace"), keep_blank_values=True))
    if any("\x00" in k or "\x00" in v for k, v in form.items()):
        raise oauth.OAuthError("invalid_request", "NUL characters are not accepted")
    return form


def _basic(request: Request) -> tuple[str, str] | None:
    header = request.headers.get("authorization", "")
    kind, _, value = header.partition(" ")
    if kind.lower() != "basic":
        return None
    try:
        user, _, secret = base64.b64decode(value).decode().partition(":")
    except ValueError:
        return None
    user, secret = unquote(user), unquote(secret)
    if "\x00" in user or "\x00" in secret:
        return None
    return user, secret


def _json_error(exc: oauth.OAuthError) -> JSONResponse:
    headers = dict(NO_STORE)
    if exc.status == 401:
        headers["WWW-Authenticate"] = 'Basic realm="dho"'
    if isinstance(exc, oauth.SlowDown):
        headers["Retry-After"] = str(exc.retry_after)
    return JSONResponse(exc.body(), status_code=exc.status, headers=headers)


def _training_users(ctx: AuthContext) -> list[TrainingUser]:
    # Kept a minute per backend. (A cache for the whole process once served one test
    # backend's users to the next backend started in the same process.)
    cached = ctx.training_users
    if cached is not None and time.monotonic() - cached[0] <= 60:
        return list(cached[1])
    users = ctx.accounts.training_users() if ctx.accounts.is_training() else []
    ctx.training_users = (time.monotonic(), users)
    return list(users)


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


def _page(lang: str, title: str, body: str, status: int = 200) -> HTMLResponse:
    product = "DHO responssenter" if lang != "en" else "DHO response centre"
    text = f"""<!doctype html>
<html lang="{lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{html.escape(title)} – {product}</title>
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


def _error_page(lang: str, message: str, status: int = 400) -> HTMLResponse:
    title = _t(lang, "failed")
    return _page(
        lang,
        title,
        f'<h1>{html.escape(title)}</h1>\n<p role="alert">{html.escape(message)}</p>',
        status,
    )


def _login_page(
    ctx: AuthContext,
    req: oauth.AuthorizeRequest,
    lang: str,
    *,
    username: str,
    error: str | None = None,
    status: int | None = None,
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
        f"<h1>{e(_t(lang, 'sign_in'))}</h1>",
        f"<p>{e(_t(lang, 'product'))}</p>",
        alert,
        '<form method="post" action="/oauth2/authorize">',
        f'<input type="hidden" name="request" value="{e(oauth.seal(ctx, req))}">',
        f'<label for="username">{e(_t(lang, "username"))}</label>',
        f'<input id="username" name="username" type="text" autocomplete="username" '
        f'autocapitalize="none" spellcheck="false" required value="{e(username)}"{described}>',
        f'<label for="password">{e(_t(lang, "password"))}</label>',
        f'<input id="password" name="password" type="password" '
        f'autocomplete="current-password" required value="{e(password)}"{described}>',
        f'<button type="submit">{e(_t(lang, "sign_in"))}</button>',
        "</form>",
    ]
    if training:
        rows = "\n".join(
            f"<li><code>{e(u.username)}</code> – {e(u.name)}: "
            + e(", ".join(f"{_t(lang, r)} ({org})" for r, org in u.roles))
            + "</li>"
            for u in training
        )
        parts += [
            '<section class="trening" aria-labelledby="trening-tittel">',
            f'<h2 id="trening-tittel">{e(_t(lang, "training"))}</h2>',
            "<p>"
            + e(_t(lang, "training_text", password="§")).replace(
                "§", f"<strong>{e(TRAINING_PASSWORD)}</strong>"
            )
            + "</p>",
            f"<ul>\n{rows}\n</ul>",
            "</section>",
        ]
    code = status if status is not None else (401 if error else 200)
    return _page(lang, _t(lang, "sign_in"), "\n".join(parts), code)


async def authorize_get(request: Request) -> Response:
    ctx = ctx_of(request)
    params = dict(request.query_params)
    lang = language(params.get("ui_locales", ""), request.headers.get("accept-language", ""))
    try:
        req = await to_thread.run_sync(oauth.parse_authorize, ctx, params)
    except oauth.RedirectError as exc:
        return RedirectResponse(exc.location, status_code=303, headers=NO_STORE)
    except oauth.OAuthError as exc:
        return _error_page(lang, _message(lang, exc))
    return await to_thread.run_sync(lambda: _login_page(ctx, req, lang, username=req.login_hint))


async def authorize_post(request: Request) -> Response:
    ctx = ctx_of(request)
    accept = request.headers.get("accept-language", "")
    try:
        form = await _form(request)
        req = oauth.unseal(ctx, form.get("request", ""))
    except (oauth.OAuthError, ValueError, TypeError) as exc:
        lang = language("", accept)
        key = exc if isinstance(exc, oauth.OAuthError) else None
        message = _message(lang, key) if key else _t(lang, "form_invalid")
        return _error_page(lang, message)
    lang = language(req.ui_locales, accept)
    username = form.get("username", "").strip()[:128]
    password = form.get("password", "")
    address = client_address(request)
    try:
        location = await to_thread.run_sync(oauth.login, ctx, req, username, password, address)
    except oauth.OAuthError as exc:
        message = _message(lang, exc)
        status = exc.status
        return await to_thread.run_sync(
            lambda: _login_page(ctx, req, lang, username=username, error=message, status=status)
        )
    return RedirectResponse(location, status_code=303, headers=NO_STORE)


async def token(request: Request) -> Response:
    ctx = ctx_of(request)
    try:
        form = await _form(request)
        address = client_address(request)
        body: dict[str, Any] = await to_thread.run_sync(
            oauth.token, ctx, form, _basic(request), address
        )
    except oauth.OAuthError as exc:
        return _json_error(exc)
    return JSONResponse(body, headers=NO_STORE)


async def revoke(request: Request) -> Response:
    ctx = ctx_of(request)
    try:
        form = await _form(request)
        address = client_address(request)
        await to_thread.run_sync(oauth.revoke, ctx, form, _basic(request), address)
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


async def training_users(request: Request) -> Response:
    """The training users to choose from at sign-in (name, roles, organizations): only on a
    training backend (``--profile training`` and a training database); 404 elsewhere."""
    ctx = ctx_of(request)
    profile = getattr(request.app.state, "profile", None)
    if not ctx.settings.enabled or not getattr(profile, "is_training", False):
        return JSONResponse(
            {"error": "not_found", "error_description": "not a training backend"},
            status_code=404,
            headers=NO_STORE,
        )
    users = await to_thread.run_sync(_training_users, ctx)
    body = {
        "training": True,
        "users": [
            {
                "username": u.username,
                "name": u.name,
                "roles": [{"code": role, "organization": org} for role, org in u.roles],
            }
            for u in users
        ],
    }
    return JSONResponse(body, headers=NO_STORE)


async def unlock_sign_in(request: Request) -> Response:
    """``POST /fhir/Practitioner/{id}/$unlock-sign-in``: clear the sign-in delays of a
    colleague (a nurse who mistyped her password too often). Administrators may unlock
    anyone; a lead those who have a role in an organization she covers."""
    from server.api.fhir import fhir_response
    from server.auth.guard import Forbidden, principal_of, unknown
    from server.auth.principal import LEAD

    ctx = ctx_of(request)
    practitioner_id = request.path_params["id"]
    principal = principal_of(request)
    if principal is None or principal.is_patient:
        raise Forbidden("only a department lead or an administrator may unlock a sign-in")
    username = await to_thread.run_sync(ctx.accounts.username_of, practitioner_id)
    if username is None:
        raise unknown("Practitioner", practitioner_id)
    if not principal.unrestricted:
        if LEAD not in principal.roles:
            raise Forbidden("only a department lead or an administrator may unlock a sign-in")
        covered = await to_thread.run_sync(ctx.resolver.organizations, principal) or frozenset()
        theirs = await to_thread.run_sync(ctx.accounts.assignments_of, practitioner_id)
        if not any(a.organization in covered for a in theirs):
            raise Forbidden("this colleague works outside the organizations you lead")
    cleared = await to_thread.run_sync(ctx.throttle.unlock, "user", username)
    if ctx.audit is not None:
        ctx.audit.record(
            Record(
                principal,
                "unlock-sign-in",
                client_address(request),
                account=f"Practitioner/{practitioner_id}",
            )
        )
    log.info("sign-in delays cleared for Practitioner/%s by %s", practitioner_id, principal.sub)
    return fhir_response(
        {
            "resourceType": "Parameters",
            "parameter": [
                {
                    "name": "practitioner",
                    "valueReference": {"reference": f"Practitioner/{practitioner_id}"},
                },
                {"name": "cleared", "valueInteger": cleared},
            ],
        }
    )


def routes() -> list[Route]:
    """Mount at the root: ``/oauth2/...``, ``/.well-known/...`` and the unlock operation."""
    return [
        Route("/oauth2/authorize", authorize_get, methods=["GET"]),
        Route("/oauth2/authorize", authorize_post, methods=["POST"]),
        Route("/oauth2/token", token, methods=["POST"]),
        Route("/oauth2/revoke", revoke, methods=["POST"]),
        Route("/oauth2/training-users", training_users, methods=["GET"]),
        Route("/.well-known/smart-configuration", smart_configuration, methods=["GET"]),
        Route("/fhir/.well-known/smart-configuration", smart_configuration, methods=["GET"]),
        Route("/fhir/Practitioner/{id}/$unlock-sign-in", unlock_sign_in, methods=["POST"]),
    ]
