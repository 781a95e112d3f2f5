"""The review's figures on a small hand-made history, worked out by hand (tests/console/
review_history.py): medians, p90, adherence and time counted in opening hours."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

import pytest

from console.domain.alerts import Priority
from console.domain.review import (
    Baseline,
    ReviewQuery,
    ReviewSettings,
    chunks,
    compute_review,
    median,
    p90,
)
from console.domain.service_hours import OpeningHours, OpenTime
from tests.console.review_history import END, OSLO, START, at, history

MIN = 60.0


def review(**query: object) -> object:
    settings = ReviewSettings(baselines={"D1": Baseline(visits_per_week=2, minutes_per_visit=30)})
    return compute_review(history(), ReviewQuery(START, END, **query), settings=settings)  # type: ignore[arg-type]


def test_percentiles_are_the_documented_ones() -> None:
    assert median([3.0, 1.0, 2.0]) == 2.0
    assert median([4.0, 1.0, 3.0, 2.0]) == 2.5
    assert p90([10.0, 20.0, 30.0, 40.0, 50.0]) == 50.0  # ⌈4.5⌉ = 5th
    assert p90([float(i) for i in range(1, 11)]) == 9.0  # ⌈9⌉ = 9th
    assert p90([float(i) for i in range(1, 12)]) == 10.0  # ⌈9.9⌉ = 10th
    assert median([]) is None and p90([]) is None


def test_time_is_counted_in_opening_hours() -> None:
    clock = OpenTime(OpeningHours.default(), at(1, 0), at(30, 0))
    assert clock.seconds(at(2, 9), at(2, 9, 10)) == 10 * MIN
    assert clock.seconds(at(2, 15, 20), at(3, 8, 5)) == 15 * MIN  # overnight
    assert clock.seconds(at(6, 15), at(9, 8, 30)) == 60 * MIN  # over a weekend
    assert clock.seconds(at(7, 10), at(7, 18)) == 0  # a Saturday
    assert clock.seconds(at(2, 0), at(9, 0)) == 5 * 7.5 * 3600  # a whole week
    # Across the change to winter time (Sunday 25 October 2026, 03:00 → 02:00).
    fri, mon = at(23, 14, month=10), at(26, 9, month=10)
    assert mon - fri == (2 * 24 + 19 + 1) * 3600  # the wall clock lies by an hour
    assert clock.seconds(fri, mon) == (90 + 60) * MIN
    # A closed day (notAvailable) is not counted.
    closed_day = (datetime(2026, 11, 4, tzinfo=OSLO), datetime(2026, 11, 5, tzinfo=OSLO))
    hours = OpeningHours(OpeningHours.default().weekly, closed=(closed_day,), source="x")
    assert OpenTime(hours, at(1, 0), at(30, 0)).seconds(at(3, 15), at(5, 8, 10)) == 40 * MIN
    # Split opening hours and a Saturday morning.
    split = OpeningHours({5: ((time(9), time(11)), (time(12), time(13)))}, source="x")
    assert OpenTime(split, at(1, 0), at(30, 0)).seconds(at(7, 10), at(7, 12, 30)) == 90 * MIN
    # Instants far outside the span built are still exact.
    assert clock.seconds(at(3, 8, month=1), at(3, 9, month=1)) == 0  # Saturday 3 January
    assert clock.seconds(at(5, 8, month=1), at(5, 9, month=1)) == 60 * MIN


def test_response_times_medians_and_p90_by_priority_and_department() -> None:
    r = review()
    times = dict(r.times.by_priority)
    high = times["high"]
    # Claims 10, 15, 30, 60, 20 min; resolves 40, 45, 60, 90, 60 min.
    assert high.alerts == 5 and high.claimed == 5
    assert high.claim_median == 20 * MIN and high.claim_p90 == 60 * MIN
    assert high.resolve_median == 60 * MIN and high.resolve_p90 == 90 * MIN
    medium = times["medium"]  # A5 resolved without a claim after 60 min; A7 still waiting
    assert medium.alerts == 2 and medium.claimed == 1 and medium.waiting == 1
    assert medium.claim_median == 60 * MIN and medium.resolve_median == 60 * MIN
    assert times["low"].claim_median == 20 * MIN and times["low"].resolve_median == 60 * MIN
    assert times["adherence"].alerts == 0  # the one adherence item closed itself
    by_dep = {dep: stats for dep, _name, stats in r.times.by_department}
    # D1 clinical claims 10, 15, 30, 60 (even count: the mean of the middle two).
    assert by_dep["D1"].claim_median == 22.5 * MIN and by_dep["D1"].claim_p90 == 60 * MIN
    assert by_dep["D2"].claim_median == 20 * MIN and by_dep["D2"].resolve_median == 60 * MIN
    # High alerts claimed within 30 open minutes: 4 of 5 (A4 took 60).
    assert (r.times.target_met, r.times.target_total) == (4, 5)
    assert r.times.target_share == pytest.approx(0.8)
    weekdays = dict(r.times.by_weekday)
    assert weekdays[5].alerts == 1 and weekdays[5].claim_median == 30 * MIN  # Saturday, A3
    assert dict(r.times.by_hour)[9].alerts == 2  # A1 and A9


def test_alert_volumes_outcomes_and_waiting_for_opening() -> None:
    r = review()
    a = r.alerts
    assert (a.total, a.clinical, a.adherence) == (9, 8, 1)
    assert a.by_priority == {Priority.HIGH: 5, Priority.MEDIUM: 2, Priority.LOW: 1}
    assert [(w.high, w.medium, w.low, w.adherence) for w in a.per_week] == [
        (4, 1, 1, 0),
        (1, 1, 0, 1),
    ]
    assert len(a.per_day) == 14 and a.per_day[0].high == 2
    outcomes = {row.key: row.count for row in a.outcomes}
    assert outcomes == {
        "contacted-patient": 2,
        "measurement-error": 2,
        "advised-gp": 1,
        "referred-legevakt": 1,
        "no-action-needed": 1,
    }
    assert a.measurement_error_share == pytest.approx(2 / 7)
    assert a.closed_automatically == 1 and a.escalated == 1
    assert a.waited_for_opening == 2 and a.waited_for_opening_still_open == 0  # A2, A3
    assert a.open_at_end == 1
    # Patient-days: P1 14, P2 11 days 14 h, P3 8 days 12 h.
    assert a.patient_days == pytest.approx(14 + 11 + 14 / 24 + 8.5)
    assert a.per_patient_day == pytest.approx(8 / a.patient_days)
    assert {row.key: row.count for row in a.by_department} == {"D1": 6, "D2": 3}


def test_caseload_and_planning_figure() -> None:
    c = review().caseload
    assert (c.active, c.enrolled, c.discharged) == (2, 1, 1)
    assert c.nurses == 3 and c.patients_per_nurse == pytest.approx(2 / 3)
    assert c.nurses_needed == 1 and c.planning_figure == 80
    deps = {d.department_id: d for d in c.departments}
    assert (deps["D1"].active, deps["D1"].nurses, deps["D2"].active) == (2, 1, 0)
    # P3 was still followed at the end of week 1 (discharged on the 10th).
    assert [(w.active, w.enrolled, w.discharged) for w in c.weeks] == [(3, 1, 0), (2, 0, 1)]
    assert {p.programme: p.active for p in c.programmes} == {
        "copd": 1,
        "heart-failure": 1,
        "hypertension": 0,
    }


def test_adherence_counts_scheduled_slots_and_caps_deliveries() -> None:
    ad = review().adherence
    by_patient = {p.patient_id: p for p in ad.patients}
    p1, p2, p3 = by_patient["P1"], by_patient["P2"], by_patient["P3"]
    # P1: weight 11 of 14 days, blood pressure 21 of 28 (three on one day count as two).
    assert (p1.expected, p1.delivered) == (42, 32)
    # P2 enrolled at 10:00: that day only the 20:00 measurement was due.
    assert (p2.expected, p2.delivered) == (23, 23)
    # P3 discharged at 12:00 on the 10th: nine 09:00 measurements due, one missed.
    assert (p3.expected, p3.delivered) == (9, 8)
    assert p1.recent == pytest.approx(11 / 21) and p1.earlier == 1.0 and p1.falling
    assert not p2.falling and not p3.falling
    assert [p.patient_id for p in ad.falling] == ["P1"]
    assert {row.key: (row.expected, row.delivered) for row in ad.by_programme} == {
        "heart-failure": (42, 32),
        "copd": (23, 23),
        "hypertension": (9, 8),
    }
    assert {row.key: row.share for row in ad.by_department} == {
        "D1": pytest.approx(55 / 65),
        "D2": pytest.approx(8 / 9),
    }
    assert ad.share == pytest.approx(63 / 74)
    week1, week2 = ad.per_week
    assert week1[1]["heart-failure"] == 1.0 and week2[1]["heart-failure"] == pytest.approx(11 / 21)


def test_benefits_are_an_estimate_from_the_baseline() -> None:
    b = review().benefits
    d1 = next(row for row in b.departments if row.department_id == "D1")
    weeks = (14 + 11 + 14 / 24) / 7
    assert d1.patient_weeks == pytest.approx(weeks)
    assert d1.visits_avoided == pytest.approx(2 * weeks)
    assert d1.hours_saved == pytest.approx(2 * weeks * 30 / 60)
    assert (d1.video_consultations, d1.messages_in, d1.messages_read, d1.messages_out) == (
        1,
        3,
        2,
        2,
    )
    assert (d1.alerts_without_visit, d1.alerts_resolved) == (3, 4)
    d2 = next(row for row in b.departments if row.department_id == "D2")
    assert d2.baseline is None and d2.visits_avoided is None  # no baseline entered
    assert b.total.visits_avoided == pytest.approx(2 * weeks)


def test_per_nurse_counts_and_times_listed_by_name() -> None:
    r = review()
    assert r.per_nurse is not None
    assert [n.name for n in r.per_nurse] == ["Anne Lie", "Bjørn Dahl", "Nina Ås"]
    nina = r.per_nurse[2]
    assert (nina.caseload, nina.alerts_resolved, nina.messages_sent, nina.video_consultations) == (
        2,
        4,
        2,
        1,
    )
    assert nina.claim_median == 22.5 * MIN and nina.resolve_median == 52.5 * MIN
    hidden = compute_review(history(), ReviewQuery(START, END), per_nurse=False)
    assert hidden.per_nurse is None


def test_department_filter_and_range_in_progress() -> None:
    r = review(departments=frozenset({"D2"}))
    assert r.alerts.total == 3 and dict(r.times.by_priority)["high"].claim_median == 40 * MIN
    assert [p.patient_id for p in r.adherence.patients] == ["P3"]
    assert r.caseload.active == 0 and r.caseload.nurses == 1
    # The range reaches beyond now: figures stop at now (A7 is then not yet raised).
    now = datetime(2026, 11, 13, 14, tzinfo=OSLO)
    early = compute_review(history(), ReviewQuery(START, END, now=now))
    assert early.alerts.total == 8
    assert early.adherence.expected < review().adherence.expected


def test_chunks_cover_the_range_once() -> None:
    start = datetime(2026, 11, 1, tzinfo=UTC)
    parts = chunks(start, start + timedelta(days=16), days=7)
    assert [b - a for a, b in parts] == [timedelta(days=7)] * 2 + [timedelta(days=2)]
    assert parts[0][0] == start and parts[-1][1] == start + timedelta(days=16)
