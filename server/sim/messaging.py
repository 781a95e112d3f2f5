"""The messaging simulator: simulated patients and relatives write, answer and join video calls.

Driven by ``now`` like the measurement simulator (:mod:`server.sim.simulator`), on the same
simulated clock (``sim = start + (now - start) * speed``), and deterministic given the seed, the
people and the sequence of calls. The server feeds it every committed Communication and
Appointment (:meth:`MessagingSimulator.observe`, from a broker listener) and writes what
:meth:`MessagingSimulator.due` returns through the normal write path (:func:`apply`), so the
rules engine and the notification feeds see simulated messages like real ones.

What the simulated people do:

- **Answer** a service message in the patient thread (category ``patient-thread`` or
  ``remeasure-request`` from a Practitioner or Organization) with probability
  :attr:`Rates.reply` (``remeasure-request``: :attr:`Rates.reply_remeasure`; a service message
  that itself answers one of ours: :attr:`Rates.reply_to_reply`), after
  :attr:`Rates.reply_delay` simulated seconds (20 min to 6 h 40 min; at the default speed 40
  that is 30 s to 10 min of real time), with a phrase picked by a little intent detection on the
  nurse's text (measure again, call me, video, a question, anything else). The answer carries
  ``inResponseTo`` and the thread id of the message it answers. A relative answers when the
  nurse wrote to them, when the patient has dementia (the relative answers for them), and now
  and then otherwise.
- **Ask** their own questions (:attr:`Rates.questions_per_day` per patient and simulated day,
  between 08 and 21 local time) from a phrase bank of their programme (heart failure: weight,
  ankles, breathlessness; COPD: breathlessness, inhaler; diabetes: glucose, food; ...).
- **Ask to be contacted** (category ``contact-request``, sender the Patient, so the rules raise
  a yellow alert) at :attr:`Rates.contact_requests_per_day`; never for patients with dementia.
- **Accept a video invitation**: an Appointment with the patient as a ``needs-action``
  participant is accepted after :attr:`Rates.video_accept_delay` *real* seconds (a call happens
  now, whatever the speed) with a version-aware update, then "Jeg er klar!" in the patient
  thread.

Defaults for a 300-patient centre at the default speed 40 (one real hour = 40 simulated hours,
about 500 patient-days): ~4 questions and ~2 contact requests an hour, plus answers to about
70 % of what the nurses write. Never a flood: at most one spontaneous message per patient per
simulated hour and kind.

Every create is conditional on a ``message-key`` identifier fixed by what it is (spontaneous
messages: seed, patient, kind and the simulated instant; answers: the message answered), so a
restart, which replays part of the simulated timeline, creates nothing twice.
"""

from __future__ import annotations

import heapq
import logging
import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, Final
from zoneinfo import ZoneInfo

from server.sim.population import programme_of
from server.sim.rand import mix, text_key, uniform, unit
from server.sim.relatives import PROXY, RELATIVE_ROLE_SYSTEM

if TYPE_CHECKING:
    from server.api.service import FhirService

log = logging.getLogger("dho.sim.messaging")

DHO: Final = "http://dho.example/fhir"
CATEGORY_SYSTEM: Final = f"{DHO}/CodeSystem/communication-category"
THREAD_ID_URL: Final = f"{DHO}/StructureDefinition/thread-id"
MESSAGE_KEY_SYSTEM: Final = f"{DHO}/sid/message-key"
OSLO: Final = ZoneInfo("Europe/Oslo")
HOUR: Final = 3600.0
WAKING: Final = (8, 21)  # local hours in which people write on their own

QUESTION: Final = 1
CONTACT: Final = 2

# ----- phrase banks (Bokmål) ---------------------------------------------------------------

REPLIES: Final[dict[str, tuple[str, ...]]] = {
    "remeasure": (
        "Takk, jeg måler igjen nå.",
        "Ok, jeg tar en ny måling med en gang.",
        "Skal gjøre det. Jeg hvilte litt først, så måler jeg på nytt.",
        "Jeg har målt igjen nå, håper det ser bedre ut.",
    ),
    "call": (
        "Ja, det går fint å ringe etter klokka 14.",
        "Bare ring, jeg er hjemme hele dagen.",
        "Dere kan ringe nå, jeg har telefonen ved siden av meg.",
        "Ring gjerne i morgen formiddag, i dag er jeg hos frisøren.",
    ),
    "video": (
        "Ja, videosamtale passer fint. Jeg sitter klar med nettbrettet.",
        "Det går bra. Må jeg trykke på lenken når dere ringer?",
        "Ja takk, datteren min hjelper meg med nettbrettet.",
    ),
    "question": (
        "Det går greit, takk. Litt sliten i dag, men ellers bra.",
        "Jeg har det ganske bra, takk som spør.",
        "Nei, ikke noe nytt. Jeg tar medisinene som vanlig.",
        "Ja, jeg har sovet dårlig et par netter, men det er bedre nå.",
    ),
    "general": (
        "Takk for beskjed!",
        "Tusen takk, det var godt å høre.",
        "Ok, skjønner. Takk!",
        "Takk skal dere ha.",
    ),
    "relative": (
        "Takk for beskjed. Jeg er hos mamma i ettermiddag og hjelper henne.",
        "Takk! Jeg sier det til far når jeg ringer ham i kveld.",
        "Fint, jeg følger med på det. Bare ta kontakt med meg om noe.",
    ),
}
QUESTIONS: Final[dict[str, tuple[str, ...]]] = {
    "heart-failure": (
        "Vekten har gått opp nesten to kilo siden mandag. Skal jeg ta en ekstra vanndrivende?",
        "Ankelene er mer hovne enn vanlig i dag. Er det noe å bekymre seg for?",
        "Jeg blir mer andpusten når jeg går trappene. Bør jeg gjøre noe?",
        "Jeg glemte å veie meg i morges. Går det bra å gjøre det nå?",
    ),
    "copd": (
        "Jeg er mer tungpustet enn vanlig i dag. Skal jeg starte med kuren?",
        "Inhalatoren min er snart tom. Hvem skal jeg kontakte?",
        "Oksygenmetningen var 89 i morges. Er det greit?",
        "Jeg hoster mer og slimet er grønnere. Hva bør jeg gjøre?",
    ),
    "diabetes-t2": (
        "Blodsukkeret var 13 etter middag. Er det for høyt?",
        "Hva bør jeg spise når blodsukkeret er lavt?",
        "Jeg skal på bursdag i morgen. Hvordan gjør jeg det med kaken?",
        "Målingen i morges var 4,1. Skal jeg gjøre noe?",
    ),
    "hypertension": (
        "Blodtrykket var høyere i dag enn vanlig. Skal jeg måle igjen?",
        "Jeg blir svimmel når jeg reiser meg. Kan det være tablettene?",
        "Er det greit å ta blodtrykket etter at jeg har gått tur?",
    ),
    "cancer": (
        "Jeg har hatt litt feber i kveld, 37,9. Når skal jeg ringe?",
        "Jeg er veldig sliten etter kuren. Er det normalt?",
        "Jeg har lite matlyst. Har dere noen råd?",
    ),
    "rehabilitation": (
        "Øvelsene gjør vondt i kneet. Skal jeg fortsette?",
        "Jeg gikk en lengre tur i dag. Pulsen var høy etterpå, er det greit?",
        "Når kommer fysioterapeuten neste gang?",
    ),
}
RELATIVE_QUESTIONS: Final = (
    "Mamma virker mer forvirret enn vanlig i dag. Har dere sett noe i målingene?",
    "Far har ikke målt i dag, jeg skal minne ham på det i kveld.",
    "Jeg er bekymret for at hun ikke spiser nok. Kan noen se innom?",
    "Kan dere si fra til meg hvis verdiene endrer seg? Jeg bor litt unna.",
)
CONTACT_REQUESTS: Final = (
    "Kan dere ringe meg? Jeg føler meg ikke helt bra.",
    "Vær så snill og ring meg når dere har tid.",
    "Jeg vil gjerne snakke med sykepleieren om medisinene.",
    "Kan noen ringe meg i dag? Jeg er usikker på målingene.",
)
READY: Final = "Jeg er klar!"


def intent(text: str, category: str) -> str:
    """What a nurse's message asks for: remeasure | video | call | question | general."""
    t = text.lower()
    if category == "remeasure-request" or any(
        w in t for w in ("måle", "måling", "mål ", "mål igjen", "ny måling", "målingen")
    ):
        return "remeasure"
    if any(w in t for w in ("video", "skjerm", "lenke", "nettbrett")):
        return "video"
    if any(w in t for w in ("ringe", "ring ", "ringer", "telefon", "snakke med")):
        return "call"
    if "?" in t:
        return "question"
    return "general"


# ----- people -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Person:
    reference: str  # Patient/<id> | RelatedPerson/<id>
    display: str

    def ref(self) -> dict[str, str]:
        return {"reference": self.reference, "display": self.display}


@dataclass
class SimPatient:
    id: str
    programme: str
    person: Person
    relatives: list[Person] = field(default_factory=list)
    dementia: bool = False  # the first relative answers for the patient
    key: int = 0


@dataclass(frozen=True)
class Rates:
    """How chatty the simulated people are (per patient; days and delays in simulated time)."""

    questions_per_day: float = 0.008
    contact_requests_per_day: float = 0.004
    reply: float = 0.7
    reply_remeasure: float = 0.85
    reply_to_reply: float = 0.3
    relative_share: float = 0.2  # of spontaneous questions and answers, when not addressed
    reply_delay: tuple[float, float] = (20 * 60.0, 400 * 60.0)  # simulated seconds
    video_accept_delay: tuple[float, float] = (4.0, 15.0)  # real seconds


@dataclass(frozen=True)
class Action:
    """Something to write: a conditional create (``key``) or accepting an Appointment."""

    due: float  # real epoch seconds
    kind: str  # "create" | "accept"
    res_type: str
    body: dict[str, Any] | None = None
    key: str = ""
    target_id: str = ""  # Appointment id for "accept"
    then: Action | None = None  # written after an accept succeeds


def _name(resource: dict[str, Any]) -> str:
    for name in resource.get("name") or ():
        if isinstance(name, dict):
            if name.get("text"):
                return str(name["text"])
            return " ".join([*name.get("given", ()), name.get("family", "")]).strip()
    return ""


def _ref_id(ref: Any, res_type: str) -> str | None:
    value = ref.get("reference") if isinstance(ref, dict) else None
    if isinstance(value, str) and value.startswith(f"{res_type}/"):
        return value.split("/", 1)[1]
    return None


def _categories(resource: dict[str, Any]) -> set[str]:
    return {
        str(c.get("code"))
        for concept in resource.get("category") or ()
        for c in concept.get("coding") or ()
        if c.get("system") == CATEGORY_SYSTEM
    }


def _is_proxy(relative: dict[str, Any]) -> bool:
    return any(
        c.get("system") == RELATIVE_ROLE_SYSTEM and c.get("code") == PROXY
        for concept in relative.get("relationship") or ()
        for c in concept.get("coding") or ()
    )


def _instant(t: float) -> str:
    return datetime.fromtimestamp(t, UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


# ----- the simulator --------------------------------------------------------------------------


class MessagingSimulator:
    """Simulated patients' and relatives' messages and video answers (see the module doc)."""

    def __init__(
        self,
        patients: Sequence[SimPatient],
        *,
        seed: int = 1,
        speed: float = 1.0,
        now: datetime,
        rates: Rates | None = None,
    ) -> None:
        if speed <= 0:
            raise ValueError("speed must be positive")
        if now.tzinfo is None:
            raise ValueError("now must be timezone-aware")
        self.seed = seed
        self.speed = speed
        self.rates = rates or Rates()
        self.patients = {p.id: p for p in sorted(patients, key=lambda p: p.id)}
        for p in self.patients.values():
            p.key = text_key(seed, p.id)
        self._start = now.timestamp()
        self._last = self._start
        self._next_bucket = math.floor(self._start / HOUR)  # simulated hours planned so far
        self._heap: list[tuple[float, int, Action]] = []
        self._n = 0
        self._seen: set[str] = set()  # messages answered / appointments handled

    @classmethod
    def from_resources(
        cls,
        patients: Iterable[dict[str, Any]],
        episodes: Iterable[dict[str, Any]],
        related_persons: Iterable[dict[str, Any]],
        *,
        seed: int = 1,
        speed: float = 1.0,
        now: datetime,
        rates: Rates | None = None,
    ) -> MessagingSimulator:
        """Rebuild from stored resources: active patients with an active episode in a known
        programme, with their active relatives."""
        programme: dict[str, str] = {}
        for episode in episodes:
            pid = _ref_id(episode.get("patient"), "Patient")
            code = programme_of(episode)
            if episode.get("status") == "active" and pid and code:
                programme.setdefault(pid, code)
        relatives: dict[str, list[dict[str, Any]]] = {}
        for rel in related_persons:
            pid = _ref_id(rel.get("patient"), "Patient")
            if pid and rel.get("active") is not False:
                relatives.setdefault(pid, []).append(rel)
        people = []
        for patient in patients:
            pid = str(patient.get("id", ""))
            if patient.get("active") is False or pid not in programme:
                continue
            mine = sorted(relatives.get(pid, []), key=lambda r: (not _is_proxy(r), str(r["id"])))
            people.append(
                SimPatient(
                    id=pid,
                    programme=programme[pid],
                    person=Person(f"Patient/{pid}", _name(patient)),
                    relatives=[Person(f"RelatedPerson/{r['id']}", _name(r)) for r in mine],
                    dementia=any(_is_proxy(r) for r in mine),
                )
            )
        return cls(people, seed=seed, speed=speed, now=now, rates=rates)

    # ----- clocks ------------------------------------------------------------------------------

    def sim_time(self, real: float) -> float:
        return self._start + (real - self._start) * self.speed

    def real_time(self, sim: float) -> float:
        return self._start + (sim - self._start) / self.speed

    def _push(self, action: Action) -> None:
        self._n += 1
        heapq.heappush(self._heap, (action.due, self._n, action))

    def pending(self) -> int:
        return len(self._heap)

    # ----- spontaneous messages ----------------------------------------------------------------

    def _plan_until(self, sim: float) -> None:
        """Draw the spontaneous messages of every simulated hour that has begun by ``sim``."""
        rates = self.rates
        per_hour = {
            QUESTION: rates.questions_per_day / (WAKING[1] - WAKING[0]),
            CONTACT: rates.contact_requests_per_day / (WAKING[1] - WAKING[0]),
        }
        while self._next_bucket * HOUR <= sim:
            bucket = self._next_bucket
            self._next_bucket += 1
            hour = datetime.fromtimestamp(bucket * HOUR, OSLO).hour
            if not WAKING[0] <= hour < WAKING[1]:
                continue
            for patient in self.patients.values():
                for kind, p in per_hour.items():
                    h = mix(self.seed, patient.key, bucket, kind)
                    if unit(h) >= p:
                        continue
                    at = bucket * HOUR + unit(mix(h, 1)) * HOUR
                    if at < self._start:
                        continue  # before this run started
                    action = self._spontaneous(patient, kind, at, h)
                    if action is not None:
                        self._push(action)

    def _spontaneous(self, patient: SimPatient, kind: int, at: float, h: int) -> Action | None:
        pid = patient.id
        key = f"sim-{self.seed}-{pid}-{'contact' if kind == CONTACT else 'question'}-{int(at)}"
        if kind == CONTACT:
            if patient.dementia:
                return None
            sender, category = patient.person, "contact-request"
            text = CONTACT_REQUESTS[mix(h, 2) % len(CONTACT_REQUESTS)]
        else:
            category = "patient-thread"
            by_relative = patient.relatives and (
                patient.dementia or unit(mix(h, 3)) < self.rates.relative_share
            )
            if by_relative:
                sender = patient.relatives[0]
                text = RELATIVE_QUESTIONS[mix(h, 2) % len(RELATIVE_QUESTIONS)]
            else:
                sender = patient.person
                bank = QUESTIONS.get(patient.programme, QUESTIONS["hypertension"])
                text = bank[mix(h, 2) % len(bank)]
        body = self._message(patient, sender, category, text, key)
        return Action(self.real_time(at), "create", "Communication", body, key)

    def _message(
        self,
        patient: SimPatient,
        sender: Person,
        category: str,
        text: str,
        key: str,
        *,
        thread: str | None = None,
        recipient: dict[str, Any] | None = None,
        in_response_to: str | None = None,
    ) -> dict[str, Any]:
        body: dict[str, Any] = {
            "resourceType": "Communication",
            "extension": [{"url": THREAD_ID_URL, "valueString": thread or f"{patient.id}/patient"}],
            "identifier": [{"system": MESSAGE_KEY_SYSTEM, "value": key}],
            "status": "completed",
            "category": [{"coding": [{"system": CATEGORY_SYSTEM, "code": category}]}],
            "subject": patient.person.ref(),
            "sender": sender.ref(),
            "payload": [{"contentString": text}],
        }
        if recipient is not None:
            body["recipient"] = [recipient]
        if in_response_to is not None:
            body["inResponseTo"] = [{"reference": in_response_to}]
        return body

    # ----- reacting to the service -------------------------------------------------------------

    def observe(self, res_type: str, resource: dict[str, Any], now: datetime) -> None:
        """A committed write: maybe answer it (Communication) or accept it (Appointment)."""
        if res_type == "Communication":
            self._observe_message(resource, now.timestamp())
        elif res_type == "Appointment":
            self._observe_appointment(resource, now.timestamp())

    def _observe_message(self, comm: dict[str, Any], real: float) -> None:
        cid = comm.get("id")
        if not isinstance(cid, str) or f"Communication/{cid}" in self._seen:
            return
        if comm.get("status") != "completed":
            return
        categories = _categories(comm)
        category = next(iter(categories & {"patient-thread", "remeasure-request"}), None)
        sender = (comm.get("sender") or {}).get("reference", "")
        if category is None or not str(sender).startswith(("Practitioner/", "Organization/")):
            return
        patient = self.patients.get(_ref_id(comm.get("subject"), "Patient") or "")
        if patient is None:
            return
        self._seen.add(f"Communication/{cid}")
        h = mix(self.seed, text_key(self.seed, cid))
        rates = self.rates
        answers_ours = any(
            str((r or {}).get("reference", "")).startswith("Communication/")
            for r in comm.get("inResponseTo") or ()
        )
        p = rates.reply_remeasure if category == "remeasure-request" else rates.reply
        if answers_ours:
            p = rates.reply_to_reply
        if unit(h) >= p:
            return
        text = " ".join(
            str(part.get("contentString", "")) for part in comm.get("payload") or ()
        ).strip()
        wanted = intent(text, category)
        addressed = {str((r or {}).get("reference", "")) for r in comm.get("recipient") or ()}
        relatives = [r for r in patient.relatives if r.reference in addressed]
        if (
            not relatives
            and patient.relatives
            and (patient.dementia or unit(mix(h, 4)) < rates.relative_share)
        ):
            relatives = patient.relatives[:1]
        if relatives and (patient.dementia or patient.person.reference not in addressed):
            responder = relatives[0]
            bank = REPLIES["relative"] if wanted in ("general", "question") else REPLIES[wanted]
        else:
            responder = patient.person
            bank = REPLIES[wanted]
        reply = bank[mix(h, 5) % len(bank)]
        low, high = rates.reply_delay
        delay = math.exp(uniform(mix(h, 6), math.log(low), math.log(high)))  # skewed short
        thread = next(
            (
                str(e.get("valueString"))
                for e in comm.get("extension") or ()
                if e.get("url") == THREAD_ID_URL and e.get("valueString")
            ),
            None,
        )
        key = f"sim-reply-{cid}"
        body = self._message(
            patient,
            responder,
            "patient-thread",
            reply,
            key,
            thread=thread,
            recipient={k: v for k, v in (comm.get("sender") or {}).items() if k != "extension"},
            in_response_to=f"Communication/{cid}",
        )
        self._push(Action(real + delay / self.speed, "create", "Communication", body, key))

    def _observe_appointment(self, appointment: dict[str, Any], real: float) -> None:
        aid = appointment.get("id")
        if not isinstance(aid, str) or f"Appointment/{aid}" in self._seen:
            return
        if appointment.get("status") not in ("booked", "pending", "proposed"):
            return
        for participant in appointment.get("participant") or ():
            pid = _ref_id(participant.get("actor"), "Patient")
            patient = self.patients.get(pid or "")
            if patient is not None and participant.get("status") == "needs-action":
                break
        else:
            return
        self._seen.add(f"Appointment/{aid}")
        h = mix(self.seed, text_key(self.seed, aid))
        low, high = self.rates.video_accept_delay
        due = real + uniform(h, low, high)
        key = f"sim-video-{aid}"
        ready = self._message(
            patient,
            patient.person,
            "patient-thread",
            READY,
            key,
            recipient=next(
                (
                    p.get("actor")
                    for p in appointment.get("participant") or ()
                    if _ref_id(p.get("actor"), "Practitioner")
                ),
                None,
            ),
        )
        then = Action(due, "create", "Communication", ready, key)
        self._push(Action(due, "accept", "Appointment", target_id=aid, then=then))

    # ----- output ------------------------------------------------------------------------------

    def due(self, now: datetime) -> list[Action]:
        """The writes that fell due since the previous call, oldest first."""
        real = now.timestamp()
        if real < self._last:
            return []
        self._last = real
        self._plan_until(self.sim_time(real))
        out: list[Action] = []
        while self._heap and self._heap[0][0] <= real:
            out.append(heapq.heappop(self._heap)[2])
        return out


# ----- writing ----------------------------------------------------------------------------------


def accepted(appointment: dict[str, Any], patients: Iterable[str]) -> dict[str, Any] | None:
    """The Appointment with the simulated patients' ``needs-action`` answers set to
    ``accepted`` (None when there is nothing to accept any more)."""
    wanted = {f"Patient/{p}" for p in patients}
    changed = False
    participants = []
    for participant in appointment.get("participant") or ():
        participant = dict(participant)
        actor = (participant.get("actor") or {}).get("reference")
        if actor in wanted and participant.get("status") == "needs-action":
            participant["status"] = "accepted"
            changed = True
        participants.append(participant)
    if not changed or appointment.get("status") not in ("booked", "pending", "proposed"):
        return None
    return {**appointment, "participant": participants}


async def apply(
    service: FhirService, actions: Sequence[Action], now: datetime, patients: Iterable[str]
) -> int:
    """Write ``actions`` through the service (rules and notifications see them); returns how
    many resources were created or updated. Creates are conditional on their message key;
    accepting re-reads the Appointment and updates it with If-Match (retried on 412)."""
    from server.store.errors import FhirError

    written = 0
    sent = _instant(now.timestamp())
    allowed = set(patients)
    for action in actions:
        try:
            if action.kind == "create" and action.body is not None:
                body = {**action.body, "sent": sent}
                query = [("identifier", f"{MESSAGE_KEY_SYSTEM}|{action.key}")]
                _, created = await service.conditional_create(action.res_type, body, query, "")
                written += created
            elif action.kind == "accept":
                for _ in range(4):
                    current = await service.run(service.store.read, "Appointment", action.target_id)
                    if current is None or current.deleted:
                        break
                    answer = accepted(current.resource(), allowed)
                    if answer is None:
                        break
                    try:
                        await service.update(
                            "Appointment", action.target_id, answer, current.version_id
                        )
                    except FhirError as exc:
                        if exc.status == 412:
                            continue  # someone else wrote it meanwhile: read again
                        raise
                    written += 1
                    if action.then is not None:
                        written += await apply(service, [action.then], now, allowed)
                    break
        except FhirError as exc:
            log.warning("simulated %s %s failed: %s", action.kind, action.res_type, exc)
    return written


async def run(
    sim: MessagingSimulator,
    service: FhirService,
    tick: float = 0.5,
    now_of: Callable[[], datetime] | None = None,
) -> None:
    """The background job: listen to committed writes, write what falls due, forever.

    `now_of` is the server clock (default the wall clock)."""
    import asyncio
    import json

    from server.api.broker import ChangeEvent

    clock = now_of or (lambda: datetime.now(UTC))

    def listener(events: list[ChangeEvent], _local: bool) -> None:
        now = clock()
        for event in events:
            if event.res_type in ("Communication", "Appointment") and event.action != "delete":
                try:
                    resource = json.loads(event.data)
                except ValueError:
                    continue
                if isinstance(resource, dict):
                    sim.observe(event.res_type, resource, now)

    service.broker.add_listener(listener)
    try:
        while True:
            await asyncio.sleep(tick)
            now = clock()
            actions = sim.due(now)
            if actions:
                await apply(service, actions, now, sim.patients)
    finally:
        service.broker.remove_listener(listener)
