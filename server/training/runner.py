"""The training runner: chosen scenarios for chosen trainees, on the server's one clock.

One session at a time per training backend. Loading pauses the clock, creates each trainee's
own copy of each scenario's patients (ordinary FHIR resources with the training tag, in a
department the trainee sees) with a few days of ordinary measurements, and queues the script.
Events are written through the ordinary write path (:class:`~server.api.service.FhirService`),
so the ordinary rules raise the ordinary alert Tasks and messages are ordinary
Communications. Controls: start, pause, step (jump the clock to the next scripted event and
play it), speed, inject (an event now), reset (remove the session's resources and load the
same choice again). The trainer's feed is collected from the broker (Tasks, Communications,
Appointments) and the AuditEvents (a trainee opening a patient).
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import logging
import random
import secrets
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any, Final

from server.api.broker import ChangeEvent
from server.rules.codes import ALERT_OUTCOME_SYSTEM, ALERT_RULE_SYSTEM, CLAIMED_AT_URL
from server.sim.observations import iso_utc
from server.sim.programmes import MEASUREMENTS
from server.sim.schedule import OSLO
from server.store import search as s
from server.store.errors import FhirError
from server.store.fhirtime import format_instant
from server.store.registry import RESOURCE_TYPES
from server.training import build
from server.training.format import Scenario

if TYPE_CHECKING:
    from server.api.service import FhirService
    from server.clock import SimClock

log = logging.getLogger("dho.training")

LEAD: Final = 120.0  # the clock is set this long before the first scenario starts
DEFAULT_SPEED: Final = 60.0
MAX_SPEED: Final = 3600.0
DEFAULT_HISTORY_DAYS: Final = 3
ROUTINE_WINDOW: Final = 90 * 60.0  # a scripted value replaces the routine one this close
USERNAME_SYSTEM: Final = "http://dho.example/fhir/sid/username"
ROLE_SYSTEM: Final = "http://dho.example/fhir/CodeSystem/practitioner-role"
JITTER: Final = build.JITTER
AUDIT_PAGE: Final = 1000  # AuditEvents per read of the trainer's view
AUDIT_PAGES: Final = 20  # reads per look, at most (the rest wait for the next look)
TICK: Final = 900.0  # a step runs the rules clock at every quarter hour it jumps over
# Types removed with a session's patients on reset (those that point at a patient).
PATIENT_DATA: Final = (
    "Task",
    "Communication",
    "Observation",
    "QuestionnaireResponse",
    "DetectedIssue",
    "Composition",
    "Appointment",
    "Encounter",
    "ServiceRequest",
    "CarePlan",
    "EpisodeOfCare",
    "RelatedPerson",
)


class TrainingError(Exception):
    """A request the runner refuses (bad choice, wrong state); ``status`` 4xx."""

    def __init__(self, message: str, status: int = 422, code: str = "invalid") -> None:
        super().__init__(message)
        self.status = status
        self.code = code


@dataclass(frozen=True, slots=True)
class Trainee:
    username: str
    practitioner_id: str
    name: str
    organizations: tuple[str, ...]


@dataclass
class Instance:
    """One scenario played for one trainee (or for nobody in particular)."""

    scenario: Scenario
    trainee: Trainee | None
    key: str
    t0: float
    department: dict[str, str]
    patients: dict[str, str] = field(default_factory=dict)  # scenario key -> Patient id
    relatives: dict[tuple[str, str], str] = field(default_factory=dict)
    colleague: dict[str, str] | None = None
    created: list[tuple[str, str]] = field(default_factory=list)
    # (patient key, measurement) -> [(start, end)] when the patient does not measure.
    silent: dict[tuple[str, str], list[tuple[float, float]]] = field(default_factory=dict)

    @property
    def end(self) -> float:
        return self.t0 + self.scenario.duration_minutes * 60.0

    def patient_key(self, patient_id: str) -> str | None:
        for k, v in self.patients.items():
            if v == patient_id:
                return k
        return None


@dataclass(order=True)
class Pending:
    at: float
    seq: int
    instance: Instance = field(compare=False)
    event: dict[str, Any] = field(compare=False)
    routine: bool = field(default=False, compare=False)
    done: bool = field(default=False, compare=False)
    fired_at: float | None = field(default=None, compare=False)


@dataclass
class Session:
    id: str
    scenarios: list[Scenario]
    trainees: list[Trainee]
    loaded_at: float
    state: str = "ready"
    speed: float = DEFAULT_SPEED
    instances: list[Instance] = field(default_factory=list)
    queue: list[Pending] = field(default_factory=list)
    actions: list[dict[str, Any]] = field(default_factory=list)
    tasks_seen: dict[str, dict[str, Any]] = field(default_factory=dict)
    audit_since: str = ""
    #: The change number (``seq``) of the last AuditEvent read. Not their ``recorded`` time:
    #: a stepped or paused clock gives many events one instant, and one stored a moment
    #: after a look would be lost behind a time cursor. One process writes (a training
    #: backend refuses several workers), so seqs commit in order.
    audit_seq: int = 0
    until: float = 0.0
    opened: set[tuple[str, str]] = field(default_factory=set)

    @property
    def end(self) -> float:
        return max((i.end for i in self.instances), default=self.loaded_at)

    def patient_ids(self) -> dict[str, Instance]:
        return {pid: inst for inst in self.instances for pid in inst.patients.values()}


def next_start(now: float, hhmm: str, weekdays_only: bool) -> float:
    """The first moment at local (Oslo) time `hhmm` on or after `now` (+ LEAD), Mon-Fri unless
    the scenario runs on any day."""
    hour, minute = (int(x) for x in hhmm.split(":"))
    day = datetime.fromtimestamp(now, OSLO).date()
    for _ in range(10):
        t = datetime.combine(day, time(hour, minute), tzinfo=OSLO).timestamp()
        if t >= now + LEAD and (not weekdays_only or day.weekday() < 5):
            return t
        day += timedelta(days=1)
    raise AssertionError("no start within ten days")


def _rng(*parts: object) -> random.Random:
    digest = hashlib.sha256("/".join(map(str, parts)).encode()).hexdigest()
    return random.Random(int(digest[:16], 16))


def _value(kind: str, baseline: Mapping[str, float], rng: random.Random) -> Any:
    def one(var: str) -> float:
        base = float(baseline.get(var, build.BASELINE_DEFAULT[var]))
        x = base + rng.uniform(-1, 1) * JITTER[var]
        decimals = 1 if var in ("temp", "weight", "glucose") else 0
        x = round(x, decimals)
        if var == "spo2":
            x = min(100.0, x)
        return int(x) if decimals == 0 else x

    if kind == "bp":
        return (one("sys"), one("dia"))
    return one(kind)


class TrainingRunner:
    """Holds the current session and plays it on the server clock (one job in the app)."""

    def __init__(
        self,
        service: FhirService,
        clock: SimClock,
        library: Callable[[], Mapping[str, Scenario]],
        *,
        people_changed: Callable[[], None] | None = None,
    ) -> None:
        self.service = service
        self.store = service.store
        self.clock = clock
        # Read on first use: parsing and checking the shipped files takes ~0.4 s, which would
        # otherwise sit on every start's path to "listening" (the console's cold start waits
        # for it), while only a superuser's training panel needs them.
        self._read_library = library
        self._library: Mapping[str, Scenario] | None = None
        self.session: Session | None = None
        # Patients and episodes written here change who sees whom (department scoping):
        # the app's scope cache forgets its patient sets at once (server.auth.scope).
        self._people_changed = people_changed or (lambda: None)
        self._lock = asyncio.Lock()
        self._seq = 0
        self._wake = asyncio.Event()
        service.broker.add_listener(self._on_change)

    async def scenarios(self) -> Mapping[str, Scenario]:
        """The library, read in a worker thread the first time (the loop keeps serving)."""
        if self._library is None:
            self._library = await asyncio.to_thread(self._read_library)
        return self._library

    # ----- choosing ---------------------------------------------------------------------------

    def _search(self, res_type: str, params: list[tuple[str, str]]) -> list[dict[str, Any]]:
        plan = s.plan_search(RESOURCE_TYPES[res_type], [*params, ("_count", "1000")])
        return [st.resource() for st in self.store.search(plan).matches]

    def find_trainee(self, username: str) -> Trainee:
        found = self._search("Practitioner", [("identifier", f"{USERNAME_SYSTEM}|{username}")])
        if not found:
            raise TrainingError(f"no user {username!r} on this training server")
        practitioner = found[0]
        roles = self._search(
            "PractitionerRole", [("practitioner", f"Practitioner/{practitioner['id']}")]
        )
        orgs = tuple(
            str(r["organization"]["reference"]).rpartition("/")[2]
            for r in roles
            if r.get("active", True) and r.get("organization")
        )
        name = str((practitioner.get("name") or [{}])[0].get("text") or username)
        return Trainee(username, str(practitioner["id"]), name, orgs)

    def _department(self, patient: Mapping[str, Any], trainee: Trainee | None) -> dict[str, str]:
        from server.auth.scope import build_graph

        orgs = {o["id"]: o for o in self.store.all_of_type("Organization")}
        wanted = patient.get("department") or build.DEFAULT_DEPARTMENT[patient["programme"]]
        if trainee is not None:
            graph = build_graph(list(orgs.values()))
            covered: set[str] = set()
            for org in trainee.organizations:
                covered |= graph.covered(org)
            if wanted not in covered:
                choices = [d for d in build.DEFAULT_DEPARTMENT.values() if d in covered]
                choices += sorted(c for c in covered if c in orgs)
                wanted = choices[0] if choices else wanted
        if wanted not in orgs:
            raise TrainingError(f"no department {wanted!r} on this server")
        return {
            "reference": f"Organization/{wanted}",
            "display": str(orgs[wanted].get("name", wanted)),
        }

    # ----- loading ----------------------------------------------------------------------------

    async def load(self, scenarios: list[Scenario], usernames: list[str]) -> Session:
        """Replace any session by a new one (paused, state ready)."""
        trainees = [await self.service.run(self.find_trainee, u) for u in usernames]
        for sc in scenarios:  # check every choice before anything is written
            for p in sc.patients:
                for t in trainees or [None]:  # type: ignore[list-item]
                    await self.service.run(self._department, p, t)
        async with self._lock:
            if self.session is not None:
                await self._remove(self.session)
            await self._remove_leftovers()
            self.clock.set_speed(0)
            now = self.clock.now()
            starts = {
                sc.name: next_start(
                    now, sc.data["start"], sc.data.get("weekday", "weekday") == "weekday"
                )
                for sc in scenarios
            }
            first = min(starts.values())
            if first - LEAD > now:
                self.clock.advance(first - LEAD - now)
            session = Session(secrets.token_hex(6), scenarios, trainees, self.clock.now())
            # Every scenario patient measures as usual until the whole session ends.
            session.until = max(starts[sc.name] + sc.duration_minutes * 60.0 for sc in scenarios)
            session.audit_since = format_instant(int(session.loaded_at * 1e6))
            session.audit_seq = await self.service.run(self.store.max_seq)
            for sc in scenarios:
                for trainee in trainees or [None]:  # type: ignore[list-item]
                    inst = await self._instantiate(session, sc, trainee, starts[sc.name])
                    session.instances.append(inst)
            session.queue.sort()
            self.session = session
            await self._fire_due(session, self.clock.now())
        self._wake.set()
        return session

    async def _create(self, inst: Instance, res_type: str, body: dict[str, Any]) -> str:
        stored = await self.service.create(res_type, body)
        inst.created.append((res_type, stored.res_id))
        if res_type in ("Patient", "EpisodeOfCare"):
            self._people_changed()
        return stored.res_id

    async def _instantiate(
        self, session: Session, sc: Scenario, trainee: Trainee | None, t0: float
    ) -> Instance:
        key = f"{session.id}/{trainee.username if trainee else '-'}/{sc.name}"
        first = sc.patients[0]
        inst = Instance(
            sc, trainee, key, t0, await self.service.run(self._department, first, trainee)
        )
        now = self.clock.now()
        for e in sc.events:  # the silences are known in advance (routine slots inside skip)
            if e["kind"] == "missed":
                until = t0 + float(e.get("until", sc.duration_minutes)) * 60.0
                for m in e["measurements"]:
                    inst.silent.setdefault((e["patient"], m), []).append(
                        (t0 + float(e["at"]) * 60.0, until)
                    )
        for p in sc.patients:
            department = await self.service.run(self._department, p, trainee)
            pid = await self._create(inst, "Patient", build.patient_resource(p, department, key))
            inst.patients[p["key"]] = pid
            days = int(p.get("history_days", DEFAULT_HISTORY_DAYS))
            enrolled = t0 - (days + 30) * 86400.0
            episode = await self._create(
                inst, "EpisodeOfCare", build.episode_resource(p, pid, department, enrolled)
            )
            for r, body in zip(
                p.get("relatives") or (), build.relative_resources(p, pid), strict=True
            ):
                inst.relatives[(p["key"], r["key"])] = await self._create(
                    inst, "RelatedPerson", body
                )
            careplan = build.careplan_resource(p, pid, episode, enrolled)
            careplan_id = await self._create(inst, "CarePlan", careplan)
            activity = []
            for sr in build.service_requests(p, pid, careplan_id, enrolled):
                sr_id = await self._create(inst, "ServiceRequest", sr)
                activity.append(
                    {
                        "reference": {
                            "reference": f"ServiceRequest/{sr_id}",
                            "display": sr["code"]["text"],
                        }
                    }
                )
            await self.service.update(
                "CarePlan", careplan_id, {**careplan, "id": careplan_id, "activity": activity}, 1
            )
            history = []
            for at, kind in self._routine_slots(p, t0 - days * 86400.0, session.until):
                if self._scripted_near(sc, t0, p["key"], kind, at):
                    continue
                if self._silent(inst, p["key"], kind, at):
                    continue
                event = {"kind": "routine", "patient": p["key"], "measurement": kind}
                if at < now:
                    value = _value(kind, p.get("baseline") or {}, _rng(key, p["key"], kind, at))
                    history.append(("Observation", build.observation(pid, kind, value, at)))
                else:
                    session.queue.append(self._pending(at, inst, event, routine=True))
            if history:
                await self.service.create_many(history)
        for e in sc.events:
            session.queue.append(self._pending(t0 + float(e["at"]) * 60.0, inst, e))
        return inst

    def _pending(
        self, at: float, inst: Instance, event: dict[str, Any], *, routine: bool = False
    ) -> Pending:
        self._seq += 1
        return Pending(at, self._seq, inst, event, routine)

    @staticmethod
    def _routine_slots(p: Mapping[str, Any], start: float, end: float) -> list[tuple[float, str]]:
        out = []
        day = datetime.fromtimestamp(start, OSLO).date()
        last = datetime.fromtimestamp(end, OSLO).date()
        epoch = date(2000, 1, 3)  # a Monday: every-n-days measurements fall on fixed days
        while day <= last:
            for kind, times, every in build.schedule_of(p["programme"]):
                if (day - epoch).days % every:
                    continue
                for t in times:
                    at = datetime.combine(day, t, tzinfo=OSLO).timestamp()
                    if start <= at <= end:
                        out.append((at, kind))
            day += timedelta(days=1)
        return sorted(out)

    @staticmethod
    def _scripted_near(sc: Scenario, t0: float, key: str, kind: str, at: float) -> bool:
        for e in sc.events:
            if e["patient"] != key:
                continue
            if e["kind"] == "observation" and e["measurement"] == kind:
                if abs(t0 + float(e["at"]) * 60.0 - at) <= ROUTINE_WINDOW:
                    return True
        return False

    # ----- playing ----------------------------------------------------------------------------

    async def run(self, _service: FhirService) -> None:
        """The background job: play what falls due while the session runs."""
        while True:
            session = self.session
            wait = 1.0
            if session is not None and session.state == "running":
                try:
                    async with self._lock:
                        if self.session is session:
                            await self._fire_due(session, self.clock.now())
                            self._check_finished(session)
                except asyncio.CancelledError:
                    raise
                except Exception:  # one bad event must not stop the session
                    log.exception("the training runner failed to play an event")
                nxt = self._next(session)
                if nxt is not None:
                    wait = max(0.0, nxt.at - self.clock.now())
            self._wake.clear()
            sleeper = asyncio.ensure_future(self.clock.sleep(wait, max_real=0.5, min_real=0.02))
            waker = asyncio.ensure_future(self._wake.wait())
            try:
                await asyncio.wait({sleeper, waker}, return_when=asyncio.FIRST_COMPLETED)
            finally:
                for f in (sleeper, waker):
                    f.cancel()
                await asyncio.gather(sleeper, waker, return_exceptions=True)

    @staticmethod
    def _next(session: Session, *, script: bool = False) -> Pending | None:
        for p in session.queue:
            if not p.done and not (script and p.routine):
                return p
        return None

    def _check_finished(self, session: Session) -> None:
        if self._next(session) is None and self.clock.now() >= session.end:
            session.state = "finished"

    async def _fire_due(self, session: Session, now: float) -> int:
        fired = 0
        for p in session.queue:
            if p.done or p.at > now:
                continue
            try:
                await self._fire(session, p)
            except FhirError as exc:  # a scripted step the data no longer allows: say so
                log.warning("training event %s failed: %s", p.event.get("kind"), exc)
            p.done = True
            p.fired_at = now
            fired += 1
        if fired:
            rules = self.service.rules
            tick = getattr(rules, "tick", None)
            if tick is not None:
                await tick(now)
        return fired

    async def _fire(self, session: Session, p: Pending) -> None:
        inst, e = p.instance, p.event
        kind = e["kind"]
        pkey = e["patient"]
        pid = inst.patients[pkey]
        at = p.at
        patient = next(x for x in inst.scenario.patients if x["key"] == pkey)
        value: Any
        if kind == "routine":
            if self._silent(inst, pkey, e["measurement"], at):
                return
            value = _value(
                e["measurement"],
                patient.get("baseline") or {},
                _rng(inst.key, pkey, e["measurement"], at),
            )
            await self._create(
                inst, "Observation", build.observation(pid, e["measurement"], value, at)
            )
        elif kind == "observation":
            m = e["measurement"]
            value = (e["value"], e["value2"]) if m == "bp" else e["value"]
            decimals = MEASUREMENTS[m].decimals
            if m != "bp" and decimals == 0 and float(value).is_integer():
                value = int(value)
            await self._create(inst, "Observation", build.observation(pid, m, value, at))
        elif kind == "questionnaire":
            await self._create(
                inst,
                "QuestionnaireResponse",
                build.questionnaire_response(pid, e["form"], e["answers"], at),
            )
        elif kind in ("message", "contact-request", "video-request"):
            sender = self._sender(inst, pkey, patient, str(e.get("from", "patient")))
            category = "patient-thread" if kind == "message" else "contact-request"
            text = self._text(e["text"], patient)
            body = build.message(pid, sender, category, text, at, f"training-{inst.key}-{p.seq}")
            await self._create(inst, "Communication", body)
        elif kind == "service-message":
            org = e["organization"]
            stored, _ = await self.service.conditional_create(
                "Organization",
                build.organization(org["id"], org["name"]),
                [("identifier", f"{build.ORGANIZATION_KEY_SYSTEM}|{org['id']}")],
                "",
            )
            ref = {"reference": f"Organization/{stored.res_id}", "display": org["name"]}
            text = self._text(e["text"], patient)
            body = build.message(
                pid,
                ref,
                "colleague-thread",
                text,
                at,
                f"training-{inst.key}-{p.seq}",
                colleague=True,
                organization=ref,
            )
            body["recipient"] = [inst.department]
            await self._create(inst, "Communication", body)
        elif kind == "missed":
            until = inst.t0 + float(e.get("until", inst.scenario.duration_minutes)) * 60.0
            if e.get("injected"):  # a file's silences were planned at load
                for m in e["measurements"]:
                    inst.silent.setdefault((pkey, m), []).append((at, until))
            row = (
                pid,
                "skipped",
                int(at * 1e6),
                int(until * 1e6),
                json.dumps({"kinds": e["measurements"], "reason": e.get("reason", "forgot")}),
            )
            await self.service.run(self.store.add_truth, [row])
        elif kind in ("colleague-claim", "colleague-resolve"):
            await self._colleague(inst, pid, e, at)

    @staticmethod
    def _silent(inst: Instance, pkey: str, kind: str, at: float) -> bool:
        return any(a <= at <= b for a, b in inst.silent.get((pkey, kind), ()))

    def _sender(
        self, inst: Instance, pkey: str, patient: Mapping[str, Any], sender: str
    ) -> dict[str, str]:
        if sender.startswith("relative:"):
            rkey = sender[9:]
            r = next(x for x in patient.get("relatives") or () if x["key"] == rkey)
            return {
                "reference": f"RelatedPerson/{inst.relatives[(pkey, rkey)]}",
                "display": f"{r['given']} {r['family']}",
            }
        return {
            "reference": f"Patient/{inst.patients[pkey]}",
            "display": build.full_name(dict(patient)),
        }

    @staticmethod
    def _text(text: Any, patient: Mapping[str, Any]) -> str:
        if isinstance(text, str):
            return text
        return str(text.get(patient.get("language", "nb")) or text["nb"])

    async def _colleague(self, inst: Instance, pid: str, e: Mapping[str, Any], at: float) -> None:
        """The simulated second nurse claims (or resolves) the patient's open alert of a rule,
        version-aware like a console (on 412 she reads again; a trainee who holds it wins)."""
        if inst.colleague is None:
            name = str(e.get("nurse") or "Kari Kollega")
            cid = await self._create(inst, "Practitioner", build.colleague(name, inst.key))
            inst.colleague = {"reference": f"Practitioner/{cid}", "display": name}
        for _ in range(3):
            tasks = await self.service.run(
                self._search_stored,
                "Task",
                [
                    ("patient", f"Patient/{pid}"),
                    ("code", f"{ALERT_RULE_SYSTEM}|{e['rule']}"),
                    ("status", "requested,in-progress,on-hold"),
                ],
            )
            if not tasks:
                return
            current = tasks[0]
            task = current.resource()
            owner = (task.get("owner") or {}).get("reference")
            if owner and owner != inst.colleague["reference"]:
                return  # someone (the trainee) has it: the colleague leaves it
            stamp = iso_utc(at)
            task["owner"] = dict(inst.colleague)
            task["lastModified"] = stamp
            period = dict(task.get("executionPeriod") or {})
            period.setdefault("start", stamp)
            if e["kind"] == "colleague-claim":
                task["status"] = "in-progress"
                exts = [x for x in task.get("extension", ()) if x.get("url") != CLAIMED_AT_URL]
                task["extension"] = [*exts, {"url": CLAIMED_AT_URL, "valueDateTime": stamp}]
            else:
                task["status"] = "completed"
                period["end"] = stamp
                task["businessStatus"] = {
                    "coding": [{"system": ALERT_OUTCOME_SYSTEM, "code": e["outcome"]}]
                }
            task["executionPeriod"] = period
            try:
                await self.service.update("Task", current.res_id, task, current.version_id)
                return
            except FhirError as exc:
                if exc.status != 412:
                    raise

    def _search_stored(self, res_type: str, params: list[tuple[str, str]]) -> list[Any]:
        plan = s.plan_search(RESOURCE_TYPES[res_type], [*params, ("_count", "1000")])
        return list(self.store.search(plan).matches)

    # ----- controls ---------------------------------------------------------------------------

    def _require(self) -> Session:
        if self.session is None:
            raise TrainingError(
                "no scenario is loaded; load one first ($scenario-load)", 409, "conflict"
            )
        return self.session

    async def control(
        self, action: str, *, speed: float | None = None, event: Mapping[str, Any] | None = None
    ) -> Session:
        session = self._require()
        if action == "start":
            if session.state == "finished":
                raise TrainingError(
                    "the session has finished; reset it to play again", 409, "conflict"
                )
            session.state = "running"
            self.clock.set_speed(session.speed)
        elif action == "pause":
            if session.state == "running":
                session.state = "paused"
            self.clock.set_speed(0)
        elif action == "speed":
            if speed is None or not 0 < speed <= MAX_SPEED:
                raise TrainingError(
                    f"speed must be a number above 0 and at most {MAX_SPEED:g}", 400
                )
            session.speed = float(speed)
            if session.state == "running":
                self.clock.set_speed(session.speed)
        elif action == "step":
            await self.step(session)
        elif action == "inject":
            await self.inject(session, event or {})
        elif action == "reset":
            await self.reset()
            return self._require()
        else:
            raise TrainingError(f"unknown action {action!r}", 400)
        self._wake.set()
        return session

    async def step(self, session: Session) -> None:
        """Pause, move the clock to the next scripted event and play everything up to it."""
        async with self._lock:
            self.clock.set_speed(0)
            if session.state == "running":
                session.state = "paused"
            nxt = self._next(session, script=True)
            if nxt is None:
                await self._jump(session, session.end)
                session.state = "finished"
                return
            await self._jump(session, nxt.at)
            if session.state == "ready":
                session.state = "paused"
            self._check_finished(session)

    async def _jump(self, session: Session, target: float) -> None:
        """Move the paused clock to `target`, playing what falls due on the way and running
        the rules clock at each quarter hour (reminders, adherence items, holds, escalation
        come when they would have while running)."""
        rules = self.service.rules
        tick = getattr(rules, "tick", None)
        now = self.clock.now()
        mark = (now // TICK + 1) * TICK
        while mark < target:
            self.clock.advance(mark - self.clock.now())
            if not await self._fire_due(session, mark) and tick is not None:
                await tick(mark)
            mark += TICK
        if target > self.clock.now():
            self.clock.advance(target - self.clock.now())
        if not await self._fire_due(session, max(self.clock.now(), target)) and tick is not None:
            await tick(self.clock.now())

    async def inject(self, session: Session, event: Mapping[str, Any]) -> None:
        from server.training.format import check_event

        scenario = str(event.get("scenario") or "")
        trainee = event.get("trainee")
        body = {k: v for k, v in event.items() if k not in ("scenario", "trainee")}
        targets = [
            i
            for i in session.instances
            if (not scenario or i.scenario.name == scenario)
            and (trainee is None or (i.trainee is not None and i.trainee.username == trainee))
        ]
        if not targets:
            raise TrainingError("inject: no loaded scenario matches 'scenario' (and 'trainee')")
        now = self.clock.now()
        body.setdefault("at", 0)
        body.setdefault(
            "summary",
            {
                "en": "Injected by the trainer",
                "nb": "Lagt inn av instruktøren",
                "nn": "Lagt inn av instruktøren",
            },
        )
        for inst in targets:
            if "patient" not in body and len(inst.patients) == 1:
                body["patient"] = next(iter(inst.patients))
            check_event(body, inst.scenario)
        async with self._lock:
            for inst in targets:
                p = self._pending(now, inst, {**body, "injected": True})
                session.queue.append(p)
            session.queue.sort()
            await self._fire_due(session, now)

    async def reset(self) -> Session:
        """Remove the session's resources and load the same scenarios and trainees again."""
        session = self._require()
        return await self.load(session.scenarios, [t.username for t in session.trainees])

    async def _remove(self, session: Session) -> None:
        """Delete what the session wrote and what was written about its patients (the audit
        trail stays)."""
        for pid in session.patient_ids():
            await self._remove_patient_data(pid)
        for inst in session.instances:
            for res_type, rid in reversed(inst.created):
                await self._delete(res_type, rid)
        self.session = None

    async def _remove_leftovers(self) -> None:
        """Scenario patients (and scripted colleagues) of sessions this process no longer
        knows (a restart forgot them): found by their training-instance identifier."""
        system = f"{build.INSTANCE_SYSTEM}|"
        for res_type in ("Patient", "Practitioner"):
            found = await self.service.run(self._search_stored, res_type, [("identifier", system)])
            for st in found:
                if res_type == "Patient":
                    await self._remove_patient_data(st.res_id)
                await self._delete(res_type, st.res_id)

    async def _remove_patient_data(self, pid: str) -> None:
        for res_type in PATIENT_DATA:
            try:
                found = await self.service.run(
                    self._search_stored, res_type, [("patient", f"Patient/{pid}")]
                )
            except FhirError:
                continue
            for st in found:
                await self._delete(res_type, st.res_id)

    async def _delete(self, res_type: str, res_id: str) -> None:
        try:
            await self.service.delete(res_type, res_id, None)
        except FhirError:
            pass
        if res_type in ("Patient", "EpisodeOfCare"):
            self._people_changed()

    # ----- the trainer's feed -----------------------------------------------------------------

    def _who(self, session: Session, reference: str | None) -> str | None:
        if not reference:
            return None
        for t in session.trainees:
            if reference == f"Practitioner/{t.practitioner_id}":
                return t.username
        for inst in session.instances:
            if inst.colleague and inst.colleague["reference"] == reference:
                return "colleague"
        return None

    def _on_change(self, events: list[ChangeEvent], _local: bool) -> None:
        session = self.session
        if session is None:
            return
        patients = session.patient_ids()
        for event in events:
            if event.res_type not in ("Task", "Communication", "Appointment") or not event.data:
                continue
            try:
                res = json.loads(event.data)
            except ValueError:
                continue
            try:
                self._observe(session, patients, event, res)
            except (KeyError, TypeError, AttributeError):
                continue

    def _observe(
        self,
        session: Session,
        patients: dict[str, Instance],
        event: ChangeEvent,
        res: dict[str, Any],
    ) -> None:
        at = str(res.get("meta", {}).get("lastUpdated") or event.last_updated)
        if event.res_type == "Task":
            pid = str((res.get("for") or {}).get("reference", "")).rpartition("/")[2]
            if pid not in patients:
                return
            before = session.tasks_seen.get(event.res_id, {})
            session.tasks_seen[event.res_id] = res
            owner = (res.get("owner") or {}).get("reference")
            rule = next(
                (
                    c.get("code")
                    for c in res.get("code", {}).get("coding", ())
                    if c.get("system") == ALERT_RULE_SYSTEM
                ),
                None,
            )
            base = {
                "at": at,
                "patient": pid,
                "scenario": patients[pid].scenario.name,
                "task": event.res_id,
                "rule": rule,
            }
            if not before:
                self._act(
                    session,
                    {**base, "trainee": None, "kind": "alert", "detail": res.get("priority")},
                )
            who = self._who(session, owner)
            if (
                owner
                and owner != (before.get("owner") or {}).get("reference")
                and res.get("status") == "in-progress"
            ):
                self._act(
                    session,
                    {
                        **base,
                        "trainee": who or owner,
                        "kind": "claim",
                        "detail": (res.get("owner") or {}).get("display"),
                    },
                )
            if res.get("status") == "completed" and before.get("status") != "completed":
                outcome = next(
                    (c.get("code") for c in (res.get("businessStatus") or {}).get("coding", ())),
                    None,
                )
                self._act(
                    session, {**base, "trainee": who or owner, "kind": "resolve", "detail": outcome}
                )
            if res.get("status") == "requested" and before.get("status") == "in-progress":
                prev = self._who(session, (before.get("owner") or {}).get("reference"))
                self._act(session, {**base, "trainee": prev, "kind": "release", "detail": None})
            esc = [
                x
                for x in res.get("extension", ())
                if str(x.get("url", "")).endswith("/escalated-at")
            ]
            had = [
                x
                for x in before.get("extension", ())
                if str(x.get("url", "")).endswith("/escalated-at")
            ]
            if esc and not had:
                self._act(
                    session, {**base, "trainee": None, "kind": "escalated", "detail": "server"}
                )
            recipients = {
                r.get("reference") for r in res.get("restriction", {}).get("recipient", ())
            }
            old = (
                {r.get("reference") for r in before.get("restriction", {}).get("recipient", ())}
                if before
                else recipients
            )
            if before and recipients != old and not (esc and not had):
                self._act(
                    session,
                    {
                        **base,
                        "trainee": who,
                        "kind": "escalate",
                        "detail": ", ".join(sorted(str(r) for r in recipients - old)),
                    },
                )
            if (
                before
                and len(res.get("note", ())) > len(before.get("note", ()))
                and not (esc and not had)
            ):
                note = res["note"][-1]
                author = self._who(session, (note.get("authorReference") or {}).get("reference"))
                self._act(
                    session,
                    {**base, "trainee": author, "kind": "comment", "detail": note.get("text")},
                )
        elif event.action == "create":
            subject = res.get("subject") or res.get("participant", [{}])[0].get("actor") or {}
            pid = str(subject.get("reference", "")).rpartition("/")[2]
            if event.res_type == "Appointment":
                refs = [
                    str((x.get("actor") or {}).get("reference", ""))
                    for x in res.get("participant", ())
                ]
                pid = next((r.rpartition("/")[2] for r in refs if r.startswith("Patient/")), "")
                who = next((self._who(session, r) for r in refs if self._who(session, r)), None)
                if pid in patients:
                    self._act(
                        session,
                        {
                            "at": at,
                            "patient": pid,
                            "scenario": patients[pid].scenario.name,
                            "trainee": who,
                            "kind": "video-call",
                            "detail": None,
                        },
                    )
                return
            if pid not in patients:
                return
            sender = str((res.get("sender") or {}).get("reference", ""))
            who = self._who(session, sender)
            category = next(
                (c.get("code") for cat in res.get("category", ()) for c in cat.get("coding", ())),
                None,
            )
            if who is not None and who != "colleague":
                to = [str(r.get("reference", "")) for r in res.get("recipient", ())]
                self._act(
                    session,
                    {
                        "at": at,
                        "patient": pid,
                        "scenario": patients[pid].scenario.name,
                        "trainee": who,
                        "kind": "message",
                        "detail": category,
                        "recipients": to,
                        "message": event.res_id,
                    },
                )

    @staticmethod
    def _act(session: Session, action: dict[str, Any]) -> None:
        session.actions.append(action)
        del session.actions[:-5000]

    def fetch_audit(self, after_seq: int) -> tuple[list[dict[str, Any]], int]:
        """AuditEvents stored after change ``after_seq`` and the last one's seq (a blocking
        store call: run it in a thread). Several pages: one clock step can carry more."""
        out: list[dict[str, Any]] = []
        seq = after_seq
        for _page in range(AUDIT_PAGES):
            rows = list(self.store.iter_changes(seq, AUDIT_PAGE, res_type="AuditEvent"))
            out += [st.resource() for st in rows]
            if rows:
                seq = rows[-1].seq
            if len(rows) < AUDIT_PAGE:
                break
        return out, seq

    async def collect_opens(self) -> None:
        """Add the trainees' openings of their patients (AuditEvents since the last look)."""
        session = self.session
        if session is None or not session.trainees:
            return
        found, session.audit_seq = await self.service.run(self.fetch_audit, session.audit_seq)
        if self.session is not session:
            return
        patients = session.patient_ids()
        agents = {f"Practitioner/{t.practitioner_id}": t.username for t in session.trainees}
        for ev in found:
            recorded = str(ev.get("recorded", ""))
            if recorded < session.audit_since:
                continue  # an access before the load, stored a moment after it
            who = None
            for agent in ev.get("agent", ()):
                who = who or agents.get(str((agent.get("who") or {}).get("reference")))
            if who is None:
                continue
            subtype = next((c.get("code") for c in ev.get("subtype", ())), None)
            for entity in ev.get("entity", ()):
                ref = str((entity.get("what") or {}).get("reference", ""))
                pid = ref.rpartition("/")[2]
                if not ref.startswith("Patient/") or pid not in patients:
                    continue
                if subtype != "read" and not self._query_names(ev, pid):
                    continue
                if (who, pid) in session.opened:
                    continue
                session.opened.add((who, pid))
                self._act(
                    session,
                    {
                        "at": recorded,
                        "patient": pid,
                        "scenario": patients[pid].scenario.name,
                        "trainee": who,
                        "kind": "open",
                        "detail": subtype,
                    },
                )
        session.actions.sort(key=lambda a: str(a["at"]))

    @staticmethod
    def _query_names(ev: Mapping[str, Any], pid: str) -> bool:
        import base64

        for entity in ev.get("entity", ()):
            query = entity.get("query")
            if query:
                try:
                    text = base64.b64decode(query).decode("utf-8", "replace")
                except ValueError:
                    continue
                if pid in text:
                    return True
        return False

    async def elapsed(self) -> Callable[[Instance], Callable[[float, float], float]]:
        """Per instance: seconds of its centre's opening hours between two instants (the
        lead's review counts times to claim and resolve that way); wall seconds without
        rules."""
        centres = getattr(self.service.rules, "centres", None)
        if centres is None:
            return lambda _inst: lambda a, b: max(0.0, b - a)
        known = await centres()

        def of(inst: Instance) -> Callable[[float, float], float]:
            hours = known.hours(inst.department["reference"].rpartition("/")[2])
            return lambda a, b: max(0.0, hours.open_seconds(a, b)) if b > a else 0.0

        return of

    # ----- answers ----------------------------------------------------------------------------

    def status(self) -> dict[str, Any]:
        session = self.session
        now = self.clock.now()
        if session is None:
            return {
                "session": None,
                "state": "empty",
                "sim_time": _iso(now),
                "speed": self.clock.speed,
                "scenarios": [],
                "trainees": [],
                "events": [],
                "actions": [],
            }
        events: dict[tuple[str, int], dict[str, Any]] = {}
        for p in session.queue:
            if p.routine:
                continue
            k = (p.instance.scenario.name, int(p.event.get("index", -p.seq)))
            entry = events.get(k)
            if entry is None:
                events[k] = {
                    "at": _iso(p.at),
                    "scenario": p.instance.scenario.name,
                    "kind": p.event["kind"],
                    "summary": p.event["summary"],
                    "done": p.done,
                    "injected": bool(p.event.get("injected")),
                }
            else:
                entry["done"] = entry["done"] and p.done
        return {
            "session": session.id,
            "state": session.state,
            "sim_time": _iso(now),
            "speed": session.speed,
            "clock_speed": self.clock.speed,
            "scenarios": [
                {
                    **sc.listing(),
                    "start_at": _iso(min(i.t0 for i in session.instances if i.scenario is sc)),
                    "end_at": _iso(max(i.end for i in session.instances if i.scenario is sc)),
                    # For the trainer's eyes only (this answer is the trainer's).
                    "truth": sc.truth["summary"],
                    "expected": {
                        k: v
                        for k, v in sc.expected.items()
                        if k
                        in (
                            "outcome",
                            "referral",
                            "claim_within_minutes",
                            "resolve_within_minutes",
                            "trainee_claims",
                            "actions",
                            "debrief",
                        )
                    },
                }
                for sc in session.scenarios
            ],
            "trainees": [{"username": t.username, "name": t.name} for t in session.trainees],
            "patients": [
                {
                    "id": pid,
                    "scenario": i.scenario.name,
                    "key": i.patient_key(pid),
                    "trainee": i.trainee.username if i.trainee else None,
                }
                for i in session.instances
                for pid in i.patients.values()
            ],
            "events": sorted(events.values(), key=lambda e: e["at"]),
            "actions": list(session.actions),
        }


def _iso(t: float) -> str:
    return format_instant(int(t * 1e6))
