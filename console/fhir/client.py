"""The console's one FHIR R4 REST client (plain asyncio + httpx, no Qt).

Everything that speaks HTTP to the FHIR server goes through `FhirClient`, so retries, auth,
error translation and server quirks live in one place. Server-specific behaviour is decided
only through `Capabilities` (the server's CapabilityStatement), never by server name elsewhere.
"""

from __future__ import annotations

import asyncio
import email.utils
import json
import logging
import os
import random
import re
import time
from collections.abc import AsyncIterator, Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar
from urllib.parse import urlsplit, urlunsplit

import httpx

from console.domain.clock import ServerClock, parse_clock_header
from console.fhir.errors import (
    FhirError,
    FhirHttpError,
    FhirMalformed,
    FhirUnavailable,
    outcome_sentence,
)
from console.gcpause import gc_paused

log = logging.getLogger(__name__)

T = TypeVar("T")

FHIR_JSON = "application/fhir+json"

#: Search parameters given as a mapping (values may repeat as lists) or as ordered pairs.
Params = Mapping[str, str | int | Sequence[str]] | Sequence[tuple[str, str]] | None

#: Extension (dho) on CapabilityStatement or its `rest` that names the notification WebSocket.
WEBSOCKET_EXTENSIONS = (
    "http://dho.example/fhir/StructureDefinition/websocket-notifications",
    "http://hl7.org/fhir/uv/subscriptions-backport/StructureDefinition/capabilitystatement-websocket",
)

#: Parameters every FHIR server understands on any search (result controls, not filters).
_RESULT_PARAMS = frozenset(
    {"_count", "_sort", "_include", "_revinclude", "_summary", "_elements", "_total"}
)
#: Filters R4 defines for every resource (servers often leave them out of the statement).
_COMMON_FILTERS = frozenset({"_id", "_lastUpdated"})

#: Answers that mean "not done, try again": 409 (a serialization conflict; Medplum answers it
#: to concurrent conditional creates), 429 (too many requests), 502/503/504.
_RETRY_STATUS = frozenset({409, 429, 502, 503, 504})
#: Longest wait a `Retry-After` may ask for before we give up instead (seconds).
MAX_RETRY_AFTER = 30.0

#: Our own extensions in the CapabilityStatement (rest[0].extension), see docs/contract.md.
ALERT_RULES_EXTENSION = "http://dho.example/fhir/StructureDefinition/alert-rules"
R4_WEBSOCKET_EXTENSION = "http://hl7.org/fhir/StructureDefinition/capabilitystatement-websocket"
BACKPORT_SUBSCRIPTION = (
    "http://hl7.org/fhir/uv/subscriptions-backport/StructureDefinition/backport-subscription"
)
TOPIC_CANONICAL = (
    "http://hl7.org/fhir/uv/subscriptions-backport/StructureDefinition/"
    "capabilitystatement-subscriptiontopic-canonical"
)

#: What some servers offer without declaring it, by `software.name` (lower case). The only
#: server-specific knowledge in the console, checked here and nowhere else:
#: - `ws-binding-token`: R4 websocket Subscriptions with `$get-ws-binding-token` and a JSON
#:   `bind-with-token` message (Medplum 5.0.10, recorded in shared/peers/medplum/07*).
#: - `auth-me`: a user endpoint `/auth/me` naming the token's resource (`profile`).
KNOWN_SOFTWARE: dict[str, frozenset[str]] = {
    "medplum": frozenset({"ws-binding-token", "auth-me"}),
}


class Feature:
    """Names of the features `Capabilities.has` answers (docs/contract.md, feature by feature)."""

    LASTN = "lastn"
    NEWS2 = "news2"
    DHO_WEBSOCKET = "dho-websocket"  # our /ws/notifications
    TOPIC_SUBSCRIPTIONS = "topic-subscriptions"  # R4 backport, topic-based, websocket
    R4_WEBSOCKET = "ws-binding-token"  # R4 Subscription, channel websocket, binding token
    SERVER_RULES = "server-rules"  # the server raises alert Tasks itself
    AUTH_ME = "auth-me"  # a user endpoint naming the token's resource


def feature_overrides() -> dict[str, bool]:
    """`DHO_SERVER_FEATURES="-lastn,+ws-binding-token"`: what an administrator knows better than
    the CapabilityStatement (one function, so the setting can move to console.settings)."""
    out: dict[str, bool] = {}
    for item in os.environ.get("DHO_SERVER_FEATURES", "").split(","):
        item = item.strip()
        if len(item) > 1 and item[0] in "+-":
            out[item[1:]] = item[0] == "+"
    return out


#: (dho) The server's clock (CapabilityStatement rest extension) and its response header.
CLOCK_EXTENSION = "http://dho.example/fhir/StructureDefinition/server-clock"
CLOCK_HEADER = "X-DHO-Clock"
#: (dho) The server escalates unclaimed high alerts itself: consoles must not.
ESCALATION_EXTENSION = "http://dho.example/fhir/StructureDefinition/server-escalation"


SERVER_PROFILE_URL = "http://dho.example/fhir/StructureDefinition/server-profile"


class Capabilities:
    """Questions about what the server can do, answered from its CapabilityStatement.

    This is the ONE place that decides server-specific behaviour (e.g. whether `$lastn` or the
    notification WebSocket exists), so the rest of the console can ask instead of guessing.
    """

    def __init__(
        self, statement: Mapping[str, Any], overrides: Mapping[str, bool] | None = None
    ) -> None:
        self.raw: Mapping[str, Any] = statement
        self._overrides = dict(feature_overrides() if overrides is None else overrides)
        self._resources: dict[str, Mapping[str, Any]] = {}
        self._operations: set[str] = set()
        self._common_params: set[str] = set()
        for rest in _dicts(statement.get("rest")):
            if rest.get("mode", "server") != "server":
                continue
            for res in _dicts(rest.get("resource")):
                rtype = res.get("type")
                if isinstance(rtype, str):
                    self._resources[rtype] = res
                    for op in _dicts(res.get("operation")):
                        self._add_operation(op)
            for op in _dicts(rest.get("operation")):
                self._add_operation(op)
            for sp in _dicts(rest.get("searchParam")):
                if isinstance(sp.get("name"), str):
                    self._common_params.add(sp["name"])

    def _add_operation(self, op: Mapping[str, Any]) -> None:
        name = op.get("name")
        if isinstance(name, str):
            self._operations.add(name.lstrip("$"))
        definition = op.get("definition")
        if isinstance(definition, str):
            tail = definition.rstrip("/").rsplit("/", 1)[-1]
            self._operations.add(tail.rsplit("-", 1)[-1].lstrip("$"))

    def _rest_extension(self, url: str) -> Mapping[str, Any] | None:
        for holder in [self.raw, *_dicts(self.raw.get("rest"))]:
            for ext in _dicts(holder.get("extension")):
                if ext.get("url") == url:
                    return ext
        return None

    @property
    def software_name(self) -> str:
        software = self.raw.get("software")
        name = software.get("name") if isinstance(software, dict) else None
        return str(name).strip().lower() if name else ""

    def has(self, feature: str) -> bool:
        """Whether the server offers `feature` (a `Feature` name): declared in its
        CapabilityStatement, known for its software, or set by `DHO_SERVER_FEATURES`."""
        if feature in self._overrides:
            return self._overrides[feature]
        if feature == Feature.LASTN:
            return self.supports_operation("lastn")
        if feature == Feature.NEWS2:
            return self.supports_operation("news2")
        if feature == Feature.DHO_WEBSOCKET:
            return self.websocket_url("http://x") is not None
        if feature == Feature.SERVER_RULES:
            ext = self._rest_extension(ALERT_RULES_EXTENSION)
            return ext is not None and ext.get("valueCode") == "server"
        sub = self._resources.get("Subscription")
        if feature == Feature.TOPIC_SUBSCRIPTIONS:
            return (
                sub is not None
                and BACKPORT_SUBSCRIPTION in (sub.get("supportedProfile") or [])
                and self.topic_url is not None
                and self._declares(sub, "get-ws-binding-token")
            )
        if feature == Feature.R4_WEBSOCKET:
            if sub is None or not self.supports_interaction("Subscription", "create"):
                return False
            if self._declares(sub, "get-ws-binding-token"):
                return True
            return Feature.R4_WEBSOCKET in KNOWN_SOFTWARE.get(self.software_name, frozenset())
        return feature in KNOWN_SOFTWARE.get(self.software_name, frozenset())

    @staticmethod
    def _declares(resource: Mapping[str, Any], operation: str) -> bool:
        for op in _dicts(resource.get("operation")):
            names = {str(op.get("name", "")).lstrip("$"), str(op.get("definition", ""))}
            if any(n == operation or n.endswith("-" + operation) for n in names):
                return True
        return False

    @property
    def topic_url(self) -> str | None:
        """The resource-changes SubscriptionTopic the server offers (backport IG)."""
        sub = self._resources.get("Subscription")
        for ext in _dicts(sub.get("extension")) if sub else ():
            if ext.get("url") == TOPIC_CANONICAL and isinstance(ext.get("valueCanonical"), str):
                return str(ext["valueCanonical"])
        return None

    def r4_websocket_url(self, base_url: str) -> str | None:
        """The R4 core `capabilitystatement-websocket` URL, if the server names one."""
        ext = self._rest_extension(R4_WEBSOCKET_EXTENSION)
        value = (ext or {}).get("valueUri") or (ext or {}).get("valueUrl")
        if not isinstance(value, str) or not value:
            return None
        if value.startswith(("ws://", "wss://")):
            return value
        return default_websocket_url(base_url, value)

    @property
    def alert_side(self) -> str:
        """Who raises alert Tasks: "server" or "console" (`DHO_ALERT_RULES` may force one)."""
        forced = alert_rules_setting()
        if forced in ("server", "console"):
            return forced
        return "server" if self.has(Feature.SERVER_RULES) else "console"

    def declared_params(self, resource_type: str) -> frozenset[str] | None:
        """The search parameters declared for a type, or None if the statement lists none
        (then nothing can be checked and every parameter is tried)."""
        res = self._resources.get(resource_type)
        if res is None:
            return None
        names = {str(sp.get("name")) for sp in _dicts(res.get("searchParam"))}
        return frozenset(names | self._common_params) if names else None

    @property
    def server_profile(self) -> str | None:
        """What the reference backend says it is (``normal``, ``plain-r4``, ``training``)."""
        for rest in _dicts(self.raw.get("rest")):
            for ext in _dicts(rest.get("extension")):
                if ext.get("url") == SERVER_PROFILE_URL and isinstance(ext.get("valueCode"), str):
                    return str(ext["valueCode"])
        return None

    @property
    def software(self) -> str:
        software = self.raw.get("software")
        if isinstance(software, dict):
            return " ".join(str(software.get(k, "")) for k in ("name", "version")).strip()
        return ""

    def supports_resource(self, resource_type: str) -> bool:
        return resource_type in self._resources

    def supports_interaction(self, resource_type: str, code: str) -> bool:
        res = self._resources.get(resource_type)
        if res is None:
            return False
        return any(i.get("code") == code for i in _dicts(res.get("interaction")))

    def supports_operation(self, name: str) -> bool:
        """`supports_operation("lastn")` (a leading `$` is ignored)."""
        return name.lstrip("$") in self._operations

    def supports_search_param(self, resource_type: str, name: str) -> bool:
        """Whether `name` may be used when searching `resource_type`.

        Result controls such as `_count` and `_sort` count as supported when the resource is;
        filters must be declared on the resource or for all resources on `rest`.
        """
        res = self._resources.get(resource_type)
        if res is None:
            return False
        if name in _RESULT_PARAMS or name in self._common_params or name in _COMMON_FILTERS:
            return True
        return any(sp.get("name") == name for sp in _dicts(res.get("searchParam")))

    def server_clock(self) -> tuple[float, float] | None:
        """(epoch seconds, speed) the server announced as its clock, or None (wall clock)."""
        ext = self._rest_extension(CLOCK_EXTENSION)
        if ext is None:
            return None
        subs = {e.get("url"): e for e in _dicts(ext.get("extension"))}
        now = (subs.get("now") or {}).get("valueInstant")
        speed = (subs.get("speed") or {}).get("valueDecimal", 1)
        if not isinstance(now, str) or not isinstance(speed, int | float):
            return None
        return parse_clock_header(f"now={now};speed={speed}")

    def escalation_after(self) -> float | None:
        """Seconds after which the server escalates unclaimed high alerts (None: it does not,
        and the console escalates them itself)."""
        ext = self._rest_extension(ESCALATION_EXTENSION)
        if ext is None:
            return None
        for sub in _dicts(ext.get("extension")):
            duration = sub.get("valueDuration")
            if sub.get("url") == "after" and isinstance(duration, dict):
                value = duration.get("value")
                unit = duration.get("code") or duration.get("unit") or "min"
                scale = {"s": 1.0, "min": 60.0, "h": 3600.0}.get(str(unit), 60.0)
                if isinstance(value, int | float):
                    return float(value) * scale
        return 15 * 60.0

    def websocket_url(self, base_url: str) -> str | None:
        """The advertised notification WebSocket URL, or None if the server names none.

        A value that is only a path (or empty) is resolved against the FHIR base's host, so
        `/ws/notifications` becomes `ws://host:port/ws/notifications`.
        """
        for holder in [self.raw, *_dicts(self.raw.get("rest"))]:
            for ext in _dicts(holder.get("extension")):
                if ext.get("url") not in WEBSOCKET_EXTENSIONS:
                    continue
                value = ext.get("valueUrl") or ext.get("valueUri") or ext.get("valueString")
                if isinstance(value, str) and value.startswith(("ws://", "wss://")):
                    return value
                path = value if isinstance(value, str) and value else "/ws/notifications"
                return default_websocket_url(base_url, path)
        return None


def alert_rules_setting() -> str:
    """`DHO_ALERT_RULES=server|console|auto` (default auto: from the CapabilityStatement)."""
    return os.environ.get("DHO_ALERT_RULES", "auto").strip().lower()


class UndeclaredParameter(FhirError):
    """A search the server did not declare: not sent (it would answer 400 anyway)."""


def default_websocket_url(base_url: str, path: str = "/ws/notifications") -> str:
    """`http://host:port/fhir` → `ws://host:port/ws/notifications` (wss for https)."""
    parts = urlsplit(base_url)
    scheme = "wss" if parts.scheme == "https" else "ws"
    if not path.startswith("/"):
        path = "/" + path
    return urlunsplit((scheme, parts.netloc, path, "", ""))


@dataclass(slots=True)
class SearchPage:
    """One page of a search: the matches, `_include`d resources, and what had to be skipped."""

    matches: list[dict[str, Any]]
    included: list[dict[str, Any]]
    total: int | None = None
    malformed: int = 0
    next_url: str | None = None


@dataclass(slots=True)
class SearchResult:
    """All pages of a search, collected."""

    matches: list[dict[str, Any]] = field(default_factory=list)
    included: list[dict[str, Any]] = field(default_factory=list)
    total: int | None = None
    #: Entries skipped because they were not valid resources (reported, not fatal).
    malformed: int = 0


class FhirClient:
    """Async FHIR R4 client over one shared `httpx.AsyncClient`.

    GETs are retried a couple of times with backoff on connect errors and 502/503/504 because
    they are idempotent; POSTs are retried only for conditional creates (`if_none_exist`),
    where a retry cannot create a duplicate. Tokens come from `token()` per request and are
    never logged.
    """

    def __init__(
        self,
        base_url: str,
        *,
        http: httpx.AsyncClient | None = None,
        token: Callable[[], str | None] | None = None,
        timeout: float = 10.0,
        retries: int = 2,
        retry_backoff: float = 0.25,
        clock: ServerClock | None = None,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        #: The server's clock, fed from every answer's X-DHO-Clock header (and the
        #: CapabilityStatement); None: nobody needs it.
        self.clock = clock
        self._owns_http = http is None
        self._http = http or httpx.AsyncClient(timeout=httpx.Timeout(timeout))
        self._timeout = timeout
        self._token = token
        self._retries = retries
        self._retry_backoff = retry_backoff
        self._capabilities: Capabilities | None = None
        self._capabilities_lock = asyncio.Lock()
        #: Count of search entries skipped as malformed over the client's lifetime.
        self.malformed_skipped = 0
        #: Requests retried after 409/429/5xx or a lost connection (for logs and benchmarks).
        self.retried = 0

    async def aclose(self) -> None:
        """Close the HTTP client if we created it (a passed-in client belongs to the caller)."""
        if self._owns_http:
            await self._http.aclose()

    async def __aenter__(self) -> FhirClient:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()

    # -- capability ----------------------------------------------------------------------

    async def capabilities(self, *, refresh: bool = False) -> Capabilities:
        """The server's CapabilityStatement, fetched once and cached."""
        async with self._capabilities_lock:
            if self._capabilities is None or refresh:
                statement = await self._get_json(self._url("metadata"))
                _expect_type(statement, "CapabilityStatement")
                self._capabilities = Capabilities(statement)
                announced = self._capabilities.server_clock()
                if announced is not None and self.clock is not None and not self.clock.announced:
                    self.clock.observe(*announced)
            return self._capabilities

    # -- read / search ---------------------------------------------------------------------

    async def read(self, resource_type: str, resource_id: str) -> dict[str, Any]:
        resource = await self._get_json(self._url(resource_type, resource_id))
        _expect_resource(resource, resource_type)
        return resource

    async def vread(self, resource_type: str, resource_id: str, version: str) -> dict[str, Any]:
        url = self._url(resource_type, resource_id, "_history", version)
        resource = await self._get_json(url)
        _expect_resource(resource, resource_type)
        return resource

    async def search_pages(
        self, resource_type: str, params: Params = None, *, path: str | None = None
    ) -> AsyncIterator[SearchPage]:
        """Yield each page of a search, following `next` links, yielding to the loop between."""
        url: str | None = self._url(path or resource_type)
        query: list[tuple[str, str]] | None = _params(params)
        if path is None:
            self._check_declared(resource_type, query)
        first = True
        while url is not None:
            if not first:
                await asyncio.sleep(0)
            bundle = await self._get_json(url, query)
            page = self._parse_bundle(bundle, resource_type)
            if page.malformed:
                self.malformed_skipped += page.malformed
                log.warning("skipped %d malformed entries in a %s search", page.malformed, url)
            yield page
            url, query, first = page.next_url, None, False

    async def search_mapped(
        self,
        resource_type: str,
        params: Params,
        map_page: Callable[[list[dict[str, Any]]], T],
    ) -> AsyncIterator[T]:
        """Like `search_pages`, but each page is decoded and handed to `map_page` in a worker
        thread with the garbage collector paused, and only what it returns comes back.

        For bulk loads (a year of per-minute values is 500 pages): a page's ~15,000 dicts are
        created and freed inside one call, so they never reach the collector (see
        console.gcpause), and the UI thread waits for the GIL at most one `json.loads` (~10
        ms) at a time. `map_page` must not touch Qt objects.
        """
        url: str | None = self._url(resource_type)
        query: list[tuple[str, str]] | None = _params(params)
        self._check_declared(resource_type, query)
        while url is not None:
            response = await self._send("GET", url, params=query, retry=True)
            mapped, url, malformed = await asyncio.to_thread(
                self._decode_and_map, response, resource_type, map_page
            )
            if malformed:
                self.malformed_skipped += malformed
                log.warning("skipped %d malformed entries in a %s search", malformed, resource_type)
            query = None
            yield mapped

    def _decode_and_map(
        self,
        response: httpx.Response,
        resource_type: str,
        map_page: Callable[[list[dict[str, Any]]], T],
    ) -> tuple[T, str | None, int]:
        with gc_paused():
            page = self._parse_bundle(_json_body(response), resource_type)
            mapped = map_page(page.matches)
            next_url, malformed = page.next_url, page.malformed
            del page  # freed here, while the collector is still paused
        return mapped, next_url, malformed

    async def search(
        self, resource_type: str, params: Params = None
    ) -> AsyncIterator[dict[str, Any]]:
        """Yield matching resources page by page (included resources are not yielded)."""
        async for page in self.search_pages(resource_type, params):
            for resource in page.matches:
                yield resource

    async def search_all(
        self, resource_type: str, params: Params = None, *, path: str | None = None
    ) -> SearchResult:
        """Collect every page of a search, with `_include`d resources kept apart."""
        result = SearchResult()
        async for page in self.search_pages(resource_type, params, path=path):
            result.matches.extend(page.matches)
            result.included.extend(page.included)
            result.malformed += page.malformed
            if result.total is None:
                result.total = page.total
        return result

    async def operation(
        self, resource_type: str, resource_id: str | None, name: str, params: Params = None
    ) -> dict[str, Any]:
        """GET a type- or instance-level operation (`Patient/{id}/$news2`); returns its JSON.

        Ask `capabilities().supports_operation(name)` first: servers without it answer 404.
        """
        segments = [resource_type, *([resource_id] if resource_id else []), "$" + name.lstrip("$")]
        return await self._get_json(self._url(*segments), _params(params))

    async def operation_mapped(
        self,
        path: str,
        params: Params,
        map_body: Callable[[dict[str, Any]], T],
    ) -> T:
        """GET an operation (`$review-stats`) and decode and map its answer in a worker thread
        with the collector paused, as `search_mapped` does for a page: a large answer must not
        hold the UI thread for its whole `json.loads`."""
        response = await self._send("GET", self._url(path), params=_params(params), retry=True)

        def decode() -> T:
            with gc_paused():
                return map_body(_json_body(response))

        return await asyncio.to_thread(decode)

    async def json_operation(
        self, name: str, body: Mapping[str, Any] | None = None, params: Params = None
    ) -> dict[str, Any]:
        """A system-level operation with a plain JSON body (`POST /fhir/$scenario-load`), or
        GET without one. POSTs change state and are not retried."""
        url = self._url("$" + name.lstrip("$"))
        if body is None:
            return await self._get_json(url, _params(params))
        response = await self._send(
            "POST",
            url,
            params=_params(params),
            content=json.dumps(body).encode(),
            headers={"Content-Type": "application/json", "Accept": "application/json"},
            retry=False,
        )
        return _json_body(response)

    async def text_operation(self, name: str, params: Params = None) -> str:
        """A system-level operation answering a file (`$scenarios?format=yaml`): its text."""
        url = self._url("$" + name.lstrip("$"))
        response = await self._send("GET", url, params=_params(params), retry=True)
        return response.text

    async def count(self, resource_type: str, params: Params = None) -> int:
        """Number of matches, without fetching them (`_summary=count`)."""
        query = _params(params) or []
        query = [(k, v) for k, v in query if k not in ("_summary", "_count")]
        query.append(("_summary", "count"))
        bundle = await self._get_json(self._url(resource_type), query)
        _expect_type(bundle, "Bundle")
        total = bundle.get("total")
        if not isinstance(total, int):
            raise FhirMalformed("the count Bundle has no numeric 'total'")
        return total

    async def lastn(self, max: int = 1, params: Params = None) -> list[dict[str, Any]]:
        """The newest `max` Observations per patient and code.

        Uses `Observation/$lastn` when the server has it; otherwise searches newest-first and
        keeps the newest `max` per (patient, code) here, which is slower but gives the same set.
        """
        caps = await self.capabilities()
        query = [(k, v) for k, v in (_params(params) or []) if k != "max"]
        if caps.supports_operation("lastn"):
            query.append(("max", str(max)))
            result = await self.search_all("Observation", query, path="Observation/$lastn")
            return result.matches
        query = [(k, v) for k, v in query if k not in ("_sort", "_count")]
        query += [("_sort", "-date"), ("_count", "1000")]
        kept: dict[tuple[str, str], list[dict[str, Any]]] = {}
        async for obs in self.search("Observation", query):
            key = (_subject_ref(obs), _first_code(obs))
            bucket = kept.setdefault(key, [])
            if len(bucket) < max:
                bucket.append(obs)
        return [obs for bucket in kept.values() for obs in bucket]

    # -- write -------------------------------------------------------------------------------

    async def create(
        self, resource: Mapping[str, Any], *, if_none_exist: str | None = None
    ) -> dict[str, Any]:
        """POST a resource and return the stored version (with id and meta).

        With `if_none_exist` (a search query such as `identifier=sys|key`) the create is
        conditional, so a retry after a timeout cannot store a second copy; only then do we
        retry.
        """
        rtype = _resource_type(resource)
        headers = {"Content-Type": FHIR_JSON, "Prefer": "return=representation"}
        if if_none_exist:
            headers["If-None-Exist"] = if_none_exist
        response = await self._send(
            "POST",
            self._url(rtype),
            content=json.dumps(resource).encode(),
            headers=headers,
            retry=bool(if_none_exist),
        )
        return await self._stored_resource(response, rtype)

    async def update(self, resource: Mapping[str, Any], *, if_match: str) -> dict[str, Any]:
        """Version-aware PUT (`If-Match: W/"n"`); a stale version raises FhirHttpError 412."""
        rtype = _resource_type(resource)
        rid = resource.get("id")
        if not isinstance(rid, str) or not rid:
            raise ValueError("update needs a resource with an id")
        tag = if_match if if_match.startswith(("W/", '"')) else f'W/"{if_match}"'
        headers = {"Content-Type": FHIR_JSON, "Prefer": "return=representation", "If-Match": tag}
        # Retrying is safe: If-Match makes a repeat of an applied change a 412, never a
        # second change (and 409/429/503 mean it was not applied).
        response = await self._send(
            "PUT",
            self._url(rtype, rid),
            content=json.dumps(resource).encode(),
            headers=headers,
            retry=True,
        )
        return await self._stored_resource(response, rtype)

    async def delete(self, resource_type: str, resource_id: str) -> None:
        """DELETE a resource (404/410: already gone counts as done)."""
        try:
            await self._send("DELETE", self._url(resource_type, resource_id), retry=True)
        except FhirHttpError as exc:
            if exc.status not in (404, 410):
                raise

    # -- internals -------------------------------------------------------------------------

    def _check_declared(self, resource_type: str, query: list[tuple[str, str]] | None) -> None:
        """Refuse to send a filter the server did not declare (once its statement is known)."""
        caps = self._capabilities
        if caps is None or not query:
            return
        declared = caps.declared_params(resource_type)
        if declared is None:
            return
        for name, _value in query:
            base = name.split(":", 1)[0].split(".", 1)[0]
            if base in _RESULT_PARAMS or base in _COMMON_FILTERS or base in declared:
                continue
            if base.startswith("_"):
                continue  # `_has` and other controls (_offset, _format...) are R4's own
            raise UndeclaredParameter(
                f"{caps.software or 'the server'} does not declare the search parameter "
                f"{base!r} for {resource_type}; not sent"
            )

    def _url(self, *segments: str) -> str:
        return "/".join([self.base_url, *segments])

    def auth_headers(self) -> dict[str, str]:
        """`Authorization: Bearer ...` if the token source has one (for the WebSocket too)."""
        if self._token is not None:
            token = self._token()
            if token:
                return {"Authorization": f"Bearer {token}"}
        return {}

    def _headers(self, extra: Mapping[str, str] | None = None) -> dict[str, str]:
        headers = {"Accept": FHIR_JSON, **self.auth_headers()}
        if extra:
            headers.update(extra)
        return headers

    async def _send(
        self,
        method: str,
        url: str,
        *,
        params: list[tuple[str, str]] | None = None,
        content: bytes | None = None,
        headers: Mapping[str, str] | None = None,
        retry: bool,
    ) -> httpx.Response:
        """One request. `retry`: it is safe to repeat (a GET, a conditional create, a PUT with
        If-Match): then a lost connection, 409, 429 and 502/503/504 are retried with
        exponential backoff and jitter, waiting at least what `Retry-After` asks."""
        attempts = 1 + (self._retries if retry else 0)
        for attempt in range(attempts):
            last = attempt == attempts - 1
            wait = self._retry_backoff * (2**attempt) * random.uniform(0.8, 1.2)
            try:
                response = await self._http.request(
                    method,
                    url,
                    params=httpx.QueryParams(tuple(params)) if params else None,
                    content=content,
                    headers=self._headers(headers),
                )
            except httpx.TransportError as exc:
                if last:
                    raise FhirUnavailable(_transport_text(exc, method, url)) from exc
                log.info("%s %s failed (%s); retrying", method, _safe(url), type(exc).__name__)
            else:
                after = retry_after(response) if response.status_code in _RETRY_STATUS else None
                if response.status_code in _RETRY_STATUS and not last and _may_wait(after):
                    log.info("%s %s: %d; retrying", method, _safe(url), response.status_code)
                    wait = max(wait, after or 0.0)
                else:
                    self._observe_clock(response)
                    if response.is_error:
                        raise _http_error(response)
                    return response
            self.retried += 1
            await asyncio.sleep(wait)
        raise AssertionError("unreachable")  # pragma: no cover

    def _observe_clock(self, response: httpx.Response) -> None:
        if self.clock is None:
            return
        value = response.headers.get(CLOCK_HEADER)
        if value:
            parsed = parse_clock_header(value)
            if parsed is not None:
                self.clock.observe(*parsed)

    async def _get_json(
        self, url: str, params: list[tuple[str, str]] | None = None
    ) -> dict[str, Any]:
        response = await self._send("GET", url, params=params, retry=True)
        return _json_body(response)

    async def _stored_resource(self, response: httpx.Response, rtype: str) -> dict[str, Any]:
        if response.content.strip():
            body = _json_body(response)
            _expect_resource(body, rtype)
            return body
        location = response.headers.get("Location") or response.headers.get("Content-Location")
        if not location:
            raise FhirMalformed(
                f"the server answered {response.status_code} with neither a body nor a Location"
            )
        match = re.search(rf"{re.escape(rtype)}/([^/]+)(?:/_history/([^/]+))?/?$", location)
        if not match:
            raise FhirMalformed(f"cannot understand the Location header {location!r}")
        rid, vid = match.groups()
        if vid:
            return await self.vread(rtype, rid, vid)
        return await self.read(rtype, rid)

    def _parse_bundle(self, bundle: dict[str, Any], resource_type: str) -> SearchPage:
        _expect_type(bundle, "Bundle")
        matches: list[dict[str, Any]] = []
        included: list[dict[str, Any]] = []
        malformed = 0
        entries = bundle.get("entry") or []
        if not isinstance(entries, list):
            raise FhirMalformed("Bundle.entry is not a list")
        for entry in entries:
            resource = entry.get("resource") if isinstance(entry, dict) else None
            if (
                not isinstance(resource, dict)
                or not isinstance(resource.get("resourceType"), str)
                or not isinstance(resource.get("id"), str)
            ):
                malformed += 1
                continue
            search = entry.get("search")
            mode = search.get("mode") if isinstance(search, dict) else None
            if mode == "outcome" or (
                mode is None and resource["resourceType"] == "OperationOutcome"
            ):
                continue
            if mode == "include" or (mode is None and resource["resourceType"] != resource_type):
                included.append(resource)
            else:
                matches.append(resource)
        next_url = None
        for link in _dicts(bundle.get("link")):
            if link.get("relation") == "next" and isinstance(link.get("url"), str):
                next_url = link["url"]
        total = bundle.get("total")
        return SearchPage(
            matches=matches,
            included=included,
            total=total if isinstance(total, int) else None,
            malformed=malformed,
            next_url=next_url,
        )


# -- helpers -------------------------------------------------------------------------------


def _dicts(value: Any) -> Iterable[Mapping[str, Any]]:
    if isinstance(value, list):
        return [v for v in value if isinstance(v, dict)]
    return ()


def _params(params: Params) -> list[tuple[str, str]] | None:
    if params is None:
        return None
    if isinstance(params, Mapping):
        pairs: list[tuple[str, str]] = []
        for key, value in params.items():
            if isinstance(value, (list, tuple)):
                pairs.extend((key, str(v)) for v in value)
            else:
                pairs.append((key, str(value)))
        return pairs
    return [(str(k), str(v)) for k, v in params]


def retry_after(response: httpx.Response) -> float | None:
    """`Retry-After` in seconds (delta-seconds or an HTTP date), None if absent or unreadable."""
    value = response.headers.get("Retry-After")
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - time.time())


def _may_wait(after: float | None) -> bool:
    return after is None or after <= MAX_RETRY_AFTER


def _safe(url: str) -> str:
    """URL without the query string for logs (queries may carry identifiers)."""
    return url.split("?", 1)[0]


def _transport_text(exc: httpx.TransportError, method: str, url: str) -> str:
    if isinstance(exc, httpx.TimeoutException):
        what = "timed out"
    elif isinstance(exc, httpx.ConnectError):
        what = "could not connect"
    else:
        what = "lost the connection"
    return f"{method} {_safe(url)}: {what} ({type(exc).__name__})"


def _json_body(response: httpx.Response) -> dict[str, Any]:
    ctype = response.headers.get("Content-Type", "")
    if "html" in ctype:
        raise FhirMalformed(
            f"the server answered an HTML page, not FHIR JSON ({response.status_code})"
        )
    try:
        body = json.loads(response.content)
    except ValueError as exc:
        raise FhirMalformed(f"the server's answer is not JSON: {exc}") from exc
    if not isinstance(body, dict):
        raise FhirMalformed("the server's answer is JSON but not a FHIR resource object")
    return body


def _http_error(response: httpx.Response) -> FhirHttpError:
    outcome: dict[str, Any] | None = None
    try:
        body = json.loads(response.content) if response.content else None
    except ValueError:
        body = None
    if isinstance(body, dict) and body.get("resourceType") == "OperationOutcome":
        outcome = body
    reason = response.reason_phrase or "error"
    fallback = f"The server answered {response.status_code} {reason}."
    return FhirHttpError(response.status_code, outcome_sentence(outcome, fallback), outcome)


def _expect_type(resource: Mapping[str, Any], resource_type: str) -> None:
    actual = resource.get("resourceType")
    if actual != resource_type:
        raise FhirMalformed(f"expected a {resource_type}, got {actual or 'no resourceType'}")


def _expect_resource(resource: Mapping[str, Any], resource_type: str) -> None:
    _expect_type(resource, resource_type)
    if not isinstance(resource.get("id"), str):
        raise FhirMalformed(f"the {resource_type} has no id")


def _resource_type(resource: Mapping[str, Any]) -> str:
    rtype = resource.get("resourceType")
    if not isinstance(rtype, str) or not rtype:
        raise ValueError("resource has no resourceType")
    return rtype


def _subject_ref(obs: Mapping[str, Any]) -> str:
    subject = obs.get("subject")
    return str(subject.get("reference", "")) if isinstance(subject, dict) else ""


def _first_code(obs: Mapping[str, Any]) -> str:
    code = obs.get("code")
    if isinstance(code, dict):
        for coding in _dicts(code.get("coding")):
            return f"{coding.get('system', '')}|{coding.get('code', '')}"
    return ""


__all__ = [
    "Capabilities",
    "Feature",
    "FhirClient",
    "FhirError",
    "FhirHttpError",
    "FhirMalformed",
    "FhirUnavailable",
    "SearchPage",
    "SearchResult",
    "UndeclaredParameter",
    "default_websocket_url",
]
