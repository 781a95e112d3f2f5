"""Sign-in abuse: progressive delays instead of a lock an attacker can trigger.

Failed attempts are counted per key, in the database (every worker and ``dho-server unlock``
see the same counts):

=================  ==========================================  ======  ====================
key                counts failures of                          cap     applies
=================  ==========================================  ======  ====================
pair               this user name from this client address     300 s   always
name               this user name, from anywhere               60 s    not from her known
                                                                       addresses
address            any user name from this client address      300 s   not for a user at
                                                                       her known address
global             every user name from everywhere (spraying)  30 s    not for a user at
                                                                       her known address
=================  ==========================================  ======  ====================

After :attr:`Policy.free` failures of a key, the next attempt waits ``base × 2^(n − free)``
seconds (capped) after the latest failure; the global key counts failures in a sliding
window and, past :attr:`Policy.global_limit`, makes unknown (user, address) pairs wait too.
A key forgets its failures after :attr:`Policy.forget` seconds of quiet, and a success clears
the pair and the name. While a delay runs, attempts are answered at once without checking the
password, so guessing is bounded by the delays, not by the server's patience.

An address becomes *known* for a user when she signs in from it. So a nurse at her own
workstation is slowed only by her own typing errors (the pair key), never by an attacker
hammering her user name from elsewhere; after the delay she gets in, and a lead (or an
administrator) can clear her counts at once: ``POST /fhir/Practitioner/{id}/$unlock-sign-in``
or ``dho-server unlock USER``.

The client-secret checks of the token endpoint use the same machinery with client ids.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import Engine, delete, insert, select, update
from sqlalchemy.exc import IntegrityError

from server.auth.schema import auth_known_address, auth_throttle

KNOWN_FOR_US = 90 * 86_400 * 1_000_000  # an address stays known this long after a success


@dataclass(frozen=True)
class Policy:
    free: int = 3  # failures per key before any delay
    base: float = 1.0  # seconds of the first delay
    pair_cap: float = 300.0
    name_cap: float = 60.0
    address_cap: float = 300.0
    global_limit: int = 200  # failures across all users per window before everyone waits ...
    global_window: float = 300.0
    global_delay: float = 30.0  # ... this long (unknown pairs only)
    forget: float = 900.0  # seconds of quiet after which a key's failures are forgotten
    #: Most keys kept; beyond it the oldest are dropped (a flood of random names stays small).
    max_rows: int = 100_000


class SignInThrottle:
    """Counts failed sign-ins and says how long the next attempt must wait."""

    def __init__(
        self,
        engine: Engine,
        policy: Policy | None = None,
        *,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.engine = engine
        self.policy = policy or Policy()
        self._clock = clock
        self._writes = 0

    # ----- keys -------------------------------------------------------------------------------

    @staticmethod
    def _keys(kind: str, name: str, address: str) -> dict[str, str]:
        name = name.strip().lower()[:128]
        address = address[:64]
        return {
            "pair": f"{kind}|pair|{name}|{address}",
            "name": f"{kind}|name|{name}",
            "address": f"{kind}|addr|{address}",
            "global": f"{kind}|global",
        }

    def _now_us(self) -> int:
        return int(self._clock() * 1_000_000)

    def known(self, name: str, address: str) -> bool:
        """Whether ``name`` signed in from ``address`` before (within 90 days)."""
        name = name.strip().lower()[:128]
        with self.engine.connect() as conn:
            last = conn.execute(
                select(auth_known_address.c.last_us).where(
                    auth_known_address.c.username == name,
                    auth_known_address.c.address == address[:64],
                )
            ).scalar()
        return last is not None and last >= self._now_us() - KNOWN_FOR_US

    # ----- the three calls a sign-in makes ------------------------------------------------------

    def wait(self, kind: str, name: str, address: str) -> float:
        """Seconds until ``name`` may try again from ``address`` (0: go ahead)."""
        p = self.policy
        keys = self._keys(kind, name, address)
        now = self._now_us()
        with self.engine.connect() as conn:
            rows = {
                r.key: r
                for r in conn.execute(
                    select(auth_throttle).where(auth_throttle.c.key.in_(list(keys.values())))
                )
            }
        known = kind == "user" and self.known(name, address)
        caps = {"pair": p.pair_cap, "name": p.name_cap, "address": p.address_cap}
        waits = [0.0]
        for which, cap in caps.items():
            if known and which != "pair":
                continue
            row = rows.get(keys[which])
            if row is None or now - row.last_us > p.forget * 1e6:
                continue
            over = row.failures - p.free
            if over >= 0:
                delay = min(cap, p.base * 2**over)
                waits.append(row.last_us / 1e6 + delay - now / 1e6)
        row = rows.get(keys["global"])
        if not known and row is not None and now - row.first_us <= p.global_window * 1e6:
            if row.failures >= p.global_limit:
                waits.append(min(p.global_delay, row.first_us / 1e6 + p.global_window - now / 1e6))
        return max(0.0, max(waits))

    def failed(self, kind: str, name: str, address: str) -> None:
        """Count a failed attempt under every key."""
        p = self.policy
        now = self._now_us()
        with self.engine.begin() as conn:
            for which, key in self._keys(kind, name, address).items():
                window = p.global_window if which == "global" else p.forget
                row = conn.execute(select(auth_throttle).where(auth_throttle.c.key == key)).first()
                if row is None:
                    try:
                        with conn.begin_nested():
                            conn.execute(
                                insert(auth_throttle).values(
                                    key=key, failures=1, first_us=now, last_us=now
                                )
                            )
                        continue
                    except IntegrityError:  # another worker inserted it: count on top
                        row = conn.execute(
                            select(auth_throttle).where(auth_throttle.c.key == key)
                        ).first()
                        assert row is not None
                if which == "global":
                    stale = now - row.first_us > window * 1e6
                else:
                    stale = now - row.last_us > window * 1e6
                values = (
                    {"failures": 1, "first_us": now, "last_us": now}
                    if stale
                    else {"failures": auth_throttle.c.failures + 1, "last_us": now}
                )
                conn.execute(update(auth_throttle).where(auth_throttle.c.key == key).values(values))
        self._writes += 1
        if self._writes % 100 == 0:
            self.prune()

    def succeeded(self, kind: str, name: str, address: str) -> None:
        """Clear the pair and the name; remember the address as hers."""
        keys = self._keys(kind, name, address)
        now = self._now_us()
        with self.engine.begin() as conn:
            conn.execute(
                delete(auth_throttle).where(auth_throttle.c.key.in_([keys["pair"], keys["name"]]))
            )
            if kind != "user":
                return
            username = name.strip().lower()[:128]
            k = auth_known_address.c
            done = conn.execute(
                update(auth_known_address)
                .where(k.username == username, k.address == address[:64])
                .values(last_us=now)
            ).rowcount
            if not done:
                try:
                    with conn.begin_nested():
                        conn.execute(
                            insert(auth_known_address).values(
                                username=username, address=address[:64], last_us=now
                            )
                        )
                except IntegrityError:
                    pass

    # ----- administration -----------------------------------------------------------------------

    def unlock(self, kind: str, name: str) -> int:
        """Forget every failure under ``name`` (and of the addresses it failed from); returns
        how many keys were cleared. A lead's or administrator's act."""
        name = name.strip().lower()[:128]
        pair_prefix = f"{kind}|pair|{name}|"
        with self.engine.begin() as conn:
            pairs = list(
                conn.execute(
                    select(auth_throttle.c.key).where(auth_throttle.c.key.startswith(pair_prefix))
                ).scalars()
            )
            addresses = [f"{kind}|addr|{k[len(pair_prefix) :]}" for k in pairs]
            keys = [*pairs, f"{kind}|name|{name}", *addresses]
            return int(
                conn.execute(delete(auth_throttle).where(auth_throttle.c.key.in_(keys))).rowcount
                or 0
            )

    def prune(self) -> None:
        """Drop keys quiet for longer than they are remembered; keep at most ``max_rows``."""
        p = self.policy
        cutoff = self._now_us() - int(max(p.forget, p.global_window) * 1e6)
        with self.engine.begin() as conn:
            conn.execute(delete(auth_throttle).where(auth_throttle.c.last_us < cutoff))
            surplus = (
                conn.execute(select(auth_throttle.c.key).offset(p.max_rows).limit(1)).first()
                is not None
            )
            if surplus:
                keep = (
                    select(auth_throttle.c.key)
                    .order_by(auth_throttle.c.last_us.desc())
                    .limit(p.max_rows)
                    .scalar_subquery()
                )
                conn.execute(delete(auth_throttle).where(auth_throttle.c.key.not_in(keep)))
