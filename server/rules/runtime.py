"""The alert engine wired to the store: plan cache, write-path hook, missing-measurement clock.

:class:`AlertEngine` is attached to the :class:`~server.api.service.FhirService`; the service
calls it after every committed write. It reacts only to Observation, QuestionnaireResponse and
Communication (plus ServiceRequest, CarePlan and EpisodeOfCare, which invalidate the patient's
cached plan), so its own Task writes never trigger rules. Tasks are written through the same
service (so they notify over the WebSocket like everything else): created conditionally on the
alert-episode identifier (retry-safe) and updated version-aware (If-Match, retried on 412).

The common case, an Observation inside the patient's limits, costs a dict lookup and a few
comparisons: plans are cached in memory, and the store is read only when something breaches
(to find the open Task), for a patient's first measurement, and for the first weight of a
patient with a trend rule (their recent weights are then kept in memory).
"""

from __future__ import annotations

import asyncio
import bisect
import logging
import time
from collections import defaultdict
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any, Final

from sqlalchemy import select

from server.rules.codes import ALERT_EPISODE_SYSTEM, ALERT_RULE_SYSTEM, OPEN_STATUSES
from server.rules.engine import (
    Finding,
    evaluate_communication,
    evaluate_missing,
    evaluate_questionnaire,
    evaluate_thresholds,
    evaluate_trend,
    merge_into_task,
    new_task,
    observation_values,
)
from server.rules.plan import DAY, PatientPlan, build_patient_plan, patient_id_of
from server.sim.programmes import LOINC, MEASUREMENT_BY_LOINC
from server.sim.schedule import parse_instant
from server.store import Store, Stored
from server.store import search as s
from server.store.errors import FhirError
from server.store.fhirtime import format_instant
from server.store.registry import RESOURCE_TYPES
from server.store.schema import latest_observation

if TYPE_CHECKING:
    from server.api.service import FhirService

log = logging.getLogger("dho.rules")

MISSING_INTERVAL: Final = 60.0  # seconds between missing-measurement checks
UPDATE_ATTEMPTS: Final = 4
_PLAN_TYPES: Final = {
    "ServiceRequest": "subject",
    "CarePlan": "subject",
    "EpisodeOfCare": "patient",
}
_EVENT_TYPES: Final = {"Observation", "QuestionnaireResponse", "Communication"}
_WATCHED: Final = _EVENT_TYPES | set(_PLAN_TYPES)


def _now_instant(t: float) -> str:
    return format_instant(int(t * 1_000_000))


class AlertEngine:
    """Evaluates the rules on committed writes and on a clock; writes alert Tasks."""

    def __init__(self, store: Store, *, clock: Any = time.time) -> None:
        self.store = store
        self.clock = clock
        self.service: FhirService | None = None
        self._plans: dict[str, PatientPlan] = {}
        self._generation = 0
        self._invalidated: dict[str, int] = {}
        self._weights: dict[str, list[tuple[float, float, str]]] = {}
        # One decision at a time per patient and rule (no two Tasks for one of them); decisions
        # for different pairs overlap, so one alert's database round trips do not hold up all.
        self._locks: dict[tuple[str, str], tuple[asyncio.Lock, list[int]]] = {}
        self._missing_done: set[tuple[str, str]] = set()
        self._warm = False
        self.stats: dict[str, int] = defaultdict(int)

    def attach(self, service: FhirService) -> None:
        self.service = service
        service.rules = self

    # ----- plan cache ------------------------------------------------------------------------

    def invalidate(self, patient_id: str) -> None:
        self._generation += 1
        self._invalidated[patient_id] = self._generation
        self._plans.pop(patient_id, None)
        self._weights.pop(patient_id, None)

    def _search(self, res_type: str, params: list[tuple[str, str]]) -> list[Stored]:
        # Only the matches are used: _total=none saves the count query.
        plan = s.plan_search(RESOURCE_TYPES[res_type], [*params, ("_total", "none")])
        return self.store.search(plan).matches

    def _load_plan(self, patient_id: str) -> PatientPlan:
        def parsed(res_type: str) -> list[dict[str, Any]]:
            found = self._search(
                res_type, [("patient", patient_id), ("status", "active"), ("_count", "1000")]
            )
            return [st.resource() for st in found]

        return build_patient_plan(
            patient_id, parsed("ServiceRequest"), parsed("EpisodeOfCare"), parsed("CarePlan")
        )

    def _load_all(self) -> dict[str, PatientPlan]:
        grouped: dict[str, dict[str, list[dict[str, Any]]]] = defaultdict(lambda: defaultdict(list))
        for res_type, path in _PLAN_TYPES.items():
            for res in self.store.all_of_type(res_type):
                pid = patient_id_of(res.get(path))
                if pid is not None:
                    grouped[pid][res_type].append(res)
        return {
            pid: build_patient_plan(pid, g["ServiceRequest"], g["EpisodeOfCare"], g["CarePlan"])
            for pid, g in grouped.items()
        }

    async def warm(self) -> None:
        """Load every patient's plan in one go (the missing-measurement clock needs them all)."""
        start = self._generation
        plans = await self._run(self._load_all)
        for pid, plan in plans.items():
            if self._invalidated.get(pid, 0) <= start and pid not in self._plans:
                self._plans[pid] = plan
        self._warm = True

    async def plan_for(self, patient_id: str) -> PatientPlan:
        plan = self._plans.get(patient_id)
        if plan is not None:
            return plan
        start = self._generation
        plan = await self._run(self._load_plan, patient_id)
        self.stats["plan_loads"] += 1
        if self._invalidated.get(patient_id, 0) <= start:
            self._plans[patient_id] = plan
        return plan

    async def _run(self, fn: Any, *args: Any) -> Any:
        if self.service is not None:
            return await self.service.run(fn, *args)
        return fn(*args)

    # ----- the write-path hook ---------------------------------------------------------------

    async def __call__(
        self, stored: Sequence[Stored], items: Sequence[tuple[str, Any]] | None = None
    ) -> None:
        """Called by the service after a commit; `items` are the bodies as written, if known."""
        for i, st in enumerate(stored):
            if st.res_type not in _WATCHED or st.deleted:
                if st.res_type in _PLAN_TYPES:  # a deleted ServiceRequest
                    self._invalidate_from(st, None)
                continue
            body = items[i][1] if items is not None else st.resource()
            try:
                await self._on_write(st, body)
            except Exception:
                # The write itself has committed; a failing rule must not fail it.
                log.exception("alert rules failed on %s", st.reference)

    def _invalidate_from(self, st: Stored, body: Mapping[str, Any] | None) -> None:
        res = body if body is not None else {}
        pid = patient_id_of(res.get(_PLAN_TYPES[st.res_type]))
        if pid is not None:
            self.invalidate(pid)
        else:  # deleted, or no patient: drop everything, it is rare
            self._plans.clear()
            self._weights.clear()
            self._generation += 1
            self._warm = False

    async def _on_write(self, st: Stored, body: Mapping[str, Any]) -> None:
        kind = st.res_type
        if kind in _PLAN_TYPES:
            self._invalidate_from(st, body)
            return
        focus = st.reference
        if kind == "Observation":
            if body.get("status") not in ("final", "amended", "corrected", "preliminary"):
                return
            pid = patient_id_of(body.get("subject"))
            if pid is None:
                return
            plan = await self.plan_for(pid)
            self.stats["observations"] += 1
            if not plan.bands and not plan.trends:
                return
            values = observation_values(body)
            findings = evaluate_thresholds(body, focus, plan, values)
            for var, value in values:
                if var in plan.trends:
                    findings += await self._trend(body, st, plan, var, value)
        elif kind == "QuestionnaireResponse":
            findings = evaluate_questionnaire(body, focus)
        else:
            findings = evaluate_communication(body, focus)
        for finding in findings:
            await self.raise_alert(finding)

    async def _trend(
        self, body: Mapping[str, Any], st: Stored, plan: PatientPlan, var: str, value: float
    ) -> list[Finding]:
        when = body.get("effectiveDateTime")
        if not isinstance(when, str):
            return []
        t = parse_instant(when)
        keep = max(b.window for b in plan.trends[var]) + DAY
        series = self._weights.get(plan.patient_id)
        if series is None:
            series = await self._run(self._load_series, plan.patient_id, var, t - keep)
            self._weights[plan.patient_id] = series
        earlier = [(w, v) for w, v, rid in series if rid != st.res_id]
        findings = evaluate_trend(body, st.reference, plan, var, value, t, earlier)
        if all(rid != st.res_id for _, _, rid in series):
            bisect.insort(series, (t, value, st.res_id))
        newest = series[-1][0]
        while series and series[0][0] < newest - keep:
            series.pop(0)
        return findings

    def _load_series(
        self, patient_id: str, var: str, since: float
    ) -> list[tuple[float, float, str]]:
        codes = [c for c, k in MEASUREMENT_BY_LOINC.items() if k == var]
        found = self._search(
            "Observation",
            [
                ("patient", patient_id),
                ("code", ",".join(f"{LOINC}|{c}" for c in codes)),
                ("date", f"ge{_now_instant(since)}"),
                ("_count", "1000"),
            ],
        )
        out = []
        for st in found:
            res = st.resource()
            value = (res.get("valueQuantity") or {}).get("value")
            when = res.get("effectiveDateTime")
            if isinstance(value, int | float) and isinstance(when, str):
                out.append((parse_instant(when), float(value), st.res_id))
        out.sort()
        return out

    # ----- writing Tasks ---------------------------------------------------------------------

    def _find_open(self, patient_id: str, rule: str) -> Stored | None:
        found = self._search(
            "Task",
            [
                ("patient", patient_id),
                ("code", f"{ALERT_RULE_SYSTEM}|{rule}"),
                ("status", ",".join(OPEN_STATUSES)),
                ("_sort", "-_lastUpdated"),
                ("_count", "1"),
            ],
        )
        return found[0] if found else None

    async def raise_alert(self, finding: Finding) -> Stored | None:
        """Open a Task for the finding, or fold it into the open one; the Task written or None."""
        assert self.service is not None, "attach() the engine to a service first"
        plan = await self.plan_for(finding.patient_id)
        key = (finding.patient_id, finding.rule)
        entry = self._locks.get(key)
        if entry is None:
            entry = self._locks[key] = (asyncio.Lock(), [0])
        lock, users = entry
        users[0] += 1
        try:
            async with lock:
                return await self._decide(finding, plan)
        finally:
            users[0] -= 1
            if not users[0]:
                del self._locks[key]  # nobody holds or waits for it

    async def _decide(self, finding: Finding, plan: PatientPlan) -> Stored | None:
        """Create the Task or merge into the open one; the caller holds the pair's lock."""
        assert self.service is not None
        for _ in range(UPDATE_ATTEMPTS):
            current = await self._run(self._find_open, finding.patient_id, finding.rule)
            now = _now_instant(self.clock())
            if current is None:
                task = new_task(finding, plan.department, now)
                stored, created = await create_task(self.service, task, finding.episode_id)
                self.stats["tasks_created" if created else "tasks_existing"] += 1
                return stored if created else None
            merged = merge_into_task(current.resource(), finding, now)
            if merged is None:
                return None
            try:
                stored = await update_task(self.service, current, merged)
            except FhirError as exc:
                if exc.status == 412:  # a nurse changed it meanwhile: merge into theirs
                    continue
                raise
            self.stats["tasks_updated"] += 1
            return stored
        log.warning("could not update the open %s Task of %s", finding.rule, finding.patient_id)
        return None

    # ----- missing measurements --------------------------------------------------------------

    def _load_last_seen(self) -> dict[tuple[str, str], float]:
        lo = latest_observation.c
        seen: dict[tuple[str, str], float] = {}
        with self.store.engine.connect() as conn:
            rows = conn.execute(
                select(lo.patient_id, lo.code, lo.effective).where(lo.rank == 1, lo.system == LOINC)
            )
            for pid, code, effective in rows:
                key = MEASUREMENT_BY_LOINC.get(code)
                if key is not None:
                    t = effective / 1_000_000
                    if t > seen.get((pid, key), float("-inf")):
                        seen[(pid, key)] = t
        return seen

    async def evaluate_missing(self, now: float | datetime | None = None) -> list[Finding]:
        """Raise (or escalate) missing-measurement alerts as of `now` (default: the clock)."""
        if now is None:
            now = self.clock()
        if isinstance(now, datetime):
            now = now.timestamp()
        if not self._warm:
            await self.warm()
        last_seen = await self._run(self._load_last_seen)
        plans = [p for p in self._plans.values() if p.measurements]
        findings = evaluate_missing(now, plans, last_seen)
        raised = []
        for f in findings:
            key = (f.focus, f.started)
            if key in self._missing_done:
                continue
            await self.raise_alert(f)
            self._missing_done.add(key)
            raised.append(f)
        horizon = _now_instant(now - 7 * DAY)
        self._missing_done = {k for k in self._missing_done if k[1] >= horizon}
        return raised

    async def run_clock(self, interval: float = MISSING_INTERVAL) -> None:
        """The background job: warm the cache, then check missing measurements every minute."""
        await self.warm()
        while True:
            try:
                await self.evaluate_missing()
            except asyncio.CancelledError:
                raise
            except Exception:
                log.exception("missing-measurement check failed")
            await asyncio.sleep(interval)


# ----- the write calls, behind two small functions ------------------------------------------


async def create_task(
    service: FhirService, task: dict[str, Any], episode_id: str
) -> tuple[Stored, bool]:
    """Create the Task unless one with its alert-episode identifier exists (If-None-Exist)."""
    query = [("identifier", f"{ALERT_EPISODE_SYSTEM}|{episode_id}")]
    conditional = getattr(service, "conditional_create", None)
    if conditional is not None:
        stored, created = await conditional("Task", task, query, "")
        return stored, created
    found = await service.run(
        lambda: service.store.search(s.plan_search(RESOURCE_TYPES["Task"], query)).matches
    )
    if found:
        return found[0], False
    return (await service.create_many([("Task", task)]))[0], True


async def update_task(service: FhirService, current: Stored, body: dict[str, Any]) -> Stored:
    """Version-aware update of an alert Task (If-Match = the version it was merged into)."""
    body = {**body, "id": current.res_id}
    body.pop("meta", None)
    stored: Stored = await service.update("Task", current.res_id, body, current.version_id)
    return stored


async def missing_clock_job(service: FhirService) -> None:
    """Background job for dho-server: the missing-measurement clock of the service's engine."""
    rules = service.rules
    if isinstance(rules, AlertEngine):
        await rules.run_clock()
