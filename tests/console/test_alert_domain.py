"""Pure alert rules and the Task ↔ domain mapping: bundling, ordering, escalation, sound."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from console.domain.alerts import (
    AlarmLevel,
    AlertRule,
    AlertStatus,
    Outcome,
    Priority,
    SoundPolicy,
    SuspectReason,
    alarm_level,
    bundle_alerts,
    escalation_due,
    is_escalated,
    journal_note,
    next_escalation,
    shift_deviations,
    shift_start,
    suspect_value,
)
from console.domain.model import MeasurementKind
from console.fhir.alerts import (
    CLAIMED_AT_URL,
    SNOOZED_UNTIL_URL,
    alert_from_fhir,
    claim_task,
    composition,
    composition_text,
    detected_issue,
    resolve_task,
    snooze_task,
    unclaim_task,
    wake_task,
)
from tests.console.alert_tasks import ME, NOW, task, utc


def alert(tid: str, pid: str, **kw: object):  # type: ignore[no-untyped-def]
    a = alert_from_fhir(task(tid, pid, **kw))  # type: ignore[arg-type]
    assert a is not None
    return a


def test_task_maps_to_alert() -> None:
    a = alert("t1", "p1", name="Nordmann, Kari")
    assert a.priority is Priority.HIGH
    assert a.status is AlertStatus.NEW
    assert a.rule is AlertRule.SPO2
    assert a.patient_name == "Nordmann, Kari"
    assert a.department_id == "dep-a"
    assert a.focus == ("Observation/obs-t1",)
    (v,) = a.values
    assert (v.value, v.threshold, v.comparator, v.unit, v.level) == (86, 88, "<", "%", "red")


def test_tasks_without_a_rule_are_not_alerts() -> None:
    t = task("t1", "p1")
    del t["code"]
    assert alert_from_fhir(t) is None


def test_bundling_one_card_per_patient_worst_priority_then_oldest() -> None:
    alerts = [
        alert("a1", "p1", priority="routine", minutes_ago=50),
        alert("a2", "p1", priority="asap", minutes_ago=2),
        alert("b1", "p2", priority="asap", minutes_ago=10),
        alert("c1", "p3", priority="urgent", minutes_ago=90),
        alert("d1", "p4", priority="asap", status="on-hold", minutes_ago=120),
    ]
    cards = bundle_alerts(alerts, NOW)
    assert [c.patient_id for c in cards] == ["p2", "p1", "p3", "p4"]
    p1 = cards[1]
    assert p1.priority is Priority.HIGH
    assert p1.alert_ids == ("a2", "a1")  # worst first inside the card
    assert cards[-1].snoozed


def test_expired_snooze_returns_to_the_queue() -> None:
    t = snooze_task(task("s1", "p1"), ME, utc(10), "ringer tilbake", NOW)
    a = alert_from_fhir(t)
    assert a is not None and a.snoozed_until == utc(10)
    assert a.effective_status(utc(5)) is AlertStatus.SNOOZED
    assert a.effective_status(utc(11)) is AlertStatus.NEW
    assert bundle_alerts([a], utc(5))[0].snoozed
    assert not bundle_alerts([a], utc(11))[0].snoozed
    woken = wake_task(t, utc(11))
    assert woken["status"] == "requested"
    assert not any(e["url"] == SNOOZED_UNTIL_URL for e in woken.get("extension", []))


def test_escalation_clock() -> None:
    a = alert("t1", "p1", minutes_ago=0)
    after = timedelta(minutes=5)
    assert not escalation_due(a, utc(4.9), after)
    assert escalation_due(a, utc(5), after)
    assert next_escalation([a], NOW, after) == utc(5)
    # Claimed or not high: never escalates.
    assert not escalation_due(alert("t2", "p1", status="in-progress"), utc(60), after)
    assert not escalation_due(alert("t3", "p1", priority="urgent"), utc(60), after)
    card = bundle_alerts([a], utc(6), after)[0]
    assert card.escalated and is_escalated(a, utc(6), after)
    assert alarm_level([card]) is AlarmLevel.ESCALATED
    assert alarm_level(bundle_alerts([a], utc(1), after)) is AlarmLevel.HIGH


def test_sound_once_per_new_high_alert_repeats_when_escalated_and_silence_expires() -> None:
    policy = SoundPolicy(repeat=timedelta(seconds=30))
    a = alert("t1", "p1", minutes_ago=0)
    assert policy.should_play(bundle_alerts([a], NOW), NOW)
    assert not policy.should_play(bundle_alerts([a], utc(1)), utc(1))
    # Silenced: local, time-limited, and nothing is acknowledged.
    policy.silence(utc(2), timedelta(minutes=5))
    b = alert("t2", "p2", minutes_ago=-2)
    assert not policy.should_play(bundle_alerts([a, b], utc(2.1)), utc(2.1))
    assert policy.remaining(utc(3)) == timedelta(minutes=4)
    assert a.status is AlertStatus.NEW
    # Escalated (5 min) while silenced: still quiet until the silence ends at 7 min.
    assert not policy.should_play(bundle_alerts([a, b], utc(6)), utc(6))
    assert policy.remaining(utc(7)) is None
    assert policy.should_play(bundle_alerts([a, b], utc(7)), utc(7))
    assert not policy.should_play(bundle_alerts([a, b], utc(7.25)), utc(7.25))
    assert policy.should_play(bundle_alerts([a, b], utc(7.5)), utc(7.5))


def test_suspect_values() -> None:
    assert suspect_value(MeasurementKind.SPO2, 45, []) is SuspectReason.IMPLAUSIBLE
    assert suspect_value(MeasurementKind.SPO2, 84, [96, 95, 97]) is SuspectReason.JUMP
    assert suspect_value(MeasurementKind.SPO2, 91, [96, 95, 97]) is None
    assert suspect_value(MeasurementKind.SPO2, 84, [96]) is None  # too little history
    assert suspect_value(MeasurementKind.WEIGHT, 88.0, [80.1, 80.3, 80.0]) is SuspectReason.JUMP


def test_shift_start_default_08_and_15() -> None:
    oslo = ZoneInfo("Europe/Oslo")
    assert shift_start(datetime(2026, 11, 22, 9, 30, tzinfo=oslo)) == datetime(
        2026, 11, 22, 8, 0, tzinfo=oslo
    )
    assert shift_start(datetime(2026, 11, 22, 16, 0, tzinfo=oslo)).time() == time(15, 0)
    early = shift_start(datetime(2026, 11, 22, 6, 0, tzinfo=oslo))
    assert (early.day, early.time()) == (21, time(15, 0))
    assert shift_start(datetime(2026, 11, 22, 13, 0, tzinfo=oslo), [time(12, 0)]).hour == 12


def test_shift_deviations() -> None:
    alerts = [
        alert("a", "p1", minutes_ago=30, priority="urgent"),
        alert("b", "p1", minutes_ago=20, status="completed"),
        alert("c", "p2", minutes_ago=300),
    ]
    (dev,) = shift_deviations(alerts, utc(-60))
    assert dev.patient_id == "p1" and dev.count == 2 and dev.open


def test_claim_unclaim_resolve_builders_keep_unknown_elements() -> None:
    t = task("t1", "p1")
    t["extension"] = [{"url": "http://other", "valueString": "keep me"}]
    claimed = claim_task(t, ME, NOW)
    assert claimed["status"] == "in-progress"
    assert claimed["owner"]["reference"] == "Practitioner/prac-me"
    assert {e["url"] for e in claimed["extension"]} == {"http://other", CLAIMED_AT_URL}
    assert t["status"] == "requested"  # input untouched
    back = unclaim_task(claimed, NOW)
    assert back["status"] == "requested" and "owner" not in back
    done = resolve_task(claimed, ME, Outcome.CONTACTED_PATIENT, "Ringte pasienten", NOW)
    assert done["status"] == "completed"
    assert done["businessStatus"]["coding"][0]["code"] == "contacted-patient"
    assert done["note"][-1]["text"] == "Ringte pasienten"


def test_journal_note_detected_issue_and_composition() -> None:
    card = bundle_alerts([alert("t1", "p1", name="Nordmann, Kari")], NOW)[0]
    when = datetime(2026, 11, 22, 10, 42, tzinfo=UTC)
    note = journal_note(
        card,
        outcome=Outcome.CONTACTED_PATIENT,
        comment="Pasienten kontaktet per telefon, føler seg bedre",
        author="Ola Sykepleier",
        when=when,
    )
    assert note.startswith("Digital hjemmeoppfølging 22.11.2026 10:42")
    assert "SpO₂ 86 % (grense < 88 %)" in note
    assert "Tiltak: Pasienten kontaktet." in note
    assert note.endswith("Sykepleier: Ola Sykepleier.")
    issue = detected_issue(card, ME, Outcome.CONTACTED_PATIENT, "", when, "k1")
    assert issue["implicated"] == [{"reference": "Observation/obs-t1"}]
    assert issue["patient"]["reference"] == "Patient/p1"
    comp = composition(card, ME, note, when, "k2", "DetectedIssue/d1")
    assert comp["status"] == "preliminary"
    assert comp["type"]["coding"][0]["code"] == "11506-3"
    assert composition_text(comp) == note


@pytest.mark.parametrize(("fhir", "priority"), [("routine", 1), ("urgent", 2), ("asap", 3)])
def test_priorities(fhir: str, priority: int) -> None:
    assert alert("t", "p", priority=fhir).priority == priority


def test_times_are_aware() -> None:
    a = alert("t", "p")
    assert a.authored_on.tzinfo is not None
    assert a.authored_on == datetime(2026, 11, 22, 9, 57, tzinfo=UTC)


def test_journal_note_in_nynorsk_for_a_nurse_who_works_in_nynorsk() -> None:
    from console.domain.alerts import record_language

    card = bundle_alerts([alert("t1", "p1", name="Nordmann, Kari")], NOW)[0]
    when = datetime(2026, 11, 22, 10, 42, tzinfo=UTC)
    note = journal_note(
        card,
        outcome=Outcome.REFERRED_OUT_OF_HOURS,
        comment="",
        author="Ola Sjukepleiar",
        when=when,
        language=record_language("nn"),
    )
    assert note.startswith("Digital heimeoppfølging 22.11.2026 10:42")
    assert "SpO₂ 86 % (grense < 88 %)" in note
    assert "Tiltak: Tilvist til legevakt." in note
    assert note.endswith("Sjukepleiar: Ola Sjukepleiar.")
    # A console in English writes the Norwegian record in Bokmål.
    assert record_language("en") == "nb" and record_language("nb") == "nb"
