"""Video visits: an Appointment + an Encounter of class VR, an invitation, the system browser.

The meeting URL comes from the installation's provider template: `video/url_template` (default
`https://{host}/{room}`) with `video/host`, which has no default: a municipality names its own
service, and until it does the dialog asks the user before the first call (`set_host`, kept in
the user's settings). Rooms are unguessable (`dho-` + 18 random bytes, URL-safe).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from PySide6.QtCore import QObject, QUrl, Signal
from PySide6.QtGui import QDesktopServices

from console import settings
from console.domain.messages import (
    MessagingUser,
    Party,
    ThreadKind,
    VideoCall,
    meeting_url,
    needs_host,
    new_message_key,
    new_room_name,
)
from console.domain.model import Patient
from console.domain.patient_texts import Purpose
from console.fhir.errors import FhirMalformed
from console.fhir.messages import (
    MessageStore,
    appointment_resource,
    encounter_resource,
    ended_encounter,
    fulfilled_appointment,
    video_call_from_fhir,
)
from console.services.messaging import MessagingService
from console.services.patient_texts import PatientTexts

log = logging.getLogger(__name__)


def video_settings() -> tuple[str, str]:
    """(url template, host) from the settings; the host is "" until someone names it."""
    return settings.video_template(), settings.video_host()


def open_in_browser(url: str) -> bool:
    return bool(QDesktopServices.openUrl(QUrl(url)))


class VideoService(QObject):
    """Starts and ends video visits and keeps the calls per patient (for the timeline)."""

    call_started = Signal(object)  # VideoCall
    call_ended = Signal(object)  # VideoCall
    calls_changed = Signal(str)  # patient id

    def __init__(
        self,
        store: MessageStore,
        messaging: MessagingService,
        me: MessagingUser,
        *,
        url_template: str | None = None,
        host: str | None = None,
        open_url: Callable[[str], bool] = open_in_browser,
        now: Callable[[], datetime] = lambda: datetime.now(UTC),
        texts: PatientTexts | None = None,
        patient_of: Callable[[str], tuple[Patient | None, str | None]] = lambda _p: (None, None),
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        #: The invitation in the patient's language; `patient_of` gives (patient, department).
        self.texts = texts
        self._patient_of = patient_of
        if url_template is None or host is None:
            configured_template, configured_host = video_settings()
            url_template = url_template or configured_template
            host = host or configured_host
        if not needs_host(url_template, host):
            meeting_url(url_template, "check", host)  # fail early on a bad template
        self.store = store
        self.messaging = messaging
        self.me = me
        self.url_template = url_template
        self.host = host
        self._open_url = open_url
        self._now = now
        self._calls: dict[str, list[VideoCall]] = {}
        self._appointments: dict[str, dict[str, Any]] = {}
        self._encounters: dict[str, dict[str, Any]] = {}

    def calls(self, patient_id: str) -> list[VideoCall]:
        """The patient's video calls, newest first (for the timeline)."""
        return sorted(self._calls.get(patient_id, ()), key=lambda c: c.started, reverse=True)

    def open_url(self, url: str) -> bool:
        """Open a meeting link in the system browser (again)."""
        return self._open_url(url)

    @property
    def needs_host(self) -> bool:
        """No video service named yet: the dialog asks before the first call."""
        return needs_host(self.url_template, self.host)

    def set_host(self, host: str, *, remember: bool = True) -> None:
        """Use `host` from now on (ValueError if it is no host name or gives no https URL);
        kept in the user's settings so the question comes once."""
        host = settings.BY_KEY["video/host"].parse(host)
        meeting_url(self.url_template, "check", host)
        self.host = host
        if remember:
            settings.remember("video/host", host)

    def new_url(self) -> str:
        return meeting_url(self.url_template, new_room_name(), self.host)

    async def load_calls(self, patient_id: str) -> list[VideoCall]:
        encounters, appointments = await self.store.video_calls(patient_id)
        calls: list[VideoCall] = []
        for encounter in encounters:
            appointment = None
            for ref in encounter.get("appointment") or []:
                rid = str((ref or {}).get("reference", "")).rsplit("/", 1)[-1]
                appointment = appointments.get(rid, appointment)
            try:
                call = video_call_from_fhir(encounter, appointment)
            except FhirMalformed as exc:
                log.warning("skipped a malformed video Encounter: %s", exc)
                continue
            if call is not None:
                calls.append(call)
                self._encounters[call.encounter_id] = encounter
                if appointment is not None:
                    self._appointments[call.appointment_id] = appointment
        self._calls[patient_id] = calls
        self.calls_changed.emit(patient_id)
        return self.calls(patient_id)

    async def start_call(
        self,
        patient_id: str,
        *,
        relative: Party | None = None,
        message: str | None = None,
        url: str | None = None,
    ) -> VideoCall:
        """Book the visit, record it in progress, invite (patient + relative), open the browser.

        The Appointment and Encounter are conditional creates, so a retry after a lost answer
        cannot book the call twice; the invitation goes through the messaging outbox.
        """
        url = url or self.new_url()
        start = self._now()
        relative_id = relative.id if relative is not None else None
        appointment = await self.store.create_once(
            appointment_resource(
                patient_id=patient_id,
                me=self.me,
                url=url,
                start=start,
                key=(appointment_key := new_message_key()),
                relative_id=relative_id,
            ),
            appointment_key,
        )
        encounter = await self.store.create_once(
            encounter_resource(
                patient_id=patient_id,
                appointment_id=str(appointment["id"]),
                me=self.me,
                start=start,
                key=(encounter_key := new_message_key()),
            ),
            encounter_key,
        )
        if message is None:
            message = await self.invitation(patient_id, url)
        self.messaging.send(
            patient_id,
            ThreadKind.PATIENT,
            message,
            recipients=[relative] if relative is not None else (),
        )
        if not self._open_url(url):
            log.warning("the system browser did not open the meeting URL")
        call = video_call_from_fhir(encounter, appointment)
        assert call is not None
        self._remember(call, encounter, appointment)
        self.call_started.emit(call)
        return call

    async def invitation(self, patient_id: str, url: str) -> str:
        """The invitation in the patient's language (not the nurse's)."""
        patient, department = self._patient_of(patient_id)
        texts = self.texts or PatientTexts.offline(self.me)
        return await texts.compose(Purpose.VIDEO, patient, department, link=url)

    async def end_call(self, call: VideoCall, outcome: str) -> VideoCall:
        """Record the end: Encounter finished with period.end, length and the outcome note;
        Appointment fulfilled. Both version-aware (412 → re-read, retry once)."""
        end = self._now()
        encounter = self._encounters.get(call.encounter_id) or await self.store.read(
            "Encounter", call.encounter_id
        )

        def finish(resource: Any) -> dict[str, Any] | None:
            if resource.get("status") == "finished":
                return None
            return ended_encounter(resource, end, outcome)

        encounter = await self.store.update_with_retry(encounter, finish)
        appointment: dict[str, Any] | None = None
        if call.appointment_id:
            current = self._appointments.get(call.appointment_id) or await self.store.read(
                "Appointment", call.appointment_id
            )

            def fulfil(resource: Any) -> dict[str, Any] | None:
                if resource.get("status") in ("fulfilled", "cancelled", "noshow"):
                    return None
                return fulfilled_appointment(resource, end)

            appointment = await self.store.update_with_retry(current, fulfil)
        ended = video_call_from_fhir(encounter, appointment)
        assert ended is not None
        self._remember(ended, encounter, appointment)
        self.call_ended.emit(ended)
        return ended

    def _remember(
        self, call: VideoCall, encounter: dict[str, Any], appointment: dict[str, Any] | None
    ) -> None:
        self._encounters[call.encounter_id] = encounter
        if appointment is not None:
            self._appointments[call.appointment_id] = appointment
        calls = [
            c for c in self._calls.get(call.patient_id, []) if c.encounter_id != call.encounter_id
        ]
        calls.append(call)
        self._calls[call.patient_id] = calls
        self.calls_changed.emit(call.patient_id)
