"""Loading a response centre's patients and keeping them live.

The service owns the flow "first load, then live changes" and turns FHIR into domain objects
through `console.fhir`; the patient list model only ever sees domain objects, in batches.
"""

from __future__ import annotations

import asyncio
import gc
import logging
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol

from PySide6.QtCore import QCoreApplication, QObject, QTimer, Signal

from console.domain.collation import norwegian_key
from console.domain.model import (
    CentreChoice,
    ConnectionMode,
    ConnectionState,
    Episode,
    Measurement,
    Organization,
    OrganizationKind,
    Patient,
    PatientSummary,
)
from console.domain.triage import PlanLimits
from console.fhir.client import FhirClient
from console.fhir.errors import FhirMalformed
from console.fhir.latest import LatestValues
from console.fhir.mapping import (
    episode_from_fhir,
    measurement_from_fhir,
    organization_from_fhir,
    patient_from_fhir,
    reference_id,
)
from console.fhir.patient_record import (
    PlanEntry,
    limits_from_entries,
    plan_entries_from_fhir,
    plan_entry,
)
from console.state.patient_list import PatientListModel
from console.tasks import TaskKeeper

log = logging.getLogger(__name__)

#: Resource types the patient list follows live.
LIVE_TYPES = (
    "Observation",
    "Patient",
    "EpisodeOfCare",
    "Task",
    "Communication",
    "Appointment",
    "Encounter",
    # Plan edits move a patient's limits, so the list's colours follow them.
    "ServiceRequest",
)


class Feed(Protocol):
    """What the service needs of a live feed (console.fhir.live.LiveFeed, or a test double)."""

    def start(self) -> None: ...

    async def stop(self) -> None: ...


FeedFactory = Callable[
    [
        Callable[[list[dict[str, Any]]], None],
        Callable[[ConnectionState], None],
        datetime | None,
    ],
    Feed,
]


@dataclass(slots=True)
class LoadReport:
    """What the first load found, for logs, benchmarks and the status bar."""

    patients: int = 0
    observations: int = 0
    skipped: int = 0
    seconds: float = 0.0
    problems: list[str] = field(default_factory=list)
    #: How the latest values were found ("$lastn" or "window+per-patient").
    latest_strategy: str = ""
    #: Patients whose plan states limits of its own (the others are on the templates).
    plans: int = 0


def centre_choices(organizations: Iterable[Organization]) -> list[CentreChoice]:
    """Selector entries: each shared centre with its departments; else every department."""
    orgs = list(organizations)
    by_id = {o.id: o for o in orgs}
    choices: list[CentreChoice] = []
    centres = sorted(
        (o for o in orgs if o.kind is OrganizationKind.RESPONSE_CENTRE),
        key=lambda o: (-len(o.watches), o.name),
    )
    for centre in centres:
        watched = tuple(d for d in centre.watches if d in by_id)
        if len(watched) > 1:
            choices.append(
                CentreChoice(
                    QCoreApplication.translate("CentreService", "%1 (all departments)").replace(
                        "%1", centre.name
                    ),
                    watched,
                )
            )
            for dep in sorted(watched, key=lambda d: norwegian_key(by_id[d].name)):
                choices.append(CentreChoice(by_id[dep].name, (dep,), indent=1))
        else:
            choices.append(CentreChoice(centre.name, watched))
    if not choices:
        choices.append(
            CentreChoice(QCoreApplication.translate("CentreService", "All departments"), None)
        )
        departments = sorted(
            (o for o in orgs if o.kind is OrganizationKind.DEPARTMENT), key=lambda o: o.name
        )
        choices.extend(CentreChoice(d.name, (d.id,), indent=1) for d in departments)
    return choices


def settle_after_load() -> None:
    """Move what the first load built out of the garbage collector's way.

    A big centre leaves ~100,000 long-lived objects (rows, caches, domain objects); every
    full collection walks them all and stalls the UI thread for tens of milliseconds.
    `gc.freeze()` parks them in the permanent generation, so collections only scan what is
    new. Called once by the application after the first load.
    """
    gc.collect()
    gc.freeze()


def _limits_of(by_patient: dict[str, dict[str, PlanEntry]]) -> dict[str, PlanLimits]:
    out: dict[str, PlanLimits] = {}
    for pid, entries in by_patient.items():
        limits = limits_from_entries(entries.values())
        if limits is not None:
            out[pid] = limits
    return out


def _newer(a: datetime | None, b: datetime | None) -> datetime | None:
    if a is None or b is None:
        return a if b is None else b
    return max(a, b)


def _newest_update(resources: Iterable[dict[str, Any]]) -> datetime | None:
    newest: datetime | None = None
    for resource in resources:
        stamp = (resource.get("meta") or {}).get("lastUpdated")
        if not isinstance(stamp, str):
            continue
        try:
            when = datetime.fromisoformat(stamp)
        except ValueError:
            continue
        if when.tzinfo is not None and (newest is None or when > newest):
            newest = when
    return newest


class CentreService(QObject):
    """Loads patients, episodes and latest values, then applies live changes on a clock."""

    loaded = Signal(object)  # LoadReport
    #: The measurements of one live batch, after the list has them (open patient views).
    measurements_applied = Signal(object)
    connection_changed = Signal(object)  # ConnectionState
    failed = Signal(str)

    def __init__(
        self,
        client: FhirClient,
        model: PatientListModel,
        *,
        feed_factory: FeedFactory | None = None,
        batch_interval_ms: int = 100,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._client = client
        self._model = model
        self._feed_factory = feed_factory
        self._feed: Feed | None = None
        self._organizations: list[Organization] = []
        self._episodes: dict[str, Episode] = {}  # by patient id
        self._patients: dict[str, Patient] = {}
        #: What each patient's active ServiceRequests say about limits, by ServiceRequest id
        #: (live plan edits replace one of them); entries, not the resources (memory).
        self._plan_entries: dict[str, dict[str, PlanEntry]] = {}
        self._pending: list[dict[str, Any]] = []
        self._loaded = False
        #: Patients asked for once already (enrolled while the console runs, or not ours).
        self._asked: set[str] = set()
        self._keeper = TaskKeeper(lambda exc: log.warning("fetching new patients: %s", exc))
        #: Newest meta.lastUpdated seen in the first load: the live feed catches up from there.
        self._newest: datetime | None = None
        self.choices: list[CentreChoice] = []
        self.connection = ConnectionState(ConnectionMode.CONNECTING)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(batch_interval_ms)
        self._timer.timeout.connect(self.flush)
        self._interval_ms = batch_interval_ms
        self._last_flush = 0.0

    # ----- first load -----------------------------------------------------------------------

    async def load(self) -> LoadReport:
        """Fetch organisations, active enrolments with their patients, and the latest values."""
        started = time.perf_counter()
        report = LoadReport()
        # What the server offers decides every request below (console.fhir.client.Capabilities).
        await self._client.capabilities()
        # The latest values' first part needs no patient ids: it runs on the server while
        # the organisations and enrolments are fetched and read.
        latest = LatestValues(self._client)
        latest.prefetch()
        try:
            # `_total=none`: the list never needs the count, and servers count for each page.
            orgs = await self._client.search_all(
                "Organization", {"_count": "1000", "_total": "none"}
            )
            episodes = await self._client.search_all(
                "EpisodeOfCare",
                {
                    "status": "active",
                    "_include": "EpisodeOfCare:patient",
                    "_count": "1000",
                    "_total": "none",
                },
            )
        except BaseException:
            await latest.aclose()
            raise
        enrolled = [
            r.get("id", "") for r in episodes.included if r.get("resourceType") == "Patient"
        ]
        programmes = {}
        for resource in episodes.matches:
            try:
                episode = episode_from_fhir(resource)
            except FhirMalformed:
                continue
            programmes[episode.patient_id] = episode.programme
        # Mapped before the values and plans come in, and the resources dropped: at 10,000
        # patients their dicts are ~60 MB that would otherwise sit beside the plans' pages
        # at the first load's peak of memory.
        report.skipped += orgs.malformed + episodes.malformed
        newest = _newest_update([*episodes.matches, *episodes.included])
        organizations = self._map_all(orgs.matches, organization_from_fhir, report)
        patients = self._map_all(
            [r for r in episodes.included if r.get("resourceType") == "Patient"],
            patient_from_fhir,
            report,
        )
        mapped_episodes = self._map_all(episodes.matches, episode_from_fhir, report)
        del orgs, episodes
        # The plans come in beside the values: a row's colour needs the patient's own limits.
        (measurements, newest_value), plans = await asyncio.gather(
            self._latest_measurements(latest, enrolled, programmes, report), self._load_plans()
        )
        report.plans = len(plans)
        report.latest_strategy = latest.report.strategy
        self._newest = _newer(newest, newest_value)
        self._organizations = organizations
        self._patients = {p.id: p for p in patients}
        for episode in mapped_episodes:
            self._episodes[episode.patient_id] = episode
        summaries = {
            pid: PatientSummary(patient=patient, episode=self._episodes.get(pid))
            for pid, patient in self._patients.items()
            if pid in self._episodes
        }
        for m in measurements:
            summary = summaries.get(m.patient_id)
            if summary is not None:
                summary.apply(m)
        report.patients = len(summaries)
        report.observations = len(measurements)
        self._model.reset(self._organizations, summaries.values(), plans)
        self.choices = centre_choices(self._organizations)
        self._loaded = True
        report.seconds = time.perf_counter() - started
        if skipped := report.skipped:
            report.problems.append(
                self.tr(
                    "%n record(s) from the server could not be read and were skipped", "", skipped
                )
            )
        self.loaded.emit(report)
        return report

    async def _latest_measurements(
        self,
        latest: LatestValues,
        enrolled: list[str],
        programmes: dict[str, str],
        report: LoadReport,
    ) -> tuple[list[Measurement], datetime | None]:
        """The latest values as measurements, and their newest change; mapped as soon as they
        are in, so their ~30,000 resources (at 10,000 patients) are gone while the plans load."""
        observations = await latest.fetch(enrolled, programmes)
        newest = _newest_update(observations)
        return await self._map_chunked(observations, report), newest

    async def _load_plans(self) -> dict[str, PlanLimits]:
        """Every active ServiceRequest's limits, by patient (none: the server has no plans)."""
        caps = await self._client.capabilities()
        if not caps.supports_resource("ServiceRequest"):
            return {}
        by_patient: dict[str, dict[str, PlanEntry]] = {}
        # Page by page in a worker thread: only the entries come back, so a big centre's
        # 30,000 ServiceRequests never sit in memory as dicts all at once.
        async for page in self._client.search_mapped(
            "ServiceRequest",
            {
                "status": "active",
                "_elements": "status,subject,code,extension",
                "_count": "1000",
                "_total": "none",
            },
            plan_entries_from_fhir,
        ):
            for pid, entries in page.items():
                by_patient.setdefault(pid, {}).update(entries)
        self._plan_entries = by_patient
        # 10,000 patients' limits: computed off the UI thread.
        return await asyncio.to_thread(_limits_of, by_patient)

    def _apply_plan(self, resource: dict[str, Any], changed: dict[str, PlanLimits | None]) -> None:
        """A live ServiceRequest: replace it in its patient's plan and recompute the limits."""
        found = plan_entry(resource)
        if found is None:
            return
        pid, rid, entry = found
        plan = self._plan_entries.setdefault(pid, {})
        if entry is not None:
            plan[rid] = entry
        else:
            plan.pop(rid, None)
        changed[pid] = limits_from_entries(plan.values())

    @property
    def organizations(self) -> list[Organization]:
        return list(self._organizations)

    def organization_names(self) -> dict[str, str]:
        return {o.id: o.name for o in self._organizations}

    def select(self, index: int) -> None:
        if 0 <= index < len(self.choices):
            self._model.set_departments(self.choices[index].departments)

    # ----- live -----------------------------------------------------------------------------

    def start_live(self) -> None:
        if self._feed_factory is None or self._feed is not None:
            return
        self._feed = self._feed_factory(self.receive, self._set_connection, self._newest)
        self._feed.start()

    async def stop(self) -> None:
        self._timer.stop()
        await self._keeper.cancel_all()
        feed, self._feed = self._feed, None
        if feed is not None:
            await feed.stop()

    def receive(self, resources: list[dict[str, Any]]) -> None:
        """Queue changed resources; they are applied together, at most once per interval.

        The clock limits the rate, it does not delay: a change after a quiet spell is applied
        on the next loop turn, later ones wait for the interval since the last batch (the feed
        has already gathered each notification burst into one call)."""
        self._pending.extend(resources)
        if self._loaded and not self._timer.isActive():
            since = (time.monotonic() - self._last_flush) * 1000
            self._timer.start(max(0, int(self._interval_ms - since)))

    def flush(self) -> None:
        """Apply everything queued since the last tick as one model update."""
        self._last_flush = time.monotonic()
        pending, self._pending = self._pending, []
        if not pending:
            return
        report = LoadReport()
        measurements: list[Measurement] = []
        changed: dict[str, PatientSummary] = {}
        plans: dict[str, PlanLimits | None] = {}
        for resource in pending:
            rtype = resource.get("resourceType")
            if self._already_held(resource):
                continue
            try:
                if rtype == "Observation":
                    m = measurement_from_fhir(resource)
                    if m is not None:
                        measurements.append(m)
                elif rtype == "Patient":
                    patient = patient_from_fhir(resource)
                    self._patients[patient.id] = patient
                    summary = changed.get(patient.id) or self._summary_for(patient.id)
                    if summary is not None:
                        summary.patient = patient
                        changed[patient.id] = summary
                    elif patient.id in self._episodes:
                        # A new patient whose episode came first (a training scenario's
                        # patients are made while the console runs): a new row.
                        episode = self._episodes[patient.id]
                        changed[patient.id] = PatientSummary(patient=patient, episode=episode)
                elif rtype == "EpisodeOfCare":
                    episode = episode_from_fhir(resource)
                    self._apply_episode(episode, changed)
                elif rtype == "ServiceRequest":
                    self._apply_plan(resource, plans)
            except FhirMalformed as exc:
                report.skipped += 1
                log.warning("skipped a malformed live %s: %s", rtype, exc)
        if changed:
            self._model.update(list(changed.values()))
        if plans:
            self._model.set_plans(plans)
        unknown = {
            m.patient_id
            for m in measurements
            if m.patient_id not in self._asked and self._summary_for(m.patient_id) is None
        }
        if unknown:
            self._asked |= unknown
            self._keeper.spawn(self._enrolled_since(sorted(unknown)), "new-patients")
        if measurements:
            self._model.update_measurements(measurements)
            self.measurements_applied.emit(measurements)

    async def _enrolled_since(self, patient_ids: list[str]) -> None:
        """Values for patients the list does not hold: enrolled after the first load (a
        training scenario's patients, a new enrolment) whose Patient notification the
        server did not send us. Their episode, record and latest values become a row."""
        found = await self._client.search_all(
            "EpisodeOfCare",
            {
                "patient": ",".join(patient_ids),
                "status": "active",
                "_include": "EpisodeOfCare:patient",
                "_total": "none",
            },
        )
        if not found.matches:
            return
        programmes = {}
        for resource in found.matches:
            try:
                episode = episode_from_fhir(resource)
            except FhirMalformed:
                continue
            programmes[episode.patient_id] = episode.programme
        observations = await LatestValues(self._client).fetch(list(programmes), programmes)
        # Episodes first, then the patients (their rows), then the values: one batch.
        self.receive([*found.matches, *found.included, *observations])

    # ----- internals --------------------------------------------------------------------------

    def _already_held(self, resource: dict[str, Any]) -> bool:
        """Whether this is the version of a Patient or EpisodeOfCare the list holds already.

        The feed's first catch-up re-reads everything changed since a few seconds before the
        first load's newest change, so whatever was written together with the newest (a bulk
        enrolment) comes again: at 10,000 patients seeded in one go, every Patient and episode.
        Mapping those again would change nothing and build every row anew after
        `settle_after_load` parked the first load's objects, leaving ~60,000 new objects for
        the UI thread's collections to walk (benchmarks/RESULTS.md).
        """
        rtype = resource.get("resourceType")
        if rtype != "Patient" and rtype != "EpisodeOfCare":
            return False
        meta = resource.get("meta")
        version = meta.get("versionId") if isinstance(meta, dict) else None
        if version is None or version == "":
            return False
        rid = resource.get("id")
        if rtype == "Patient":
            held: Patient | Episode | None = (
                self._patients.get(rid) if isinstance(rid, str) else None
            )
        else:
            pid = reference_id(resource.get("patient"), "Patient")
            held = self._episodes.get(pid) if pid is not None else None
            if held is not None and held.id != rid:
                return False
        return held is not None and held.version == str(version)

    def _set_connection(self, state: ConnectionState) -> None:
        self.connection = state
        self.connection_changed.emit(state)

    def _summary_for(self, patient_id: str) -> PatientSummary | None:
        return self._model.summary(patient_id)

    def _apply_episode(self, episode: Episode, changed: dict[str, PatientSummary]) -> None:
        pid = episode.patient_id
        if episode.status != "active":
            return  # discharges leave the row in place until the next load; shown as is
        self._episodes[pid] = episode
        summary = self._summary_for(pid)
        if summary is None:
            patient = self._patients.get(pid)
            if patient is None:
                return  # the Patient arrives in its own notification; its episode is kept
            summary = PatientSummary(patient=patient, episode=episode)
        else:
            summary.episode = episode
        changed[pid] = summary

    @staticmethod
    def _map_all(
        resources: Sequence[dict[str, Any]],
        mapper: Callable[[dict[str, Any]], Any],
        report: LoadReport,
    ) -> list[Any]:
        out = []
        for resource in resources:
            try:
                out.append(mapper(resource))
            except FhirMalformed as exc:
                report.skipped += 1
                log.warning("skipped a malformed %s: %s", resource.get("resourceType"), exc)
        return out

    @staticmethod
    async def _map_chunked(
        observations: Sequence[dict[str, Any]], report: LoadReport, chunk: int = 5000
    ) -> list[Measurement]:
        """Map in chunks, yielding to the loop, so a big centre never freezes the window."""
        out: list[Measurement] = []
        for start in range(0, len(observations), chunk):
            for resource in observations[start : start + chunk]:
                try:
                    m = measurement_from_fhir(resource)
                except FhirMalformed as exc:
                    report.skipped += 1
                    log.warning("skipped a malformed Observation: %s", exc)
                    continue
                if m is not None:
                    out.append(m)
            await asyncio.sleep(0)
        return out
