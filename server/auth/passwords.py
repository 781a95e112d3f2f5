"""Salted password hashes (scrypt) and constant-time verification.

Format: ``scrypt$<n>$<r>$<p>$<salt hex>$<hash hex>`` so the cost can be raised later without
invalidating stored hashes.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

N, R, P = 2**14, 8, 1
DKLEN = 32


def hash_password(password: str, *, n: int = N, r: int = R, p: int = P) -> str:
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(password.encode(), salt=salt, n=n, r=r, p=p, dklen=DKLEN)
    return f"scrypt${n}${r}${p}${salt.hex()}${digest.hex()}"


def verify_password(password: str, stored: str | None) -> bool:
    """True when ``password`` matches ``stored``; always does the work of one hash."""
    try:
        if stored is None:
            raise ValueError("no hash")
        kind, n, r, p, salt, digest = stored.split("$")
        if kind != "scrypt":
            raise ValueError(kind)
        expected = bytes.fromhex(digest)
        actual = hashlib.scrypt(
            password.encode(),
            salt=bytes.fromhex(salt),
            n=int(n),
            r=int(r),
            p=int(p),
            dklen=len(expected),
        )
    except ValueError:
        # Same cost as a real check, so a missing user cannot be told apart by timing.
        hashlib.scrypt(password.encode(), salt=b"0" * 16, n=N, r=R, p=P, dklen=DKLEN)
        return False
    return hmac.compare_digest(actual, expected)


def token_hash(token: str) -> str:
    """Hash of a high-entropy random token (codes, refresh tokens, client secrets are stored so)."""
    return hashlib.sha256(token.encode()).hexdigest()
