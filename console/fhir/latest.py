"""The newest Observation per patient and code, with or without `Observation/$lastn`.

With `$lastn` (declared in the CapabilityStatement) it is one request. Without it (most
third-party servers, our plain-R4 profile) the console must not page through every Observation:
servers cap how far a search may page (Medplum: `_offset` 10,000, recorded in
shared/peers/medplum/02a) and keep offering `next` links they then refuse. So:

1. **The last `recent_days` (one), walked newest first in time slices.** Cut into `slices` date
   ranges searched concurrently (`date=ge..&date=le..&_sort=-date`). A search follows its
   `next` links for at most `pages_per_search` pages (far below any offset cap); then the same
   slice is searched again below the oldest value seen (`date=le<oldest>`), so no search ever
   asks for a deep offset. Pages are decoded and reduced to the newest value per (patient,
   code) in a worker thread (`FhirClient.search_mapped`).
2. **Older values only for what is still missing, up to `window_days`:** per kind of
   measurement, the patients without a value of it whose group (`groups`: the programme of
   their enrolment) measures that kind (someone in the group did in step 1; a group of fewer
   than `small_group` patients is assumed to measure every kind seen), 80 at a time
   (`code=..&patient=a,b,..&date=ge..&date=le..`): weekly weights, a skipped day.
3. **Per patient, for the patients steps 1 and 2 did not cover** (no value at all in
   `window_days`): `Observation?patient=..&_sort=-date&_count=..`, first page only.

Steps 2 and 3 run `per_patient_concurrency` searches at a time. Step 1 (or `$lastn`) needs no
patient ids: `prefetch()` starts it while the caller still loads the enrolments.

Steps 1 and 2 do not send `category`: on the reference backend (SQLite) a token condition
beside a date range nearly doubles the cost of every page (it lists the index rows of every
vital sign in the database first; 430 vs 250 ms a page, measured); the category is checked here
instead, on the page (`reduce_page`), so the result is the same. Step 3 keeps it (one patient).

A kind measured less often than `window_days` (8: weekly weights are covered) by a patient who
measures other things shows no latest value in the list; the patient view has the whole history.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Collection, Iterable, Mapping
from contextlib import aclosing
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from console.domain.model import MeasurementKind
from console.fhir.client import Feature, FhirClient
from console.fhir.errors import FhirHttpError
from console.fhir.mapping import LOINC, LOINC_KINDS

log = logging.getLogger(__name__)

#: (patient reference, first coding "system|code") → (effective instant, Observation).
Kept = dict[tuple[str, str], tuple[datetime, dict[str, Any]]]


@dataclass(slots=True)
class LatestReport:
    """How the latest values were found (logs, benchmarks)."""

    strategy: str = ""
    searches: int = 0
    pages: int = 0
    per_patient: int = 0
    #: Searches for older values of what the recent window did not have (step 2).
    older: int = 0
    observations: int = 0


@dataclass(slots=True)
class _Page:
    kept: Kept = field(default_factory=dict)
    oldest: datetime | None = None
    oldest_text: str = ""
    count: int = 0


def _effective(obs: Mapping[str, Any]) -> tuple[datetime, str] | None:
    text = obs.get("effectiveDateTime") or obs.get("effectiveInstant")
    if not isinstance(text, str):
        period = obs.get("effectivePeriod")
        text = period.get("start") if isinstance(period, dict) else None
    if not isinstance(text, str):
        return None
    try:
        when = datetime.fromisoformat(text)
    except ValueError:
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return when, text


def _key(obs: Mapping[str, Any]) -> tuple[str, str] | None:
    subject = obs.get("subject")
    ref = subject.get("reference") if isinstance(subject, dict) else None
    code = obs.get("code")
    codings = code.get("coding") if isinstance(code, dict) else None
    if not isinstance(ref, str) or not isinstance(codings, list) or not codings:
        return None
    first = codings[0] if isinstance(codings[0], dict) else {}
    return ref, f"{first.get('system', '')}|{first.get('code', '')}"


def _in_category(obs: Mapping[str, Any], category: str) -> bool:
    for concept in obs.get("category") or ():
        if isinstance(concept, dict):
            for coding in concept.get("coding") or ():
                if isinstance(coding, dict) and coding.get("code") == category:
                    return True
    return False


def reduce_page(resources: Iterable[dict[str, Any]], category: str | None = None) -> _Page:
    """The newest Observation per key of one page, and the page's oldest effective time
    (of every Observation on it: paging goes on below it). With `category`, only
    Observations of that category are kept (the search did not filter by it)."""
    page = _Page()
    for obs in resources:
        page.count += 1
        when = _effective(obs)
        key = _key(obs)
        if when is None or key is None:
            continue
        if page.oldest is None or when[0] < page.oldest:
            page.oldest, page.oldest_text = when[0], when[1]
        if category is not None and not _in_category(obs, category):
            continue
        known = page.kept.get(key)
        if known is None or when[0] > known[0]:
            page.kept[key] = (when[0], obs)
    return page


def merge(into: Kept, kept: Kept) -> None:
    for key, (when, obs) in kept.items():
        known = into.get(key)
        if known is None or when > known[0]:
            into[key] = (when, obs)


def _instant(when: datetime) -> str:
    return when.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


class LatestValues:
    """Finds the newest Observation per patient and code for a centre's first load."""

    def __init__(
        self,
        client: FhirClient,
        *,
        category: str = "vital-signs",
        window_days: float = 8.0,
        recent_days: float = 1.0,
        slices: int = 4,
        pages_per_search: int = 5,
        page_size: int = 1000,
        per_patient_count: int = 50,
        per_patient_concurrency: int = 8,
        now: datetime | None = None,
    ) -> None:
        self._client = client
        self._category = category
        self._window = timedelta(days=window_days)
        self._recent = timedelta(days=min(recent_days, window_days))
        self._slices = max(1, slices)
        self._pages = max(1, pages_per_search)
        self._page_size = page_size
        self._per_patient_count = per_patient_count
        self._per_patient_sem = asyncio.Semaphore(per_patient_concurrency)
        self._now = now
        self.report = LatestReport()
        #: Ask date ranges with `sa`/`lt` (see `_walk`) until the server refuses `sa`.
        self._starts_after = True
        self._first: asyncio.Future[tuple[list[dict[str, Any]] | None, Kept, datetime]] | None = (
            None
        )

    def prefetch(self) -> None:
        """Start what needs no patient ids (`$lastn`, or step 1) now; `fetch` awaits it."""
        if self._first is None:
            self._first = asyncio.ensure_future(self._first_step())

    async def aclose(self) -> None:
        """Cancel a prefetch nobody awaited (the caller's load failed)."""
        first, self._first = self._first, None
        if first is not None and not first.done():
            first.cancel()
        if first is not None:
            await asyncio.gather(first, return_exceptions=True)

    async def _first_step(self) -> tuple[list[dict[str, Any]] | None, Kept, datetime]:
        """`$lastn`'s answer, or step 1's values (and the clock's now it used)."""
        caps = await self._client.capabilities()
        clock = getattr(self._client, "clock", None)
        now = self._now or (clock.now() if clock is not None else datetime.now(UTC))
        if caps.has(Feature.LASTN):
            self.report.strategy = "$lastn"
            return await self._client.lastn(1, {"category": self._category}), {}, now
        self.report.strategy = "window+per-patient"
        kept: Kept = {}
        end = now + timedelta(minutes=5)  # clocks differ a little between machines
        start = now - self._recent
        step = (end - start) / self._slices
        bounds = [(start + step * i, start + step * (i + 1)) for i in range(self._slices)]
        results = await asyncio.gather(*(self._walk(lo, hi) for lo, hi in bounds))
        for part in results:
            merge(kept, part)
        return None, kept, now

    async def fetch(
        self, patient_ids: Collection[str] = (), groups: Mapping[str, str] | None = None
    ) -> list[dict[str, Any]]:
        """The newest Observation per patient and code. `groups`: patient id → the group
        (programme) whose members measure the same kinds (see step 2)."""
        self.prefetch()
        first, self._first = self._first, None
        assert first is not None
        lastn, kept, now = await first
        if lastn is not None:
            self.report.observations = len(lastn)
            return lastn
        start = now - self._recent
        if patient_ids and self._window > self._recent:
            queries = self._missing_queries(kept, patient_ids, groups or {})
            self.report.older = len(queries)
            older = await asyncio.gather(
                *(self._bounded(self._walk(now - self._window, start, q)) for q in queries)
            )
            for part in older:
                merge(kept, part)
        covered = {ref.rsplit("/", 1)[-1] for ref, _code in kept}
        missing = [p for p in patient_ids if p not in covered]
        if missing:
            parts = await asyncio.gather(*(self._patient(p) for p in missing))
            for part in parts:
                merge(kept, part)
        found = [obs for _when, obs in kept.values()]
        self.report.observations = len(found)
        log.info(
            "latest values without $lastn: %d searches, %d pages, %d per-patient searches, "
            "%d values",
            self.report.searches,
            self.report.pages,
            self.report.per_patient,
            len(found),
        )
        return found

    def _missing_queries(
        self,
        kept: Kept,
        patient_ids: Collection[str],
        groups: Mapping[str, str],
        chunk: int = 80,
        small_group: int = 20,
    ) -> list[list[tuple[str, str]]]:
        """Per kind: the patients without a value of it whose group measures it."""
        have: dict[str, set[MeasurementKind]] = {}
        for ref, code in kept:
            kind = LOINC_KINDS.get(code.rsplit("|", 1)[-1])
            if kind is not None:
                have.setdefault(ref.rsplit("/", 1)[-1], set()).add(kind)
        seen: set[MeasurementKind] = set().union(*have.values()) if have else set()
        if not seen:
            seen = set(LOINC_KINDS.values())
        members: dict[str, int] = {}
        measured: dict[str, set[MeasurementKind]] = {}
        for pid in patient_ids:
            group = groups.get(pid, "")
            members[group] = members.get(group, 0) + 1
            measured.setdefault(group, set()).update(have.get(pid, ()))

        def uses(pid: str, kind: MeasurementKind) -> bool:
            group = groups.get(pid, "")
            if not groups or members.get(group, 0) < small_group:
                return True
            return kind in measured.get(group, ())

        queries = []
        for kind in sorted(seen):
            codes = ",".join(f"{LOINC}|{c}" for c, k in LOINC_KINDS.items() if k is kind)
            lacking = [p for p in patient_ids if kind not in have.get(p, ()) and uses(p, kind)]
            for i in range(0, len(lacking), chunk):
                refs = ",".join(f"Patient/{p}" for p in lacking[i : i + chunk])
                queries.append([("code", codes), ("patient", refs)])
        return queries

    async def _bounded(self, coro: Any) -> Kept:
        async with self._per_patient_sem:
            result: Kept = await coro
            return result

    async def _walk(
        self, lo: datetime, hi: datetime, extra: Iterable[tuple[str, str]] = ()
    ) -> Kept:
        """Newest first through [lo, hi] (whole seconds), restarting below the oldest value
        seen every `pages_per_search` pages, so no search pages deeper than that.

        The range is asked as `date=sa<lo - 1 s>&date=lt<hi + 1 s>` (starts after, before):
        for a measurement at one instant the same values as `ge<lo>&le<hi>`, and each is one
        bound on the start, which a server can look up in its date index (the reference
        backend: ~30 instead of ~300 ms a page of 1,000; `ge`/`le` also match ranges that
        overlap the bound, so they cannot use it). A value with an effectivePeriod counts from
        its start. A server that refuses `sa` (400) is asked with `ge`/`le` from then on.
        """
        extra = list(extra)
        try:
            if self._starts_after:
                return await self._walk_with(lo, hi, extra, starts_after=True)
        except FhirHttpError as exc:
            if exc.status != 400:
                raise
            log.info("the server refused date=sa (%s); searching with ge/le", exc)
            self._starts_after = False
        return await self._walk_with(lo, hi, extra, starts_after=False)

    async def _walk_with(
        self, lo: datetime, hi: datetime, extra: list[tuple[str, str]], *, starts_after: bool
    ) -> Kept:
        kept: Kept = {}
        second = timedelta(seconds=1)
        if starts_after:
            lower = ("date", f"sa{_instant(lo - second)}")
            upper = ("lt", _instant(hi + second))
        else:
            lower = ("date", f"ge{_instant(lo)}")
            upper = ("le", _instant(hi))
        category = self._category  # checked on the page, not by the server (see above)

        def reducer(resources: list[dict[str, Any]]) -> _Page:
            return reduce_page(resources, category)

        while True:
            params = [
                *extra,
                lower,
                ("date", upper[0] + upper[1]),
                ("_sort", "-date"),
                ("_count", str(self._page_size)),
                # No count of all matches: servers count them again for every page.
                ("_total", "none"),
            ]
            self.report.searches += 1
            pages = 0
            exhausted = True
            oldest: tuple[datetime, str] | None = None
            generator = self._client.search_mapped("Observation", params, reducer)
            async with aclosing(generator) as stream:  # type: ignore[type-var]
                async for page in stream:
                    pages += 1
                    self.report.pages += 1
                    merge(kept, page.kept)
                    if page.oldest is not None and (oldest is None or page.oldest < oldest[0]):
                        oldest = (page.oldest, page.oldest_text)
                    if pages >= self._pages and page.count >= self._page_size:
                        exhausted = False
                        break
            if exhausted or oldest is None:
                return kept
            # Again from the oldest value's second on (it may hold more values than we saw).
            if starts_after:
                next_upper = ("lt", _instant(oldest[0] + second))
            else:
                next_upper = ("le", _instant(oldest[0]))
            if next_upper == upper:  # more values in one second than a search may page
                log.warning("more than %d values at %s; skipping on", pages, upper[1])
                next_upper = ("lt", _instant(oldest[0]))
            upper = next_upper

    async def _patient(self, patient_id: str) -> Kept:
        async with self._per_patient_sem:
            self.report.per_patient += 1
            params = [
                ("patient", f"Patient/{patient_id}"),
                ("category", self._category),
                ("_sort", "-date"),
                ("_count", str(self._per_patient_count)),
                ("_total", "none"),
            ]
            generator = self._client.search_mapped("Observation", params, reduce_page)
            async with aclosing(generator) as stream:  # type: ignore[type-var]
                async for page in stream:
                    return page.kept  # the newest page is enough
        return {}
