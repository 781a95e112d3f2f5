"""Tokens follow the account: each request checks that the account behind its token still
holds, through a short cache, so deactivating a user (``Practitioner.active = false``, the
sign-in account) or a role (``PractitionerRole.active = false``) stops her tokens within
:data:`TTL` seconds on every worker, and at once on the worker that made the change.

Long-lived connections (the notification and subscription WebSockets) ask again every second
(:func:`watch`) and are closed when the answer turns.
"""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Callable

from anyio import to_thread

from server.auth.principal import Principal

TTL = 2.0  # seconds an answer is reused (the worst case for another worker is this)
MAX_ENTRIES = 10_000


class AccountCheck:
    """Cached :meth:`AuthStore.account_problem` answers per token identity."""

    def __init__(self, problem: Callable[[Principal], str | None], ttl: float = TTL) -> None:
        self._problem = problem
        self._ttl = ttl
        self._lock = threading.Lock()
        self._cache: dict[tuple[object, ...], tuple[float, str | None]] = {}
        self._generation = 0

    @staticmethod
    def _key(principal: Principal) -> tuple[object, ...]:
        return (
            principal.kind,
            principal.sub,
            principal.client_id,
            principal.username,
            principal.assignments,
        )

    def cached(self, principal: Principal) -> tuple[bool, str | None]:
        """(known, problem): known is False when the account must be looked at again."""
        now = time.monotonic()
        with self._lock:
            hit = self._cache.get(self._key(principal))
        if hit is None or now - hit[0] > self._ttl:
            return False, None
        return True, hit[1]

    def refresh(self, principal: Principal) -> str | None:
        """Look the account up (blocking: run it in a worker thread) and remember the answer."""
        with self._lock:
            generation = self._generation
        problem = self._problem(principal)
        with self._lock:
            if generation == self._generation:  # not invalidated while we looked
                if len(self._cache) >= MAX_ENTRIES:
                    self._cache.clear()
                self._cache[self._key(principal)] = (time.monotonic(), problem)
        return problem

    async def problem(self, principal: Principal) -> str | None:
        known, problem = self.cached(principal)
        if known:
            return problem
        return await to_thread.run_sync(self.refresh, principal)

    def invalidate(self) -> None:
        with self._lock:
            self._cache.clear()
            self._generation += 1


async def watch(check: AccountCheck, principal: Principal, period: float = 1.0) -> str:
    """Return (with the reason) once the principal's token no longer holds: the account
    changed, or the token expired."""
    while True:
        await asyncio.sleep(period)
        if principal.exp and principal.exp + 30 < time.time():
            return "the access token has expired"
        problem = await check.problem(principal)
        if problem is not None:
            return problem
