"""Refresh tokens in the OS keyring, never in files; access tokens stay in memory elsewhere.

Some keyrings limit the size of one secret (Windows Credential Manager: 2,560 bytes), and a
signed refresh token can be larger, so tokens are stored in chunks under numbered keys.
Without a usable keyring (e.g. no D-Bus session on Linux) nothing is stored and the UI says so.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

import keyring
import keyring.backend
import keyring.errors

log = logging.getLogger(__name__)

SERVICE = "dho-console"
CHUNK = 1000
_MAX_CHUNKS = 64


@dataclass(frozen=True, slots=True)
class StoreStatus:
    available: bool
    backend: str
    #: English detail for logs; the UI shows its own translated sentence.
    detail: str = ""


def _is_insecure_or_failing(backend: keyring.backend.KeyringBackend) -> bool:
    name = type(backend).__module__ + "." + type(backend).__name__
    if "fail" in name.lower() or "null" in name.lower() or "plaintext" in name.lower():
        return True
    try:
        priority = float(backend.priority)  # type: ignore[arg-type]
    except Exception:  # a backend whose priority itself fails is unusable
        return True
    return priority <= 0


def warm() -> None:
    """Choose the keyring backend now (it imports and probes every backend, ~0.5 s), in a
    worker thread at start-up, so signing in does not wait for it."""
    keyring.get_keyring()


class TokenStore:
    """Reads and writes one refresh token per account (server URL + user) in the keyring."""

    def __init__(self, service: str = SERVICE) -> None:
        self._service = service

    def status(self) -> StoreStatus:
        backend = keyring.get_keyring()
        name = type(backend).__name__
        if _is_insecure_or_failing(backend):
            return StoreStatus(False, name, f"keyring backend {name} cannot store secrets safely")
        return StoreStatus(True, name)

    def save(self, account: str, token: str) -> bool:
        """Store the token; return False (and store nothing) when no secure store exists."""
        if not self.status().available:
            return False
        chunks = [token[i : i + CHUNK] for i in range(0, len(token), CHUNK)] or [""]
        if len(chunks) > _MAX_CHUNKS:
            raise ValueError("token too large to store")
        try:
            self.clear(account)
            keyring.set_password(self._service, account, f"chunks:{len(chunks)}")
            for i, chunk in enumerate(chunks):
                keyring.set_password(self._service, f"{account}#{i}", chunk)
        except keyring.errors.KeyringError as exc:
            log.warning("could not store the refresh token in the keyring: %s", type(exc).__name__)
            self.clear(account)
            return False
        return True

    def load(self, account: str) -> str | None:
        try:
            head = keyring.get_password(self._service, account)
            if not head or not head.startswith("chunks:"):
                return None
            count = int(head.split(":", 1)[1])
            parts = []
            for i in range(min(count, _MAX_CHUNKS)):
                part = keyring.get_password(self._service, f"{account}#{i}")
                if part is None:
                    return None  # a partial token is no token
                parts.append(part)
            return "".join(parts)
        except (keyring.errors.KeyringError, ValueError):
            return None

    def clear(self, account: str) -> None:
        """Remove every chunk; used by sign-out and before each save."""
        try:
            head = keyring.get_password(self._service, account)
        except keyring.errors.KeyringError:
            return
        if head is None:
            return
        count = _MAX_CHUNKS
        if head.startswith("chunks:"):
            try:
                count = int(head.split(":", 1)[1])
            except ValueError:
                pass
        for key in [account, *(f"{account}#{i}" for i in range(count))]:
            try:
                keyring.delete_password(self._service, key)
            except keyring.errors.KeyringError:
                pass
