"""Who is signed in, with which token, until when; silent refresh; sign-out.

The access token lives only in this object's memory; the refresh token only in the OS keyring
(through TokenStore), so a restart can sign in silently. Nothing here is written to a file.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QObject, Signal

from console import settings
from console.fhir.auth import AuthClient, AuthError, TokenSet, jwt_claims
from console.fhir.errors import FhirError, FhirHttpError, FhirUnavailable
from console.services.secrets import TokenStore

log = logging.getLogger(__name__)

#: Refresh this long before the access token expires.
REFRESH_MARGIN = 60.0


@dataclass(frozen=True, slots=True)
class SignedInUser:
    """Shown in the window at all times: name, role, organisation(s)."""

    practitioner_id: str
    username: str
    name: str
    roles: tuple[str, ...]
    organizations: tuple[str, ...]
    hpr: str | None = None
    #: A training account (synthetic centre): the window says so at all times.
    training: bool = False

    @classmethod
    def from_claims(cls, claims: dict[str, Any]) -> SignedInUser:
        def strings(value: Any) -> tuple[str, ...]:
            if isinstance(value, str):
                return (value,)
            if isinstance(value, list | tuple):
                return tuple(str(v) for v in value)
            return ()

        subject = str(claims.get("fhirUser") or claims.get("sub") or "")
        return cls(
            practitioner_id=subject.rsplit("/", 1)[-1],
            username=str(claims.get("username") or claims.get("preferred_username") or ""),
            name=str(claims.get("name") or claims.get("username") or subject),
            roles=strings(claims.get("roles") or claims.get("role")),
            organizations=strings(claims.get("organizations") or claims.get("org")),
            hpr=str(claims["hpr"]) if claims.get("hpr") else None,
            training=claims.get("training") is True,
        )


@dataclass(frozen=True, slots=True)
class TrainingUser:
    """A user the training backend offers at sign-in: name, and (role, organization) pairs."""

    username: str
    name: str
    roles: tuple[tuple[str, str], ...]

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> TrainingUser:
        roles = tuple(
            (str(r.get("code", "")), str(r.get("organization", "")))
            for r in data.get("roles") or ()
            if isinstance(r, dict)
        )
        return cls(str(data["username"]), str(data.get("name") or data["username"]), roles)


class AuthSession(QObject):
    """Owns the tokens of one server connection; `token()` is what FhirClient calls."""

    signed_in = Signal(object)  # SignedInUser
    signed_out = Signal()
    failed = Signal(str)

    def __init__(
        self,
        auth: AuthClient,
        account: str,
        *,
        store: TokenStore | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._auth = auth
        self._account = account
        self._store = store or TokenStore()
        self._tokens: TokenSet | None = None
        self._static_token: str | None = None
        self._refresher: asyncio.Task[None] | None = None
        self.user: SignedInUser | None = None
        self.required = True

    # ----- what the rest of the console asks -------------------------------------------------

    def token(self) -> str | None:
        if self._static_token:
            return self._static_token
        return self._tokens.access_token if self._tokens else None

    @property
    def secure_store(self) -> bool:
        return self._store.status().available

    @property
    def keeps_refresh_token(self) -> bool:
        """Whether this sign-in would keep a refresh token (not so with DHO_ACCESS_TOKEN)."""
        return self._static_token is None

    # ----- ways in ---------------------------------------------------------------------------

    async def start(self) -> bool:
        """Find out whether the server wants sign-in and try the silent ways first.

        Order: no sign-in needed; DHO_ACCESS_TOKEN (automation); a refresh token from the
        keyring. Returns whether we are signed in (or need not be).
        """
        endpoints = await self._auth.discover()
        if endpoints is None:
            self.required = False
            return True
        env_token = settings.access_token()
        if env_token:
            self._static_token = env_token
            self._become(TokenSet(env_token, None, 0.0, jwt_claims(env_token)), store=False)
            return True
        # The keyring may be slow (D-Bus, its backends' imports): never on the UI thread.
        stored = await asyncio.to_thread(self._store.load, self._account)
        if stored:
            try:
                self._become(await self._auth.refresh(stored))
                return True
            except FhirHttpError:
                self._store.clear(self._account)  # refused: sign in again
            except (FhirUnavailable, AuthError) as exc:
                log.info("silent sign-in failed: %s", exc)
        return False

    async def sign_in_with_browser(
        self,
        open_url: Callable[[str], object],
        login_hint: str | None = None,
        *,
        ui_locales: str | None = None,
        done_title: str | None = None,
        done_text: str | None = None,
    ) -> SignedInUser:
        try:
            tokens = await self._auth.browser_sign_in(
                open_url,
                login_hint=login_hint,
                ui_locales=ui_locales,
                done_title=done_title,
                done_text=done_text,
            )
        except (FhirError, AuthError) as exc:
            self.failed.emit(str(exc))
            raise
        return self._become(tokens)

    async def sign_in_training(
        self, username: str | None = None, password: str | None = None
    ) -> SignedInUser:
        return self._become(await self._auth.training_sign_in(username, password))

    async def training_users(self) -> list[TrainingUser]:
        """The training backend's users to offer in the window ([] on any other server)."""
        try:
            found = await self._auth.training_users()
        except (FhirError, AuthError) as exc:
            log.info("no training users: %s", exc)
            return []
        return [TrainingUser.from_json(u) for u in found]

    async def sign_out(self) -> None:
        """Revoke at the server (best effort), forget everything locally, tell the UI."""
        tokens, self._tokens = self._tokens, None
        self._static_token = None
        self._cancel_refresher()
        self._store.clear(self._account)
        if tokens is not None and tokens.refresh_token:
            await self._auth.revoke(tokens.refresh_token)
        self.user = None
        self.signed_out.emit()

    async def close(self) -> None:
        self._cancel_refresher()
        if self._refresher is not None:
            await asyncio.gather(self._refresher, return_exceptions=True)
        await self._auth.aclose()

    # ----- internals ---------------------------------------------------------------------------

    def _become(self, tokens: TokenSet, *, store: bool = True) -> SignedInUser:
        self._tokens = tokens
        if store and tokens.refresh_token:
            self._store.save(self._account, tokens.refresh_token)
        self.user = SignedInUser.from_claims(tokens.claims)
        if tokens.refresh_token:
            self._schedule_refresh()
        self.signed_in.emit(self.user)
        return self.user

    def _schedule_refresh(self) -> None:
        self._cancel_refresher()
        self._refresher = asyncio.get_running_loop().create_task(
            self._refresh_loop(), name="token-refresh"
        )

    def _cancel_refresher(self) -> None:
        if self._refresher is not None and not self._refresher.done():
            self._refresher.cancel()

    async def _refresh_loop(self) -> None:
        """Refresh silently before expiry; retry on network trouble; sign out when refused."""
        delay_after_failure = 5.0
        while self._tokens is not None and self._tokens.refresh_token:
            wait = max(0.0, self._tokens.expires_in() - REFRESH_MARGIN)
            await asyncio.sleep(wait)
            try:
                tokens = await self._auth.refresh(self._tokens.refresh_token)
            except FhirHttpError as exc:
                log.warning("token refresh refused: %s", exc)
                self._tokens = None
                self._store.clear(self._account)
                self.user = None
                self.signed_out.emit()
                return
            except (FhirUnavailable, AuthError) as exc:
                log.info("token refresh failed, retrying: %s", exc)
                await asyncio.sleep(delay_after_failure)
                delay_after_failure = min(delay_after_failure * 2, 60.0)
                continue
            delay_after_failure = 5.0
            self._tokens = tokens
            if tokens.refresh_token:
                self._store.save(self._account, tokens.refresh_token)
