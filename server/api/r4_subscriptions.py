"""R4 Subscriptions with ``channel.type = websocket`` (``--profile plain-r4`` only).

What third-party R4 servers offer for live updates, shaped as Medplum 5.0.10 does it (recorded in
``shared/peers/medplum/07*``), so the console's client is tested against the same behaviour:

- ``POST /fhir/Subscription`` with ``criteria`` = a search (``Observation``,
  ``Observation?patient=Patient/x``) and ``channel.type = websocket`` → 201, ``status = active``.
- ``GET|POST /fhir/Subscription/{id}/$get-ws-binding-token`` → ``Parameters``: ``token``,
  ``expiration``, ``subscription``, ``websocket-url`` (``ws://HOST/ws/subscriptions-r4``).
- ``/ws/subscriptions-r4``: JSON messages only. ``{"type": "bind-with-token", "payload":
  {"token": ...}}`` answers a handshake Bundle (``type = history``, one ``SubscriptionStatus``
  entry of type ``handshake``); several binds on one socket are allowed. Each matching change
  sends an ``event-notification`` Bundle: a SubscriptionStatus with ``notificationEvent``
  (``eventNumber`` is always ``"0"``: no numbering, no replay) and the resource. A heartbeat
  Bundle (one SubscriptionStatus per bound Subscription) every heartbeat period.
  ``{"type": "ping"}`` → ``{"type": "pong"}``. Anything that is not JSON is ignored.
- A websocket Subscription lives as long as a socket bound to it: when the socket closes, the
  Subscription is deleted, so a client recreates its Subscriptions after every reconnect.

Events are filtered by the binding requester's departments when auth scopes them (the same
rules as reads), so nobody learns about patients outside their scope.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import secrets
import time
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl

from starlette.requests import Request
from starlette.responses import Response
from starlette.websockets import WebSocket, WebSocketDisconnect

from server.api.broker import Broker, ChangeEvent
from server.api.fhir import base_url, fhir_response, service
from server.api.subscriptions import Departments, EventFacts, ref_id
from server.store.errors import BadRequest, FhirError, InvalidResource
from server.store.fhirtime import format_instant
from server.store.registry import RESOURCE_TYPES

log = logging.getLogger("dho.subscriptions.r4")

WS_PATH = "/ws/subscriptions-r4"
TOKEN_TTL = 3600.0  # seconds (Medplum: one hour)
#: Criteria parameters this server filters on (about the patient); others are refused.
CRITERIA_PARAMS = ("patient", "subject")


@dataclass(frozen=True, slots=True)
class R4Criteria:
    res_type: str
    patients: frozenset[str] | None = None

    def matches(self, facts: EventFacts) -> bool:
        if facts.event.res_type != self.res_type:
            return False
        return self.patients is None or facts.patient() in self.patients


def parse_criteria(text: Any) -> R4Criteria:
    if not isinstance(text, str) or not text.strip():
        raise InvalidResource("criteria is required", expression=["Subscription.criteria"])
    res_type, _, query = text.strip().partition("?")
    if res_type not in RESOURCE_TYPES:
        raise InvalidResource(
            f"criteria {text!r}: unknown resource type {res_type!r}",
            expression=["Subscription.criteria"],
        )
    patients: set[str] | None = None
    for name, value in parse_qsl(query, keep_blank_values=True):
        if name not in CRITERIA_PARAMS:
            raise InvalidResource(
                f"criteria parameter {name!r} is not supported (use {', '.join(CRITERIA_PARAMS)})",
                code="not-supported",
                expression=["Subscription.criteria"],
            )
        ids = {ref_id(v.strip(), "Patient") for v in value.split(",") if v.strip()}
        if None in ids or not ids:
            raise InvalidResource(
                f"criteria {text!r}: {name} must refer to a Patient",
                expression=["Subscription.criteria"],
            )
        found = {i for i in ids if i}
        patients = found if patients is None else patients & found
    return R4Criteria(res_type, None if patients is None else frozenset(patients))


def _status_bundle(kind: str, sub_ids: list[str], **event: Any) -> dict[str, Any]:
    now = format_instant(to_us_now())
    entries: list[dict[str, Any]] = []
    for sub_id in sub_ids:
        status: dict[str, Any] = {
            "resourceType": "SubscriptionStatus",
            "id": str(uuid.uuid4()),
            "status": "active",
            "type": kind,
            "subscription": {"reference": f"Subscription/{sub_id}"},
        }
        if event:
            status["notificationEvent"] = [{"eventNumber": "0", "timestamp": now, **event}]
        entries.append({"resource": status})
    return {
        "id": str(uuid.uuid4()),
        "resourceType": "Bundle",
        "type": "history",
        "timestamp": now,
        "entry": entries,
    }


def to_us_now() -> int:
    return time.time_ns() // 1000


@dataclass(slots=True)
class _Grant:
    sub_id: str
    expires: float
    scope: frozenset[str] | None


@dataclass(slots=True, eq=False)
class _Session:
    ws: WebSocket
    base: str
    #: subscription id → departments of whoever asked for the binding token (None: all).
    bound: dict[str, frozenset[str] | None] = field(default_factory=dict)
    outbox: list[str] = field(default_factory=list)
    wake: asyncio.Event = field(default_factory=asyncio.Event)


class R4SubscriptionHub:
    """Websocket Subscriptions of this process: criteria, binding tokens, bound sockets."""

    def __init__(
        self, broker: Broker, departments: Departments, service: Any, *, heartbeat: float
    ) -> None:
        self.broker = broker
        self._service = service
        self.departments = departments
        self.heartbeat = heartbeat
        self._criteria: dict[str, R4Criteria] = {}
        self._tokens: dict[str, _Grant] = {}
        self._sessions: set[_Session] = set()

    def start(self) -> None:
        self.broker.add_listener(self._on_publish)

    def stop(self) -> None:
        self.broker.remove_listener(self._on_publish)

    # -- REST --

    def register(self, sub_id: str, body: Mapping[str, Any]) -> None:
        self._criteria[sub_id] = parse_criteria(body.get("criteria"))

    def issue(self, sub_id: str, scope: frozenset[str] | None) -> tuple[str, float]:
        now = time.time()
        self._tokens = {t: g for t, g in self._tokens.items() if g.expires > now}
        token = secrets.token_urlsafe(32)
        self._tokens[token] = _Grant(sub_id, now + TOKEN_TTL, scope)
        return token, now + TOKEN_TTL

    def known(self, sub_id: str) -> bool:
        return sub_id in self._criteria

    # -- delivery --

    def _on_publish(self, batch: list[ChangeEvent], _local: bool) -> None:
        for ev in batch:
            if ev.res_type in ("EpisodeOfCare", "Patient"):
                self.departments.observe(ev)
            if ev.res_type == "Subscription" and ev.action == "delete":
                self._criteria.pop(ev.res_id, None)
        if not self._sessions:
            return
        for ev in batch:
            if ev.action == "delete" or not ev.data:
                continue
            facts = EventFacts(ev, self.departments)
            for session in self._sessions:
                for sub_id, scope in session.bound.items():
                    criteria = self._criteria.get(sub_id)
                    if criteria is None or not criteria.matches(facts):
                        continue
                    if scope is not None and scope.isdisjoint(facts.departments()):
                        continue
                    session.outbox.append(_notification(session.base, sub_id, ev))
                    session.wake.set()

    async def serve(self, ws: WebSocket) -> None:
        await ws.accept()
        scheme = "https" if ws.url.scheme == "wss" else "http"
        session = _Session(ws, f"{scheme}://{ws.url.netloc}/fhir")
        self._sessions.add(session)
        receiver = asyncio.create_task(self._receive(session), name="ws-r4-receiver")
        loop = asyncio.get_running_loop()
        last_beat = loop.time()
        try:
            while not receiver.done():
                timeout = max(0.0, last_beat + self.heartbeat - loop.time())
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(session.wake.wait(), timeout)
                session.wake.clear()
                while session.outbox:
                    await ws.send_text(session.outbox.pop(0))
                if loop.time() - last_beat >= self.heartbeat:
                    last_beat = loop.time()
                    if session.bound:
                        bundle = _status_bundle("heartbeat", list(session.bound))
                        await ws.send_text(json.dumps(bundle))
        except (WebSocketDisconnect, OSError, RuntimeError):
            pass
        finally:
            self._sessions.discard(session)
            receiver.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await receiver
            await self._vanish(list(session.bound))

    async def _receive(self, session: _Session) -> None:
        try:
            while True:
                message = await session.ws.receive()
                if message["type"] == "websocket.disconnect":
                    return
                text = message.get("text")
                if text is None and message.get("bytes") is not None:
                    text = message["bytes"].decode(errors="replace")
                if text is not None:
                    self._command(session, text)
        except Exception:
            return
        finally:
            session.wake.set()

    def _command(self, session: _Session, text: str) -> None:
        try:
            msg = json.loads(text)
        except ValueError:
            log.info("ignoring a websocket message that is not JSON")  # as Medplum does
            return
        if not isinstance(msg, dict):
            return
        kind = msg.get("type")
        if kind == "ping":
            session.outbox.append('{"type":"pong"}')
        elif kind in ("bind-with-token", "unbind-from-token"):
            payload = msg.get("payload")
            token = payload.get("token") if isinstance(payload, dict) else None
            grant = self._tokens.get(token) if isinstance(token, str) else None
            if grant is None or grant.expires <= time.time():
                session.outbox.append(json.dumps(_outcome("Token failed to validate.")))
            elif kind == "unbind-from-token":
                session.bound.pop(grant.sub_id, None)
            elif grant.sub_id in self._criteria:
                session.bound[grant.sub_id] = grant.scope
                session.outbox.append(json.dumps(_status_bundle("handshake", [grant.sub_id])))
        session.wake.set()

    async def _vanish(self, sub_ids: list[str]) -> None:
        """Websocket Subscriptions end with their socket (deleted, as Medplum's do)."""
        still_bound = {s for session in self._sessions for s in session.bound}
        for sub_id in sub_ids:
            if sub_id in still_bound:
                continue
            self._criteria.pop(sub_id, None)
            with contextlib.suppress(FhirError):
                await self._delete(sub_id)

    async def _delete(self, sub_id: str) -> None:
        await self._service.delete("Subscription", sub_id, None)


def _notification(base: str, sub_id: str, ev: ChangeEvent) -> str:
    bundle = _status_bundle(
        "event-notification", [sub_id], focus={"reference": f"{ev.res_type}/{ev.res_id}"}
    )
    head = json.dumps(bundle, ensure_ascii=False)
    entry = f'{{"resource":{ev.data},"fullUrl":"{base}/{ev.res_type}/{ev.res_id}"}}'
    return head[:-2] + "," + entry + "]}"


def _outcome(text: str) -> dict[str, Any]:
    return {
        "resourceType": "OperationOutcome",
        "issue": [{"severity": "error", "code": "invalid", "details": {"text": text}}],
    }


def hub_of(app: Any) -> R4SubscriptionHub:
    hub: R4SubscriptionHub = app.state.r4_subscriptions
    return hub


async def create_subscription(request: Request) -> Response:
    """``POST /fhir/Subscription`` in the plain-R4 profile (criteria = a search)."""
    from server.api.fhir import _json_body, _written
    from server.auth import guard

    body = await _json_body(request)
    if not isinstance(body, dict) or body.get("resourceType") != "Subscription":
        raise BadRequest("the body must be a Subscription", code="structure")
    channel = body.get("channel")
    if not isinstance(channel, dict) or channel.get("type") != "websocket":
        raise InvalidResource(
            "this server delivers Subscriptions over websocket only (channel.type websocket)",
            code="not-supported",
            expression=["Subscription.channel.type"],
        )
    parse_criteria(body.get("criteria"))  # 422 before anything is stored
    body["status"] = "active"
    body.setdefault("reason", "websocket")
    await guard.check_write(request, "Subscription", body)
    st = await service(request).create("Subscription", body)
    hub_of(request.app).register(st.res_id, body)
    return _written(request, base_url(request), st, 201)


async def binding_token(request: Request) -> Response:
    from server.api.subscription_api import _departments

    sub_id = request.path_params.get("id") or request.query_params.get("id")
    hub = hub_of(request.app)
    if not sub_id or not hub.known(sub_id):
        raise BadRequest("Error reading subscription: Not found")
    orgs = await _departments(request)
    token, expires = hub.issue(sub_id, orgs)
    ws_url = f"{'wss' if request.url.scheme == 'https' else 'ws'}://{request.url.netloc}{WS_PATH}"
    params = [
        {"name": "token", "valueString": token},
        {"name": "expiration", "valueDateTime": format_instant(to_us_from(expires))},
        {"name": "subscription", "valueString": sub_id},
        {"name": "websocket-url", "valueUrl": ws_url},
    ]
    return fhir_response({"resourceType": "Parameters", "parameter": params})


def to_us_from(epoch: float) -> int:
    return int(epoch * 1_000_000)


async def subscriptions_ws(ws: WebSocket) -> None:
    await hub_of(ws.app).serve(ws)


__all__ = [
    "WS_PATH",
    "R4SubscriptionHub",
    "binding_token",
    "create_subscription",
    "parse_criteria",
    "subscriptions_ws",
]
