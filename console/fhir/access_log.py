"""AuditEvent ↔ access-log entries, and the searches of the access-log view.

Reads the AuditEvents the reference backend writes (`server/auth/audit.py`): the human agent
(`who`, `role`, the organization extension, `altId`, `network`), the application agent, the
patient entity (role 1) with the resources touched (role 4) and the query (role 24, base64).
Other servers' AuditEvents map as far as they carry the same standard elements.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import AsyncIterator, Mapping, Sequence
from datetime import datetime
from typing import Any

from console.domain.access_log import AccessEntry
from console.fhir.alerts import instant
from console.fhir.client import FhirClient
from console.fhir.errors import FhirMalformed
from console.fhir.mapping import parse_datetime, reference_id
from console.fhir.review import human_name

AGENT_ORGANIZATION_URL = "http://dho.example/fhir/StructureDefinition/agent-organization"
FNR_SYSTEM = "urn:oid:2.16.578.1.12.4.1.4.1"
PAGE = 500


def _codings(concept: Any) -> list[dict[str, Any]]:
    if isinstance(concept, dict) and isinstance(concept.get("coding"), list):
        return [c for c in concept["coding"] if isinstance(c, dict)]
    return []


def _is_human(agent: Mapping[str, Any]) -> bool:
    who = agent.get("who")
    ref = who.get("reference") if isinstance(who, dict) else None
    if isinstance(ref, str) and ref.split("/")[0] in ("Practitioner", "Patient", "RelatedPerson"):
        return True
    return any(c.get("code") == "humanuser" for c in _codings(agent.get("type")))


def access_entry(event: Mapping[str, Any]) -> AccessEntry:
    if event.get("resourceType") != "AuditEvent" or not isinstance(event.get("id"), str):
        raise FhirMalformed("expected an AuditEvent with an id")
    recorded = parse_datetime(event.get("recorded"))
    agents = [a for a in event.get("agent") or () if isinstance(a, dict)]
    human = next((a for a in agents if _is_human(a)), None)
    application = next((a for a in agents if a is not human), None)
    who = human.get("who") if human else None
    user_ref = who.get("reference") if isinstance(who, dict) else None
    name = ""
    if isinstance(who, dict) and isinstance(who.get("display"), str):
        name = who["display"]
    elif human and isinstance(human.get("name"), str):
        name = human["name"]
    roles: list[str] = []
    orgs: list[str] = []
    address = ""
    username = ""
    if human:
        roles = [
            str(c["code"]) for r in human.get("role") or () for c in _codings(r) if c.get("code")
        ]
        for ext in human.get("extension") or ():
            if isinstance(ext, dict) and ext.get("url") == AGENT_ORGANIZATION_URL:
                org = reference_id(ext.get("valueReference"), "Organization")
                if org:
                    orgs.append(org)
        username = str(human.get("altId") or "")
    for agent in (human, application):
        network = agent.get("network") if agent else None
        if isinstance(network, dict) and isinstance(network.get("address"), str) and not address:
            address = network["address"]
    app_name = ""
    if application:
        app_who = application.get("who")
        if isinstance(app_who, dict):
            ident = app_who.get("identifier")
            app_name = str(
                app_who.get("display") or (ident.get("value") if isinstance(ident, dict) else "")
            )
    patient = None
    resources: list[str] = []
    count = 0
    query = ""
    for entity in event.get("entity") or ():
        if not isinstance(entity, dict):
            continue
        role = entity.get("role")
        code = role.get("code") if isinstance(role, dict) else None
        what = entity.get("what")
        ref = what.get("reference") if isinstance(what, dict) else None
        if code == "1" and patient is None:
            patient = reference_id(what, "Patient")
            for detail in entity.get("detail") or ():
                if isinstance(detail, dict) and detail.get("type") == "resources":
                    try:
                        count = int(detail.get("valueString") or 0)
                    except ValueError:
                        count = 0
        elif code == "24" and isinstance(entity.get("query"), str):
            try:
                query = base64.b64decode(entity["query"]).decode("utf-8", "replace")
            except (binascii.Error, ValueError):
                query = ""
        elif isinstance(ref, str):
            resources.append(ref.split("/_history/")[0])
    if patient is None:  # a server that names the patient differently
        patient = next(
            (reference_id(r, "Patient") for r in resources if r.startswith("Patient/")), None
        )
    subtype = next((c for s in event.get("subtype") or () for c in [s] if isinstance(c, dict)), {})
    return AccessEntry(
        id=event["id"],
        recorded=recorded,
        action=str(event.get("action") or ""),
        interaction=str(subtype.get("code") or ""),
        outcome=str(event.get("outcome") or ""),
        patient_id=patient,
        user_reference=user_ref if isinstance(user_ref, str) else None,
        user_name=name,
        user_roles=tuple(dict.fromkeys(roles)),
        user_organizations=tuple(dict.fromkeys(orgs)),
        username=username,
        application=app_name,
        address=address,
        resources=tuple(resources),
        resource_count=max(count, len(resources)),
        query=query,
    )


def _entries(page: Sequence[Mapping[str, Any]]) -> list[AccessEntry]:
    out = []
    for event in page:
        try:
            out.append(access_entry(event))
        except FhirMalformed:
            continue
    return out


class AccessLogStore:
    """Searches of the access-log view through the one FhirClient."""

    def __init__(self, client: FhirClient) -> None:
        self._client = client

    async def entries(
        self,
        *,
        patient_id: str | None = None,
        agent: str | None = None,
        start: datetime | None = None,
        end: datetime | None = None,
    ) -> AsyncIterator[list[AccessEntry]]:
        """Pages of entries, newest first, decoded in a worker thread."""
        params: list[tuple[str, str]] = [("_sort", "-date"), ("_count", str(PAGE))]
        if patient_id:
            params.append(("patient", f"Patient/{patient_id}"))
        if agent:
            params.append(("agent", agent))
        if start is not None:
            params.append(("date", f"ge{instant(start)}"))
        if end is not None:
            params.append(("date", f"lt{instant(end)}"))
        async for page in self._client.search_mapped("AuditEvent", params, _entries):
            yield page

    async def find_patients(self, text: str) -> list[tuple[str, str, str]]:
        """(id, name, fødselsnummer) of patients matching a name or an 11-digit number."""
        text = text.strip()
        if not text:
            return []
        digits = text.replace(" ", "")
        if digits.isdigit() and len(digits) == 11:
            params = [("identifier", f"{FNR_SYSTEM}|{digits}")]
        else:
            params = [("name", text)]
        result = await self._client.search_all("Patient", [*params, ("_count", "50")])
        out = []
        for patient in result.matches[:50]:
            fnr = next(
                (
                    str(i.get("value"))
                    for i in patient.get("identifier") or ()
                    if isinstance(i, dict) and i.get("system") == FNR_SYSTEM
                ),
                "",
            )
            out.append(
                (str(patient["id"]), human_name(patient.get("name"), family_first=True), fnr)
            )
        return out

    async def find_users(self, text: str) -> list[tuple[str, str]]:
        """(reference, name) of practitioners matching a name."""
        text = text.strip()
        if not text:
            return []
        result = await self._client.search_all("Practitioner", [("name", text), ("_count", "50")])
        return [
            (f"Practitioner/{p['id']}", human_name(p.get("name"), family_first=False))
            for p in result.matches[:50]
        ]

    async def patient_names(self, ids: Sequence[str]) -> dict[str, str]:
        out: dict[str, str] = {}
        unique = sorted(set(ids))
        for i in range(0, len(unique), 100):
            chunk = unique[i : i + 100]
            result = await self._client.search_all(
                "Patient", [("_id", ",".join(chunk)), ("_elements", "name"), ("_count", "100")]
            )
            for patient in result.matches:
                out[str(patient["id"])] = human_name(patient.get("name"), family_first=True)
        return out


__all__ = ["AccessLogStore", "access_entry"]
