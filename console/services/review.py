"""The lead's review as a use case: fetch the facts chunk by chunk with progress and cancel,
compute the figures off the UI thread, and keep the facts for quick re-computation.

Fetching goes through `ReviewStore` (standard searches, or `$review-stats` when the server
announces it); the figures come from `console.domain.review.compute_review`, run in a worker
thread. Changing the department filter, the planning figure or a baseline recomputes from the
facts already fetched; changing the range fetches again.
"""

from __future__ import annotations

import asyncio
import gc
import logging
import time
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime

from PySide6.QtCore import QCoreApplication, QObject, Signal

from console import settings
from console.domain.model import Organization, OrganizationKind
from console.domain.review import (
    Baseline,
    Review,
    ReviewFacts,
    ReviewQuery,
    ReviewSettings,
    chunks,
    compute_review,
)
from console.domain.service_hours import OpeningHours
from console.fhir.client import FhirClient
from console.fhir.errors import FhirError
from console.fhir.review import ReviewStore
from console.gcpause import gc_paused
from console.tasks import TaskKeeper

log = logging.getLogger(__name__)

#: Roles that may open the review; per-nurse figures are for leads and administrators only.
REVIEW_ROLES = frozenset({"lead", "superuser", "admin"})
PER_NURSE_ROLES = frozenset({"lead", "admin"})
#: Days per request: a week of a 2,000-patient centre is one modest answer.
CHUNK_DAYS = 7
#: Requests in flight at once (the server works on one while the console decodes another).
PARALLEL = 2


def may_review(roles: Iterable[str]) -> bool:
    return bool(set(roles) & REVIEW_ROLES)


def may_see_per_nurse(roles: Iterable[str]) -> bool:
    return bool(set(roles) & PER_NURSE_ROLES)


# ----- settings (console/settings.py reads them) -------------------------------------------------


def review_settings(departments: Iterable[str] = ()) -> ReviewSettings:
    """Planning figure, claim target and the departments' baselines (console/settings.py)."""
    baselines = {}
    for dep in departments:
        found = settings.review_baseline(dep)
        if found is not None:
            baselines[dep] = Baseline(*found)
    return ReviewSettings(
        planning_figure=settings.planning_figure(),
        claim_target_minutes=settings.claim_target_minutes(),
        baselines=baselines,
    )


def save_review_settings(chosen: ReviewSettings) -> None:
    settings.remember("review/planning_figure", str(chosen.planning_figure))
    settings.remember("review/claim_target_minutes", f"{chosen.claim_target_minutes:g}")
    for dep, baseline in chosen.baselines.items():
        settings.remember_review_baseline(dep, baseline.visits_per_week, baseline.minutes_per_visit)


@dataclass(frozen=True, slots=True)
class LoadInfo:
    """Where the figures came from, for the report's footnote."""

    fast: bool
    seconds: float
    chunks: int
    hours: OpeningHours


class ReviewService(QObject):
    """Loads and recomputes the review for one signed-in user."""

    progress = Signal(int, int)  # chunks done, chunks in all
    loaded = Signal(object)  # Review
    failed = Signal(str)
    busy_changed = Signal(bool)

    def __init__(
        self,
        client: FhirClient,
        roles: Iterable[str],
        *,
        centre_id: str | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.store = ReviewStore(client)
        self.roles = frozenset(roles)
        self.centre_id = centre_id
        self.per_nurse = may_see_per_nurse(self.roles)
        self._tasks = TaskKeeper(lambda exc: self.failed.emit(str(exc)))
        self._job: asyncio.Task[None] | None = None
        self._facts: ReviewFacts | None = None
        self._facts_range: tuple[datetime, datetime] | None = None
        self.hours: OpeningHours | None = None
        self.info: LoadInfo | None = None
        self.review: Review | None = None
        self.settings = ReviewSettings()

    @property
    def allowed(self) -> bool:
        return may_review(self.roles)

    @property
    def busy(self) -> bool:
        return self._job is not None and not self._job.done()

    def request(self, query: ReviewQuery, settings: ReviewSettings) -> None:
        """Show the review for `query`: fetch if the range changed, else only recompute."""
        self.cancel()
        self.settings = settings
        reuse = self._facts is not None and self._facts_range == (query.start, query.end)
        self._job = self._tasks.spawn(self._run(query, settings, fetch=not reuse), "review")
        self.busy_changed.emit(True)
        self._job.add_done_callback(lambda _t: self.busy_changed.emit(False))

    def cancel(self) -> None:
        if self._job is not None and not self._job.done():
            self._job.cancel()

    async def stop(self) -> None:
        self.cancel()
        await self._tasks.cancel_all(grace=0)

    async def _run(self, query: ReviewQuery, settings: ReviewSettings, *, fetch: bool) -> None:
        try:
            if fetch:
                await self._fetch(query)
            assert self._facts is not None and self.hours is not None
            facts, hours = self._facts, self.hours
            per_nurse = self.per_nurse

            def compute() -> Review:
                # Tens of thousands of short-lived objects: keep the collector out of it, as
                # for decoding pages (console/gcpause.py).
                with gc_paused():
                    return compute_review(
                        facts, query, hours=hours, settings=settings, per_nurse=per_nurse
                    )

            review = await asyncio.to_thread(compute)
        except FhirError as exc:
            log.warning("the review could not be loaded: %s", exc)
            self.failed.emit(
                QCoreApplication.translate(
                    "ReviewService", "The review could not be loaded: %1"
                ).replace("%1", str(exc))
            )
            return
        self.review = review
        self.loaded.emit(review)

    async def _fetch(self, query: ReviewQuery) -> None:
        started = time.perf_counter()
        self._facts = None
        pieces = chunks(query.start, query.until if query.until > query.start else query.end,
                        CHUNK_DAYS)  # fmt: skip
        total = len(pieces) + 1
        self.progress.emit(0, total)
        fast = await self.store.has_stats_operation()
        hours, people = await asyncio.gather(
            self.store.opening_hours(self.centre_id), self.store.people()
        )
        done = 1
        self.progress.emit(done, total)
        gate = asyncio.Semaphore(PARALLEL)

        async def piece(a: datetime, b: datetime) -> ReviewFacts:
            nonlocal done
            async with gate:
                if fast:
                    part = await self.store.stats("activity", a, b)
                else:
                    part = await self.store.activity(a, b)
            done += 1
            self.progress.emit(done, total)
            return part

        parts = await asyncio.gather(*(piece(a, b) for a, b in pieces))
        per_nurse = self.per_nurse

        def assemble() -> ReviewFacts:
            # Off the UI thread and out of the collector's way: hundreds of thousands of
            # small objects that live as long as this review is shown.
            with gc_paused():
                facts = ReviewFacts()
                facts.add(people)
                for part in parts:
                    facts.add(part)
                if not per_nurse:
                    facts = _without_people(facts)
                # Acyclic, long-lived: parked where full collections do not walk them again
                # (they are still freed by reference counting when the next review replaces
                # them). See console/services/centre.py:settle_after_load.
                gc.freeze()
                return facts

        facts = await asyncio.to_thread(assemble)
        self._facts = facts
        self._facts_range = (query.start, query.end)
        self.hours = hours
        self.info = LoadInfo(fast, time.perf_counter() - started, len(pieces), hours)
        log.info(
            "review facts: %d alerts, %d measurement series in %.2f s (%s)",
            len(facts.alerts),
            len(facts.measurements),
            self.info.seconds,
            "$review-stats" if fast else "standard searches",
        )

    def departments(self) -> Mapping[str, str]:
        """Departments in the facts (id → name), for the filter."""
        if self._facts is None:
            return {}
        ids = {e.department_id for e in self._facts.episodes if e.department_id}
        return {d: self._facts.organizations.get(d, d) for d in ids}


def review_centre(
    organizations: Sequence[Organization], mine: Iterable[str]
) -> tuple[str | None, str]:
    """The response centre whose opening hours and name head a user's review (id, name).

    A user's own response centre; for a department lead, the centre that watches the
    department (its `HealthcareService` has the hours); else the user's first organisation,
    else the first centre. References or bare ids both work ("Organization/x" or "x").
    """
    orgs = {o.id: o for o in organizations}
    ids = [str(o).rsplit("/", 1)[-1] for o in mine]
    own = [orgs[o] for o in ids if o in orgs]
    centres = [o for o in organizations if o.kind is OrganizationKind.RESPONSE_CENTRE]
    for org in own:
        if org.kind is OrganizationKind.RESPONSE_CENTRE:
            return org.id, org.name
    for org in centres:
        if any(m.id in org.watches for m in own):
            return org.id, org.name
    if own:
        return own[0].id, own[0].name
    return (centres[0].id, centres[0].name) if centres else (None, "")


def _without_people(facts: ReviewFacts) -> ReviewFacts:
    """Drop who did what, for users who may not see per-nurse figures."""
    return replace(
        facts,
        alerts=[replace(a, owner_id=None, escalated_to=()) for a in facts.alerts],
        messages=[replace(m, sender_id=None) for m in facts.messages],
        visits=[replace(v, practitioner_id=None) for v in facts.visits],
        episodes=[replace(e, care_manager_id=None, care_manager_name="") for e in facts.episodes],
        per_nurse=False,
    )


__all__ = [
    "REVIEW_ROLES",
    "LoadInfo",
    "ReviewService",
    "may_review",
    "may_see_per_nurse",
    "review_centre",
    "review_settings",
    "save_review_settings",
]
