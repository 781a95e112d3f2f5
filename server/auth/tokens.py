"""Compact JWS (JWT) with HS256, and the access-token claims of a :class:`Principal`.

Hand-written on ``hmac``/``hashlib`` (a dozen lines) rather than a new dependency; only HS256 is
accepted, so ``alg=none`` and algorithm-confusion tokens are rejected before any key is used.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
import time
from typing import Any

ALGORITHM = "HS256"
ISSUER = "dho-server"
LEEWAY = 30  # seconds of clock skew tolerated on exp/iat


class TokenError(Exception):
    """The token is malformed, badly signed or expired; the message says which."""


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def encode(claims: dict[str, Any], key: bytes) -> str:
    header = _b64(json.dumps({"alg": ALGORITHM, "typ": "JWT"}, separators=(",", ":")).encode())
    body = _b64(json.dumps(claims, separators=(",", ":"), ensure_ascii=False).encode())
    signing_input = f"{header}.{body}".encode()
    signature = hmac.new(key, signing_input, hashlib.sha256).digest()
    return f"{header}.{body}.{_b64(signature)}"


def decode(token: str, key: bytes, *, now: float | None = None) -> dict[str, Any]:
    """Verify signature, issuer and lifetime; return the claims."""
    parts = token.split(".")
    if len(parts) != 3:
        raise TokenError("not a JWT")
    try:
        header = json.loads(_unb64(parts[0]))
        signature = _unb64(parts[2])
    except ValueError as exc:
        raise TokenError("malformed token") from exc
    if not isinstance(header, dict) or header.get("alg") != ALGORITHM:
        raise TokenError("unsupported algorithm")
    expected = hmac.new(key, f"{parts[0]}.{parts[1]}".encode(), hashlib.sha256).digest()
    if not hmac.compare_digest(signature, expected):
        raise TokenError("bad signature")
    try:
        claims = json.loads(_unb64(parts[1]))
    except ValueError as exc:
        raise TokenError("malformed claims") from exc
    if not isinstance(claims, dict):
        raise TokenError("malformed claims")
    now = time.time() if now is None else now
    exp = claims.get("exp")
    if not isinstance(exp, int | float) or exp + LEEWAY < now:
        raise TokenError("the access token has expired")
    iat = claims.get("iat")
    if isinstance(iat, int | float) and iat - LEEWAY > now:
        raise TokenError("the access token is not valid yet")
    if claims.get("iss") != ISSUER:
        raise TokenError("wrong issuer")
    return claims


def new_jti() -> str:
    return secrets.token_urlsafe(12)
