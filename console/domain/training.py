"""Training mode: the training mark, and the scenario session as plain data.

The mark ("TRENING / TRAINING") is decided from the server's profile (its
CapabilityStatement), never from the URL: the session switches it on once it knows the
server is a training backend, and everything the console writes out (window and dialog
titles, screenshots, PDFs, copied notes, messages to patients) asks `training_mark()`.
It is the same text in every language on purpose: a trainee from Bergen and a trainer from
Oslo read the same words, and a print-out carries both.

The session data mirrors the Training API in CONTRACTS.md; texts come in en/nb/nn and
`local()` picks the user's language.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from statistics import median

#: The mark itself, bilingual on purpose (see the module docstring).
MARK = "TRENING / TRAINING"
#: Roles that may run a training session (the trainer's controls).
TRAINER_ROLES = frozenset({"superuser", "admin"})


class _Mark:
    """Process-wide: one console talks to one server, and every exit path must ask."""

    active = False


def set_training_mark(active: bool) -> None:
    _Mark.active = active


def training_mark() -> bool:
    """True while connected to a server whose profile is `training`."""
    return _Mark.active


def marked_title(title: str) -> str:
    """`"TRENING / TRAINING – Shift handover"`; unchanged when not training or already marked."""
    if not _Mark.active or title.startswith(MARK):
        return title
    return f"{MARK} – {title}" if title else MARK


def marked_text(text: str) -> str:
    """Copied notes: the mark on a line of its own first, so a pasted note cannot pass as real."""
    if not _Mark.active or text.startswith(MARK):
        return text
    return f"{MARK}\n{text}"


def marked_message(text: str) -> str:
    """A message to a patient: `"[TRENING / TRAINING] <text>"`."""
    prefix = f"[{MARK}]"
    if not _Mark.active or text.startswith(prefix):
        return text
    return f"{prefix} {text}"


def mark_html(document_html: str) -> str:
    """The mark as the first line of an HTML document (or fragment) about to be printed."""
    if not _Mark.active:
        return document_html
    banner = (
        f"<p style='background:#7a1f00; color:white; font-weight:bold; padding:4px;'>{MARK}</p>"
    )
    match = re.search(r"<body[^>]*>", document_html)
    if match is None:
        return banner + document_html
    return document_html[: match.end()] + banner + document_html[match.end() :]


def may_train(roles: Iterable[str]) -> bool:
    return bool(set(roles) & TRAINER_ROLES)


def local(texts: Mapping[str, str] | str | None, language: str) -> str:
    """The text in `language`, else Bokmål, else English, else any."""
    if texts is None:
        return ""
    if isinstance(texts, str):
        return texts
    for lang in (language, "nb", "en"):
        if texts.get(lang):
            return str(texts[lang])
    return next((str(v) for v in texts.values() if v), "")


class SessionState(StrEnum):
    NONE = "none"  # nothing loaded yet
    READY = "ready"
    RUNNING = "running"
    PAUSED = "paused"
    FINISHED = "finished"


class Control(StrEnum):
    START = "start"
    PAUSE = "pause"
    STEP = "step"
    SPEED = "speed"
    RESET = "reset"
    INJECT = "inject"


class InjectKind(StrEnum):
    """What a trainer may inject now (`$scenario-control` action `inject`): an event as in
    a scenario file (server/training/scenario.schema.json)."""

    VALUE = "observation"
    MESSAGE = "message"
    MISSED = "missed"


#: Measurements an injected event may carry (the scenario format's names).
INJECT_MEASUREMENTS = ("spo2", "pulse", "temp", "weight", "glucose")


@dataclass(frozen=True, slots=True)
class ScenarioPatient:
    """A patient of a loaded scenario: the FHIR id, and the key the scenario file calls her."""

    id: str
    scenario: str
    key: str
    trainee: str = ""


@dataclass(frozen=True, slots=True)
class ScenarioInfo:
    name: str
    title: Mapping[str, str]
    duration_minutes: float
    group: str
    patients: int
    version: str = ""


@dataclass(frozen=True, slots=True)
class ScenarioEvent:
    at: datetime | None
    scenario: str
    kind: str
    summary: Mapping[str, str]
    done: bool


@dataclass(frozen=True, slots=True)
class TraineeAction:
    at: datetime | None
    trainee: str
    kind: str
    patient: str
    detail: str


@dataclass(frozen=True, slots=True)
class SessionStatus:
    session: str
    state: SessionState
    sim_time: datetime | None
    speed: float
    scenarios: tuple[str, ...] = ()
    trainees: tuple[str, ...] = ()
    events: tuple[ScenarioEvent, ...] = ()
    actions: tuple[TraineeAction, ...] = ()
    #: Patients of the loaded scenarios (one set per trainee).
    patients: tuple[ScenarioPatient, ...] = ()


@dataclass(frozen=True, slots=True)
class ScenarioScore:
    name: str
    time_to_claim_s: float | None
    time_to_open_s: float | None
    time_to_resolve_s: float | None
    outcome: str | None
    expected_outcome: str | None
    outcome_correct: bool
    alerts_missed: int
    messages_sent: int
    escalations: int
    score: float
    notes: tuple[Mapping[str, str], ...] = ()
    title: Mapping[str, str] | None = None
    #: What the expected response was, in words (the scenario's debrief text).
    debrief: Mapping[str, str] | None = None


@dataclass(frozen=True, slots=True)
class TraineeScore:
    trainee: str
    scenarios: tuple[ScenarioScore, ...]
    name: str = ""

    @property
    def score(self) -> float:
        """The trainee's mean over her scenarios."""
        if not self.scenarios:
            return 0.0
        return sum(s.score for s in self.scenarios) / len(self.scenarios)


@dataclass(frozen=True, slots=True)
class GroupScore:
    """The group's figures: what the server sends, else computed from the trainees."""

    trainees: int
    mean_score: float
    alerts_missed: int
    outcomes_correct: int
    outcomes_total: int
    median_time_to_claim_s: float | None


@dataclass(frozen=True, slots=True)
class Debrief:
    trainees: tuple[TraineeScore, ...]
    group: GroupScore


def group_of(trainees: Iterable[TraineeScore]) -> GroupScore:
    """The group's figures computed from its trainees (when the server sends none)."""
    people = list(trainees)
    scores = [s for t in people for s in t.scenarios]
    claims = sorted(s.time_to_claim_s for s in scores if s.time_to_claim_s is not None)
    return GroupScore(
        trainees=len(people),
        mean_score=sum(t.score for t in people) / len(people) if people else 0.0,
        alerts_missed=sum(s.alerts_missed for s in scores),
        outcomes_correct=sum(1 for s in scores if s.outcome_correct),
        outcomes_total=len(scores),
        median_time_to_claim_s=median(claims) if claims else None,
    )


def duration_text(seconds: float | None) -> str:
    """`"4 min 05 s"`, `"1 h 02 min"`, `"–"` when it never happened."""
    if seconds is None:
        return "–"
    total = round(seconds)
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return f"{hours} h {minutes:02d} min"
    if minutes:
        return f"{minutes} min {secs:02d} s"
    return f"{secs} s"
