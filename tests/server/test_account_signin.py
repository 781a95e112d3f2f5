"""Tokens follow the account, sign-in abuse meets delays an attacker cannot turn against a nurse,
a lead can unlock her, and a training backend offers its users (issue 10, issue 15).

Attacks come from other loopback addresses (127.0.0.2, ...: Linux routes all of 127/8 to the
loopback device), so the server sees distinct client addresses. SQLite and PostgreSQL.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from websockets.exceptions import ConnectionClosed

from server.auth.context import AuthSettings
from server.auth.throttle import Policy
from server.profile import ServerProfile
from server.store import Store
from tests.server.inprocess import AppClient, serve_in_thread
from tests.server.test_auth_helpers import (
    Seeded,
    authorize_params,
    bearer,
    flush_audit,
    hidden_request,
    login,
    pkce,
    seeded,
    token_headers,
    tokens_for,
)

__all__ = ["seeded"]  # fixture

SANDNES = "hjemmesykepleien-sandnes"
IKART = "ikart"
POLICY = Policy(base=0.4, global_limit=12, global_window=60, global_delay=30)


@pytest.fixture
def signin_client(store: Store, seeded: Seeded) -> Iterator[AppClient]:
    settings = AuthSettings(enabled=True, audit_interval=3600, throttle=POLICY)
    with serve_in_thread(
        store, heartbeat=0.3, auth=settings, profile=ServerProfile.TRAINING
    ) as client:
        yield client


def from_address(client: AppClient, address: str) -> httpx.Client:
    """A client of the same server whose connections come from ``address`` (127.x.y.z)."""
    return httpx.Client(
        base_url=str(client.base_url),
        transport=httpx.HTTPTransport(local_address=address),
        timeout=10,
    )


def _refresh(client: httpx.Client, token: str) -> httpx.Response:
    return client.post(
        "/oauth2/token",
        data={"grant_type": "refresh_token", "refresh_token": token, "client_id": "dho-console"},
    )


def _refused_within(client: AppClient, headers: dict[str, str], seconds: float) -> float:
    start = time.monotonic()
    while time.monotonic() - start < seconds:
        r = client.get("/fhir/Organization?_summary=count", headers=headers)
        if r.status_code == 401:
            return time.monotonic() - start
        assert r.status_code == 200
        time.sleep(0.1)
    raise AssertionError(f"the token still worked after {seconds} s")


def test_deactivated_user_loses_her_tokens_within_5_seconds(
    signin_client: AppClient, seeded: Seeded, store: Store
) -> None:
    c = signin_client
    nurse = seeded.user("nurse", SANDNES)
    tokens = tokens_for(c, nurse.username)
    headers = {"Authorization": f"Bearer {tokens['access_token']}"}
    assert c.get("/fhir/Organization?_summary=count", headers=headers).status_code == 200
    from websockets.sync.client import connect

    with connect(
        c.ws_base + "/ws/notifications?types=Observation",
        additional_headers=headers,
        open_timeout=5,
    ) as live:
        assert '"handshake"' in str(live.recv(timeout=5))
        # Deactivated behind this worker's back (as another worker or the database would):
        # only the short account cache stands between her token and the refusal.
        current = store.read("Practitioner", nurse.practitioner_id)
        assert current is not None
        body = {**current.resource(), "active": False}
        store.update("Practitioner", nurse.practitioner_id, body, current.version_id)
        assert _refused_within(c, headers, 5.0) <= 5.0
        closed_at = time.monotonic()
        with pytest.raises(ConnectionClosed) as closed:
            while time.monotonic() - closed_at < 5:
                live.recv(timeout=5)
        assert closed.value.rcvd is not None and closed.value.rcvd.code == 1008
    refused = _refresh(c, tokens["refresh_token"])
    assert refused.status_code == 400 and refused.json()["error"] == "invalid_grant"
    response, _ = login(c, nurse.username)
    assert response.status_code == 403  # the password is right; the user is not active


def test_deactivated_role_stops_tokens_and_refresh(
    signin_client: AppClient, seeded: Seeded
) -> None:
    c = signin_client
    nurse = seeded.user("nurse", IKART)
    admin = token_headers(c, "admin")
    tokens = tokens_for(c, nurse.username)
    headers = {"Authorization": f"Bearer {tokens['access_token']}"}
    roles = c.get(
        f"/fhir/PractitionerRole?practitioner=Practitioner/{nurse.practitioner_id}", headers=admin
    ).json()["entry"]
    for entry in roles:
        role = entry["resource"]
        r = c.put(
            f"/fhir/PractitionerRole/{role['id']}",
            json={**role, "active": False},
            headers={**admin, "If-Match": f'W/"{role["meta"]["versionId"]}"'},
        )
        assert r.status_code == 200
    assert _refused_within(c, headers, 5.0) <= 5.0
    assert _refresh(c, tokens["refresh_token"]).status_code == 400


def test_an_attacker_cannot_lock_a_nurse_out(signin_client: AppClient, seeded: Seeded) -> None:
    c = signin_client
    nurse = seeded.user("nurse", SANDNES)
    tokens_for(c, nurse.username)  # she has signed in from her workstation (127.0.0.1) before
    with from_address(c, "127.0.0.2") as attacker:
        # More tries than the old fixed lock-out allowed (10), so a lock would show.
        statuses = [login(attacker, nurse.username, f"gjett-{i}")[0].status_code for i in range(15)]
        # Progressive delays: the first few are checked, then answered at once without
        # looking at the password.
        assert statuses[:3] == [401, 401, 401] and 429 in statuses
        # Even the right password is refused from there while the delay runs.
        assert login(attacker, nurse.username)[0].status_code == 429
    # From her own workstation she gets in at once.
    response, _ = login(c, nurse.username)
    assert response.status_code == 303, response.text


def test_a_nurse_gets_in_after_her_own_delay_and_a_lead_can_unlock_her(
    signin_client: AppClient, seeded: Seeded
) -> None:
    c = signin_client
    nurse = seeded.user("nurse", SANDNES)
    for i in range(POLICY.free):
        assert login(c, nurse.username, f"feil-{i}")[0].status_code == 401
    waiting, _ = login(c, nurse.username)
    assert waiting.status_code == 429 and 'role="alert"' in waiting.text
    assert "Vent" in waiting.text
    time.sleep(POLICY.base + 0.2)  # the first delay
    assert login(c, nurse.username)[0].status_code == 303
    # Typing wrong many times: a long delay, which her lead clears.
    for i in range(7):
        login(c, nurse.username, f"feil-{i}")
    assert login(c, nurse.username)[0].status_code == 429
    path = f"/fhir/Practitioner/{nurse.practitioner_id}/$unlock-sign-in"
    colleague = token_headers(c, seeded.user("nurse", SANDNES).username)
    assert c.post(path, headers=colleague).status_code == 403  # not a nurse's act
    other_lead = token_headers(c, seeded.user("lead", "felles-responssenter-sor-rogaland").username)
    # (the shared centre's lead covers Sandnes too: she may)
    r = c.post(path, headers=other_lead)
    assert r.status_code == 200, r.text
    assert login(c, nurse.username)[0].status_code == 303
    for i in range(7):
        login(c, nurse.username, f"feil-{i}")
    ikart_lead_like = token_headers(c, seeded.user("nurse", IKART).username)
    assert c.post(path, headers=ikart_lead_like).status_code == 403
    own_lead = token_headers(c, seeded.user("lead", SANDNES).username)
    assert c.post(path, headers=own_lead).status_code == 200
    assert login(c, nurse.username)[0].status_code == 303
    # Each unlock is audited: who unlocked whose sign-in, from where.
    flush_audit(c)
    admin = token_headers(c, "admin")
    events = c.get(
        "/fhir/AuditEvent",
        params={"entity": f"Practitioner/{nurse.practitioner_id}", "_count": "50"},
        headers=admin,
    ).json()
    unlocks = [
        e["resource"]
        for e in events.get("entry", [])
        if e["resource"]["subtype"][0]["code"] == "unlock-sign-in"
    ]
    assert sorted(u["agent"][0]["altId"] for u in unlocks) == sorted(
        [
            seeded.user("lead", "felles-responssenter-sor-rogaland").username,
            seeded.user("lead", SANDNES).username,
        ]
    )


def test_spraying_across_users_is_limited_but_known_workstations_get_in(
    signin_client: AppClient, seeded: Seeded
) -> None:
    c = signin_client
    nurse = seeded.user("nurse", IKART)
    tokens_for(c, nurse.username)  # known at 127.0.0.1
    names = [s.username for s in seeded.staff if s.username != nurse.username]
    # A botnet: each address stays under its own delay (free tries), one password per name.
    tried = 0
    for n in range((POLICY.global_limit + POLICY.free - 1) // POLICY.free):
        with from_address(c, f"127.0.1.{n + 1}") as bot:
            for name in names[n * POLICY.free : (n + 1) * POLICY.free]:
                assert login(bot, name, "Sommer2026!")[0].status_code == 401
                tried += 1
    assert tried >= POLICY.global_limit
    # Past the global limit an untried name from a fresh address waits too ...
    with from_address(c, "127.0.2.1") as fresh:
        assert login(fresh, names[-1])[0].status_code == 429
    assert login(c, nurse.username)[0].status_code == 303


def test_client_secret_guessing_is_limited(signin_client: AppClient) -> None:
    c = signin_client
    with from_address(c, "127.0.0.6") as guesser:
        answers = [
            guesser.post(
                "/oauth2/token",
                data={"grant_type": "client_credentials"},
                auth=("dho-integration", f"gjett-{i}"),
            )
            for i in range(6)
        ]
        assert [a.status_code for a in answers[:3]] == [401, 401, 401]
        slow = [a for a in answers if a.status_code == 429]
        assert slow and int(slow[0].headers["retry-after"]) >= 1
        right = guesser.post(
            "/oauth2/token",
            data={"grant_type": "client_credentials"},
            auth=("dho-integration", "trening-integrasjon"),
        )
        assert right.status_code == 429  # refused without checking while the delay runs


def test_training_backend_lists_its_users_and_the_page_speaks_nb_nn_en(
    signin_client: AppClient, seeded: Seeded, store: Store
) -> None:
    c = signin_client
    listed = c.get("/oauth2/training-users")
    assert listed.status_code == 200
    users = {u["username"]: u for u in listed.json()["users"]}
    nurse = seeded.user("nurse", SANDNES)
    assert users[nurse.username]["name"] == nurse.name
    assert {"code": "nurse", "organization": "Hjemmesykepleien Sandnes"} in users[nurse.username][
        "roles"
    ]
    assert not any(name.startswith(("pasient-", "parorende-")) for name in users)
    # Signed in from the list: the token says it is a training user.
    claims = _claims(tokens_for(c, nurse.username)["access_token"])
    assert claims["training"] is True
    _, challenge = pkce()
    for lang, label, button in (
        ("nn", "Brukarnamn", "Logg inn"),
        ("en", "User name", "Sign in"),
        ("nb", "Brukernavn", "Logg inn"),
    ):
        page = c.get("/oauth2/authorize", params=authorize_params(challenge, ui_locales=lang))
        assert f'<html lang="{lang}">' in page.text
        assert f'<label for="username">{label}</label>' in page.text
        assert f'<button type="submit">{button}</button>' in page.text
    page = c.get("/oauth2/authorize", params=authorize_params(challenge, ui_locales="en"))
    form = {"request": hidden_request(page.text), "username": nurse.username, "password": "x"}
    wrong = c.post("/oauth2/authorize", data=form)
    assert "Wrong user name or password." in wrong.text and '<html lang="en">' in wrong.text
    # The browser's language when the console says nothing.
    page = c.get(
        "/oauth2/authorize",
        params=authorize_params(challenge),
        headers={"Accept-Language": "nn-NO,nn;q=0.9"},
    )
    assert '<html lang="nn">' in page.text


def test_training_users_are_not_listed_outside_the_training_profile(
    store: Store, seeded: Seeded
) -> None:
    settings = AuthSettings(enabled=True, audit_interval=3600)
    with serve_in_thread(store, auth=settings, profile=ServerProfile.NORMAL) as client:
        assert client.get("/oauth2/training-users").status_code == 404
        assert bearer(client, "admin")  # sign-in itself works as before


def _claims(token: str) -> dict[str, Any]:
    import base64
    import json

    payload = token.split(".")[1]
    data: dict[str, Any] = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    return data


def test_each_backend_in_a_process_lists_its_own_training_users() -> None:
    """The sign-in page's list is kept per backend: a second backend started in the same
    process within the minute (tests, xdist) got the first one's users before."""
    from types import SimpleNamespace

    from server.api.auth_routes import _training_users

    def backend(*names: str) -> Any:
        accounts = SimpleNamespace(is_training=lambda: True, training_users=lambda: list(names))
        return SimpleNamespace(accounts=accounts, training_users=None)

    first, second = backend("anne"), backend("berit")
    assert _training_users(first) == ["anne"]
    assert _training_users(second) == ["berit"]
    assert _training_users(first) == ["anne"]
