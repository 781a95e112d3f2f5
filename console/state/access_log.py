"""The access log as a translated table (screen, CSV and XLSX share it)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from PySide6.QtCore import QCoreApplication

from console.domain.access_log import AccessEntry
from console.state.formatting import centre_zone
from console.state.review_tables import Table


def action_text(entry: AccessEntry) -> str:
    by_interaction = {
        "read": QCoreApplication.translate("AccessLog", "Opened"),
        "vread": QCoreApplication.translate("AccessLog", "Opened an earlier version"),
        "history-instance": QCoreApplication.translate("AccessLog", "Looked at the history"),
        "search-type": QCoreApplication.translate("AccessLog", "Listed in a search"),
        "create": QCoreApplication.translate("AccessLog", "Created"),
        "update": QCoreApplication.translate("AccessLog", "Changed"),
        "patch": QCoreApplication.translate("AccessLog", "Changed"),
        "delete": QCoreApplication.translate("AccessLog", "Deleted"),
        "operation": QCoreApplication.translate("AccessLog", "Counted in a report"),
    }
    by_action = {
        "C": QCoreApplication.translate("AccessLog", "Created"),
        "R": QCoreApplication.translate("AccessLog", "Read"),
        "U": QCoreApplication.translate("AccessLog", "Changed"),
        "D": QCoreApplication.translate("AccessLog", "Deleted"),
    }
    return by_interaction.get(entry.interaction) or by_action.get(entry.action, entry.action)


def role_text(code: str) -> str:
    return {
        "nurse": QCoreApplication.translate("AccessLog", "nurse"),
        "lead": QCoreApplication.translate("AccessLog", "department lead"),
        "superuser": QCoreApplication.translate("AccessLog", "superuser"),
        "admin": QCoreApplication.translate("AccessLog", "administrator"),
    }.get(code, code)


def kind_text(kind: str) -> str:
    """What a FHIR resource type is, in the user's words (a patient reads this export)."""
    return {
        "Patient": QCoreApplication.translate("AccessLog", "personal details"),
        "Observation": QCoreApplication.translate("AccessLog", "measurements"),
        "Task": QCoreApplication.translate("AccessLog", "alerts"),
        "Communication": QCoreApplication.translate("AccessLog", "messages"),
        "EpisodeOfCare": QCoreApplication.translate("AccessLog", "enrolment"),
        "CarePlan": QCoreApplication.translate("AccessLog", "plan"),
        "ServiceRequest": QCoreApplication.translate("AccessLog", "plan"),
        "QuestionnaireResponse": QCoreApplication.translate("AccessLog", "questionnaire answers"),
        "RelatedPerson": QCoreApplication.translate("AccessLog", "relatives"),
        "DetectedIssue": QCoreApplication.translate("AccessLog", "assessments"),
        "Composition": QCoreApplication.translate("AccessLog", "journal notes"),
        "Appointment": QCoreApplication.translate("AccessLog", "video appointments"),
        "Encounter": QCoreApplication.translate("AccessLog", "video consultations"),
        "CareTeam": QCoreApplication.translate("AccessLog", "care team"),
    }.get(kind, kind)


def what_text(entry: AccessEntry) -> str:
    kinds: dict[str, int] = {}
    for ref in entry.resources:
        kind = kind_text(ref.split("/")[0])
        kinds[kind] = kinds.get(kind, 0) + 1
    parts = [f"{kind} ×{n}" if n > 1 else kind for kind, n in kinds.items()]
    if entry.resource_count > len(entry.resources):
        parts.append(
            QCoreApplication.translate("AccessLog", "%1 resources in all").replace(
                "%1", str(entry.resource_count)
            )
        )
    return ", ".join(parts) or QCoreApplication.translate("AccessLog", "the patient's record")


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
                e.recorded.astimezone(centre_zone()).strftime("%d.%m.%Y %H:%M:%S"),
                user,
                ", ".join(role_text(r) for r in e.user_roles),
                ", ".join(organization_names.get(o, o) for o in e.user_organizations),
                action_text(e),
                patient,
                what_text(e),
                QCoreApplication.translate("AccessLog", "Refused")
                if e.refused
                else QCoreApplication.translate("AccessLog", "Allowed"),
                e.application,
                e.address,
            ]
        )
        ids.append(e.patient_id or "")
    return Table(
        "access-log",
        title,
        [
            QCoreApplication.translate("AccessLog", "Time"),
            QCoreApplication.translate("AccessLog", "User"),
            QCoreApplication.translate("AccessLog", "Role"),
            QCoreApplication.translate("AccessLog", "Organization"),
            QCoreApplication.translate("AccessLog", "What was done"),
            QCoreApplication.translate("AccessLog", "Patient"),
            QCoreApplication.translate("AccessLog", "Information"),
            QCoreApplication.translate("AccessLog", "Result"),
            QCoreApplication.translate("AccessLog", "Program"),
            QCoreApplication.translate("AccessLog", "Address"),
        ],
        ["text"] * 10,
        rows,
        note=QCoreApplication.translate(
            "AccessLog",
            "From the access log (AuditEvent) the server writes for every read and change of "
            "patient data. Times are Norwegian time.",
        ),
        patient_ids=ids,
    )


__all__ = ["access_table", "action_text"]
