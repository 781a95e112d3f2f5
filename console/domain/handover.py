"""What a shift hands over, as plain rows (no Qt): the resolved alerts of the shift.

The rest of the handover (open and claimed alerts, patients with new deviations) comes from
`console.domain.alerts`. Adherence items and the "since we closed" list are issue 11's Task
shapes; they plug in as further `HandoverSection`s (`console/ui/handover.py`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from console.domain.alerts import Alert, AlertStatus


def resolved_at(alert: Alert) -> datetime:
    """When a closed alert was closed: its last modification (the resolve writes it)."""
    return alert.last_modified or alert.authored_on


def resolved_during(alerts: Iterable[Alert], since: datetime, until: datetime) -> list[Alert]:
    """Alerts completed between `since` and `until`, raised before or during the shift,
    once each (the newest version), in the order they were closed."""
    newest: dict[str, Alert] = {}
    for alert in alerts:
        if alert.status is not AlertStatus.COMPLETED:
            continue
        if not since <= resolved_at(alert) <= until:
            continue
        known = newest.get(alert.id)
        if known is None or resolved_at(alert) >= resolved_at(known):
            newest[alert.id] = alert
    return sorted(newest.values(), key=lambda a: (resolved_at(a), a.patient_name, a.id))


@dataclass(frozen=True, slots=True)
class HandoverSection:
    """One titled table of the handover; `rows` hold plain text cells (the first is bold)."""

    title: str
    headers: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    empty_text: str
