"""REST operations and the WebSocket channel of topic-based Subscriptions (R4 backport style).

- ``POST /fhir/Subscription``: validate (400/422), store with ``status = active``.
- ``GET /fhir/SubscriptionTopic[/resource-changes]``: the topic this server offers **(dho)**.
- ``GET|POST /fhir/Subscription/{id}/$get-ws-binding-token`` (and type level with ``id``):
  a short-lived, single-use token and the ``websocket-url``.
- ``GET /fhir/Subscription/{id}/$status`` and ``$events?eventsSinceNumber=&eventsUntilNumber=``.
- ``/ws/subscriptions``: the client sends ``bind-with-token <token>``; the server answers with a
  handshake Bundle per Subscription, then event-notification Bundles (numbered per
  Subscription, gap-free: a binding that falls behind refills from the database) and heartbeats.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import re
import secrets
import time
from collections.abc import Sequence
from typing import Any

from anyio import to_thread
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route, WebSocketRoute
from starlette.websockets import WebSocket, WebSocketDisconnect, WebSocketState

from server.api.fhir import base_url, fhir_response, service
from server.api.subscriptions import (
    CONTENTS,
    TOPIC_ID,
    Binding,
    Numbered,
    SubscriptionHub,
    SubscriptionSpec,
    hidden_events,
    notification_bundle,
    parse_subscription,
    status_parameters,
    topic_resource,
)
from server.auth.principal import Principal
from server.auth.tokens import TokenError
from server.store.errors import BadRequest, FhirError, InvalidResource, NotFound
from server.store.fhirtime import format_http_date, format_instant

WS_PATH = "/ws/subscriptions"
_TOKEN = re.compile(r"^[A-Za-z0-9_\-]{1,128}$")  # what secrets.token_urlsafe makes
EVENTS_LIMIT = 1000  # events per $events response; ask again from the next number
BIND_TIMEOUT = 30.0  # seconds a new socket may take to send bind-with-token
CLOSE_POLICY = 1008
#: Names the worker process that answered (diagnostics; tests of the fan-out between workers).
WORKER_HEADER = "X-DHO-Worker"


def _worker() -> dict[str, str]:
    return {WORKER_HEADER: str(os.getpid())}


def hub_of(app: Any) -> SubscriptionHub:
    hub: SubscriptionHub = app.state.subscriptions
    return hub


def _now_us() -> int:
    return time.time_ns() // 1000


async def _json_body(request: Request) -> Any:
    raw = await request.body()
    if not raw:
        return None
    try:
        return json.loads(raw)
    except (ValueError, RecursionError) as exc:  # RecursionError: nested thousands deep
        raise BadRequest(f"the body is not valid JSON: {exc}", code="structure") from exc


# ----- Subscription and SubscriptionTopic ---------------------------------------------------


async def create_subscription(request: Request) -> Response:
    content_type = request.headers.get("content-type", "")
    if content_type and "json" not in content_type:
        raise FhirError(
            f"unsupported content type {content_type!r}; send application/fhir+json",
            status=415,
            code="not-supported",
        )
    body = await _json_body(request)
    parse_subscription(body, creating=True)  # 400/422 before anything is stored
    from server.auth.guard import check_write

    await check_write(request, "Subscription", body)  # who may; stamps the owner
    body["status"] = "active"
    svc = service(request)
    st = await svc.create("Subscription", body)
    hub = hub_of(request.app)
    await hub.run(hub.ensure, st.res_id)
    base = base_url(request)
    headers = {
        "ETag": f'W/"{st.version_id}"',
        "Last-Modified": format_http_date(st.last_updated),
        "Location": f"{base}/Subscription/{st.res_id}/_history/{st.version_id}",
    }
    if "return=minimal" in request.headers.get("prefer", ""):
        return Response(status_code=201, headers=headers)
    return fhir_response(st.data, 201, headers)


def _searchset(base: str, resources: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "resourceType": "Bundle",
        "type": "searchset",
        "total": len(resources),
        "link": [{"relation": "self", "url": f"{base}/SubscriptionTopic"}],
        "entry": [
            {
                "fullUrl": f"{base}/SubscriptionTopic/{r['id']}",
                "resource": r,
                "search": {"mode": "match"},
            }
            for r in resources
        ],
    }


async def topics(request: Request) -> Response:
    base = base_url(request)
    return fhir_response(_searchset(base, [topic_resource(base)]))


async def topic(request: Request) -> Response:
    if request.path_params["id"] != TOPIC_ID:
        raise NotFound(f"SubscriptionTopic/{request.path_params['id']} is not known")
    return fhir_response(topic_resource(base_url(request)))


# ----- operations ---------------------------------------------------------------------------


async def _spec_or_error(request: Request, sub_id: str) -> SubscriptionSpec:
    """The active Subscription, or 404 (unknown) / 422 (stored but not active)."""
    hub = hub_of(request.app)
    spec = hub.spec(sub_id)
    if spec is not None:
        return spec
    svc = service(request)
    st = await svc.run(svc.store.read, "Subscription", sub_id)
    if st is None or st.deleted:
        raise NotFound(f"Subscription/{sub_id} is not known")
    status = st.resource().get("status")
    raise InvalidResource(
        f"Subscription/{sub_id} is not active (status {status!r})", code="business-rule"
    )


async def _departments(request: Request) -> frozenset[str] | None:
    """The caller's departments when auth restricts them (None: auth off or unrestricted)."""
    from server.auth.guard import context, principal_of

    ctx, principal = context(request), principal_of(request)
    if principal is not None and principal.is_patient:
        from server.auth.guard import Forbidden

        # Topic events cannot be scoped to one patient's thread; patient apps use
        # /ws/notifications, which is.
        raise Forbidden("Subscriptions are not available to patient-app users")
    if ctx is None or principal is None or principal.unrestricted:
        return None
    orgs: frozenset[str] | None = await to_thread.run_sync(ctx.resolver.organizations, principal)
    return orgs


def _parameters(params: list[dict[str, Any]]) -> dict[str, Any]:
    return {"resourceType": "Parameters", "parameter": params}


async def _ids_from(request: Request) -> list[str]:
    ids = list(request.query_params.getlist("id"))
    if request.method == "POST":
        body = await _json_body(request)
        if isinstance(body, dict) and body.get("resourceType") == "Parameters":
            for p in body.get("parameter") or []:
                if isinstance(p, dict) and p.get("name") == "id":
                    value = p.get("valueId", p.get("valueString"))
                    if isinstance(value, str):
                        ids.append(value)
    return [i for v in ids for i in v.split(",") if i]


async def binding_token(request: Request) -> Response:
    sub_id = request.path_params.get("id")
    ids = [sub_id] if sub_id else await _ids_from(request)
    if not ids:
        raise BadRequest("name the Subscription(s): Subscription/{id}/$get-ws-binding-token")
    for i in ids:
        await _spec_or_error(request, i)
    hub = hub_of(request.app)
    token = secrets.token_urlsafe(24)
    expires = _now_us() + int(hub.token_ttl * 1e6)
    orgs = await _departments(request)
    scope: dict[str, Any] | None = None if orgs is None else {"organizations": sorted(orgs)}
    from server.auth.guard import principal_of

    principal = principal_of(request)
    if principal is not None:
        # Who asked, so the channel can audit what it pushes and end when the account does.
        lifetime = max(1, principal.exp - int(time.time())) if principal.exp else 300
        scope = {**(scope or {}), "principal": principal.claims(lifetime=lifetime)}
    await hub.run(hub.issue, token, ids, expires, scope)
    ws_url = f"{'wss' if request.url.scheme == 'https' else 'ws'}://{request.url.netloc}{WS_PATH}"
    params: list[dict[str, Any]] = [
        {"name": "token", "valueString": token},
        {"name": "expiration", "valueDateTime": format_instant(expires)},
    ]
    params += [{"name": "subscription", "valueString": i} for i in ids]
    params.append({"name": "websocket-url", "valueUrl": ws_url})
    return fhir_response(_parameters(params), headers=_worker())


async def subscription_status(request: Request) -> Response:
    sub_id = request.path_params["id"]
    hub = hub_of(request.app)
    spec = hub.spec(sub_id)
    status = "active"
    if spec is None:
        svc = service(request)
        st = await svc.run(svc.store.read, "Subscription", sub_id)
        if st is None or st.deleted:
            raise NotFound(f"Subscription/{sub_id} is not known")
        body = st.resource()
        status = str(body.get("status"))
        try:
            spec = parse_subscription(body, sub_id)
        except FhirError:
            raise InvalidResource(f"Subscription/{sub_id} is not usable") from None
    count = await hub.run(hub.count, sub_id)
    base = base_url(request)
    params = status_parameters(base, spec, "query-status", count, status=status)
    bundle = {
        "resourceType": "Bundle",
        "type": "searchset",
        "total": 1,
        "entry": [
            {
                "fullUrl": f"urn:uuid:{params['id']}",
                "resource": params,
                "search": {"mode": "match"},
            }
        ],
    }
    return fhir_response(bundle, headers=_worker())


def _number(request: Request, name: str) -> int | None:
    raw = request.query_params.get(name)
    if raw is None or raw == "":
        return None
    if not raw.isdigit():
        raise BadRequest(f"{name} must be a whole number, not {raw!r}")
    return int(raw)


async def subscription_events(request: Request) -> Response:
    """Replay ``eventsSinceNumber``..``eventsUntilNumber`` (both inclusive), oldest first."""
    sub_id = request.path_params["id"]
    hub = hub_of(request.app)
    spec = hub.spec(sub_id)
    if spec is None:
        svc = service(request)
        st = await svc.run(svc.store.read, "Subscription", sub_id)
        if st is None or st.deleted:
            raise NotFound(f"Subscription/{sub_id} is not known")
        try:
            spec = parse_subscription(st.resource(), sub_id)
        except FhirError:
            raise InvalidResource(f"Subscription/{sub_id} is not usable") from None
    since = _number(request, "eventsSinceNumber")
    until = _number(request, "eventsUntilNumber")
    content = request.query_params.get("content") or spec.content
    if content not in CONTENTS:
        raise BadRequest(f"content must be one of {', '.join(CONTENTS)}, not {content!r}")
    count = await hub.run(hub.count, sub_id)
    first = max(1, since if since is not None else 1)
    last = min(count, until if until is not None else count)
    orgs = await _departments(request)
    events: list[Numbered] = []
    if first <= last:
        from server.auth.guard import principal_of

        with_data = (
            content == "full-resource" or orgs is not None or principal_of(request) is not None
        )
        events = await hub.run(
            lambda: hub.replay(sub_id, first, last, with_data=with_data, limit=EVENTS_LIMIT)
        )
    hidden: frozenset[int] = frozenset()
    if orgs is not None and events:
        hidden = await hub.run(hidden_events, hub.store, events, orgs)
    text = notification_bundle(
        base_url(request), spec, "query-event", count, events, content=content, hidden=hidden
    )
    from server.auth.guard import audit_results_events

    audit_results_events(request, [ev for n, ev in events if n not in hidden])
    return fhir_response(text)


# ----- the WebSocket channel ----------------------------------------------------------------


class _Session:
    """One ``/ws/subscriptions`` connection with any number of bound Subscriptions."""

    def __init__(self, ws: WebSocket, hub: SubscriptionHub) -> None:
        self.ws = ws
        self.hub = hub
        scheme = "https" if ws.url.scheme == "wss" else "http"
        self.base = f"{scheme}://{ws.url.netloc}/fhir"
        self.wake = asyncio.Event()
        self.inbox: list[str] = []
        self.closed = False
        self.bindings: list[Binding] = []
        #: Who asked for the binding token (auth on): audited per push, watched for changes.
        self.principal: Principal | None = None
        self.watcher: asyncio.Task[None] | None = None
        self.ended: str | None = None

    async def run(self) -> None:
        receiver = asyncio.create_task(self._receive(), name="ws-subscriptions-receiver")
        loop = asyncio.get_running_loop()
        bind_deadline = loop.time() + BIND_TIMEOUT
        try:
            while not self.closed:
                now = loop.time()
                if not self.bindings:
                    timeout = bind_deadline - now
                    if timeout <= 0:
                        await self._close(CLOSE_POLICY, "send bind-with-token <token> first")
                        return
                else:
                    timeout = max(
                        0.0, min(b.last_frame + self._period(b) for b in self.bindings) - now
                    )
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self.wake.wait(), timeout)
                self.wake.clear()
                while self.inbox:
                    if not await self._command(self.inbox.pop(0)):
                        return
                for binding in list(self.bindings):
                    if binding.ended:
                        await self._send(binding, "heartbeat", [], status="off")
                        self._drop(binding)
                        continue
                    await self._flush(binding)
                now = loop.time()
                for binding in self.bindings:
                    if now - binding.last_frame >= self._period(binding):
                        await self._send(binding, "heartbeat", [])
        except (WebSocketDisconnect, OSError, RuntimeError):
            pass  # the client went away mid-send
        finally:
            for binding in list(self.bindings):
                self._drop(binding)
            receiver.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await receiver
            if self.watcher is not None:
                self.watcher.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await self.watcher
            if self.ws.application_state == WebSocketState.CONNECTED and self.ended:
                with contextlib.suppress(Exception):
                    await self.ws.close(CLOSE_POLICY, reason=self.ended[:120])
            elif self.ws.application_state == WebSocketState.CONNECTED and not self.closed:
                with contextlib.suppress(Exception):
                    await self.ws.close()

    def _period(self, binding: Binding) -> float:
        return binding.spec.heartbeat or self.hub.default_heartbeat

    def _drop(self, binding: Binding) -> None:
        self.hub.unbind(binding)
        if binding in self.bindings:
            self.bindings.remove(binding)

    async def _close(self, code: int, reason: str) -> None:
        self.closed = True
        with contextlib.suppress(Exception):
            await self.ws.close(code, reason=reason[:120])

    async def _receive(self) -> None:
        try:
            while True:
                message = await self.ws.receive()
                if message["type"] == "websocket.disconnect":
                    break
                value = message.get("text")
                if value is None and message.get("bytes") is not None:
                    value = message["bytes"].decode(errors="replace")
                if value is not None:
                    self.inbox.append(value)
                    self.wake.set()
        except Exception:
            pass
        finally:
            self.closed = True
            self.wake.set()

    async def _command(self, line: str) -> bool:
        words = line.strip().split()
        if len(words) == 2 and words[0] == "bind-with-token" and not _TOKEN.match(words[1]):
            await self._close(CLOSE_POLICY, "unknown, used or expired binding token")
            return False
        if len(words) == 2 and words[0] == "bind-with-token":
            grant = await self.hub.run(self.hub.consume, words[1])
            if grant is None:
                await self._close(CLOSE_POLICY, "unknown, used or expired binding token")
                return False
            for sub_id in grant.sub_ids:
                spec = self.hub.spec(sub_id)
                if spec is None:
                    await self._close(CLOSE_POLICY, f"Subscription/{sub_id} is not active")
                    return False
                if any(b.spec.id == sub_id for b in self.bindings):
                    continue
                binding = self.hub.bind(spec, self.wake)  # before counting: nothing slips by
                if isinstance(grant.scope, dict) and "organizations" in grant.scope:
                    binding.scope = frozenset(grant.scope.get("organizations") or ())
                self._adopt_principal(grant.scope)
                self.bindings.append(binding)
                binding.last_sent = await self.hub.run(self.hub.count, sub_id)
                await self._send(binding, "handshake", [])
            return True
        if words and words[0] in ("ping", "heartbeat"):
            return True
        await self._close(CLOSE_POLICY, f"unknown command {line.strip()[:40]!r}")
        return False

    def _adopt_principal(self, scope: Any) -> None:
        """Remember who asked for the binding token; watch that her account still holds."""
        claims = scope.get("principal") if isinstance(scope, dict) else None
        if self.principal is not None or not isinstance(claims, dict):
            return
        try:
            self.principal = Principal.from_claims(claims)
        except TokenError:
            return
        from server.auth.guard import websocket_watch

        self.watcher = websocket_watch(self.ws.app, self.principal, self._account_ended)

    def _account_ended(self, reason: str) -> None:
        self.ended = reason
        self.closed = True
        self.wake.set()

    def _audit(self, items: Sequence[Numbered], hidden: frozenset[int]) -> None:
        from server.auth.guard import audit_push

        address = self.ws.client.host if self.ws.client else None
        shown = [ev for number, ev in items if number not in hidden]
        audit_push(self.ws.app, self.principal, address, shown)

    async def _send(
        self, binding: Binding, kind: str, items: Sequence[Numbered], status: str | None = None
    ) -> None:
        spec = binding.spec
        if kind == "event-notification":
            hidden: frozenset[int] = frozenset()
            if binding.scope is not None:
                hidden = await self.hub.run(hidden_events, self.hub.store, items, binding.scope)
            self._audit(items, hidden)
            for i in range(0, len(items), spec.max_count):
                chunk = items[i : i + spec.max_count]
                bundle = notification_bundle(
                    self.base, spec, kind, chunk[-1][0], chunk, hidden=hidden
                )
                await self.ws.send_text(bundle)
        else:
            await self.ws.send_text(
                notification_bundle(self.base, spec, kind, binding.last_sent, status=status)
            )
        binding.last_frame = asyncio.get_running_loop().time()

    async def _fill(self, binding: Binding, last: int) -> None:
        """Send events after ``binding.last_sent`` up to ``last`` from the database."""
        sub_id = binding.spec.id
        with_data = (
            binding.spec.content == "full-resource"
            or binding.scope is not None
            or self.principal is not None  # audited: the patients come from the data
        )
        while binding.last_sent < last:
            first = binding.last_sent + 1
            page = await self.hub.run(
                lambda f=first: self.hub.replay(sub_id, f, last, with_data=with_data, limit=500)
            )
            if not page:  # numbers without rows (should not happen): do not loop forever
                binding.last_sent = last
                break
            await self._send(binding, "event-notification", page)
            binding.last_sent = page[-1][0]

    async def _flush(self, binding: Binding) -> None:
        items = binding.take()
        if binding.resync:
            binding.resync = False
            await self._fill(binding, await self.hub.run(self.hub.count, binding.spec.id))
        run: list[Numbered] = []
        for number, event in sorted(items, key=lambda item: item[0]):
            if number <= binding.last_sent:
                continue  # already sent (a refill overtook the queue)
            if number > binding.last_sent + 1:
                if run:
                    await self._send(binding, "event-notification", run)
                    run = []
                await self._fill(binding, number - 1)
            run.append((number, event))
            binding.last_sent = number
        if run:
            await self._send(binding, "event-notification", run)


async def subscriptions_ws(ws: WebSocket) -> None:
    await ws.accept(headers=[(WORKER_HEADER.lower().encode(), str(os.getpid()).encode())])
    await _Session(ws, hub_of(ws.app)).run()


def subscription_routes() -> list[BaseRoute]:
    """Routes to place before the generic ``/fhir`` mount (they take precedence)."""
    return [
        Route("/fhir/Subscription", create_subscription, methods=["POST"]),
        Route("/fhir/SubscriptionTopic", topics, methods=["GET"]),
        Route("/fhir/SubscriptionTopic/{id}", topic, methods=["GET"]),
        Route("/fhir/Subscription/$get-ws-binding-token", binding_token, methods=["GET", "POST"]),
        Route(
            "/fhir/Subscription/{id}/$get-ws-binding-token",
            binding_token,
            methods=["GET", "POST"],
        ),
        Route("/fhir/Subscription/{id}/$status", subscription_status, methods=["GET", "POST"]),
        Route("/fhir/Subscription/{id}/$events", subscription_events, methods=["GET", "POST"]),
        WebSocketRoute(WS_PATH, subscriptions_ws),
    ]
