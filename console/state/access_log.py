"""The access log as a translated table (screen, CSV and XLSX share it)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from PySide6.QtCore import QCoreApplication

from console.domain.access_log import AccessEntry
from console.domain.service_hours import OSLO
from console.state.review_tables import Table


def tr(text: str) -> str:
    return QCoreApplication.translate("AccessLog", text)


def action_text(entry: AccessEntry) -> str:
    by_interaction = {
        "read": tr("Opened"),
        "vread": tr("Opened an earlier version"),
        "history-instance": tr("Looked at the history"),
        "search-type": tr("Listed in a search"),
        "create": tr("Created"),
        "update": tr("Changed"),
        "patch": tr("Changed"),
        "delete": tr("Deleted"),
        "operation": tr("Counted in a report"),
    }
    by_action = {"C": tr("Created"), "R": tr("Read"), "U": tr("Changed"), "D": tr("Deleted")}
    return by_interaction.get(entry.interaction) or by_action.get(entry.action, entry.action)


def role_text(code: str) -> str:
    return {
        "nurse": tr("nurse"),
        "lead": tr("department lead"),
        "superuser": tr("superuser"),
        "admin": tr("administrator"),
    }.get(code, code)


def what_text(entry: AccessEntry) -> str:
    kinds: dict[str, int] = {}
    for ref in entry.resources:
        kind = ref.split("/")[0]
        kinds[kind] = kinds.get(kind, 0) + 1
    parts = [f"{kind} ×{n}" if n > 1 else kind for kind, n in kinds.items()]
    if entry.resource_count > len(entry.resources):
        parts.append(tr("%1 resources in all").replace("%1", str(entry.resource_count)))
    return ", ".join(parts) or tr("the patient's record")


def access_table(
    entries: Sequence[AccessEntry],
    patient_names: Mapping[str, str],
    organization_names: Mapping[str, str],
    *,
    title: str,
) -> Table:
    rows = []
    ids = []
    for e in entries:
        patient = patient_names.get(e.patient_id or "", e.patient_id or "")
        user = e.user_name or e.user_reference or e.application or "?"
        rows.append(
            [
                e.recorded.astimezone(OSLO).strftime("%d.%m.%Y %H:%M:%S"),
                user,
                ", ".join(role_text(r) for r in e.user_roles),
                ", ".join(organization_names.get(o, o) for o in e.user_organizations),
                action_text(e),
                patient,
                what_text(e),
                tr("Refused") if e.refused else tr("Allowed"),
                e.application,
                e.address,
            ]
        )
        ids.append(e.patient_id or "")
    return Table(
        "access-log",
        title,
        [
            tr("Time"),
            tr("User"),
            tr("Role"),
            tr("Organization"),
            tr("What was done"),
            tr("Patient"),
            tr("Information"),
            tr("Result"),
            tr("Program"),
            tr("Address"),
        ],
        ["text"] * 10,
        rows,
        note=tr(
            "From the access log (AuditEvent) the server writes for every read and change of "
            "patient data. Times are Norwegian time."
        ),
        patient_ids=ids,
    )


__all__ = ["access_table", "action_text"]
