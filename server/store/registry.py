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
    )
}
