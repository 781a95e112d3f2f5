"""A small hand-made history whose review figures are worked out by hand (see the test).

Two weeks, Monday 2 to Monday 16 November 2026 (Europe/Oslo, winter time: UTC+1), default
opening hours Monday–Friday 08:00–15:30. Departments D1 and D2 of centre C; nurses N1 (D1),
N2 (D2), N3 (the centre). Patients P1 (D1, heart failure), P2 (D1, COPD, enrolled on the
4th at 10:00), P3 (D2, hypertension, discharged on the 10th at 12:00).
"""

from __future__ import annotations

from datetime import datetime, time
from zoneinfo import ZoneInfo

from console.domain.alerts import Priority
from console.domain.review import (
    AlertFact,
    EpisodeFact,
    MessageFact,
    ReviewFacts,
    ScheduleFact,
    VisitFact,
)

OSLO = ZoneInfo("Europe/Oslo")
START = datetime(2026, 11, 2, tzinfo=OSLO)
END = datetime(2026, 11, 16, tzinfo=OSLO)


def at(day: int, hour: int, minute: int = 0, month: int = 11) -> float:
    return datetime(2026, month, day, hour, minute, tzinfo=OSLO).timestamp()


def day_ordinal(day: int) -> int:
    return datetime(2026, 11, day).date().toordinal()


H, M, L = Priority.HIGH, Priority.MEDIUM, Priority.LOW


def alert(
    aid: str,
    dep: str,
    priority: Priority,
    authored: float,
    *,
    patient: str = "P1",
    claimed: float | None = None,
    resolved: float | None = None,
    outcome: str | None = None,
    owner: str | None = None,
    status: str = "completed",
    rule: str = "threshold-spo2",
    escalated: float | None = None,
) -> AlertFact:
    return AlertFact(
        id=aid,
        patient_id=patient,
        department_id=dep,
        priority=priority,
        rule=rule,
        authored=authored,
        status=status,
        claimed=claimed,
        resolved=resolved,
        outcome=outcome,
        owner_id=owner,
        escalated=escalated,
    )


ALERTS = [
    alert("A1", "D1", H, at(2, 9), claimed=at(2, 9, 10), resolved=at(2, 9, 40),
          outcome="contacted-patient", owner="N1"),
    # Raised ten minutes before closing, claimed the next morning.
    alert("A2", "D1", H, at(2, 15, 20), claimed=at(3, 8, 5), resolved=at(3, 8, 35),
          outcome="advised-gp", owner="N1"),
    # Raised on a Saturday.
    alert("A3", "D1", H, at(7, 10), claimed=at(9, 8, 30), resolved=at(9, 9),
          outcome="measurement-error", owner="N1"),
    alert("A4", "D2", H, at(3, 10), patient="P3", claimed=at(3, 11), resolved=at(3, 11, 30),
          outcome="referred-legevakt", owner="N2", escalated=at(3, 10, 5)),
    # Resolved straight from the queue, never claimed.
    alert("A5", "D1", M, at(4, 13), resolved=at(4, 14), outcome="no-action-needed", owner="N1"),
    alert("A6", "D2", L, at(5, 12), patient="P3", claimed=at(5, 12, 20), resolved=at(5, 13),
          outcome="measurement-error", owner="N2"),
    # Still waiting at the end of the range.
    alert("A7", "D1", M, at(13, 15), patient="P2", status="requested"),
    # An adherence item that closed itself when the measurement came.
    alert("A8", "D1", L, at(10, 8), patient="P2", status="cancelled", resolved=at(10, 10),
          rule="missing-measurement"),
    alert("A9", "D2", H, at(12, 9), patient="P3", claimed=at(12, 9, 20), resolved=at(12, 10),
          outcome="contacted-patient", owner="N2"),
    # Before the range.
    alert("A10", "D1", H, at(30, 9, month=10), claimed=at(30, 9, 5, month=10),
          resolved=at(30, 9, 10, month=10), outcome="no-action-needed", owner="N1"),
]  # fmt: skip

EPISODES = [
    EpisodeFact("E1", "P1", "D1", "heart-failure", "Hjertesvikt", "active", at(1, 9, month=6),
                care_manager_id="N1", care_manager_name="Nina Ås"),
    EpisodeFact("E2", "P2", "D1", "copd", "KOLS", "active", at(4, 10),
                care_manager_id="N1", care_manager_name="Nina Ås"),
    EpisodeFact("E3", "P3", "D2", "hypertension", "Hypertensjon", "finished",
                at(1, 9, month=9), at(10, 12), care_manager_id="N2"),
]  # fmt: skip

SCHEDULES = [
    ScheduleFact("P1", "weight", (time(7, 30),), start=at(1, 9, month=6)),
    ScheduleFact("P1", "blood-pressure", (time(8), time(20)), start=at(1, 9, month=6)),
    ScheduleFact("P2", "spo2", (time(8), time(20)), start=at(4, 10)),
    ScheduleFact("P3", "blood-pressure", (time(9),), start=at(1, 9, month=9)),
]


def _counts() -> dict[tuple[str, str], dict[int, int]]:
    weight = {day_ordinal(d): 1 for d in range(2, 13)}  # none on the 13th–15th
    weight[day_ordinal(2)] = 2  # twice on the 2nd: counts once
    bp = {day_ordinal(d): 2 for d in range(2, 9)}
    bp[day_ordinal(3)] = 3  # three on the 3rd: counts twice
    bp.update({day_ordinal(d): 1 for d in range(9, 16)})
    spo2 = {day_ordinal(d): 2 for d in range(4, 16)}  # two on the 4th too; only 20:00 was due
    p3 = {day_ordinal(d): 1 for d in range(2, 11) if d != 6}
    return {
        ("P1", "weight"): weight,
        ("P1", "blood-pressure"): bp,
        ("P2", "spo2"): spo2,
        ("P3", "blood-pressure"): p3,
        ("P9", "pulse"): {day_ordinal(3): 4},  # nobody asked for it
    }


def history() -> ReviewFacts:
    return ReviewFacts(
        alerts=list(ALERTS),
        episodes=list(EPISODES),
        schedules=list(SCHEDULES),
        measurements=_counts(),
        messages=[
            MessageFact("P1", at(3, 10), "in", read=True),
            MessageFact("P1", at(3, 11), "out", sender_id="N1"),
            MessageFact("P1", at(10, 10), "in", read=True),
            MessageFact("P1", at(11, 10), "in"),
            MessageFact("P1", at(11, 12), "out", sender_id="N1"),
            MessageFact("P1", at(20, 10, month=10), "out", sender_id="N1"),  # before the range
        ],
        visits=[
            VisitFact("P2", at(5, 10), "finished", practitioner_id="N1", minutes=12),
            VisitFact("P2", at(6, 10), "cancelled", practitioner_id="N1"),
        ],
        patients={"P1": "Nordmann, Kari", "P2": "Ås, Ola", "P3": "Berg, Per"},
        practitioners={"N1": "Nina Ås", "N2": "Bjørn Dahl", "N3": "Anne Lie"},
        roles=[
            ("N1", "nurse", "D1"),
            ("N2", "nurse", "D2"),
            ("N3", "nurse", "C"),
            ("L1", "lead", "C"),
        ],
        organizations={"D1": "Avdeling 1", "D2": "Avdeling 2", "C": "Senteret"},
    )
