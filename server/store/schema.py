"""The database schema: one ``metadata`` object, migrated by Alembic (``server.store.migrations``).

Change a table here together with a new revision under ``migrations/versions``; a test checks that
upgrading an empty database to head gives exactly this metadata.

- ``resource`` holds the current version of every resource (JSON text plus columns for fast
  reads, sorting and keyset paging); ``resource_history`` holds superseded versions only, so
  creates and seeding write the JSON once.
- ``idx_token`` / ``idx_reference`` / ``idx_date`` / ``idx_string`` hold extracted search values
  keyed by the resource's surrogate ``pk``; searches are SQL over these.
- ``seq`` is a global, monotonically increasing change number (``_history?_since``, notifications).
- ``conditional_key`` makes conditional creates (``If-None-Exist``) race-safe: one row per
  (type, hash of the normalised query), unique, so two concurrent creates cannot both insert.
- ``latest_observation`` keeps the newest few Observations per (patient, code) for ``$lastn``.
- ``observation_sample`` keeps every usable vital-sign value by patient and time, for the
  rules engine's per-patient history.
- ``review_day`` / ``review_row`` keep what the lead's review (``$review-stats``) computed:
  each day's measurement counts with the fingerprint they were counted under, and each alert,
  message and video call as a review row per resource version (server/api/review_cache.py).
"""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Float,
    Index,
    Integer,
    MetaData,
    PrimaryKeyConstraint,
    Sequence,
    String,
    Table,
    Text,
    UniqueConstraint,
    text,
)

# BIGINT on PostgreSQL; INTEGER on SQLite so the primary key is the rowid.
PK = BigInteger().with_variant(Integer(), "sqlite")

metadata = MetaData()

# PostgreSQL allocates pks and change numbers from sequences (several workers may write);
# SQLite has one writer process, which allocates them under its write lock.
resource_pk_seq = Sequence("resource_pk_seq", metadata=metadata)
change_seq = Sequence("change_seq", metadata=metadata)

resource = Table(
    "resource",
    metadata,
    Column("pk", PK, primary_key=True, autoincrement=False),
    Column("res_type", String(64), nullable=False),
    Column("res_id", String(64), nullable=False),
    Column("version_id", Integer, nullable=False),
    Column("seq", BigInteger, nullable=False),
    Column("last_updated", BigInteger, nullable=False),  # microseconds since epoch, UTC
    Column("deleted", Boolean, nullable=False, default=False),
    Column("date_start", BigInteger),  # the type's column date parameter (e.g. Observation.date)
    Column("date_end", BigInteger),
    Column("sort_name", String(255)),  # normalised "family given" for _sort=name
    Column("data", Text, nullable=False),
    UniqueConstraint("res_type", "res_id", name="uq_resource_type_id"),
    Index("ix_resource_type_lastupdated", "res_type", "last_updated", "pk"),
    Index("ix_resource_type_date", "res_type", "date_start", "pk"),
    Index("ix_resource_seq", "seq"),
    Index("ix_resource_lastupdated", "last_updated"),
)

# The review's fingerprint of a day's Observations (count and highest change number), read
# from this index alone: a create, an update (new seq) or a deletion (date_start cleared) of an
# Observation moves it. Partial, so other resource types' writes do not pay for it.
ix_observation_day = Index(
    "ix_observation_day_seq",
    resource.c.date_start,
    resource.c.seq,
    sqlite_where=text("res_type = 'Observation'"),
    postgresql_where=text("res_type = 'Observation'"),
)

resource_history = Table(
    "resource_history",
    metadata,
    Column("pk", PK, nullable=False),
    Column("version_id", Integer, nullable=False),
    Column("res_type", String(64), nullable=False),
    Column("res_id", String(64), nullable=False),
    Column("seq", BigInteger, nullable=False),
    Column("last_updated", BigInteger, nullable=False),
    Column("deleted", Boolean, nullable=False, default=False),
    Column("data", Text, nullable=False),
    PrimaryKeyConstraint("pk", "version_id", name="pk_resource_history"),
    Index("ix_resource_history_seq", "seq"),
    Index("ix_resource_history_type_seq", "res_type", "seq"),
    Index("ix_resource_history_lastupdated", "last_updated"),
)

conditional_key = Table(
    "conditional_key",
    metadata,
    Column("res_type", String(64), nullable=False),
    Column("query_hash", String(64), nullable=False),  # sha256 hex of the normalised query
    Column("res_pk", PK, nullable=False),
    PrimaryKeyConstraint("res_type", "query_hash", name="pk_conditional_key"),
)

idx_token = Table(
    "idx_token",
    metadata,
    Column("res_pk", PK, nullable=False),
    Column("res_type", String(64), nullable=False),
    Column("param", String(64), nullable=False),
    Column("system", String(255), nullable=False),  # "" when the value has no system
    Column("code", String(255), nullable=False),
    Index("ix_idx_token_lookup", "res_type", "param", "code", "system", "res_pk"),
    Index("ix_idx_token_res", "res_pk", "res_type", "param"),
)

idx_reference = Table(
    "idx_reference",
    metadata,
    Column("res_pk", PK, nullable=False),
    Column("res_type", String(64), nullable=False),
    Column("param", String(64), nullable=False),
    Column("target_type", String(64), nullable=False),  # "" for non-relative references
    Column("target_id", String(1024), nullable=False),
    # The referring resource's ``date_start``, or MIN_US when it has none (written by every
    # index write): "this patient's newest 100" is then one backward walk of the index below,
    # where reading each match's date from ``resource`` touched a page per match (327 pages
    # for one patient of a 10,000 x 90 d database, the sort and the total needing all of them).
    Column("res_date", BigInteger),
    Index("ix_idx_reference_res", "res_pk", "res_type", "param"),
)

# Every lookup by target, and the newest matches of one target: res_pk descending, so a backward
# walk gives (res_date desc, res_pk asc), the search's order.
ix_idx_reference_target = Index(
    "ix_idx_reference_target",
    idx_reference.c.res_type,
    idx_reference.c.param,
    idx_reference.c.target_id,
    idx_reference.c.target_type,
    idx_reference.c.res_date,
    idx_reference.c.res_pk.desc(),
)

idx_date = Table(
    "idx_date",
    metadata,
    Column("res_pk", PK, nullable=False),
    Column("res_type", String(64), nullable=False),
    Column("param", String(64), nullable=False),
    Column("start_us", BigInteger, nullable=False),
    Column("end_us", BigInteger, nullable=False),
    Index("ix_idx_date_lookup", "res_type", "param", "start_us"),
    Index("ix_idx_date_res", "res_pk", "res_type", "param"),
)

idx_string = Table(
    "idx_string",
    metadata,
    Column("res_pk", PK, nullable=False),
    Column("res_type", String(64), nullable=False),
    Column("param", String(64), nullable=False),
    Column("value", String(255), nullable=False),  # normalised: lower case, accents folded
    Column("exact", String(255), nullable=False),  # as written, for :exact
    Index("ix_idx_string_lookup", "res_type", "param", "value"),
    Index("ix_idx_string_res", "res_pk", "res_type", "param"),
)

# rank 1 = newest Observation of that patient and code; at most LASTN_DEPTH ranks are kept.
latest_observation = Table(
    "latest_observation",
    metadata,
    Column("patient_id", String(64), nullable=False),
    Column("system", String(255), nullable=False),
    Column("code", String(255), nullable=False),
    Column("rank", Integer, nullable=False),
    Column("effective", BigInteger, nullable=False),
    Column("res_pk", PK, nullable=False),
    Index("ix_latest_pair", "patient_id", "system", "code", "rank"),
    Index("ix_latest_rank", "rank"),
)

# The vital-sign values of every usable Observation (not entered-in-error or cancelled), one row
# per value, keyed by patient first: the rules engine reads a patient's last 14 days from one
# range of this table (server.rules.runtime), where the same read through ``resource`` touches
# one page per Observation, scattered over the whole file (52 ms per patient at 10,000 patients
# x 90 days). WITHOUT ROWID on SQLite, so the rows of a patient lie together on disk.
# Maintained by every write of an Observation (server.store.samples).
observation_sample = Table(
    "observation_sample",
    metadata,
    Column("patient_id", String(64), nullable=False),
    Column("t", Float, nullable=False),  # epoch seconds of effectiveDateTime
    Column("res_id", String(64), nullable=False),
    Column("n", Integer, nullable=False),  # the value's place in the Observation
    Column("var", String(16), nullable=False),
    Column("value", Float, nullable=False),
    PrimaryKeyConstraint("patient_id", "t", "res_id", "n", name="pk_observation_sample"),
    sqlite_with_rowid=False,
)

INDEX_TABLES = (idx_token, idx_reference, idx_date, idx_string)

# Topic-based Subscriptions (server.api.subscriptions). The Subscription resources themselves are
# ordinary rows of ``resource``; these tables hold each one's event counter
# (eventsSinceSubscriptionStart), every event number it handed out (for ``$events`` replay; the
# resource version is found by ``seq``), and the single-use WebSocket binding tokens.
subscription_state = Table(
    "subscription_state",
    metadata,
    Column("sub_id", String(64), primary_key=True),
    Column("events", BigInteger, nullable=False),
)

subscription_event = Table(
    "subscription_event",
    metadata,
    Column("sub_id", String(64), nullable=False),
    Column("event_number", BigInteger, nullable=False),
    Column("seq", BigInteger, nullable=False),
    Column("res_type", String(64), nullable=False),
    Column("res_id", String(64), nullable=False),
    Column("version_id", Integer, nullable=False),
    Column("action", String(16), nullable=False),
    Column("timestamp", String(40), nullable=False),
    PrimaryKeyConstraint("sub_id", "event_number", name="pk_subscription_event"),
)

subscription_token = Table(
    "subscription_token",
    metadata,
    Column("token", String(64), primary_key=True),
    Column("sub_ids", Text, nullable=False),  # comma-separated Subscription ids
    Column("expires", BigInteger, nullable=False),  # microseconds since epoch, UTC
    Column("scope", Text),  # JSON: who asked for it, for delivery-time checks (None: anyone)
)

# The simulator's ground truth (server.sim.truth): what really happened to each simulated
# patient (device errors, skipped measurements with the reason). Deterioration episodes and
# admissions are computed from the simulated physiology. Served only by a training backend.
sim_truth = Table(
    "sim_truth",
    metadata,
    Column("patient_id", String(64), nullable=False),
    Column("kind", String(32), nullable=False),  # device-error | skipped
    Column("start_us", BigInteger, nullable=False),
    Column("end_us", BigInteger, nullable=False),
    Column("data", Text, nullable=False),  # JSON details
    Index("ix_sim_truth_patient", "patient_id", "start_us"),
)

# What `$review-stats` computed (server/api/review_cache.py), kept across restarts so the first
# review after a start is as quick as a second look. Both are caches: dropping their rows only
# costs the next review the counting and parsing again.
review_day = Table(
    "review_day",
    metadata,
    Column("day", Integer, primary_key=True, autoincrement=False),  # Europe/Oslo date ordinal
    Column("obs_count", BigInteger, nullable=False),  # fingerprint: the day's Observations
    Column("top_seq", BigInteger, nullable=False),  # and their highest change number
    Column("counts", Text, nullable=False),  # JSON [[patient, kind, n], ...]
)

review_row = Table(
    "review_row",
    metadata,
    Column("res_pk", BigInteger, primary_key=True, autoincrement=False),  # resource.pk
    Column("res_type", String(64), nullable=False),
    Column("version_id", Integer, nullable=False),
    Column("patient_id", String(64)),  # None: the resource is not a review fact
    Column("t", Float),  # the fact's time (authored, sent, start), epoch seconds
    Column("row", Text, nullable=False),  # JSON of the review row; null: not a review fact
    Index("ix_review_row_type", "res_type"),
)
