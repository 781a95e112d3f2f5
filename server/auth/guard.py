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

import json
from collections.abc import Awaitable, Callable
from typing import Any

from anyio import to_thread
from starlette.requests import Request

from server.api.broker import ChangeEvent
from server.auth import patient_access
from server.auth.audit import Record
from server.auth.context import AuthContext
from server.auth.principal import Principal
from server.auth.scope import (
    ADMIN_WRITE_TYPES,
    COMPARTMENTS,
    Compartment,
    is_patient_data,
    patients_of,
    search_clause,
)
from server.store import Stored
from server.store import search as s
from server.store.errors import FhirError
from server.store.store import SearchResult

_ALWAYS = Compartment("", True)


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


def _patient_refusal(
    ctx: AuthContext, principal: Principal, request: Request, interaction: str, st: Stored
) -> Forbidden:
    """Audit a refused read by a patient-app user; the 403 to raise."""
    if is_patient_data(st.res_type):
        denied = patients_of(st.res_type, st.resource()) or [st.res_id]
        _record(ctx, Record(principal, interaction, _address(request), denied_patients=denied))
    return Forbidden(f"{st.res_type}/{st.res_id} is not part of your own record")


def _audit_gate(principal: Principal) -> None:
    if not principal.may_read_audit:
        raise Forbidden("AuditEvents are only available to leads and administrators")


async def check_read(request: Request, st: Stored, interaction: str = "read") -> None:
    """403 if ``st`` is patient data outside the caller's departments; audit the read."""
    active = _active(request)
    if active is None:
        return
    ctx, principal = active
    if principal.is_patient:
        if not patient_access.visible(principal, st.res_type, st.resource()):
            raise _patient_refusal(ctx, principal, request, interaction, st)
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
                raise Forbidden(
                    f"{st.res_type}/{st.res_id} belongs to a patient outside your departments"
                )
        elif st.res_type == "Patient" or COMPARTMENTS[st.res_type].always:
            raise Forbidden(f"{st.res_type}/{st.res_id} is not about a patient you follow")
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
        current = await to_thread.run_sync(ctx.resolver.store.read, res_type, res_id)
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
    for st in found:
        if not patient_access.visible(principal, st.res_type, st.resource()):
            raise _patient_refusal(ctx, principal, request, "history-instance", st)
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
    """403 unless the caller may write this resource: a create (``res_id`` None), an update
    (the version it replaces must be in scope too) or a delete (``body`` None)."""
    active = _active(request)
    if active is None:
        return
    ctx, principal = active
    if principal.unrestricted:
        return
    if principal.is_patient:
        old_version: dict[str, Any] | None = None
        if res_id is not None:
            current = await to_thread.run_sync(ctx.resolver.store.read, res_type, res_id)
            if current is not None and not current.deleted:
                old_version = current.resource()
        problem = patient_access.write_problem(
            principal, res_type, body, old_version, creating=res_id is None
        )
        if problem is not None:
            raise Forbidden(problem)
        return
    if res_type in ADMIN_WRITE_TYPES or res_type == "AuditEvent":
        raise Forbidden(f"only an administrator may write {res_type}")
    if not is_patient_data(res_type):
        return
    orgs = await _orgs(ctx, principal)
    assert orgs is not None
    old: dict[str, Any] | None = None
    if res_id is not None:
        current = await to_thread.run_sync(ctx.resolver.store.read, res_type, res_id)
        if current is not None and not current.deleted:
            old = current.resource()
    if body is None:  # delete
        wanted = patients_of(res_type, old) if old else []
        if wanted and set(wanted) - await _in_scope(ctx, wanted, orgs):
            raise Forbidden(f"{res_type}/{res_id} belongs to a patient outside your departments")
        return
    if not isinstance(body, dict):
        return
    managing = _reference_id(body.get("managingOrganization"))
    if res_type == "Patient":
        # A patient is in scope through its managing organization (or its episodes).
        if managing is not None and managing not in orgs:
            raise Forbidden("the managingOrganization is not one of your departments")
        if old is None:
            if managing is None:
                raise Forbidden("a new Patient needs a managingOrganization in your departments")
            return
        wanted = patients_of("Patient", old)
    elif res_type == "EpisodeOfCare" and managing is not None and managing in orgs:
        # Enrolling a patient into one of your own departments is allowed; changing someone
        # else's episode is not.
        old_managing = _reference_id(old.get("managingOrganization")) if old else None
        wanted = [] if old is None or old_managing in orgs else patients_of(res_type, old)
    else:
        wanted = patients_of(res_type, body) + (patients_of(res_type, old) if old else [])
        if not wanted and COMPARTMENTS[res_type].always:
            raise Forbidden(f"{res_type} must refer to a patient you follow")
    wanted = sorted(set(wanted))
    if wanted and set(wanted) - await _in_scope(ctx, wanted, orgs):
        raise Forbidden(f"{res_type} refers to a patient outside your departments")


def audit_write(request: Request, interaction: str, st: Stored) -> None:
    """After a write: forget cached scopes it may change, and audit it."""
    ctx = context(request)
    if ctx is not None and st.res_type in ("Patient", "EpisodeOfCare"):
        ctx.resolver.invalidate_patients()
    active = _active(request)
    if active is None or not is_patient_data(st.res_type) or st.res_type == "AuditEvent":
        return
    ctx, principal = active
    _record(
        ctx, Record(principal, interaction, _address(request), resources=[(st.res_type, st.data)])
    )


def _reference_id(ref: Any) -> str | None:
    value = ref.get("reference") if isinstance(ref, dict) else None
    if isinstance(value, str) and value.startswith("Organization/"):
        return value.split("/", 1)[1]
    return None


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
