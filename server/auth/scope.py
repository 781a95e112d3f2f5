"""Department scoping: which patients a principal may see, as SQL over the search indexes.

A role at an organization covers:

- a response centre: itself and every department it watches (watched-organization extension);
- a municipality (or any organization): itself and its descendants through ``partOf``.

A patient belongs to the organizations of its *active* EpisodeOfCare.managingOrganization and
its Patient.managingOrganization (a newly registered patient, before any episode). Finished,
planned or cancelled episodes grant nothing. Both facts are server-controlled: every write that
changes them is checked against the old and the new state (``server.auth.write_policy``).

Two caches: the principal's organization set (rebuilt when
an Organization changes), and each organization set's patient ids (one indexed query, about 12 ms
for 2,400 of 10,000 patients; dropped at once when this process writes a Patient or
EpisodeOfCare, and within a second when another worker does). Searches add a membership test
against that list, evaluated per candidate row (never by walking the list), so totals and paging
stay exact; a scope that covers every patient (a shared centre) adds no condition at all.

A resource is patient data when its type has a ``patient`` search parameter (the patient
compartment as this backend indexes it), plus Patient itself.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from typing import Any

from sqlalchemy import (
    ColumnElement,
    CompoundSelect,
    and_,
    exists,
    false,
    func,
    literal,
    not_,
    or_,
    select,
    union,
)

from server.auth.principal import ADMIN, Principal
from server.store import Store
from server.store.indexing import references_of
from server.store.registry import RESOURCE_TYPES
from server.store.schema import idx_reference, idx_token, resource

WATCHED_ORGANIZATION_URL = "http://dho.example/fhir/StructureDefinition/watched-organization"
ORGANIZATION_KIND_SYSTEM = "http://dho.example/fhir/CodeSystem/organization-kind"
ORG_REFRESH_SECONDS = 1.0


@dataclass(frozen=True)
class Compartment:
    """How a type refers to its patient: the index key, and whether every row has one."""

    key: str
    always: bool  # the patient reference is required by validation


def _compartments() -> dict[str, Compartment]:
    out: dict[str, Compartment] = {}
    for rt in RESOURCE_TYPES.values():
        param = rt.by_name.get("patient")
        if param is None or param.kind != "reference":
            continue
        out[rt.name] = Compartment(param.key, bool(set(param.paths) & set(rt.required)))
    return out


COMPARTMENTS = _compartments()


def is_patient_data(res_type: str) -> bool:
    return res_type == "Patient" or res_type in COMPARTMENTS


def patients_of(res_type: str, data: dict[str, Any]) -> list[str]:
    """Ids of the patients a resource is about (its own id for a Patient)."""
    if res_type == "Patient":
        rid = data.get("id")
        return [rid] if isinstance(rid, str) else []
    comp = COMPARTMENTS.get(res_type)
    if comp is None:
        return []
    refs = references_of(RESOURCE_TYPES[res_type], data, comp.key)
    return list(dict.fromkeys(i for t, i in refs if t == "Patient"))


# ----- SQL -------------------------------------------------------------------------------------

#: The only EpisodeOfCare status that ties a patient to a department (and so grants access).
GRANTING_EPISODE_STATUS = "active"


def _episode_is_active(res_pk: Any) -> ColumnElement[bool]:
    tok = idx_token.alias("scope_ep_status")
    return exists(
        select(literal(1))
        .select_from(tok)
        .where(
            tok.c.res_pk == res_pk,
            tok.c.res_type == "EpisodeOfCare",
            tok.c.param == "status",
            tok.c.code == GRANTING_EPISODE_STATUS,
        )
    )


def patients_of_organizations(orgs: frozenset[str]) -> CompoundSelect:
    """``SELECT patient_id`` of every patient belonging to one of ``orgs``."""
    org_list = sorted(orgs)
    ep_org = idx_reference.alias("scope_ep_org")
    ep_pat = idx_reference.alias("scope_ep_pat")
    ep = resource.alias("scope_ep")
    by_episode = (
        select(ep_pat.c.target_id)
        .select_from(
            ep_org.join(
                ep_pat,
                and_(
                    ep_pat.c.res_pk == ep_org.c.res_pk,
                    ep_pat.c.res_type == "EpisodeOfCare",
                    ep_pat.c.param == "patient",
                    ep_pat.c.target_type == "Patient",
                ),
            ).join(ep, and_(ep.c.pk == ep_org.c.res_pk, ep.c.deleted == false()))
        )
        .where(
            ep_org.c.res_type == "EpisodeOfCare",
            ep_org.c.param == "organization",
            ep_org.c.target_id.in_(org_list),
            _episode_is_active(ep_org.c.res_pk),
        )
    )
    pt_org = idx_reference.alias("scope_pt_org")
    pt = resource.alias("scope_pt")
    by_patient = (
        select(pt.c.res_id)
        .select_from(pt_org.join(pt, and_(pt.c.pk == pt_org.c.res_pk, pt.c.deleted == false())))
        .where(
            pt_org.c.res_type == "Patient",
            pt_org.c.param == "organization",
            pt_org.c.target_id.in_(org_list),
        )
    )
    return union(by_episode, by_patient)


MAX_BOUND_PATIENTS = 20_000  # beyond this the patient list is a subquery, not parameters


def _unindexed(column: ColumnElement[str]) -> ColumnElement[str]:
    """``column || ''``: the same value, but SQLite can no longer drive the query by walking the
    (thousands long) patient list through an index; membership is then tested per candidate
    row, so the cost follows the rows the other conditions select."""
    return column.concat("")


def search_clause(
    res_type: str, orgs: frozenset[str], patients: frozenset[str] | None = None
) -> ColumnElement[bool] | None:
    """Condition on ``resource`` keeping only rows of patients in ``orgs`` (None: not patient
    data, no restriction). ``patients``, when given, is that scope's (cached) patient set."""
    if not orgs:
        member: Any = None
    elif patients is not None and len(patients) <= MAX_BOUND_PATIENTS:
        member = sorted(patients)
    else:
        member = patients_of_organizations(orgs)
    if res_type == "Patient":
        return false() if member is None else _unindexed(resource.c.res_id).in_(member)
    comp = COMPARTMENTS.get(res_type)
    if comp is None:
        return None
    ref = idx_reference.alias("scope_ref")
    about_patient = and_(
        ref.c.res_pk == resource.c.pk,
        ref.c.res_type == res_type,
        ref.c.param == comp.key,
        ref.c.target_type == "Patient",
    )
    in_scope: ColumnElement[bool]
    if member is not None:
        in_scope = exists(
            select(literal(1))
            .select_from(ref)
            .where(about_patient, _unindexed(ref.c.target_id).in_(member))
        )
    else:
        in_scope = false()
    if comp.always:
        return in_scope
    # Rows about no patient at all (a department task, a colleague message) are not patient data.
    no_patient = not_(exists(select(literal(1)).select_from(ref).where(about_patient)))
    return or_(in_scope, no_patient)


def _memberships(ids: list[str], orgs: list[str] | None) -> CompoundSelect:
    """``SELECT patient, organization`` of the patients ``ids``: active episodes and their own
    managingOrganization (only those in ``orgs`` when given)."""
    ep_org = idx_reference.alias("m_ep_org")
    ep_pat = idx_reference.alias("m_ep_pat")
    ep = resource.alias("m_ep")
    episode_where = [
        ep_pat.c.res_type == "EpisodeOfCare",
        ep_pat.c.param == "patient",
        ep_pat.c.target_type == "Patient",
        ep_pat.c.target_id.in_(ids),
        _episode_is_active(ep_pat.c.res_pk),
    ]
    pt_org = idx_reference.alias("m_pt_org")
    patient_where = [
        resource.c.res_type == "Patient",
        resource.c.res_id.in_(ids),
        resource.c.deleted == false(),
        pt_org.c.res_type == "Patient",
        pt_org.c.param == "organization",
    ]
    if orgs is not None:
        episode_where.append(ep_org.c.target_id.in_(orgs))
        patient_where.append(pt_org.c.target_id.in_(orgs))
    by_episode = (
        select(ep_pat.c.target_id, ep_org.c.target_id)
        .select_from(
            ep_pat.join(
                ep_org,
                and_(
                    ep_org.c.res_pk == ep_pat.c.res_pk,
                    ep_org.c.res_type == "EpisodeOfCare",
                    ep_org.c.param == "organization",
                ),
            ).join(ep, and_(ep.c.pk == ep_pat.c.res_pk, ep.c.deleted == false()))
        )
        .where(*episode_where)
    )
    by_patient = (
        select(resource.c.res_id, pt_org.c.target_id)
        .select_from(resource.join(pt_org, pt_org.c.res_pk == resource.c.pk))
        .where(*patient_where)
    )
    return union(by_episode, by_patient)


def patients_in_scope(store: Store, patient_ids: list[str], orgs: frozenset[str]) -> set[str]:
    """The subset of ``patient_ids`` that belong to ``orgs`` (one indexed query)."""
    if not patient_ids or not orgs:
        return set()
    query = _memberships(sorted(set(patient_ids)), sorted(orgs))
    with store.reading() as conn:
        return {pid for pid, _org in conn.execute(query).all()}


def memberships_of(store: Store, patient_ids: list[str]) -> dict[str, set[str]]:
    """Each patient's organizations now: active episodes' and its own managingOrganization."""
    out: dict[str, set[str]] = {p: set() for p in patient_ids}
    if not patient_ids:
        return out
    with store.reading() as conn:
        for pid, org in conn.execute(_memberships(sorted(set(patient_ids)), None)).all():
            out.setdefault(pid, set()).add(org)
    return out


# ----- organizations ---------------------------------------------------------------------------


@dataclass(frozen=True)
class OrgGraph:
    children: dict[str, frozenset[str]]
    watched: dict[str, frozenset[str]]

    def covered(self, org: str) -> frozenset[str]:
        """``org``, what it watches, and all their partOf descendants."""
        todo = [org, *self.watched.get(org, ())]
        seen: set[str] = set()
        while todo:
            current = todo.pop()
            if current in seen:
                continue
            seen.add(current)
            todo.extend(self.children.get(current, ()))
        return frozenset(seen)


def build_graph(organizations: list[dict[str, Any]]) -> OrgGraph:
    children: dict[str, set[str]] = {}
    watched: dict[str, frozenset[str]] = {}
    for org in organizations:
        oid = org.get("id")
        if not isinstance(oid, str):
            continue
        parent = (org.get("partOf") or {}).get("reference", "")
        if parent.startswith("Organization/"):
            children.setdefault(parent.split("/", 1)[1], set()).add(oid)
        refs = [
            (ext.get("valueReference") or {}).get("reference", "")
            for ext in org.get("extension") or ()
            if ext.get("url") == WATCHED_ORGANIZATION_URL
        ]
        watched[oid] = frozenset(r.split("/", 1)[1] for r in refs if r.startswith("Organization/"))
    return OrgGraph({k: frozenset(v) for k, v in children.items()}, watched)


class ScopeResolver:
    """Organization sets per role assignment set, cached; rebuilt when Organizations change."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self._lock = threading.Lock()
        self._graph: OrgGraph | None = None
        self._stamp: tuple[Any, ...] | None = None
        self._checked = 0.0
        self._cache: dict[tuple[Any, ...], frozenset[str]] = {}
        self._patients: dict[frozenset[str], frozenset[str]] = {}
        self._patient_stamp: tuple[Any, ...] | None = None
        self._patients_checked = 0.0

    def _org_stamp(self) -> tuple[Any, ...]:
        with self.store.reading() as conn:
            row = conn.execute(
                select(func.count(), func.max(resource.c.last_updated)).where(
                    resource.c.res_type == "Organization"
                )
            ).one()
        return tuple(row)

    def graph(self) -> OrgGraph:
        with self._lock:
            now = time.monotonic()
            if self._graph is None or now - self._checked > ORG_REFRESH_SECONDS:
                stamp = self._org_stamp()
                self._checked = now
                if stamp != self._stamp or self._graph is None:
                    self._graph = build_graph(self.store.all_of_type("Organization"))
                    self._stamp = stamp
                    self._cache.clear()
            return self._graph

    def _people_stamp(self) -> tuple[Any, ...]:
        """Changes whenever a Patient or EpisodeOfCare is created, updated or deleted."""
        out: list[Any] = []
        with self.store.reading() as conn:
            for res_type in ("Patient", "EpisodeOfCare"):
                row = conn.execute(
                    select(func.count(), func.max(resource.c.last_updated)).where(
                        resource.c.res_type == res_type
                    )
                ).one()
                out.extend(row)
            live = conn.execute(
                select(func.count()).where(
                    resource.c.res_type == "Patient", resource.c.deleted == false()
                )
            ).scalar_one()
        return (*out, live)

    def covers_everyone(self, patients: frozenset[str]) -> bool:
        """True when ``patients`` (a scope's set) is every live Patient: no filter needed."""
        with self._lock:
            stamp = self._patient_stamp
        return stamp is not None and len(patients) >= int(stamp[-1])

    def invalidate_patients(self) -> None:
        """Forget cached patient sets (this process wrote a Patient or EpisodeOfCare)."""
        with self._lock:
            self._patients.clear()
            self._patient_stamp = None

    def patients(self, orgs: frozenset[str]) -> frozenset[str]:
        """Every patient of ``orgs``; cached, and recomputed after Patient/EpisodeOfCare
        writes (at once for writes through this process, within a second for others)."""
        now = time.monotonic()
        with self._lock:
            stale = (
                self._patient_stamp is None or now - self._patients_checked > ORG_REFRESH_SECONDS
            )
        if stale:
            stamp = self._people_stamp()
            with self._lock:
                self._patients_checked = now
                if stamp != self._patient_stamp:
                    self._patients.clear()
                    self._patient_stamp = stamp
        with self._lock:
            cached = self._patients.get(orgs)
        if cached is not None:
            return cached
        with self.store.reading() as conn:
            found = frozenset(conn.execute(patients_of_organizations(orgs)).scalars())
        with self._lock:
            self._patients[orgs] = found
        return found

    def organizations(self, principal: Principal) -> frozenset[str] | None:
        """Organization ids whose patients ``principal`` sees; None = every patient."""
        if principal.unrestricted:
            return None
        key = tuple(sorted((a.role, a.organization) for a in principal.assignments))
        graph = self.graph()
        with self._lock:
            cached = self._cache.get(key)
            if cached is not None:
                return cached
        orgs: set[str] = set()
        for assignment in principal.assignments:
            if assignment.role == ADMIN:
                return None
            orgs |= graph.covered(assignment.organization)
        result = frozenset(orgs)
        with self._lock:
            self._cache[key] = result
        return result
