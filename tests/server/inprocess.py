"""Serve the app in this process (uvicorn on a thread, port 0) for fast API tests.

Starlette's TestClient warns about httpx (warnings are errors here), and a real socket also
exercises uvicorn's HTTP and WebSocket handling, so tests talk to a real server in-process.
"""

from __future__ import annotations

import contextlib
import json
import socket
import threading
import time
from collections.abc import Iterator
from typing import Any

import httpx
import uvicorn
from websockets.exceptions import ConnectionClosed
from websockets.sync.client import ClientConnection, connect

from server.api.app import create_app
from server.auth.context import AuthSettings
from server.profile import ServerProfile
from server.store import Store


class WebSocketClosed(Exception):
    def __init__(self, code: int | None) -> None:
        super().__init__(f"closed with {code}")
        self.code = code


class WsSession:
    """A synchronous WebSocket with JSON helpers and a receive timeout."""

    def __init__(self, conn: ClientConnection) -> None:
        self.conn = conn

    def receive_json(self, timeout: float = 5.0) -> Any:
        try:
            return json.loads(self.conn.recv(timeout=timeout))
        except ConnectionClosed as exc:
            raise WebSocketClosed(exc.rcvd.code if exc.rcvd else None) from exc


class AppClient(httpx.Client):
    """httpx client bound to the in-process server, plus ``websocket_connect``."""

    ws_base: str
    app: Any

    @contextlib.contextmanager
    def websocket_connect(self, path: str) -> Iterator[WsSession]:
        with connect(self.ws_base + path, open_timeout=5, close_timeout=2) as conn:
            yield WsSession(conn)


@contextlib.contextmanager
def serve_in_thread(
    store: Store,
    *,
    heartbeat: float = 10.0,
    auth: AuthSettings | None = None,
    profile: ServerProfile = ServerProfile.NORMAL,
    clock: Any = None,
    **options: Any,
) -> Iterator[AppClient]:
    """Serve ``create_app(store)``; auth is off unless ``auth`` turns it on. ``options`` go
    to ``create_app`` (``max_body_bytes``, ``max_response_bytes``)."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)  # NODELAY
    sock.bind(("127.0.0.1", 0))
    sock.listen(128)
    port = sock.getsockname()[1]
    app = create_app(store, heartbeat=heartbeat, auth=auth, profile=profile, clock=clock, **options)
    config = uvicorn.Config(
        app,
        log_level="warning",
        access_log=False,
        ws="websockets-sansio",
        lifespan="on",
        ws_ping_interval=None,
        timeout_graceful_shutdown=2,
    )
    server = uvicorn.Server(config)
    before = set(threading.enumerate())
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, name="uvicorn")
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("in-process server did not start")
        time.sleep(0.005)
    client = AppClient(base_url=f"http://127.0.0.1:{port}", timeout=10)
    client.ws_base = f"ws://127.0.0.1:{port}"
    client.app = app
    try:
        with client:
            yield client
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        sock.close()
        # The server's thread-pool workers stop when its loop ends, each after the call it is
        # running: wait for them here, where they were made (the per-test leak check leaves
        # the workers of a server that outlives a test to this teardown, tests/conftest.py).
        for worker in set(threading.enumerate()) - before:
            if worker.name == "AnyIO worker thread":
                worker.join(timeout=10)
