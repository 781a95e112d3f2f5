"""Bounded input: a request body limit for every HTTP route (pure ASGI, nothing buffered here),
and no NUL character in any URL (PostgreSQL text cannot hold one: it would be a 500).

A body announced larger than the limit (``Content-Length``) is refused with 413 before it is
read; a body that turns out larger while the route reads it stops the read with the same 413
(:class:`PayloadTooLarge`, rendered as an OperationOutcome by the app's FhirError handler). So
no request can make the server hold more than the limit in memory for its body.
"""

from __future__ import annotations

import json

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from server.store.errors import FhirError

DEFAULT_MAX_BODY_BYTES = 1 << 20  # 1 MiB
DEFAULT_MAX_RESPONSE_BYTES = 8 << 20  # a search page stops growing here (the rest: next page)


class PayloadTooLarge(FhirError):
    status = 413
    code = "too-long"


def _too_large(limit: int) -> str:
    return f"the request body is larger than this server accepts ({limit} bytes)"


class BodyLimitMiddleware:
    def __init__(self, app: ASGIApp, max_bytes: int = DEFAULT_MAX_BODY_BYTES) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        if _has_nul(scope):
            if scope["type"] == "websocket":
                await send({"type": "websocket.close", "code": 1008})
            else:
                await _refuse(send, "NUL characters are not accepted in a URL", status=400)
            return
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self.max_bytes
        for name, value in scope.get("headers") or ():
            if name == b"content-length":
                try:
                    announced = int(value)
                except ValueError:
                    announced = -1
                if announced > limit:
                    await _refuse(send, _too_large(limit))
                    return
        seen = 0

        async def limited() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > limit:
                    raise PayloadTooLarge(_too_large(limit))
            return message

        await self.app(scope, limited, send)


def _has_nul(scope: Scope) -> bool:
    """A NUL in the path or query (raw or %00): no database text field can hold one."""
    raw = scope.get("raw_path") or scope.get("path", "").encode("utf-8", "surrogateescape")
    query = scope.get("query_string", b"")
    return any(b"\x00" in part or b"%00" in part.lower() for part in (raw, query)) or (
        "\x00" in scope.get("path", "")
    )


async def _refuse(send: Send, diagnostics: str, status: int = 413) -> None:
    code = "too-long" if status == 413 else "invalid"
    body = json.dumps(
        {
            "resourceType": "OperationOutcome",
            "issue": [{"severity": "error", "code": code, "diagnostics": diagnostics}],
        }
    ).encode()
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"application/fhir+json"),
                (b"content-length", str(len(body)).encode()),
                (b"connection", b"close"),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})
