"""Physiology: deterministic baselines per programme, drift, deterioration episodes, rounding."""

from __future__ import annotations

import random
from collections import Counter
from datetime import UTC, datetime

import pytest

from server.sim.physiology import DAY, EPISODE_TYPES, Physiology
from server.sim.population import build_population
from server.sim.programmes import PROGRAMMES

NOW = datetime(2026, 11, 22, 10, 0, tzinfo=UTC)
T = NOW.timestamp()


def people(programme: str, n: int = 200) -> list[Physiology]:
    return [
        Physiology(f"p{i}", programme, seed=1, gender="male" if i % 2 else "female")
        for i in range(n)
    ]


def test_baseline_is_a_function_of_patient_id_and_seed() -> None:
    a = Physiology("abc", "copd", seed=1, gender="female")
    assert a.baseline == Physiology("abc", "copd", seed=1, gender="female").baseline
    assert a.baseline != Physiology("abd", "copd", seed=1, gender="female").baseline
    assert a.baseline != Physiology("abc", "copd", seed=2, gender="female").baseline
    assert a.true_value("spo2", T) == Physiology("abc", "copd", seed=1).true_value("spo2", T)


@pytest.mark.parametrize(
    ("programme", "variable", "low", "high"),
    [
        ("copd", "spo2", 89, 95),
        ("heart-failure", "weight", 60, 110),
        ("diabetes-t2", "glucose", 5, 12),
        ("hypertension", "sys", 135, 165),
        ("rehabilitation", "spo2", 95, 99),
        ("cancer", "temp", 36.3, 37.0),
    ],
)
def test_baselines_are_plausible_for_the_programme(
    programme: str, variable: str, low: float, high: float
) -> None:
    values = [p.baseline[variable] for p in people(programme)]
    assert all(low <= v <= high for v in values)
    assert max(values) - min(values) > (high - low) / 2  # spread, not one value
    for p in people(programme, 20):
        assert p.baseline["dia"] < p.baseline["sys"] - 20


def test_readings_are_rounded_as_devices_report() -> None:
    rng = random.Random(1)
    p = Physiology("x", "heart-failure", seed=1)
    for i in range(500):
        t = T + i * 3600
        spo2 = p.measure("spo2", t, rng)
        assert isinstance(spo2, int) and 50 <= spo2 <= 100
        systolic, diastolic = p.measure("bp", t, rng)  # type: ignore[misc]
        assert isinstance(systolic, int) and isinstance(diastolic, int)
        assert diastolic <= systolic - 10
        weight = p.measure("weight", t, rng)
        assert isinstance(weight, float) and round(weight, 1) == weight


def test_a_few_percent_of_patients_deteriorate_at_any_time() -> None:
    population = build_population(300, seed=1, now=NOW)
    physiologies = [s.physiology for s in population.schedules]
    in_window = [p.episodes_between(T - 30 * DAY, T) for p in physiologies]
    kinds = Counter(e.kind for episodes in in_window for e in episodes)
    assert sum(kinds.values()) >= 30
    assert set(kinds) <= set(EPISODE_TYPES)
    assert {"copd-exacerbation", "heart-failure-decompensation", "fever", "bp-spike"} <= set(kinds)
    for moment in (T - 20 * DAY, T - 10 * DAY, T):
        share = sum(p.episode_at(moment) is not None for p in physiologies) / len(physiologies)
        assert 0.01 <= share <= 0.12
    # Every programme's episodes are ones that make sense for it.
    for schedule in population.schedules:
        allowed = {name for name, _ in schedule.programme.episodes}
        for episode in schedule.physiology.episodes_between(T - 30 * DAY, T):
            assert episode.kind in allowed


def test_heart_failure_decompensation_gains_two_to_three_and_a_half_kg_over_about_three_days() -> (
    None
):
    found = 0
    rises: list[float] = []
    for p in people("heart-failure", 400):
        for episode in p.episodes_between(T - 200 * DAY, T):
            if episode.kind != "heart-failure-decompensation":
                continue
            found += 1
            gain = episode.effects["weight"]
            assert 2.0 <= gain <= 3.7
            assert 2.4 * DAY <= episode.peak - episode.start <= 3.6 * DAY
            # The deterioration shows in the true value, not just in the bookkeeping.
            rise = p.true_value("weight", episode.peak) - p.true_value("weight", episode.start)
            assert rise > gain - 0.9
            rises.append(rise)
            assert p.true_value("spo2", episode.peak) < p.true_value("spo2", episode.start) + 0.5
    assert found > 20
    assert sorted(rises)[len(rises) // 2] > 2.0  # the typical one crosses the +2 kg template


def test_hypoglycaemia_drives_glucose_low_whatever_the_baseline() -> None:
    lows = []
    for p in people("diabetes-t2", 400):
        for episode in p.episodes_between(T - 200 * DAY, T):
            if episode.kind == "hypoglycaemia":
                lows.append(p.true_value("glucose", (episode.peak + episode.plateau_end) / 2))
    assert lows and max(lows) < 4.5


def test_unknown_programme_is_rejected() -> None:
    with pytest.raises(ValueError):
        Physiology("x", "dementia", seed=1)
    assert set(PROGRAMMES) == {
        "copd",
        "heart-failure",
        "diabetes-t2",
        "hypertension",
        "cancer",
        "rehabilitation",
    }
