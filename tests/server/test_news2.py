"""NEWS2 (RCP 2017): every band boundary of every parameter, risk bands, partial scores."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest

from server.rules import news2 as n
from server.rules.news2 import News2Input, news2, spo2_score

FULL = News2Input(
    respiration=16.0,
    spo2=97.0,
    on_oxygen=False,
    systolic=120.0,
    pulse=70.0,
    consciousness="A",
    temperature=37.0,
)


def full(**changes: Any) -> News2Input:
    """All seven parameters measured and normal, except `changes`."""
    return replace(FULL, **changes)


def score_of(param: str, field: str, value: object, *, scale2: bool = False) -> int:
    result = news2(full(**{field: value}), scale2=scale2)
    return result.subscores[param]


@pytest.mark.parametrize(
    ("value", "score"),
    [(8, 3), (9, 1), (11, 1), (12, 0), (20, 0), (21, 2), (24, 2), (25, 3), (4, 3), (40, 3)],
)
def test_respiration_rate(value: float, score: int) -> None:
    assert score_of(n.RESPIRATION, "respiration", float(value)) == score


@pytest.mark.parametrize(
    ("value", "score"), [(91, 3), (92, 2), (93, 2), (94, 1), (95, 1), (96, 0), (100, 0)]
)
def test_spo2_scale_1(value: float, score: int) -> None:
    assert score_of(n.SPO2, "spo2", float(value)) == score
    # Scale 1 does not depend on oxygen (oxygen scores separately).
    assert spo2_score(value, scale2=False, on_oxygen=True) == score


@pytest.mark.parametrize(
    ("value", "score"),
    [(83, 3), (84, 2), (85, 2), (86, 1), (87, 1), (88, 0), (92, 0), (93, 0), (97, 0), (100, 0)],
)
def test_spo2_scale_2_on_air(value: float, score: int) -> None:
    assert spo2_score(value, scale2=True, on_oxygen=False) == score
    assert score_of(n.SPO2, "spo2", float(value), scale2=True) == score


@pytest.mark.parametrize(
    ("value", "score"),
    [
        (83, 3),
        (84, 2),
        (85, 2),
        (86, 1),
        (87, 1),
        (88, 0),
        (92, 0),
        (93, 1),
        (94, 1),
        (95, 2),
        (96, 2),
        (97, 3),
        (100, 3),
    ],
)
def test_spo2_scale_2_on_oxygen(value: float, score: int) -> None:
    assert spo2_score(value, scale2=True, on_oxygen=True) == score


def test_air_or_oxygen() -> None:
    assert score_of(n.OXYGEN, "on_oxygen", True) == 2
    assert score_of(n.OXYGEN, "on_oxygen", False) == 0


@pytest.mark.parametrize(
    ("value", "score"),
    [(90, 3), (91, 2), (100, 2), (101, 1), (110, 1), (111, 0), (219, 0), (220, 3), (60, 3)],
)
def test_systolic(value: float, score: int) -> None:
    assert score_of(n.SYSTOLIC, "systolic", float(value)) == score


@pytest.mark.parametrize(
    ("value", "score"),
    [
        (40, 3),
        (41, 1),
        (50, 1),
        (51, 0),
        (90, 0),
        (91, 1),
        (110, 1),
        (111, 2),
        (130, 2),
        (131, 3),
        (30, 3),
    ],
)
def test_pulse(value: float, score: int) -> None:
    assert score_of(n.PULSE, "pulse", float(value)) == score


@pytest.mark.parametrize(
    ("value", "score"),
    [
        (35.0, 3),
        (35.1, 1),
        (36.0, 1),
        (36.1, 0),
        (38.0, 0),
        (38.1, 1),
        (39.0, 1),
        (39.1, 2),
        (34.0, 3),
        (41.0, 2),
    ],
)
def test_temperature(value: float, score: int) -> None:
    assert score_of(n.TEMPERATURE, "temperature", value) == score


@pytest.mark.parametrize(("acvpu", "score"), [("A", 0), ("C", 3), ("V", 3), ("P", 3), ("U", 3)])
def test_consciousness(acvpu: str, score: int) -> None:
    assert score_of(n.CONSCIOUSNESS, "consciousness", acvpu) == score


def test_in_between_values_fall_into_the_band_below_their_upper_bound() -> None:
    assert score_of(n.RESPIRATION, "respiration", 11.5) == 0
    assert score_of(n.TEMPERATURE, "temperature", 35.05) == 1


def test_risk_bands() -> None:
    assert news2(FULL).band == n.LOW
    assert news2(FULL).total == 0
    # 4 without a single 3: low; a single 3: low-medium.
    low4 = full(pulse=95.0, temperature=38.5, systolic=105.0)
    assert (news2(low4).total, news2(low4).band) == (3, n.LOW)
    single3 = full(respiration=26.0)
    assert (news2(single3).total, news2(single3).band) == (3, n.LOW_MEDIUM)
    five = full(respiration=22.0, spo2=93.0, pulse=95.0)
    assert (news2(five).total, news2(five).band) == (5, n.MEDIUM)
    six = full(respiration=22.0, spo2=93.0, systolic=105.0, pulse=95.0)
    assert (news2(six).total, news2(six).band) == (6, n.MEDIUM)
    seven = full(respiration=25.0, spo2=93.0, pulse=100.0, temperature=38.5)
    assert (news2(seven).total, news2(seven).band) == (7, n.HIGH)


def test_partial_when_home_data_lacks_parameters() -> None:
    result = news2(News2Input(spo2=95.0, systolic=120.0, pulse=95.0, temperature=37.0))
    assert result.partial
    assert result.missing == [n.RESPIRATION, n.OXYGEN, n.CONSCIOUSNESS]
    assert result.total == 2  # SpO2 95 -> 1, pulse 95 -> 1
    assert set(result.subscores) == {n.SPO2, n.SYSTOLIC, n.PULSE, n.TEMPERATURE}
    complete = news2(FULL)
    assert not complete.partial and complete.missing == []
    assert news2(News2Input()).missing == list(n.PARAMETERS)
