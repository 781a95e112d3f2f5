"""Server-side escalation of unclaimed high-priority alerts: pure functions, service hours.

One pass (:func:`escalation_pass`) looks at the open alert Tasks at `now`: a high-priority
(``asap``) clinical alert nobody has claimed, shown for at least `after` seconds of the
centre's *open* time, is escalated once: the ``escalated-at`` extension, the lead added to
``restriction.recipient``, and a note. Each lead gets **one** digest Communication per pass
(category ``alert-escalation``, ``about`` every escalated Task), not one message per alert; the
digest names no patient in its text (the Tasks it points to are read with the lead's access).

The server runs the pass (one job, in the first worker only), so the number of open consoles
does not matter; each escalation is a version-aware update, so even two passes racing write it
once.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Final

from server.rules.codes import (
    ALERT_CLASS_URL,
    COMMUNICATION_CATEGORY_SYSTEM,
    ESCALATED_AT_URL,
    ESCALATION_CATEGORY,
    MESSAGE_KEY_SYSTEM,
    REMEASURE_URL,
)
from server.rules.hours import ServiceHours
from server.sim.schedule import parse_instant
from server.store.fhirtime import format_instant

DEFAULT_AFTER: Final = 15 * 60.0  # open-time seconds an unclaimed high alert may wait
SYSTEM_AUTHOR: Final = "DHO (automatisk)"


def iso(t: float) -> str:
    return format_instant(int(t * 1_000_000))


def _ext(task: Mapping[str, Any], url: str) -> Mapping[str, Any] | None:
    for ext in task.get("extension", ()):
        if ext.get("url") == url:
            return ext  # type: ignore[no-any-return]
    return None


def visible_since(task: Mapping[str, Any]) -> float | None:
    """When the alert appeared in the queue: after a hold, when it was released/confirmed."""
    remeasure = _ext(task, REMEASURE_URL)
    for sub in (remeasure or {}).get("extension", ()):
        if sub.get("url") == "resultAt" and isinstance(sub.get("valueDateTime"), str):
            return parse_instant(sub["valueDateTime"])
    authored = task.get("authoredOn")
    return parse_instant(authored) if isinstance(authored, str) else None


def is_clinical(task: Mapping[str, Any]) -> bool:
    ext = _ext(task, ALERT_CLASS_URL)
    return ext is None or ext.get("valueCode") != "adherence"


def due_at(task: Mapping[str, Any], hours: ServiceHours, after: float) -> float | None:
    """When this alert escalates if nobody claims it (None: it never does)."""
    if (
        task.get("status") != "requested"
        or task.get("priority") not in ("asap", "stat")
        or task.get("owner")
        or _ext(task, ESCALATED_AT_URL) is not None
        or not is_clinical(task)
    ):
        return None
    since = visible_since(task)
    if since is None:
        return None
    return hours.add_open(since, after)


@dataclass(slots=True)
class Escalations:
    """Task updates (new version, the version it is based on) and one digest per lead."""

    updates: list[tuple[dict[str, Any], Mapping[str, Any]]] = field(default_factory=list)
    digests: list[dict[str, Any]] = field(default_factory=list)


def escalate(
    task: Mapping[str, Any], now: float, after: float, lead: Mapping[str, str] | None
) -> dict[str, Any]:
    out = copy.deepcopy(dict(task))
    stamp = iso(now)
    out["extension"] = [
        *(e for e in out.get("extension", ()) if e.get("url") != ESCALATED_AT_URL),
        {"url": ESCALATED_AT_URL, "valueDateTime": stamp},
    ]
    if lead:
        restriction = dict(out.get("restriction") or {})
        recipients = list(restriction.get("recipient") or [])
        if all(r.get("reference") != lead.get("reference") for r in recipients):
            recipients.append(dict(lead))
        restriction["recipient"] = recipients
        out["restriction"] = restriction
    who = f" til {lead.get('display') or 'leder'}" if lead else " til leder"
    minutes = int(after // 60)
    out["note"] = [
        *out.get("note", ()),
        {
            "authorString": SYSTEM_AUTHOR,
            "time": stamp,
            "text": f"Eskalert{who}: ikke tatt innen {minutes} min i åpningstiden.",
        },
    ]
    out["lastModified"] = stamp
    return out


def department_of(task: Mapping[str, Any]) -> str | None:
    for recipient in (task.get("restriction") or {}).get("recipient") or ():
        ref = str(recipient.get("reference") or "")
        if ref.startswith("Organization/"):
            return ref.split("/", 1)[1]
    return None


def digest(
    lead: Mapping[str, str],
    tasks: Sequence[Mapping[str, Any]],
    now: float,
    after: float,
    sender: Mapping[str, str] | None = None,
) -> dict[str, Any]:
    """One message to the lead about every alert escalated to them in this pass."""
    n = len(tasks)
    minutes = int(after // 60)
    text = (
        f"{n} {'varsel' if n == 1 else 'varsler'} med høy prioritet er ikke tatt innen {minutes} "
        "min i åpningstiden og er eskalert til deg. Se eskaleringsinnboksen."
    )
    stamp = iso(now)
    ids = ",".join(sorted(str(t.get("id")) for t in tasks))
    body: dict[str, Any] = {
        "resourceType": "Communication",
        "identifier": [
            {"system": MESSAGE_KEY_SYSTEM, "value": f"escalation|{lead.get('reference')}|{ids}"}
        ],
        "status": "completed",
        "category": [
            {
                "coding": [
                    {
                        "system": COMMUNICATION_CATEGORY_SYSTEM,
                        "code": ESCALATION_CATEGORY,
                        "display": "Eskalering",
                    }
                ]
            }
        ],
        "recipient": [dict(lead)],
        "sent": stamp,
        "about": [{"reference": f"Task/{t.get('id')}"} for t in tasks],
        "payload": [{"contentString": text}],
    }
    if sender:
        body["sender"] = dict(sender)
    return body


def escalation_pass(
    tasks: Iterable[Mapping[str, Any]],
    now: float,
    hours_of: Callable[[str | None], ServiceHours],
    lead_of: Callable[[str | None], Mapping[str, str] | None],
    after: float = DEFAULT_AFTER,
) -> Escalations:
    """Escalate every due alert among `tasks`; group the digests by lead."""
    out = Escalations()
    by_lead: dict[str, tuple[Mapping[str, str], list[Mapping[str, Any]]]] = {}
    for task in tasks:
        department = department_of(task)
        due = due_at(task, hours_of(department), after)
        if due is None or due > now:
            continue
        lead = lead_of(department)
        updated = escalate(task, now, after, lead)
        out.updates.append((updated, task))
        if lead:
            entry = by_lead.setdefault(str(lead.get("reference")), (lead, []))
            entry[1].append(updated)
    for lead, escalated in by_lead.values():
        out.digests.append(digest(lead, escalated, now, after))
    return out


def next_due(
    tasks: Iterable[Mapping[str, Any]],
    hours_of: Callable[[str | None], ServiceHours],
    after: float = DEFAULT_AFTER,
) -> float | None:
    """The earliest moment an alert among `tasks` escalates (to plan the next pass)."""
    times = [due_at(t, hours_of(department_of(t)), after) for t in tasks]
    return min((t for t in times if t is not None), default=None)
