"""What the patient view shows besides the time series: who, the plan, alerts, answers.

Plain dataclasses filled by `console.fhir.mapping`; no Qt, no FHIR.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from console.domain.model import Episode, MeasurementKind, Patient
from console.domain.series import Limits, Schedule


@dataclass(frozen=True, slots=True)
class Relative:
    name: str
    relationship: str = ""
    phone: str = ""


@dataclass(frozen=True, slots=True)
class PatientHeader:
    patient: Patient
    episode: Episode | None = None
    department: str = ""
    care_manager: str = ""
    gp: str = ""
    relatives: tuple[Relative, ...] = ()


@dataclass(frozen=True, slots=True)
class PlanItem:
    """One ServiceRequest of the patient's plan: what to measure, when, and the limits.

    `resource` is the ServiceRequest as read (the base for a version-aware update).
    """

    id: str
    kind: MeasurementKind
    limits: Limits
    #: Diastolic limits for blood pressure, when the plan has them.
    limits2: Limits | None = None
    schedule: Schedule | None = None
    #: From when the schedule applies (authoredOn); no gaps are shown before it.
    start: datetime | None = None
    version: str = ""
    last_updated: datetime | None = None
    changed_by: str = ""
    resource: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)


class AlertPriority:
    """FHIR Task.priority values the alert engine uses (low / medium / high)."""

    ROUTINE = "routine"
    URGENT = "urgent"
    ASAP = "asap"


@dataclass(frozen=True, slots=True)
class AlertMark:
    """An alert (Task) placed on the timeline."""

    id: str
    time: datetime
    priority: str
    status: str
    rule: str = ""
    text: str = ""
    #: The measurement it is about, when known; None means it concerns the patient as a whole.
    kind: MeasurementKind | None = None
    focus: str = ""


@dataclass(frozen=True, slots=True)
class AnswerItem:
    question: str
    answer: str
    flagged: bool = False


@dataclass(frozen=True, slots=True)
class QuestionnaireSummary:
    id: str
    authored: datetime | None
    title: str
    answers: tuple[AnswerItem, ...] = ()

    @property
    def flagged(self) -> tuple[AnswerItem, ...]:
        return tuple(a for a in self.answers if a.flagged)
