"""The console's view of the world, independent of FHIR and of Qt.

`console/fhir` maps FHIR resources into these types; `console/state` turns them into Qt models.
Keeping them plain makes the rules testable without a server or a window.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import date, datetime


class MeasurementKind(enum.StrEnum):
    """The measurements a plan can ask for; the value is a stable key, not a display text."""

    BLOOD_PRESSURE = "blood-pressure"
    PULSE = "pulse"
    SPO2 = "spo2"
    WEIGHT = "weight"
    GLUCOSE = "glucose"
    TEMPERATURE = "temperature"
    RESPIRATORY_RATE = "respiratory-rate"


#: Kinds shown as columns in the patient list, in column order.
KEY_MEASUREMENTS: tuple[MeasurementKind, ...] = (
    MeasurementKind.BLOOD_PRESSURE,
    MeasurementKind.PULSE,
    MeasurementKind.SPO2,
    MeasurementKind.WEIGHT,
    MeasurementKind.GLUCOSE,
    MeasurementKind.TEMPERATURE,
)


class OrganizationKind(enum.StrEnum):
    MUNICIPALITY = "municipality"
    DEPARTMENT = "department"
    RESPONSE_CENTRE = "response-centre"
    OTHER = "other"


class Triage(enum.IntEnum):
    """Worst current state of a patient. Ordered so that sorting descending puts red first."""

    NO_DATA = 0
    GREEN = 1
    YELLOW = 2
    RED = 3


@dataclass(frozen=True, slots=True)
class Organization:
    id: str
    name: str
    kind: OrganizationKind
    part_of: str | None = None
    #: For a response centre: the departments it watches.
    watches: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Patient:
    id: str
    given: str
    family: str
    birth_date: date | None = None
    fodselsnummer: str | None = None
    gender: str | None = None
    version: str = ""
    #: Preferred language (`Patient.communication`, BCP 47 such as "nn" or "nb-NO"), or "".
    language: str = ""

    @property
    def name(self) -> str:
        """Family name first, as Norwegian clinical lists sort and show it."""
        if self.given and self.family:
            return f"{self.family}, {self.given}"
        return self.family or self.given


@dataclass(frozen=True, slots=True)
class Episode:
    """Enrolment of a patient in a follow-up programme run by one department."""

    id: str
    patient_id: str
    department_id: str | None
    programme: str
    programme_display: str
    status: str = "active"
    version: str = ""


@dataclass(frozen=True, slots=True)
class Measurement:
    patient_id: str
    kind: MeasurementKind
    value: float
    time: datetime
    unit: str = ""
    #: Diastolic pressure for blood pressure; unused otherwise.
    value2: float | None = None
    observation_id: str = ""
    version: str = ""


@dataclass(slots=True)
class PatientSummary:
    """One row of the patient list: who, where, and the latest key values."""

    patient: Patient
    episode: Episode | None = None
    latest: dict[MeasurementKind, Measurement] = field(default_factory=dict)

    @property
    def last_report(self) -> datetime | None:
        return max((m.time for m in self.latest.values()), default=None)

    def apply(self, measurement: Measurement) -> bool:
        """Keep the newest measurement per kind; return whether anything changed."""
        current = self.latest.get(measurement.kind)
        if current is not None and current.time >= measurement.time:
            return False
        self.latest[measurement.kind] = measurement
        return True


def age_on(birth_date: date | None, today: date) -> int | None:
    if birth_date is None:
        return None
    years = today.year - birth_date.year
    if (today.month, today.day) < (birth_date.month, birth_date.day):
        years -= 1
    return years


def mask_fodselsnummer(fnr: str | None) -> str:
    """Show the birth date part only; the personal number is revealed on demand elsewhere."""
    if not fnr or len(fnr) != 11:
        return ""
    return f"{fnr[:6]} *****"


class ConnectionMode(enum.StrEnum):
    """How current the console's data is; always shown to the user."""

    STARTING = "starting"
    CONNECTING = "connecting"
    LIVE = "live"
    CATCHING_UP = "catching-up"
    POLLING = "polling"
    RECONNECTING = "reconnecting"
    OFFLINE = "offline"


@dataclass(frozen=True, slots=True)
class ConnectionState:
    mode: ConnectionMode
    #: Newest moment up to which the shown data is known to be complete.
    data_as_of: datetime | None = None
    detail: str = ""


@dataclass(frozen=True, slots=True)
class CentreChoice:
    """An entry of the response-centre selector: a whole shared centre or one department."""

    label: str
    departments: tuple[str, ...] | None
    indent: int = 0
