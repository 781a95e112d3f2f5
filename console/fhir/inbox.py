"""The escalation inbox's searches and Task changes: alerts escalated or forwarded to a lead.

An alert is in the lead's inbox while it is open and either forwarded to him (`Task.owner`),
escalated to him (`restriction.recipient` includes his Practitioner: the server-side shape of
CONTRACTS.md), or named by an `alert-escalation` Communication to him that he has not handed
back (`received` unset: the console-side shape of today). Handing back releases his claim,
removes him from the recipients and marks such Communications received.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable, Mapping
from datetime import datetime, timedelta
from typing import Any

from console.domain.alerts import Principal
from console.domain.model import Patient
from console.fhir.alerts import (
    COMMUNICATION_CATEGORY_SYSTEM,
    OPEN_STATUSES,
    AlertStore,
    comment_task,
    instant,
    patients_by_id,
    unclaim_task,
)
from console.fhir.client import FhirClient
from console.fhir.mapping import reference_id

ESCALATION = "alert-escalation"
#: How far back escalation messages are read (older escalations are long handled or stale).
ESCALATION_DAYS = 30


def is_escalation(resource: Mapping[str, Any], me: str) -> bool:
    """An `alert-escalation` Communication addressed to `me`."""
    if resource.get("resourceType") != "Communication":
        return False
    categories = [
        c
        for concept in resource.get("category") or ()
        if isinstance(concept, dict)
        for c in concept.get("coding") or ()
        if isinstance(c, dict)
    ]
    if not any(
        c.get("system") == COMMUNICATION_CATEGORY_SYSTEM and c.get("code") == ESCALATION
        for c in categories
    ):
        return False
    return any(reference_id(r, "Practitioner") == me for r in resource.get("recipient") or ())


def escalated_tasks(resource: Mapping[str, Any]) -> list[str]:
    """Task ids an escalation Communication is about (one, or several in a digest)."""
    return [
        tid for ref in resource.get("about") or () if (tid := reference_id(ref, "Task")) is not None
    ]


def recipients(task: Mapping[str, Any]) -> list[str]:
    restriction = task.get("restriction")
    refs = restriction.get("recipient") if isinstance(restriction, dict) else None
    return [p for r in refs or () if (p := reference_id(r, "Practitioner")) is not None]


def inbox_kind(task: Mapping[str, Any], me: str, escalated: Iterable[str] = ()) -> str | None:
    """ "escalated", "forwarded" or None (not in `me`'s inbox). An escalated alert the lead
    claimed stays "escalated"; one forwarded to him is "forwarded"."""
    if task.get("status") not in OPEN_STATUSES.split(","):
        return None
    if me in recipients(task) or task.get("id") in set(escalated):
        return "escalated"
    if reference_id(task.get("owner"), "Practitioner") == me:
        return "forwarded"
    return None


def hand_back_task(task: Mapping[str, Any], principal: Principal, now: datetime) -> dict[str, Any]:
    """Release `principal`'s hold: no longer the owner, no longer a recipient; a note says so."""
    out: dict[str, Any] = copy.deepcopy(dict(task))
    me = principal.practitioner_id
    if reference_id(out.get("owner"), "Practitioner") == me:
        out = unclaim_task(out, now)
    restriction = out.get("restriction")
    if isinstance(restriction, dict) and restriction.get("recipient"):
        kept = [r for r in restriction["recipient"] if reference_id(r, "Practitioner") != me]
        restriction = {**restriction, "recipient": kept}
        if not kept:
            restriction.pop("recipient")
        out["restriction"] = restriction
    return comment_task(out, principal, "Levert tilbake til avdelingen.", now)


class InboxStore:
    """The inbox's HTTP calls (alert updates go through `AlertStore`)."""

    def __init__(self, client: FhirClient) -> None:
        self._client = client
        self.alerts = AlertStore(client)

    async def escalations(self, me: str, now: datetime) -> list[dict[str, Any]]:
        caps = await self._client.capabilities()
        if not caps.supports_resource("Communication"):
            return []
        result = await self._client.search_all(
            "Communication",
            [
                ("recipient", f"Practitioner/{me}"),
                ("category", f"{COMMUNICATION_CATEGORY_SYSTEM}|{ESCALATION}"),
                ("sent", f"ge{instant(now - timedelta(days=ESCALATION_DAYS))}"),
                ("_count", "200"),
            ],
        )
        return [c for c in result.matches if is_escalation(c, me)]

    async def open_tasks(self) -> tuple[list[dict[str, Any]], dict[str, Patient]]:
        return await self.alerts.open_tasks(None)

    async def tasks(self, ids: Iterable[str]) -> tuple[list[dict[str, Any]], dict[str, Patient]]:
        wanted = sorted(set(ids))
        if not wanted:
            return [], {}
        result = await self._client.search_all(
            "Task",
            [("_id", ",".join(wanted)), ("_include", "Task:patient"), ("_count", "200")],
        )
        return result.matches, patients_by_id(result.included)

    async def acknowledge(self, communication: Mapping[str, Any], now: datetime) -> dict[str, Any]:
        """Mark an escalation message received (version-aware)."""
        updated = copy.deepcopy(dict(communication))
        updated["received"] = instant(now)
        version = str((communication.get("meta") or {}).get("versionId") or "")
        return await self._client.update(updated, if_match=version)


__all__ = [
    "ESCALATION",
    "InboxStore",
    "escalated_tasks",
    "hand_back_task",
    "inbox_kind",
    "is_escalation",
]
