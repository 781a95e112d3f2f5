"""Server-side tables of sign-in (never FHIR resources): passwords, clients, codes, tokens.

A separate ``MetaData`` from the FHIR store's, created on demand by :class:`AuthStore`; a
migration tool should include ``auth_metadata`` next to ``server.store.schema.metadata``.
Secrets are stored hashed (scrypt for passwords, SHA-256 for random tokens), except the
signing key of access tokens, which must be readable by every worker and ``dho-server token``.
"""

from __future__ import annotations

from sqlalchemy import BigInteger, Boolean, Column, Index, MetaData, String, Table, Text

auth_metadata = MetaData()

# Installation settings: the access-token signing key, whether this is a training backend.
auth_setting = Table(
    "auth_setting",
    auth_metadata,
    Column("name", String(64), primary_key=True),
    Column("value", Text, nullable=False),
)

auth_user = Table(
    "auth_user",
    auth_metadata,
    Column("username", String(128), primary_key=True),
    Column("practitioner_id", String(64), nullable=False),
    Column("password_hash", String(255), nullable=False),
    Column("active", Boolean, nullable=False, default=True),
    Column("training", Boolean, nullable=False, default=False),
    Column("created_us", BigInteger, nullable=False),
)

auth_client = Table(
    "auth_client",
    auth_metadata,
    Column("client_id", String(128), primary_key=True),
    Column("name", String(255), nullable=False),
    Column("public", Boolean, nullable=False),
    Column("secret_hash", String(255)),  # confidential clients only
    Column("grant_types", String(255), nullable=False),  # space separated
    Column("active", Boolean, nullable=False, default=True),
)

auth_code = Table(
    "auth_code",
    auth_metadata,
    Column("code_hash", String(64), primary_key=True),
    Column("client_id", String(128), nullable=False),
    Column("username", String(128), nullable=False),
    Column("redirect_uri", Text, nullable=False),
    Column("code_challenge", String(128), nullable=False),
    Column("scope", Text, nullable=False),
    Column("family", String(64), nullable=False),  # refresh family created on exchange
    Column("expires_us", BigInteger, nullable=False),
    Column("used", Boolean, nullable=False, default=False),
)

auth_refresh = Table(
    "auth_refresh",
    auth_metadata,
    Column("token_hash", String(64), primary_key=True),
    Column("family", String(64), nullable=False),
    Column("client_id", String(128), nullable=False),
    Column("username", String(128), nullable=False),
    Column("scope", Text, nullable=False),
    Column("issued_us", BigInteger, nullable=False),
    Column("expires_us", BigInteger, nullable=False),
    Column("used_us", BigInteger),  # set when rotated; presenting it again is reuse
    Column("revoked", Boolean, nullable=False, default=False),
    Index("ix_auth_refresh_family", "family"),
)

# Sign-in abuse (server.auth.throttle): failed attempts per key (user name, client address,
# user at an address, client id, everything), shared by every worker and `dho-server unlock`.
auth_throttle = Table(
    "auth_throttle",
    auth_metadata,
    Column("key", String(320), primary_key=True),
    Column("failures", BigInteger, nullable=False),
    Column("first_us", BigInteger, nullable=False),  # start of the counting window
    Column("last_us", BigInteger, nullable=False),  # the latest failure
    Index("ix_auth_throttle_last", "last_us"),
)

# Where each user last signed in successfully: her own workstation is not slowed down by
# failures an attacker causes elsewhere under her name.
auth_known_address = Table(
    "auth_known_address",
    auth_metadata,
    Column("username", String(128), primary_key=True),
    Column("address", String(64), primary_key=True),
    Column("last_us", BigInteger, nullable=False),
)

AUTH_TABLES = (
    auth_setting,
    auth_user,
    auth_client,
    auth_code,
    auth_refresh,
    auth_throttle,
    auth_known_address,
)
