"""FhirClient error handling, retries and paging, through `httpx.MockTransport` only."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import pytest

from console.fhir.client import Capabilities, FhirClient, default_websocket_url
from console.fhir.errors import FhirHttpError, FhirMalformed, FhirUnavailable

BASE = "http://127.0.0.1:8080/fhir"
FIXTURES = Path(__file__).parent / "fixtures"
Handler = Callable[[httpx.Request], httpx.Response]


def fhir(status: int, body: Any, headers: dict[str, str] | None = None) -> httpx.Response:
    return httpx.Response(
        status,
        content=json.dumps(body).encode(),
        headers={"Content-Type": "application/fhir+json", **(headers or {})},
    )


def outcome(diagnostics: str, code: str = "invalid") -> dict[str, Any]:
    return {
        "resourceType": "OperationOutcome",
        "issue": [{"severity": "error", "code": code, "diagnostics": diagnostics}],
    }


def run(handler: Handler, body: Callable[[FhirClient], Any], **kwargs: Any) -> Any:
    async def main() -> Any:
        http = httpx.AsyncClient(transport=httpx.MockTransport(handler))
        client = FhirClient(BASE, http=http, retry_backoff=0.001, **kwargs)
        try:
            return await body(client)
        finally:
            await client.aclose()
            await http.aclose()

    return asyncio.run(main())


PATIENT = {"resourceType": "Patient", "id": "p1", "meta": {"versionId": "1"}}


@pytest.mark.parametrize(
    ("status", "diagnostics"),
    [
        (404, "Patient/nope is not known"),
        (412, "Version 2 is not the current version 3 of Patient/p1"),
        (422, "Observation.subject is required"),
        (500, "Database is locked"),
    ],
)
def test_http_errors_carry_the_diagnostics(status: int, diagnostics: str) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return fhir(status, outcome(diagnostics))

    with pytest.raises(FhirHttpError) as info:
        run(handler, lambda c: c.read("Patient", "p1"), retries=0)
    err = info.value
    assert err.status == status
    assert err.outcome_text == diagnostics + "."
    assert err.operation_outcome is not None
    assert diagnostics in str(err)


def test_http_error_without_outcome_and_with_details_text() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path.endswith("a"):
            return httpx.Response(
                400, text="<html>Bad</html>", headers={"Content-Type": "text/html"}
            )
        body = {
            "resourceType": "OperationOutcome",
            "issue": [
                {"severity": "error", "code": "invalid", "details": {"text": "bad date"}},
                {"severity": "error", "code": "invalid", "diagnostics": "unknown parameter foo."},
            ],
        }
        return fhir(400, body)

    with pytest.raises(FhirHttpError, match="The server answered 400 Bad Request"):
        run(handler, lambda c: c.read("Patient", "a"))
    with pytest.raises(FhirHttpError) as info:
        run(handler, lambda c: c.read("Patient", "b"))
    assert info.value.outcome_text == "Bad date; unknown parameter foo."


@pytest.mark.parametrize(
    "response",
    [
        httpx.Response(200, text="not json", headers={"Content-Type": "application/fhir+json"}),
        httpx.Response(
            200, text="<html><body>Login</body></html>", headers={"Content-Type": "text/html"}
        ),
        httpx.Response(200, text="[1, 2]", headers={"Content-Type": "application/json"}),
        fhir(200, {"resourceType": "Practitioner", "id": "p1"}),
        fhir(200, {"resourceType": "Patient"}),
    ],
)
def test_malformed_answers(response: httpx.Response) -> None:
    with pytest.raises(FhirMalformed):
        run(lambda r: response, lambda c: c.read("Patient", "p1"))


@pytest.mark.parametrize(
    "exc",
    [
        httpx.ConnectError("refused"),
        httpx.ConnectTimeout("slow"),
        httpx.ReadTimeout("slow"),
        httpx.RemoteProtocolError("dropped"),
    ],
)
def test_transport_errors_become_unavailable_after_retries(exc: Exception) -> None:
    calls = []

    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(request)
        raise exc

    with pytest.raises(FhirUnavailable):
        run(handler, lambda c: c.read("Patient", "p1"))
    assert len(calls) == 3  # one try + two retries


def test_get_retried_on_503_then_succeeds() -> None:
    answers = [fhir(503, outcome("busy")), fhir(503, outcome("busy")), fhir(200, PATIENT)]

    def handler(request: httpx.Request) -> httpx.Response:
        return answers.pop(0)

    assert run(handler, lambda c: c.read("Patient", "p1")) == PATIENT
    assert answers == []


def test_post_is_not_retried() -> None:
    calls = []

    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(request)
        return fhir(503, outcome("busy"))

    with pytest.raises(FhirHttpError) as info:
        run(handler, lambda c: c.create({"resourceType": "Patient"}))
    assert info.value.status == 503 and len(calls) == 1

    calls.clear()

    def refused(request: httpx.Request) -> httpx.Response:
        calls.append(request)
        raise httpx.ConnectError("refused")

    with pytest.raises(FhirUnavailable):
        run(refused, lambda c: c.create({"resourceType": "Patient"}))
    assert len(calls) == 1


def test_conditional_create_is_retried_and_sends_if_none_exist() -> None:
    calls: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(request)
        if len(calls) == 1:
            raise httpx.ReadTimeout("slow")
        return fhir(201, PATIENT, {"Location": f"{BASE}/Patient/p1/_history/1"})

    stored = run(
        handler,
        lambda c: c.create({"resourceType": "Patient"}, if_none_exist="identifier=x|1"),
    )
    assert stored == PATIENT
    assert len(calls) == 2
    assert calls[1].headers["If-None-Exist"] == "identifier=x|1"
    assert calls[1].headers["Content-Type"] == "application/fhir+json"
    assert json.loads(calls[1].content) == {"resourceType": "Patient"}


def test_create_with_location_only_reads_the_version() -> None:
    seen: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(f"{request.method} {request.url.path}")
        if request.method == "POST":
            return httpx.Response(201, headers={"Location": f"{BASE}/Patient/p1/_history/1"})
        return fhir(200, PATIENT)

    assert run(handler, lambda c: c.create({"resourceType": "Patient"})) == PATIENT
    assert seen == ["POST /fhir/Patient", "GET /fhir/Patient/p1/_history/1"]


def test_update_sends_if_match_and_412_is_a_conflict() -> None:
    headers: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        headers.append(request.headers["If-Match"])
        assert request.method == "PUT" and request.url.path == "/fhir/Patient/p1"
        if len(headers) == 1:
            return fhir(200, {**PATIENT, "meta": {"versionId": "2"}})
        return fhir(412, outcome("Patient/p1 has version 3, not 2", "conflict"))

    stored = run(handler, lambda c: c.update(PATIENT, if_match="1"))
    assert stored["meta"]["versionId"] == "2"
    with pytest.raises(FhirHttpError) as info:
        run(handler, lambda c: c.update(PATIENT, if_match='W/"2"'))
    assert info.value.is_conflict
    assert headers == ['W/"1"', 'W/"2"']


def test_bearer_token_and_accept_header() -> None:
    seen: list[httpx.Request] = []
    tokens = iter(["t-1", None])

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return fhir(200, PATIENT)

    async def body(c: FhirClient) -> None:
        await c.read("Patient", "p1")
        await c.read("Patient", "p1")

    run(handler, body, token=lambda: next(tokens))
    assert seen[0].headers["Authorization"] == "Bearer t-1"
    assert "Authorization" not in seen[1].headers
    assert seen[0].headers["Accept"] == "application/fhir+json"


def page(ids: list[str], next_url: str | None, total: int = 5) -> dict[str, Any]:
    links = [{"relation": "self", "url": "x"}]
    if next_url:
        links.append({"relation": "next", "url": next_url})
    return {
        "resourceType": "Bundle",
        "type": "searchset",
        "total": total,
        "link": links,
        "entry": [
            {"resource": {"resourceType": "Patient", "id": i}, "search": {"mode": "match"}}
            for i in ids
        ],
    }


def test_search_follows_next_links() -> None:
    urls: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        urls.append(str(request.url))
        offset = int(request.url.params.get("_offset", "0"))
        ids = [f"p{offset}", f"p{offset + 1}"][: 5 - offset]
        nxt = f"{BASE}/Patient?name=x&_count=2&_offset={offset + 2}" if offset + 2 < 5 else None
        return fhir(200, page(ids, nxt))

    async def body(c: FhirClient) -> list[str]:
        return [r["id"] async for r in c.search("Patient", {"name": "x", "_count": 2})]

    assert run(handler, body) == ["p0", "p1", "p2", "p3", "p4"]
    assert urls[0] == f"{BASE}/Patient?name=x&_count=2"
    assert len(urls) == 3


def test_bundle_with_malformed_entry_yields_the_good_ones() -> None:
    bundle = json.loads((FIXTURES / "bundle-with-malformed.json").read_text(encoding="utf-8"))

    async def body(c: FhirClient) -> Any:
        return await c.search_all("Observation"), c.malformed_skipped

    result, skipped = run(lambda r: fhir(200, bundle), body)
    assert [r["id"] for r in result.matches] == ["a", "d"]
    assert [r["id"] for r in result.included] == ["pat-1"]
    assert result.malformed == 2 == skipped
    assert result.total == 4


def test_count_uses_summary_count() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        assert request.url.params["_summary"] == "count"
        return fhir(200, {"resourceType": "Bundle", "type": "searchset", "total": 42})

    assert run(handler, lambda c: c.count("Patient", {"organization": "Organization/o"})) == 42


CAPS = {
    "resourceType": "CapabilityStatement",
    "fhirVersion": "4.0.1",
    "software": {"name": "dho-reference", "version": "0.1"},
    "rest": [
        {
            "mode": "server",
            "extension": [
                {
                    "url": "http://dho.example/fhir/StructureDefinition/websocket-notifications",
                    "valueUrl": "/ws/notifications",
                }
            ],
            "searchParam": [{"name": "_lastUpdated", "type": "date"}],
            "resource": [
                {
                    "type": "Observation",
                    "interaction": [{"code": "read"}, {"code": "search-type"}],
                    "searchParam": [{"name": "patient", "type": "reference"}],
                    "operation": [
                        {
                            "name": "lastn",
                            "definition": "http://hl7.org/fhir/OperationDefinition/Observation-lastn",
                        }
                    ],
                },
                {"type": "Patient"},
            ],
        }
    ],
}


def test_capabilities_are_cached_and_answer_questions() -> None:
    calls = []

    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(request.url.path)
        return fhir(200, CAPS)

    async def body(c: FhirClient) -> Capabilities:
        await c.capabilities()
        return await c.capabilities()

    caps = run(handler, body)
    assert calls == ["/fhir/metadata"]
    assert caps.supports_operation("lastn") and caps.supports_operation("$lastn")
    assert not caps.supports_operation("everything")
    assert caps.supports_search_param("Observation", "patient")
    assert caps.supports_search_param("Observation", "_lastUpdated")
    assert caps.supports_search_param("Observation", "_count")
    assert not caps.supports_search_param("Observation", "code")
    assert not caps.supports_search_param("Task", "_count")
    assert caps.supports_interaction("Observation", "read")
    assert caps.websocket_url(BASE) == "ws://127.0.0.1:8080/ws/notifications"
    assert Capabilities({"resourceType": "CapabilityStatement"}).websocket_url(BASE) is None
    assert caps.software == "dho-reference 0.1"
    assert default_websocket_url("https://h:1/fhir") == "wss://h:1/ws/notifications"


def test_lastn_uses_operation_or_falls_back() -> None:
    paths: list[str] = []
    obs = [
        {
            "resourceType": "Observation",
            "id": f"o{i}",
            "subject": {"reference": f"Patient/{p}"},
            "code": {"coding": [{"system": "http://loinc.org", "code": c}]},
        }
        for i, (p, c) in enumerate([("a", "1"), ("a", "1"), ("a", "2"), ("b", "1")])
    ]

    def handler_for(caps: dict[str, Any]) -> Handler:
        def handler(request: httpx.Request) -> httpx.Response:
            paths.append(f"{request.url.path}?{request.url.query.decode()}")
            if request.url.path.endswith("metadata"):
                return fhir(200, caps)
            bundle = {
                "resourceType": "Bundle",
                "type": "searchset",
                "entry": [{"resource": o} for o in obs],
            }
            return fhir(200, bundle)

        return handler

    got = run(handler_for(CAPS), lambda c: c.lastn(1, {"patient": "Patient/a"}))
    assert len(got) == 4  # what the server said
    assert paths[-1] == "/fhir/Observation/$lastn?patient=Patient%2Fa&max=1"
    no_lastn = {"resourceType": "CapabilityStatement", "rest": [{"mode": "server"}]}
    got = run(handler_for(no_lastn), lambda c: c.lastn(1))
    assert [o["id"] for o in got] == ["o0", "o2", "o3"]
    assert paths[-1] == "/fhir/Observation?_sort=-date&_count=1000"
