"""The real-time simulator: rate, determinism, schedule times, restarts."""

from __future__ import annotations

import random
from collections import Counter
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from server.sim.population import Population, build_population
from server.sim.programmes import MEASUREMENT_BY_LOINC
from server.sim.simulator import DEFAULT_SPEED, Simulator

NOW = datetime(2026, 11, 22, 10, 0, tzinfo=UTC)
OSLO = ZoneInfo("Europe/Oslo")


@pytest.fixture(scope="module")
def population() -> Population:
    return build_population(300, seed=1, now=NOW)


def run(
    sim: Simulator, start: datetime, duration: timedelta, step: timedelta
) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    moment = start
    while moment < start + duration:
        moment += step
        out += sim.due(moment)
    return out


def history_rate(population: Population) -> float:
    """Observations per patient per simulated day, as the history has them."""
    return sum(1 for _ in population.history()) / len(population.patients) / 30


def test_default_speed_gives_about_one_observation_every_two_seconds(
    population: Population,
) -> None:
    sim = Simulator.from_resources(
        population.patients, population.episodes, seed=1, speed=DEFAULT_SPEED, now=NOW
    )
    hour = run(sim, NOW, timedelta(hours=1), timedelta(seconds=2))
    expected = history_rate(population) * 300 * DEFAULT_SPEED / 24
    assert 0.75 * expected < len(hour) < 1.25 * expected
    assert 1.0 < 3600 / len(hour) < 3.5  # seconds between Observations, on average


@pytest.mark.parametrize("speed", [1.0, 10.0])
def test_rate_scales_with_speed(population: Population, speed: float) -> None:
    sim = Simulator.from_resources(
        population.patients, population.episodes, seed=1, speed=speed, now=NOW
    )
    duration = timedelta(hours=48 / speed)
    produced = run(sim, NOW, duration, timedelta(seconds=30))
    expected = history_rate(population) * 300 * 2
    assert 0.8 * expected < len(produced) < 1.2 * expected


def test_observations_are_new_and_stamped_with_real_time(population: Population) -> None:
    sim = Simulator.from_resources(population.patients, population.episodes, now=NOW, speed=60)
    moment = NOW + timedelta(minutes=10)
    batch = sim.due(moment)
    assert batch
    programmes = {
        e["patient"]["reference"]: e["type"][0]["coding"][0]["code"] for e in population.episodes
    }
    for obs in batch:
        assert "id" not in obs and "meta" not in obs
        assert obs["effectiveDateTime"] == "2026-11-22T10:10:00Z"
        assert obs["subject"]["reference"] in programmes
        assert obs["status"] == "final"
    assert sim.due(moment) == []  # nothing twice
    assert sim.due(moment - timedelta(seconds=1)) == []  # clock going backwards


def test_speed_one_measures_at_realistic_local_times(population: Population) -> None:
    sim = Simulator.from_resources(population.patients, population.episodes, now=NOW)
    produced: list[tuple[datetime, dict[str, Any]]] = []
    moment = NOW
    while moment < NOW + timedelta(days=1):
        moment += timedelta(minutes=1)
        produced += [(moment, o) for o in sim.due(moment)]
    hours = Counter(m.astimezone(OSLO).hour for m, _ in produced)
    assert set(hours) <= set(range(5, 24))
    morning = sum(hours[h] for h in range(5, 11))
    evening = sum(hours[h] for h in range(18, 24))
    assert morning > evening > sum(hours[h] for h in range(12, 16))
    kinds = Counter(MEASUREMENT_BY_LOINC[o["code"]["coding"][0]["code"]] for _, o in produced)
    assert {"spo2", "pulse", "bp", "glucose", "weight", "temp"} <= set(kinds)


def test_deterministic_for_the_same_seed_and_clock(population: Population) -> None:
    def produce(seed: int, patients: list[dict[str, Any]]) -> list[dict[str, Any]]:
        sim = Simulator.from_resources(patients, population.episodes, seed=seed, speed=40, now=NOW)
        return run(sim, NOW, timedelta(minutes=20), timedelta(seconds=1))

    first = produce(1, population.patients)
    shuffled = list(population.patients)
    random.Random(9).shuffle(shuffled)
    assert produce(1, shuffled) == first  # store order does not matter
    assert produce(2, population.patients) != first


def test_rebuilt_simulator_continues_with_the_same_physiology(population: Population) -> None:
    sim = Simulator.from_resources(population.patients, population.episodes, seed=1, now=NOW)
    rebuilt = {s.patient_id: s for s in sim.schedules}
    active = sum(e["status"] == "active" for e in population.episodes)
    assert len(rebuilt) == active > 280
    later = NOW.timestamp() + 5 * 86400
    for original in population.schedules:
        if original.patient_id not in rebuilt:
            continue  # discharged
        again = rebuilt[original.patient_id]
        assert again.physiology.baseline == original.physiology.baseline
        assert again.adherence == original.adherence
        assert again.enrolled == original.enrolled
        assert again.slots_on(0, 740000) == original.slots_on(0, 740000)
        for variable in ("spo2", "weight", "sys", "glucose"):
            assert again.physiology.true_value(variable, later) == (
                original.physiology.true_value(variable, later)
            )
    # The live values continue the seeded history: a patient's live mean is near their
    # history mean (same baseline, no jump at the restart).
    history: dict[tuple[str, str], list[float]] = {}
    for obs in population.history():
        if "valueQuantity" in obs:
            key = (obs["subject"]["reference"], obs["code"]["coding"][0]["code"])
            history.setdefault(key, []).append(obs["valueQuantity"]["value"])
    live: dict[tuple[str, str], list[float]] = {}
    for obs in run(sim, NOW, timedelta(days=3), timedelta(minutes=5)):
        if "valueQuantity" in obs:
            key = (obs["subject"]["reference"], obs["code"]["coding"][0]["code"])
            live.setdefault(key, []).append(obs["valueQuantity"]["value"])
    tolerance = {"2708-6": 3.0, "29463-7": 2.0, "8867-4": 12.0, "15074-8": 4.0, "8310-5": 0.8}
    close = compared = 0
    for key, values in live.items():
        if key[1] in tolerance and key in history and len(values) >= 3:
            compared += 1
            past = sorted(history[key])[len(history[key]) // 2]
            current = sorted(values)[len(values) // 2]
            close += abs(past - current) < tolerance[key[1]]
    assert compared > 100 and close / compared > 0.9


def test_patients_without_an_active_episode_are_not_simulated(population: Population) -> None:
    episodes = [dict(e) for e in population.episodes if e["status"] == "active"]
    for episode in episodes[:10]:
        episode["status"] = "finished"
    sim = Simulator.from_resources(population.patients, episodes, now=NOW)
    assert len(sim.schedules) == len(episodes) - 10
    finished = {e["patient"]["reference"] for e in episodes[:10]}
    produced = run(sim, NOW, timedelta(days=1), timedelta(minutes=10))
    assert produced and not {o["subject"]["reference"] for o in produced} & finished


def test_a_long_pause_does_not_flood(population: Population) -> None:
    sim = Simulator.from_resources(population.patients, population.episodes, speed=40, now=NOW)
    after_pause = sim.due(NOW + timedelta(hours=3))  # 5 simulated days missed at once
    backlog = history_rate(population) * 300 * 5
    assert len(after_pause) < 0.05 * backlog  # only the last couple of minutes' worth
    with pytest.raises(ValueError):
        Simulator.from_resources(population.patients, population.episodes, speed=0, now=NOW)


def test_quiet_calls_cost_nothing_for_a_large_population() -> None:
    big = build_population(10_000, seed=3, now=NOW, history_days=1)
    sim = Simulator.from_resources(big.patients, big.episodes, seed=3, speed=1.0, now=NOW)
    # 3600 calls; only the few due measurements produce anything (speed: a benchmark figure).
    produced = run(sim, NOW, timedelta(minutes=30), timedelta(seconds=0.5))
    assert len(produced) < 10_000


def test_training_clock_skips_nights_so_someone_always_measures() -> None:
    from datetime import UTC, datetime

    from server.sim.simulator import advance_daytime, next_daytime

    night = datetime(2026, 11, 23, 0, 20, tzinfo=UTC)  # 01:20 in Oslo
    morning = next_daytime(night.timestamp())
    assert datetime.fromtimestamp(morning, UTC).hour == 6  # 07:00 Oslo (UTC+1)
    # 15 h of daytime from 07:00 end at 22:00; one second more is 07:00:01 the next day.
    end = advance_daytime(morning, 15 * 3600 + 1)
    assert end - morning == 24 * 3600 + 1
    population = build_population(300, seed=5, now=night, history_days=1)
    sim = Simulator.from_resources(
        population.patients, population.episodes, seed=5, speed=40, now=night, skip_nights=True
    )
    produced = run(sim, night, timedelta(minutes=2), timedelta(seconds=0.5))
    assert produced, "at night the training simulator still produces measurements"
