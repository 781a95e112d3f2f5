"""Patient-app accounts: a user name linked to a Patient or a RelatedPerson (not a Practitioner).

The link lives in ``auth_user.practitioner_id`` as a typed reference (``Patient/<id>`` or
``RelatedPerson/<id>``; staff rows hold a bare Practitioner id), so the FHIR resources need no
extra identifier. A training backend gets :data:`TRAINING_APP_USERS` pairs: ``pasient-<n>`` for
a patient with a relative and ``parorende-<n>`` for that relative (the same patient), so the
patient app and tests have both kinds at hand.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Final

from server.auth.principal import PATIENT, Principal
from server.store import Store

TRAINING_APP_USERS: Final = 5
LINK_PREFIXES: Final = ("Patient/", "RelatedPerson/")
# RelatedPerson.relationship coding of a relative who answers for the patient (dementia).
PROXY_SYSTEM: Final = "http://dho.example/fhir/CodeSystem/relative-role"
PROXY_CODE: Final = "proxy"


@dataclass(frozen=True)
class AppUser:
    username: str
    name: str
    link: str  # Patient/<id> | RelatedPerson/<id>
    patient: str  # the Patient id
    relationship: str  # "" for the patient, else e.g. "datter"


def is_link(value: str) -> bool:
    return value.startswith(LINK_PREFIXES)


def _name(resource: dict[str, Any]) -> str:
    for name in resource.get("name") or ():
        if isinstance(name, dict):
            if name.get("text"):
                return str(name["text"])
            parts = [*name.get("given", ()), name.get("family", "")]
            if any(parts):
                return " ".join(p for p in parts if p)
    return ""


def _ref_id(ref: Any, res_type: str) -> str | None:
    value = ref.get("reference") if isinstance(ref, dict) else None
    prefix = f"{res_type}/"
    if isinstance(value, str) and value.startswith(prefix):
        return value[len(prefix) :]
    return None


def _is_proxy(relative: dict[str, Any]) -> bool:
    return any(
        coding.get("system") == PROXY_SYSTEM and coding.get("code") == PROXY_CODE
        for concept in relative.get("relationship") or ()
        for coding in concept.get("coding") or ()
    )


def _relationship(relative: dict[str, Any]) -> str:
    """The relationship in words (the concept's text, e.g. "datter"), else its display."""
    for concept in relative.get("relationship") or ():
        codings = concept.get("coding") or ()
        if any(coding.get("system") == PROXY_SYSTEM for coding in codings):
            continue
        if concept.get("text"):
            return str(concept["text"])
        for coding in codings:
            if coding.get("display"):
                return str(coding["display"])
    return "pårørende"


def principal_for(store: Store, username: str, link: str, client_id: str) -> Principal | None:
    """The patient-kind Principal of an account linked to ``link`` (None if gone/inactive)."""
    res_type, _, res_id = link.partition("/")
    st = store.read(res_type, res_id)
    if st is None or st.deleted:
        return None
    resource = st.resource()
    if resource.get("active") is False:
        return None
    if res_type == "Patient":
        patient = res_id
    else:
        found = _ref_id(resource.get("patient"), "Patient")
        if found is None:
            return None
        patient = found
    return Principal(
        kind=PATIENT,
        sub=res_id,
        client_id=client_id,
        username=username,
        name=_name(resource) or None,
        fhir_user=link,
        patient=patient,
    )


def training_candidates(store: Store, count: int = TRAINING_APP_USERS) -> list[AppUser]:
    """``pasient-<n>`` / ``parorende-<n>`` for the first ``count`` patients (by id) who have a
    relative and no proxy relative (a patient with dementia does not use the app)."""
    relatives: dict[str, list[dict[str, Any]]] = {}
    for relative in store.all_of_type("RelatedPerson"):
        patient = _ref_id(relative.get("patient"), "Patient")
        if patient is not None and relative.get("active") is not False:
            relatives.setdefault(patient, []).append(relative)
    patients = {p["id"]: p for p in store.all_of_type("Patient") if p.get("active") is not False}
    out: list[AppUser] = []
    n = 0
    for patient_id in sorted(relatives):
        mine = sorted(relatives[patient_id], key=lambda r: str(r["id"]))
        if patient_id not in patients or any(_is_proxy(r) for r in mine):
            continue
        n += 1
        relative = mine[0]
        out.append(
            AppUser(
                f"pasient-{n}", _name(patients[patient_id]), f"Patient/{patient_id}", patient_id, ""
            )
        )
        out.append(
            AppUser(
                f"parorende-{n}",
                _name(relative),
                f"RelatedPerson/{relative['id']}",
                patient_id,
                _relationship(relative),
            )
        )
        if n >= count:
            break
    return out


def describe(store: Store, username: str, link: str) -> AppUser | None:
    """An account for the start-up banner."""
    principal = principal_for(store, username, link, "")
    if principal is None or principal.patient is None:
        return None
    relationship = ""
    if link.startswith("RelatedPerson/"):
        st = store.read("RelatedPerson", link.partition("/")[2])
        relationship = _relationship(st.resource()) if st is not None else "pårørende"
    patient_st = store.read("Patient", principal.patient)
    name = principal.name or ""
    if relationship and patient_st is not None:
        name = f"{name} ({relationship} av {_name(patient_st.resource())})"
    return AppUser(username, name, link, principal.patient, relationship)
