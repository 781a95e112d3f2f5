"""Sign-in: OAuth2 authorization code + PKCE, refresh rotation, client credentials, revocation,
token checks on every request and the WebSocket, and ``dho-server token`` on the real backend.
"""

from __future__ import annotations

import base64
import time
from pathlib import Path

import httpx
import pytest

from server.auth import tokens
from server.auth.principal import Principal
from tests.backend import start_backend
from tests.server.inprocess import AppClient, WebSocketClosed
from tests.server.test_auth_helpers import (
    REDIRECT,
    SHARED_CENTRE,
    Seeded,
    auth_client,
    authorize_params,
    code_from,
    hidden_request,
    login,
    pkce,
    seeded,
    token_headers,
    tokens_for,
)

__all__ = ["auth_client", "seeded"]  # fixtures


def _exchange(client: httpx.Client, code: str, verifier: str) -> httpx.Response:
    return client.post(
        "/oauth2/token",
        data={
            "grant_type": "authorization_code",
            "code": code,
            "redirect_uri": REDIRECT,
            "client_id": "dho-console",
            "code_verifier": verifier,
        },
    )


def _refresh(client: httpx.Client, refresh_token: str) -> httpx.Response:
    return client.post(
        "/oauth2/token",
        data={
            "grant_type": "refresh_token",
            "refresh_token": refresh_token,
            "client_id": "dho-console",
        },
    )


def test_login_page_is_norwegian_accessible_and_prefilled(
    auth_client: AppClient, seeded: Seeded
) -> None:
    nurse = seeded.user("nurse", "hjemmesykepleien-sandnes")
    _, challenge = pkce()
    page = auth_client.get(
        "/oauth2/authorize", params=authorize_params(challenge, login_hint=nurse.username)
    )
    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")
    assert page.headers["x-frame-options"] == "DENY"
    text = page.text
    assert '<html lang="nb">' in text
    assert '<label for="username">Brukernavn</label>' in text
    assert '<label for="password">Passord</label>' in text
    assert 'autocomplete="current-password"' in text
    assert f'value="{nurse.username}"' in text  # login_hint honoured
    assert "Treningsmiljø" in text and "trening" in text


def test_code_pkce_refresh_rotation_reuse_and_revoke(
    auth_client: AppClient, seeded: Seeded
) -> None:
    nurse = seeded.user("nurse", "hjemmesykepleien-sandnes")
    response, verifier = login(auth_client, nurse.username)
    code = code_from(response)
    r = _exchange(auth_client, code, verifier)
    assert r.status_code == 200, r.text
    assert r.headers["cache-control"] == "no-store"
    first = r.json()
    assert first["token_type"] == "Bearer" and 0 < first["expires_in"] <= 600
    claims = tokens.decode(first["access_token"], auth_client.app.state.auth.key)
    assert claims["sub"] == nurse.practitioner_id
    assert claims["username"] == nurse.username
    assert claims["hpr"] == nurse.hpr and claims["name"] == nurse.name
    assert claims["roles"] == ["nurse"]
    assert claims["organizations"] == ["hjemmesykepleien-sandnes"]
    assert claims["client_id"] == "dho-console"
    assert {"exp", "iat", "jti"} <= set(claims)
    headers = {"Authorization": f"Bearer {first['access_token']}"}
    assert auth_client.get("/fhir/Patient", headers=headers).status_code == 200

    # Refresh rotates: a new refresh token, the old one retired.
    r = _refresh(auth_client, first["refresh_token"])
    assert r.status_code == 200, r.text
    second = r.json()
    assert second["refresh_token"] != first["refresh_token"]
    assert second["access_token"] != first["access_token"]
    # Presenting the retired one is reuse: refused, and the whole family is revoked.
    reuse = _refresh(auth_client, first["refresh_token"])
    assert reuse.status_code == 400 and reuse.json()["error"] == "invalid_grant"
    assert "reuse" in reuse.json()["error_description"]
    assert _refresh(auth_client, second["refresh_token"]).status_code == 400

    # A code is single-use; replaying it also revokes what it was exchanged for.
    response, verifier = login(auth_client, nurse.username)
    code = code_from(response)
    session = _exchange(auth_client, code, verifier).json()
    assert _exchange(auth_client, code, verifier).json()["error"] == "invalid_grant"
    assert _refresh(auth_client, session["refresh_token"]).status_code == 400

    # Sign-out: revoke the refresh token of a fresh session.
    third = tokens_for(auth_client, nurse.username)
    r = auth_client.post(
        "/oauth2/revoke", data={"token": third["refresh_token"], "client_id": "dho-console"}
    )
    assert r.status_code == 200
    assert _refresh(auth_client, third["refresh_token"]).status_code == 400


def test_wrong_password_is_refused_without_redirect(auth_client: AppClient, seeded: Seeded) -> None:
    nurse = seeded.user("nurse", "ikart")
    response, _ = login(auth_client, nurse.username, "feil-passord")
    assert response.status_code == 401
    assert "location" not in response.headers
    assert 'role="alert"' in response.text and "Feil brukernavn eller passord" in response.text
    response, _ = login(auth_client, "ingen-slik-bruker", "trening")
    assert response.status_code == 401


def test_wrong_verifier_and_wrong_redirect_uri_are_refused(
    auth_client: AppClient, seeded: Seeded
) -> None:
    nurse = seeded.user("nurse", "ikart")
    response, _ = login(auth_client, nurse.username)
    other_verifier, _ = pkce()
    r = _exchange(auth_client, code_from(response), other_verifier)
    assert r.status_code == 400 and r.json()["error"] == "invalid_grant"

    response, verifier = login(auth_client, nurse.username)
    r = auth_client.post(
        "/oauth2/token",
        data={
            "grant_type": "authorization_code",
            "code": code_from(response),
            "redirect_uri": "http://127.0.0.1:9/other",
            "client_id": "dho-console",
            "code_verifier": verifier,
        },
    )
    assert r.json()["error"] == "invalid_grant"


@pytest.mark.parametrize(
    "redirect_uri",
    [
        "https://example.org/callback",
        "http://192.168.1.10:8000/callback",
        "http://127.0.0.1.example.org:8000/cb",
        "http://evil.example@127.0.0.1:8000/cb",
        "https://127.0.0.1:8000/cb",
        "myapp://callback",
    ],
)
def test_non_loopback_redirect_uri_is_rejected_without_redirect(
    auth_client: AppClient, redirect_uri: str
) -> None:
    _, challenge = pkce()
    page = auth_client.get(
        "/oauth2/authorize", params=authorize_params(challenge, redirect_uri=redirect_uri)
    )
    assert page.status_code == 400
    assert "location" not in page.headers
    assert "loopback" in page.text


def test_localhost_redirect_and_pkce_requirements(auth_client: AppClient) -> None:
    _, challenge = pkce()
    ok = auth_client.get(
        "/oauth2/authorize",
        params=authorize_params(challenge, redirect_uri="http://localhost:40123/cb"),
    )
    assert ok.status_code == 200
    # Without PKCE (or with plain) the error goes back to the client's redirect_uri.
    plain = auth_client.get(
        "/oauth2/authorize",
        params=authorize_params(challenge, code_challenge_method="plain"),
    )
    assert plain.status_code == 303
    assert plain.headers["location"].startswith(REDIRECT + "?error=invalid_request")


def test_tampered_login_form_is_refused(auth_client: AppClient, seeded: Seeded) -> None:
    _, challenge = pkce()
    page = auth_client.get("/oauth2/authorize", params=authorize_params(challenge))
    sealed = hidden_request(page.text)
    raw, _, mac = sealed.partition(".")
    forged = base64.urlsafe_b64decode(raw).replace(REDIRECT.encode(), b"http://127.0.0.1:1/stolen")
    form = {
        "request": base64.urlsafe_b64encode(forged).decode() + "." + mac,
        "username": seeded.user("admin", SHARED_CENTRE).username,
        "password": "trening",
    }
    r = auth_client.post("/oauth2/authorize", data=form)
    assert r.status_code == 400 and "location" not in r.headers


def test_client_credentials(auth_client: AppClient, seeded: Seeded) -> None:
    r = auth_client.post(
        "/oauth2/token",
        data={"grant_type": "client_credentials"},
        auth=("dho-integration", "trening-integrasjon"),
    )
    assert r.status_code == 200, r.text
    body = r.json()
    assert "refresh_token" not in body
    headers = {"Authorization": f"Bearer {body['access_token']}"}
    total = auth_client.get("/fhir/Patient?_summary=count", headers=headers).json()["total"]
    assert total == len(seeded.all_patients)  # services are not department-scoped
    wrong = auth_client.post(
        "/oauth2/token",
        data={"grant_type": "client_credentials"},
        auth=("dho-integration", "feil"),
    )
    assert wrong.status_code == 401 and wrong.json()["error"] == "invalid_client"
    # The public console client cannot use client_credentials.
    public = auth_client.post(
        "/oauth2/token", data={"grant_type": "client_credentials", "client_id": "dho-console"}
    )
    assert public.status_code == 400 and public.json()["error"] == "unauthorized_client"


def test_requests_need_a_valid_unexpired_token(auth_client: AppClient, seeded: Seeded) -> None:
    missing = auth_client.get("/fhir/Patient")
    assert missing.status_code == 401
    assert missing.headers["www-authenticate"].startswith("Bearer")
    assert missing.json()["resourceType"] == "OperationOutcome"
    assert auth_client.post("/fhir/Observation", json={}).status_code == 401

    ctx = auth_client.app.state.auth
    admin = ctx.accounts.load_user("admin", "dho-console")
    assert isinstance(admin, Principal)
    expired = tokens.encode(admin.claims(lifetime=60, now=time.time() - 3600), ctx.key)
    r = auth_client.get("/fhir/Patient", headers={"Authorization": f"Bearer {expired}"})
    assert r.status_code == 401
    assert 'error="invalid_token"' in r.headers["www-authenticate"]
    assert "expired" in r.json()["issue"][0]["diagnostics"]

    forged = tokens.encode(admin.claims(lifetime=60), b"not the key")
    r = auth_client.get("/fhir/Patient", headers={"Authorization": f"Bearer {forged}"})
    assert r.status_code == 401

    header, body, _ = ctx.issue(admin).split(".")
    unsigned = f"{header.replace('J', 'J')}.{body}."
    r = auth_client.get("/fhir/Patient", headers={"Authorization": f"Bearer {unsigned}"})
    assert r.status_code == 401


def test_open_endpoints_and_capability_security(auth_client: AppClient) -> None:
    metadata = auth_client.get("/fhir/metadata")
    assert metadata.status_code == 200
    security = metadata.json()["rest"][0]["security"]
    (oauth_uris,) = security["extension"]
    assert oauth_uris["url"].endswith("/oauth-uris")
    uris = {e["url"]: e["valueUri"] for e in oauth_uris["extension"]}
    base = str(auth_client.base_url)
    assert uris["authorize"] == f"{base}/oauth2/authorize"
    assert uris["token"] == f"{base}/oauth2/token"
    for path in ("/.well-known/smart-configuration", "/fhir/.well-known/smart-configuration"):
        config = auth_client.get(path)
        assert config.status_code == 200
        body = config.json()
        assert body["code_challenge_methods_supported"] == ["S256"]
        assert body["token_endpoint"] == f"{base}/oauth2/token"
        assert body["revocation_endpoint"] == f"{base}/oauth2/revoke"


def test_websocket_needs_a_token(auth_client: AppClient, seeded: Seeded) -> None:
    with pytest.raises(Exception) as refused:  # the handshake is refused (HTTP 403)
        with auth_client.websocket_connect("/ws/notifications") as ws:
            ws.receive_json()
    assert not isinstance(refused.value, WebSocketClosed) or refused.value.code == 1008
    token = token_headers(auth_client, "admin")["Authorization"].split()[1]
    with auth_client.websocket_connect(f"/ws/notifications?access_token={token}") as ws:
        assert ws.receive_json()["type"] == "handshake"


@pytest.mark.slow
def test_dho_server_token_works_against_the_real_backend(tmp_path: Path) -> None:
    with start_backend(tmp_path, seed_patients=20, history_days=1, auth=True) as backend:
        stderr = backend.stderr_text()
        assert "training password" in stderr and "admin" in stderr
        assert "trening" not in stderr  # passwords and secrets never reach a log
        assert httpx.get(f"{backend.base_url}/Patient").status_code == 401
        token = backend.token("admin")
        r = httpx.get(
            f"{backend.base_url}/Patient?_summary=count",
            headers={"Authorization": f"Bearer {token}"},
        )
        assert r.status_code == 200 and r.json()["total"] == 20
        service = backend.token("dho-integration", minutes=1)
        r = httpx.get(
            f"{backend.base_url}/Patient?_count=1", headers={"Authorization": f"Bearer {service}"}
        )
        assert r.status_code == 200
