"""The department lead's review: facts taken from the record, and the figures made from them.

Pure code (no Qt, no I/O). Facts come either from standard FHIR searches or from the reference
backend's `$review-stats` operation (both mapped in `console/fhir/review.py`); the figures are
computed here, once, for both, so the two paths cannot disagree about a median.

Definitions (shown to the lead in the report as well):

- Times are counted in the centre's opening hours (`OpenTime`). *Time to claim* runs from
  `authoredOn` to the first claim (an alert resolved without a claim counts as claimed when it
  was resolved); *time to resolve* from `authoredOn` to completion. Alerts closed automatically
  (cancelled with nobody holding them) have neither.
- Median: the middle value (the mean of the two middle ones for an even count). p90: the
  nearest-rank 90th percentile, the ⌈0.9·n⌉-th smallest value.
- Adherence: for each patient and measurement, the scheduled slots (`timeOfDay` of the
  ServiceRequest, every `period` days) inside the range and the patient's enrolment; a day's
  measurements count up to that day's slots, and a patient's delivered count up to what was
  scheduled. Shares are Σ delivered / Σ scheduled.
- An alert *waited for opening* when the centre opened while it was still unclaimed.
- Benefits are an *estimate*: patient-weeks followed × the department's baseline visits per
  patient per week before DHO (entered by the lead), × minutes per visit. Home visits still
  made are not recorded here and are not subtracted.
"""

from __future__ import annotations

import math
import statistics
from bisect import bisect_left
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta
from itertools import accumulate
from typing import Any

from console.domain.alerts import Outcome, Priority
from console.domain.collation import norwegian_key
from console.domain.service_hours import OpeningHours, OpenTime

DAY = 86400.0
#: Rule code of adherence items (missing measurements): apart from clinical alerts.
ADHERENCE_RULE = "missing-measurement"
#: Outcomes where the centre handled the alert itself, without sending the patient elsewhere.
WITHOUT_VISIT = frozenset(
    {Outcome.CONTACTED_PATIENT.value, Outcome.MEASUREMENT_ERROR.value, Outcome.NO_ACTION.value}
)
OPEN_STATUSES = frozenset({"requested", "received", "accepted", "ready", "in-progress", "on-hold"})
#: EpisodeOfCare statuses that mean the patient is (or was) followed.
FOLLOWED_STATUSES = frozenset({"active", "onhold", "finished"})

DEFAULT_PLANNING_FIGURE = 80
DEFAULT_CLAIM_TARGET_MINUTES = 30.0


# ----- facts ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class AlertFact:
    """One alert Task as the review needs it. Instants are epoch seconds (UTC)."""

    id: str
    patient_id: str
    department_id: str | None
    priority: Priority
    rule: str
    authored: float
    status: str
    claimed: float | None = None
    resolved: float | None = None
    outcome: str | None = None
    #: Who holds (or resolved) it: `Task.owner` (None when the source withholds it).
    owner_id: str | None = None
    escalated: float | None = None
    #: Leads it was escalated to (`restriction.recipient` Practitioners).
    escalated_to: tuple[str, ...] = ()
    #: Marked an adherence item by the server (`alert-class` extension `adherence`).
    adherence: bool = False

    @property
    def is_adherence(self) -> bool:
        return self.adherence or self.rule == ADHERENCE_RULE

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def handled(self) -> bool:
        """Claimed or resolved by a person (not closed automatically)."""
        if self.status == "cancelled":
            return self.claimed is not None or self.owner_id is not None
        return self.claimed is not None or self.status == "completed"


@dataclass(frozen=True, slots=True)
class EpisodeFact:
    id: str
    patient_id: str
    department_id: str | None
    programme: str
    programme_display: str
    status: str
    start: float | None
    end: float | None = None
    care_manager_id: str | None = None
    care_manager_name: str = ""

    def followed_between(self, a: float, b: float) -> float:
        """Seconds of [a, b) during which the patient was followed in this episode."""
        if self.status not in FOLLOWED_STATUSES or self.start is None:
            return 0.0
        end = self.end if self.end is not None else b
        return max(0.0, min(b, end) - max(a, self.start))

    def active_at(self, t: float) -> bool:
        if self.status not in FOLLOWED_STATUSES or self.start is None:
            return False
        return self.start <= t and (self.end is None or self.end > t)


@dataclass(frozen=True, slots=True)
class ScheduleFact:
    """One measurement of a patient's plan (ServiceRequest.occurrenceTiming)."""

    patient_id: str
    kind: str
    #: Local wall-clock times of the measurements on a measuring day.
    times: tuple[time, ...]
    #: Measured every `period_days` days (1 daily, 7 weekly).
    period_days: int = 1
    start: float | None = None
    end: float | None = None

    @property
    def per_day(self) -> int:
        return max(1, len(self.times))


@dataclass(frozen=True, slots=True)
class MessageFact:
    patient_id: str
    sent: float
    #: "in" from the patient or a relative, "out" from the service, "colleague" between services.
    direction: str
    sender_id: str | None = None
    read: bool = False


@dataclass(frozen=True, slots=True)
class VisitFact:
    """A video consultation (Encounter class VR)."""

    patient_id: str
    start: float
    status: str
    practitioner_id: str | None = None
    minutes: float | None = None

    @property
    def held(self) -> bool:
        return self.status in ("finished", "in-progress")


#: (patient id, measurement kind) → {local day ordinal: number of measurements}.
Counts = dict[tuple[str, str], dict[int, int]]


@dataclass(slots=True)
class ReviewFacts:
    alerts: list[AlertFact] = field(default_factory=list)
    episodes: list[EpisodeFact] = field(default_factory=list)
    schedules: list[ScheduleFact] = field(default_factory=list)
    measurements: Counts = field(default_factory=dict)
    messages: list[MessageFact] = field(default_factory=list)
    visits: list[VisitFact] = field(default_factory=list)
    patients: dict[str, str] = field(default_factory=dict)
    practitioners: dict[str, str] = field(default_factory=dict)
    #: (practitioner id, role code, organization id)
    roles: list[tuple[str, str, str]] = field(default_factory=list)
    organizations: dict[str, str] = field(default_factory=dict)
    #: Whether the source said who did what (the server withholds it from non-leads).
    per_nurse: bool = True

    def add(self, other: ReviewFacts) -> None:
        """Fold in a later chunk (chunks cover disjoint times; alerts are kept by id)."""
        seen = {a.id for a in self.alerts}
        self.alerts.extend(a for a in other.alerts if a.id not in seen)
        for key, days in other.measurements.items():
            mine = self.measurements.setdefault(key, {})
            for day, n in days.items():
                mine[day] = mine.get(day, 0) + n
        self.messages.extend(other.messages)
        self.visits.extend(other.visits)
        if other.episodes:
            self.episodes = other.episodes
        if other.schedules:
            self.schedules = other.schedules
        self.patients.update(other.patients)
        self.practitioners.update(other.practitioners)
        if other.roles:
            self.roles = other.roles
        self.organizations.update(other.organizations)
        self.per_nurse = self.per_nurse and other.per_nurse

    def normalised(self) -> ReviewFacts:
        """The same facts in a canonical order (to compare two sources)."""
        return ReviewFacts(
            alerts=sorted(self.alerts, key=lambda a: a.id),
            episodes=sorted(self.episodes, key=lambda e: e.id),
            schedules=sorted(self.schedules, key=lambda s: (s.patient_id, s.kind, s.start or 0)),
            measurements={k: dict(sorted(v.items())) for k, v in sorted(self.measurements.items())},
            messages=sorted(self.messages, key=lambda m: (m.patient_id, m.sent, m.direction)),
            visits=sorted(self.visits, key=lambda v: (v.patient_id, v.start)),
            patients=dict(sorted(self.patients.items())),
            practitioners=dict(sorted(self.practitioners.items())),
            roles=sorted(self.roles),
            organizations=dict(sorted(self.organizations.items())),
            per_nurse=self.per_nurse,
        )


# ----- the question asked --------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Baseline:
    """What a department measured before DHO (nullpunktsmåling), entered by the lead."""

    visits_per_week: float
    minutes_per_visit: float


@dataclass(frozen=True, slots=True)
class ReviewSettings:
    planning_figure: int = DEFAULT_PLANNING_FIGURE
    claim_target_minutes: float = DEFAULT_CLAIM_TARGET_MINUTES
    baselines: Mapping[str, Baseline] = field(default_factory=dict)
    #: A patient's adherence is falling when the last `falling_days` are this much lower.
    falling_drop: float = 0.2
    falling_days: int = 7


@dataclass(frozen=True, slots=True)
class ReviewQuery:
    start: datetime
    end: datetime
    #: Departments to include; None = every department in the facts.
    departments: frozenset[str] | None = None
    #: Figures stop here when the range reaches into the future (the server's clock).
    now: datetime | None = None

    @property
    def until(self) -> datetime:
        return min(self.end, self.now) if self.now is not None else self.end


def week_start(day: date) -> date:
    return day - timedelta(days=day.weekday())


def chunks(start: datetime, end: datetime, days: int = 7) -> list[tuple[datetime, datetime]]:
    """[start, end) cut into pieces of `days` days (the last may be shorter): what one request
    fetches, so decoding and progress go piece by piece."""
    out = []
    a = start
    while a < end:
        b = min(end, a + timedelta(days=days))
        out.append((a, b))
        a = b
    return out


# ----- statistics ----------------------------------------------------------------------------


def median(values: Sequence[float]) -> float | None:
    return statistics.median(values) if values else None


def p90(values: Sequence[float]) -> float | None:
    """Nearest-rank 90th percentile: the ⌈0.9·n⌉-th smallest value."""
    if not values:
        return None
    ordered = sorted(values)
    return ordered[max(0, math.ceil(0.9 * len(ordered)) - 1)]


def share(part: float, whole: float) -> float | None:
    return part / whole if whole else None


# ----- figures -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class TimeStats:
    """Response times of one group, in open seconds."""

    alerts: int
    claimed: int
    claim_median: float | None
    claim_p90: float | None
    resolved: int
    resolve_median: float | None
    resolve_p90: float | None
    #: Still waiting for a claim at the end of the range.
    waiting: int = 0


@dataclass(frozen=True, slots=True)
class DepartmentCaseload:
    department_id: str
    name: str
    active: int
    enrolled: int
    discharged: int
    nurses: int
    patients_per_nurse: float | None
    followup_median_days: float | None


@dataclass(frozen=True, slots=True)
class ProgrammeCaseload:
    programme: str
    name: str
    active: int
    enrolled: int
    discharged: int


@dataclass(frozen=True, slots=True)
class WeekCaseload:
    week: date
    active: int
    enrolled: int
    discharged: int


@dataclass(frozen=True, slots=True)
class Caseload:
    departments: list[DepartmentCaseload]
    programmes: list[ProgrammeCaseload]
    weeks: list[WeekCaseload]
    active: int
    enrolled: int
    discharged: int
    #: Nurses with a role at the departments or at the centre (people, not full-time posts).
    nurses: int
    patients_per_nurse: float | None
    planning_figure: int
    nurses_needed: int
    followup_median_days: float | None


@dataclass(frozen=True, slots=True)
class CountRow:
    key: str
    name: str
    count: int
    per_patient_day: float | None = None


@dataclass(frozen=True, slots=True)
class PeriodCounts:
    """Alerts raised in one day or week, by priority (adherence items apart)."""

    start: date
    high: int
    medium: int
    low: int
    adherence: int

    @property
    def clinical(self) -> int:
        return self.high + self.medium + self.low


@dataclass(frozen=True, slots=True)
class AlertFigures:
    total: int
    clinical: int
    adherence: int
    by_priority: dict[Priority, int]
    per_day: list[PeriodCounts]
    per_week: list[PeriodCounts]
    by_rule: list[CountRow]
    by_department: list[CountRow]
    patient_days: float
    per_patient_day: float | None
    outcomes: list[CountRow]
    resolved_with_outcome: int
    measurement_error_share: float | None
    closed_automatically: int
    escalated: int
    escalated_by_department: list[CountRow]
    waited_for_opening: int
    waited_for_opening_still_open: int
    open_at_end: int


@dataclass(frozen=True, slots=True)
class ResponseTimes:
    by_priority: list[tuple[str, TimeStats]]  # "high", "medium", "low", "adherence"
    by_department: list[tuple[str, str, TimeStats]]  # id, name, stats (clinical alerts)
    by_weekday: list[tuple[int, TimeStats]]  # 0 = Monday
    by_hour: list[tuple[int, TimeStats]]
    per_week: list[tuple[date, TimeStats]]  # clinical alerts raised that week
    target_minutes: float
    target_met: int
    target_total: int

    @property
    def target_share(self) -> float | None:
        return share(self.target_met, self.target_total)


@dataclass(frozen=True, slots=True)
class AdherenceRow:
    key: str
    name: str
    expected: float
    delivered: float

    @property
    def share(self) -> float | None:
        return share(self.delivered, self.expected)


@dataclass(frozen=True, slots=True)
class PatientAdherence:
    patient_id: str
    name: str
    department_id: str | None
    programme: str
    expected: float
    delivered: float
    recent: float | None
    earlier: float | None
    falling: bool

    @property
    def share(self) -> float | None:
        return share(self.delivered, self.expected)


@dataclass(frozen=True, slots=True)
class Adherence:
    by_programme: list[AdherenceRow]
    by_department: list[AdherenceRow]
    patients: list[PatientAdherence]
    falling: list[PatientAdherence]
    #: week → programme → share
    per_week: list[tuple[date, dict[str, float | None]]]
    expected: float
    delivered: float
    recent_days: int

    @property
    def share(self) -> float | None:
        return share(self.delivered, self.expected)


@dataclass(frozen=True, slots=True)
class BenefitRow:
    department_id: str
    name: str
    patients: int
    patient_weeks: float
    video_consultations: int
    messages_in: int
    messages_read: int
    messages_out: int
    alerts_without_visit: int
    alerts_resolved: int
    baseline: Baseline | None
    visits_avoided: float | None
    hours_saved: float | None


@dataclass(frozen=True, slots=True)
class Benefits:
    departments: list[BenefitRow]
    total: BenefitRow


@dataclass(frozen=True, slots=True)
class NurseFigures:
    """Counts and times of one nurse's work; listed by name, never ranked."""

    practitioner_id: str
    name: str
    caseload: int
    alerts_resolved: int
    claim_median: float | None
    resolve_median: float | None
    messages_sent: int
    video_consultations: int


@dataclass(frozen=True, slots=True)
class Review:
    query: ReviewQuery
    settings: ReviewSettings
    hours: OpeningHours
    caseload: Caseload
    alerts: AlertFigures
    times: ResponseTimes
    adherence: Adherence
    benefits: Benefits
    #: None unless the user may see per-nurse figures and the source gave them.
    per_nurse: list[NurseFigures] | None


# ----- computing them ------------------------------------------------------------------------


def _local_day(t: float, hours: OpeningHours) -> date:
    return datetime.fromtimestamp(t, hours.tz).date()


def _days(a: date, b: date) -> Iterator[date]:
    """Local dates from a up to and including b."""
    day = a
    while day <= b:
        yield day
        day += timedelta(days=1)


@dataclass(slots=True)
class _Context:
    facts: ReviewFacts
    query: ReviewQuery
    settings: ReviewSettings
    hours: OpeningHours
    clock: OpenTime
    a: float
    b: float  # end of the range, or now if earlier
    #: patient → (department, programme, care manager) of their latest followed episode.
    patient_home: dict[str, EpisodeFact]
    episodes: list[EpisodeFact]
    #: alert id → open seconds to the claim / to the end (each alert is in several groups).
    claims: dict[str, float | None] = field(default_factory=dict)
    resolves: dict[str, float | None] = field(default_factory=dict)

    def department_of(self, patient_id: str, routed: str | None = None) -> str | None:
        if routed:
            return routed
        home = self.patient_home.get(patient_id)
        return home.department_id if home else None

    def wanted(self, department_id: str | None) -> bool:
        deps = self.query.departments
        return deps is None or (department_id is not None and department_id in deps)

    def org_name(self, org_id: str | None) -> str:
        if not org_id:
            return ""
        return self.facts.organizations.get(org_id, org_id)


def compute_review(
    facts: ReviewFacts,
    query: ReviewQuery,
    *,
    hours: OpeningHours | None = None,
    settings: ReviewSettings | None = None,
    per_nurse: bool = True,
) -> Review:
    """Every figure of the review, for the range and departments of `query`."""
    hours = hours or OpeningHours.default()
    settings = settings or ReviewSettings()
    a = query.start.timestamp()
    b = query.until.timestamp()
    latest = max(
        [b, *(x.resolved or 0.0 for x in facts.alerts), *(x.claimed or 0.0 for x in facts.alerts)]
    )
    clock = OpenTime(hours, a - 7 * DAY, latest + DAY)
    episodes = [e for e in facts.episodes if e.status in FOLLOWED_STATUSES]
    home: dict[str, EpisodeFact] = {}
    for episode in sorted(episodes, key=lambda e: e.start or 0.0):
        if episode.followed_between(a, b) > 0 or episode.patient_id not in home:
            home[episode.patient_id] = episode
    ctx = _Context(facts, query, settings, hours, clock, a, b, home, episodes)
    alerts = [
        x
        for x in facts.alerts
        if a <= x.authored < b and ctx.wanted(ctx.department_of(x.patient_id, x.department_id))
    ]
    return Review(
        query=query,
        settings=settings,
        hours=hours,
        caseload=_caseload(ctx),
        alerts=_alert_figures(ctx, alerts),
        times=_response_times(ctx, alerts),
        adherence=_adherence(ctx),
        benefits=_benefits(ctx, alerts),
        per_nurse=_per_nurse(ctx, alerts) if per_nurse and facts.per_nurse else None,
    )


def _claim_time(ctx: _Context, alert: AlertFact) -> float | None:
    """Open seconds to the first claim (a resolve without claim counts as the claim)."""
    key = alert.id
    if key in ctx.claims:
        return ctx.claims[key]
    claimed = _claim_instant(alert)
    value = (
        None if claimed is None else ctx.clock.seconds(alert.authored, max(alert.authored, claimed))
    )
    ctx.claims[key] = value
    return value


def _resolve_time(ctx: _Context, alert: AlertFact) -> float | None:
    key = alert.id
    if key in ctx.resolves:
        return ctx.resolves[key]
    value = None
    if alert.status == "completed" and alert.resolved is not None:
        value = ctx.clock.seconds(alert.authored, max(alert.authored, alert.resolved))
    ctx.resolves[key] = value
    return value


def _claim_instant(alert: AlertFact) -> float | None:
    if alert.claimed is not None:
        return alert.claimed
    return alert.resolved if alert.status == "completed" else None


def _waiting_at_end(ctx: _Context, alert: AlertFact) -> bool:
    """Unclaimed when the range ended (or now), and not closed by then."""
    claimed = _claim_instant(alert)
    if claimed is not None and claimed <= ctx.b:
        return False
    return not (alert.status == "cancelled" and (alert.resolved or 0.0) <= ctx.b)


#: Per alert: (open seconds to the claim, to the end, still waiting unclaimed).
_Timed = tuple[float | None, float | None, bool]


def _timed(ctx: _Context, x: AlertFact) -> _Timed:
    claim = _claim_time(ctx, x)
    waiting = claim is None and x.status != "cancelled" and x.is_open
    return claim, _resolve_time(ctx, x), waiting


def _stats(ctx: _Context, alerts: Iterable[AlertFact]) -> TimeStats:
    return _stats_of([_timed(ctx, x) for x in alerts])


def _stats_of(items: Sequence[_Timed]) -> TimeStats:
    claims = [c for c, _r, _w in items if c is not None]
    resolves = [r for _c, r, _w in items if r is not None]
    return TimeStats(
        alerts=len(items),
        claimed=len(claims),
        claim_median=median(claims),
        claim_p90=p90(claims),
        resolved=len(resolves),
        resolve_median=median(resolves),
        resolve_p90=p90(resolves),
        waiting=sum(1 for _c, _r, w in items if w),
    )


def _patient_days(ctx: _Context, department: str | None = None) -> float:
    total = 0.0
    for episode in ctx.episodes:
        if not ctx.wanted(episode.department_id):
            continue
        if department is not None and episode.department_id != department:
            continue
        total += episode.followed_between(ctx.a, ctx.b)
    return total / DAY


def _weeks(ctx: _Context) -> list[date]:
    first = week_start(_local_day(ctx.a, ctx.hours))
    last = _local_day(max(ctx.a, ctx.b - 1), ctx.hours)
    out = []
    week = first
    while week <= last:
        out.append(week)
        week += timedelta(days=7)
    return out


def _caseload(ctx: _Context) -> Caseload:
    episodes = [e for e in ctx.episodes if ctx.wanted(e.department_id)]
    end = ctx.b - 1e-6

    def active(es: Iterable[EpisodeFact], t: float) -> set[str]:
        return {e.patient_id for e in es if e.active_at(t)}

    def enrolled(es: Iterable[EpisodeFact], lo: float, hi: float) -> int:
        return sum(1 for e in es if e.start is not None and lo <= e.start < hi)

    def discharged(es: Iterable[EpisodeFact], lo: float, hi: float) -> int:
        return sum(1 for e in es if e.end is not None and lo <= e.end < hi)

    def followup_days(es: Iterable[EpisodeFact]) -> float | None:
        spans = []
        for e in es:
            if e.start is None or e.start > end:
                continue
            if e.end is not None and e.end <= end:
                spans.append((e.end - e.start) / DAY)
            elif e.end is None or e.end > end:
                spans.append((end - e.start) / DAY)
        return median(spans)

    nurses_at: Counter[str] = Counter()
    for _pid, role, org in set(ctx.facts.roles):
        if role == "nurse":
            nurses_at[org] += 1
    by_department: dict[str, list[EpisodeFact]] = defaultdict(list)
    by_programme: dict[str, list[EpisodeFact]] = defaultdict(list)
    names: dict[str, str] = {}
    for e in episodes:
        if e.department_id:
            by_department[e.department_id].append(e)
        by_programme[e.programme].append(e)
        names.setdefault(e.programme, e.programme_display or e.programme)
    departments = []
    for dep, es in sorted(by_department.items(), key=lambda kv: norwegian_key(ctx.org_name(kv[0]))):
        n_active = len(active(es, end))
        nurses = nurses_at.get(dep, 0)
        departments.append(
            DepartmentCaseload(
                department_id=dep,
                name=ctx.org_name(dep),
                active=n_active,
                enrolled=enrolled(es, ctx.a, ctx.b),
                discharged=discharged(es, ctx.a, ctx.b),
                nurses=nurses,
                patients_per_nurse=n_active / nurses if nurses else None,
                followup_median_days=followup_days(es),
            )
        )
    programmes = [
        ProgrammeCaseload(
            programme=code,
            name=names.get(code, code),
            active=len(active(es, end)),
            enrolled=enrolled(es, ctx.a, ctx.b),
            discharged=discharged(es, ctx.a, ctx.b),
        )
        for code, es in sorted(
            by_programme.items(), key=lambda kv: norwegian_key(names.get(kv[0], kv[0]))
        )
    ]
    weeks = []
    for week in _weeks(ctx):
        lo = max(ctx.a, datetime.combine(week, time(0), tzinfo=ctx.hours.tz).timestamp())
        hi_dt = datetime.combine(week + timedelta(days=7), time(0), tzinfo=ctx.hours.tz)
        hi = min(ctx.b, hi_dt.timestamp())
        weeks.append(
            WeekCaseload(
                week=week,
                active=len(active(episodes, hi - 1e-6)),
                enrolled=enrolled(episodes, lo, hi),
                discharged=discharged(episodes, lo, hi),
            )
        )
    total_active = len(active(episodes, end))
    # Nurses at the departments shown, plus those of the centre (orgs without episodes of
    # their own) who serve them all.
    shown = set(by_department) if ctx.query.departments is None else set(ctx.query.departments)
    centre_nurses = sum(n for org, n in nurses_at.items() if org not in by_department)
    nurses = sum(nurses_at.get(d, 0) for d in shown) + (
        centre_nurses if ctx.query.departments is None else 0
    )
    planning = ctx.settings.planning_figure
    return Caseload(
        departments=departments,
        programmes=programmes,
        weeks=weeks,
        active=total_active,
        enrolled=enrolled(episodes, ctx.a, ctx.b),
        discharged=discharged(episodes, ctx.a, ctx.b),
        nurses=nurses,
        patients_per_nurse=total_active / nurses if nurses else None,
        planning_figure=planning,
        nurses_needed=math.ceil(total_active / planning) if planning > 0 else 0,
        followup_median_days=followup_days(episodes),
    )


def _priority_key(alert: AlertFact) -> str:
    if alert.is_adherence:
        return "adherence"
    return {Priority.HIGH: "high", Priority.MEDIUM: "medium", Priority.LOW: "low"}[alert.priority]


def _period_counts(start: date, alerts: Iterable[AlertFact]) -> PeriodCounts:
    keys = Counter(_priority_key(x) for x in alerts)
    return PeriodCounts(start, keys["high"], keys["medium"], keys["low"], keys["adherence"])


def _alert_figures(ctx: _Context, alerts: list[AlertFact]) -> AlertFigures:
    clinical = [x for x in alerts if not x.is_adherence]
    by_day: dict[date, list[AlertFact]] = defaultdict(list)
    for x in alerts:
        by_day[_local_day(x.authored, ctx.hours)].append(x)
    first = _local_day(ctx.a, ctx.hours)
    last = _local_day(max(ctx.a, ctx.b - 1), ctx.hours)
    per_day = [_period_counts(d, by_day.get(d, ())) for d in _days(first, last)]
    by_week: dict[date, list[AlertFact]] = defaultdict(list)
    for day, items in by_day.items():
        by_week[week_start(day)].extend(items)
    per_week = [_period_counts(w, by_week.get(w, ())) for w in _weeks(ctx)]
    rules = Counter(x.rule for x in alerts)
    departments = Counter(ctx.department_of(x.patient_id, x.department_id) or "" for x in alerts)
    patient_days = _patient_days(ctx)
    by_department = [
        CountRow(
            dep,
            ctx.org_name(dep),
            n,
            per_patient_day=share(n, _patient_days(ctx, dep)) if dep else None,
        )
        for dep, n in sorted(departments.items(), key=lambda kv: norwegian_key(ctx.org_name(kv[0])))
    ]
    resolved = [x for x in alerts if x.status == "completed" and x.outcome]
    outcomes = Counter(x.outcome for x in resolved)
    escalated = [x for x in alerts if x.escalated is not None]
    escalated_deps = Counter(
        ctx.department_of(x.patient_id, x.department_id) or "" for x in escalated
    )
    waited = []
    for x in alerts:
        if x.status == "cancelled" and not x.handled:
            continue
        claimed = _claim_instant(x)
        if ctx.clock.opening_between(x.authored, claimed if claimed is not None else ctx.b):
            waited.append(x)
    return AlertFigures(
        total=len(alerts),
        clinical=len(clinical),
        adherence=len(alerts) - len(clinical),
        by_priority={p: sum(1 for x in clinical if x.priority is p) for p in Priority},
        per_day=per_day,
        per_week=per_week,
        by_rule=[CountRow(r, r, n) for r, n in sorted(rules.items(), key=lambda kv: -kv[1])],
        by_department=by_department,
        patient_days=patient_days,
        per_patient_day=share(len(clinical), patient_days),
        outcomes=[
            CountRow(o or "", o or "", n)
            for o, n in sorted(outcomes.items(), key=lambda kv: (-kv[1], kv[0] or ""))
        ],
        resolved_with_outcome=len(resolved),
        measurement_error_share=share(
            outcomes.get(Outcome.MEASUREMENT_ERROR.value, 0), len(resolved)
        ),
        closed_automatically=sum(
            1 for x in alerts if x.status == "cancelled" and x.claimed is None and not x.owner_id
        ),
        escalated=len(escalated),
        escalated_by_department=[
            CountRow(dep, ctx.org_name(dep), n)
            for dep, n in sorted(
                escalated_deps.items(), key=lambda kv: norwegian_key(ctx.org_name(kv[0]))
            )
        ],
        waited_for_opening=len(waited),
        waited_for_opening_still_open=sum(1 for x in waited if _waiting_at_end(ctx, x)),
        open_at_end=sum(
            1 for x in alerts if x.is_open or (x.resolved is not None and x.resolved > ctx.b)
        ),
    )


def _response_times(ctx: _Context, alerts: list[AlertFact]) -> ResponseTimes:
    handled = [x for x in alerts if not (x.status == "cancelled" and not x.handled)]
    # Each alert's times once; the groupings below only sort them into lists.
    timed = [(x, _priority_key(x), _timed(ctx, x)) for x in handled]
    by_key: dict[str, list[_Timed]] = defaultdict(list)
    for _x, key, t in timed:
        by_key[key].append(t)
    by_priority = [
        (key, _stats_of(by_key.get(key, []))) for key in ("high", "medium", "low", "adherence")
    ]
    deps: dict[str, list[_Timed]] = defaultdict(list)
    weekdays: dict[int, list[_Timed]] = defaultdict(list)
    hours: dict[int, list[_Timed]] = defaultdict(list)
    weeks: dict[date, list[_Timed]] = defaultdict(list)
    tz = ctx.hours.tz
    target = ctx.settings.claim_target_minutes * 60.0
    met = total = 0
    for x, key, t in timed:
        if key == "adherence":
            continue
        deps[ctx.department_of(x.patient_id, x.department_id) or ""].append(t)
        local = datetime.fromtimestamp(x.authored, tz)
        weekdays[local.weekday()].append(t)
        hours[local.hour].append(t)
        weeks[week_start(local.date())].append(t)
        if key != "high":
            continue
        waited = t[0]
        if waited is None:
            # Still unclaimed: a miss once it has waited longer than the target.
            if ctx.clock.seconds(x.authored, ctx.b) > target:
                total += 1
            continue
        total += 1
        met += waited <= target
    return ResponseTimes(
        by_priority=by_priority,
        by_department=[
            (dep, ctx.org_name(dep), _stats_of(items))
            for dep, items in sorted(
                deps.items(), key=lambda kv: norwegian_key(ctx.org_name(kv[0]))
            )
        ],
        by_weekday=[(d, _stats_of(weekdays[d])) for d in range(7) if d in weekdays],
        by_hour=[(h, _stats_of(hours[h])) for h in range(24) if h in hours],
        per_week=[(w, _stats_of(weeks.get(w, []))) for w in _weeks(ctx)],
        target_minutes=ctx.settings.claim_target_minutes,
        target_met=met,
        target_total=total,
    )


# ----- adherence -----------------------------------------------------------------------------


class _Slots:
    """Epoch instants of a schedule's times on a local day, memoised: every schedule asks for
    the same week boundaries."""

    def __init__(self, tz: Any) -> None:
        self.tz = tz
        self._memo: dict[tuple[int, tuple[time, ...]], list[float]] = {}
        self._midnights: dict[float, int | None] = {}

    def on(self, ordinal: int, times: tuple[time, ...]) -> list[float]:
        key = (ordinal, times)
        found = self._memo.get(key)
        if found is None:
            day = date.fromordinal(ordinal)
            found = sorted(datetime.combine(day, t, tzinfo=self.tz).timestamp() for t in times)
            self._memo[key] = found
        return found

    def between(self, ordinal: int, times: tuple[time, ...], a: float, b: float) -> int:
        instants = self.on(ordinal, times)
        return bisect_left(instants, b) - bisect_left(instants, a)

    def midnight(self, t: float) -> int | None:
        """The day ordinal when `t` is a local midnight, else None (the same few instants
        are asked about for every schedule)."""
        found = self._midnights.get(t, -1)
        if found == -1:
            day = datetime.fromtimestamp(t, self.tz).date()
            at_midnight = datetime.combine(day, time(0), tzinfo=self.tz).timestamp() == t
            found = day.toordinal() if at_midnight else None
            self._midnights[t] = found
        return found


class _Schedule:
    """One schedule inside the range and the enrolment, ready to sum any sub-window: every day
    but the edge days of a window has all its slots, so only edge days are counted slot by slot;
    the others come from prefix sums of the capped deliveries."""

    def __init__(
        self, ctx: _Context, s: ScheduleFact, counts: Mapping[int, int], slots: _Slots
    ) -> None:
        self.s = s
        self.slots = slots
        self.counts = counts
        self.times = s.times or (time(12, 0),) * s.per_day
        window = _window(ctx, s, ctx.a, ctx.b)
        self.lo, self.hi = window if window is not None else (0.0, 0.0)
        self.empty = window is None
        if self.empty:
            return
        tz = ctx.hours.tz
        self.first = datetime.fromtimestamp(self.lo, tz).date().toordinal()
        self.last = datetime.fromtimestamp(self.hi - 1e-6, tz).date().toordinal()
        self.tz = tz
        per_day = s.per_day
        # Per day of the window: the slots due and the measurements that count (capped).
        n = self.last - self.first + 1
        due = [per_day] * n
        due[0] = slots.between(self.first, self.times, self.lo, self.hi)
        if n > 1:
            due[-1] = slots.between(self.last, self.times, self.lo, self.hi)
        get = counts.get
        first = self.first
        self.due = due
        self.done = [min(get(first + i, 0), due[i]) for i in range(n)] if counts else [0] * n
        self._prefix: list[int] | None = None

    @property
    def prefix(self) -> list[int]:
        """Running sums of the capped deliveries (only inner days are read from it)."""
        if self._prefix is None:
            self._prefix = [0, *accumulate(self.done)]
        return self._prefix

    def _index(self, t: float) -> int | None:
        """Position of instant `t` in the day lists when it falls on a day boundary (or outside
        the window); None when it cuts a day."""
        if t <= self.lo:
            return 0
        if t >= self.hi:
            return len(self.due)
        ordinal = self.slots.midnight(t)
        return None if ordinal is None else ordinal - self.first

    def bucket(self, a: float, b: float) -> tuple[float, float]:
        """(scheduled, delivered) in [a, b), delivered capped as documented."""
        if self.empty:
            return 0.0, 0.0
        i0, i1 = self._index(a), self._index(b)
        if i0 is not None and i1 is not None:  # whole days (weeks, most ranges): slices
            if i1 <= i0:
                return 0.0, 0.0
            scheduled = sum(self.due[i0:i1]) / max(1, self.s.period_days)
            return scheduled, min(float(sum(self.done[i0:i1])), scheduled)
        lo, hi = max(self.lo, a), min(self.hi, b)
        if hi <= lo:
            return 0.0, 0.0
        d0 = datetime.fromtimestamp(lo, self.tz).date().toordinal()
        d1 = datetime.fromtimestamp(hi - 1e-6, self.tz).date().toordinal()
        times, counts = self.times, self.counts
        cap0 = self.slots.between(d0, times, lo, hi)
        expected = cap0
        delivered = min(counts.get(d0, 0), cap0)
        if d1 > d0:
            cap1 = self.slots.between(d1, times, lo, hi)
            middle = d1 - d0 - 1
            expected += cap1 + middle * self.s.per_day
            delivered += min(counts.get(d1, 0), cap1)
            delivered += self.prefix[d1 - self.first] - self.prefix[d0 + 1 - self.first]
        scheduled = expected / max(1, self.s.period_days)
        return scheduled, min(float(delivered), scheduled)


def _window(ctx: _Context, s: ScheduleFact, a: float, b: float) -> tuple[float, float] | None:
    home = ctx.patient_home.get(s.patient_id)
    lo, hi = a, b
    if s.start is not None:
        lo = max(lo, s.start)
    if s.end is not None:
        hi = min(hi, s.end)
    if home is not None:
        if home.start is not None:
            lo = max(lo, home.start)
        if home.end is not None:
            hi = min(hi, home.end)
    return (lo, hi) if hi > lo else None


def _adherence(ctx: _Context) -> Adherence:
    recent_days = ctx.settings.falling_days
    split = max(ctx.a, ctx.b - recent_days * DAY)
    weeks = _weeks(ctx)
    bounds = []
    for week in weeks:
        lo = datetime.combine(week, time(0), tzinfo=ctx.hours.tz).timestamp()
        hi = datetime.combine(week + timedelta(days=7), time(0), tzinfo=ctx.hours.tz).timestamp()
        bounds.append((week, max(ctx.a, lo), min(ctx.b, hi)))
    slots = _Slots(ctx.hours.tz)
    per_patient: dict[str, list[float]] = defaultdict(lambda: [0.0] * 6)
    week_sums: dict[tuple[date, str], list[float]] = defaultdict(lambda: [0.0, 0.0])
    for s in ctx.facts.schedules:
        home = ctx.patient_home.get(s.patient_id)
        if home is None or not ctx.wanted(home.department_id):
            continue
        counts = ctx.facts.measurements.get((s.patient_id, s.kind), {})
        plan = _Schedule(ctx, s, counts, slots)
        exp, dlv = plan.bucket(ctx.a, ctx.b)
        if exp <= 0:
            continue
        r_exp, r_dlv = plan.bucket(split, ctx.b)
        e_exp, e_dlv = plan.bucket(ctx.a, split)
        sums = per_patient[s.patient_id]
        for i, v in enumerate((exp, dlv, r_exp, r_dlv, e_exp, e_dlv)):
            sums[i] += v
        for week, lo, hi in bounds:
            if hi <= lo:
                continue
            w_exp, w_dlv = plan.bucket(lo, hi)
            acc = week_sums[(week, home.programme)]
            acc[0] += w_exp
            acc[1] += w_dlv
    patients = []
    programmes: dict[str, list[float]] = defaultdict(lambda: [0.0, 0.0])
    departments: dict[str, list[float]] = defaultdict(lambda: [0.0, 0.0])
    programme_names: dict[str, str] = {}
    for pid, (exp, dlv, r_exp, r_dlv, e_exp, e_dlv) in per_patient.items():
        home = ctx.patient_home[pid]
        recent = share(r_dlv, r_exp)
        earlier = share(e_dlv, e_exp)
        # Falling: the earlier part spans at least as long as the recent one, and the
        # recent share is at least `falling_drop` lower.
        is_falling = (
            recent is not None
            and earlier is not None
            and split - ctx.a >= recent_days * DAY - 1
            and earlier - recent >= ctx.settings.falling_drop - 1e-9
        )
        patients.append(
            PatientAdherence(
                patient_id=pid,
                name=ctx.facts.patients.get(pid, pid),
                department_id=home.department_id,
                programme=home.programme,
                expected=exp,
                delivered=dlv,
                recent=recent,
                earlier=earlier,
                falling=is_falling,
            )
        )
        programmes[home.programme][0] += exp
        programmes[home.programme][1] += dlv
        programme_names.setdefault(home.programme, home.programme_display or home.programme)
        dep = home.department_id or ""
        departments[dep][0] += exp
        departments[dep][1] += dlv
    patients.sort(key=lambda p: (p.share if p.share is not None else 2.0, norwegian_key(p.name)))
    falling = sorted(
        (p for p in patients if p.falling),
        key=lambda p: ((p.recent or 0) - (p.earlier or 0), p.name),
    )
    total_exp = sum(p.expected for p in patients)
    total_dlv = sum(p.delivered for p in patients)
    codes = sorted(programmes, key=lambda c: norwegian_key(programme_names.get(c, c)))
    per_week = []
    for week, _lo, _hi in bounds:
        row: dict[str, float | None] = {}
        for code in codes:
            exp, dlv = week_sums.get((week, code), [0.0, 0.0])
            row[code] = share(dlv, exp)
        per_week.append((week, row))
    return Adherence(
        by_programme=[
            AdherenceRow(c, programme_names.get(c, c), programmes[c][0], programmes[c][1])
            for c in codes
        ],
        by_department=[
            AdherenceRow(d, ctx.org_name(d), v[0], v[1])
            for d, v in sorted(
                departments.items(), key=lambda kv: norwegian_key(ctx.org_name(kv[0]))
            )
        ],
        patients=patients,
        falling=falling,
        per_week=per_week,
        expected=total_exp,
        delivered=total_dlv,
        recent_days=recent_days,
    )


# ----- benefits and per nurse ----------------------------------------------------------------


def _benefits(ctx: _Context, alerts: list[AlertFact]) -> Benefits:
    deps: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    patients: dict[str, set[str]] = defaultdict(set)
    for e in ctx.episodes:
        if not ctx.wanted(e.department_id):
            continue
        followed = e.followed_between(ctx.a, ctx.b)
        if followed > 0:
            deps[e.department_id or ""]["patient_weeks"] += followed / (7 * DAY)
            patients[e.department_id or ""].add(e.patient_id)
    for visit in ctx.facts.visits:
        home = ctx.department_of(visit.patient_id)
        if visit.held and ctx.a <= visit.start < ctx.b and ctx.wanted(home):
            deps[home or ""]["video"] += 1
    for m in ctx.facts.messages:
        home = ctx.department_of(m.patient_id)
        if not (ctx.a <= m.sent < ctx.b and ctx.wanted(home)):
            continue
        row = deps[home or ""]
        if m.direction == "in":
            row["in"] += 1
            row["read"] += m.read
        elif m.direction == "out":
            row["out"] += 1
    for x in alerts:
        if x.status != "completed":
            continue
        row = deps[ctx.department_of(x.patient_id, x.department_id) or ""]
        row["resolved"] += 1
        row["without_visit"] += (x.outcome or "") in WITHOUT_VISIT

    def make(dep: str, values: Mapping[str, float], n_patients: int) -> BenefitRow:
        baseline = ctx.settings.baselines.get(dep)
        weeks = values.get("patient_weeks", 0.0)
        visits = weeks * baseline.visits_per_week if baseline else None
        return BenefitRow(
            department_id=dep,
            name=ctx.org_name(dep),
            patients=n_patients,
            patient_weeks=weeks,
            video_consultations=int(values.get("video", 0)),
            messages_in=int(values.get("in", 0)),
            messages_read=int(values.get("read", 0)),
            messages_out=int(values.get("out", 0)),
            alerts_without_visit=int(values.get("without_visit", 0)),
            alerts_resolved=int(values.get("resolved", 0)),
            baseline=baseline,
            visits_avoided=visits,
            hours_saved=visits * baseline.minutes_per_visit / 60.0
            if visits is not None and baseline
            else None,
        )

    rows = [
        make(dep, values, len(patients.get(dep, ())))
        for dep, values in sorted(deps.items(), key=lambda kv: norwegian_key(ctx.org_name(kv[0])))
        if dep
    ]
    total_values: dict[str, float] = defaultdict(float)
    for values in deps.values():
        for key, amount in values.items():
            total_values[key] += amount
    total = replace(
        make("", total_values, len(set().union(*patients.values())) if patients else 0),
        baseline=None,
        visits_avoided=_sum_known(r.visits_avoided for r in rows),
        hours_saved=_sum_known(r.hours_saved for r in rows),
    )
    return Benefits(rows, total)


def _sum_known(values: Iterable[float | None]) -> float | None:
    known = [v for v in values if v is not None]
    return sum(known) if known else None


def _per_nurse(ctx: _Context, alerts: list[AlertFact]) -> list[NurseFigures]:
    nurses = {pid for pid, role, _org in ctx.facts.roles if role == "nurse"}
    resolved: dict[str, list[AlertFact]] = defaultdict(list)
    for x in alerts:
        if x.status == "completed" and x.owner_id:
            resolved[x.owner_id].append(x)
    caseload: Counter[str] = Counter()
    end = ctx.b - 1e-6
    for e in ctx.episodes:
        if e.care_manager_id and ctx.wanted(e.department_id) and e.active_at(end):
            caseload[e.care_manager_id] += 1
    messages: Counter[str] = Counter(
        m.sender_id
        for m in ctx.facts.messages
        if m.direction == "out"
        and m.sender_id
        and ctx.a <= m.sent < ctx.b
        and ctx.wanted(ctx.department_of(m.patient_id))
    )
    video: Counter[str] = Counter(
        v.practitioner_id
        for v in ctx.facts.visits
        if v.held
        and v.practitioner_id
        and ctx.a <= v.start < ctx.b
        and ctx.wanted(ctx.department_of(v.patient_id))
    )
    people = nurses | set(resolved) | set(caseload) | set(messages) | set(video)
    names = dict(ctx.facts.practitioners)
    for e in ctx.episodes:
        if e.care_manager_id and e.care_manager_name:
            names.setdefault(e.care_manager_id, e.care_manager_name)
    out = []
    for pid in people:
        mine = resolved.get(pid, [])
        claims = [t for t in (_claim_time(ctx, x) for x in mine) if t is not None]
        resolves = [t for t in (_resolve_time(ctx, x) for x in mine) if t is not None]
        out.append(
            NurseFigures(
                practitioner_id=pid,
                name=names.get(pid, pid),
                caseload=caseload.get(pid, 0),
                alerts_resolved=len(mine),
                claim_median=median(claims),
                resolve_median=median(resolves),
                messages_sent=messages.get(pid, 0),
                video_consultations=video.get(pid, 0),
            )
        )
    # By name, so the list reads as a list of colleagues, not a league table.
    out.sort(key=lambda n: (norwegian_key(n.name), n.practitioner_id))
    return out


__all__ = [
    "ADHERENCE_RULE",
    "Adherence",
    "AlertFact",
    "AlertFigures",
    "Baseline",
    "Benefits",
    "Caseload",
    "EpisodeFact",
    "MessageFact",
    "NurseFigures",
    "Review",
    "ReviewFacts",
    "ReviewQuery",
    "ReviewSettings",
    "ScheduleFact",
    "TimeStats",
    "VisitFact",
    "chunks",
    "compute_review",
    "median",
    "p90",
]
