"""Live updates over standard FHIR Subscriptions with a websocket channel.

Two channels, chosen by `console.fhir.client.Capabilities` (never by server name elsewhere):

- `R4WebsocketChannel`: R4 `Subscription`s whose `criteria` is a search (one per resource
  type) and `channel.type = websocket`, bound with `$get-ws-binding-token` and a JSON message
  `{"type": "bind-with-token", "payload": {"token": ...}}` (a plain-text bind gets no answer
  at all from Medplum: shared/peers/medplum/07h). Such Subscriptions vanish with their socket
  (07e, 07f), so they are created again for every connection. Frames are history Bundles whose
  first entry is a `SubscriptionStatus` (handshake, heartbeat, event-notification with the
  resource); events are not numbered (`eventNumber` "0"), so only a reconnect or a missed
  heartbeat triggers a catch-up. `{"type": "ping"}` is answered `{"type": "pong"}`.
- `TopicChannel`: the R4 Subscriptions Backport IG (topic-based, as the reference backend has
  it, docs/contract.md): one Subscription on the server's resource-changes topic, kept across
  reconnects; text bind `bind-with-token <token>`; the `SubscriptionStatus` is a `Parameters`
  resource; event numbers count per Subscription, so a gap triggers a catch-up.

Both hand `console.fhir.live.LiveFeed` parsed `Notification`s; the feed does catch-up, batching
and status, the same for every transport.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from websockets.asyncio.client import ClientConnection, connect

from console.fhir.client import Capabilities, FhirClient
from console.fhir.errors import FhirError, FhirHttpError, FhirMalformed

log = logging.getLogger(__name__)

BACKPORT = "http://hl7.org/fhir/uv/subscriptions-backport/StructureDefinition"
FILTER_CRITERIA = f"{BACKPORT}/backport-filter-criteria"
PAYLOAD_CONTENT = f"{BACKPORT}/backport-payload-content"
HEARTBEAT_PERIOD = f"{BACKPORT}/backport-heartbeat-period"
#: How the console names its Subscriptions (`reason`), so an administrator can tell them apart.
REASON = "DHO console live view"


class ChannelRefused(FhirError):
    """The server does not offer this channel after all (so the feed falls back)."""


@dataclass(slots=True)
class Notification:
    """One frame, parsed: what kind, which events (numbers when the server numbers them), the
    resources it carried and the references of those it only named (id-only content)."""

    kind: str  # handshake | heartbeat | event-notification | pong | error | other
    subscription: str = ""
    numbers: list[int] = field(default_factory=list)
    #: The SubscriptionStatus' events-since-subscription-start (topic channel), if given.
    since: int | None = None
    resources: list[dict[str, Any]] = field(default_factory=list)
    focus: list[str] = field(default_factory=list)
    status: str = "active"
    text: str = ""


def _number(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip().isdigit():
        return int(value.strip())
    return None


def _ref(value: Any) -> str:
    if isinstance(value, dict):
        value = value.get("reference")
    if not isinstance(value, str):
        return ""
    parts = value.rstrip("/").split("/")
    return "/".join(parts[-2:]) if len(parts) >= 2 else value


def parse_frame(raw: str | bytes) -> Notification:
    """Any frame either channel sends (R4 SubscriptionStatus or backport Parameters)."""
    try:
        frame = json.loads(raw)
    except ValueError:
        return Notification("other", text=str(raw)[:200])
    if not isinstance(frame, dict):
        return Notification("other")
    if frame.get("type") == "pong":
        return Notification("pong")
    if frame.get("resourceType") == "OperationOutcome":
        issues = frame.get("issue") or [{}]
        first = issues[0] if isinstance(issues[0], dict) else {}
        details = first.get("details")
        detail = details.get("text") if isinstance(details, dict) else ""
        return Notification("error", text=str(first.get("diagnostics") or detail or "error"))
    if frame.get("resourceType") != "Bundle":
        return Notification("other")
    entries = [e for e in frame.get("entry") or [] if isinstance(e, dict)]
    statuses = [e for e in entries if _is_status(e.get("resource"))]
    if not statuses:
        return Notification("other")
    first = statuses[0]["resource"]
    note = (
        _from_parameters(first)
        if first.get("resourceType") == "Parameters"
        else _from_status(first)
    )
    for extra in statuses[1:]:  # a heartbeat Bundle names every bound Subscription
        more = extra["resource"]
        if more.get("resourceType") == "SubscriptionStatus":
            note.numbers += _from_status(more).numbers
    deleted: set[str] = set()
    for entry in entries:
        request = entry.get("request")
        if isinstance(request, dict) and request.get("method") == "DELETE":
            deleted.add(_ref(request.get("url")) or _ref(entry.get("fullUrl")))
            continue
        resource = entry.get("resource")
        if isinstance(resource, dict) and not _is_status(resource):
            if isinstance(resource.get("resourceType"), str) and isinstance(
                resource.get("id"), str
            ):
                note.resources.append(resource)
    carried = {f"{r['resourceType']}/{r['id']}" for r in note.resources}
    note.focus = [f for f in note.focus if f and f not in carried and f not in deleted]
    return note


def _is_status(resource: Any) -> bool:
    if not isinstance(resource, dict):
        return False
    if resource.get("resourceType") == "SubscriptionStatus":
        return True
    if resource.get("resourceType") != "Parameters":
        return False
    return any(
        isinstance(p, dict) and p.get("name") == "subscription"
        for p in resource.get("parameter") or []
    )


def _from_status(status: Mapping[str, Any]) -> Notification:
    note = Notification(
        str(status.get("type") or "other"),
        subscription=_ref(status.get("subscription")),
        status=str(status.get("status") or "active"),
    )
    since = _number(status.get("eventsSinceSubscriptionStart"))
    note.since = since
    for event in status.get("notificationEvent") or []:
        if not isinstance(event, dict):
            continue
        number = _number(event.get("eventNumber"))
        if number:  # "0" (Medplum) means "not numbered"
            note.numbers.append(number)
        focus = _ref(event.get("focus"))
        if focus:
            note.focus.append(focus)
    return note


def _from_parameters(params: Mapping[str, Any]) -> Notification:
    values: dict[str, Any] = {}
    events: list[list[dict[str, Any]]] = []
    for p in params.get("parameter") or []:
        if not isinstance(p, dict):
            continue
        name = p.get("name")
        if name == "notification-event":
            events.append([q for q in p.get("part") or [] if isinstance(q, dict)])
            continue
        values[str(name)] = next((v for k, v in p.items() if k.startswith("value")), None)
    note = Notification(
        str(values.get("type") or "other"),
        subscription=_ref(values.get("subscription")),
        status=str(values.get("status") or "active"),
        since=_number(values.get("events-since-subscription-start")),
    )
    for parts in events:
        for q in parts:
            if q.get("name") == "event-number":
                number = _number(q.get("valueString", q.get("valueInteger")))
                if number:
                    note.numbers.append(number)
            elif q.get("name") == "focus":
                note.focus.append(_ref(q.get("valueReference")))
    return note


# ----- the channels -------------------------------------------------------------------------


class Connection:
    """One open, bound websocket of a channel."""

    def __init__(self, ws: ClientConnection, *, numbered: bool, ping: str | None) -> None:
        self.ws = ws
        self.numbered = numbered
        self._ping = ping
        #: Per Subscription: the last event number seen (topic channel only).
        self.last: dict[str, int] = {}

    async def recv(self) -> str | bytes:
        return await self.ws.recv()

    async def ping(self) -> None:
        if self._ping is not None:
            await self.ws.send(self._ping)

    async def close(self) -> None:
        await self.ws.close()


class Channel:
    """What `LiveFeed` needs of a Subscription channel."""

    name = "subscription"
    #: Seconds between the server's heartbeats (what the feed waits for before pinging).
    heartbeat_period = 10.0

    async def connect(self, headers: Mapping[str, str], open_timeout: float) -> Connection:
        raise NotImplementedError

    async def close(self) -> None:
        """Remove what the channel created on the server (best effort)."""


async def _token(client: FhirClient, sub_id: str) -> tuple[str, str]:
    """`$get-ws-binding-token` → (token, websocket-url)."""
    try:
        answer = await client.operation("Subscription", sub_id, "get-ws-binding-token")
    except FhirHttpError as exc:
        if exc.status in (404, 405, 501):
            raise ChannelRefused(f"$get-ws-binding-token: {exc}") from exc
        raise
    values: dict[str, str] = {}
    for p in answer.get("parameter") or []:
        if isinstance(p, dict):
            value = next((v for k, v in p.items() if k.startswith("value")), None)
            if isinstance(value, str):
                values[str(p.get("name"))] = value
    if "token" not in values:
        raise FhirMalformed("the binding token answer has no token")
    return values["token"], values.get("websocket-url", "")


async def _open(url: str, headers: Mapping[str, str], open_timeout: float) -> ClientConnection:
    if not url:
        raise ChannelRefused("the server named no websocket for its Subscriptions")
    return await connect(
        url,
        open_timeout=open_timeout,
        close_timeout=1.0,
        additional_headers=dict(headers),
        max_size=64 * 2**20,
    )


async def _wait_for(ws: ClientConnection, kind: str, within: float) -> Notification:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + within
    while True:
        async with asyncio.timeout(max(0.01, deadline - loop.time())):
            raw = await ws.recv()
        note = parse_frame(raw)
        if note.kind == kind:
            return note
        if note.kind == "error":
            raise ChannelRefused(f"the server refused the binding: {note.text}")


class R4WebsocketChannel(Channel):
    """R4 websocket Subscriptions, one per resource type, recreated on every connection."""

    name = "R4 websocket Subscription"

    def __init__(
        self,
        client: FhirClient,
        caps: Capabilities,
        types: Sequence[str],
        *,
        heartbeat_period: float = 10.0,
    ) -> None:
        self._client = client
        self._caps = caps
        self._types = tuple(types)
        self.heartbeat_period = heartbeat_period
        self._ids: list[str] = []

    async def _create(self) -> list[str]:
        ids = []
        for rtype in self._types:
            created = await self._client.create(
                {
                    "resourceType": "Subscription",
                    "status": "active",
                    "reason": REASON,
                    "criteria": rtype,
                    "channel": {"type": "websocket"},
                }
            )
            ids.append(str(created["id"]))
        return ids

    async def connect(self, headers: Mapping[str, str], open_timeout: float) -> Connection:
        await self.close()  # the last connection's Subscriptions are gone or about to be
        try:
            self._ids = await self._create()
        except FhirHttpError as exc:
            if exc.status in (400, 404, 405, 422, 501):
                raise ChannelRefused(f"creating a websocket Subscription: {exc}") from exc
            raise
        tokens = [await _token(self._client, sub_id) for sub_id in self._ids]
        url = tokens[0][1] or self._caps.r4_websocket_url(self._client.base_url) or ""
        ws = await _open(url, headers, open_timeout)
        try:
            for token, _url in tokens:
                await ws.send(json.dumps({"type": "bind-with-token", "payload": {"token": token}}))
                await _wait_for(ws, "handshake", open_timeout)
        except BaseException:
            await ws.close()
            raise
        return Connection(ws, numbered=False, ping='{"type": "ping"}')

    async def close(self) -> None:
        ids, self._ids = self._ids, []
        for sub_id in ids:  # usually gone with the socket already (404/410)
            with contextlib.suppress(FhirError):
                await self._client.delete("Subscription", sub_id)


class TopicChannel(Channel):
    """The backport's topic-based Subscription: one, kept across reconnects."""

    name = "topic-based Subscription"

    def __init__(
        self,
        client: FhirClient,
        caps: Capabilities,
        types: Sequence[str],
        *,
        heartbeat_period: float = 10.0,
    ) -> None:
        self._client = client
        self._topic = caps.topic_url or ""
        self._types = tuple(types)
        self.heartbeat_period = heartbeat_period
        self._id: str | None = None

    async def _ensure(self) -> str:
        if self._id is not None:
            return self._id
        period = max(1, round(self.heartbeat_period))
        created = await self._client.create(
            {
                "resourceType": "Subscription",
                "status": "requested",
                "reason": REASON,
                "criteria": self._topic,
                "_criteria": {
                    "extension": [
                        {
                            "url": FILTER_CRITERIA,
                            "valueString": "resource-type=" + ",".join(self._types),
                        }
                    ]
                },
                "channel": {
                    "type": "websocket",
                    "payload": "application/fhir+json",
                    "_payload": {
                        "extension": [{"url": PAYLOAD_CONTENT, "valueCode": "full-resource"}]
                    },
                    "extension": [{"url": HEARTBEAT_PERIOD, "valueUnsignedInt": period}],
                },
            }
        )
        self._id = str(created["id"])
        return self._id

    async def connect(self, headers: Mapping[str, str], open_timeout: float) -> Connection:
        try:
            sub_id = await self._ensure()
            token, url = await _token(self._client, sub_id)
        except FhirHttpError as exc:
            if exc.status in (404, 422) and self._id is not None:
                self._id = None  # removed on the server: make a new one next time
            if exc.status in (400, 404, 405, 422, 501):
                raise ChannelRefused(f"topic-based Subscription: {exc}") from exc
            raise
        ws = await _open(url, headers, open_timeout)
        try:
            await ws.send(f"bind-with-token {token}")
            hello = await _wait_for(ws, "handshake", open_timeout)
        except BaseException:
            await ws.close()
            raise
        conn = Connection(ws, numbered=True, ping=None)
        if hello.since is not None:
            conn.last[sub_id] = hello.since
        return conn

    async def close(self) -> None:
        sub_id, self._id = self._id, None
        if sub_id is not None:
            with contextlib.suppress(FhirError):
                await self._client.delete("Subscription", sub_id)


def choose_channel(
    client: FhirClient, caps: Capabilities, types: Sequence[str], *, heartbeat_period: float
) -> Channel | None:
    """The standard Subscription channel the server offers, preferring numbered events."""
    from console.fhir.client import Feature

    if caps.has(Feature.TOPIC_SUBSCRIPTIONS):
        return TopicChannel(client, caps, types, heartbeat_period=heartbeat_period)
    if caps.has(Feature.R4_WEBSOCKET):
        return R4WebsocketChannel(client, caps, types, heartbeat_period=heartbeat_period)
    return None
