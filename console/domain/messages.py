"""Messages with patients, relatives and colleague services; video calls. No Qt, no I/O.

A patient has two threads: the *patient thread* (the patient, their relatives and the service)
and the *colleague thread* (collaborating services talking about the patient, never shown to
the patient). `console/fhir/messages.py` maps FHIR Communications into `Message`; the rules here
(what is unread, how a thread merges a live change) are plain functions so they are easy to test.
"""

from __future__ import annotations

import enum
import secrets
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta


class ThreadKind(enum.StrEnum):
    """Which of a patient's two threads a message belongs to."""

    PATIENT = "patient"
    COLLEAGUE = "colleague"


class Category(enum.StrEnum):
    """Communication.category codes (docs/contract.md, "Messaging and video")."""

    PATIENT_THREAD = "patient-thread"
    COLLEAGUE_THREAD = "colleague-thread"
    CONTACT_REQUEST = "contact-request"
    REMEASURE_REQUEST = "remeasure-request"
    QUICK_REPLY_TEMPLATE = "quick-reply-template"
    #: A department's wording of a message the console writes to patients (patient_texts).
    PATIENT_MESSAGE_TEMPLATE = "patient-message-template"


#: Categories shown in each thread. A contact request or a remeasure request belongs to the
#: patient thread; nothing from the colleague thread is ever listed there, and vice versa.
THREAD_CATEGORIES: Mapping[ThreadKind, tuple[Category, ...]] = {
    ThreadKind.PATIENT: (
        Category.PATIENT_THREAD,
        Category.CONTACT_REQUEST,
        Category.REMEASURE_REQUEST,
    ),
    ThreadKind.COLLEAGUE: (Category.COLLEAGUE_THREAD,),
}


def thread_of(category: Category) -> ThreadKind | None:
    for kind, categories in THREAD_CATEGORIES.items():
        if category in categories:
            return kind
    return None


class PartyKind(enum.StrEnum):
    PATIENT = "Patient"
    RELATIVE = "RelatedPerson"
    PRACTITIONER = "Practitioner"
    ORGANIZATION = "Organization"
    UNKNOWN = "unknown"


@dataclass(frozen=True, slots=True)
class Party:
    """A sender or recipient. `relationship` is a display text for relatives ("datter")."""

    kind: PartyKind
    id: str = ""
    name: str = ""
    relationship: str = ""

    @property
    def reference(self) -> str:
        return f"{self.kind.value}/{self.id}" if self.id else ""

    @property
    def is_patient_side(self) -> bool:
        """The patient or a relative: their messages wait for the service to read them."""
        return self.kind in (PartyKind.PATIENT, PartyKind.RELATIVE)


@dataclass(frozen=True, slots=True)
class MessagingUser:
    """Who is writing from this console: the practitioner and the service (organization).

    `reader` is what the colleague thread's read marker records: the service when known (a
    colleague message is read once someone in the service has read it), else the practitioner.
    """

    practitioner_id: str
    name: str
    organization_id: str | None = None
    organization_name: str = ""

    @property
    def practitioner(self) -> Party:
        return Party(PartyKind.PRACTITIONER, self.practitioner_id, self.name)

    @property
    def reader(self) -> str:
        if self.organization_id:
            return f"Organization/{self.organization_id}"
        return f"Practitioner/{self.practitioner_id}"

    @classmethod
    def from_principal(cls, principal: object) -> MessagingUser:
        """From the sign-in's `SignedInUser` or the alert domain's `Operator`."""
        name = str(getattr(principal, "display_name", "") or getattr(principal, "name", ""))
        orgs = tuple(getattr(principal, "organizations", ()) or ())
        org = str(orgs[0]).rsplit("/", 1)[-1] if orgs else None
        return cls(str(getattr(principal, "practitioner_id", "")), name, org)


@dataclass(frozen=True, slots=True)
class Message:
    """One Communication in a thread."""

    id: str
    patient_id: str
    thread: ThreadKind
    category: Category
    sender: Party
    sent: datetime
    text: str
    version: str = ""
    thread_id: str = ""
    recipients: tuple[Party, ...] = ()
    #: When the service read it (patient thread); None = not read yet.
    received: datetime | None = None
    #: Readers (`Organization/x` or `Practitioner/x`) that have read it (colleague thread).
    read_by: frozenset[str] = frozenset()
    in_response_to: str | None = None
    key: str = ""
    status: str = "completed"
    #: Colleague thread: the writer's service (`Organization/x`), when the message says.
    sender_organization: str = ""
    #: `meta.lastUpdated`: orders versions, whose ids are opaque (UUIDs on other servers).
    updated: datetime | None = None

    def written_by(self, user: MessagingUser) -> bool:
        """Whether `user` or (colleague thread) `user`'s service wrote it."""
        if self.sender.kind is PartyKind.PRACTITIONER and self.sender.id == user.practitioner_id:
            return True
        return bool(user.organization_id) and user.reader in (
            self.sender.reference,
            self.sender_organization,
        )

    @property
    def is_contact_request(self) -> bool:
        return self.category is Category.CONTACT_REQUEST


def default_thread_id(patient_id: str, kind: ThreadKind) -> str:
    """The thread id carried by every message of a patient's default thread of a kind."""
    return f"{patient_id}/{kind.value}"


def is_unread(message: Message, reader: str) -> bool:
    """Whether the service `reader` (`Organization/x`) still has to read `message`.

    Patient thread: a message from the patient or a relative without `received`.
    Colleague thread: a message `reader` has not marked as read (the author's own service marks
    its messages as read when sending, so our own messages never count).
    """
    if message.status in ("entered-in-error", "preparation", "stopped"):
        return False
    if message.thread is ThreadKind.PATIENT:
        return message.sender.is_patient_side and message.received is None
    return reader not in message.read_by


def count_unread(messages: Iterable[Message], reader: str) -> int:
    return sum(1 for m in messages if is_unread(m, reader))


def unread_by_patient(messages: Iterable[Message], reader: str) -> dict[str, int]:
    """Unread messages per patient id (patients with none are left out)."""
    counts: dict[str, int] = {}
    for m in messages:
        if is_unread(m, reader):
            counts[m.patient_id] = counts.get(m.patient_id, 0) + 1
    return counts


def window_title(base: str, total_unread: int) -> str:
    """The title with the unread count first, e.g. "(3) DHO responssenter"."""
    return f"({total_unread}) {base}" if total_unread > 0 else base


def version_number(version: str) -> int:
    try:
        return int(version)
    except ValueError:
        return -1


def is_older(candidate: Message, current: Message) -> bool:
    """Whether `candidate` is an earlier version of `current` (a late arrival to ignore).

    versionIds are opaque strings: order comes from `updated` (meta.lastUpdated); numbers are
    compared only when both versions are numbers (our server) and no time is known.
    """
    if candidate.version == current.version:
        return False
    if candidate.updated is not None and current.updated is not None:
        return candidate.updated < current.updated
    a, b = version_number(candidate.version), version_number(current.version)
    return a >= 0 and b >= 0 and a < b


def merge(messages: Iterable[Message], changed: Iterable[Message]) -> list[Message]:
    """A thread with `changed` applied: newer versions replace older, in `sent` order.

    An older version arriving late (live feed after a reload) never replaces a newer one.
    """
    by_id = {m.id: m for m in messages}
    for m in changed:
        current = by_id.get(m.id)
        if current is None or not is_older(m, current):
            by_id[m.id] = m
    return sorted(by_id.values(), key=lambda m: (m.sent, m.id))


class Delivery(enum.StrEnum):
    """Where a message the console composed is on its way to the server."""

    SENDING = "sending"
    SENT = "sent"
    FAILED = "failed"


@dataclass(slots=True)
class OutgoingMessage:
    """A message composed here. `key` is its idempotency key, fixed when composed."""

    key: str
    patient_id: str
    thread: ThreadKind
    text: str
    composed: datetime
    resource: dict[str, object] = field(default_factory=dict)
    state: Delivery = Delivery.SENDING
    attempts: int = 0
    error: str = ""
    #: The stored Communication's id once delivered.
    stored_id: str = ""


def new_message_key() -> str:
    """An idempotency key that no two composed messages share."""
    return secrets.token_urlsafe(18)


@dataclass(frozen=True, slots=True)
class QuickReply:
    """A department's reply template (stored on the server, shared by the department)."""

    text: str
    id: str = ""
    version: str = ""
    department_id: str = ""


# ----- video -------------------------------------------------------------------------------

#: Default provider template; `{host}` comes from the `video/host` setting, which has no
#: default: each municipality names its own service (the console asks before the first call).
DEFAULT_VIDEO_TEMPLATE = "https://{host}/{room}"
ROOM_PREFIX = "dho-"


def new_room_name(nbytes: int = 18) -> str:
    """An unguessable meeting room: `dho-` + at least 16 random bytes, URL-safe."""
    return ROOM_PREFIX + secrets.token_urlsafe(max(16, nbytes))


def needs_host(template: str, host: str) -> bool:
    """Whether a meeting address cannot be made until someone names the video host."""
    return "{host}" in template and not host.strip()


def meeting_url(template: str, room: str, host: str = "") -> str:
    """Fill a provider template (`https://{host}/{room}`, `https://video.kommune.no/{room}`)."""
    if "{room}" not in template:
        raise ValueError("the video URL template must contain {room}")
    if needs_host(template, host):
        raise ValueError("no video host is configured (setting video/host)")
    url = template.replace("{host}", host).replace("{room}", room)
    if not url.startswith("https://"):
        raise ValueError("video calls must use an https URL")
    return url


@dataclass(frozen=True, slots=True)
class VideoCall:
    """One video visit: the Appointment and its Encounter (class VR)."""

    patient_id: str
    url: str
    started: datetime
    appointment_id: str = ""
    appointment_version: str = ""
    encounter_id: str = ""
    encounter_version: str = ""
    ended: datetime | None = None
    outcome: str = ""
    relative_id: str | None = None
    practitioner_name: str = ""

    @property
    def active(self) -> bool:
        return self.ended is None

    @property
    def duration(self) -> timedelta | None:
        return None if self.ended is None else self.ended - self.started


def format_duration(duration: timedelta) -> str:
    """`1:05:09` or `5:09` (hours only when needed)."""
    seconds = max(0, int(duration.total_seconds()))
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"
