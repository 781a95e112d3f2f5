"""FHIR R4 REST routes under ``/fhir``: metadata, read, vread, create, search and ``$lastn``.

Bundles are assembled from the stored JSON text by string concatenation, so large searchsets
(``$lastn`` over thousands of patients) never parse and re-serialise every resource.
"""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlencode

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from server.api.capability import capability_statement
from server.api.service import FhirService
from server.store import Stored
from server.store import search as s
from server.store.errors import BadRequest, FhirError, Gone, NotFound, UnknownParameter
from server.store.fhirtime import format_http_date, format_instant, to_us
from server.store.store import SearchResult
from server.store.validate import resource_type

FHIR_JSON = "application/fhir+json"
VERSION = "0.1.0"


def fhir_response(
    body: str | dict[str, Any], status: int = 200, headers: dict[str, str] | None = None
) -> Response:
    text = body if isinstance(body, str) else json.dumps(body, ensure_ascii=False)
    return Response(text, status_code=status, media_type=FHIR_JSON, headers=headers)


def operation_outcome(status: int, code: str, diagnostics: str) -> Response:
    severity = "error" if status < 500 else "fatal"
    body = {
        "resourceType": "OperationOutcome",
        "issue": [{"severity": severity, "code": code, "diagnostics": diagnostics}],
    }
    return fhir_response(body, status)


def base_url(request: Request) -> str:
    return f"{request.url.scheme}://{request.url.netloc}/fhir"


def service(request: Request) -> FhirService:
    svc: FhirService = request.app.state.service
    return svc


def _entry(base: str, st: Stored, mode: str) -> str:
    return (
        f'{{"fullUrl":"{base}/{st.res_type}/{st.res_id}","resource":{st.data},'
        f'"search":{{"mode":"{mode}"}}}}'
    )


def searchset(
    base: str,
    self_url: str,
    *,
    total: int | None,
    matches: list[Stored],
    included: list[Stored] = (),  # type: ignore[assignment]
    next_url: str | None = None,
) -> str:
    links = [{"relation": "self", "url": self_url}]
    if next_url:
        links.append({"relation": "next", "url": next_url})
    head: dict[str, Any] = {
        "resourceType": "Bundle",
        "id": uuid.uuid4().hex,
        "meta": {"lastUpdated": format_instant(to_us(datetime.now(UTC)))},
        "type": "searchset",
    }
    if total is not None:
        head["total"] = total
    head["link"] = links
    text = json.dumps(head, ensure_ascii=False)[:-1]
    entries = [_entry(base, m, "match") for m in matches]
    entries += [_entry(base, i, "include") for i in included]
    if not entries:
        return text + "}"
    return text + ',"entry":[' + ",".join(entries) + "]}"


def _resource_headers(base: str, st: Stored) -> dict[str, str]:
    return {
        "ETag": f'W/"{st.version_id}"',
        "Last-Modified": format_http_date(st.last_updated),
        "Content-Location": f"{base}/{st.res_type}/{st.res_id}/_history/{st.version_id}",
    }


async def metadata(request: Request) -> Response:
    now = format_instant(to_us(datetime.now(UTC)))
    return fhir_response(
        capability_statement(base_url(request), software_version=VERSION, date=now)
    )


async def read(request: Request) -> Response:
    res_type = request.path_params["type"]
    res_id = request.path_params["id"]
    resource_type(res_type)
    st = await service(request).run(service(request).store.read, res_type, res_id)
    if st is None:
        raise NotFound(f"{res_type}/{res_id} is not known")
    if st.deleted:
        raise Gone(f"{res_type}/{res_id} was deleted")
    return fhir_response(st.data, headers=_resource_headers(base_url(request), st))


async def vread(request: Request) -> Response:
    res_type = request.path_params["type"]
    res_id = request.path_params["id"]
    vid = request.path_params["vid"]
    resource_type(res_type)
    if not vid.isdigit():
        raise NotFound(f"{res_type}/{res_id} has no version {vid!r}")
    svc = service(request)
    st = await svc.run(svc.store.vread, res_type, res_id, int(vid))
    if st is None:
        raise NotFound(f"{res_type}/{res_id}/_history/{vid} is not known")
    if st.deleted:
        raise Gone(f"{res_type}/{res_id} version {vid} is a deletion")
    return fhir_response(st.data, headers=_resource_headers(base_url(request), st))


async def create(request: Request) -> Response:
    res_type = request.path_params["type"]
    resource_type(res_type)
    content_type = request.headers.get("content-type", "")
    if content_type and "json" not in content_type:
        raise FhirError(
            f"unsupported content type {content_type!r}; send {FHIR_JSON}",
            status=415,
            code="not-supported",
        )
    raw = await request.body()
    try:
        body = json.loads(raw)
    except ValueError as exc:
        raise BadRequest(f"the body is not valid JSON: {exc}", code="structure") from exc
    svc = service(request)
    st = await svc.create(res_type, body)
    base = base_url(request)
    headers = _resource_headers(base, st)
    headers["Location"] = headers.pop("Content-Location")
    prefer = request.headers.get("prefer", "")
    if "return=minimal" in prefer:
        return Response(status_code=201, headers=headers)
    return fhir_response(st.data, 201, headers)


async def search(request: Request) -> Response:
    res_type = request.path_params["type"]
    rt = resource_type(res_type)
    base = base_url(request)
    params = list(request.query_params.multi_items())
    plan = s.plan_search(rt, params, base)
    svc = service(request)
    result: SearchResult = await svc.run(svc.store.search, plan)
    self_url = f"{base}/{res_type}" + (f"?{urlencode(params)}" if params else "")
    next_url = None
    if result.next_cursor is not None:
        next_url = f"{base}/{res_type}?" + urlencode(
            [*plan.base_params, ("_cursor", result.next_cursor)]
        )

    def build() -> str:
        return searchset(
            base,
            self_url,
            total=result.total,
            matches=result.matches,
            included=result.included,
            next_url=next_url,
        )

    text = await svc.run(build) if len(result.matches) > 200 else build()
    return fhir_response(text)


LASTN_PARAMS = {"max", "patient", "subject", "code", "category", "_format", "_pretty"}


async def lastn(request: Request) -> Response:
    res_type = request.path_params["type"]
    if res_type != "Observation":
        raise NotFound(f"$lastn is defined on Observation, not {res_type}")
    params = list(request.query_params.multi_items())
    patients: list[str] = []
    codes: list[str] = []
    categories: list[str] = []
    max_n = 1
    for name, value in params:
        if name not in LASTN_PARAMS:
            raise UnknownParameter(
                f"unknown $lastn parameter {name!r}; supported: {', '.join(sorted(LASTN_PARAMS))}"
            )
        if name == "max":
            if not value.isdigit() or int(value) < 1:
                raise BadRequest(f"max must be a positive whole number, not {value!r}")
            max_n = int(value)
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
    svc = service(request)
    base = base_url(request)
    self_url = f"{base}/Observation/$lastn" + (f"?{urlencode(params)}" if params else "")

    def run() -> str:
        found = svc.store.lastn(
            max_n,
            patients=patients or None,
            codes=codes or None,
            categories=categories or None,
        )
        return searchset(base, self_url, total=len(found), matches=found)

    return fhir_response(await svc.run(run))


async def not_supported_history(request: Request) -> Response:
    raise FhirError(
        "history interactions are not implemented yet", status=501, code="not-supported"
    )


def routes() -> list[Route]:
    return [
        Route("/metadata", metadata, methods=["GET"]),
        Route("/{type}/$lastn", lastn, methods=["GET"]),
        Route("/{type}", search, methods=["GET"]),
        Route("/{type}", create, methods=["POST"]),
        Route("/{type}/{id}", read, methods=["GET"]),
        Route("/{type}/{id}/_history", not_supported_history, methods=["GET"]),
        Route("/{type}/{id}/_history/{vid}", vread, methods=["GET"]),
    ]
