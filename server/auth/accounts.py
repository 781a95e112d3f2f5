"""Accounts, clients, authorization codes and refresh tokens, on the store's database.

Users are Practitioners (FHIR) with a ``http://dho.example/fhir/sid/username`` identifier; their
roles are PractitionerRoles. Only the password hash lives here (``auth_user``), never in FHIR.
Everything is synchronous SQLAlchemy Core; the routes call it in a worker thread.
"""

from __future__ import annotations

import secrets
import time
import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Engine, and_, insert, select, update
from sqlalchemy.exc import IntegrityError

from server.auth.passwords import hash_password, token_hash, verify_password
from server.auth.principal import SERVICE, Principal, RoleAssignment
from server.auth.schema import (
    AUTH_TABLES,
    auth_client,
    auth_code,
    auth_metadata,
    auth_refresh,
    auth_setting,
    auth_user,
)
from server.store import Store
from server.store import search as s
from server.store.registry import RESOURCE_TYPES

USERNAME_SYSTEM = "http://dho.example/fhir/sid/username"
HPR_SYSTEM = "urn:oid:2.16.578.1.12.4.1.4.4"
PRACTITIONER_ROLE_SYSTEM = "http://dho.example/fhir/CodeSystem/practitioner-role"

TRAINING_PASSWORD = "trening"
CONSOLE_CLIENT = "dho-console"
INTEGRATION_CLIENT = "dho-integration"
TRAINING_CLIENT_SECRET = "trening-integrasjon"

CODE_LIFETIME_US = 60 * 1_000_000
REFRESH_LIFETIME_US = 12 * 3600 * 1_000_000


def now_us() -> int:
    return time.time_ns() // 1000


@dataclass(frozen=True)
class Client:
    client_id: str
    name: str
    public: bool
    grant_types: frozenset[str]


@dataclass(frozen=True)
class TrainingUser:
    username: str
    name: str
    roles: tuple[tuple[str, str], ...]  # (role code, organization name)


@dataclass(frozen=True)
class RefreshRecord:
    family: str
    client_id: str
    username: str
    scope: str


class ReuseDetected(Exception):
    """A rotated (already used) refresh token was presented; its family is now revoked."""


class AuthStore:
    """Auth tables on the FHIR store's engine (SQLite or PostgreSQL)."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.engine: Engine = store.engine
        self._key: bytes | None = None

    # ----- set-up ----------------------------------------------------------------------------

    def create_schema(self) -> None:
        auth_metadata.create_all(self.engine, tables=list(AUTH_TABLES))

    def _setting(self, name: str) -> str | None:
        with self.engine.connect() as conn:
            value = conn.execute(
                select(auth_setting.c.value).where(auth_setting.c.name == name)
            ).scalar()
        return None if value is None else str(value)

    def _set_default(self, name: str, value: str) -> str:
        """Insert a setting unless present (race-safe across workers); return the stored one."""
        try:
            with self.engine.begin() as conn:
                conn.execute(insert(auth_setting).values(name=name, value=value))
        except IntegrityError:
            pass
        stored = self._setting(name)
        assert stored is not None
        return stored

    def signing_key(self) -> bytes:
        """The per-installation HS256 key (created on first use, shared by all workers)."""
        if self._key is None:
            self._key = bytes.fromhex(self._set_default("jwt_key", secrets.token_hex(32)))
        return self._key

    def is_training(self) -> bool:
        return self._setting("training") == "1"

    def ensure_clients(self) -> None:
        """The public console client exists in every installation."""
        self._add_client(
            CONSOLE_CLIENT,
            "DHO responssenterkonsoll",
            public=True,
            secret=None,
            grant_types="authorization_code refresh_token",
        )

    def _add_client(
        self, client_id: str, name: str, *, public: bool, secret: str | None, grant_types: str
    ) -> None:
        try:
            with self.engine.begin() as conn:
                conn.execute(
                    insert(auth_client).values(
                        client_id=client_id,
                        name=name,
                        public=public,
                        secret_hash=None if secret is None else hash_password(secret),
                        grant_types=grant_types,
                        active=True,
                    )
                )
        except IntegrityError:
            pass

    def provision_training(self) -> int:
        """Give every seeded Practitioner with a user name the training password.

        Marks the installation as a training backend; returns how many users were added.
        """
        self._set_default("training", "1")
        self._add_client(
            INTEGRATION_CLIENT,
            "Integrasjon (trening)",
            public=False,
            secret=TRAINING_CLIENT_SECRET,
            grant_types="client_credentials",
        )
        with self.engine.connect() as conn:
            existing = set(conn.execute(select(auth_user.c.username)).scalars())
        added = 0
        # One hash for all: the same password; the salt is per hash, so reuse is harmless here
        # and seeding 20 users costs one scrypt instead of 20.
        hashed = hash_password(TRAINING_PASSWORD)
        rows = []
        for practitioner in self.store.all_of_type("Practitioner"):
            username = _identifier(practitioner, USERNAME_SYSTEM)
            if username and username not in existing:
                rows.append(
                    {
                        "username": username,
                        "practitioner_id": practitioner["id"],
                        "password_hash": hashed,
                        "active": True,
                        "training": True,
                        "created_us": now_us(),
                    }
                )
        # Patient-app users (server.auth.patient_accounts): pasient-<n> and parorende-<n>.
        from server.auth.patient_accounts import training_candidates

        for app_user in training_candidates(self.store):
            if app_user.username not in existing:
                rows.append(
                    {
                        "username": app_user.username,
                        "practitioner_id": app_user.link,
                        "password_hash": hashed,
                        "active": True,
                        "training": True,
                        "created_us": now_us(),
                    }
                )
        if rows:
            with self.engine.begin() as conn:
                conn.execute(insert(auth_user), rows)
            added = len(rows)
        return added

    def set_password(self, username: str, password: str) -> None:
        """Create or change a user's password (the Practitioner must exist)."""
        link = self._app_link(username)
        practitioner = {"id": link} if link else self._practitioner(username)
        if practitioner is None:
            raise KeyError(f"no Practitioner has the user name {username!r}")
        hashed = hash_password(password)
        with self.engine.begin() as conn:
            done = conn.execute(
                update(auth_user)
                .where(auth_user.c.username == username)
                .values(password_hash=hashed, practitioner_id=practitioner["id"])
            ).rowcount
            if not done:
                conn.execute(
                    insert(auth_user).values(
                        username=username,
                        practitioner_id=practitioner["id"],
                        password_hash=hashed,
                        active=True,
                        training=False,
                        created_us=now_us(),
                    )
                )

    # ----- users -----------------------------------------------------------------------------

    def check_password(self, username: str, password: str) -> bool:
        with self.engine.connect() as conn:
            row = conn.execute(
                select(auth_user.c.password_hash, auth_user.c.active).where(
                    auth_user.c.username == username
                )
            ).first()
        stored = row.password_hash if row is not None and row.active else None
        return verify_password(password, stored)

    def _practitioner(self, username: str) -> dict[str, Any] | None:
        plan = s.plan_search(
            RESOURCE_TYPES["Practitioner"], [("identifier", f"{USERNAME_SYSTEM}|{username}")]
        )
        found = self.store.search(plan).matches
        return found[0].resource() if found else None

    def _app_link(self, username: str) -> str | None:
        """``Patient/<id>`` or ``RelatedPerson/<id>`` for a patient-app account, else None."""
        from server.auth.patient_accounts import is_link

        with self.engine.connect() as conn:
            linked = conn.execute(
                select(auth_user.c.practitioner_id).where(auth_user.c.username == username)
            ).scalar()
        return linked if isinstance(linked, str) and is_link(linked) else None

    def app_users(self) -> list[tuple[str, str]]:
        """(user name, Patient/RelatedPerson reference) of every patient-app account."""
        from server.auth.patient_accounts import LINK_PREFIXES

        pid = auth_user.c.practitioner_id
        with self.engine.connect() as conn:
            rows = conn.execute(
                select(auth_user.c.username, pid)
                .where(pid.startswith(LINK_PREFIXES[0]) | pid.startswith(LINK_PREFIXES[1]))
                .order_by(auth_user.c.username)
            ).all()
        return [(str(r[0]), str(r[1])) for r in rows]

    def _user_row_active(self, username: str) -> bool:
        """False when the sign-in account itself was switched off (``auth_user.active``)."""
        with self.engine.connect() as conn:
            active = conn.execute(
                select(auth_user.c.active).where(auth_user.c.username == username)
            ).scalar()
        return active is None or bool(active)

    def load_user(self, username: str, client_id: str) -> Principal | None:
        """The Principal of an active Practitioner with this user name, with current roles
        (or of a patient-app account: server.auth.patient_accounts); None when the account,
        the Practitioner or (for staff) every role of it is inactive."""
        if not self._user_row_active(username):
            return None
        link = self._app_link(username)
        if link is not None:
            from server.auth.patient_accounts import principal_for

            return principal_for(self.store, username, link, client_id)
        practitioner = self._practitioner(username)
        if practitioner is None or practitioner.get("active") is False:
            return None
        pid = practitioner["id"]
        assignments = self.assignments_of(pid)
        if not assignments:
            return None  # a user without an active role has nothing to do here
        return Principal(
            kind="user",
            sub=pid,
            client_id=client_id,
            username=username,
            name=_name(practitioner),
            hpr=_identifier(practitioner, HPR_SYSTEM),
            assignments=assignments,
            training=self.is_training_user(username),
        )

    def username_of(self, practitioner_id: str) -> str | None:
        """The sign-in name of a Practitioner (None: she has no account here)."""
        with self.engine.connect() as conn:
            name = conn.execute(
                select(auth_user.c.username).where(auth_user.c.practitioner_id == practitioner_id)
            ).scalar()
        return None if name is None else str(name)

    def is_training_user(self, username: str) -> bool:
        with self.engine.connect() as conn:
            flag = conn.execute(
                select(auth_user.c.training).where(auth_user.c.username == username)
            ).scalar()
        return bool(flag)

    def assignments_of(self, practitioner_id: str) -> tuple[RoleAssignment, ...]:
        """The role assignments of the Practitioner's active PractitionerRoles."""
        plan = s.plan_search(
            RESOURCE_TYPES["PractitionerRole"],
            [("practitioner", f"Practitioner/{practitioner_id}"), ("_count", "1000")],
        )
        assignments: list[RoleAssignment] = []
        for st in self.store.search(plan).matches:
            role = st.resource()
            if role.get("active") is False:
                continue
            org_ref = (role.get("organization") or {}).get("reference", "")
            org = org_ref.rpartition("/")[2]
            for concept in role.get("code") or ():
                for coding in concept.get("coding") or ():
                    if coding.get("system") == PRACTITIONER_ROLE_SYSTEM and org:
                        assignments.append(RoleAssignment(str(coding.get("code")), org))
        return tuple(dict.fromkeys(assignments))

    def account_problem(self, principal: Principal) -> str | None:
        """Why a token's account no longer holds (None: it does): the user, Practitioner or
        patient link was deactivated, or a role the token carries is no longer active."""
        if principal.is_service:
            return None if self.client(principal.client_id) else "the client was deactivated"
        if principal.username and not self._user_row_active(principal.username):
            return "the account was deactivated"
        # A subject that never existed as a resource was minted with the installation's key
        # (tests, tools): nothing to follow. Deleted or deactivated ones are refused.
        if principal.is_patient:
            from server.auth.patient_accounts import principal_for

            link = principal.fhir_user or ""
            kind, _, rid = link.partition("/")
            if self.store.read(kind, rid) is None:
                return None
            found = principal_for(self.store, principal.username or "", link, principal.client_id)
            return None if found is not None else "the account was deactivated"
        st = self.store.read("Practitioner", principal.sub)
        if st is None:
            return None
        if st.deleted or st.resource().get("active") is False:
            return "the account was deactivated"
        current = set(self.assignments_of(principal.sub))
        if not current or not set(principal.assignments) <= current:
            return "a role in this token is no longer active"
        return None

    def training_users(self) -> list[TrainingUser]:
        """Users provisioned with the training password, with their roles (for the banner)."""
        with self.engine.connect() as conn:
            names = list(
                conn.execute(
                    select(auth_user.c.username)
                    .where(auth_user.c.training.is_(True))
                    .order_by(auth_user.c.username)
                ).scalars()
            )
        orgs = {o["id"]: o.get("name", o["id"]) for o in self.store.all_of_type("Organization")}
        out = []
        for username in names:
            principal = self.load_user(username, CONSOLE_CLIENT)
            if principal is None or principal.is_patient:  # app users: app_users()
                continue
            roles = tuple(
                (a.role, orgs.get(a.organization, a.organization)) for a in principal.assignments
            )
            out.append(TrainingUser(username, principal.name or "", roles))
        return out

    # ----- clients ---------------------------------------------------------------------------

    def client(self, client_id: str) -> Client | None:
        with self.engine.connect() as conn:
            row = conn.execute(
                select(auth_client).where(auth_client.c.client_id == client_id)
            ).first()
        if row is None or not row.active:
            return None
        return Client(row.client_id, row.name, bool(row.public), frozenset(row.grant_types.split()))

    def check_client_secret(self, client_id: str, secret: str) -> Client | None:
        with self.engine.connect() as conn:
            row = conn.execute(
                select(auth_client).where(auth_client.c.client_id == client_id)
            ).first()
        stored = row.secret_hash if row is not None and row.active and not row.public else None
        if not verify_password(secret, stored) or row is None:
            return None
        return Client(row.client_id, row.name, False, frozenset(row.grant_types.split()))

    def service_principal(self, client: Client) -> Principal:
        return Principal(
            kind=SERVICE, sub=client.client_id, client_id=client.client_id, name=client.name
        )

    # ----- authorization codes ---------------------------------------------------------------

    def save_code(
        self, *, client_id: str, username: str, redirect_uri: str, challenge: str, scope: str
    ) -> str:
        code = secrets.token_urlsafe(32)
        with self.engine.begin() as conn:
            conn.execute(
                insert(auth_code).values(
                    code_hash=token_hash(code),
                    client_id=client_id,
                    username=username,
                    redirect_uri=redirect_uri,
                    code_challenge=challenge,
                    scope=scope,
                    family=uuid.uuid4().hex,
                    expires_us=now_us() + CODE_LIFETIME_US,
                    used=False,
                )
            )
        return code

    def take_code(self, code: str) -> Any:
        """Mark a code used and return its row; None if unknown, expired or already used.

        A second use of a code revokes the refresh tokens issued from it (RFC 6749 §4.1.2).
        """
        h = token_hash(code)
        with self.engine.begin() as conn:
            row = conn.execute(select(auth_code).where(auth_code.c.code_hash == h)).first()
            if row is None:
                return None
            if row.used:
                conn.execute(
                    update(auth_refresh)
                    .where(auth_refresh.c.family == row.family)
                    .values(revoked=True)
                )
                return None
            taken = conn.execute(
                update(auth_code)
                .where(auth_code.c.code_hash == h, auth_code.c.used.is_(False))
                .values(used=True)
            ).rowcount
            if taken != 1 or row.expires_us < now_us():
                return None
        return row

    # ----- refresh tokens --------------------------------------------------------------------

    def issue_refresh(self, *, family: str, client_id: str, username: str, scope: str) -> str:
        token = secrets.token_urlsafe(32)
        now = now_us()
        with self.engine.begin() as conn:
            conn.execute(
                insert(auth_refresh).values(
                    token_hash=token_hash(token),
                    family=family,
                    client_id=client_id,
                    username=username,
                    scope=scope,
                    issued_us=now,
                    expires_us=now + REFRESH_LIFETIME_US,
                    used_us=None,
                    revoked=False,
                )
            )
        return token

    def rotate_refresh(self, token: str, client_id: str) -> RefreshRecord | None:
        """Use up a refresh token. None if unknown/expired/revoked/other client.

        Raises :class:`ReuseDetected` (after revoking the whole family) when the token was
        already rotated: someone holds a copy.
        """
        h = token_hash(token)
        r = auth_refresh.c
        with self.engine.begin() as conn:
            row = conn.execute(select(auth_refresh).where(r.token_hash == h)).first()
            if row is None or row.client_id != client_id:
                return None
            if row.used_us is not None and not row.revoked:
                conn.execute(
                    update(auth_refresh).where(r.family == row.family).values(revoked=True)
                )
                reuse = True
            else:
                reuse = False
                if row.revoked or row.expires_us < now_us():
                    return None
                used = conn.execute(
                    update(auth_refresh)
                    .where(and_(r.token_hash == h, r.used_us.is_(None), r.revoked.is_(False)))
                    .values(used_us=now_us())
                ).rowcount
                if used != 1:  # a concurrent refresh won the race: treat as reuse
                    conn.execute(
                        update(auth_refresh).where(r.family == row.family).values(revoked=True)
                    )
                    reuse = True
        if reuse:
            raise ReuseDetected(row.family)
        return RefreshRecord(row.family, row.client_id, row.username, row.scope)

    def revoke_refresh(self, token: str, client_id: str | None) -> bool:
        """Revoke the token's whole family (sign-out). False if it is not ours to revoke."""
        h = token_hash(token)
        r = auth_refresh.c
        with self.engine.begin() as conn:
            row = conn.execute(select(r.family, r.client_id).where(r.token_hash == h)).first()
            if row is None or (client_id is not None and row.client_id != client_id):
                return False
            conn.execute(update(auth_refresh).where(r.family == row.family).values(revoked=True))
        return True


def _identifier(resource: dict[str, Any], system: str) -> str | None:
    for ident in resource.get("identifier") or ():
        if isinstance(ident, dict) and ident.get("system") == system and ident.get("value"):
            return str(ident["value"])
    return None


def _name(resource: dict[str, Any]) -> str | None:
    for name in resource.get("name") or ():
        if name.get("text"):
            return str(name["text"])
        parts = [*name.get("given", ()), name.get("family", "")]
        text = " ".join(p for p in parts if p)
        if text:
            return text
    return None
