"""OAuth2 code + PKCE with a loopback redirect, refresh and revocation (client side)."""

from __future__ import annotations

import asyncio
import base64
import hashlib
import json
import time
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest

from console.fhir.auth import (
    AuthEndpoints,
    AuthError,
    LoopbackLogin,
    jwt_claims,
    pkce_pair,
    refresh,
    revoke,
)
from console.fhir.errors import FhirHttpError

ENDPOINTS = AuthEndpoints(
    "http://auth.test/authorize", "http://auth.test/token", "http://auth.test/revoke"
)


def fake_jwt(claims: dict[str, Any]) -> str:
    enc = lambda d: base64.urlsafe_b64encode(json.dumps(d).encode()).rstrip(b"=").decode()  # noqa: E731
    return f"{enc({'alg': 'HS256'})}.{enc(claims)}.signature"


def test_pkce_challenge_is_s256_of_verifier() -> None:
    verifier, challenge = pkce_pair()
    expected = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=")
    assert challenge == expected.decode()
    assert 43 <= len(verifier) <= 128


def test_jwt_claims_for_display_only() -> None:
    assert jwt_claims(fake_jwt({"name": "Kari"}))["name"] == "Kari"
    assert jwt_claims("not-a-jwt") == {}


def token_server(seen: list[httpx.Request]) -> httpx.MockTransport:
    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        form = {k: v[0] for k, v in parse_qs(request.content.decode()).items()}
        if request.url.path == "/token":
            if form.get("grant_type") == "authorization_code":
                assert form["code"] == "the-code"
                verifier_hash = (
                    base64.urlsafe_b64encode(
                        hashlib.sha256(form["code_verifier"].encode()).digest()
                    )
                    .rstrip(b"=")
                    .decode()
                )
                assert verifier_hash == CHALLENGES[-1]
                return httpx.Response(
                    200,
                    json={
                        "access_token": fake_jwt(
                            {"name": "Kari Nordmann", "exp": time.time() + 600}
                        ),
                        "refresh_token": "r1",
                        "expires_in": 600,
                    },
                )
            if form.get("grant_type") == "refresh_token":
                if form["refresh_token"] != "r1":
                    return httpx.Response(
                        400, json={"error": "invalid_grant", "error_description": "reused"}
                    )
                return httpx.Response(
                    200,
                    json={"access_token": fake_jwt({}), "refresh_token": "r2", "expires_in": 300},
                )
        if request.url.path == "/revoke":
            return httpx.Response(200)
        return httpx.Response(404)

    return httpx.MockTransport(handler)


CHALLENGES: list[str] = []


def test_loopback_login_exchanges_the_code(qloop: asyncio.AbstractEventLoop) -> None:
    seen: list[httpx.Request] = []

    async def scenario() -> None:
        async with httpx.AsyncClient(transport=token_server(seen)) as http:
            browser_tasks: list[asyncio.Task[None]] = []

            def open_url(url: str) -> None:
                query = {k: v[0] for k, v in parse_qs(urlsplit(url).query).items()}
                assert query["code_challenge_method"] == "S256"
                assert query["redirect_uri"].startswith("http://127.0.0.1:")
                assert query["login_hint"] == "kari"
                CHALLENGES.append(query["code_challenge"])

                async def browser() -> None:  # the user signs in; the server redirects back
                    async with httpx.AsyncClient() as b:
                        page = await b.get(
                            query["redirect_uri"],
                            params={"code": "the-code", "state": query["state"]},
                        )
                        assert page.status_code == 200 and "Innlogget" in page.text

                browser_tasks.append(asyncio.create_task(browser()))

            login = LoopbackLogin(http, ENDPOINTS, open_url)
            tokens = await login.run(login_hint="kari", wait=10)
            await asyncio.gather(*browser_tasks)
            assert tokens.claims["name"] == "Kari Nordmann"
            assert tokens.refresh_token == "r1"
            assert 590 < tokens.expires_in() <= 600
            assert "r1" not in repr(tokens) and tokens.access_token not in repr(tokens)

            renewed = await refresh(http, ENDPOINTS, "r1")
            assert renewed.refresh_token == "r2"
            with pytest.raises(FhirHttpError, match="reused"):
                await refresh(http, ENDPOINTS, "r1-old")
            await revoke(http, ENDPOINTS, "r2")
            assert seen[-1].url.path == "/revoke"

    qloop.run_until_complete(scenario())


def test_loopback_login_rejects_a_forged_state(qloop: asyncio.AbstractEventLoop) -> None:
    async def scenario() -> None:
        async with httpx.AsyncClient(transport=token_server([])) as http:
            tasks: list[asyncio.Task[None]] = []

            def open_url(url: str) -> None:
                query = {k: v[0] for k, v in parse_qs(urlsplit(url).query).items()}

                async def attacker() -> None:
                    async with httpx.AsyncClient() as b:
                        await b.get(query["redirect_uri"], params={"code": "x", "state": "forged"})

                tasks.append(asyncio.create_task(attacker()))

            with pytest.raises(AuthError, match="state"):
                await LoopbackLogin(http, ENDPOINTS, open_url).run(wait=10)
            await asyncio.gather(*tasks)

    qloop.run_until_complete(scenario())
