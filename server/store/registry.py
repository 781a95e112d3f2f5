"""Resource types and search parameters the store indexes: adding a type is a table entry.

Each search parameter names FHIR element paths (dots walk into objects, lists are flattened) and a
kind; the indexer extracts values generically from the shape it finds (CodeableConcept, Coding,
Identifier, Reference, Period, HumanName, plain strings), so most parameters need no code.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

ParamKind = Literal["token", "reference", "date", "string"]


@dataclass(frozen=True)
class SearchParam:
    """One FHIR search parameter of one resource type."""

    name: str
    kind: ParamKind
    paths: tuple[str, ...]
    description: str = ""
    # reference: target types this parameter may point at (empty = any).
    targets: tuple[str, ...] = ()
    # Share index rows with another parameter (``patient`` = ``subject`` restricted to Patient).
    stored_as: str | None = None
    # date: single-valued and kept in the resource row's date columns (fast search and _sort).
    column: bool = False

    @property
    def key(self) -> str:
        return self.stored_as or self.name


@dataclass(frozen=True)
class ResourceType:
    """A resource type the backend serves, its search parameters and minimal validation."""

    name: str
    params: tuple[SearchParam, ...]
    # Top-level elements a create must carry (minimal validation; full profiles come later).
    required: tuple[str, ...] = ()
    # Path whose HumanName/string fills the ``sort_name`` column for ``_sort=name``/``family``.
    sort_name_path: str | None = None
    by_name: dict[str, SearchParam] = field(init=False, repr=False, compare=False)
    # The single-valued date parameter kept in the resource row (date_start/date_end).
    date_column_param: SearchParam | None = field(init=False, repr=False, compare=False)
    # Parameters that own index rows (aliases and column dates excluded).
    stored_params: tuple[SearchParam, ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        set_ = object.__setattr__
        set_(self, "by_name", {p.name: p for p in self.params})
        columns = [p for p in self.params if p.kind == "date" and p.column]
        if len(columns) > 1:
            raise ValueError(f"{self.name}: at most one column date parameter")
        set_(self, "date_column_param", columns[0] if columns else None)
        set_(
            self,
            "stored_params",
            tuple(p for p in self.params if p.stored_as is None and not p.column),
        )


def _identifier() -> SearchParam:
    return SearchParam("identifier", "token", ("identifier",), "A business identifier")


def _active() -> SearchParam:
    return SearchParam("active", "token", ("active",), "Whether the record is active")


def _status() -> SearchParam:
    return SearchParam("status", "token", ("status",), "Status")


def _patient(path: str) -> SearchParam:
    return SearchParam("patient", "reference", (path,), "The patient", ("Patient",))


def _subject() -> SearchParam:
    """``subject`` shares the ``patient`` index rows (all our subjects are patients)."""
    return SearchParam("subject", "reference", (), "Who it is about", stored_as="patient")


def _organization(path: str) -> SearchParam:
    return SearchParam("organization", "reference", (path,), "Organization", ("Organization",))


RESOURCE_TYPES: dict[str, ResourceType] = {
    rt.name: rt
    for rt in (
        ResourceType(
            "Organization",
            (
                _identifier(),
                _active(),
                SearchParam("name", "string", ("name", "alias"), "Name or alias (prefix)"),
                SearchParam("type", "token", ("type",), "Kind of organization"),
                SearchParam(
                    "partof", "reference", ("partOf",), "Parent organization", ("Organization",)
                ),
            ),
            sort_name_path="name",
        ),
        ResourceType(
            # A response centre's service hours (availableTime, notAvailable) (issue 11).
            "HealthcareService",
            (
                _identifier(),
                _active(),
                SearchParam(
                    "organization",
                    "reference",
                    ("providedBy",),
                    "The organization providing it",
                    ("Organization",),
                ),
                SearchParam("service-category", "token", ("category",), "Category of service"),
                SearchParam("name", "string", ("name",), "Name (prefix)"),
            ),
            sort_name_path="name",
        ),
        ResourceType(
            "Practitioner",
            (
                _identifier(),
                _active(),
                SearchParam("name", "string", ("name",), "Any part of the name (prefix)"),
                SearchParam("family", "string", ("name.family",), "Family name (prefix)"),
                SearchParam("given", "string", ("name.given",), "Given name (prefix)"),
            ),
            sort_name_path="name",
        ),
        ResourceType(
            "PractitionerRole",
            (
                _identifier(),
                _active(),
                SearchParam(
                    "practitioner",
                    "reference",
                    ("practitioner",),
                    "The practitioner",
                    ("Practitioner",),
                ),
                SearchParam(
                    "organization",
                    "reference",
                    ("organization",),
                    "Where the role applies",
                    ("Organization",),
                ),
                SearchParam("role", "token", ("code",), "The role"),
            ),
        ),
        ResourceType(
            "Patient",
            (
                _identifier(),
                _active(),
                SearchParam("name", "string", ("name",), "Any part of the name (prefix)"),
                SearchParam("family", "string", ("name.family",), "Family name (prefix)"),
                SearchParam("given", "string", ("name.given",), "Given name (prefix)"),
                SearchParam("gender", "token", ("gender",), "Administrative gender"),
                SearchParam("birthdate", "date", ("birthDate",), "Date of birth", column=True),
                SearchParam(
                    "organization",
                    "reference",
                    ("managingOrganization",),
                    "Managing organization",
                    ("Organization",),
                ),
            ),
            sort_name_path="name",
        ),
        ResourceType(
            "EpisodeOfCare",
            (
                _identifier(),
                SearchParam("status", "token", ("status",), "Episode status"),
                SearchParam("type", "token", ("type",), "Follow-up programme"),
                SearchParam("date", "date", ("period",), "Episode period", column=True),
                SearchParam("patient", "reference", ("patient",), "The patient", ("Patient",)),
                SearchParam(
                    "organization",
                    "reference",
                    ("managingOrganization",),
                    "Managing organization (department)",
                    ("Organization",),
                ),
                SearchParam(
                    "care-manager",
                    "reference",
                    ("careManager",),
                    "Care manager",
                    ("Practitioner",),
                ),
            ),
            required=("status", "patient"),
        ),
        ResourceType(
            "Observation",
            (
                _identifier(),
                SearchParam("status", "token", ("status",), "Observation status"),
                SearchParam("code", "token", ("code",), "What was measured"),
                SearchParam("category", "token", ("category",), "Category"),
                SearchParam(
                    "date",
                    "date",
                    ("effectiveDateTime", "effectivePeriod", "effectiveInstant"),
                    "When the measurement was taken",
                    column=True,
                ),
                SearchParam("subject", "reference", ("subject",), "Who it is about"),
                SearchParam(
                    "patient",
                    "reference",
                    ("subject",),
                    "The patient it is about",
                    ("Patient",),
                    stored_as="subject",
                ),
            ),
            required=("status", "code", "subject"),
        ),
        ResourceType(
            "RelatedPerson",
            (
                _identifier(),
                _active(),
                _patient("patient"),
                SearchParam("name", "string", ("name",), "Any part of the name (prefix)"),
                SearchParam("relationship", "token", ("relationship",), "Relationship"),
            ),
            required=("patient",),
            sort_name_path="name",
        ),
        ResourceType(
            "CareTeam",
            (
                _identifier(),
                _status(),
                _patient("subject"),
                _subject(),
                SearchParam("participant", "reference", ("participant.member",), "Team member"),
                _organization("managingOrganization"),
            ),
        ),
        ResourceType(
            "CarePlan",
            (
                _identifier(),
                _status(),
                _patient("subject"),
                _subject(),
                SearchParam("category", "token", ("category",), "Kind of plan"),
                SearchParam(
                    "activity-reference",
                    "reference",
                    ("activity.reference",),
                    "Planned activity (ServiceRequest)",
                ),
                SearchParam(
                    "episode-of-care",
                    "reference",
                    ("supportingInfo",),
                    "Episode the plan belongs to",
                    ("EpisodeOfCare",),
                ),
                SearchParam("date", "date", ("period",), "Plan period", column=True),
            ),
            required=("status", "intent", "subject"),
        ),
        ResourceType(
            "ServiceRequest",
            (
                _identifier(),
                _status(),
                _patient("subject"),
                _subject(),
                SearchParam("code", "token", ("code",), "What to measure"),
                SearchParam("intent", "token", ("intent",), "Intent"),
                SearchParam(
                    "based-on", "reference", ("basedOn",), "Plan it fulfils", ("CarePlan",)
                ),
                SearchParam(
                    "authored", "date", ("authoredOn",), "When it was written", column=True
                ),
            ),
            required=("status", "intent", "code", "subject"),
        ),
        ResourceType(
            "Questionnaire",
            (
                _identifier(),
                _status(),
                SearchParam("name", "string", ("name", "title"), "Name or title (prefix)"),
                SearchParam("url", "token", ("url",), "Canonical URL"),
                SearchParam("code", "token", ("code", "item.code"), "Concept"),
            ),
            required=("status",),
            sort_name_path="title",
        ),
        ResourceType(
            "QuestionnaireResponse",
            (
                _identifier(),
                _status(),
                _patient("subject"),
                _subject(),
                SearchParam("questionnaire", "token", ("questionnaire",), "Questionnaire URL"),
                SearchParam("authored", "date", ("authored",), "When answered", column=True),
            ),
            required=("status",),
        ),
        ResourceType(
            "Task",
            (
                _identifier(),
                _status(),
                _patient("for"),
                SearchParam(
                    "subject", "reference", ("for",), "Who the task is for", stored_as="patient"
                ),
                SearchParam("priority", "token", ("priority",), "routine | urgent | asap | stat"),
                SearchParam("code", "token", ("code",), "Rule that raised the alert"),
                SearchParam("business-status", "token", ("businessStatus",), "Outcome"),
                SearchParam("owner", "reference", ("owner",), "Who has claimed it"),
                SearchParam("focus", "reference", ("focus",), "What the alert is about"),
                SearchParam("requester", "reference", ("requester",), "Who raised it"),
                SearchParam(
                    "organization",
                    "reference",
                    ("restriction.recipient", "location"),
                    "Department the alert is routed to",
                    ("Organization",),
                ),
                SearchParam("authored-on", "date", ("authoredOn",), "When raised", column=True),
                SearchParam("modified", "date", ("lastModified",), "Last change"),
            ),
            required=("status", "intent"),
        ),
        ResourceType(
            "DetectedIssue",
            (
                _identifier(),
                _status(),
                _patient("patient"),
                SearchParam("code", "token", ("code",), "Issue type"),
                SearchParam("implicated", "reference", ("implicated",), "What it concerns"),
                SearchParam("identified", "date", ("identifiedDateTime",), "When", column=True),
                SearchParam("author", "reference", ("author",), "Who identified it"),
            ),
            required=("status",),
        ),
        ResourceType(
            "Composition",
            (
                _identifier(),
                _status(),
                _patient("subject"),
                _subject(),
                SearchParam("type", "token", ("type",), "Kind of document"),
                SearchParam("author", "reference", ("author",), "Who wrote it"),
                SearchParam("date", "date", ("date",), "Composition date", column=True),
                SearchParam("entry", "reference", ("section.entry",), "Resources it covers"),
            ),
            required=("status", "type", "date", "author", "title"),
        ),
        ResourceType(
            "Communication",
            (
                _identifier(),
                _status(),
                _patient("subject"),
                _subject(),
                SearchParam("category", "token", ("category",), "Kind of message / thread"),
                SearchParam("sender", "reference", ("sender",), "Who sent it"),
                SearchParam("recipient", "reference", ("recipient",), "Who receives it"),
                SearchParam("part-of", "reference", ("partOf",), "Thread it belongs to"),
                SearchParam("in-response-to", "reference", ("inResponseTo",), "Reply to"),
                SearchParam("sent", "date", ("sent",), "When sent", column=True),
                SearchParam("received", "date", ("received",), "When read"),
            ),
            required=("status",),
        ),
        ResourceType(
            "Appointment",
            (
                _identifier(),
                _status(),
                SearchParam("actor", "reference", ("participant.actor",), "Participant"),
                SearchParam(
                    "patient",
                    "reference",
                    ("participant.actor",),
                    "Participating patient",
                    ("Patient",),
                    stored_as="actor",
                ),
                SearchParam("date", "date", ("start",), "Start time", column=True),
                SearchParam("service-type", "token", ("serviceType",), "Kind of visit"),
            ),
            required=("status", "participant"),
        ),
        ResourceType(
            "Encounter",
            (
                _identifier(),
                _status(),
                _patient("subject"),
                _subject(),
                SearchParam("class", "token", ("class",), "Encounter class (VR = virtual)"),
                SearchParam(
                    "appointment", "reference", ("appointment",), "Appointment", ("Appointment",)
                ),
                SearchParam("date", "date", ("period",), "Encounter period", column=True),
                SearchParam(
                    "episode-of-care",
                    "reference",
                    ("episodeOfCare",),
                    "Episode",
                    ("EpisodeOfCare",),
                ),
            ),
            required=("status", "class"),
        ),
        ResourceType(
            "AuditEvent",
            (
                SearchParam("type", "token", ("type",), "Event type"),
                SearchParam("action", "token", ("action",), "C | R | U | D | E"),
                SearchParam("agent", "reference", ("agent.who",), "Who did it"),
                SearchParam("entity", "reference", ("entity.what",), "What was touched"),
                SearchParam(
                    "patient",
                    "reference",
                    ("entity.what",),
                    "Patient whose data was touched",
                    ("Patient",),
                    stored_as="entity",
                ),
                SearchParam("date", "date", ("recorded",), "When recorded", column=True),
            ),
            required=("type", "recorded", "agent", "source"),
        ),
        ResourceType(
            "Subscription",
            (
                _status(),
                SearchParam("criteria", "string", ("criteria",), "Topic URL or criteria"),
                SearchParam("type", "token", ("channel.type",), "Channel type"),
            ),
            required=("status", "reason", "criteria", "channel"),
        ),
    )
}
