"""Shared set-up for the sign-in, scoping and audit tests (no tests here).

A small seeded population (the same generator as ``dho-server``) with training passwords, served
in-process with auth on, plus helpers for the PKCE login flow.
"""

from __future__ import annotations

import base64
import hashlib
import html
import re
import secrets
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest

from server.auth.accounts import TRAINING_PASSWORD, AuthStore
from server.auth.context import AuthSettings
from server.sim.population import Population, build_population
from server.store import Store
from tests.server.inprocess import AppClient, serve_in_thread

ROLE_SYSTEM = "http://dho.example/fhir/CodeSystem/practitioner-role"
USERNAME_SYSTEM = "http://dho.example/fhir/sid/username"
HPR_SYSTEM = "urn:oid:2.16.578.1.12.4.1.4.4"
REDIRECT = "http://127.0.0.1:53682/callback"
SHARED_CENTRE = "felles-responssenter-sor-rogaland"


@dataclass
class Staff:
    username: str
    practitioner_id: str
    hpr: str | None
    name: str
    role: str
    organization: str


@dataclass
class Seeded:
    population: Population
    staff: list[Staff]

    def user(self, role: str, organization: str) -> Staff:
        return next(s for s in self.staff if s.role == role and s.organization == organization)

    def patients_of(self, *departments: str) -> set[str]:
        return {
            e["patient"]["reference"].split("/")[1]
            for e in self.population.episodes
            if e["managingOrganization"]["reference"].split("/")[1] in departments
        }

    @property
    def all_patients(self) -> set[str]:
        return {p["id"] for p in self.population.patients}


def seed_store(store: Store, n_patients: int = 40) -> Seeded:
    population = build_population(n_patients, seed=1, now=datetime.now(UTC), history_days=1)
    store.bulk_load([*population.resources(), *population.history()])
    accounts = AuthStore(store)
    accounts.create_schema()
    accounts.provision_training()
    practitioners = {p["id"]: p for p in population.practitioners}
    staff = []
    for role in population.practitioner_roles:
        pid = role["practitioner"]["reference"].split("/")[1]
        p = practitioners[pid]
        ids = {i["system"]: i["value"] for i in p["identifier"]}
        staff.append(
            Staff(
                username=ids[USERNAME_SYSTEM],
                practitioner_id=pid,
                hpr=ids.get(HPR_SYSTEM),
                name=p["name"][0]["text"],
                role=role["code"][0]["coding"][0]["code"],
                organization=role["organization"]["reference"].split("/")[1],
            )
        )
    return Seeded(population, staff)


@pytest.fixture
def seeded(store: Store) -> Seeded:
    return seed_store(store)


@pytest.fixture
def auth_client(store: Store, seeded: Seeded) -> Iterator[AppClient]:
    """The app with auth on; AuditEvents are flushed by the tests (``flush_audit``)."""
    settings = AuthSettings(enabled=True, audit_interval=3600)
    with serve_in_thread(store, heartbeat=0.3, auth=settings) as client:
        yield client


def flush_audit(client: AppClient) -> int:
    written: int = client.app.state.auth.audit.flush()
    return written


def pkce() -> tuple[str, str]:
    verifier = secrets.token_urlsafe(48)
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest())
    return verifier, challenge.rstrip(b"=").decode()


def authorize_params(challenge: str, **extra: str) -> dict[str, str]:
    return {
        "response_type": "code",
        "client_id": "dho-console",
        "redirect_uri": REDIRECT,
        "state": "st-123",
        "code_challenge": challenge,
        "code_challenge_method": "S256",
        "scope": "openid fhirUser user/*.* offline_access",
        **extra,
    }


def hidden_request(page: str) -> str:
    match = re.search(r'name="request" value="([^"]+)"', page)
    assert match, page
    return html.unescape(match.group(1))


def login(
    client: httpx.Client, username: str, password: str = TRAINING_PASSWORD
) -> tuple[httpx.Response, str]:
    """GET the login page, POST credentials; returns (POST response, verifier)."""
    verifier, challenge = pkce()
    page = client.get("/oauth2/authorize", params=authorize_params(challenge))
    assert page.status_code == 200, page.text
    form = {"request": hidden_request(page.text), "username": username, "password": password}
    return client.post("/oauth2/authorize", data=form), verifier


def code_from(response: httpx.Response) -> str:
    assert response.status_code == 303, response.text
    location = response.headers["location"]
    assert location.startswith(REDIRECT + "?")
    query = parse_qs(urlsplit(location).query)
    assert query["state"] == ["st-123"]
    return query["code"][0]


def exchange(client: httpx.Client, code: str, verifier: str) -> dict[str, Any]:
    """The console's token request for an authorization code."""
    r = client.post(
        "/oauth2/token",
        data={
            "grant_type": "authorization_code",
            "code": code,
            "redirect_uri": REDIRECT,
            "client_id": "dho-console",
            "code_verifier": verifier,
        },
    )
    assert r.status_code == 200, r.text
    body: dict[str, Any] = r.json()
    return body


def tokens_for(client: httpx.Client, username: str) -> dict[str, Any]:
    response, verifier = login(client, username)
    return exchange(client, code_from(response), verifier)


def bearer(client: httpx.Client, username: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {tokens_for(client, username)['access_token']}"}


def token_headers(client: AppClient, username: str) -> dict[str, str]:
    """A bearer header minted directly by the app's auth context (no login round trip)."""
    ctx = client.app.state.auth
    principal = ctx.accounts.load_user(username, "dho-console")
    assert principal is not None, username
    return {"Authorization": f"Bearer {ctx.issue(principal)}"}
