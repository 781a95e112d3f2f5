"""Triage order, the adherence list, "since we closed", the server clock and service hours in
the console's domain; PROM flags in both forms; the resolve dialog's choices."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from pytestqt.qtbot import QtBot

from console.domain.alerts import Outcome, adherence_items, bundle_alerts, since_we_closed
from console.domain.clock import ServerClock, parse_clock_header
from console.domain.hours import DEFAULT_HOURS, OSLO, hours_from_fhir
from console.fhir.alerts import alert_from_fhir
from console.fhir.patient_record import questionnaire_from_fhir
from console.ui.resolve_dialog import ResolveDialog
from tests.console.alert_tasks import NOW, task

DHO = "http://dho.example/fhir/StructureDefinition/"


def with_ext(resource: dict[str, Any], *extensions: dict[str, Any]) -> dict[str, Any]:
    return {**resource, "extension": [*resource.get("extension", ()), *extensions]}


def severity(score: float) -> dict[str, Any]:
    return {"url": DHO + "alert-severity", "extension": [{"url": "score", "valueDecimal": score}]}


def adherence(tid: str, pid: str, hours_ago: float) -> dict[str, Any]:
    body = task(
        tid,
        pid,
        rule="missing-measurement",
        priority="routine",
        minutes_ago=hours_ago * 60,
        value=None,
        threshold=None,
    )
    body["description"] = "Manglende måling: Puls, ventet 22.11. kl. 08:00 (6 t over tid)"
    return with_ext(body, {"url": DHO + "alert-class", "valueCode": "adherence"})


def alerts(*tasks: dict[str, Any]) -> list[Any]:
    out = [alert_from_fhir(t) for t in tasks]
    assert all(a is not None for a in out)
    return out


def test_clinical_signals_before_adherence_whatever_their_age_then_severity_then_age() -> None:
    found = alerts(
        *(adherence(f"m{n}", f"late{n}", hours_ago=30 + n) for n in range(50)),
        task(
            "contact",
            "c1",
            rule="contact-request",
            priority="urgent",
            minutes_ago=500,
            value=None,
            threshold=None,
        ),
        with_ext(task("y-old", "y1", priority="urgent", minutes_ago=300), severity(0.5)),
        with_ext(task("y-far", "y2", priority="urgent", minutes_ago=5), severity(2.0)),
        with_ext(
            task("r-mild", "r1", rule="threshold-pulse", priority="asap", minutes_ago=90),
            severity(0.6),
        ),
        with_ext(
            task("r-far", "r2", rule="threshold-pulse", priority="asap", minutes_ago=1, value=166),
            severity(3.6),
        ),
        with_ext(
            task(
                "urgent-silence",
                "s1",
                rule="missing-measurement",
                priority="urgent",
                minutes_ago=2000,
                value=None,
                threshold=None,
            ),
            {"url": DHO + "alert-class", "valueCode": "adherence"},
        ),
    )
    cards = bundle_alerts(found, NOW)
    assert [c.patient_id for c in cards] == ["r2", "r1", "y2", "y1", "c1", "s1"]
    items = adherence_items(found)
    assert len(items) == 50 and items[0].patient_id == "late49"  # oldest first, apart


def test_since_we_closed_lists_the_alerts_of_the_last_closed_period() -> None:
    monday = datetime(2026, 11, 23, 8, 10, tzinfo=OSLO)
    since, opened = DEFAULT_HOURS.previous_closed_period(monday)
    assert since == datetime(2026, 11, 20, 15, 30, tzinfo=OSLO)
    assert opened == datetime(2026, 11, 23, 8, 0, tzinfo=OSLO)
    night = alerts(
        task("sat", "p1", minutes_ago=60 * 40, now=monday.astimezone(UTC)),
        task("fri", "p2", minutes_ago=60 * 66, now=monday.astimezone(UTC)),  # Fri 14:10: open
        task("now", "p3", minutes_ago=2, now=monday.astimezone(UTC)),
    )
    assert [a.id for a in since_we_closed(night, since, opened)] == ["sat"]


def test_server_clock_follows_the_header_and_never_goes_back() -> None:
    wall = [1000.0]
    clock = ServerClock(wall=lambda: wall[0])
    assert not clock.announced and clock.timestamp() == 1000.0
    parsed = parse_clock_header("now=2026-11-23T07:10:00.000000Z;speed=60")
    assert parsed == (datetime(2026, 11, 23, 7, 10, tzinfo=UTC).timestamp(), 60.0)
    clock.observe(*parsed)
    wall[0] += 10
    assert clock.now() == datetime(2026, 11, 23, 7, 20, tzinfo=UTC)
    clock.observe(parsed[0] + 480, 60.0)  # an answer two seconds late: jitter, not a change
    assert clock.now() == datetime(2026, 11, 23, 7, 20, tzinfo=UTC)
    clock.observe(parsed[0] - 3600, 60.0)  # the server's clock was set back: follow it
    assert clock.now() == datetime(2026, 11, 23, 6, 10, tzinfo=UTC)
    clock.observe(parsed[0] + 600, 60.0)
    assert clock.now() == datetime(2026, 11, 23, 7, 20, tzinfo=UTC)
    assert parse_clock_header("garbage") is None


def test_hours_from_healthcare_services_union_and_holidays() -> None:
    hours = hours_from_fhir(
        [
            {
                "resourceType": "HealthcareService",
                "availableTime": [
                    {
                        "daysOfWeek": ["mon", "tue", "wed", "thu", "fri"],
                        "availableStartTime": "08:00:00",
                        "availableEndTime": "20:00:00",
                    }
                ],
                "notAvailable": [{"during": {"start": "2026-12-25", "end": "2026-12-26"}}],
            }
        ]
    )
    assert hours.is_open(datetime(2026, 11, 23, 19, tzinfo=OSLO))
    assert not hours.is_open(datetime(2026, 12, 25, 10, tzinfo=OSLO))
    assert hours_from_fhir([]) is DEFAULT_HOURS


def test_prom_flags_read_in_the_coded_and_the_extension_form() -> None:
    qr = {
        "resourceType": "QuestionnaireResponse",
        "id": "q1",
        "status": "completed",
        "authored": "2026-11-23T08:00:00Z",
        "questionnaire": "http://dho.example/fhir/Questionnaire/hjertesvikt-symptomer",
        "item": [
            {
                "linkId": "hf1",
                "text": "Er du mer tungpustet enn vanlig?",
                "answer": [
                    {
                        "valueCoding": {
                            "system": "http://dho.example/fhir/CodeSystem/alert-answer",
                            "code": "red",
                            "display": "Mye mer, også i hvile",
                        }
                    }
                ],
            },
            {
                "linkId": "ex2",
                "text": "Har slimet endret farge?",
                "answer": [
                    {
                        "valueCoding": {"code": "yes", "display": "Ja"},
                        "extension": [{"url": DHO + "alert-answer", "valueCode": "yellow"}],
                    }
                ],
            },
            {
                "linkId": "hf2",
                "text": "Hovne ankler?",
                "answer": [{"valueCoding": {"code": "no", "display": "Nei"}}],
            },
        ],
    }
    summary = questionnaire_from_fhir(qr)
    assert [a.question for a in summary.flagged] == [
        "Er du mer tungpustet enn vanlig?",
        "Har slimet endret farge?",
    ]


def test_resolve_dialog_offers_measurement_error_first_only_when_a_remeasure_confirmed_it(
    qtbot: QtBot,
) -> None:
    (a,) = alerts(
        with_ext(
            task("t1", "p1", minutes_ago=5),
            {"url": DHO + "remeasure", "extension": [{"url": "result", "valueCode": "normal"}]},
        )
    )
    (card,) = bundle_alerts([a], NOW)
    dialog = ResolveDialog(card, lambda o, c: f"{o} {c}", error_confirmed=True)
    qtbot.addWidget(dialog)
    assert next(iter(dialog.buttons)) is Outcome.MEASUREMENT_ERROR
    assert dialog.outcome() is None and not dialog.resolve_button.isEnabled()
    dialog.buttons[Outcome.MEASUREMENT_ERROR].click()
    assert dialog.resolve_button.isEnabled()
    plain = ResolveDialog(card, lambda o, c: "", error_confirmed=False)
    qtbot.addWidget(plain)
    assert next(iter(plain.buttons)) is Outcome.CONTACTED_PATIENT
    assert plain.outcome() is None
