"""Bounded input: a request body limit for every HTTP route (pure ASGI, nothing buffered here).

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


async def _refuse(send: Send, diagnostics: str) -> None:
    body = json.dumps(
        {
            "resourceType": "OperationOutcome",
            "issue": [{"severity": "error", "code": "too-long", "diagnostics": diagnostics}],
        }
    ).encode()
    await send(
        {
            "type": "http.response.start",
            "status": 413,
            "headers": [
                (b"content-type", b"application/fhir+json"),
                (b"content-length", str(len(body)).encode()),
                (b"connection", b"close"),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})
