"""AuthSession: silent sign-in from the keyring, DHO_ACCESS_TOKEN, refresh, sign-out."""

from __future__ import annotations

import asyncio
import time
from typing import Any

import pytest

from console.fhir.auth import AuthEndpoints, TokenSet
from console.fhir.errors import FhirHttpError
from console.services.secrets import TokenStore
from console.services.signin import AuthSession, SignedInUser
from tests.conftest import MemoryKeyring
from tests.console.test_fhir_auth import fake_jwt

CLAIMS = {
    "sub": "prac-1",
    "fhirUser": "Practitioner/prac-1",
    "username": "kari",
    "name": "Kari Nordmann",
    "roles": ["nurse"],
    "organizations": ["dep-a"],
    "hpr": "1234567",
}


class FakeAuth:
    def __init__(self, lifetime: float = 600.0) -> None:
        self.lifetime = lifetime
        self.refreshed: list[str] = []
        self.revoked: list[str] = []
        self.refuse = False
        self.endpoints: AuthEndpoints | None = AuthEndpoints("a", "t", "r")

    async def discover(self) -> AuthEndpoints | None:
        return self.endpoints

    def _tokens(self, rt: str) -> TokenSet:
        return TokenSet(fake_jwt(CLAIMS), rt, time.time() + self.lifetime, dict(CLAIMS))

    async def browser_sign_in(self, open_url: Any, **_options: Any) -> TokenSet:
        open_url("http://auth/authorize")
        return self._tokens("rt-1")

    async def training_sign_in(self, username: str, password: str) -> TokenSet:
        return self._tokens("rt-1")

    async def refresh(self, refresh_token: str) -> TokenSet:
        self.refreshed.append(refresh_token)
        if self.refuse:
            raise FhirHttpError(400, "token request refused: invalid_grant")
        return self._tokens(f"rt-{len(self.refreshed) + 1}")

    async def revoke(self, token: str) -> None:
        self.revoked.append(token)

    async def aclose(self) -> None:
        return None


def test_user_from_claims() -> None:
    user = SignedInUser.from_claims(CLAIMS)
    assert (user.practitioner_id, user.name, user.roles, user.hpr) == (
        "prac-1",
        "Kari Nordmann",
        ("nurse",),
        "1234567",
    )


def test_browser_sign_in_keeps_refresh_token_in_keyring_and_signs_out(
    qloop: asyncio.AbstractEventLoop, memory_keyring: MemoryKeyring
) -> None:
    auth = FakeAuth()
    session = AuthSession(auth, "http://fhir/")  # type: ignore[arg-type]
    opened: list[str] = []

    async def scenario() -> None:
        assert await session.start() is False  # nothing stored yet
        user = await session.sign_in_with_browser(opened.append)
        assert user.name == "Kari Nordmann" and opened
        assert TokenStore().load("http://fhir/") == "rt-1"
        assert session.token() and "rt-1" not in str(memory_keyring.store.keys())
        await session.sign_out()
        assert session.token() is None
        assert auth.revoked == ["rt-1"]
        assert memory_keyring.store == {}
        await session.close()

    qloop.run_until_complete(scenario())


def test_silent_sign_in_and_refresh_before_expiry(
    qloop: asyncio.AbstractEventLoop, monkeypatch: pytest.MonkeyPatch
) -> None:
    import console.services.signin as signin

    monkeypatch.setattr(signin, "REFRESH_MARGIN", 0.0)
    TokenStore().save("acct", "rt-stored")
    auth = FakeAuth(lifetime=0.2)
    session = AuthSession(auth, "acct")  # type: ignore[arg-type]
    signed_out: list[bool] = []
    session.signed_out.connect(lambda: signed_out.append(True))

    async def scenario() -> None:
        assert await session.start() is True
        assert auth.refreshed == ["rt-stored"]
        await asyncio.sleep(0.5)  # refreshed again before expiry, silently
        assert len(auth.refreshed) >= 2
        assert TokenStore().load("acct") == f"rt-{len(auth.refreshed) + 1}" or TokenStore().load(
            "acct"
        )
        auth.refuse = True
        await asyncio.sleep(0.4)
        assert signed_out == [True]
        assert TokenStore().load("acct") is None
        await session.close()

    qloop.run_until_complete(scenario())


def test_access_token_from_environment(
    qloop: asyncio.AbstractEventLoop, monkeypatch: pytest.MonkeyPatch
) -> None:
    token = fake_jwt(CLAIMS)
    monkeypatch.setenv("DHO_ACCESS_TOKEN", token)
    session = AuthSession(FakeAuth(), "acct")  # type: ignore[arg-type]

    async def scenario() -> None:
        assert await session.start() is True
        assert session.token() == token
        assert session.user is not None and session.user.username == "kari"
        await session.close()

    qloop.run_until_complete(scenario())


def test_server_without_sign_in(qloop: asyncio.AbstractEventLoop) -> None:
    auth = FakeAuth()
    auth.endpoints = None
    session = AuthSession(auth, "acct")  # type: ignore[arg-type]

    async def scenario() -> None:
        assert await session.start() is True
        assert session.required is False and session.token() is None
        await session.close()

    qloop.run_until_complete(scenario())
