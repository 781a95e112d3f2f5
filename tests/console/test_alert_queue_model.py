"""The alert queue model: Qt model contract, one card per patient, order, batched updates."""

from __future__ import annotations

from datetime import datetime, timedelta

from PySide6.QtCore import QPersistentModelIndex, Qt
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from console.domain.alerts import Alert
from console.fhir.alerts import alert_from_fhir, claim_task, snooze_task
from console.state.alert_queue import AlertQueueModel, Role
from tests.console.alert_tasks import KARI, NOW, task, utc
from widgets.alert_card import CardData, CardLevel


class Clock:
    def __init__(self, now: datetime = NOW) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def advance(self, minutes: float) -> None:
        self.now += timedelta(minutes=minutes)


def mapped(resource: dict[str, object]) -> Alert:
    a = alert_from_fhir(resource)
    assert a is not None
    return a


def make_model(clock: Clock | None = None) -> AlertQueueModel:
    model = AlertQueueModel(now=clock or Clock(), escalate_after=timedelta(minutes=5))
    model.reset(
        [
            mapped(task("a1", "p1", priority="routine", minutes_ago=50, name="Nordmann, Kari")),
            mapped(task("a2", "p1", priority="asap", minutes_ago=2, name="Nordmann, Kari")),
            mapped(task("b1", "p2", priority="asap", minutes_ago=10, name="Ås, Ola")),
            mapped(
                task(
                    "c1",
                    "p3",
                    rule="threshold-pulse",
                    priority="urgent",
                    minutes_ago=90,
                    value=121,
                    threshold=110,
                    comparator=">",
                    name="Øvrebø, Åse",
                )
            ),
        ]
    )
    return model


def ids(model: AlertQueueModel) -> list[str]:
    return [model.index(r).data(Role.PATIENT_ID) for r in range(model.rowCount())]


def test_model_contract(qtmodeltester: ModelTester) -> None:
    model = make_model()
    qtmodeltester.check(model, force_py=True)
    model.apply([mapped(task("d1", "p4", priority="asap", minutes_ago=60))])
    model.apply(
        [
            mapped(
                claim_task(task("b1", "p2", minutes_ago=10), KARI, NOW)
                | {"meta": {"versionId": "2"}}
            )
        ]
    )
    qtmodeltester.check(model, force_py=True)


def test_one_card_per_patient_in_priority_then_age_order() -> None:
    model = make_model()
    assert ids(model) == ["p2", "p1", "p3"]
    card: CardData = model.index(1).data(Role.CARD)
    assert card.level is CardLevel.HIGH
    assert card.level_text == "High priority"
    # Worst first; the routine alert's band is derived from its priority (yellow).
    assert card.lines == ("SpO₂ 86 % (red limit < 88 %)", "SpO₂ 86 % (yellow limit < 88 %)")
    assert card.state_text == "New"
    pulse: CardData = model.index(2).data(Role.CARD)
    assert pulse.lines == ("Pulse 121 /min (yellow limit > 110 /min)",)
    assert pulse.level is CardLevel.MEDIUM and not pulse.alarming
    # State in words as well as colour, for screen readers too.
    assert "Medium priority" in model.index(2).data(Qt.ItemDataRole.AccessibleTextRole)


def test_escalation_marks_card_after_five_minutes() -> None:
    clock = Clock()
    model = make_model(clock)
    assert model.index(0).data(Role.CARD).badge == "Escalated"  # p2 waited 10 min
    assert model.index(1).data(Role.CARD).badge == ""  # p1's high alert: 2 min
    clock.advance(3)
    model.refresh()
    assert model.index(1).data(Role.CARD).badge == "Escalated"
    assert model.index(1).data(Role.CARD).urgent


def test_batch_claim_snooze_and_close_keep_persistent_indexes(qtbot: QtBot) -> None:
    model = make_model()
    p1 = QPersistentModelIndex(model.index(1))
    claimed = claim_task(task("b1", "p2", minutes_ago=10), KARI, NOW)
    claimed["meta"] = {"versionId": "2"}
    with qtbot.waitSignal(model.dataChanged):
        model.apply([mapped(claimed)])
    card = model.index(model.row_of("p2")).data(Role.CARD)
    assert card.state_text.startswith("Claimed by Kari Nordmann at ")
    assert not card.alarming
    snoozed = snooze_task(task("c1", "p3", priority="urgent"), KARI, utc(30), "", NOW)
    snoozed["meta"] = {"versionId": "2"}
    model.apply([mapped(snoozed)])
    assert ids(model)[-1] == "p3"
    assert model.index(2).data(Role.CARD).state_text.startswith("Snoozed until ")
    done = task("b1", "p2", status="completed", version="3")
    model.apply([mapped(done)])
    assert "p2" not in ids(model)
    assert p1.isValid() and p1.data(Role.PATIENT_ID) == "p1"
    # A late older version does not bring the alert back.
    model.apply([mapped(task("b1", "p2", version="1"))])
    assert "p2" not in ids(model)


def test_a_batch_rebundles_only_its_patients_yet_matches_a_full_rebundle() -> None:
    import random

    from console.domain.alerts import bundle_alerts

    clock = Clock()
    model = make_model(clock)
    rng = random.Random(7)
    priorities = ["routine", "urgent", "asap"]
    for step in range(60):
        pid = f"p{rng.randrange(1, 9)}"
        status = rng.choice(["requested", "requested", "completed"])
        alert = mapped(
            task(
                f"t{rng.randrange(20)}",
                pid,
                priority=rng.choice(priorities),
                status=status,
                minutes_ago=rng.uniform(0, 120),
                version=str(step + 2),
                name=f"Pasient {pid}",
            )
        )
        model.apply([alert])
        full = bundle_alerts(model.alerts(), clock(), model.escalate_after)
        assert [c.patient_id for c in model.cards()] == [c.patient_id for c in full]
        assert model.cards() == full


def test_clock_ticks_match_a_full_rebundle_and_only_ages_repaint_between_changes(
    qtbot: QtBot,
) -> None:
    """The tick shortcut (re-bundle only when a snooze ends or an alert escalates, else
    move the ages) must always show what a full re-bundle shows."""
    import random

    from console.domain.alerts import bundle_alerts
    from console.state.formatting import format_age

    clock = Clock()
    model = AlertQueueModel(now=clock, escalate_after=timedelta(minutes=5))
    rng = random.Random(11)
    alerts = []
    for i in range(40):
        raw = task(
            f"t{i}",
            f"p{i % 25}",
            priority=rng.choice(["routine", "urgent", "asap"]),
            minutes_ago=rng.uniform(0, 30),
            name=f"Pasient {i % 25}",
        )
        if i % 5 == 0:
            raw = snooze_task(raw, KARI, NOW + timedelta(minutes=rng.uniform(1, 20)), "", NOW)
        elif i % 7 == 0:
            raw = claim_task(raw, KARI, NOW)
        alerts.append(mapped(raw))
    model.reset(alerts)
    layouts: list[int] = []
    model.layoutChanged.connect(lambda: layouts.append(1))
    for _ in range(120):
        clock.advance(rng.uniform(0.05, 0.5))
        model.refresh()
        full = bundle_alerts(model.alerts(), clock(), model.escalate_after)
        assert model.cards() == full
        for row, card in enumerate(full):
            data: CardData = model.index(row).data(Role.CARD)
            assert data.age_text == format_age((clock() - card.oldest).total_seconds())
            assert data.badge == ("Escalated" if card.escalated else "")
    assert layouts, "snoozes ended and alerts escalated on the way"

    # Between such moments a tick only moves ages: no re-bundle, no layout change.
    quiet = AlertQueueModel(now=clock, escalate_after=timedelta(minutes=5))
    quiet.reset([mapped(task("m1", "p1", priority="urgent", minutes_ago=0, now=clock()))])
    changes: list[int] = []
    quiet.layoutChanged.connect(lambda: changes.append(0))
    quiet.counts_changed.connect(lambda: changes.append(1))
    clock.advance(0.2)
    with qtbot.assertNotEmitted(quiet.dataChanged):
        quiet.refresh()  # still "now"
    clock.advance(1)
    with qtbot.waitSignal(quiet.dataChanged):
        quiet.refresh()  # "1 min"
    assert quiet.index(0).data(Role.CARD).age_text == "1 min"
    assert changes == []
