"""FHIR R4 REST routes under ``/fhir``: metadata, read, vread, create (also conditional),
version-aware update and delete, search, ``_history`` (instance, type, system) and ``$lastn``.

Bundles are assembled from the stored JSON text by string concatenation, so large searchsets
(``$lastn`` over thousands of patients) never parse and re-serialise every resource.
"""

from __future__ import annotations

import json
import re
import uuid
from typing import Any
from urllib.parse import parse_qsl, urlencode

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from server.api import plain
from server.api.capability import capability_statement
from server.api.service import FhirService
from server.auth import guard
from server.clock import process_now_us
from server.store import Stored
from server.store import search as s
from server.store.errors import (
    BadRequest,
    FhirError,
    Gone,
    NotFound,
    PreconditionRequired,
    UnknownParameter,
)
from server.store.fhirtime import (
    DateFormatError,
    format_http_date,
    format_instant,
    parse_range,
)
from server.store.store import MAX_REVINCLUDE, HistoryResult, LastnPage, SearchResult
from server.store.validate import resource_type

FHIR_JSON = "application/fhir+json"
VERSION = "0.1.0"


def fhir_response(
    body: str | dict[str, Any], status: int = 200, headers: dict[str, str] | None = None
) -> Response:
    text = body if isinstance(body, str) else json.dumps(body, ensure_ascii=False)
    return Response(text, status_code=status, media_type=FHIR_JSON, headers=headers)


def operation_outcome(
    status: int,
    code: str,
    diagnostics: str,
    *,
    expression: list[str] | None = None,
    headers: dict[str, str] | None = None,
) -> Response:
    severity = "error" if status < 500 else "fatal"
    issue: dict[str, Any] = {"severity": severity, "code": code, "diagnostics": diagnostics}
    if expression:
        issue["expression"] = expression
    body = {"resourceType": "OperationOutcome", "issue": [issue]}
    return fhir_response(body, status, headers)


def outcome_for(exc: FhirError) -> Response:
    """The OperationOutcome response for a store/API error (status, expression, headers)."""
    return operation_outcome(
        exc.status, exc.code, exc.diagnostics, expression=exc.expression, headers=exc.headers
    )


def base_url(request: Request) -> str:
    return f"{request.url.scheme}://{request.url.netloc}/fhir"


def service(request: Request) -> FhirService:
    svc: FhirService = request.app.state.service
    return svc


def _entry(base: str, st: Stored, mode: str, elements: list[str] | None = None) -> str:
    data = st.data if elements is None else subset(st.data, elements)
    return (
        f'{{"fullUrl":"{base}/{st.res_type}/{st.res_id}","resource":{data},'
        f'"search":{{"mode":"{mode}"}}}}'
    )


SUBSETTED = {
    "system": "http://terminology.hl7.org/CodeSystem/v3-ObservationValue",
    "code": "SUBSETTED",
}


def subset(data: str, elements: list[str]) -> str:
    """``_elements``: keep resourceType, id, meta and the named elements; tag SUBSETTED."""
    res = json.loads(data)
    prefixes = [e[:-3] for e in elements if e.endswith("[x]")]
    names = {"resourceType", "id", "meta", *elements}

    def wanted(key: str) -> bool:
        if key in names:
            return True
        # value[x] keeps valueQuantity, valueString, ...
        return any(key.startswith(p) and key[len(p) : len(p) + 1].isupper() for p in prefixes)

    out = {k: v for k, v in res.items() if wanted(k)}
    meta = dict(out.get("meta") or {})
    meta["tag"] = [*meta.get("tag", []), SUBSETTED]
    out["meta"] = meta
    return json.dumps(out, ensure_ascii=False)


def searchset(
    base: str,
    self_url: str,
    *,
    total: int | None,
    matches: list[Stored],
    included: list[Stored] = (),  # type: ignore[assignment]
    next_url: str | None = None,
    elements: list[str] | None = None,
    warnings: list[str] = (),  # type: ignore[assignment]
) -> str:
    links = [{"relation": "self", "url": self_url}]
    if next_url:
        links.append({"relation": "next", "url": next_url})
    head: dict[str, Any] = {
        "resourceType": "Bundle",
        "id": uuid.uuid4().hex,
        "meta": {"lastUpdated": format_instant(process_now_us())},
        "type": "searchset",
    }
    if total is not None:
        head["total"] = total
    head["link"] = links
    text = json.dumps(head, ensure_ascii=False)[:-1]
    entries = [_entry(base, m, "match", elements) for m in matches]
    entries += [_entry(base, i, "include") for i in included]
    for text_ in warnings:
        outcome = {
            "resourceType": "OperationOutcome",
            "issue": [{"severity": "warning", "code": "too-costly", "diagnostics": text_}],
        }
        entries.append(
            json.dumps({"resource": outcome, "search": {"mode": "outcome"}}, ensure_ascii=False)
        )
    if not entries:
        return text + "}"
    # One join: a page of several MiB is copied once, not once per concatenation.
    return "".join([text, ',"entry":[', ",".join(entries), "]}"])


def _response_budget(request: Request) -> int | None:
    """Bytes of resources one answer may carry (``create_app(max_response_bytes=...)``)."""
    limit = getattr(request.app.state, "max_response_bytes", None)
    return int(limit) - 4096 if isinstance(limit, int) else None


def _plain(request: Request) -> bool:
    """The plain-R4 profile (only what the standard gives; server.api.plain)."""
    return not request.app.state.profile.extensions


def _resource_headers(request: Request, base: str, st: Stored) -> dict[str, str]:
    version = service(request).store.version_text(st)
    return {
        "ETag": f'W/"{version}"',
        "Last-Modified": format_http_date(st.last_updated),
        "Content-Location": f"{base}/{st.res_type}/{st.res_id}/_history/{version}",
    }


async def metadata(request: Request) -> Response:
    clock = request.app.state.clock
    statement = capability_statement(
        base_url(request),
        software_version=VERSION,
        date=clock.instant(),
        profile=request.app.state.profile,
        clock=clock,
        escalation_after=request.app.state.escalate_after,
    )
    guard.add_security(request, statement)
    return fhir_response(statement)


async def _check_deleted(request: Request, st: Stored, missing: NotFound | None = None) -> None:
    """A deletion answers 410 only to whom could see what was deleted; to anyone else, 404
    like an id that never existed (a tombstone holds no content, so the version before it
    decides whose patient it was)."""
    if st.version_id <= 1:
        return
    svc = service(request)
    before = await svc.run(svc.store.vread, st.res_type, st.res_id, st.version_id - 1)
    if before is not None and not before.deleted:
        await guard.check_read(request, before, "read", missing)


async def read(request: Request) -> Response:
    res_type = request.path_params["type"]
    res_id = request.path_params["id"]
    resource_type(res_type)
    st = await service(request).run(service(request).store.read, res_type, res_id)
    if st is None:
        raise NotFound(f"{res_type}/{res_id} is not known")
    if st.deleted:
        await _check_deleted(request, st)
        raise Gone(f"{res_type}/{res_id} was deleted")
    await guard.check_read(request, st, "read")
    return fhir_response(st.data, headers=_resource_headers(request, base_url(request), st))


async def vread(request: Request) -> Response:
    res_type = request.path_params["type"]
    res_id = request.path_params["id"]
    vid = request.path_params["vid"]
    resource_type(res_type)
    svc = service(request)
    number = await svc.run(svc.store.version_number, res_type, res_id, vid)
    if number is None:
        raise NotFound(f"{res_type}/{res_id} has no version {vid!r}")
    st = await svc.run(svc.store.vread, res_type, res_id, number)
    if st is None:
        raise NotFound(f"{res_type}/{res_id}/_history/{vid} is not known")
    if st.deleted:
        await _check_deleted(
            request, st, NotFound(f"{res_type}/{res_id}/_history/{vid} is not known")
        )
        raise Gone(f"{res_type}/{res_id} version {vid} is a deletion")
    await guard.check_read(
        request, st, "vread", NotFound(f"{res_type}/{res_id}/_history/{vid} is not known")
    )
    return fhir_response(st.data, headers=_resource_headers(request, base_url(request), st))


async def create(request: Request) -> Response:
    res_type = request.path_params["type"]
    resource_type(res_type)
    body = await _json_body(request)
    await guard.check_write(request, res_type, body)
    svc = service(request)
    base = base_url(request)
    condition = request.headers.get("if-none-exist")
    status = 201
    if condition is not None:
        query = _condition_query(condition)
        # Matched within what the caller may see: a match she may not see answers exactly as
        # no match would (FHIR's advice), so the answer tells nothing about other departments.
        extra, scope_key = await guard.conditional_scope(request, res_type)
        st, created = await svc.conditional_create(
            res_type, body, query, base, extra=extra, scope_key=scope_key
        )
        status = 201 if created else 200
    else:
        st = await svc.create(res_type, body)
    if status == 201:
        guard.audit_write(request, "create", st)
    else:
        await guard.check_read(request, st, "read")  # the match may be someone else's patient
    return _written(request, base, st, status)


def _written(request: Request, base: str, st: Stored, status: int) -> Response:
    """Response to a create or update: ETag, Last-Modified, Location; body unless minimal."""
    headers = _resource_headers(request, base, st)
    headers["Location"] = headers.pop("Content-Location")
    prefer = request.headers.get("prefer", "")
    if "return=minimal" in prefer:
        return Response(status_code=status, headers=headers)
    return fhir_response(st.data, status, headers)


async def _json_body(request: Request) -> Any:
    content_type = request.headers.get("content-type", "")
    if content_type and "json" not in content_type:
        raise FhirError(
            f"unsupported content type {content_type!r}; send {FHIR_JSON}",
            status=415,
            code="not-supported",
        )
    raw = await request.body()
    try:
        return json.loads(raw)
    except (ValueError, RecursionError) as exc:
        raise BadRequest(f"the body is not valid JSON: {exc}", code="structure") from exc


def _condition_query(header: str) -> list[tuple[str, str]]:
    """``If-None-Exist: identifier=sys|val`` (an optional ``Type?`` prefix is allowed)."""
    text = header.strip()
    if "?" in text:
        text = text.split("?", 1)[1]
    try:
        query = parse_qsl(text, keep_blank_values=True, strict_parsing=True)
    except ValueError as exc:
        raise BadRequest(f"If-None-Exist is not a search query: {header!r}") from exc
    if not query:
        raise BadRequest("If-None-Exist is empty; give search parameters such as identifier=")
    return query


_ETAG = re.compile(r'^(?:W/)?"(\d{1,9})"$|^(\d{1,9})$')
_OPAQUE_ETAG = re.compile(r'^(?:W/)?"([A-Za-z0-9\-.]{1,64})"$|^([A-Za-z0-9\-.]{1,64})$')


async def _if_match_version(
    request: Request, res_type: str, res_id: str, *, required: bool
) -> int | None:
    """The version number If-Match names; with opaque versions (plain-R4) one that names no
    version of the resource is stale (0: the store answers 412 with the current one)."""
    svc = service(request)
    if not svc.store.opaque_versions:
        return _if_match(request, required=required)
    header = request.headers.get("if-match")
    if header is None:
        if required:
            _if_match(request, required=True)  # raises 428
        return None
    match = _OPAQUE_ETAG.match(header.strip())
    if match is None:
        raise BadRequest(f'If-Match must be W/"<versionId>", not {header!r}', code="invalid")
    number = await svc.run(
        svc.store.version_number, res_type, res_id, match.group(1) or match.group(2)
    )
    return 0 if number is None else number


def _if_match(request: Request, *, required: bool) -> int | None:
    header = request.headers.get("if-match")
    if header is None:
        if required:
            raise PreconditionRequired(
                'updates must be version-aware: send If-Match: W/"<versionId>" with the version '
                "you read (from its ETag or meta.versionId)"
            )
        return None
    match = _ETAG.match(header.strip())
    if match is None:
        raise BadRequest(f'If-Match must be W/"<versionId>", not {header!r}', code="invalid")
    return int(match.group(1) or match.group(2))


async def update(request: Request) -> Response:
    res_type = request.path_params["type"]
    res_id = request.path_params["id"]
    resource_type(res_type)
    version = await _if_match_version(request, res_type, res_id, required=True)
    assert version is not None
    body = await _json_body(request)
    await guard.check_write(request, res_type, body, res_id)
    st = await service(request).update(res_type, res_id, body, version)
    guard.audit_write(request, "update", st)
    return _written(request, base_url(request), st, 200)


async def delete(request: Request) -> Response:
    res_type = request.path_params["type"]
    res_id = request.path_params["id"]
    resource_type(res_type)
    version = await _if_match_version(request, res_type, res_id, required=False)
    await guard.check_write(request, res_type, None, res_id)
    st = await service(request).delete(res_type, res_id, version)
    if st is not None:
        guard.audit_write(request, "delete", st)
    headers = {"ETag": f'W/"{service(request).store.version_text(st)}"'} if st is not None else {}
    return Response(status_code=204, headers=headers)


async def search(request: Request) -> Response:
    res_type = request.path_params["type"]
    rt = resource_type(res_type)
    base = base_url(request)
    params = list(request.query_params.multi_items())
    offset = plain.check_search(res_type, params) if _plain(request) else None
    plan = s.plan_search(rt, params, base)
    if offset is not None:
        plan.offset = offset
    plan.max_bytes = _response_budget(request)
    await guard.restrict_search(request, plan)
    svc = service(request)
    result: SearchResult = await svc.run(svc.store.search, plan)
    await guard.after_search(request, plan, result)
    self_url = f"{base}/{res_type}" + (f"?{urlencode(params)}" if params else "")
    next_url = None
    if result.next_cursor is not None:
        paging = "_offset" if plan.offset is not None else "_cursor"
        next_url = f"{base}/{res_type}?" + urlencode(
            [*plan.base_params, (paging, result.next_cursor)]
        )

    def build() -> str:
        warnings = []
        if result.truncated_includes:
            warnings.append(
                f"included resources stop at {MAX_REVINCLUDE} or the page's byte limit; "
                "page with a smaller _count"
            )
        return searchset(
            base,
            self_url,
            total=result.total,
            matches=result.matches,
            included=result.included,
            next_url=next_url,
            elements=plan.elements,
            warnings=warnings,
        )

    big = len(result.matches) + len(result.included) > 200 or plan.elements is not None
    text = await svc.run(build) if big else build()
    return fhir_response(text)


LASTN_PARAMS = {
    "max",
    "patient",
    "subject",
    "code",
    "category",
    "_cursor",
    "_format",
    "_pretty",
}


async def lastn(request: Request) -> Response:
    res_type = request.path_params["type"]
    if res_type != "Observation" or _plain(request):
        raise NotFound(f"$lastn is not offered on {res_type} by this server")
    params = list(request.query_params.multi_items())
    patients: list[str] = []
    codes: list[str] = []
    categories: list[str] = []
    max_n = 1
    after: str | None = None
    for name, value in params:
        if name not in LASTN_PARAMS:
            raise UnknownParameter(
                f"unknown $lastn parameter {name!r}; supported: {', '.join(sorted(LASTN_PARAMS))}"
            )
        if name == "max":
            if not value.isdigit() or int(value) < 1:
                raise BadRequest(f"max must be a positive whole number, not {value!r}")
            max_n = min(int(value), 10_000)
        elif name in ("patient", "subject"):
            for v in s.split_values(value):
                if "/" in v:
                    kind, _, pid = v.rpartition("/")
                    if not kind.endswith("Patient"):
                        raise BadRequest(f"{name} must refer to a Patient, not {v!r}")
                    v = pid
                patients.append(v)
        elif name == "code":
            codes.extend(s.split_values(value))
        elif name == "category":
            categories.extend(s.split_values(value))
        elif name == "_cursor":
            if not value or len(value) > 64:
                raise BadRequest(f"invalid _cursor {value[:80]!r}", expression=["_cursor"])
            after = value
    scoped = await guard.restrict_patients(request, patients or None)
    svc = service(request)
    base = base_url(request)
    self_url = f"{base}/Observation/$lastn" + (f"?{urlencode(params)}" if params else "")

    budget = _response_budget(request)

    def run() -> tuple[list[Stored], str]:
        page = LastnPage()
        if scoped is None or scoped:  # else nobody in scope
            svc.store.lastn(
                max_n,
                patients=scoped,
                codes=codes or None,
                categories=categories or None,
                after_patient=after,
                max_bytes=budget,
                page=page,
            )
        found = page.found
        next_url = None
        if page.more and page.last_patient is not None:
            kept = [(k, v) for k, v in params if k != "_cursor"]
            next_url = f"{base}/Observation/$lastn?" + urlencode(
                [*kept, ("_cursor", page.last_patient)]
            )
        warnings = (
            ["one patient's values are more than one page holds; ask for a smaller max"]
            if page.cut_within
            else []
        )
        text = searchset(
            base,
            self_url,
            total=None if next_url else len(found),
            matches=found,
            next_url=next_url,
            warnings=warnings,
        )
        return found, text

    found, text = await svc.run(run)
    guard.audit_results(request, "search-type", found, query=True)
    return fhir_response(text)


HISTORY_PARAMS = {
    "_since",
    "_count",
    "_cursor",
    "_sort",
    "_summary",
    "_total",
    "_format",
    "_pretty",
}
_STATUS = {"POST": "201 Created", "PUT": "200 OK", "DELETE": "204 No Content"}


def _history_entry(base: str, st: Stored, version: str) -> str:
    if st.deleted:
        method, url = "DELETE", f"{st.res_type}/{st.res_id}"
    elif st.version_id == 1:
        method, url = "POST", st.res_type
    else:
        method, url = "PUT", f"{st.res_type}/{st.res_id}"
    wrapper = {
        "fullUrl": f"{base}/{st.res_type}/{st.res_id}",
        "request": {"method": method, "url": url},
        "response": {
            "status": _STATUS[method],
            "etag": f'W/"{version}"',
            "lastModified": st.last_updated_text,
        },
    }
    text = json.dumps(wrapper, ensure_ascii=False)
    if st.deleted:
        return text
    return text[:-1] + f',"resource":{st.data}}}'


async def history(request: Request) -> Response:
    """``_history`` of an instance, a type or the whole system, in change order."""
    res_type = request.path_params.get("type")
    res_id = request.path_params.get("id")
    if res_type is not None:
        resource_type(res_type)
    params = list(request.query_params.multi_items())
    since_us: int | None = None
    count = s.DEFAULT_COUNT
    after: int | None = None
    descending = False
    summary_count = False
    with_total = True
    for name, value in params:
        if name not in HISTORY_PARAMS:
            raise UnknownParameter(
                f"unknown _history parameter {name!r}; supported: "
                f"{', '.join(sorted(HISTORY_PARAMS))}"
            )
        if name == "_since":
            try:
                since_us = parse_range(value)[0]
            except DateFormatError as exc:
                raise BadRequest(
                    f"_since must be an instant: {exc}", expression=["_since"]
                ) from exc
        elif name == "_count":
            if not value.isdigit():
                raise BadRequest(f"_count must be a whole number, not {value!r}")
            count = min(int(value), s.MAX_COUNT)
        elif name == "_cursor":
            if not value.isdigit() or len(value) > 18:
                raise BadRequest(f"invalid _cursor {value!r}")
            after = int(value)
        elif name == "_sort":
            if value not in ("_lastUpdated", "-_lastUpdated"):
                raise BadRequest("_history sorts by _lastUpdated or -_lastUpdated only")
            descending = value.startswith("-")
        elif name == "_summary":
            if value not in ("count", "false"):
                raise UnknownParameter(f"_summary={value} is not supported (count, false)")
            summary_count = value == "count"
        elif name == "_total":
            if value not in ("none", "estimate", "accurate"):
                raise BadRequest(f"invalid _total={value} (none, estimate, accurate)")
            with_total = value != "none"
        elif name == "_format" and value not in ("json", "application/json", FHIR_JSON):
            raise BadRequest(f"_format={value} is not supported; this server speaks JSON")
    await guard.check_history(request, res_type, res_id)
    svc = service(request)
    base = base_url(request)
    budget = _response_budget(request)

    def run() -> str:
        result: HistoryResult = svc.store.history(
            res_type,
            res_id,
            since_us=since_us,
            count=0 if summary_count else count,
            after_seq=after,
            descending=descending,
            with_total=with_total or summary_count,
            max_bytes=budget,
        )
        path = "/".join(p for p in (res_type, res_id, "_history") if p)
        self_url = f"{base}/{path}" + (f"?{urlencode(params)}" if params else "")
        links = [{"relation": "self", "url": self_url}]
        if result.next_cursor is not None:
            kept = [(k, v) for k, v in params if k != "_cursor"]
            links.append(
                {
                    "relation": "next",
                    "url": f"{base}/{path}?" + urlencode([*kept, ("_cursor", result.next_cursor)]),
                }
            )
        head: dict[str, Any] = {
            "resourceType": "Bundle",
            "id": uuid.uuid4().hex,
            "meta": {"lastUpdated": format_instant(process_now_us())},
            "type": "history",
        }
        if result.total is not None:
            head["total"] = result.total
        head["link"] = links
        text = json.dumps(head, ensure_ascii=False)[:-1]
        if not result.entries:
            return text + "}"
        return (
            text
            + ',"entry":['
            + ",".join(_history_entry(base, e, svc.store.version_text(e)) for e in result.entries)
            + "]}"
        )

    return fhir_response(await svc.run(run))


def routes() -> list[Route]:
    return [
        Route("/metadata", metadata, methods=["GET"]),
        Route("/_history", history, methods=["GET"]),
        Route("/{type}/$lastn", lastn, methods=["GET"]),
        Route("/{type}/_history", history, methods=["GET"]),
        Route("/{type}", search, methods=["GET"]),
        Route("/{type}", create, methods=["POST"]),
        Route("/{type}/{id}", read, methods=["GET"]),
        Route("/{type}/{id}", update, methods=["PUT"]),
        Route("/{type}/{id}", delete, methods=["DELETE"]),
        Route("/{type}/{id}/_history", history, methods=["GET"]),
        Route("/{type}/{id}/_history/{vid}", vread, methods=["GET"]),
    ]
