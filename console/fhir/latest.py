"""The newest Observation per patient and code, with or without `Observation/$lastn`.

With `$lastn` (declared in the CapabilityStatement) it is one request. Without it (most
third-party servers, our plain-R4 profile) the console must not page through every Observation:
servers cap how far a search may page (Medplum: `_offset` 10,000, recorded in
shared/peers/medplum/02a) and keep offering `next` links they then refuse. So:

1. **A recent window, walked newest first in time slices.** The last `window_days` are cut into
   `slices` date ranges searched concurrently (`date=ge..&date=le..&_sort=-date`). A search
   follows its `next` links for at most `pages_per_search` pages (far below any offset cap);
   then the same slice is searched again below the oldest value seen (`date=le<oldest>`), so
   no search ever asks for a deep offset. Pages are decoded and reduced to the newest value
   per (patient, code) in a worker thread (`FhirClient.search_mapped`).
2. **Per patient, for the patients the window did not cover** (no value in `window_days`):
   `Observation?patient=..&_sort=-date&_count=..`, first page only, `per_patient_concurrency`
   at a time.

A code measured less often than the window for a patient who measures other things (weekly
weight with an 8-day window is covered) shows no latest value in the list; the patient view
has the whole history.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Collection, Iterable, Mapping
from contextlib import aclosing
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from console.fhir.client import Feature, FhirClient

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


def reduce_page(resources: Iterable[dict[str, Any]]) -> _Page:
    """The newest Observation per key of one page, and the page's oldest effective time."""
    page = _Page()
    for obs in resources:
        page.count += 1
        when = _effective(obs)
        key = _key(obs)
        if when is None or key is None:
            continue
        if page.oldest is None or when[0] < page.oldest:
            page.oldest, page.oldest_text = when[0], when[1]
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
        self._slices = max(1, slices)
        self._pages = max(1, pages_per_search)
        self._page_size = page_size
        self._per_patient_count = per_patient_count
        self._per_patient_sem = asyncio.Semaphore(per_patient_concurrency)
        self._now = now
        self.report = LatestReport()

    async def fetch(self, patient_ids: Collection[str] = ()) -> list[dict[str, Any]]:
        caps = await self._client.capabilities()
        if caps.has(Feature.LASTN):
            self.report.strategy = "$lastn"
            found = await self._client.lastn(1, {"category": self._category})
            self.report.observations = len(found)
            return found
        self.report.strategy = "window+per-patient"
        kept: Kept = {}
        now = self._now or datetime.now(UTC)
        end = now + timedelta(minutes=5)  # clocks differ a little between machines
        start = now - self._window
        step = (end - start) / self._slices
        bounds = [(start + step * i, start + step * (i + 1)) for i in range(self._slices)]
        results = await asyncio.gather(*(self._walk(lo, hi) for lo, hi in bounds))
        for part in results:
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

    async def _walk(self, lo: datetime, hi: datetime) -> Kept:
        """Newest first through [lo, hi], restarting below the oldest value seen every
        `pages_per_search` pages, so no search pages deeper than that."""
        kept: Kept = {}
        upper = ("le", _instant(hi))
        while True:
            params = [
                ("category", self._category),
                ("date", f"ge{_instant(lo)}"),
                ("date", upper[0] + upper[1]),
                ("_sort", "-date"),
                ("_count", str(self._page_size)),
            ]
            self.report.searches += 1
            pages = 0
            exhausted = True
            oldest: tuple[datetime, str] | None = None
            generator = self._client.search_mapped("Observation", params, reduce_page)
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
            next_upper = ("le", _instant(oldest[0]))
            if next_upper == upper:  # more values in one second than a search may page
                log.warning("more than %d values at %s; skipping on", pages, upper[1])
                next_upper = ("lt", upper[1])
            upper = next_upper

    async def _patient(self, patient_id: str) -> Kept:
        async with self._per_patient_sem:
            self.report.per_patient += 1
            params = [
                ("patient", f"Patient/{patient_id}"),
                ("category", self._category),
                ("_sort", "-date"),
                ("_count", str(self._per_patient_count)),
            ]
            generator = self._client.search_mapped("Observation", params, reduce_page)
            async with aclosing(generator) as stream:  # type: ignore[type-var]
                async for page in stream:
                    return page.kept  # the newest page is enough
        return {}
