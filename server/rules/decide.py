"""What a finding does to the alert Tasks and which messages go to the patient: pure functions.

The live engine (:mod:`server.rules.runtime`, through the store) and the seeding replay
(:mod:`server.sim.replay`, in memory) both call these, so seeded history and live alerts follow
the same rules. Inputs are explicit (the finding, the patient's open Task for the rule, the
plan, the service hours, the time); the output is a :class:`Decision`: the Task to write (a
create, or an update of the version it is based on) and the Communications to create.

- A **suspect** value (server.rules.suspect) opens its alert as ``draft`` (held, never shown in
  the queue) with a ``suspect-value`` extension (``heldUntil``) and an automatic re-measure
  request to the patient. A confirming value raises it at once (``requested``); a normal one
  closes it as a measurement error (``cancelled``, businessStatus ``measurement-error``); no
  answer within the hold raises it (:func:`release_held`). A value past a critical limit is
  never held: it is raised at once, marked suspect, and the patient is still asked to measure
  again; a normal re-measurement is then recorded on the alert (``remeasure`` result
  ``normal``) so the nurse can close it as a measurement error.
- **Symptom check**: a questionnaire whose worst flagged answer is yellow, from a patient whose
  plan has measurements, first asks her to take them now (the self-management plans' "if you
  are more breathless, or your ankles swell: weigh yourself and measure") and holds the alert
  for the plan's ``symptom_hold``. A measurement past a limit raises it at once (and raises its
  own card); the first measurement inside the limits closes it as not confirmed
  (``not-confirmed``), the answers staying in the patient's record; no measurement within the
  hold raises it. A red answer, a form from a patient without measurements or with an open
  alert on a measured value (the measurements already back the answers), or a contact request
  is never held.
- **Out of hours** (the centre's HealthcareService is closed): the alert is marked
  ``out-of-hours`` (closed since, opens at); a red one sends the patient the plan's advice
  (legevakt 116 117, or 113), recorded on the alert.
- **After handling** (:func:`suppressed_after_handling`): a repeat breach of the same rule that
  is not worse than what a nurse has just handled does not open a new card; it is added to the
  handled one (values and a note, status unchanged). Clinically: the nurse has assessed the
  patient and decided what to do (called, advised the GP, closer follow-up); the same value the
  next morning is what she planned for, a worse one is not. Windows: 24 h for values (one
  measurement day), 8 days for questionnaires (the weekly forms: "only on change", i.e. the
  same flagged items again), never for contact requests or after "measurement error".
- **Missing measurements**: a reminder message first, then a low-priority adherence item, urgent
  only where the plan says so; the item closes itself (``cancelled``, ``measurement-arrived``)
  when every measurement it lists has arrived.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Final

from server.rules.codes import (
    ADVICE_CATEGORY,
    ALERT_OUTCOME_SYSTEM,
    AUTO_ARRIVED,
    AUTO_MEASUREMENT_ERROR,
    AUTO_UNCONFIRMED,
    COMMUNICATION_CATEGORY_SYSTEM,
    CONTACT_REQUEST,
    INPUT_TRIGGER,
    INPUT_VALUE,
    MESSAGE_KEY_SYSTEM,
    OUT_OF_HOURS_URL,
    PATIENT_THREAD,
    PRIORITY_RANK,
    RED,
    REMEASURE_CATEGORY,
    REMEASURE_URL,
    REMINDER_CATEGORY,
    SUSPECT_VALUE_URL,
    THREAD_ID_URL,
    YELLOW,
)
from server.rules.engine import (
    SLOT_TOLERANCE,
    Finding,
    _input_code,
    get_extension,
    merge_into_task,
    missing_entries,
    new_task,
    number,
    reminded_input,
    set_extension,
    shallow,
    task_distance,
    task_news2,
    task_severity,
)
from server.rules.hours import OSLO, ServiceHours
from server.rules.plan import ADHERENCE, REMINDER, URGENT, VARIABLES, PatientPlan
from server.rules.suspect import REASON_TEXT
from server.sim.programmes import LOINC, MEASUREMENTS
from server.sim.schedule import parse_instant
from server.store.fhirtime import format_instant

SYSTEM_AUTHOR: Final = "DHO (automatisk)"
SYMPTOM_REASON: Final = "symptom"  # remeasure reason of a questionnaire's symptom check
# Patients get reminders only while awake (local hours); a night reminder waits till morning.
REMINDER_HOURS: Final = (7, 22)
TASK_PLACEHOLDER: Final = "Task/#"  # replaced by the Task's reference once it has an id

_REMEASURE_HINT: Final[dict[str, str]] = {
    "spo2": "Sitt i ro i fem minutter, varm hendene og hold fingeren stille under målingen.",
    "pulse": "Sitt i ro i fem minutter før du måler.",
    "sys": "Sitt i ro i fem minutter med armen på bordet og mansjetten rett på huden.",
    "dia": "Sitt i ro i fem minutter med armen på bordet og mansjetten rett på huden.",
    "weight": "Still vekten på et hardt gulv og vei deg uten klær og sko.",
    "temp": "Hold termometeret på plass til det piper.",
    "glucose": "Vask og tørk hendene før du stikker.",
    "resp": "Sitt i ro i fem minutter før du teller.",
}


def iso(t: float) -> str:
    return format_instant(int(t * 1_000_000))


def clock_text(t: float) -> str:
    return datetime.fromtimestamp(t, OSLO).strftime("%H:%M")


def day_clock_text(t: float) -> str:
    return datetime.fromtimestamp(t, OSLO).strftime("%d.%m. kl. %H:%M")


@dataclass(frozen=True, slots=True)
class Setting:
    """What decisions need beyond the finding and the open Task."""

    plan: PatientPlan
    hours: ServiceHours
    now: float
    service: str | None = None  # "HealthcareService/<id>" whose hours apply
    #: An open alert on a measured value backs a questionnaire finding: no symptom check.
    corroborated: bool = False


@dataclass(slots=True)
class Decision:
    """A Task to write (``base`` None: create) and messages to create (conditional on
    their message-key identifier). Messages may refer to :data:`TASK_PLACEHOLDER`."""

    task: dict[str, Any] | None = None
    base: Mapping[str, Any] | None = None
    messages: list[dict[str, Any]] = field(default_factory=list)
    what: str = ""  # what happened, for statistics: created, merged, held, confirmed, ...

    @property
    def empty(self) -> bool:
        return self.task is None and not self.messages


# ----- messages -----------------------------------------------------------------------------


def message_key(body: Mapping[str, Any]) -> str:
    for ident in body.get("identifier", ()):
        if ident.get("system") == MESSAGE_KEY_SYSTEM:
            return str(ident.get("value"))
    return ""


def patient_message(
    plan: PatientPlan,
    categories: Sequence[str],
    text: str,
    key: str,
    now: float,
    about: Sequence[str] = (),
    measurement: str | None = None,
) -> dict[str, Any]:
    """An automatic message from the department to the patient, in the patient thread."""
    sender = dict(plan.department) if plan.department else None
    body: dict[str, Any] = {
        "resourceType": "Communication",
        "extension": [{"url": THREAD_ID_URL, "valueString": f"{plan.patient_id}/patient"}],
        "identifier": [{"system": MESSAGE_KEY_SYSTEM, "value": key}],
        "status": "completed",
        "category": [
            {"coding": [{"system": COMMUNICATION_CATEGORY_SYSTEM, "code": code}]}
            for code in categories
        ],
        "subject": {"reference": f"Patient/{plan.patient_id}"},
        "recipient": [{"reference": f"Patient/{plan.patient_id}"}],
        "sent": iso(now),
        "payload": [{"contentString": text}],
    }
    if sender:
        body["sender"] = sender
    if about:
        body["about"] = [{"reference": ref} for ref in about]
    if measurement in MEASUREMENTS:
        # Which measurement to take (again): its LOINC code, so an app can open the device.
        m = MEASUREMENTS[measurement]
        body["reasonCode"] = [{"coding": [{"system": LOINC, "code": m.code}], "text": m.text}]
    return body


def fill_task_reference(message: dict[str, Any], task_ref: str) -> dict[str, Any]:
    """The message with :data:`TASK_PLACEHOLDER` replaced by the written Task's reference."""
    about = message.get("about")
    if not about:
        return message
    return {
        **message,
        "about": [
            {"reference": task_ref} if a.get("reference") == TASK_PLACEHOLDER else a for a in about
        ],
    }


def _what(var: str) -> str:
    v = VARIABLES.get(var)
    if v is None:
        return "målingen"
    return "SpO₂" if var == "spo2" else v.label.lower()


def symptom_message(f: Finding, st: Setting) -> dict[str, Any]:
    """Ask the patient to take her measurements after a yellow questionnaire answer."""
    kinds = [m.key for m in st.plan.measurements]
    labels = ", ".join(
        MEASUREMENTS[k].text.lower() if k in MEASUREMENTS else k for k in dict.fromkeys(kinds)
    )
    text = (
        "Hei! Takk for svarene dine. Noen av dem tyder på at du har det litt verre enn vanlig. "
        f"Kan du ta målingene dine nå ({labels}) og sende dem inn? "
        "Hilsen oppfølgingstjenesten."
    )
    key = f"symptom-check|{f.episode_id}"
    return patient_message(
        st.plan,
        [REMEASURE_CATEGORY],
        text,
        key,
        st.now,
        (TASK_PLACEHOLDER, f.focus),
        kinds[0] if kinds else None,
    )


def symptom_hold(f: Finding, plan: PatientPlan) -> float:
    """Seconds a questionnaire finding waits for the patient's measurements (0: none)."""
    if f.rule != "questionnaire" or f.level != YELLOW or not plan.bands:
        return 0.0
    return plan.symptom_hold if plan.measurements else 0.0


def remeasure_message(f: Finding, st: Setting) -> dict[str, Any]:
    what = "blodtrykket" if f.variable in ("sys", "dia") else _what(f.variable)
    hint = _REMEASURE_HINT.get(f.variable, "")
    if f.suspect:
        text = (
            f"Hei! Vi har fått en måling av {what} som ser uvanlig ut for deg. "
            f"Kan du måle på nytt nå og sende inn resultatet? {hint} "
            "Hilsen oppfølgingstjenesten."
        )
    else:
        text = (
            f"Hei! Målingen av {what} er litt utenfor grensene i planen din. "
            f"Kan du måle på nytt om et kvarter og sende inn resultatet? {hint} "
            "Hilsen oppfølgingstjenesten."
        )
    text = text.replace("  ", " ")
    key = f"remeasure|{f.episode_id}|{f.focus}"
    kind = "bp" if f.variable in ("sys", "dia") else f.variable
    return patient_message(
        st.plan, [REMEASURE_CATEGORY], text, key, st.now, (TASK_PLACEHOLDER, f.focus), kind
    )


def advice_message(f: Finding, st: Setting) -> dict[str, Any]:
    key = f"advice|{f.episode_id}"
    return patient_message(
        st.plan,
        [PATIENT_THREAD, ADVICE_CATEGORY],
        st.plan.advice,
        key,
        st.now,
        (TASK_PLACEHOLDER, f.focus),
    )


def reminder_message(f: Finding, due: float, st: Setting) -> dict[str, Any]:
    label = MEASUREMENTS[f.variable].text.lower() if f.variable in MEASUREMENTS else "målingen"
    text = (
        f"Påminnelse: vi har ikke fått {label} som var planlagt kl. {clock_text(due)}. "
        "Husk å måle når du kan. Har du spørsmål, kan du svare på denne meldingen."
    )
    key = f"reminder|{st.plan.patient_id}|{f.focus}|{iso(due)}"
    return patient_message(
        st.plan, [PATIENT_THREAD, REMINDER_CATEGORY], text, key, st.now, (f.focus,), f.variable
    )


# ----- extensions and notes -----------------------------------------------------------------


def _note(text: str, now: float) -> dict[str, Any]:
    return {"authorString": SYSTEM_AUTHOR, "time": iso(now), "text": text}


def _add_note(task: dict[str, Any], text: str, now: float) -> None:
    task["note"] = [*task.get("note", ()), _note(text, now)]


def _sub(ext: Mapping[str, Any] | None, url: str) -> Any:
    for sub in (ext or {}).get("extension", ()):
        if sub.get("url") == url:
            for key, value in sub.items():
                if key.startswith("value"):
                    return value
    return None


def _complex(url: str, **subs: Any) -> dict[str, Any]:
    out = []
    for name, value in subs.items():
        if value is None:
            continue
        if isinstance(value, bool):
            out.append({"url": name, "valueBoolean": value})
        elif isinstance(value, dict):
            out.append({"url": name, "valueReference": value})
        elif name.endswith(("At", "Until", "Since", "requested")):
            out.append({"url": name, "valueDateTime": value})
        elif name in ("reason", "result"):
            out.append({"url": name, "valueCode": value})
        else:
            out.append({"url": name, "valueString": value})
    return {"url": url, "extension": out}


def suspect_extension(f: Finding) -> dict[str, Any]:
    return _complex(
        SUSPECT_VALUE_URL,
        reason=f.suspect,
        observation={"reference": f.focus},
        critical=f.critical,
    )


def remeasure_extension(
    requested: str | None,
    result: str | None = None,
    obs: str | None = None,
    at: str | None = None,
    *,
    reason: str | None = None,
    held_until: str | None = None,
) -> dict[str, Any]:
    return _complex(
        REMEASURE_URL,
        reason=reason,
        requested=requested,
        heldUntil=held_until,
        result=result,
        observation={"reference": obs} if obs else None,
        resultAt=at,
    )


def _remeasure_reason(task: Mapping[str, Any]) -> str | None:
    value = _sub(get_extension(task, REMEASURE_URL), "reason")
    return str(value) if value else None


def out_of_hours_extension(st: Setting, advice: str | None = None) -> dict[str, Any] | None:
    period = st.hours.closed_period(st.now)
    if period is None:
        return None
    since, opens = period
    return _complex(
        OUT_OF_HOURS_URL,
        closedSince=iso(since) if since is not None else None,
        opensAt=iso(opens) if opens is not None else None,
        service={"reference": st.service} if st.service else None,
        advice=advice,
    )


def is_held(task: Mapping[str, Any]) -> bool:
    return task.get("status") == "draft"


def held_until(task: Mapping[str, Any]) -> float | None:
    value = _sub(get_extension(task, REMEASURE_URL), "heldUntil")
    if not isinstance(value, str):
        return None
    return parse_instant(value)


def awaiting_remeasure(task: Mapping[str, Any]) -> bool:
    ext = get_extension(task, REMEASURE_URL)
    return ext is not None and _sub(ext, "result") is None


def _advise_if_red(task: dict[str, Any], f: Finding, st: Setting, out: Decision) -> None:
    """Out of hours: mark the alert; a red one sends the plan's advice and records it."""
    if f.alert_class != "clinical":
        return
    red = task.get("priority") == "asap" and f.level == RED
    already = _sub(get_extension(task, OUT_OF_HOURS_URL), "advice")
    ext = out_of_hours_extension(st, st.plan.advice if red else already)
    if ext is None:
        return
    set_extension(task, ext, OUT_OF_HOURS_URL)
    if red and not already:
        out.messages.append(advice_message(f, st))
        _add_note(
            task,
            f"Utenfor åpningstid: pasienten fikk automatisk råd: «{st.plan.advice}»",
            st.now,
        )


# ----- after handling ---------------------------------------------------------------------

#: How long after a nurse handled an alert a repeat breach that is not worse is added to the
#: handled card instead of opening a new one (values: one measurement day).
AFTER_HANDLING_WINDOW: Final = 24 * 3600.0
#: The same for questionnaires: the weekly forms, so one form period plus a day.
AFTER_HANDLING_WINDOW_PROM: Final = 8 * 24 * 3600.0
#: "Worse" in severity: at least this many yellow-to-red gaps further past the limit.
WORSE_BY: Final = 1.0
#: Outcomes after which a repeat is still a new card: the nurse judged the value wrong (a
#: second one says it may not be), or the engine closed the alert without a nurse.
NOT_HANDLED_OUTCOMES: Final = frozenset({AUTO_MEASUREMENT_ERROR, AUTO_ARRIVED, AUTO_UNCONFIRMED})


def handled_at(task: Mapping[str, Any]) -> float | None:
    """When a nurse completed the alert (executionPeriod.end, else lastModified), or None."""
    if task.get("status") != "completed":
        return None
    when = (task.get("executionPeriod") or {}).get("end") or task.get("lastModified")
    if not isinstance(when, str):
        return None
    try:
        return parse_instant(when)
    except ValueError:
        return None


def _outcome(task: Mapping[str, Any]) -> str | None:
    for coding in (task.get("businessStatus") or {}).get("coding", ()):
        if coding.get("system") == ALERT_OUTCOME_SYSTEM:
            return str(coding.get("code"))
    return None


def _flagged_items(inputs: Sequence[Mapping[str, Any]]) -> set[str]:
    """The questionnaire items (by text) an alert's value inputs name."""
    return {
        str((e.get("type") or {}).get("text") or "")
        for e in inputs
        if _input_code(e) == INPUT_VALUE
    }


def _news2_rank(total: int | None) -> int:
    """NEWS2's trigger levels (RCP 2017): 5 or more asks for an urgent response, 7 an emergency."""
    if total is None:
        return 0
    return 2 if total >= 7 else 1 if total >= 5 else 0


def worse_than_handled(handled: Mapping[str, Any], f: Finding) -> bool:
    """Whether `f` says more than the card a nurse handled: a higher priority; at the same
    priority :data:`WORSE_BY` further past the same limit, or a NEWS2 that reached a higher
    trigger level. A lower priority is never worse: a yellow value after a handled red one is
    the same deterioration easing (its distance counts from the yellow limit, so the figures
    of the two levels do not compare)."""
    new = PRIORITY_RANK[f.priority]
    old = PRIORITY_RANK.get(str(handled.get("priority")), 0)
    if new != old:
        return new > old
    if f.rule == "questionnaire":
        return f.severity >= task_severity(handled) + WORSE_BY
    if f.distance >= task_distance(handled) + WORSE_BY:
        return True
    return _news2_rank(f.news2) > _news2_rank(task_news2(handled))


def suppressed_after_handling(handled: Mapping[str, Any] | None, f: Finding, now: float) -> bool:
    """Whether finding `f` only repeats what a nurse handled on `handled` (the patient's latest
    completed alert for the rule): within the window, no higher priority, not
    :data:`WORSE_BY` further past the limit, and for questionnaires no newly flagged item.
    Contact requests always open a card (the patient asks); so does a repeat after the nurse
    called the first value a measurement error, and a value past a critical limit (a nurse
    decides on it afresh, whatever the earlier card was closed as)."""
    if handled is None or f.critical or f.rule in (CONTACT_REQUEST, "missing-measurement"):
        return False
    at = handled_at(handled)
    if at is None or _outcome(handled) in NOT_HANDLED_OUTCOMES:
        return False
    window = AFTER_HANDLING_WINDOW_PROM if f.rule == "questionnaire" else AFTER_HANDLING_WINDOW
    if not 0 <= now - at <= window:
        return False
    if worse_than_handled(handled, f):
        return False
    if f.rule == "questionnaire" and not _flagged_items(f.inputs) <= _flagged_items(
        handled.get("input", ())
    ):
        return False
    return True


def add_after_handling(handled: Mapping[str, Any], f: Finding, st: Setting) -> Decision:
    """The repeat breach added to the handled card (values and a note; status unchanged)."""
    out = Decision()
    if any(
        _input_code(e) == INPUT_TRIGGER
        and (e.get("valueReference") or {}).get("reference") == f.focus
        for e in handled.get("input", ())
    ):
        return out
    task = shallow(handled)
    task["input"] = [*task.get("input", ()), *f.inputs]
    task["lastModified"] = iso(st.now)
    _add_note(
        task,
        f"Ny verdi kl. {clock_text(st.now)} etter at varselet ble behandlet, ikke verre: "
        f"{f.description}. Lagt til her, ikke nytt kort.",
        st.now,
    )
    out.task = task
    out.base = handled
    out.what = "after-handling"
    return out


# ----- clinical findings --------------------------------------------------------------------


def decide_finding(
    f: Finding,
    current: Mapping[str, Any] | None,
    st: Setting,
    handled: Mapping[str, Any] | None = None,
) -> Decision:
    """The Task write and messages for a clinical finding (threshold, trend, questionnaire,
    contact request), given the patient's open Task for the rule (or None) and, when none is
    open, her latest handled one (:func:`suppressed_after_handling`)."""
    now = iso(st.now)
    out = Decision()
    if current is None and suppressed_after_handling(handled, f, st.now):
        assert handled is not None
        return add_after_handling(handled, f, st)
    if current is None and not st.corroborated and symptom_hold(f, st.plan) > 0:
        return _hold_symptom(f, st)
    if current is None:
        task = new_task(f, st.plan.department, now)
        reason = "suspect" if f.suspect else "confirm"
        if f.suspect:
            set_extension(task, suspect_extension(f), SUSPECT_VALUE_URL)
        if f.hold > 0:
            task["status"] = "draft"
            task["statusReason"] = {
                "text": "Venter på ny måling (mulig målefeil)"
                if f.suspect
                else "Venter på en bekreftende måling (gul verdi)"
            }
            set_extension(
                task,
                remeasure_extension(now, reason=reason, held_until=iso(st.now + f.hold)),
                REMEASURE_URL,
            )
            why = (
                f"Mulig målefeil ({REASON_TEXT.get(f.suspect, f.suspect)})"
                if f.suspect
                else "Gul verdi som ikke er bekreftet"
            )
            _add_note(
                task,
                f"{why}: pasienten er bedt om å måle på nytt; varselet holdes til "
                f"kl. {clock_text(st.now + f.hold)}.",
                st.now,
            )
            out.messages.append(remeasure_message(f, st))
            out.what = "held" if f.suspect else "held-yellow"
        else:
            if f.suspect:
                set_extension(task, remeasure_extension(now, reason=reason), REMEASURE_URL)
                _add_note(
                    task,
                    f"Verdien kan være en målefeil ({REASON_TEXT.get(f.suspect, f.suspect)}), men "
                    "er forbi kritisk grense og vises straks. Pasienten er bedt om å måle på nytt.",
                    st.now,
                )
                out.messages.append(remeasure_message(f, st))
            _advise_if_red(task, f, st, out)
            out.what = "created"
        out.task = task
        return out
    merged = merge_into_task(current, f, now)
    if merged is None:
        return out
    if is_held(current) and not f.suspect:
        # A value that is not itself suspect confirms the held one: raised at once.
        merged["status"] = "requested"
        merged.pop("statusReason", None)
        requested = _sub(get_extension(merged, REMEASURE_URL), "requested")
        set_extension(
            merged,
            remeasure_extension(
                requested, "confirmed", f.focus, now, reason=_remeasure_reason(merged)
            ),
            REMEASURE_URL,
        )
        _add_note(merged, f"Bekreftet ved ny måling kl. {clock_text(st.now)}.", st.now)
        _advise_if_red(merged, f, st, out)
        out.what = "confirmed"
    elif is_held(current):
        out.what = "merged-held"
    else:
        if f.suspect and not awaiting_remeasure(merged):
            if get_extension(merged, SUSPECT_VALUE_URL) is None:
                set_extension(merged, suspect_extension(f), SUSPECT_VALUE_URL)
            set_extension(merged, remeasure_extension(now, reason="suspect"), REMEASURE_URL)
            out.messages.append(remeasure_message(f, st))
            _add_note(
                merged,
                f"Ny verdi kan være en målefeil ({REASON_TEXT.get(f.suspect, f.suspect)}); "
                "pasienten er bedt om å måle på nytt.",
                st.now,
            )
        _advise_if_red(merged, f, st, out)
        out.what = "merged"
    out.task = merged
    out.base = current
    return out


def _hold_symptom(f: Finding, st: Setting) -> Decision:
    now = iso(st.now)
    until = st.now + symptom_hold(f, st.plan)
    task = new_task(f, st.plan.department, now)
    task["status"] = "draft"
    task["statusReason"] = {"text": "Venter på pasientens målinger (symptomsjekk)"}
    set_extension(
        task,
        remeasure_extension(now, reason=SYMPTOM_REASON, held_until=iso(until)),
        REMEASURE_URL,
    )
    _add_note(
        task,
        "Gult svar i spørreskjema: pasienten er bedt om å ta målingene sine; varselet holdes "
        f"til kl. {clock_text(until)}. En måling utenfor grensene viser det straks.",
        st.now,
    )
    return Decision(task=task, messages=[symptom_message(f, st)], what="held-symptom")


def decide_symptom_check(
    current: Mapping[str, Any], obs_ref: str, breached: bool, st: Setting
) -> Decision:
    """A measurement (not suspect) arrived while a questionnaire alert waits for one: past a
    limit (`breached`) raises it, inside the limits closes it as not confirmed."""
    out = Decision()
    if not is_held(current) or _remeasure_reason(current) != SYMPTOM_REASON:
        return out
    now = iso(st.now)
    task = shallow(current)
    requested = _sub(get_extension(task, REMEASURE_URL), "requested")
    result = "confirmed" if breached else "normal"
    set_extension(
        task,
        remeasure_extension(requested, result, obs_ref, now, reason=SYMPTOM_REASON),
        REMEASURE_URL,
    )
    task["lastModified"] = now
    if breached:
        task["status"] = "requested"
        task.pop("statusReason", None)
        _add_note(
            task, f"Målingen kl. {clock_text(st.now)} er utenfor grensene: varselet vises.", st.now
        )
        out.what = "symptom-confirmed"
    else:
        task["status"] = "cancelled"
        task["statusReason"] = {"text": "Målingene etter svaret er innenfor grensene"}
        task["businessStatus"] = {
            "coding": [
                {
                    "system": ALERT_OUTCOME_SYSTEM,
                    "code": AUTO_UNCONFIRMED,
                    "display": "Ikke bekreftet",
                }
            ],
            "text": "Ikke bekreftet av måling (lukket automatisk)",
        }
        _add_note(
            task,
            f"Målingen kl. {clock_text(st.now)} er innenfor grensene: lukket automatisk; "
            "svarene står i pasientens journal.",
            st.now,
        )
        out.what = "symptom-normal"
    out.task = task
    out.base = current
    return out


def decide_normal(
    current: Mapping[str, Any], obs_ref: str, var: str, value: float, st: Setting
) -> Decision:
    """A value inside the limits arrived for a rule whose alert waits for a re-measurement.

    A held alert closes as a measurement error; a visible suspect alert gets the normal
    re-measurement recorded (the nurse decides, the resolve dialog offers "measurement error"
    first)."""
    out = Decision()
    if not awaiting_remeasure(current):
        return out
    v = VARIABLES.get(var)
    shown = f"{v.label} {number(value, v.decimals)} {v.unit_display}".strip() if v else ""
    now = iso(st.now)
    task = shallow(current)
    requested = _sub(get_extension(task, REMEASURE_URL), "requested")
    reason = _remeasure_reason(task)
    set_extension(
        task, remeasure_extension(requested, "normal", obs_ref, now, reason=reason), REMEASURE_URL
    )
    task["lastModified"] = now
    if is_held(current):
        error = reason != "confirm"
        task["status"] = "cancelled"
        task["statusReason"] = {
            "text": "Ny måling innenfor grensene: målefeil"
            if error
            else "Ny måling innenfor grensene: ikke bekreftet"
        }
        code, display = (
            (AUTO_MEASUREMENT_ERROR, "Målefeil") if error else (AUTO_UNCONFIRMED, "Ikke bekreftet")
        )
        task["businessStatus"] = {
            "coding": [{"system": ALERT_OUTCOME_SYSTEM, "code": code, "display": display}],
            "text": f"{display} (lukket automatisk)",
        }
        _add_note(
            task,
            f"Ny måling kl. {clock_text(st.now)} ({shown}) er innenfor grensene: lukket "
            + ("automatisk som målefeil." if error else "automatisk, verdien ble ikke bekreftet."),
            st.now,
        )
        out.what = "closed-error" if error else "closed-unconfirmed"
    else:
        _add_note(
            task,
            f"Ny måling kl. {clock_text(st.now)} ({shown}) er innenfor grensene: trolig målefeil.",
            st.now,
        )
        out.what = "remeasure-normal"
    out.task = task
    out.base = current
    return out


def release_held(current: Mapping[str, Any], st: Setting) -> Decision:
    """The hold ran out without a re-measurement: the alert is raised (as suspect)."""
    out = Decision()
    if not is_held(current):
        return out
    until = held_until(current)
    if until is not None and until > st.now:
        return out
    now = iso(st.now)
    task = shallow(current)
    task["status"] = "requested"
    task.pop("statusReason", None)
    task["lastModified"] = now
    requested = _sub(get_extension(task, REMEASURE_URL), "requested")
    reason = _remeasure_reason(task)
    set_extension(
        task, remeasure_extension(requested, "none", None, now, reason=reason), REMEASURE_URL
    )
    _add_note(
        task,
        "Ingen ny måling innen fristen: varselet vises"
        + (" (mulig målefeil)." if reason == "suspect" else "."),
        st.now,
    )
    level = "red" if task.get("priority") == "asap" else "yellow"
    focus = str((task.get("focus") or {}).get("reference") or "")
    pid = st.plan.patient_id
    identifiers = list(task.get("identifier", ()))
    ident = identifiers[0].get("value", "") if identifiers else ""
    started = str(ident).rpartition("|")[2]
    dummy = Finding(pid, "", level, focus, started, "")
    _advise_if_red(task, dummy, st, out)
    out.task = task
    out.base = current
    out.what = "released"
    return out


# ----- missing measurements -----------------------------------------------------------------


def awake(t: float) -> bool:
    hour = datetime.fromtimestamp(t, OSLO).hour
    return REMINDER_HOURS[0] <= hour < REMINDER_HOURS[1]


def decide_missing(
    f: Finding,
    due: float,
    current: Mapping[str, Any] | None,
    st: Setting,
    reminded_at: float | None,
) -> Decision:
    """A measurement overdue at a stage: the reminder (once, while the patient is awake), then
    the adherence item (created, or merged into the open one), raised to urgent by the plan."""
    out = Decision()
    if reminded_at is None and awake(st.now):
        out.messages.append(reminder_message(f, due, st))
        reminded_at = st.now
        out.what = "reminded"
    if f.level == REMINDER:
        return out
    inputs = list(f.inputs)
    if reminded_at is not None:
        inputs.append(reminded_input(MEASUREMENTS[f.variable].text, reminded_at))
    finding = Finding(
        f.patient_id,
        f.rule,
        f.level,
        f.focus,
        f.started,
        f.description,
        inputs,
        variable=f.variable,
    )
    now = iso(st.now)
    if current is None:
        out.task = new_task(finding, st.plan.department, now)
        out.what = "adherence" if f.level == ADHERENCE else "urgent"
        return out
    merged = merge_into_task(current, finding, now)
    if merged is not None:
        out.task = merged
        out.base = current
        out.what = "adherence-merged" if f.level == ADHERENCE else "urgent"
    return out


def decide_arrived(
    current: Mapping[str, Any], last_seen: Mapping[str, float], st: Setting
) -> Decision:
    """Close an adherence item once every measurement it lists has arrived since it was due.

    `last_seen` maps a ServiceRequest reference to the time of the latest measurement of it.
    """
    out = Decision()
    if current.get("status") not in ("requested", "in-progress", "on-hold"):
        return out
    entries = missing_entries(current)
    if not entries:
        return out
    for sr, due in entries:
        seen = last_seen.get(sr)
        if seen is None or seen < due - SLOT_TOLERANCE:
            return out
    now = iso(st.now)
    task = shallow(current)
    task["status"] = "cancelled"
    task["statusReason"] = {"text": "Målingen kom"}
    task["businessStatus"] = {
        "coding": [
            {"system": ALERT_OUTCOME_SYSTEM, "code": AUTO_ARRIVED, "display": "Måling mottatt"}
        ],
        "text": "Måling mottatt (lukket automatisk)",
    }
    task["lastModified"] = now
    _add_note(task, f"Målingen kom kl. {clock_text(st.now)}: lukket automatisk.", st.now)
    out.task = task
    out.base = current
    out.what = "arrived"
    return out


__all__ = [
    "TASK_PLACEHOLDER",
    "URGENT",
    "Decision",
    "Setting",
    "awake",
    "day_clock_text",
    "decide_arrived",
    "decide_finding",
    "decide_missing",
    "decide_normal",
    "decide_symptom_check",
    "fill_task_reference",
    "handled_at",
    "held_until",
    "is_held",
    "message_key",
    "release_held",
    "suppressed_after_handling",
]
