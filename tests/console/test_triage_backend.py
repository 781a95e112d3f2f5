"""Triage against the real rules engine: clinical cards before adherence items, whatever their
age; adherence items in their own list; ages on the server's clock."""

from __future__ import annotations

import asyncio
import gc
from datetime import timedelta
from pathlib import Path

from pytestqt.qtbot import QtBot

from console.domain.alerts import Priority
from console.domain.clock import ServerClock
from console.fhir.client import FhirClient
from console.services.alerts import AlertService
from console.state.alert_queue import AlertQueueModel
from server.clock import SimClock
from server.store import Store
from tests.console.alert_tasks import ME
from tests.server.inprocess import serve_in_thread
from tests.server.rules_world import T0, World, obs, seed


def test_a_red_pulse_comes_first_in_a_centre_with_50_overdue_measurements(
    tmp_path: Path, qtbot: QtBot, qloop: asyncio.AbstractEventLoop
) -> None:
    store = Store(f"sqlite:///{tmp_path / 'triage.sqlite'}")
    store.create_schema()
    patients = {f"hf{n}": "heart-failure" for n in range(50)}
    patients |= {"copd1": "copd", "copd2": "copd"}
    seed(store, patients)
    now = T0 + timedelta(days=2)  # Wednesday 08:00: nobody has measured for 30 days
    world = World(store)
    world.tick(now - timedelta(hours=1))
    overdue = [t for pid in patients for t in world.tasks(pid)]
    assert len(overdue) >= 50 and all(t["priority"] == "routine" for t in overdue)
    world.now = now - timedelta(hours=10)
    world.post(obs("copd1", "spo2", 87, world.now))  # yellow, ten hours ago
    world.now = now
    world.post(obs("copd2", "pulse", 166, now))  # red, just now
    clock = ServerClock()
    with serve_in_thread(store, clock=SimClock(start=now.timestamp(), speed=0)) as server:
        client = FhirClient(f"{server.base_url}/fhir", clock=clock)
        model = AlertQueueModel(now=clock.now)
        service = AlertService(client, model, ME, now=clock.now, tick_ms=600_000)

        qloop.run_until_complete(service.load(None))
        cards = model.cards()
        assert [c.patient_id for c in cards] == ["copd2", "copd1"]
        assert cards[0].priority is Priority.HIGH
        # The adherence items are a list of their own, never cards.
        items = model.adherence()
        assert len(items) >= 50 and all(a.is_adherence for a in items)
        assert not {c.patient_id for c in cards} & {f"hf{n}" for n in range(50)}
        # Ages follow the server's clock (Wednesday 08:00), not this machine's.
        assert clock.announced and abs(clock.timestamp() - now.timestamp()) < 5
        assert model.accessible_text(1).endswith("10 h")
        # The server escalates here: this console must not.
        assert service.server_escalation and not model.local_escalation
        qloop.run_until_complete(service.stop())
        qloop.run_until_complete(client.aclose())
        # Qt objects with timers go in this (the GUI) thread, not whenever the collector runs
        # (it may run in the server's thread).
        del service, model
        gc.collect()
    store.close()
