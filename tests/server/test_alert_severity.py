"""A card's severity is compared only within its own priority (issue 11: "order within a
priority by clinical severity"). A distance counts from the limit of its own level, so a yellow
value is not "further past the limit" than a red one; NEWS2 makes a repeat worse only when it
reaches a higher trigger level. Pure functions of server.rules."""

from __future__ import annotations

from typing import Any

from server.rules.codes import ALERT_OUTCOME_SYSTEM
from server.rules.decide import suppressed_after_handling, worse_than_handled
from server.rules.engine import (
    Finding,
    _head_inputs,
    merge_into_task,
    new_task,
    severity_score,
    task_distance,
    task_news2,
    task_severity,
)

T0 = "2026-11-12T07:35:00Z"
HANDLED = "2026-11-12T08:00:00Z"
HANDLED_S = 1794470400.0  # HANDLED as epoch seconds


def temperature(level: str, ref: str, distance: float, news2: int | None) -> Finding:
    return Finding(
        "p1",
        "threshold-temperature",
        level,
        f"Observation/{ref}",
        T0,
        f"Temperatur ({level})",
        _head_inputs(f"Observation/{ref}", level),
        severity=severity_score(distance, news2),
        distance=distance,
        news2=news2,
    )


def handled(task: dict[str, Any]) -> dict[str, Any]:
    return {
        **task,
        "status": "completed",
        "businessStatus": {"coding": [{"system": ALERT_OUTCOME_SYSTEM, "code": "referred-gp"}]},
        "executionPeriod": {"start": T0, "end": HANDLED},
    }


def test_a_yellow_value_joining_a_red_card_leaves_its_severity() -> None:
    # Red 39.0 °C just past its limit, no NEWS2; then a yellow 38.8 with NEWS2 4, whose score
    # (0.9 past the yellow limit + 4 / 2) is higher than the red card's.
    red = new_task(temperature("red", "1", 0.6, None), None, T0)
    yellow = temperature("yellow", "2", 0.9, 4)
    assert yellow.severity > task_severity(red)
    merged = merge_into_task(red, yellow, "2026-11-12T09:00:00Z")
    assert merged is not None and merged["priority"] == "asap"
    assert (task_severity(merged), task_distance(merged), task_news2(merged)) == (0.6, 0.6, None)
    # A red value of the same card raises each figure to the larger.
    worse = merge_into_task(merged, temperature("red", "3", 0.3, 5), "2026-11-12T10:00:00Z")
    assert worse is not None
    assert (task_severity(worse), task_distance(worse), task_news2(worse)) == (2.8, 0.6, 5)


def test_a_milder_value_after_a_handled_red_joins_it_whatever_its_score() -> None:
    card = handled(new_task(temperature("red", "1", 0.6, None), None, T0))
    next_morning = HANDLED_S + 23 * 3600
    yellow = temperature("yellow", "2", 0.9, 4)
    assert yellow.severity >= task_severity(card) + 1  # what the old comparison called worse
    assert not worse_than_handled(card, yellow)
    assert suppressed_after_handling(card, yellow, next_morning)
    # Past the window it is a new card again.
    assert not suppressed_after_handling(card, yellow, HANDLED_S + 25 * 3600)


def test_at_the_same_priority_distance_or_a_news2_trigger_level_makes_it_worse() -> None:
    card = handled(new_task(temperature("red", "1", 0.6, 3), None, T0))
    assert not worse_than_handled(card, temperature("red", "2", 1.5, 4))  # < one gap further
    assert worse_than_handled(card, temperature("red", "3", 1.6, 3))  # one gap further
    assert worse_than_handled(card, temperature("red", "4", 0.6, 5))  # NEWS2 reached 5
    assert worse_than_handled(
        handled(new_task(temperature("yellow", "5", 0.2, 6), None, T0)),
        temperature("red", "6", 0.0, None),
    )  # a higher priority
