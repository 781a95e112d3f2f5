"""``/ws/notifications``: handshake, heartbeats and one event-notification per change.

Each connection has its own event counter starting at 1; a heartbeat repeats the last number
sent so the client can tell it missed nothing. A client that cannot keep up is closed with 1013
(try again later) and catches up over REST.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os

from starlette.websockets import WebSocket, WebSocketDisconnect, WebSocketState

from server.api.broker import Broker, ChangeEvent, Overflow
from server.auth.guard import audit_push, websocket_filter, websocket_watch
from server.auth.middleware import authenticate_websocket
from server.auth.principal import Principal
from server.store.registry import RESOURCE_TYPES

CLOSE_POLICY = 1008
CLOSE_TRY_AGAIN = 1013


async def notifications(ws: WebSocket) -> None:
    broker: Broker = ws.app.state.broker
    heartbeat: float = ws.app.state.heartbeat
    raw_types = ws.query_params.get("types")
    types: list[str] | None = None
    # Which worker process serves this socket (diagnostics, and tests of the fan-out).
    await ws.accept(headers=[(b"x-dho-worker", str(os.getpid()).encode())])
    if raw_types:
        types = [t.strip() for t in raw_types.split(",") if t.strip()]
        unknown = [t for t in types if t not in RESOURCE_TYPES]
        if unknown:
            await ws.close(CLOSE_POLICY, reason=f"unknown types: {','.join(unknown)}"[:120])
            return
    principal = await authenticate_websocket(ws)
    patient_user = principal if principal is not None and principal.is_patient else None
    # Staff see only their departments' patients (server.auth scoping); None = no filter.
    staff_filter = websocket_filter(ws.app, principal)
    sub = broker.subscribe(types)
    receiver = asyncio.create_task(_drain_client(ws, sub.close), name="ws-receiver")
    # The token follows the account: a deactivated user or role ends the stream within seconds.
    ended: list[str] = []

    def account_ended(reason: str) -> None:
        ended.append(reason)
        sub.close()

    watcher = websocket_watch(ws.app, principal, account_ended)
    number = 0
    loop = asyncio.get_running_loop()
    last_frame = loop.time()
    try:
        period = int(heartbeat) if float(heartbeat).is_integer() else heartbeat
        await ws.send_text(
            json.dumps({"type": "handshake", "eventNumber": 0, "heartbeatPeriod": period})
        )
        while not sub.closed:
            try:
                batch = await sub.next_batch(heartbeat)
            except Overflow:
                await ws.close(CLOSE_TRY_AGAIN, reason="client too slow; catch up over REST")
                break
            if sub.closed:
                break
            if not batch:
                await ws.send_text(f'{{"type":"heartbeat","eventNumber":{number}}}')
                last_frame = loop.time()
                continue
            if patient_user is not None or staff_filter is not None:
                if patient_user is not None:  # a patient app: its own record, no colleague talk
                    batch = [e for e in batch if _visible_to_patient(patient_user, e)]
                elif staff_filter is not None:
                    batch = await staff_filter(batch)
                if not batch:
                    if loop.time() - last_frame >= heartbeat:
                        await ws.send_text(f'{{"type":"heartbeat","eventNumber":{number}}}')
                        last_frame = loop.time()
                    continue
            for event in batch:
                number += 1
                await ws.send_text(event.frame(number))
            last_frame = loop.time()
            audit_push(ws.app, principal, ws.client.host if ws.client else None, batch)
    except (WebSocketDisconnect, OSError, RuntimeError):
        pass  # the client went away mid-send
    finally:
        broker.unsubscribe(sub)
        receiver.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await receiver
        if watcher is not None:
            watcher.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await watcher
        if ws.application_state == WebSocketState.CONNECTED and ended:
            with contextlib.suppress(Exception):
                await ws.close(CLOSE_POLICY, reason=ended[0][:120])
        elif ws.application_state == WebSocketState.CONNECTED and not sub.closed:
            with contextlib.suppress(Exception):
                await ws.close()


def _visible_to_patient(principal: Principal, event: ChangeEvent) -> bool:
    from server.auth.patient_access import visible

    try:
        data = json.loads(event.data) if event.data else None
    except ValueError:
        return False
    return isinstance(data, dict) and visible(principal, event.res_type, data)


async def _drain_client(ws: WebSocket, on_close: object) -> None:
    """Read (and ignore) client frames so a disconnect is noticed promptly."""
    try:
        while True:
            message = await ws.receive()
            if message["type"] == "websocket.disconnect":
                break
    except Exception:
        pass
    finally:
        if callable(on_close):
            on_close()
