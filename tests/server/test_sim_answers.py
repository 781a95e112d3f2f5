"""Simulated patients answer the service's automatic messages with a measurement."""

from __future__ import annotations

from datetime import UTC, datetime

from server.sim.patient_answers import REMEASURE_ANSWER, reaction
from server.sim.population import build_population
from server.sim.simulator import Simulator

CATEGORY = "http://dho.example/fhir/CodeSystem/communication-category"


def message(mid: str, category: str, code: str = "2708-6", sender: str = "Organization/d") -> dict:  # type: ignore[type-arg]
    return {
        "resourceType": "Communication",
        "id": mid,
        "category": [{"coding": [{"system": CATEGORY, "code": category}]}],
        "subject": {"reference": "Patient/p1"},
        "sender": {"reference": sender},
        "reasonCode": [{"coding": [{"system": "http://loinc.org", "code": code}]}],
    }


def test_most_patients_remeasure_when_asked_and_some_measure_after_a_reminder() -> None:
    answers = [reaction(message(f"m{n}", "remeasure-request"), 1) for n in range(400)]
    answered = [a for a in answers if a is not None]
    assert abs(len(answered) / 400 - REMEASURE_ANSWER) < 0.06
    pid, kinds, delay, _ = answered[0]
    assert pid == "p1" and kinds == ("spo2",) and 5 * 60 <= delay <= 40 * 60
    reminders = [
        reaction(message(f"r{n}", "measurement-reminder", "8867-4"), 1) for n in range(400)
    ]
    assert 0.5 < sum(a is not None for a in reminders) / 400 < 0.7
    # A patient's own message, or an ordinary one, makes nobody measure.
    assert reaction(message("x", "remeasure-request", sender="Patient/p1"), 1) is None
    assert reaction(message("y", "patient-thread"), 1) is None


def test_the_live_simulator_takes_the_extra_measurement() -> None:
    now = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
    population = build_population(5, seed=1, now=now, history_days=1)
    sim = Simulator.from_resources(population.patients, population.episodes, now=now)
    pid = sim.schedules[0].patient_id
    assert sim.request(pid, ("pulse",), now.timestamp() + 600)
    assert not sim.request("nobody", ("pulse",), now.timestamp())
    later = datetime.fromtimestamp(now.timestamp() + 601, UTC)
    produced = sim.due(later)
    mine = [o for o in produced if o["subject"]["reference"] == f"Patient/{pid}"]
    assert any(o["code"]["coding"][0]["code"] == "8867-4" for o in mine)
    assert len(sim.errors) == len(produced)
