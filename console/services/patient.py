"""Loading one patient for the patient view, and saving changes to their plan.

Everything goes through `FhirClient`; one search per need, paged with `_count`. Observations
come newest first in pages of up to 1,000, each page decoded and mapped on its own and handed
to a `SeriesBuilder`, so a year of per-minute SpO2 (526 pages) never blocks the event loop for
more than one page's work. The view asks for the visible period first (`load`) and the rest of
the history afterwards (`load_history`), so the first paint does not wait for a year of data.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from console.domain.model import Episode, Measurement, MeasurementKind, Patient
from console.domain.news2 import News2, compute_news2
from console.domain.patient_record import (
    AlertMark,
    PatientHeader,
    PlanItem,
    QuestionnaireSummary,
    Relative,
)
from console.domain.series import Schedule, Series, SeriesBuilder
from console.domain.triage import Thresholds
from console.fhir.client import FhirClient
from console.fhir.errors import FhirError, FhirHttpError
from console.fhir.mapping import (
    episode_from_fhir,
    map_resources,
    measurement_from_fhir,
    organization_from_fhir,
    patient_from_fhir,
)
from console.fhir.patient_record import (
    alert_mark_from_fhir,
    header_from_fhir,
    news2_from_fhir,
    plan_item_from_fhir,
    plan_item_to_fhir,
    questionnaire_from_fhir,
    questionnaire_titles,
    relative_from_fhir,
)

log = logging.getLogger(__name__)

#: Observations per history page. The worker thread holds the GIL through a page's
#: `json.loads`, and the UI thread waits for it meanwhile: 1,000 made ~50 ms stalls, 500 do not.
PAGE_SIZE = 500


class PlanConflict(Exception):
    """Someone saved the plan item first; `current` is their version (nothing was written)."""

    def __init__(self, current: PlanItem) -> None:
        super().__init__(f"ServiceRequest/{current.id} changed (now version {current.version})")
        self.current = current


@dataclass(slots=True)
class PatientData:
    header: PatientHeader
    plan: list[PlanItem]
    series: dict[MeasurementKind, Series]
    alerts: list[AlertMark]
    questionnaires: list[QuestionnaireSummary]
    news2: News2
    #: Observations are loaded for [loaded_from, loaded_to) (epoch s).
    loaded_from: float
    loaded_to: float
    skipped: int = 0
    seconds: float = 0.0
    problems: list[str] = field(default_factory=list)

    @property
    def programme(self) -> str:
        episode = self.header.episode
        return episode.programme if episode else ""


def _iso(moment: float) -> str:
    return datetime.fromtimestamp(moment, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


class PatientService:
    """Use cases of the patient view. Stateless apart from the client; safe to share."""

    def __init__(
        self,
        client: FhirClient,
        *,
        now: Callable[[], datetime] = lambda: datetime.now(UTC),
        page_size: int = PAGE_SIZE,
        language: str = "nb",
    ) -> None:
        self.client = client
        self._now = now
        self._page_size = page_size
        #: The UI language: questionnaire titles are shown in it where translated.
        self.language = language
        self._titles: dict[str, str] = {}  # canonical -> title (Questionnaires change rarely)

    # ----- reading ------------------------------------------------------------------------

    async def load(self, patient_id: str, *, days: float = 30.0) -> PatientData:
        """Header, plan, alerts, answers and the last `days` of measurements, concurrently."""
        started = time.perf_counter()
        end = self._now().timestamp()
        start = end - days * 86400.0
        header_task = asyncio.ensure_future(self.load_header(patient_id))
        series_task = asyncio.ensure_future(self.load_series(patient_id, start, end + 60))
        questionnaires_task = asyncio.ensure_future(self.load_questionnaires(patient_id, start))
        try:
            header = await header_task
            programme = header.episode.programme if header.episode else ""
            plan = await self.load_plan(patient_id, programme)
            alerts = await self.load_alerts(patient_id, start, plan)
            series, skipped = await series_task
            questionnaires = await questionnaires_task
        except BaseException:
            for task in (header_task, series_task, questionnaires_task):
                task.cancel()
            await asyncio.gather(
                header_task, series_task, questionnaires_task, return_exceptions=True
            )
            raise
        news2 = await self.news2(patient_id, series)
        return PatientData(
            header=header,
            plan=plan,
            series=series,
            alerts=alerts,
            questionnaires=questionnaires,
            news2=news2,
            loaded_from=start,
            loaded_to=end + 60,
            skipped=skipped,
            seconds=time.perf_counter() - started,
        )

    async def load_header(self, patient_id: str) -> PatientHeader:
        patient_json, episodes, relatives = await asyncio.gather(
            self.client.read("Patient", patient_id),
            self.client.search_all(
                "EpisodeOfCare", [("patient", f"Patient/{patient_id}"), ("status", "active")]
            ),
            self._relatives(patient_id),
        )
        patient = patient_from_fhir(patient_json)
        episode_json = episodes.matches[0] if episodes.matches else None
        episode: Episode | None = episode_from_fhir(episode_json) if episode_json else None
        department = ""
        if episode is not None and episode.department_id:
            try:
                org = organization_from_fhir(
                    await self.client.read("Organization", episode.department_id)
                )
                department = org.name
            except FhirError as exc:
                log.info("department of Patient/%s not readable: %s", patient_id, exc)
        return header_from_fhir(
            patient_json,
            patient,
            episode_json,
            episode,
            department=department,
            relatives=relatives,
        )

    async def _relatives(self, patient_id: str) -> tuple[Relative, ...]:
        caps = await self.client.capabilities()
        if not caps.supports_resource("RelatedPerson"):
            return ()
        result = await self.client.search_all(
            "RelatedPerson", [("patient", f"Patient/{patient_id}"), ("_count", "50")]
        )
        return tuple(map_resources(result.matches, relative_from_fhir).items)

    async def load_plan(self, patient_id: str, programme: str | None = None) -> list[PlanItem]:
        caps = await self.client.capabilities()
        if not caps.supports_resource("ServiceRequest"):
            return []
        result = await self.client.search_all(
            "ServiceRequest",
            [("subject", f"Patient/{patient_id}"), ("status", "active"), ("_count", "100")],
        )
        report = map_resources(result.matches, lambda r: plan_item_from_fhir(r, programme))
        return sorted(report.items, key=lambda item: list(MeasurementKind).index(item.kind))

    async def load_series(
        self,
        patient_id: str,
        start: float,
        end: float,
        *,
        builder: SeriesBuilder | None = None,
        on_page: Callable[[int], None] | None = None,
    ) -> tuple[dict[MeasurementKind, Series], int]:
        """Measurements in [start, end), newest first, one page at a time; (series, skipped)."""
        builder = builder or SeriesBuilder()
        params = [
            ("subject", f"Patient/{patient_id}"),
            ("date", f"ge{_iso(start)}"),
            ("date", f"lt{_iso(end)}"),
            ("_sort", "-date"),
            ("_count", str(self._page_size)),
        ]
        skipped = loaded = 0
        # Decoding and mapping a page (about 20 ms for 1,000 Observations) run in a worker
        # thread with the collector paused: the UI thread keeps ticking meanwhile.
        async for skipped_here, added in self.client.search_mapped(
            "Observation", params, lambda resources: _map_page(resources, builder)
        ):
            skipped += skipped_here
            loaded += added
            if on_page is not None:
                on_page(loaded)
        return builder.build(), skipped

    async def load_alerts(
        self, patient_id: str, start: float, plan: Iterable[PlanItem] = ()
    ) -> list[AlertMark]:
        caps = await self.client.capabilities()
        if not caps.supports_resource("Task"):
            return []
        params = [("patient", f"Patient/{patient_id}"), ("_count", "500")]
        if caps.supports_search_param("Task", "authored-on"):
            params.append(("authored-on", f"ge{_iso(start)}"))
        result = await self.client.search_all("Task", params)
        kinds = {item.id: item.kind for item in plan}
        report = map_resources(result.matches, lambda r: alert_mark_from_fhir(r, kinds))
        return sorted(report.items, key=lambda m: m.time)

    async def load_questionnaires(
        self, patient_id: str, start: float
    ) -> list[QuestionnaireSummary]:
        caps = await self.client.capabilities()
        if not caps.supports_resource("QuestionnaireResponse"):
            return []
        params = [("subject", f"Patient/{patient_id}"), ("_count", "200")]
        if caps.supports_search_param("QuestionnaireResponse", "authored"):
            params += [("authored", f"ge{_iso(start)}"), ("_sort", "-authored")]
        result = await self.client.search_all("QuestionnaireResponse", params)
        await self._load_titles(result.matches, caps.supports_resource("Questionnaire"))
        titles = self._titles
        report = map_resources(result.matches, lambda r: questionnaire_from_fhir(r, titles))
        epoch = datetime.min.replace(tzinfo=UTC)
        return sorted(report.items, key=lambda q: q.authored or epoch, reverse=True)

    async def _load_titles(self, responses: Iterable[Any], supported: bool) -> None:
        """Read the Questionnaires the responses answer (by canonical URL) once, for their
        titles; without them the answer list shows the form's id."""
        wanted = {
            str(r.get("questionnaire")).split("|", 1)[0]
            for r in responses
            if isinstance(r, dict) and isinstance(r.get("questionnaire"), str)
        }
        missing = sorted(u for u in wanted if u and u not in self._titles)
        if not missing or not supported:
            return
        try:
            found = await self.client.search_all(
                "Questionnaire", [("url", ",".join(missing)), ("_count", "100")]
            )
        except FhirError as exc:
            log.warning("could not read the questionnaires' titles: %s", exc)
            return
        self._titles.update(questionnaire_titles(found.matches, self.language))
        for url in missing:
            self._titles.setdefault(url, "")  # asked once; the id is shown

    async def news2(self, patient_id: str, series: dict[MeasurementKind, Series]) -> News2:
        """`Patient/{id}/$news2` when the server has it, else computed here (and partial)."""
        caps = await self.client.capabilities()
        if caps.supports_operation("news2"):
            try:
                return news2_from_fhir(await self.client.operation("Patient", patient_id, "news2"))
            except FhirError as exc:
                log.warning("$news2 failed (%s); computing it in the console", exc)
        return compute_news2(latest_measurements(patient_id, series), now=self._now())

    async def reveal_fodselsnummer(self, patient_id: str) -> str | None:
        """Read the Patient again so the server records the access (AuditEvent on every read),
        and log that the number was shown (the id only, never the number)."""
        patient: Patient = patient_from_fhir(await self.client.read("Patient", patient_id))
        log.info("fødselsnummer of Patient/%s shown to the user", patient_id)
        return patient.fodselsnummer

    # ----- writing ------------------------------------------------------------------------

    async def save_plan_item(
        self,
        item: PlanItem,
        thresholds: Thresholds,
        schedule: Schedule | None,
        thresholds2: Thresholds | None = None,
        programme: str | None = None,
    ) -> PlanItem:
        """Version-aware update; a stale version raises `PlanConflict` with the winner."""
        resource = plan_item_to_fhir(item, thresholds, schedule, thresholds2)
        try:
            stored = await self.client.update(resource, if_match=item.version)
        except FhirHttpError as exc:
            if exc.status != 412:
                raise
            current = plan_item_from_fhir(
                await self.client.read("ServiceRequest", item.id), programme
            )
            if current is None:
                raise
            raise PlanConflict(current) from exc
        saved = plan_item_from_fhir(stored, programme)
        if saved is None:
            raise FhirError(f"ServiceRequest/{item.id} is no longer an active measurement")
        return saved


def _map_page(resources: list[dict[str, Any]], builder: SeriesBuilder) -> tuple[int, int]:
    report = map_resources(resources, measurement_from_fhir)
    return report.skipped, builder.add(report.items)


def latest_measurements(
    patient_id: str, series: dict[MeasurementKind, Series]
) -> list[Measurement]:
    out = []
    for kind, s in series.items():
        if len(s):
            out.append(
                Measurement(
                    patient_id,
                    kind,
                    float(s.values[-1]),
                    datetime.fromtimestamp(float(s.times[-1]), UTC),
                )
            )
    return out
