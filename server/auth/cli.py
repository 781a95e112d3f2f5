"""Command-line pieces of ``dho-server`` for sign-in: set-up at start, ``token``, ``passwd``."""

from __future__ import annotations

import argparse
import getpass
import sys

from server.auth.accounts import (
    CONSOLE_CLIENT,
    INTEGRATION_CLIENT,
    AuthStore,
)
from server.auth.context import AuthContext, AuthSettings
from server.auth.principal import Principal
from server.store import Store

# An organization only the synthetic (training) population has.
TRAINING_MARKER_ORG = "felles-responssenter-sor-rogaland"


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def prepare(store: Store, *, seeded: bool, enabled: bool) -> None:
    """Create the auth tables; give the seeded training staff their password; print how to
    sign in (stderr)."""
    accounts = AuthStore(store)
    accounts.create_schema()
    accounts.ensure_clients()
    training = accounts.is_training()
    if seeded or (not training and store.read("Organization", TRAINING_MARKER_ORG) is not None):
        added = accounts.provision_training()
        if added:
            log(f"auth: {added} training users get the training password (see the README)")
        training = True
    elif training and not accounts.app_users():  # a training database from before app users
        accounts.provision_training()
    if not enabled:
        log("auth: OFF (--auth off): no sign-in, no department scoping, no AuditEvents")
        return
    if not training:
        log("auth: on; set a password with `dho-server passwd USER`")
        return
    lines = [
        # Passwords and secrets never go to a log, not even the training ones (the README and
        # the training login page say them).
        "auth: on. Training backend: every user below has the training password (README)",
    ]
    for user in accounts.training_users():
        roles = "; ".join(f"{role} @ {org}" for role, org in user.roles) or "no role"
        lines.append(f"  {user.username:<22} {roles}")
    app_users = _app_user_lines(store, accounts)
    if app_users:
        lines.append("  patient app (patients and relatives; own record and patient thread only):")
        lines += app_users
    lines.append(
        f"  service client: {INTEGRATION_CLIENT} (client_credentials; training secret in README)"
    )
    lines.append("  a token for scripts: dho-server token USER [--db URL] [--minutes N]")
    log("\n".join(lines))


def _app_user_lines(store: Store, accounts: AuthStore) -> list[str]:
    from server.auth.patient_accounts import describe

    lines = []

    def order(item: tuple[str, str]) -> tuple[int, bool, str]:
        """pasient-1, parorende-1, pasient-2, ...; other names last."""
        number = item[0].rpartition("-")[2]
        patient_first = not item[1].startswith("Patient/")
        return (int(number) if number.isdigit() else 1 << 30, patient_first, item[0])

    for username, link in sorted(accounts.app_users(), key=order):
        user = describe(store, username, link)
        if user is not None:
            lines.append(f"    {username:<20} {user.name}")
    return lines


def _db_url(value: str | None) -> str:
    if value:
        return value
    from server.cli import default_db_url

    return default_db_url()


def token_main(argv: list[str]) -> int:
    """``dho-server token USER``: print an access token for USER (a user name, or the id of a
    service client) signed with this installation's key. Works without the server running."""
    p = argparse.ArgumentParser(prog="dho-server token", description=token_main.__doc__)
    p.add_argument("user", help="user name (e.g. admin) or service client id")
    p.add_argument("--db", default=None, help="SQLAlchemy URL (default: SQLite in the data dir)")
    p.add_argument("--minutes", type=float, default=60.0, help="lifetime (default 60)")
    args = p.parse_args(argv)
    store = Store(_db_url(args.db))
    try:
        ctx = AuthContext.create(store, AuthSettings(enabled=True, audit=False))
        principal: Principal | None = ctx.accounts.load_user(args.user, CONSOLE_CLIENT)
        if principal is None:
            client = ctx.accounts.client(args.user)
            if client is not None and not client.public:
                principal = ctx.accounts.service_principal(client)
        if principal is None:
            print(f"dho-server token: no user or service client {args.user!r}", file=sys.stderr)
            return 2
        print(ctx.issue(principal, lifetime=max(1, int(args.minutes * 60))), flush=True)
    finally:
        store.close()
    return 0


def passwd_main(argv: list[str]) -> int:
    """``dho-server passwd USER``: set USER's password (read from stdin, or prompted)."""
    p = argparse.ArgumentParser(prog="dho-server passwd", description=passwd_main.__doc__)
    p.add_argument("user")
    p.add_argument("--db", default=None, help="SQLAlchemy URL (default: SQLite in the data dir)")
    args = p.parse_args(argv)
    password = (
        getpass.getpass("Nytt passord: ") if sys.stdin.isatty() else sys.stdin.readline().strip()
    )
    if len(password) < 8:
        print("dho-server passwd: at least 8 characters", file=sys.stderr)
        return 2
    store = Store(_db_url(args.db))
    try:
        accounts = AuthStore(store)
        accounts.create_schema()
        try:
            accounts.set_password(args.user, password)
        except KeyError as exc:
            print(f"dho-server passwd: {exc.args[0]}", file=sys.stderr)
            return 2
    finally:
        store.close()
    return 0


def unlock_main(argv: list[str]) -> int:
    """``dho-server unlock USER``: clear USER's sign-in delays (after too many wrong passwords),
    as a lead does with ``POST /fhir/Practitioner/{id}/$unlock-sign-in``. For IT on the server."""
    from server.auth.throttle import SignInThrottle

    p = argparse.ArgumentParser(prog="dho-server unlock", description=unlock_main.__doc__)
    p.add_argument("user", help="the user name")
    p.add_argument("--db", default=None, help="SQLAlchemy URL (default: SQLite in the data dir)")
    args = p.parse_args(argv)
    store = Store(_db_url(args.db))
    try:
        accounts = AuthStore(store)
        accounts.create_schema()
        cleared = SignInThrottle(store.engine).unlock("user", args.user)
    finally:
        store.close()
    print(f"cleared {cleared} sign-in delay record(s) of {args.user}", flush=True)
    return 0
