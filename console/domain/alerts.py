"""Alerts in the response centre's queue: plain types and pure rules (no Qt, no I/O).

An alert is one FHIR Task raised by a rule (`console/fhir/alerts.py` maps it). The queue shows
ONE card per patient bundling that patient's open clinical alerts; cards are ordered by their
worst priority (high first), then clinical signals before contact requests before a silence
the plan made urgent, then by clinical severity (how far past the limit, NEWS2; the server
computes it), then by age (oldest first). Adherence items (a missing measurement at low
priority) are never cards: they are a list of their own (`adherence_items`). Snoozed alerts
wait at the end until their time is up. An unclaimed high-priority alert escalates after a
configurable time: decided by the server when it announces escalation, otherwise here.

The draft journal note is written in Bokmål on purpose: it is record content a nurse pastes
into the patient's record, not user-interface text, so it does not follow the UI language.
"""

from __future__ import annotations

import enum
import statistics
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, tzinfo
from typing import Protocol

from console.domain.model import MeasurementKind

DEFAULT_ESCALATION_AFTER = timedelta(minutes=5)
DEFAULT_SILENCE = timedelta(minutes=5)
#: How often the sound repeats while an escalated alert waits (plain high alerts sound once).
ESCALATED_SOUND_REPEAT = timedelta(seconds=30)
DEFAULT_SHIFT_STARTS: tuple[time, ...] = (time(8, 0), time(15, 0))


class Priority(enum.IntEnum):
    """Ordered so that sorting descending puts high first. FHIR: routine/urgent/asap."""

    LOW = 1
    MEDIUM = 2
    HIGH = 3


class AlertStatus(enum.StrEnum):
    """FHIR Task.status values the queue knows."""

    NEW = "requested"
    CLAIMED = "in-progress"
    SNOOZED = "on-hold"
    COMPLETED = "completed"
    CANCELLED = "cancelled"

    @property
    def is_open(self) -> bool:
        return self in (AlertStatus.NEW, AlertStatus.CLAIMED, AlertStatus.SNOOZED)


class AlertRule(enum.StrEnum):
    """The rule that raised the alert (`Task.code`); unknown codes map to OTHER."""

    SPO2 = "threshold-spo2"
    PULSE = "threshold-pulse"
    BLOOD_PRESSURE = "threshold-bp"
    TEMPERATURE = "threshold-temperature"
    GLUCOSE = "threshold-glucose"
    WEIGHT = "threshold-weight"
    RESPIRATORY_RATE = "threshold-respiration"
    WEIGHT_TREND = "trend-weight"
    WEIGHT_LOSS = "trend-weight-loss"
    MISSING_MEASUREMENT = "missing-measurement"
    QUESTIONNAIRE = "questionnaire"
    CONTACT_REQUEST = "contact-request"
    OTHER = "other"


#: Measurement behind each threshold/trend rule.
RULE_KINDS: dict[AlertRule, MeasurementKind] = {
    AlertRule.SPO2: MeasurementKind.SPO2,
    AlertRule.PULSE: MeasurementKind.PULSE,
    AlertRule.BLOOD_PRESSURE: MeasurementKind.BLOOD_PRESSURE,
    AlertRule.TEMPERATURE: MeasurementKind.TEMPERATURE,
    AlertRule.GLUCOSE: MeasurementKind.GLUCOSE,
    AlertRule.WEIGHT: MeasurementKind.WEIGHT,
    AlertRule.RESPIRATORY_RATE: MeasurementKind.RESPIRATORY_RATE,
    AlertRule.WEIGHT_TREND: MeasurementKind.WEIGHT,
    AlertRule.WEIGHT_LOSS: MeasurementKind.WEIGHT,
}


class Outcome(enum.StrEnum):
    """How an alert was closed (`Task.businessStatus`)."""

    CONTACTED_PATIENT = "contacted-patient"
    ADVISED_GP = "advised-gp"
    REFERRED_OUT_OF_HOURS = "referred-legevakt"
    CALLED_113 = "called-113"
    MEASUREMENT_ERROR = "measurement-error"
    NO_ACTION = "no-action-needed"


#: Bokmål wording of each outcome for record content (journal note, businessStatus.text).
OUTCOME_NB: dict[Outcome, str] = {
    Outcome.CONTACTED_PATIENT: "Pasienten kontaktet",
    Outcome.ADVISED_GP: "Fastlege varslet",
    Outcome.REFERRED_OUT_OF_HOURS: "Henvist til legevakt",
    Outcome.CALLED_113: "Ringt 113",
    Outcome.MEASUREMENT_ERROR: "Målefeil",
    Outcome.NO_ACTION: "Ingen tiltak nødvendig",
}

#: Bokmål wording of each measurement for record content.
KIND_NB: dict[MeasurementKind, str] = {
    MeasurementKind.SPO2: "SpO₂",
    MeasurementKind.PULSE: "Puls",
    MeasurementKind.BLOOD_PRESSURE: "Blodtrykk",
    MeasurementKind.TEMPERATURE: "Temperatur",
    MeasurementKind.GLUCOSE: "Blodsukker",
    MeasurementKind.WEIGHT: "Vekt",
    MeasurementKind.RESPIRATORY_RATE: "Respirasjonsfrekvens",
}

UNIT_TEXT: dict[str, str] = {
    "%": "%",
    "/min": "/min",
    "mm[Hg]": "mmHg",
    "Cel": "°C",
    "kg": "kg",
    "mmol/L": "mmol/L",
}


class Principal(Protocol):
    """Who is working: passed in by the session (sign-in provides the real one)."""

    @property
    def practitioner_id(self) -> str: ...

    @property
    def display_name(self) -> str: ...

    @property
    def role(self) -> str: ...

    @property
    def organizations(self) -> Sequence[str]: ...


@dataclass(frozen=True, slots=True)
class Operator:
    """A plain `Principal` (tests and the time before sign-in exists)."""

    practitioner_id: str
    display_name: str
    role: str = "nurse"
    organizations: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class AlertValue:
    """The value that tripped the rule and the limit it crossed (`Task.input`)."""

    value: float | None = None
    #: Second value (diastolic) for blood pressure.
    value2: float | None = None
    unit: str = ""
    threshold: float | None = None
    #: How the value relates to the limit: "<", "<=", ">", ">=" (the limit's comparator).
    comparator: str = ""
    #: "red" or "yellow" when the rule said which band; else derived from the priority.
    level: str = ""
    #: What the value is, as the rule engine named it (Bokmål, e.g. "Systolisk blodtrykk").
    component: str = ""
    #: Which breach of the Task this belongs to (repeat breaches are appended), from 0.
    breach: int = 0
    #: A missing measurement: when it was due (`Task.input` "due").
    due: datetime | None = None
    #: What the patient wrote or answered (questionnaire answer, contact request message).
    text: str = ""
    #: The measurement, where the rule named it by code (a missing measurement's "due").
    kind: MeasurementKind | None = None


@dataclass(frozen=True, slots=True)
class AlertNote:
    text: str
    time: datetime | None = None
    author_id: str = ""
    author_name: str = ""


@dataclass(frozen=True, slots=True)
class Alert:
    id: str
    version: str
    patient_id: str
    status: AlertStatus
    priority: Priority
    rule: AlertRule
    authored_on: datetime
    patient_name: str = ""
    description: str = ""
    last_modified: datetime | None = None
    department_id: str | None = None
    owner_id: str | None = None
    owner_name: str = ""
    claimed_at: datetime | None = None
    snoozed_until: datetime | None = None
    escalated_at: datetime | None = None
    #: References such as "Observation/abc" the alert is about.
    focus: tuple[str, ...] = ()
    values: tuple[AlertValue, ...] = ()
    notes: tuple[AlertNote, ...] = ()
    outcome: Outcome | None = None
    #: The rule's own code when `rule` is OTHER.
    rule_code: str = ""
    #: "clinical" or "adherence" (the server's alert-class; adherence = a missing measurement).
    alert_class: str = "clinical"
    #: Ordering within a priority: how far past the limit (+ NEWS2), from the server.
    severity: float = 0.0
    #: Why the value may be a measurement error (server's suspect-value reason), if it may.
    suspect: str = ""
    #: The automatic re-measurement: "" (none asked), "pending", "confirmed", "normal", "none".
    remeasure: str = ""
    #: Raised while the response centre was closed (the server's out-of-hours marker).
    out_of_hours: bool = False
    closed_since: datetime | None = None
    opens_at: datetime | None = None
    #: What the patient was told automatically (a red value out of hours), if anything.
    advice: str = ""

    def effective_status(self, now: datetime) -> AlertStatus:
        """A snooze whose time is up counts as new again (until someone writes that down).

        An on-hold Task without an end time stays snoozed.
        """
        if (
            self.status is AlertStatus.SNOOZED
            and self.snoozed_until is not None
            and self.snoozed_until <= now
        ):
            return AlertStatus.CLAIMED if self.owner_id else AlertStatus.NEW
        return self.status

    @property
    def latest_values(self) -> tuple[AlertValue, ...]:
        """Values of the newest breach (a Task collects repeat breaches)."""
        if not self.values:
            return ()
        last = max(v.breach for v in self.values)
        return tuple(v for v in self.values if v.breach == last)

    @property
    def breaches(self) -> int:
        return len({v.breach for v in self.values})

    def is_waiting(self, now: datetime) -> bool:
        """Open and not snoozed: it needs someone."""
        return self.effective_status(now) in (AlertStatus.NEW, AlertStatus.CLAIMED)

    @property
    def is_adherence(self) -> bool:
        """A low-priority adherence item (missing measurement): the adherence list, no card.
        Only a plan can make a silence urgent; then it is a (medium) card."""
        adherence = self.alert_class == "adherence" or self.rule is AlertRule.MISSING_MEASUREMENT
        return adherence and self.priority is Priority.LOW

    @property
    def kind_rank(self) -> int:
        """Within a priority: values and questionnaire answers (0), contact requests (1), a
        silence the plan made urgent (2)."""
        if self.rule is AlertRule.CONTACT_REQUEST:
            return 1
        if self.rule is AlertRule.MISSING_MEASUREMENT or self.alert_class == "adherence":
            return 2
        return 0


@dataclass(frozen=True, slots=True)
class PatientAlerts:
    """One card: a patient's open alerts, worst and oldest first."""

    patient_id: str
    patient_name: str
    alerts: tuple[Alert, ...]
    priority: Priority
    oldest: datetime
    #: Every open alert is snoozed (the card waits at the end of the queue).
    snoozed: bool
    escalated: bool
    status: AlertStatus
    owner_name: str = ""
    claimed_at: datetime | None = None
    snoozed_until: datetime | None = None
    departments: tuple[str, ...] = ()
    #: Within the priority: kind (0 clinical, 1 contact request, 2 urgent silence), severity.
    kind_rank: int = 0
    severity: float = 0.0
    #: Some alert of the card may be a measurement error (marked, never hidden).
    suspect: bool = False
    #: Some alert of the card was raised while the centre was closed.
    out_of_hours: bool = False

    @property
    def alert_ids(self) -> tuple[str, ...]:
        return tuple(a.id for a in self.alerts)


def alert_sort_key(alert: Alert, now: datetime) -> tuple[int, int, int, float, datetime, str]:
    waiting = alert.is_waiting(now)
    return (
        0 if waiting else 1,
        -int(alert.priority),
        alert.kind_rank,
        -alert.severity,
        alert.authored_on,
        alert.id,
    )


def is_escalated(
    alert: Alert,
    now: datetime,
    after: timedelta = DEFAULT_ESCALATION_AFTER,
    *,
    local: bool = True,
) -> bool:
    """Recorded as escalated, or (`local`: the console escalates itself) a high alert nobody
    has claimed within `after`."""
    if alert.escalated_at is not None and alert.status.is_open:
        return alert.effective_status(now) is not AlertStatus.SNOOZED
    return local and escalation_due(alert, now, after)


def escalation_due(
    alert: Alert, now: datetime, after: timedelta = DEFAULT_ESCALATION_AFTER
) -> bool:
    """Whether the clock says this alert should escalate now (regardless of recording)."""
    return (
        alert.priority is Priority.HIGH
        and alert.effective_status(now) is AlertStatus.NEW
        and now - alert.authored_on >= after
    )


def escalation_deadline(alert: Alert, after: timedelta = DEFAULT_ESCALATION_AFTER) -> datetime:
    return alert.authored_on + after


def next_escalation(
    alerts: Iterable[Alert], now: datetime, after: timedelta = DEFAULT_ESCALATION_AFTER
) -> datetime | None:
    """When the next not-yet-escalated high alert escalates (for a precise single-shot timer)."""
    upcoming = [
        escalation_deadline(a, after)
        for a in alerts
        if a.priority is Priority.HIGH
        and a.effective_status(now) is AlertStatus.NEW
        and a.escalated_at is None
        and escalation_deadline(a, after) > now
    ]
    return min(upcoming, default=None)


def next_bundle_change(
    alerts: Iterable[Alert],
    now: datetime,
    after: timedelta = DEFAULT_ESCALATION_AFTER,
    *,
    local: bool = True,
) -> datetime | None:
    """The first moment after `now` at which `bundle_alerts` would give other cards.

    Only two things in a bundle move with the clock: a snooze running out and a high alert
    reaching its escalation time. Between those moments only the ages move, so a clock tick
    need not re-bundle a thousand alerts every second.
    """
    soonest: datetime | None = None
    high, snoozed = Priority.HIGH, AlertStatus.SNOOZED
    for a in alerts:  # a thousand alerts at every live batch: cheapest tests first
        status = a.status
        if status is snoozed and a.snoozed_until is not None:
            if a.snoozed_until > now:
                if soonest is None or a.snoozed_until < soonest:
                    soonest = a.snoozed_until
                continue  # what happens after it wakes is worked out when it wakes
        if not local or a.priority is not high or a.escalated_at is not None or not status.is_open:
            continue
        if a.effective_status(now) is AlertStatus.NEW:
            due = escalation_deadline(a, after)
            if due > now and (soonest is None or due < soonest):
                soonest = due
    return soonest


def bundle_alerts(
    alerts: Iterable[Alert],
    now: datetime,
    after: timedelta = DEFAULT_ESCALATION_AFTER,
    *,
    local: bool = True,
) -> list[PatientAlerts]:
    """Open clinical alerts → one card per patient, in queue order (adherence items apart).

    Waiting cards (anything not snoozed) come first by worst waiting priority, then clinical
    signals before contact requests before an urgent silence, then the most severe, then the
    oldest waiting alert; cards whose alerts are all snoozed follow, earliest wake-up first.
    """
    by_patient: dict[str, list[Alert]] = {}
    for alert in alerts:
        if alert.status.is_open and not alert.is_adherence:
            by_patient.setdefault(alert.patient_id, []).append(alert)
    cards: list[PatientAlerts] = []
    for pid, group in by_patient.items():
        group.sort(key=lambda a: alert_sort_key(a, now))
        waiting = [a for a in group if a.is_waiting(now)]
        relevant = waiting or group
        priority = max(a.priority for a in relevant)
        top = [a for a in relevant if a.priority is priority]
        kind_rank = min(a.kind_rank for a in top)
        # Age of the card = how long its worst alert has waited.
        oldest = min(a.authored_on for a in top)
        claimed = [a for a in waiting if a.effective_status(now) is AlertStatus.CLAIMED]
        new = [a for a in waiting if a.effective_status(now) is AlertStatus.NEW]
        if new:
            status = AlertStatus.NEW
        elif claimed:
            status = AlertStatus.CLAIMED
        else:
            status = AlertStatus.SNOOZED
        owner = claimed[0] if claimed else None
        wake = [a.snoozed_until for a in group if a.snoozed_until and not waiting]
        name = next((a.patient_name for a in group if a.patient_name), "") or pid
        departments = tuple(dict.fromkeys(a.department_id for a in group if a.department_id))
        cards.append(
            PatientAlerts(
                patient_id=pid,
                patient_name=name,
                alerts=tuple(group),
                priority=priority,
                oldest=oldest,
                snoozed=not waiting,
                escalated=any(is_escalated(a, now, after, local=local) for a in waiting),
                status=status,
                owner_name=owner.owner_name if owner else "",
                claimed_at=owner.claimed_at if owner else None,
                snoozed_until=min(wake) if wake else None,
                departments=departments,
                kind_rank=kind_rank,
                severity=max(a.severity for a in top if a.kind_rank == kind_rank),
                suspect=any(a.suspect for a in group),
                out_of_hours=any(a.out_of_hours for a in group),
            )
        )
    cards.sort(key=lambda c: card_sort_key(c))
    return cards


def card_sort_key(card: PatientAlerts) -> tuple[int, int, int, float, datetime, str]:
    if card.snoozed:
        return (1, 0, 0, 0.0, card.snoozed_until or card.oldest, card.patient_id)
    return (0, -int(card.priority), card.kind_rank, -card.severity, card.oldest, card.patient_id)


def adherence_items(alerts: Iterable[Alert]) -> list[Alert]:
    """The adherence list: open low-priority missing-measurement items, oldest first."""
    items = [a for a in alerts if a.status.is_open and a.is_adherence]
    items.sort(key=lambda a: (a.authored_on, a.patient_name, a.id))
    return items


def since_we_closed(
    alerts: Iterable[Alert], closed_since: datetime | None, opened: datetime | None
) -> list[Alert]:
    """Open alerts raised in the closed period [closed_since, opened), worst first: the
    "since we closed" list at the start of a shift (adherence items included, apart)."""
    if closed_since is None:
        return []
    out = [
        a
        for a in alerts
        if a.status.is_open
        and closed_since <= a.authored_on
        and (opened is None or a.authored_on < opened)
    ]
    out.sort(
        key=lambda a: (a.is_adherence, -int(a.priority), a.kind_rank, -a.severity, a.authored_on)
    )
    return out


# ----- sound and flashing ---------------------------------------------------------------------


class AlarmLevel(enum.IntEnum):
    NONE = 0
    #: A new, unclaimed high-priority alert: flash and sound once.
    HIGH = 1
    #: Escalated: flash faster and repeat the sound.
    ESCALATED = 2


def alarm_level(cards: Iterable[PatientAlerts]) -> AlarmLevel:
    level = AlarmLevel.NONE
    for card in cards:
        if card.snoozed or card.status is not AlertStatus.NEW or card.priority < Priority.HIGH:
            continue
        level = max(level, AlarmLevel.ESCALATED if card.escalated else AlarmLevel.HIGH)
    return level


@dataclass(slots=True)
class SoundPolicy:
    """Decides when to sound; silencing is local and time-limited and acknowledges nothing."""

    repeat: timedelta = ESCALATED_SOUND_REPEAT
    silenced_until: datetime | None = None
    _last_played: datetime | None = None
    _heard: set[str] = field(default_factory=set)

    def silence(self, now: datetime, duration: timedelta = DEFAULT_SILENCE) -> datetime:
        self.silenced_until = now + duration
        return self.silenced_until

    def unsilence(self) -> None:
        self.silenced_until = None

    def silenced(self, now: datetime) -> bool:
        if self.silenced_until is not None and self.silenced_until <= now:
            self.silenced_until = None
        return self.silenced_until is not None

    def remaining(self, now: datetime) -> timedelta | None:
        if not self.silenced(now):
            return None
        assert self.silenced_until is not None
        return self.silenced_until - now

    def should_play(self, cards: Sequence[PatientAlerts], now: datetime) -> bool:
        """Sound for each new high card once; repeat while any card is escalated."""
        alarming = {
            a.id
            for c in cards
            if not c.snoozed and c.status is AlertStatus.NEW and c.priority is Priority.HIGH
            for a in c.alerts
            if a.priority is Priority.HIGH and a.effective_status(now) is AlertStatus.NEW
        }
        fresh = alarming - self._heard
        self._heard &= alarming
        level = alarm_level(cards)
        if self.silenced(now):
            self._heard |= fresh  # silenced while it arrived: no catch-up burst afterwards
            return False
        play = bool(fresh) or (
            level is AlarmLevel.ESCALATED
            and (self._last_played is None or now - self._last_played >= self.repeat)
        )
        self._heard |= fresh
        if play:
            self._last_played = now
        return play


# ----- suspect values -------------------------------------------------------------------------


class SuspectReason(enum.StrEnum):
    IMPLAUSIBLE = "implausible"
    JUMP = "jump"


#: Values outside these cannot be a real measurement of a living person at home.
PLAUSIBLE: dict[MeasurementKind, tuple[float, float]] = {
    MeasurementKind.SPO2: (50.0, 100.0),
    MeasurementKind.PULSE: (25.0, 250.0),
    MeasurementKind.BLOOD_PRESSURE: (50.0, 260.0),
    MeasurementKind.TEMPERATURE: (32.0, 43.0),
    MeasurementKind.GLUCOSE: (1.0, 40.0),
    MeasurementKind.WEIGHT: (25.0, 300.0),
    MeasurementKind.RESPIRATORY_RATE: (4.0, 60.0),
}

#: A change larger than this from the patient's recent typical value is suspect.
MAX_JUMP: dict[MeasurementKind, float] = {
    MeasurementKind.SPO2: 8.0,
    MeasurementKind.PULSE: 45.0,
    MeasurementKind.BLOOD_PRESSURE: 50.0,
    MeasurementKind.TEMPERATURE: 2.5,
    MeasurementKind.GLUCOSE: 10.0,
    MeasurementKind.WEIGHT: 4.0,
    MeasurementKind.RESPIRATORY_RATE: 15.0,
}


def suspect_value(
    kind: MeasurementKind, value: float, recent: Sequence[float], *, min_history: int = 3
) -> SuspectReason | None:
    """Whether a value looks like a measurement error rather than the patient's state.

    Implausible values are always suspect; otherwise a jump larger than `MAX_JUMP` away from
    the median of the patient's recent values (at least `min_history` of them) is.
    """
    low, high = PLAUSIBLE[kind]
    if not low <= value <= high:
        return SuspectReason.IMPLAUSIBLE
    if len(recent) < min_history:
        return None
    typical = statistics.median(recent)
    if abs(value - typical) > MAX_JUMP[kind]:
        return SuspectReason.JUMP
    return None


# ----- texts for the record (Bokmål, or Nynorsk for a nurse who works in Nynorsk) ------------

#: Record wording by written standard. The note goes into a Norwegian patient record, so a
#: console in English writes Bokmål; one in Nynorsk writes Nynorsk (Mållova: a public body
#: answers in the standard its staff and users write).
RECORD_WORDS: dict[str, dict[str, str]] = {
    "nb": {
        "heading": "Digital hjemmeoppfølging",
        "deviations": "Avvik",
        "comments": "Kommentarer",
        "measures": "Tiltak",
        "nurse": "Sykepleier",
        "unknown": "ukjent",
        "measurement": "Måling",
        "missing": "mangler, ventet",
        "at": "kl.",
        "limit": "grense",
    },
    "nn": {
        "heading": "Digital heimeoppfølging",
        "deviations": "Avvik",
        "comments": "Kommentarar",
        "measures": "Tiltak",
        "nurse": "Sjukepleiar",
        "unknown": "ukjend",
        "measurement": "Måling",
        "missing": "manglar, venta",
        "at": "kl.",
        "limit": "grense",
    },
}

OUTCOME_NN: dict[Outcome, str] = {
    Outcome.CONTACTED_PATIENT: "Pasienten kontakta",
    Outcome.ADVISED_GP: "Fastlege varsla",
    Outcome.REFERRED_OUT_OF_HOURS: "Tilvist til legevakt",
    Outcome.CALLED_113: "Ringt 113",
    Outcome.MEASUREMENT_ERROR: "Målefeil",
    Outcome.NO_ACTION: "Ingen tiltak naudsynte",
}

#: Labels the server's rules write in Bokmål (alert inputs), as Nynorsk writes them.
LABELS_NN: dict[str, str] = {
    "Økning": "Auke",
    "Manglende måling": "Manglande måling",
}


def _label_in(language: str, label: str) -> str:
    if language != "nn":
        return label
    for nb, nn in LABELS_NN.items():
        label = label.replace(nb, nn)
    return label


def record_language(ui_language: str) -> str:
    """The written standard of record texts for a console in `ui_language` (nb, nn, en)."""
    return "nn" if ui_language == "nn" else "nb"


def _number_nb(value: float, kind: MeasurementKind | None) -> str:
    if kind in (MeasurementKind.TEMPERATURE, MeasurementKind.GLUCOSE, MeasurementKind.WEIGHT):
        text = f"{value:.1f}"
    elif value == int(value):
        text = str(int(value))
    else:
        text = f"{value:.1f}"
    return text.replace(".", ",")


def value_text_nb(
    rule: AlertRule, v: AlertValue, tz: tzinfo | None = None, language: str = "nb"
) -> str:
    """ "SpO₂ 86 % (grense 88 %)" for the journal note (Bokmål, or `language` "nn")."""
    words = RECORD_WORDS[language]
    kind = RULE_KINDS.get(rule) or v.kind
    label = _label_in(language, v.component or (KIND_NB.get(kind, "") if kind else ""))
    if v.due is not None:
        due = v.due.astimezone(tz) if tz is not None else v.due
        return (
            f"{label or words['measurement']} {words['missing']} "
            f"{due:%d.%m.} {words['at']} {due:%H:%M}"
        )
    if v.text:
        return f"{label}: {v.text}" if label else v.text
    unit = UNIT_TEXT.get(v.unit, v.unit)
    parts: list[str] = [label] if label else []
    if v.value is not None:
        number = _number_nb(v.value, kind)
        if v.value2 is not None:
            number += "/" + _number_nb(v.value2, kind)
        if rule is AlertRule.WEIGHT_TREND and v.value > 0 and v.threshold is not None:
            number = "+" + number
        elif rule is AlertRule.WEIGHT_LOSS and v.value > 0 and v.threshold is not None:
            number = "−" + number
        parts.append(f"{number} {unit}".strip())
    text = " ".join(parts)
    if v.threshold is not None:
        text += f" ({words['limit']} {v.comparator}{' ' if v.comparator else ''}"
        text += f"{_number_nb(v.threshold, kind)} {unit}".rstrip() + ")"
    return text


def journal_note(
    card: PatientAlerts,
    *,
    outcome: Outcome,
    comment: str,
    author: str,
    when: datetime,
    actions: Sequence[str] = (),
    tz: tzinfo | None = None,
    language: str = "nb",
) -> str:
    """The draft journal note a nurse copies into the patient record, in Bokmål or Nynorsk
    (`language`, see :func:`record_language`); its times in `tz` (the centre's zone), like
    every other time the console shows."""
    words = RECORD_WORDS[language]
    when = when.astimezone(tz) if tz is not None else when
    lines = [f"{words['heading']} {when:%d.%m.%Y %H:%M}: {card.patient_name}."]
    findings: list[str] = []
    for alert in card.alerts:
        texts = [value_text_nb(alert.rule, v, tz, language) for v in alert.latest_values]
        texts = [t for t in texts if t]
        if texts:
            findings.extend(texts)
        elif alert.description:
            findings.append(alert.description.rstrip("."))
    if findings:
        lines.append(f"{words['deviations']}: " + "; ".join(findings) + ".")
    earlier = [n for a in card.alerts for n in a.notes if n.text]
    if earlier:
        lines.append(
            f"{words['comments']}: "
            + " ".join(
                f"{n.text.rstrip('.')} ({n.author_name or words['unknown']}"
                + (f" {(n.time.astimezone(tz) if tz else n.time):%H:%M}" if n.time else "")
                + ")."
                for n in earlier
            )
        )
    outcomes = OUTCOME_NN if language == "nn" else OUTCOME_NB
    measures = [outcomes[outcome], *actions]
    lines.append(f"{words['measures']}: " + ". ".join(m.rstrip(".") for m in measures) + ".")
    if comment.strip():
        lines.append(comment.strip().rstrip(".") + ".")
    lines.append(f"{words['nurse']}: {author}.")
    return "\n".join(lines)


# ----- shift handover -------------------------------------------------------------------------


def shift_start(
    now: datetime, starts: Sequence[time] = DEFAULT_SHIFT_STARTS, tz: tzinfo | None = None
) -> datetime:
    """The latest shift start at or before `now` (in `tz`, default `now`'s zone)."""
    local = now.astimezone(tz) if tz is not None else now
    ordered = sorted(starts)
    day: date = local.date()
    for start in reversed(ordered):
        candidate = datetime.combine(day, start, tzinfo=local.tzinfo)
        if candidate <= local:
            return candidate
    return datetime.combine(day - timedelta(days=1), ordered[-1], tzinfo=local.tzinfo)


@dataclass(frozen=True, slots=True)
class ShiftDeviation:
    """A patient who had alerts raised during the shift (open or already closed)."""

    patient_id: str
    patient_name: str
    priority: Priority
    count: int
    rules: tuple[AlertRule, ...]
    outcomes: tuple[Outcome, ...]
    first: datetime
    open: bool


def shift_deviations(alerts: Iterable[Alert], since: datetime) -> list[ShiftDeviation]:
    """Patients with alerts authored since `since`, worst and earliest first."""
    groups: dict[str, list[Alert]] = {}
    for alert in alerts:
        if alert.authored_on >= since and alert.status is not AlertStatus.CANCELLED:
            groups.setdefault(alert.patient_id, []).append(alert)
    out = []
    for pid, group in groups.items():
        out.append(
            ShiftDeviation(
                patient_id=pid,
                patient_name=next((a.patient_name for a in group if a.patient_name), pid),
                priority=max(a.priority for a in group),
                count=len(group),
                rules=tuple(dict.fromkeys(a.rule for a in group)),
                outcomes=tuple(dict.fromkeys(a.outcome for a in group if a.outcome)),
                first=min(a.authored_on for a in group),
                open=any(a.status.is_open for a in group),
            )
        )
    out.sort(key=lambda d: (-int(d.priority), d.first, d.patient_name))
    return out
