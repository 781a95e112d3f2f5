"""The console's FHIR client against every recorded exchange with Medplum 5.0.10.

`tests/fixtures/medplum/` is a copy of `shared/peers/medplum/` (its README says how they were
recorded). Each file is replayed through `httpx.MockTransport` (and a fake websocket for the
frames of 07d/07h), so the client is tested against what that server really answered: its
CapabilityStatement, its offset cap, unknown search parameters, UUID versionIds and ETags,
409 serialization conflicts, websocket Subscriptions that vanish with their socket, and a
token that belongs to a ClientApplication. `test_every_recording_is_replayed` keeps the list
complete.
"""

from __future__ import annotations

import asyncio
import copy
import json
import math
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, unquote, urlsplit

import httpx
import pytest

from console.domain.alerts import AlertStatus
from console.fhir import subscriptions as subs
from console.fhir.alerts import AlertStore, alert_from_fhir
from console.fhir.auth import discover
from console.fhir.client import Capabilities, Feature, FhirClient, UndeclaredParameter
from console.fhir.errors import FhirHttpError
from console.fhir.identity import resolve_identity
from console.fhir.latest import LatestValues
from console.fhir.live import LiveFeed, LiveMode, LiveStatus
from console.services.alerts import _newer

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "medplum"
BASE = "http://127.0.0.1:8103/fhir/R4"
ROOT = "http://127.0.0.1:8103"

#: Recording → the test that replays it (checked by test_every_recording_is_replayed).
REPLAYED: dict[str, str] = {}


def replays(*names: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    def mark(fn: Callable[..., Any]) -> Callable[..., Any]:
        for name in names:
            REPLAYED[name] = fn.__name__
        return fn

    return mark


def load(name: str) -> Any:
    text = (FIXTURES / name).read_text()
    return json.loads(
        text.replace("http://127.0.0.1:PORT", ROOT).replace(
            "ws://127.0.0.1:PORT", "ws://127.0.0.1:8103"
        )
    )


def norm(path: str) -> tuple[str, tuple[tuple[str, str], ...]]:
    parts = urlsplit(path)
    return unquote(parts.path), tuple(sorted(parse_qsl(parts.query, keep_blank_values=True)))


def response(exchange: dict[str, Any]) -> httpx.Response:
    answer = exchange["response"]
    headers = {k: v for k, v in (answer.get("headers") or {}).items()}
    body = answer.get("body")
    content = b"" if body is None else json.dumps(body).encode()
    return httpx.Response(answer["status"], headers=headers, content=content)


class Replay:
    """A MockTransport serving recorded exchanges by method, path and query."""

    def __init__(self, *names: str, extra: dict[tuple[str, str], Any] | None = None) -> None:
        self.routes: dict[tuple[str, str, tuple[tuple[str, str], ...]], httpx.Response] = {}
        self.requests: list[httpx.Request] = []
        for name in names:
            exchange = load(name)
            path, query = norm(exchange["request"]["path"])
            self.routes[(exchange["request"]["method"], path, query)] = response(exchange)
        self.extra = extra or {}

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        path, query = norm(str(request.url.raw_path, "ascii"))
        key = (request.method, path, query)
        if key in self.routes:
            return self.routes[key]
        for (method, prefix), handler in self.extra.items():
            if method == request.method and path.startswith(prefix):
                return handler(request) if callable(handler) else handler
        if request.method == "GET" and "_offset" in dict(query):
            # The recorded first page's `next` link: the rest was not recorded; end here.
            return httpx.Response(200, json={"resourceType": "Bundle", "type": "searchset"})
        return httpx.Response(599, json={"unexpected": f"{request.method} {request.url}"})

    def client(self, **kwargs: Any) -> FhirClient:
        return FhirClient(
            BASE, http=httpx.AsyncClient(transport=httpx.MockTransport(self)), **kwargs
        )


def run(coro: Any) -> Any:
    return asyncio.run(coro)


@pytest.fixture(autouse=True)
def _no_overrides(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.delenv("DHO_SERVER_FEATURES", raising=False)
    monkeypatch.delenv("DHO_ALERT_RULES", raising=False)
    yield


def medplum_caps() -> Capabilities:
    return Capabilities(load("01a_metadata.json")["response"]["body"], overrides={})


# ----- 01: what the server says it can do ----------------------------------------------------


@replays("01a_metadata.json")
def test_capabilities_of_medplum() -> None:
    caps = medplum_caps()
    assert caps.software_name == "medplum"
    assert not caps.has(Feature.LASTN)
    assert not caps.has(Feature.DHO_WEBSOCKET)
    assert not caps.has(Feature.TOPIC_SUBSCRIPTIONS)
    assert not caps.has(Feature.SERVER_RULES)
    assert caps.alert_side == "console"
    # Undeclared, but known of this software (the one table in console.fhir.client).
    assert caps.has(Feature.R4_WEBSOCKET)
    assert caps.has(Feature.AUTH_ME)
    assert not caps.supports_search_param("Task", "organization")
    assert caps.supports_search_param("Task", "patient")
    assert caps.supports_search_param("Observation", "date")
    declared = caps.declared_params("Task")
    assert declared is not None and "restriction-recipient" not in declared


@replays("01b_smart_configuration.json")
def test_sign_in_endpoints_from_the_smart_configuration() -> None:
    replay = Replay("01b_smart_configuration.json")

    async def go() -> None:
        async with replay.client() as client:
            http = httpx.AsyncClient(transport=httpx.MockTransport(replay))
            found = await discover(client, http)
            await http.aclose()
        assert found is not None
        assert found.token == f"{ROOT}/oauth2/token"
        assert found.authorize == f"{ROOT}/oauth2/authorize"

    run(go())


# ----- 02, 04: latest values without $lastn and within the offset cap --------------------------


@replays("02a_observation_offset_over_cap.json")
def test_an_offset_over_the_cap_is_a_readable_error() -> None:
    replay = Replay("02a_observation_offset_over_cap.json")

    async def go() -> None:
        async with replay.client() as client:
            with pytest.raises(FhirHttpError) as caught:
                await client.search_all(
                    "Observation",
                    [
                        ("category", "vital-signs"),
                        ("_sort", "-date"),
                        ("_count", "1000"),
                        ("_offset", "11000"),
                    ],
                )
        assert caught.value.status == 400
        assert "Search offset exceeds maximum (got 11000, max 10000)" in str(caught.value)

    run(go())


class OffsetServer:
    """Medplum's paging, from 02b-02d: `_offset` next links it keeps offering past its cap,
    and 02a's 400 beyond it. Pages are 1000 of the recorded Observation, one minute apart,
    newest first (36,102 values: the recorded centre)."""

    TOTAL = 36_102

    def __init__(self, now: datetime, *, refuse_sa: bool = False) -> None:
        #: Answer `date=sa..` with a 400, as a server without that prefix would.
        self.refuse_sa = refuse_sa
        self.sa_refused = 0
        self.template = load("02c_observation_first_page_links.json")["response"]["body"]
        self.over_cap = load("02a_observation_offset_over_cap.json")
        walk = load("02d_observation_next_link_walk.json")
        self.refused_page = next(p for p in walk["pages"] if p["status"] == 400)
        self.entry = self.template["entry"][0]
        self.now = now
        self.offsets: list[int] = []
        self.refused = 0

    STEP = timedelta(minutes=1.2)

    def indexes(self, lo: datetime | None, hi: datetime | None) -> range:
        """Value i was measured at now - i * STEP; those within [lo, hi], newest first."""
        first = 0 if hi is None else max(0, math.ceil((self.now - hi) / self.STEP))
        last = (
            self.TOTAL
            if lo is None
            else min(self.TOTAL, math.floor((self.now - lo) / self.STEP) + 1)
        )
        return range(first, max(first, last))

    def __call__(self, request: httpx.Request) -> httpx.Response:
        params = list(request.url.params.multi_items())
        offset = int(dict(params).get("_offset", "0"))
        self.offsets.append(offset)
        if offset > 10_000:
            self.refused += 1
            return response(self.over_cap)
        lo = hi = None
        for name, value in params:
            if name == "date" and value.startswith("sa") and self.refuse_sa:
                self.sa_refused += 1
                return response(self.over_cap)  # a 400 with an OperationOutcome
            if name == "date" and value.startswith("ge"):
                lo = datetime.fromisoformat(value[2:])
            elif name == "date" and value.startswith("sa"):  # starts after that second
                lo = datetime.fromisoformat(value[2:]) + timedelta(seconds=1)
            elif name == "date" and value[:2] in ("le", "lt"):
                hi = datetime.fromisoformat(value[2:])
                if value.startswith("lt"):  # before that second: its values are older
                    hi -= timedelta(microseconds=1)
        count = int(dict(params).get("_count", "50"))
        patient = dict(params).get("patient")
        wanted = set(patient.split(",")) if patient else None
        code = dict(params).get("code")
        own_code = self.entry["resource"]["code"]["coding"][0]["code"]
        if code is not None and own_code not in code:
            chosen: list[int] | range = []
        elif wanted is None:
            chosen = self.indexes(lo, hi)[offset : offset + count]
        else:
            mine = [i for i in self.indexes(lo, hi) if f"Patient/p{i % 300}" in wanted]
            chosen = mine[offset : offset + count]
        base = self.entry["resource"]
        entries = []
        for i in chosen:
            when = self.now - i * self.STEP
            res = {
                **base,
                "id": f"o-{i}",
                "effectiveDateTime": when.strftime("%Y-%m-%dT%H:%M:%SZ"),
                "subject": {"reference": f"Patient/p{i % 300}"},
            }
            entries.append({"resource": res, "search": {"mode": "match"}})
        kept = [(k, v) for k, v in params if k != "_offset"]
        links = [{"relation": "self", "url": str(request.url)}]
        # Medplum offers `next` whenever the page is full, also past its cap (02b, 02d).
        if len(entries) == count:
            nxt = httpx.URL(
                str(request.url).split("?", 1)[0], params=[*kept, ("_offset", str(offset + count))]
            )
            links.append({"relation": "next", "url": str(nxt)})
        body = {"resourceType": "Bundle", "type": "searchset", "entry": entries, "link": links}
        return httpx.Response(200, json=body, headers={"content-type": "application/fhir+json"})


@replays(
    "02b_observation_offset_at_cap.json",
    "02c_observation_first_page_links.json",
    "02d_observation_next_link_walk.json",
)
def test_latest_values_never_page_past_the_cap() -> None:
    now = datetime(2026, 12, 2, 20, 20, tzinfo=UTC)
    at_cap = load("02b_observation_offset_at_cap.json")["response"]["body"]
    assert any("_offset=11000" in link["url"] for link in at_cap["link"])  # what it offers
    first = load("02c_observation_first_page_links.json")["response"]["body"]
    assert "total" not in first and {link["relation"] for link in first["link"]} >= {"next"}
    server = OffsetServer(now)
    statement = load("01a_metadata.json")["response"]["body"]
    replay = Replay(extra={("GET", "/fhir/R4/Observation"): server})
    replay.routes[("GET", "/fhir/R4/metadata", ())] = httpx.Response(200, json=statement)

    async def go() -> None:
        async with replay.client() as client:
            # The old way: follow every next link, newest first. It hits the cap (02d).
            with pytest.raises(FhirHttpError, match="Search offset exceeds maximum"):
                await client.search_all(
                    "Observation",
                    [("category", "vital-signs"), ("_sort", "-date"), ("_count", "1000")],
                )
            assert server.refused == 1
            server.offsets.clear()
            latest = LatestValues(client, now=now, window_days=30)
            found = await latest.fetch([f"p{i}" for i in range(300)] + ["never-measured"])
            assert latest.report.strategy == "window+per-patient"
            assert max(server.offsets) <= 4000  # far below the cap
            assert server.refused == 1  # no new refusal
            assert {o["subject"]["reference"] for o in found} >= {
                f"Patient/p{i}" for i in range(300)
            }
            assert latest.report.per_patient == 1  # only the patient the window did not cover

    run(go())


def test_latest_values_ask_again_with_ge_le_when_sa_is_refused() -> None:
    """A server without the `sa` prefix answers 400: the same values come with `ge`/`le`."""
    now = datetime(2026, 12, 2, 20, 20, tzinfo=UTC)
    statement = load("01a_metadata.json")["response"]["body"]
    patients = [f"p{i}" for i in range(300)]

    async def latest_with(server: OffsetServer) -> tuple[LatestValues, list[dict[str, Any]]]:
        replay = Replay(extra={("GET", "/fhir/R4/Observation"): server})
        replay.routes[("GET", "/fhir/R4/metadata", ())] = httpx.Response(200, json=statement)
        async with replay.client() as client:
            latest = LatestValues(client, now=now, window_days=30)
            return latest, await latest.fetch(patients)

    async def go() -> None:
        first, expected = await latest_with(OffsetServer(now))
        assert first._starts_after  # sa was answered
        refusing = OffsetServer(now, refuse_sa=True)
        latest, found = await latest_with(refusing)
        assert 1 <= refusing.sa_refused <= 4  # at most once per concurrent slice
        assert not latest._starts_after
        assert sorted(o["id"] for o in found) == sorted(o["id"] for o in expected)
        assert max(refusing.offsets) <= 4000

    run(go())


@replays("04a_observation_latest_spo2.json")
def test_the_newest_value_of_one_patient_and_code() -> None:
    exchange = load("04a_observation_latest_spo2.json")
    replay = Replay("04a_observation_latest_spo2.json")
    _path, query = norm(exchange["request"]["path"])

    async def go() -> None:
        async with replay.client() as client:
            page = await client.search_all("Observation", list(query))
        assert len(page.matches) == 1
        obs = page.matches[0]
        assert obs["code"]["coding"][0]["code"] in ("59408-5", "2708-6")

    run(go())


@replays("04b_observation_lastn.json", "04c_observation_lastn_type_level_get_post.json")
def test_lastn_is_never_asked_of_a_server_without_it() -> None:
    statement = load("01a_metadata.json")["response"]["body"]
    replay = Replay("04b_observation_lastn.json")
    replay.routes[("GET", "/fhir/R4/metadata", ())] = httpx.Response(200, json=statement)
    replay.extra[("GET", "/fhir/R4/Observation")] = httpx.Response(
        200, json={"resourceType": "Bundle", "type": "searchset"}
    )
    lastn_get = load("04b_observation_lastn.json")
    lastn_post = load("04c_observation_lastn_type_level_get_post.json")
    assert lastn_get["response"]["status"] == lastn_post["response"]["status"] == 404

    async def go() -> None:
        async with replay.client() as client:
            await LatestValues(client).fetch([])
            assert not any("$lastn" in str(r.url) for r in replay.requests)
            # Had we asked: a 404 with a readable sentence, not a crash.
            with pytest.raises(FhirHttpError) as caught:
                await client.operation(
                    "Observation",
                    None,
                    "lastn",
                    {"patient": "8dd69012-eda1-5d77-a098-03122729e715"},
                )
            assert caught.value.status == 404 and "Not found" in str(caught.value)

    run(go())


# ----- 03, 09: narrowing Tasks to a department with standard parameters only -----------------


@replays("03_task_unknown_search_param.json", "09k_task_search_restriction_recipient_custom.json")
def test_tasks_are_never_searched_with_parameters_the_server_lacks() -> None:
    statement = load("01a_metadata.json")["response"]["body"]
    tasks = load("09c_task_search_patient.json")["response"]["body"]
    replay = Replay(
        "03_task_unknown_search_param.json", "09k_task_search_restriction_recipient_custom.json"
    )
    replay.routes[("GET", "/fhir/R4/metadata", ())] = httpx.Response(200, json=statement)
    replay.extra[("GET", "/fhir/R4/Task")] = httpx.Response(200, json=tasks)

    async def go() -> None:
        async with replay.client() as client:
            await client.capabilities()
            for name in ("organization", "restriction-recipient"):
                with pytest.raises(UndeclaredParameter):
                    await client.search_all("Task", {name: "Organization/x"})
            store = AlertStore(client)
            found, _patients = await store.open_tasks(["1fa515ef-cd67-5fbc-a673-892ec7e79422"])
            assert found
            sent = [r for r in replay.requests if r.url.path.endswith("/Task")]
            assert all("organization" not in r.url.params for r in sent)
        # What the server says when asked anyway (before its statement is known).
        for name in (
            "03_task_unknown_search_param.json",
            "09k_task_search_restriction_recipient_custom.json",
        ):
            exchange = load(name)
            bare = Replay(name).client()
            _path, query = norm(exchange["request"]["path"])
            with pytest.raises(FhirHttpError, match="Unknown search parameter"):
                await bare.search_all("Task", list(query))
            await bare.aclose()

    run(go())


TASK_SEARCHES = [
    "09a_task_search_owner_org.json",
    "09b_task_search_owner_practitioner.json",
    "09c_task_search_patient.json",
    "09d_task_search_subject.json",
    "09e_task_search_focus.json",
    "09f_task_search_has_communication_part_of.json",
    "09g_task_search_patient_has_episodeofcare_org.json",
    "09h_task_search_subject_has_episodeofcare_org.json",
    "09i_task_search_patient_chain_organization.json",
    "09j_task_search_patient_chain_general_practitioner.json",
    "09l_task_search_requester.json",
]


@replays(*TASK_SEARCHES, "09_task_search_summary.json", "_run_summary_part3.json")
@pytest.mark.parametrize("name", TASK_SEARCHES)
def test_standard_task_searches_are_sent_and_read(name: str) -> None:
    """Every narrowing the recordings show works is one the client may send (declared base
    parameter, `_has`, chains) and whose answer it reads; totals as the summary says."""
    summary = {row["query"]: row for row in load("09_task_search_summary.json")["rows"]}
    truth = " ".join(load("_run_summary_part3.json")["lines"])
    exchange = load(name)
    statement = load("01a_metadata.json")["response"]["body"]
    replay = Replay(name)
    replay.routes[("GET", "/fhir/R4/metadata", ())] = httpx.Response(200, json=statement)
    _path, query = norm(exchange["request"]["path"])

    async def go() -> None:
        async with replay.client() as client:
            await client.capabilities()
            result = await client.search_all("Task", list(query))
            return result

    result = run(go())
    row = summary[exchange["request"]["path"].removeprefix("/fhir/R4/")]
    assert result.total == row["total"]
    assert len(result.matches) == row["entries"]
    for task in result.matches:
        assert isinstance(task["meta"]["versionId"], str)
    if "_has:EpisodeOfCare" in name or "chain_organization" in name:
        assert row["total"] == 20 and "20 of 62 Tasks" in truth


# ----- 05: opaque versions, ETags, If-Match ---------------------------------------------------


@replays("05a_task_get.json", "05b_task_read.json")
def test_uuid_versions_are_kept_as_strings() -> None:
    replay = Replay("05a_task_get.json", "05b_task_read.json")
    search = load("05a_task_get.json")
    path, query = norm(search["request"]["path"])

    async def go() -> None:
        async with replay.client() as client:
            found = await client.search_all(path.rsplit("/", 1)[-1], list(query))
            read_path = load("05b_task_read.json")["request"]["path"]
            task = await client.read("Task", read_path.rsplit("/", 1)[-1])
        alert = alert_from_fhir(found.matches[0])
        assert alert is not None and alert.status is AlertStatus.NEW
        assert alert.version == found.matches[0]["meta"]["versionId"]
        assert len(alert.version) == 36 and not alert.version.isdigit()
        etag = load("05b_task_read.json")["response"]["headers"]["etag"]
        assert etag == f'W/"{task["meta"]["versionId"]}"'

    run(go())


@replays(
    "05c_task_put_if_match_current.json",
    "05e_task_put_if_match_strong_etag.json",
    "05f_task_put_no_if_match.json",
    "05g_task_put_if_match_unquoted.json",
)
@pytest.mark.parametrize(
    "name",
    [
        "05c_task_put_if_match_current.json",
        "05e_task_put_if_match_strong_etag.json",
        "05g_task_put_if_match_unquoted.json",
    ],
)
def test_version_aware_put_with_a_uuid_etag(name: str) -> None:
    exchange = load(name)
    sent_tag = exchange["request"]["headers"]["If-Match"]
    body = exchange["request"]["body"]
    seen: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request.headers["If-Match"])
        return response(exchange)

    async def go() -> dict[str, Any]:
        client = FhirClient(BASE, http=httpx.AsyncClient(transport=httpx.MockTransport(handler)))
        async with client:
            return await client.update(
                body, if_match=sent_tag.strip('W/"') if sent_tag.startswith("W/") else sent_tag
            )

    stored = run(go())
    version = stored["meta"]["versionId"]
    assert exchange["response"]["headers"]["etag"] == f'W/"{version}"'
    # We always send a weak quoted ETag or what we were given (all three forms were accepted).
    assert seen[0] in (sent_tag, f'W/"{sent_tag}"')
    no_if_match = load("05f_task_put_no_if_match.json")
    assert "If-Match" not in no_if_match["request"]["headers"]  # accepted there: last write wins,
    # which is why the console never sends a PUT without one.


@replays("05d_task_put_if_match_stale.json")
def test_a_stale_uuid_version_is_a_conflict() -> None:
    exchange = load("05d_task_put_if_match_stale.json")
    replay = Replay("05d_task_put_if_match_stale.json")

    async def go() -> None:
        async with replay.client() as client:
            with pytest.raises(FhirHttpError) as caught:
                tag = exchange["request"]["headers"]["If-Match"][3:-1]
                await client.update(exchange["request"]["body"], if_match=tag)
        assert caught.value.status == 412 and caught.value.is_conflict
        assert "Precondition Failed" in str(caught.value)

    run(go())


@replays("05h_task_history.json")
def test_history_versions_ordered_by_time_not_by_id() -> None:
    replay = Replay("05h_task_history.json")
    path, query = norm(load("05h_task_history.json")["request"]["path"])

    async def go() -> list[dict[str, Any]]:
        async with replay.client() as client:
            result = await client.search_all(
                "Task", list(query), path=path.removeprefix("/fhir/R4/")
            )
            return result.matches

    versions = run(go())
    assert len(versions) == 3
    newest = max(versions, key=lambda v: v["meta"]["lastUpdated"])
    for other in versions:
        if other is not newest:
            assert _newer(newest, other)
            assert not _newer(other, newest)


# ----- 06: conditional creates and the 409 a retry solves ---------------------------------------


@replays(
    "06a_communication_conditional_create_first.json",
    "06b_communication_conditional_create_second.json",
)
def test_a_repeated_conditional_create_finds_the_first() -> None:
    first, second = (
        load("06a_communication_conditional_create_first.json"),
        load("06b_communication_conditional_create_second.json"),
    )
    answers = iter([response(first), response(second)])

    async def go() -> list[dict[str, Any]]:
        client = FhirClient(
            BASE, http=httpx.AsyncClient(transport=httpx.MockTransport(lambda r: next(answers)))
        )
        async with client:
            condition = first["request"]["headers"]["If-None-Exist"]
            body = first["request"]["body"]
            return [
                await client.create(body, if_none_exist=condition),
                await client.create(body, if_none_exist=condition),
            ]

    made, found = run(go())
    assert made["id"] == found["id"]


@replays(
    "06c_communication_conditional_create_concurrent_distinct.json",
    "06e_conflict_retry.json",
)
def test_409_serialization_conflicts_are_retried_and_nothing_is_lost() -> None:
    flow = load("06c_communication_conditional_create_concurrent_distinct.json")
    retries = {row["identifier"]: row for row in load("06e_conflict_retry.json")["rows"]}
    first_answer: dict[str, httpx.Response] = {}
    calls: dict[str, int] = {}
    for exchange in flow["exchanges"]:
        key = exchange["request"]["headers"]["If-None-Exist"].split("=", 1)[1]
        first_answer[key] = response(exchange)

    def handler(request: httpx.Request) -> httpx.Response:
        key = request.headers["If-None-Exist"].split("=", 1)[1]
        calls[key] = calls.get(key, 0) + 1
        if calls[key] == 1:
            return first_answer[key]
        row = retries[key]  # 06e: a sequential retry of each 409 was a 201
        assert row["stored_after_409"] == 0
        body = json.loads(request.content)
        body["id"] = row["retry_location"].rsplit("/", 1)[-1]
        body["meta"] = {"versionId": "retried", "lastUpdated": "2026-12-02T20:20:40Z"}
        return httpx.Response(201, json=body, headers={"Location": row["retry_location"]})

    async def go() -> list[dict[str, Any]]:
        client = FhirClient(
            BASE,
            http=httpx.AsyncClient(transport=httpx.MockTransport(handler)),
            retry_backoff=0.001,
        )
        async with client:
            return await asyncio.gather(
                *(
                    client.create(
                        e["request"]["body"], if_none_exist=e["request"]["headers"]["If-None-Exist"]
                    )
                    for e in flow["exchanges"]
                )
            )

    stored = run(go())
    assert len(stored) == 10 and all(s.get("id") for s in stored)
    conflicted = [k for k, n in calls.items() if n == 2]
    assert sorted(conflicted) == sorted(retries)
    assert flow["statuses"].count(409) == len(conflicted) == 4


@replays("06d_communication_conditional_create_concurrent_same.json")
def test_concurrent_creates_with_one_key_store_one() -> None:
    flow = load("06d_communication_conditional_create_concurrent_same.json")
    answers = iter([response(e) for e in flow["exchanges"]])

    async def go() -> list[dict[str, Any]]:
        client = FhirClient(
            BASE, http=httpx.AsyncClient(transport=httpx.MockTransport(lambda r: next(answers)))
        )
        async with client:
            e = flow["exchanges"][0]
            return await asyncio.gather(
                *(
                    client.create(
                        e["request"]["body"], if_none_exist=e["request"]["headers"]["If-None-Exist"]
                    )
                    for _ in flow["exchanges"]
                )
            )

    stored = run(go())
    assert len({s["id"] for s in stored}) == 1


def test_retry_after_is_respected() -> None:
    answers = iter(
        [
            httpx.Response(
                429, headers={"Retry-After": "1"}, json={"resourceType": "OperationOutcome"}
            ),
            httpx.Response(200, json={"resourceType": "Patient", "id": "p"}),
        ]
    )

    async def go() -> float:
        client = FhirClient(
            BASE,
            http=httpx.AsyncClient(transport=httpx.MockTransport(lambda r: next(answers))),
            retry_backoff=0.001,
        )
        async with client:
            loop = asyncio.get_running_loop()
            started = loop.time()
            await client.read("Patient", "p")
            return loop.time() - started

    assert run(go()) >= 0.95


# ----- 07: R4 websocket Subscriptions ------------------------------------------------------


class FakeSocket:
    """The websocket of 07d: answers a JSON bind with the recorded handshake, then plays the
    event and heartbeat frames, and answers a ping with a pong. A plain-text bind (07h) gets
    nothing, as Medplum does."""

    def __init__(self, frames: list[dict[str, Any]], on_close: Callable[[], None]) -> None:
        self.received = [f["text"] for f in frames if f["dir"] == "recv"]
        self.sent: list[str] = []
        self.queue: asyncio.Queue[str] = asyncio.Queue()
        self.on_close = on_close
        self.closed = False
        self.ponged = False

    async def send(self, text: str) -> None:
        self.sent.append(text)
        try:
            msg = json.loads(text)
        except ValueError:
            return  # 07h: no answer at all
        if msg.get("type") == "bind-with-token":
            for frame in self.received:
                if '"type":"pong"' not in frame:
                    await self.queue.put(frame)
        elif msg.get("type") == "ping" and not self.ponged:
            self.ponged = True  # one pong, as recorded; then the server falls silent
            await self.queue.put('{"type":"pong"}')

    async def recv(self) -> str:
        return await self.queue.get()

    async def close(self) -> None:
        if not self.closed:
            self.closed = True
            self.on_close()


@replays(
    "07a_subscription_create.json",
    "07b_subscription_get_ws_binding_token.json",
    "07c_observation_post_for_subscription.json",
    "07d_ws_bind_json_frames.json",
    "07e_subscription_read_after_ws_close.json",
    "07f_binding_token_after_ws_close.json",
    "07g_subscription_create_for_plaintext.json",
    "07h_ws_bind_plaintext_frames.json",
    "07i_subscription_delete_after_close.json",
)
def test_r4_websocket_subscription_flow(monkeypatch: pytest.MonkeyPatch) -> None:
    created = load("07a_subscription_create.json")
    token = load("07b_subscription_get_ws_binding_token.json")
    posted = load("07c_observation_post_for_subscription.json")["response"]["body"]
    frames = load("07d_ws_bind_json_frames.json")["websocket"]["frames"]
    plain = load("07h_ws_bind_plaintext_frames.json")["websocket"]
    gone_read = load("07e_subscription_read_after_ws_close.json")
    gone_token = load("07f_binding_token_after_ws_close.json")
    gone_delete = load("07i_subscription_delete_after_close.json")
    second = load("07g_subscription_create_for_plaintext.json")
    statement = load("01a_metadata.json")["response"]["body"]
    sub_ids = [created["response"]["body"]["id"], second["response"]["body"]["id"]]
    alive: set[str] = set()
    creates: list[dict[str, Any]] = []
    sockets: list[FakeSocket] = []

    def handler(request: httpx.Request) -> httpx.Response:
        path = request.url.path
        if path.endswith("/metadata"):
            return httpx.Response(200, json=statement)
        if request.method == "POST" and path.endswith("/Subscription"):
            body = json.loads(request.content)
            creates.append(body)
            answer = copy.deepcopy(created if len(creates) % 2 else second)
            sub_id = sub_ids[(len(creates) - 1) % 2]
            alive.add(sub_id)
            return response(answer)
        if "$get-ws-binding-token" in path:
            sub_id = path.split("/")[-2]
            return response(token if sub_id in alive else gone_token)
        if request.method == "DELETE":
            return response(gone_delete)  # vanished with the socket already (07i)
        if request.method == "GET" and "/Subscription/" in path:
            return response(gone_read)
        if request.method == "GET" and path.endswith("/Observation"):
            return httpx.Response(200, json={"resourceType": "Bundle", "type": "searchset"})
        return httpx.Response(599)

    async def fake_connect(url: str, **_kwargs: Any) -> FakeSocket:
        assert url == token["response"]["body"]["parameter"][3]["valueUrl"]

        def closed() -> None:
            alive.clear()  # websocket Subscriptions vanish with their socket (07e, 07f)

        socket = FakeSocket(frames, closed)
        sockets.append(socket)
        return socket

    monkeypatch.setattr(subs, "connect", fake_connect)
    batches: list[list[dict[str, Any]]] = []
    statuses: list[LiveStatus] = []

    async def go() -> None:
        client = FhirClient(BASE, http=httpx.AsyncClient(transport=httpx.MockTransport(handler)))
        feed = LiveFeed(
            client,
            on_resources=batches.append,
            on_status=statuses.append,
            resource_types=("Observation",),
            batch_window=0.0,
            channel_heartbeat=0.2,
            heartbeat_grace=2.0,
            backoff_initial=0.01,
        )
        feed.start()
        loop = asyncio.get_running_loop()
        end = loop.time() + 5
        while not any(r.get("id") == posted["id"] for b in batches for r in b):
            assert loop.time() < end, "the event frame never delivered the Observation"
            await asyncio.sleep(0.01)
        assert feed.transport == "R4 websocket Subscription"
        assert any(s.mode is LiveMode.LIVE for s in statuses)
        # The recorded frames end: no heartbeat within the grace → ping, then reconnect with
        # a NEW Subscription (the old one vanished with its socket).
        while len(sockets) < 2:
            assert loop.time() < end + 5, "no reconnect after the heartbeats stopped"
            await asyncio.sleep(0.02)
        assert any(json.loads(t).get("type") == "ping" for t in sockets[0].sent)
        await feed.stop()
        await client.aclose()

    run(go())
    # The Subscription as recorded (07a): criteria a search, websocket channel, active.
    assert creates[0]["criteria"] == "Observation"
    assert creates[0]["channel"] == created["request"]["body"]["channel"]
    assert creates[0]["status"] == "active"
    assert len(creates) >= 2  # recreated for the second connection
    # Always the JSON bind of 07d, never the plain-text one 07h shows gets no answer.
    binds = [t for s in sockets for t in s.sent if "bind-with-token" in t]
    assert binds and all(json.loads(t)["type"] == "bind-with-token" for t in binds)
    assert plain["frames"][0]["text"].startswith("bind-with-token ")  # what not to send


@replays("07d_ws_bind_json_frames.json")
def test_parse_every_recorded_frame() -> None:
    frames = [
        f["text"]
        for f in load("07d_ws_bind_json_frames.json")["websocket"]["frames"]
        if f["dir"] == "recv"
    ]
    kinds = [subs.parse_frame(text) for text in frames]
    assert [k.kind for k in kinds] == ["handshake", "event-notification", "heartbeat", "pong"]
    event = kinds[1]
    assert event.numbers == []  # "0": not numbered
    assert [r["resourceType"] for r in event.resources] == ["Observation"]
    assert event.focus == []  # carried, so nothing to read
    assert kinds[0].subscription.startswith("Subscription/")


# ----- 08: who is signed in ---------------------------------------------------------------------


@replays("08a_practitioner_count1.json")
def test_paging_without_total_follows_next_links() -> None:
    exchange = load("08a_practitioner_count1.json")
    replay = Replay("08a_practitioner_count1.json")
    replay.extra[("GET", "/fhir/R4/Practitioner")] = httpx.Response(
        200, json={"resourceType": "Bundle", "type": "searchset", "link": []}
    )

    async def go() -> Any:
        async with replay.client() as client:
            return await client.search_all("Practitioner", {"_count": "1"})

    result = run(go())
    assert result.total is None
    assert len(result.matches) == 1
    assert any("_offset=1" in str(r.url) for r in replay.requests)
    assert exchange["response"]["body"]["link"][-1]["relation"] == "next"


@replays("08b_oauth2_userinfo.json", "08c_auth_me.json")
def test_a_client_application_token_is_not_a_person() -> None:
    statement = load("01a_metadata.json")["response"]["body"]
    smart = load("01b_smart_configuration.json")
    userinfo = load("08b_oauth2_userinfo.json")
    me = load("08c_auth_me.json")

    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path.endswith("/metadata"):
            return httpx.Response(200, json=statement)
        if request.url.path.endswith("/smart-configuration"):
            body = dict(smart["response"]["body"], userinfo_endpoint=f"{ROOT}/oauth2/userinfo")
            return httpx.Response(200, json=body)
        if request.url.path == "/oauth2/userinfo":
            return response(userinfo)
        if request.url.path == "/auth/me":
            return response(me)
        return httpx.Response(404)

    async def go() -> Any:
        http = httpx.AsyncClient(transport=httpx.MockTransport(handler))
        client = FhirClient(BASE, http=http, token=lambda: "a.b.c")
        identity = await resolve_identity(
            client, {"sub": userinfo["response"]["body"]["sub"]}, http
        )
        await http.aclose()
        return identity

    identity = run(go())
    assert identity.reference == f"ClientApplication/{userinfo['response']['body']['sub']}"
    assert identity.source == "auth-me"  # userinfo has only "sub", so /auth/me named it
    assert not identity.is_person


def test_a_fhir_user_claim_names_the_person() -> None:
    async def go() -> Any:
        async with FhirClient(
            BASE,
            http=httpx.AsyncClient(transport=httpx.MockTransport(lambda r: httpx.Response(404))),
        ) as client:
            return await resolve_identity(client, {"fhirUser": f"{BASE}/Practitioner/d162851f"})

    identity = run(go())
    assert identity.reference == "Practitioner/d162851f" and identity.is_person


# ----- completeness -----------------------------------------------------------------------


def test_every_recording_is_replayed() -> None:
    recorded = {p.name for p in FIXTURES.glob("*.json")}
    repo = FIXTURES.parents[2]
    for shared in (repo.parent / "shared", repo.parent.parent / "shared"):
        peers = shared / "peers" / "medplum"
        if peers.is_dir():  # the copy is complete
            assert recorded >= {p.name for p in peers.glob("*.json")}
    missing = sorted(recorded - set(REPLAYED))
    assert not missing, f"recordings without a replay test: {missing}"


# ----- the topic-based channel's frames (the reference backend's own shapes) -----------------


def test_topic_frames_carry_numbers_and_resources() -> None:
    """The backport's Parameters-shaped SubscriptionStatus, as server/api/subscriptions.py
    writes it: numbers (for gap detection), the resource, deletes skipped, `off` seen."""
    from server.api.broker import ChangeEvent
    from server.api.subscriptions import TOPIC_URL, notification_bundle, parse_subscription

    spec = parse_subscription(
        {
            "resourceType": "Subscription",
            "status": "active",
            "reason": "test",
            "criteria": TOPIC_URL,
            "channel": {"type": "websocket"},
        },
        "s1",
    )
    obs = '{"resourceType":"Observation","id":"o1","status":"final"}'
    events = [
        (7, ChangeEvent(1, "create", "Observation", "o1", 1, "2026-12-02T10:00:00Z", obs)),
        (8, ChangeEvent(2, "delete", "Observation", "o0", 2, "2026-12-02T10:00:01Z", "")),
    ]
    hello = subs.parse_frame(notification_bundle("http://x/fhir", spec, "handshake", 6))
    assert (hello.kind, hello.since, hello.subscription) == ("handshake", 6, "Subscription/s1")
    event = subs.parse_frame(
        notification_bundle("http://x/fhir", spec, "event-notification", 8, events)
    )
    assert event.kind == "event-notification" and event.numbers == [7, 8]
    assert [r["id"] for r in event.resources] == ["o1"]
    assert event.focus == []  # o1 is carried; o0 was deleted: nothing to read
    off = subs.parse_frame(notification_bundle("http://x/fhir", spec, "heartbeat", 8, status="off"))
    assert (off.kind, off.status) == ("heartbeat", "off")
