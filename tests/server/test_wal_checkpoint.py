"""SQLite WAL checkpoints off the commit path: the server's connections stop checkpointing
inside their commits, and a passive checkpoint from another connection keeps the WAL bounded."""

from __future__ import annotations

from pathlib import Path

from server.sim.observations import observation
from server.store import Store

WAL_BYTES = 4 * 1024 * 1024


def autocheckpoint(store: Store) -> int:
    with store.engine.connect() as conn:
        return int(conn.exec_driver_sql("PRAGMA wal_autocheckpoint").scalar() or 0)


def write(store: Store, n: int) -> None:
    items = [
        ("Observation", observation("pulse", f"Patient/p{i % 50}", "2026-11-23T07:00:00Z", 70.0))
        for i in range(n)
    ]
    for start in range(0, n, 500):
        store.create_many(items[start : start + 500])


def test_the_server_checkpoints_beside_the_writers(tmp_path: Path) -> None:
    db = tmp_path / "dho.sqlite"
    with Store(f"sqlite:///{db}") as store:
        store.create_schema()
        assert autocheckpoint(store) == 1000  # SQLite's own default until the server asks
        assert store.use_background_checkpoints()
        assert autocheckpoint(store) == 0
        wal = Path(f"{db}-wal")
        while wal.stat().st_size < WAL_BYTES:
            write(store, 1500)
        assert not store.checkpoint(min_bytes=10 * wal.stat().st_size)  # not yet that large
        assert store.checkpoint()
        with store.engine.connect() as conn:
            busy, log_frames, done = conn.exec_driver_sql("PRAGMA wal_checkpoint(PASSIVE)").one()
        assert busy == 0 and log_frames == done  # everything was copied back
        # The next writes reuse the WAL from its start instead of growing it.
        size = wal.stat().st_size
        write(store, 500)
        assert wal.stat().st_size <= size


def test_an_in_memory_store_keeps_sqlites_own_checkpoints(tmp_path: Path) -> None:
    with Store("sqlite://") as store:
        assert not store.use_background_checkpoints()
        assert not store.checkpoint(min_bytes=0)
