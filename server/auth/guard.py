"""Hooks the FHIR routes call: scope checks, search restriction and audit records.

Every hook is a no-op when the app has no auth context or ``--auth off`` left the request
without a principal, so the routes stay correct with auth disabled (tests, the console until it
signs in). Handlers call, in this order:

- reads: ``await check_read(request, stored, "read"|"vread")`` (403 outside scope; audits);
- searches: ``await restrict_search(request, plan)`` before running it (adds the SQL clause),
  ``await after_search(request, plan, result)`` after (drops out-of-scope ``_include`` s, audits);
- ``$lastn``: ``patients = await restrict_patients(request, patients)`` (None = unrestricted);
- writes: ``await check_write(request, type, body, res_id)`` before storing, and
  ``audit_write(request, "create"|"update"|"delete", stored)`` after.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from anyio import to_thread
from starlette.requests import Request

from server.api.broker import ChangeEvent
from server.auth import patient_access
from server.auth import write_policy as wp
from server.auth.audit import Record
from server.auth.context import AuthContext
from server.auth.liveness import watch
from server.auth.principal import Principal
from server.auth.scope import (
    COMPARTMENTS,
    Compartment,
    is_patient_data,
    memberships_of,
    patients_of,
    search_clause,
)
from server.store import Stored
from server.store import search as s
from server.store.errors import FhirError, NotFound
from server.store.store import SearchResult

_ALWAYS = Compartment("", True)


@dataclass(frozen=True)
class Move:
    """A patient gets a department she did not belong to (audited as a move)."""

    patient: str
    before: tuple[str, ...]
    to: str


class Forbidden(FhirError):
    status = 403
    code = "forbidden"


def context(request: Request) -> AuthContext | None:
    ctx = getattr(request.app.state, "auth", None)
    return ctx if isinstance(ctx, AuthContext) else None


def principal_of(request: Request) -> Principal | None:
    principal = getattr(request.state, "principal", None)
    return principal if isinstance(principal, Principal) else None


def _active(request: Request) -> tuple[AuthContext, Principal] | None:
    ctx = context(request)
    principal = principal_of(request)
    if ctx is None or principal is None:
        return None
    return ctx, principal


def _address(request: Request) -> str | None:
    return request.client.host if request.client else None


async def _orgs(ctx: AuthContext, principal: Principal) -> frozenset[str] | None:
    if principal.unrestricted:
        return None
    return await to_thread.run_sync(ctx.resolver.organizations, principal)


async def _in_scope(ctx: AuthContext, patients: list[str], orgs: frozenset[str]) -> set[str]:
    everyone = await to_thread.run_sync(ctx.resolver.patients, orgs)
    return {p for p in patients if p in everyone}


def _record(ctx: AuthContext, record: Record) -> None:
    if ctx.audit is not None:
        ctx.audit.record(record)


def unknown(res_type: str, res_id: str) -> NotFound:
    """What an unknown id answers; also what the caller gets for what she may not see."""
    return NotFound(f"{res_type}/{res_id} is not known")


def _patient_refusal(
    ctx: AuthContext,
    principal: Principal,
    request: Request,
    interaction: str,
    st: Stored,
    missing: NotFound | None = None,
) -> NotFound:
    """Audit a refused read by a patient-app user; the 404 to raise (as for an unknown id)."""
    if is_patient_data(st.res_type):
        denied = patients_of(st.res_type, st.resource()) or [st.res_id]
        _record(ctx, Record(principal, interaction, _address(request), denied_patients=denied))
    return missing or unknown(st.res_type, st.res_id)


def _audit_gate(principal: Principal) -> None:
    if not principal.may_read_audit:
        raise Forbidden("AuditEvents are only available to leads and administrators")


async def check_read(
    request: Request, st: Stored, interaction: str = "read", missing: NotFound | None = None
) -> None:
    """404 (``missing``: what the route answers for an unknown id) if ``st`` is patient data
    the caller may not see, so what she may not see looks like what does not exist; audit."""
    active = _active(request)
    if active is None:
        return
    ctx, principal = active
    if principal.is_patient:
        if not patient_access.visible(principal, st.res_type, st.resource()):
            raise _patient_refusal(ctx, principal, request, interaction, st, missing)
        if is_patient_data(st.res_type):
            resources = [(st.res_type, st.data)]
            _record(ctx, Record(principal, interaction, _address(request), resources=resources))
        return
    if st.res_type == "AuditEvent":
        _audit_gate(principal)
    if not is_patient_data(st.res_type):
        return
    orgs = await _orgs(ctx, principal)
    if orgs is not None:
        patients = patients_of(st.res_type, st.resource())
        if patients:
            allowed = await _in_scope(ctx, patients, orgs)
            if not allowed:
                if st.res_type != "AuditEvent":
                    _record(
                        ctx,
                        Record(principal, interaction, _address(request), denied_patients=patients),
                    )
                raise missing or unknown(st.res_type, st.res_id)
        elif st.res_type == "Patient" or COMPARTMENTS[st.res_type].always:
            raise missing or unknown(st.res_type, st.res_id)
    if st.res_type != "AuditEvent":
        _record(
            ctx,
            Record(principal, interaction, _address(request), resources=[(st.res_type, st.data)]),
        )


async def check_history(request: Request, res_type: str | None, res_id: str | None) -> None:
    """``_history``: an instance's history is a read of it; type and system history of
    patient data cannot be scoped page by page, so only unrestricted callers get it."""
    active = _active(request)
    if active is None:
        return
    ctx, principal = active
    if principal.is_patient:
        await _patient_history(request, ctx, principal, res_type, res_id)
        return
    if res_type == "AuditEvent" or (res_type is None and not principal.may_read_audit):
        _audit_gate(principal)
    if res_type is not None and res_id is not None:
        store = ctx.resolver.store
        current = await to_thread.run_sync(store.read, res_type, res_id)
        if current is not None and current.deleted and current.version_id > 1:
            # A deleted resource's history still holds its data: judge its last version.
            current = await to_thread.run_sync(
                store.vread, res_type, res_id, current.version_id - 1
            )
        if current is not None and not current.deleted:
            await check_read(request, current, "history-instance")
        return
    if principal.unrestricted or (res_type is not None and not is_patient_data(res_type)):
        return
    raise Forbidden(
        "history across patients is only available to administrators and services; "
        "use a search with _lastUpdated, or the history of one resource"
    )


async def _patient_history(
    request: Request,
    ctx: AuthContext,
    principal: Principal,
    res_type: str | None,
    res_id: str | None,
) -> None:
    """A patient-app user gets the history of one resource only, and only when every version
    of it is visible to them (a message moved out of the patient thread stays hidden)."""
    if res_type is None or res_id is None:
        if res_type is not None and res_type in patient_access.READABLE_REFERENCE_DATA:
            return
        raise Forbidden("history across resources is not available to patient-app users")
    store = ctx.resolver.store

    def versions() -> list[Stored]:
        out: list[Stored] = []
        after: int | None = None
        while True:
            page = store.history(res_type, res_id, count=1000, after_seq=after, with_total=False)
            out += [e for e in page.entries if not e.deleted]
            if page.next_cursor is None:
                return out
            after = int(page.next_cursor)

    found = await to_thread.run_sync(versions)
    if not found:
        raise unknown(res_type, res_id)
    for st in found:
        if not patient_access.visible(principal, st.res_type, st.resource()):
            refusal = _patient_refusal(ctx, principal, request, "history-instance", st)
            if patient_access.visible(principal, res_type, found[-1].resource()):
                # She sees the resource, not all it was: refused, not hidden.
                raise Forbidden(f"{res_type}/{res_id} has versions that are not yours to read")
            raise refusal
    if found and is_patient_data(res_type):
        resources = [(st.res_type, st.data) for st in found[-1:]]
        _record(ctx, Record(principal, "history-instance", _address(request), resources=resources))


async def restrict_search(request: Request, plan: s.SearchPlan) -> None:
    """Add the caller's scope to a planned search (SQL, so totals and paging stay right)."""
    active = _active(request)
    if active is None:
        return
    ctx, principal = active
    name = plan.rt.name
    if principal.is_patient:
        if not patient_access.readable_type(name):
            raise Forbidden(f"{name} is not available to patient-app users")
        plan.conditions.append(patient_access.search_clause(principal, name))
        return
    if name == "AuditEvent":
        _audit_gate(principal)
    orgs = await _orgs(ctx, principal)
    if orgs is None:
        return
    clause = None
    if is_patient_data(name):
        patients = await to_thread.run_sync(ctx.resolver.patients, orgs) if orgs else None
        if patients is not None and ctx.resolver.covers_everyone(patients):
            return  # a shared centre watching every department: nothing to filter
        clause = search_clause(name, orgs, patients)
    if clause is not None:
        plan.conditions.append(clause)


async def after_search(request: Request, plan: s.SearchPlan, result: SearchResult) -> None:
    """Drop ``_include`` d patient data outside scope; audit the page returned."""
    active = _active(request)
    if active is None:
        return
    ctx, principal = active
    if principal.is_patient:
        result.included[:] = [
            st
            for st in result.included
            if patient_access.visible(principal, st.res_type, st.resource())
        ]
    orgs = None if principal.is_patient else await _orgs(ctx, principal)
    if orgs is not None and result.included:
        wanted: dict[int, list[str]] = {}
        for i, st in enumerate(result.included):
            if is_patient_data(st.res_type):
                wanted[i] = patients_of(st.res_type, st.resource())
        all_patients = sorted({p for ps in wanted.values() for p in ps})
        allowed = await _in_scope(ctx, all_patients, orgs) if all_patients else set()
        keep = [
            st
            for i, st in enumerate(result.included)
            if i not in wanted or (wanted[i] and set(wanted[i]) <= allowed)
        ]
        result.included[:] = keep
    if plan.rt.name == "AuditEvent":
        return
    resources = [(st.res_type, st.data) for st in (*result.matches, *result.included)]
    if any(is_patient_data(t) for t, _ in resources):
        _record(
            ctx,
            Record(
                principal,
                "search-type",
                _address(request),
                resources=resources,
                query=f"{request.url.path}?{request.url.query}",
            ),
        )


async def conditional_scope(request: Request, res_type: str) -> tuple[list[Any], str]:
    """Conditions limiting a conditional create's match to what the caller may see, and a key
    naming that scope ([] and "" for unrestricted callers and non-patient data)."""
    active = _active(request)
    if active is None:
        return [], ""
    ctx, principal = active
    if principal.is_patient:
        return [patient_access.search_clause(principal, res_type)], f"patient:{principal.patient}"
    orgs = await _orgs(ctx, principal)
    if orgs is None or not is_patient_data(res_type):
        return [], ""
    patients = await to_thread.run_sync(ctx.resolver.patients, orgs) if orgs else None
    clause = search_clause(res_type, orgs, patients)
    return ([clause] if clause is not None else []), "orgs:" + ",".join(sorted(orgs))


async def restrict_patients(request: Request, patients: list[str] | None) -> list[str] | None:
    """For operations taking a patient list (``$lastn``): the in-scope patients to use.

    None means no restriction (unrestricted caller and no list given); an empty list means
    nothing may be returned.
    """
    active = _active(request)
    if active is None:
        return patients
    ctx, principal = active
    if principal.is_patient:
        own = principal.patient
        return [own] if own is not None and (not patients or own in patients) else []
    orgs = await _orgs(ctx, principal)
    if orgs is None:
        return patients
    if not orgs:
        return []
    if patients:
        return sorted(await _in_scope(ctx, patients, orgs))
    return sorted(await to_thread.run_sync(ctx.resolver.patients, orgs))


def audit_results_events(request: Request, events: list[ChangeEvent]) -> None:
    """Audit the events a ``$events`` replay returned (as a search of them)."""
    active = _active(request)
    if active is None:
        return
    ctx, principal = active
    resources = [
        (e.res_type, e.data)
        for e in events
        if e.data and e.res_type != "AuditEvent" and is_patient_data(e.res_type)
    ]
    if resources:
        query = f"{request.url.path}?{request.url.query}"
        _record(
            ctx,
            Record(principal, "search-type", _address(request), resources=resources, query=query),
        )


def audit_results(request: Request, interaction: str, found: list[Stored], query: bool) -> None:
    """Audit an operation's returned resources (``$lastn`` and the like)."""
    active = _active(request)
    if active is None or not found:
        return
    ctx, principal = active
    q = f"{request.url.path}?{request.url.query}" if query else None
    _record(
        ctx,
        Record(
            principal,
            interaction,
            _address(request),
            resources=[(st.res_type, st.data) for st in found],
            query=q,
        ),
    )


async def check_write(
    request: Request, res_type: str, body: Any, res_id: str | None = None
) -> None:
    """Refuse a write the caller may not make, judged on the old *and* the new version
    (``server.auth.write_policy``): a create (``res_id`` None), an update, or a delete
    (``body`` None). Updates and deletes of what she may not see answer 404, as for an unknown
    id; other refusals 403. Moves of patients between departments are noted for the audit.
    A Subscription body gets its owner stamped here."""
    active = _active(request)
    if active is None:
        return
    ctx, principal = active
    store = ctx.resolver.store
    old: dict[str, Any] | None = None
    if res_id is not None:
        current = await to_thread.run_sync(store.read, res_type, res_id)
        if current is None:
            return  # an unknown id: the store answers 404 and writes nothing
        if not current.deleted:
            old = current.resource()
    if principal.is_patient:
        problem = patient_access.write_problem(
            principal, res_type, body, old, creating=res_id is None
        )
        if problem is not None:
            if old is not None and not patient_access.visible(principal, res_type, old):
                raise await _as_unknown(res_type, res_id, body)
            raise Forbidden(problem)
        return
    new = body if isinstance(body, dict) else None
    orgs = await _orgs(ctx, principal)
    if res_type == "Subscription":
        _check_subscription(principal, orgs, old, new, creating=res_id is None)
        return
    if orgs is not None:  # a restricted staff member
        if res_type in wp.ADMIN_WRITE_TYPES or not is_patient_data(res_type):
            raise Forbidden(f"only an administrator may write {res_type}")
        await _check_patient_write(ctx, principal, orgs, res_type, res_id, old, new, body)
    added = wp.memberships(res_type, new) - wp.memberships(res_type, old)
    if added:
        moves = await _moves(ctx, added)
        if moves and orgs is not None and not wp.is_lead(principal):
            raise Forbidden(
                "enrolling a patient in another department, or moving her there, is a "
                "department lead's act"
            )
        request.state.dho_moves = moves


async def _as_unknown(res_type: str, res_id: str | None, body: Any) -> NotFound:
    """The 404 an unknown id gets, after the same body validation the store does first."""
    if body is not None:
        from server.store.validate import validate_resource

        await to_thread.run_sync(lambda: validate_resource(res_type, body, url_id=res_id))
    return unknown(res_type, str(res_id))


async def _check_patient_write(
    ctx: AuthContext,
    principal: Principal,
    orgs: frozenset[str],
    res_type: str,
    res_id: str | None,
    old: dict[str, Any] | None,
    new: dict[str, Any] | None,
    body: Any,
) -> None:
    """Patient data (or a type that can be): both versions must be about patients she may
    see; about no patient, she must be one of its parties (``write_policy.parties``)."""
    always = res_type == "Patient" or COMPARTMENTS[res_type].always
    if old is not None:
        before = patients_of(res_type, old)
        if before:
            if set(before) - await _in_scope(ctx, before, orgs):
                raise await _as_unknown(res_type, res_id, body)
        elif always:
            raise await _as_unknown(res_type, res_id, body)
    if body is None:  # a delete: only the old version counts
        if old is not None and not always and not patients_of(res_type, old):
            problem = wp.patientless_problem(principal, orgs, res_type, old, None)
            if problem is not None:
                raise Forbidden(problem)
        return
    if new is None:
        return  # not an object: the store answers 400
    if res_type == "Patient" and old is None:
        # Registering a patient: only in one of her own departments.
        managing = wp.reference_id(new.get("managingOrganization"), "Organization")
        if managing is None or managing not in orgs:
            raise Forbidden("a new Patient needs a managingOrganization in your departments")
        return
    after = patients_of(res_type, new)
    if after:
        if set(after) - await _in_scope(ctx, after, orgs):
            raise Forbidden(f"{res_type} refers to a patient outside your departments")
        return
    if always:
        raise Forbidden(f"{res_type} must refer to a patient you follow")
    before_patientless = old if old is not None and not patients_of(res_type, old) else None
    problem = wp.patientless_problem(principal, orgs, res_type, before_patientless, new)
    if problem is not None:
        raise Forbidden(problem)


async def _moves(ctx: AuthContext, added: set[tuple[str, str]]) -> list[Move]:
    """The added (patient, organization) pairs the patient does not have yet."""
    patients = sorted({p for p, _ in added})
    now = await to_thread.run_sync(memberships_of, ctx.resolver.store, patients)
    return [
        Move(patient, tuple(sorted(now.get(patient, ()))), org)
        for patient, org in sorted(added)
        if org not in now.get(patient, set())
    ]


def _check_subscription(
    principal: Principal,
    orgs: frozenset[str] | None,
    old: dict[str, Any] | None,
    new: dict[str, Any] | None,
    *,
    creating: bool,
) -> None:
    """A Subscription belongs to its creator (or a department she names); only the owner
    (or an administrator) changes or deletes it, and the owner stays what it was."""
    if old is not None and orgs is not None:
        if not wp.may_change_owned(principal, orgs, wp.owner_of(old)):
            raise Forbidden("this Subscription belongs to someone else")
    if new is None:
        return
    kept = next(
        (
            e
            for e in (old or {}).get("extension") or ()
            if isinstance(e, dict) and e.get("url") == wp.OWNER_URL
        ),
        None,
    )
    owner = kept if kept is not None else wp.subscription_owner_for(principal, orgs, new)
    wp.stamp_owner(new, owner)


def audit_write(request: Request, interaction: str, st: Stored) -> None:
    """After a write: forget cached scopes and accounts it may change, and audit it (a move
    of a patient to another department gets its own AuditEvent)."""
    ctx = context(request)
    if ctx is not None and st.res_type in ("Patient", "EpisodeOfCare"):
        ctx.resolver.invalidate_patients()
    if ctx is not None and st.res_type in ("Practitioner", "PractitionerRole"):
        ctx.accounts_changed()
    active = _active(request)
    if active is None or not is_patient_data(st.res_type) or st.res_type == "AuditEvent":
        return
    ctx, principal = active
    moves: list[Move] = getattr(request.state, "dho_moves", None) or []
    _record(
        ctx,
        Record(
            principal,
            interaction,
            _address(request),
            resources=[(st.res_type, st.data)],
            moves=[(m.patient, m.before, m.to) for m in moves],
        ),
    )


def add_security(request: Request, statement: dict[str, Any]) -> None:
    """Announce the OAuth2 endpoints in the CapabilityStatement when tokens are required."""
    ctx = context(request)
    if ctx is None or not ctx.enabled:
        return
    from server.auth.oauth import security

    issuer = f"{request.url.scheme}://{request.url.netloc}"
    for rest in statement.get("rest") or ():
        rest["security"] = security(issuer)


EventFilter = Callable[[list[ChangeEvent]], Awaitable[list[ChangeEvent]]]


def websocket_filter(app: Any, principal: Principal | None) -> EventFilter | None:
    """For staff on a notification stream: a filter keeping only events they may read
    (patient data of their departments; AuditEvents for leads and admins). None: no filter."""
    ctx = getattr(app.state, "auth", None)
    if not isinstance(ctx, AuthContext) or principal is None:
        return None
    if principal.is_patient or principal.unrestricted:
        return None  # patients have their own filter; admins and services see everything
    resolver = ctx.resolver

    async def keep(batch: list[ChangeEvent]) -> list[ChangeEvent]:
        orgs = await to_thread.run_sync(resolver.organizations, principal)
        everyone = await to_thread.run_sync(resolver.patients, orgs) if orgs else frozenset()
        out = []
        for event in batch:
            if event.res_type == "AuditEvent" and not principal.may_read_audit:
                continue
            if not is_patient_data(event.res_type) or orgs is None:
                out.append(event)
                continue
            try:
                data = json.loads(event.data)
            except ValueError:
                continue
            patients = patients_of(event.res_type, data) if isinstance(data, dict) else []
            if patients and all(p in everyone for p in patients):
                out.append(event)
            elif not patients and not COMPARTMENTS.get(event.res_type, _ALWAYS).always:
                out.append(event)
        return out

    return keep


def websocket_watch(
    app: Any, principal: Principal | None, on_end: Callable[[str], None]
) -> asyncio.Task[None] | None:
    """A task calling ``on_end(reason)`` once the connection's token no longer holds (the
    account or a role was deactivated, or it expired); None when there is nothing to watch."""
    ctx = getattr(app.state, "auth", None)
    if not isinstance(ctx, AuthContext) or principal is None or not ctx.enabled:
        return None

    async def run() -> None:
        on_end(await watch(ctx.liveness, principal))

    return asyncio.get_running_loop().create_task(run(), name="ws-account-watch")


def audit_push(
    app: Any, principal: Principal | None, address: str | None, batch: list[ChangeEvent]
) -> None:
    """Audit what a live channel pushed (merged per agent and patient at the flush)."""
    ctx = getattr(app.state, "auth", None)
    if not isinstance(ctx, AuthContext) or principal is None or ctx.audit is None:
        return
    resources = [
        (e.res_type, e.data)
        for e in batch
        if e.data and e.res_type != "AuditEvent" and is_patient_data(e.res_type)
    ]
    if resources:
        ctx.audit.record(Record(principal, "live-push", address, resources=resources))
