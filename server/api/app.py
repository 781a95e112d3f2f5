"""The ASGI application: FHIR routes at ``/fhir``, notifications at ``/ws/notifications``.

Background work (the simulator) runs as tasks owned by the lifespan, so they start with the
server and are cancelled before it stops.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import sys
import threading
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Mount, Route, WebSocketRoute

from server.api.auth_routes import routes as auth_routes
from server.api.broker import Broker
from server.api.fhir import operation_outcome, outcome_for, routes
from server.api.limits import (
    DEFAULT_MAX_BODY_BYTES,
    DEFAULT_MAX_RESPONSE_BYTES,
    BodyLimitMiddleware,
)
from server.api.news2_route import news2_route
from server.api.notifications import notifications
from server.api.r4_subscriptions import (
    WS_PATH as R4_WS_PATH,
)
from server.api.r4_subscriptions import (
    R4SubscriptionHub,
    binding_token,
    create_subscription,
    subscriptions_ws,
)
from server.api.review_route import review_route
from server.api.service import FhirService
from server.api.subscription_api import subscription_routes
from server.api.subscriptions import SubscriptionHub
from server.api.training_route import training_routes
from server.api.truth_route import truth_route
from server.auth.context import AuthContext, AuthSettings
from server.auth.middleware import AuthMiddleware
from server.clock import CLOCK_HEADER, SimClock, install
from server.memory import trim_forever
from server.profile import ServerProfile
from server.rules.escalation import DEFAULT_AFTER
from server.rules.runtime import AlertEngine
from server.store import Store
from server.store.errors import FhirError

log = logging.getLogger("dho.server")

# A background job receives the service and runs until cancelled.
BackgroundJob = Callable[[FhirService], Awaitable[None]]

_HTTP_CODES = {404: "not-found", 405: "not-supported", 415: "not-supported"}


async def _fhir_error(_request: Request, exc: Exception) -> Response:
    assert isinstance(exc, FhirError)
    return outcome_for(exc)


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    detail = exc.detail
    if exc.status_code == 404:
        detail = f"no such endpoint: {request.method} {request.url.path}"
    elif exc.status_code == 405:
        detail = f"{request.method} is not allowed on {request.url.path}"
    return operation_outcome(exc.status_code, _HTTP_CODES.get(exc.status_code, "invalid"), detail)


async def _server_error(_request: Request, exc: Exception) -> Response:
    if isinstance(exc, RecursionError):
        # Only pathological input (JSON nested thousands deep) gets here: the client's fault.
        return operation_outcome(400, "structure", "the request is nested too deeply to process")
    log.exception("unhandled error", exc_info=exc)
    # The exception's text may hold request data (identifiers); it goes to the (redacted)
    # log, never to the client.
    return operation_outcome(500, "exception", "internal error; the server log has the details")


def create_app(
    store: Store,
    *,
    heartbeat: float = 10.0,
    broker: Broker | None = None,
    jobs: list[BackgroundJob] | None = None,
    auth: AuthSettings | None = None,
    profile: ServerProfile = ServerProfile.NORMAL,
    max_body_bytes: int = DEFAULT_MAX_BODY_BYTES,
    max_response_bytes: int = DEFAULT_MAX_RESPONSE_BYTES,
    clock: SimClock | None = None,
    escalate_after: float = DEFAULT_AFTER,
) -> Starlette:
    """``auth`` defaults to off (no tokens, no scoping, no audit); ``dho-server`` turns it on.
    ``max_body_bytes`` bounds request bodies (413 beyond), ``max_response_bytes`` search pages
    (a page stops there and links to the next).

    ``clock`` is the server's one clock (server.clock; default the wall clock): the store's
    timestamps, the rules, and the jobs run on it, and every answer announces it.
    """
    broker = broker or Broker()
    clock = clock or SimClock()
    store.clock_us = clock.now_us
    service = FhirService(store, broker)
    if not profile.extensions:
        store.opaque_versions = True  # UUID versionIds, as third-party servers have
    if profile.extensions:  # plain-r4 has no rules: the console raises alerts itself
        AlertEngine(store, clock=clock, escalate_after=escalate_after).attach(service)
    background = list(jobs or ())
    auth_ctx = AuthContext.create(store, auth or AuthSettings())
    if auth_ctx.audit is not None:
        background.append(auth_ctx.audit.run)  # flushes AuditEvents; the last flush at shutdown
    training = None
    if profile.is_training:  # scenarios run on the server clock (server/training)
        from server.training.library import library
        from server.training.runner import TrainingRunner

        training = TrainingRunner(
            service, clock, library, people_changed=auth_ctx.resolver.invalidate_patients
        )
        background.append(training.run)
    hub = SubscriptionHub(store, broker, default_heartbeat=heartbeat)
    r4_hub = R4SubscriptionHub(broker, hub.departments, service, heartbeat=heartbeat)

    @contextlib.asynccontextmanager
    async def lifespan(_app: Starlette) -> AsyncIterator[None]:
        previous_clock = install(clock)
        # Topic-based Subscriptions (plain-r4: R4 websocket Subscriptions); on PostgreSQL,
        # fan-out to and from other workers.
        if profile.extensions:
            await hub.start()
            service.numbering = hub  # creates are numbered in their own transaction
        else:
            r4_hub.start()
        fanout = None
        if not store.is_sqlite:
            from server.api.fanout import PgFanout

            fanout = PgFanout(store, broker, hub)
            await fanout.start()
        app.state.fanout = fanout
        tasks = [
            asyncio.create_task(_guard(job, service), name=f"job-{i}")
            for i, job in enumerate(background)
        ]
        tasks.append(asyncio.create_task(trim_forever(), name="malloc-trim"))
        checkpointer = Checkpointer(store) if store.use_background_checkpoints() else None
        if checkpointer is not None:
            checkpointer.start()
        try:
            yield
        finally:
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)
            if checkpointer is not None:
                checkpointer.stop()
            if fanout is not None:
                await fanout.stop()
            service.numbering = None
            await hub.stop()
            r4_hub.stop()
            install(previous_clock)

    if profile.extensions:
        extra: list[BaseRoute] = [
            *subscription_routes(),  # before the mount: they take precedence over /fhir/{type}
            news2_route(),
            truth_route(),  # training only; 404 on every other profile
            *training_routes(),  # training only; 404 not-supported on every other profile
            review_route(),  # the lead's review facts (dho)
            Mount("/fhir", routes=routes()),
            WebSocketRoute("/ws/notifications", notifications),
        ]
    else:  # plain-r4: only standard R4 (server.api.plain, server.api.r4_subscriptions)
        extra = [*r4_subscription_routes(), *training_routes(), Mount("/fhir", routes=routes())]
    app = Starlette(
        routes=[
            *auth_routes(),  # /oauth2/*, /.well-known/* (and /fhir/.well-known/*)
            *extra,
        ],
        exception_handlers={
            FhirError: _fhir_error,
            HTTPException: _http_error,
            Exception: _server_error,
        },
        lifespan=lifespan,
        middleware=[
            Middleware(ClockHeaderMiddleware, clock=clock),
            Middleware(BodyLimitMiddleware, max_bytes=max_body_bytes),
            Middleware(AuthMiddleware, ctx=auth_ctx),
        ],
    )
    app.state.max_response_bytes = max_response_bytes
    app.state.clock = clock
    app.state.escalate_after = escalate_after
    app.state.profile = profile
    app.state.training = training
    app.state.auth = auth_ctx
    app.state.store = store
    app.state.broker = broker
    app.state.service = service
    app.state.heartbeat = heartbeat
    app.state.subscriptions = hub
    app.state.r4_subscriptions = r4_hub
    app.state.fanout = None
    return app


class ClockHeaderMiddleware:
    """Every HTTP answer carries the server's clock (``X-DHO-Clock: now=...;speed=...``)."""

    def __init__(self, app: Any, clock: SimClock) -> None:
        self.app = app
        self.clock = clock

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        name = CLOCK_HEADER.lower().encode()

        async def with_clock(message: Any) -> None:
            if message["type"] == "http.response.start":
                header = (name, self.clock.header_value().encode())
                message = {**message, "headers": [*message.get("headers", ()), header]}
            await send(message)

        await self.app(scope, receive, with_clock)


class Checkpointer:
    """SQLite: passive WAL checkpoints beside the writers (Store.use_background_checkpoints),
    from a thread of its own that the server stops and joins when it stops."""

    def __init__(self, store: Store, period: float = 0.25) -> None:
        self.store = store
        self.period = period
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="wal-checkpoint", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        while not self._stop.wait(self.period):
            try:
                self.store.checkpoint()
            except Exception as exc:  # a busy or locked database: the next round tries again
                log.warning("WAL checkpoint failed: %s", exc)


async def _guard(job: BackgroundJob, service: FhirService) -> None:
    """Run a job; if it crashes, say so on stderr instead of dying silently."""
    try:
        await job(service)
    except asyncio.CancelledError:
        raise
    except Exception as exc:
        print(f"background job failed: {type(exc).__name__}: {exc}", file=sys.stderr, flush=True)
        log.exception("background job failed")


def state_of(app: Any) -> FhirService:
    svc: FhirService = app.state.service
    return svc


def r4_subscription_routes() -> list[BaseRoute]:
    """The plain-R4 profile's Subscription routes (before the generic ``/fhir`` mount)."""
    return [
        Route("/fhir/Subscription", create_subscription, methods=["POST"]),
        Route(
            "/fhir/Subscription/{id}/$get-ws-binding-token", binding_token, methods=["GET", "POST"]
        ),
        WebSocketRoute(R4_WS_PATH, subscriptions_ws),
    ]
