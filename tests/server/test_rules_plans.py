"""Seeded plans: structure, thresholds from the templates moved to fit each patient, and the
simulator raising some alerts over a simulated day but not a flood."""

from __future__ import annotations

import itertools
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from server.rules.codes import ALERT_RULE_SYSTEM, NEWS2_SCALE2_URL, RED, YELLOW
from server.rules.plan import Band, build_patient_plan, parse_service_request, patient_id_of
from server.sim.physiology import SPO2
from server.sim.plans import personal_bands
from server.sim.population import Population, build_population
from server.sim.simulator import Simulator
from server.store import Store
from server.store import search as s
from server.store.registry import RESOURCE_TYPES
from tests.server.rules_world import World

NOW = datetime(2026, 11, 22, 12, 0, tzinfo=UTC)


@pytest.fixture(scope="module")
def population() -> Population:
    return build_population(120, seed=3, now=NOW, history_days=4)


def test_every_patient_has_a_care_plan_with_a_request_per_measurement(
    population: Population,
) -> None:
    by_patient: dict[str, Counter[str]] = {}
    resources = {f"{r['resourceType']}/{r['id']}": r for r in population.resources()}
    for res in population.plans:
        pid = patient_id_of(res["subject"])
        assert pid is not None
        by_patient.setdefault(pid, Counter())[res["resourceType"]] += 1
        # Discharged during the history window (about 4 %): the plan is completed.
        assert res["status"] in ("active", "completed") and res["intent"] == "plan"
        if res["resourceType"] == "CarePlan":
            assert res["title"] == "Egenbehandlingsplan"
            (episode,) = res["supportingInfo"]
            assert resources[episode["reference"]]["patient"]["reference"] == f"Patient/{pid}"
            for activity in res["activity"]:
                sr = resources[activity["reference"]["reference"]]
                assert sr["basedOn"][0]["reference"] == f"CarePlan/{res['id']}"
        else:
            assert parse_service_request({**res, "status": "active"}) is not None
            assert res["occurrenceTiming"]["repeat"]["timeOfDay"]
    assert set(by_patient) == {p["id"] for p in population.patients}
    for schedule in population.schedules:
        counts = by_patient[schedule.patient_id]
        assert counts["CarePlan"] == 1
        assert counts["ServiceRequest"] == len(schedule.programme.measurements)
    # Deterministic ids.
    again = build_population(120, seed=3, now=NOW, history_days=4)
    assert again.plans == population.plans


def test_templates_and_personal_moves() -> None:
    # A typical patient keeps the domain's templates.
    assert personal_bands("spo2", "heart-failure", 99.0) == (Band(RED, 90), Band(YELLOW, 94))
    assert personal_bands("spo2", "copd", 93.0) == (Band(RED, 86), Band(YELLOW, 88))
    assert personal_bands("pulse", "copd", 75.0) == (Band(RED, 40, 130), Band(YELLOW, 50, 110))
    assert personal_bands("temp", "cancer", 36.6) == (
        Band(RED, 35.0, 38.9),
        Band(YELLOW, None, 37.9),
    )
    # A COPD patient resting at 89 % gets lower limits "with the GP".
    red, yellow = personal_bands("spo2", "copd", 89.0)
    assert yellow.low is not None and red.low is not None
    assert 84 <= yellow.low < 88 and red.low < yellow.low
    # A hypertensive patient resting at 165 mmHg: the upper limits move up, the lower stay.
    red, yellow = personal_bands("sys", "hypertension", 165.0)
    assert yellow.high is not None and red.high is not None
    assert yellow.high > 180 > 160 and red.high > yellow.high
    assert (yellow.low, red.low) == (100, 90)


def test_copd_patients_with_low_saturation_use_news2_scale_2(population: Population) -> None:
    for careplan in (r for r in population.plans if r["resourceType"] == "CarePlan"):
        pid = patient_id_of(careplan["subject"])
        schedule = next(x for x in population.schedules if x.patient_id == pid)
        scale2 = any(e["url"] == NEWS2_SCALE2_URL for e in careplan.get("extension", ()))
        expected = schedule.programme.code == "copd" and schedule.physiology.baseline[SPO2] < 91
        assert scale2 == expected


def test_resting_values_sit_inside_the_patients_own_limits(population: Population) -> None:
    grouped: dict[str, list[dict[str, object]]] = {}
    for res in population.plans:
        if res["resourceType"] == "ServiceRequest":
            grouped.setdefault(str(patient_id_of(res["subject"])), []).append(res)
    for schedule in population.schedules:
        plan = build_patient_plan(schedule.patient_id, grouped[schedule.patient_id], [])
        for var, bands in plan.bands.items():
            base = schedule.physiology.baseline[var]
            for band in bands:
                assert band.low is None or band.low < base, (var, band, base)
                assert band.high is None or band.high > base, (var, band, base)


def test_simulated_day_raises_some_alerts_but_not_a_flood(tmp_path: Path) -> None:
    """300 patients, one simulated day through the real write path.

    Bound: threshold and trend alerts between 1 and 0.1 per patient per day (the seeded
    history raises about 0.025 per patient-day with alerts closed daily).
    """
    store = Store(f"sqlite:///{tmp_path / 'sim.sqlite'}")
    store.create_schema()
    try:
        population = build_population(300, seed=1, now=NOW, history_days=4)
        store.bulk_load(itertools.chain(population.resources(), population.history()))
        world = World(store)
        speed = 720.0  # a simulated day in 120 s of (fake) real time
        sim = Simulator.from_resources(
            population.patients, population.episodes, seed=1, speed=speed, now=NOW
        )
        produced = 0
        for step in range(1, 241):
            world.now = NOW + timedelta(seconds=0.5 * step)
            new = sim.due(world.now)
            if new:
                produced += len(world.post(*new))
        assert produced > 700  # about 3.3 per patient
        plan = s.plan_search(RESOURCE_TYPES["Task"], [("_count", "1000")])
        tasks = [st.resource() for st in store.search(plan).matches]
        rules = Counter(t["code"]["coding"][0]["code"] for t in tasks)
        assert all(t["code"]["coding"][0]["system"] == ALERT_RULE_SYSTEM for t in tasks)
        assert 1 <= len(tasks) <= 30, rules
        assert world.engine.stats["observations"] == produced
    finally:
        store.close()


def test_equal_parts_of_different_patients_plans_are_one_object(population: Population) -> None:
    """The engine keeps every patient's plan in memory (10,000 at a big centre): equal bands,
    limits and departments are shared, not copied per patient, and sharing changes nothing."""
    import copy

    by_patient: dict[str, dict[str, list[dict[str, object]]]] = {}
    for res in population.plans:
        pid = patient_id_of(res.get("subject") or res.get("patient"))
        assert pid is not None
        by_patient.setdefault(pid, {}).setdefault(res["resourceType"], []).append(res)
    for res in population.resources():
        if res["resourceType"] == "EpisodeOfCare":
            pid = patient_id_of(res["patient"])
            assert pid is not None
            by_patient.setdefault(pid, {}).setdefault("EpisodeOfCare", []).append(res)
    plans = [
        build_patient_plan(
            pid, g.get("ServiceRequest", []), g.get("EpisodeOfCare", []), g.get("CarePlan", [])
        )
        for pid, g in sorted(by_patient.items())
    ]
    # The same plan built from deep copies of the resources is equal, field by field.
    pid, g = sorted(by_patient.items())[0]
    fresh = build_patient_plan(
        pid, *(copy.deepcopy(g.get(t, [])) for t in ("ServiceRequest", "EpisodeOfCare", "CarePlan"))
    )
    assert fresh == plans[0]
    bands = [b for p in plans for v in p.bands.values() for b in v]
    assert len({id(b) for b in bands}) == len(set(bands)) < len(bands)
    departments = [p.department for p in plans if p.department]
    assert len({id(d) for d in departments}) == len({tuple(d.items()) for d in departments})
    grace = [m.grace for p in plans for m in p.measurements]
    assert len({id(x) for x in grace}) == len({tuple(x.items()) for x in grace}) < len(grace)
