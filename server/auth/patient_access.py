"""What a patient-app user (a patient, or a relative of one) may see and write.

A patient principal (``Principal.kind == "patient"``) is tied to exactly one Patient. It may:

- read that Patient, and of that patient: Observations, CarePlans, ServiceRequests,
  QuestionnaireResponses, Appointments (as a participant), the patient's RelatedPersons, and
  Communications whose category is ``patient-thread``, ``contact-request`` or
  ``remeasure-request`` (never ``colleague-thread``, nor messages without one of those);
- read the non-patient reference data an app needs (Organization, Practitioner,
  PractitionerRole, Questionnaire);
- create Observations and QuestionnaireResponses about the patient, and Communications of
  category ``patient-thread`` or ``contact-request`` about the patient sent by itself;
- update an Appointment of the patient only to answer for itself (its own
  ``participant.status``; nothing else may change).

Everything else is 403. Searches are restricted in SQL (the patient reference, plus the
category for Communications), so totals and paging are right; ``_include``s, instance
``_history``, vreads and live notifications use :func:`visible` on the resource itself.
Type and system ``_history`` are refused (as for every restricted caller).
"""

from __future__ import annotations

import copy
from typing import Any, Final

from sqlalchemy import ColumnElement, and_, exists, false, literal, select, true

from server.auth.principal import Principal
from server.auth.scope import COMPARTMENTS, patients_of
from server.store.schema import idx_reference, idx_token, resource

CATEGORY_SYSTEM: Final = "http://dho.example/fhir/CodeSystem/communication-category"
#: Communication categories a patient-app user sees (the patient thread).
READABLE_CATEGORIES: Final = frozenset({"patient-thread", "contact-request", "remeasure-request"})
#: ... and may send.
WRITABLE_CATEGORIES: Final = frozenset({"patient-thread", "contact-request"})

#: Patient data a patient-app user may read (about their own patient).
READABLE_PATIENT_DATA: Final = frozenset(
    {
        "Patient",
        "Observation",
        "CarePlan",
        "ServiceRequest",
        "QuestionnaireResponse",
        "Appointment",
        "RelatedPerson",
        "Communication",
    }
)
#: Reference data (no patient) a patient-app user may read.
READABLE_REFERENCE_DATA: Final = frozenset(
    {"Organization", "Practitioner", "PractitionerRole", "Questionnaire"}
)
CREATABLE: Final = frozenset({"Observation", "QuestionnaireResponse", "Communication"})


def categories(data: dict[str, Any]) -> set[str]:
    """The communication-category codes of a Communication."""
    return {
        str(coding.get("code"))
        for concept in data.get("category") or ()
        if isinstance(concept, dict)
        for coding in concept.get("coding") or ()
        if isinstance(coding, dict) and coding.get("system") == CATEGORY_SYSTEM
    }


def readable_type(res_type: str) -> bool:
    return res_type in READABLE_PATIENT_DATA or res_type in READABLE_REFERENCE_DATA


def visible(principal: Principal, res_type: str, data: dict[str, Any] | None) -> bool:
    """Whether ``principal`` (patient kind) may see this resource (version)."""
    if res_type in READABLE_REFERENCE_DATA:
        return True
    if res_type not in READABLE_PATIENT_DATA or not data or principal.patient is None:
        return False
    if patients_of(res_type, data) != [principal.patient]:
        return False  # about someone else, nobody, or several patients
    if res_type == "Communication":
        found = categories(data)
        return bool(found) and found <= READABLE_CATEGORIES
    return True


def search_clause(principal: Principal, res_type: str) -> ColumnElement[bool]:
    """SQL condition on ``resource`` keeping what :func:`visible` keeps (for searches)."""
    patient = principal.patient
    if res_type in READABLE_REFERENCE_DATA:
        return true()
    if res_type not in READABLE_PATIENT_DATA or patient is None:
        return false()
    if res_type == "Patient":
        return resource.c.res_id == patient
    comp = COMPARTMENTS[res_type]
    ref = idx_reference.alias("pscope_ref")
    about = and_(
        ref.c.res_pk == resource.c.pk,
        ref.c.res_type == res_type,
        ref.c.param == comp.key,
        ref.c.target_type == "Patient",
    )
    own = exists(select(literal(1)).select_from(ref).where(about, ref.c.target_id == patient))
    other = exists(select(literal(1)).select_from(ref).where(about, ref.c.target_id != patient))
    clause = and_(own, ~other)
    if res_type == "Communication":
        tok = idx_token.alias("pscope_tok")
        category = and_(
            tok.c.res_pk == resource.c.pk,
            tok.c.res_type == "Communication",
            tok.c.param == "category",
            tok.c.system == CATEGORY_SYSTEM,
        )
        readable = exists(
            select(literal(1))
            .select_from(tok)
            .where(category, tok.c.code.in_(sorted(READABLE_CATEGORIES)))
        )
        unreadable = exists(
            select(literal(1))
            .select_from(tok)
            .where(category, tok.c.code.not_in(sorted(READABLE_CATEGORIES)))
        )
        clause = and_(clause, readable, ~unreadable)
    return clause


def write_problem(
    principal: Principal, res_type: str, body: Any, old: dict[str, Any] | None, creating: bool
) -> str | None:
    """Why ``principal`` (patient kind) may not make this write; None when allowed."""
    if body is None:
        return "a patient-app user cannot delete"
    if not isinstance(body, dict):
        return None  # the route answers 400/422 for it
    if creating:
        if res_type not in CREATABLE:
            return f"a patient-app user cannot create {res_type}"
        if patients_of(res_type, body) != [principal.patient]:
            return f"{res_type} must be about Patient/{principal.patient} only"
        if res_type == "Communication":
            found = categories(body)
            if not found or not found <= WRITABLE_CATEGORIES:
                return "a patient-app user sends patient-thread or contact-request messages only"
            sender = (body.get("sender") or {}).get("reference")
            if sender is not None and sender != principal.fhir_user:
                return f"the sender must be {principal.fhir_user}"
        return None
    if res_type != "Appointment" or old is None:
        return f"a patient-app user cannot change {res_type}"
    if not visible(principal, "Appointment", old):
        return "not an Appointment of yours"
    return _appointment_answer_problem(principal, old, body)


def _appointment_answer_problem(
    principal: Principal, old: dict[str, Any], new: dict[str, Any]
) -> str | None:
    """Only the caller's own participant.status may change (accepting an invitation)."""
    me = principal.fhir_user
    old_participants = old.get("participant") or []
    new_participants = new.get("participant") or []
    if not isinstance(new_participants, list) or len(new_participants) != len(old_participants):
        return "answer an Appointment by changing your own participant.status only"
    normalised = copy.deepcopy(new)
    for before, after in zip(old_participants, normalised["participant"], strict=True):
        if not isinstance(after, dict) or not isinstance(before, dict):
            return "answer an Appointment by changing your own participant.status only"
        actor = (before.get("actor") or {}).get("reference")
        if actor == me and "status" in before:
            after["status"] = before["status"]
    for key in ("meta", "id"):
        normalised.pop(key, None)
    previous = {k: v for k, v in old.items() if k not in ("meta", "id")}
    if normalised != previous:
        return "answer an Appointment by changing your own participant.status only"
    return None
