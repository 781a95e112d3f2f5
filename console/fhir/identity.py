"""Who the signed-in token belongs to, as a FHIR reference the console may write.

A claim writes `owner = <the person>`; it must be a reference to a person the server knows,
never a client id dressed up as `Practitioner/<id>` (what the console did against Medplum, whose
client-credentials token names a `ClientApplication`: shared/peers/medplum/08b, 08c). So:

1. the token's `fhirUser` claim (SMART; our server puts `Practitioner/<id>` there);
2. else the server's user endpoint: OpenID `userinfo_endpoint` from the SMART configuration
   (its `fhirUser`), or, where `Capabilities` knows the server has one, `/auth/me`
   (`profile` = the token's resource: Practitioner, Patient, ClientApplication ...);
3. else nobody: the token may read, but it cannot claim alerts (the UI says so).
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import httpx

from console.fhir.client import FhirClient

log = logging.getLogger(__name__)

#: Resource types that are a person who may own (claim) an alert.
PERSON_TYPES = frozenset({"Practitioner", "PractitionerRole"})


@dataclass(frozen=True, slots=True)
class Identity:
    """The token's resource: `Practitioner/abc`, `ClientApplication/xyz`, or "" (unknown)."""

    reference: str = ""
    display: str = ""
    #: Where it came from: "fhirUser", "userinfo", "auth-me" or "" (for logs).
    source: str = ""

    @property
    def resource_type(self) -> str:
        return self.reference.split("/", 1)[0] if "/" in self.reference else ""

    @property
    def id(self) -> str:
        return self.reference.rsplit("/", 1)[-1] if "/" in self.reference else ""

    @property
    def is_person(self) -> bool:
        """A Practitioner (or a role of one): may claim, comment, resolve."""
        return self.resource_type in PERSON_TYPES and bool(self.id)


def reference_of(value: Any) -> str:
    """`Practitioner/1`, `https://host/fhir/Practitioner/1` or {"reference": ...} → `Type/id`."""
    if isinstance(value, dict):
        value = value.get("reference")
    if not isinstance(value, str) or "/" not in value:
        return ""
    path = urlsplit(value).path if "://" in value else value
    parts = [p for p in path.split("/") if p]
    if len(parts) >= 4 and parts[-2] == "_history":
        parts = parts[:-2]
    return "/".join(parts[-2:]) if len(parts) >= 2 else ""


def from_claims(claims: Mapping[str, Any]) -> Identity:
    ref = reference_of(claims.get("fhirUser") or claims.get("fhir_user") or "")
    name = claims.get("name") or claims.get("username") or ""
    return Identity(ref, str(name), "fhirUser") if ref else Identity()


async def resolve_identity(
    client: FhirClient, claims: Mapping[str, Any], http: httpx.AsyncClient | None = None
) -> Identity:
    """The person behind the token (see the module docstring for the order)."""
    found = from_claims(claims)
    if found.reference:
        return found
    headers = {"Accept": "application/json", **client.auth_headers()}
    if not headers.get("Authorization"):
        return Identity()
    own = http is None
    http = http or httpx.AsyncClient(timeout=10.0)
    try:
        for url, source in await _user_endpoints(client, http):
            try:
                response = await http.get(url, headers=headers)
            except httpx.HTTPError as exc:
                log.info("user endpoint %s unreachable: %s", url, type(exc).__name__)
                continue
            if response.status_code != 200:
                continue
            try:
                body = response.json()
            except ValueError:
                continue
            identity = _from_user_answer(body, source)
            if identity.reference:
                return identity
    finally:
        if own:
            await http.aclose()
    return Identity()


async def _user_endpoints(client: FhirClient, http: httpx.AsyncClient) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    try:
        response = await http.get(f"{client.base_url}/.well-known/smart-configuration")
        config = response.json() if response.status_code == 200 else {}
    except (httpx.HTTPError, ValueError):
        config = {}
    if isinstance(config, dict) and isinstance(config.get("userinfo_endpoint"), str):
        out.append((config["userinfo_endpoint"], "userinfo"))
    caps = await client.capabilities()
    if caps.has("auth-me"):
        parts = urlsplit(client.base_url)
        out.append((f"{parts.scheme}://{parts.netloc}/auth/me", "auth-me"))
    return out


def _from_user_answer(body: Any, source: str) -> Identity:
    if not isinstance(body, dict):
        return Identity()
    ref = reference_of(body.get("fhirUser") or "")
    if not ref and isinstance(body.get("profile"), dict):
        profile = body["profile"]
        rtype, rid = profile.get("resourceType"), profile.get("id")
        if isinstance(rtype, str) and isinstance(rid, str):
            ref = f"{rtype}/{rid}"
    if not ref:
        membership = body.get("membership")
        if isinstance(membership, dict):
            ref = reference_of(membership.get("profile"))
    display = ""
    if isinstance(body.get("profile"), dict) and isinstance(body["profile"].get("name"), str):
        display = str(body["profile"]["name"])
    return Identity(ref, display, source) if ref else Identity()
