"""Who may change what: the old-and-new rule, in pure functions the guard applies to every write.

For a restricted staff member (a nurse, lead or superuser; admins and services are unrestricted):

- **Patient data** (a type with a patient compartment, and Patient): every patient the old
  version refers to, and every patient the new one refers to, must be one she may already see
  (an update or delete of what she may not see answers 404, exactly as for an unknown id). The
  one exception is registering a new Patient, whose managingOrganization must be one of her
  departments.
- **Who may see a patient** is decided by memberships: (patient, department) pairs granted by an
  *active* EpisodeOfCare and by Patient.managingOrganization (:func:`memberships`). A write that
  adds a pair the patient does not already have (enrolling her in, or moving her to, another
  department; re-pointing an episode to another patient) widens who sees her: only a lead may do
  that, and it is audited as a move. Removing pairs (finishing an episode) only narrows.
- **Data about no patient** belongs to its parties (:func:`parties`): a quick-reply template to
  its sender department, a message to its sender and recipients, a task to its requester, owner
  and recipients. She must be one of them (herself, or one of her departments) before and after
  the write, and a new author must be herself or one of her departments.
- **Subscriptions** belong to the user who created them (or to a department she names): the
  owner extension (:data:`OWNER_URL`) is set by the server and cannot be changed.
- **Everything else** (Organization, Practitioner, PractitionerRole, Questionnaire, AuditEvent,
  and any type not named here) is written by administrators (and services) only.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, Final

from server.auth.principal import LEAD, Principal

OWNER_URL: Final = "http://dho.example/fhir/StructureDefinition/resource-owner"
#: Types only an administrator (or a service) may write. Unknown types are treated the same.
ADMIN_WRITE_TYPES: Final = frozenset(
    {"Organization", "Practitioner", "PractitionerRole", "Questionnaire", "AuditEvent"}
)
#: Where each patientless type names its parties, and which of them is the author.
_PARTY_PATHS: Final[dict[str, tuple[tuple[str, ...], ...]]] = {
    "Communication": (("sender",), ("recipient",)),
    "Task": (("requester",), ("owner",), ("restriction", "recipient")),
    "Appointment": (("participant", "actor"),),
    "CareTeam": (("managingOrganization",), ("participant", "member")),
    "Encounter": (("serviceProvider",), ("participant", "individual")),
    "Composition": (("author",), ("custodian",)),
    "DetectedIssue": (("author",),),
    "QuestionnaireResponse": (("author",), ("source",)),
}
_AUTHOR_PATH: Final[dict[str, tuple[str, ...]]] = {
    "Communication": ("sender",),
    "Task": ("requester",),
    "Composition": ("author",),
    "DetectedIssue": ("author",),
    "QuestionnaireResponse": ("author",),
}


def reference_id(ref: Any, res_type: str) -> str | None:
    """``{"reference": "Type/id"}`` → id (None for another type, a URL or no reference)."""
    value = ref.get("reference") if isinstance(ref, Mapping) else None
    prefix = f"{res_type}/"
    if isinstance(value, str) and value.startswith(prefix) and "/" not in value[len(prefix) :]:
        return value[len(prefix) :] or None
    return None


def memberships(res_type: str, data: Mapping[str, Any] | None) -> set[tuple[str, str]]:
    """The (patient, organization) pairs this resource version grants access through."""
    if not isinstance(data, Mapping):
        return set()
    org = reference_id(data.get("managingOrganization"), "Organization")
    if org is None:
        return set()
    if res_type == "Patient":
        pid = data.get("id")
        return {(pid, org)} if isinstance(pid, str) and pid else set()
    if res_type == "EpisodeOfCare" and data.get("status") == "active":
        patient = reference_id(data.get("patient"), "Patient")
        return {(patient, org)} if patient else set()
    return set()


def _walk(value: Any, path: tuple[str, ...]) -> Iterable[Any]:
    if not path:
        if isinstance(value, list):
            yield from value
        else:
            yield value
        return
    if isinstance(value, list):
        for item in value:
            yield from _walk(item, path)
    elif isinstance(value, Mapping):
        yield from _walk(value.get(path[0]), path[1:])


def _refs(data: Mapping[str, Any], path: tuple[str, ...]) -> set[str]:
    out = set()
    for item in _walk(data, path):
        if isinstance(item, Mapping) and isinstance(item.get("reference"), str):
            out.add(item["reference"])
    return out


def parties(res_type: str, data: Mapping[str, Any] | None) -> set[str]:
    """References (``Practitioner/x``, ``Organization/y``) that own a patientless resource."""
    if not isinstance(data, Mapping):
        return set()
    out: set[str] = set()
    for path in _PARTY_PATHS.get(res_type, ()):
        out |= _refs(data, path)
    return out


def author(res_type: str, data: Mapping[str, Any] | None) -> set[str]:
    path = _AUTHOR_PATH.get(res_type)
    if path is None or not isinstance(data, Mapping):
        return set()
    return _refs(data, path)


def selves(principal: Principal, orgs: frozenset[str]) -> set[str]:
    """The references that stand for the writer: herself and the organizations she covers."""
    out = {f"Organization/{o}" for o in orgs}
    if principal.reference:
        out.add(principal.reference)
    return out


def patientless_problem(
    principal: Principal,
    orgs: frozenset[str],
    res_type: str,
    old: Mapping[str, Any] | None,
    new: Mapping[str, Any] | None,
) -> str | None:
    """Why a restricted writer may not make this write of data about no patient; None if ok."""
    if res_type not in _PARTY_PATHS:
        return f"only an administrator may write {res_type}"
    me = selves(principal, orgs)
    if old is not None and not (parties(res_type, old) & me):
        return f"this {res_type} belongs to someone else (you are none of its parties)"
    if new is not None:
        if not (parties(res_type, new) & me):
            return f"a {res_type} about no patient must name you or your department as a party"
        written_by = author(res_type, new)
        if written_by != author(res_type, old) and not written_by <= me:
            return f"the author of a {res_type} must be you or one of your departments"
    return None


def owner_of(data: Mapping[str, Any] | None) -> str | None:
    """The owner reference stamped on a Subscription (None: unowned, e.g. auth off)."""
    if not isinstance(data, Mapping):
        return None
    for ext in data.get("extension") or ():
        if isinstance(ext, Mapping) and ext.get("url") == OWNER_URL:
            ref = ext.get("valueReference")
            if isinstance(ref, Mapping):
                value = ref.get("reference")
                if isinstance(value, str):
                    return value
                ident = ref.get("identifier")
                if isinstance(ident, Mapping) and isinstance(ident.get("value"), str):
                    return f"client:{ident['value']}"
    return None


def owner_extension(principal: Principal) -> dict[str, Any]:
    if principal.reference:
        return {"url": OWNER_URL, "valueReference": {"reference": principal.reference}}
    from server.auth.audit import CLIENT_ID_SYSTEM

    return {
        "url": OWNER_URL,
        "valueReference": {
            "identifier": {"system": CLIENT_ID_SYSTEM, "value": principal.client_id},
            "display": principal.client_id,
        },
    }


def stamp_owner(body: dict[str, Any], owner: dict[str, Any]) -> None:
    """Replace any owner extension in ``body`` by ``owner`` (clients cannot choose it)."""
    others = [
        e
        for e in body.get("extension") or ()
        if not (isinstance(e, Mapping) and e.get("url") == OWNER_URL)
    ]
    body["extension"] = [*others, owner]


def subscription_owner_for(
    principal: Principal, orgs: frozenset[str] | None, body: Mapping[str, Any]
) -> dict[str, Any]:
    """The owner a new Subscription gets: a department the creator names and covers, else her."""
    asked = owner_of(body)
    if asked is not None and asked.startswith("Organization/"):
        org = asked.split("/", 1)[1]
        if orgs is None or org in orgs:
            return {"url": OWNER_URL, "valueReference": {"reference": asked}}
    return owner_extension(principal)


def may_change_owned(principal: Principal, orgs: frozenset[str], owner: str | None) -> bool:
    if owner is None:
        return True  # created with auth off: nobody's
    return owner in selves(principal, orgs)


def is_lead(principal: Principal) -> bool:
    return LEAD in principal.roles
