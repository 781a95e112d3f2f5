"""Follow-up programmes: which measurements each programme asks for, when, and their codes.

One table (`PROGRAMMES`) is shared by the seeding code, the real-time simulator and the server
(for example to build care plans or to know when a measurement is missing), so the schedule is
defined once. Codes and units follow docs/contract.md.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import time
from typing import Final

PROGRAMME_SYSTEM: Final = "http://dho.example/fhir/CodeSystem/programme"
LOINC: Final = "http://loinc.org"
UCUM: Final = "http://unitsofmeasure.org"
OBSERVATION_CATEGORY_SYSTEM: Final = "http://terminology.hl7.org/CodeSystem/observation-category"


@dataclass(frozen=True, slots=True)
class Measurement:
    """How one kind of measurement is coded in an Observation.

    `codings` are LOINC (code, display) pairs, all placed in `code.coding` (SpO2 has two);
    `components` are (code, display, text) for panels (blood pressure) that carry no top-level
    value. `unit` is the UCUM code, `unit_display` the human-readable `valueQuantity.unit`.
    """

    key: str
    codings: tuple[tuple[str, str], ...]
    text: str
    unit: str
    unit_display: str
    decimals: int
    components: tuple[tuple[str, str, str], ...] = ()

    @property
    def code(self) -> str:
        """The primary LOINC code (the first coding)."""
        return self.codings[0][0]


BP: Final = "bp"
PULSE: Final = "pulse"
SPO2: Final = "spo2"
WEIGHT: Final = "weight"
TEMPERATURE: Final = "temp"
GLUCOSE: Final = "glucose"
RESPIRATION: Final = "resp"

MEASUREMENTS: Final[dict[str, Measurement]] = {
    BP: Measurement(
        BP,
        (("85354-9", "Blood pressure panel with all children optional"),),
        "Blodtrykk",
        "mm[Hg]",
        "mmHg",
        0,
        (
            ("8480-6", "Systolic blood pressure", "Systolisk blodtrykk"),
            ("8462-4", "Diastolic blood pressure", "Diastolisk blodtrykk"),
        ),
    ),
    PULSE: Measurement(PULSE, (("8867-4", "Heart rate"),), "Puls", "/min", "/min", 0),
    SPO2: Measurement(
        SPO2,
        (
            ("2708-6", "Oxygen saturation in Arterial blood"),
            ("59408-5", "Oxygen saturation in Arterial blood by Pulse oximetry"),
        ),
        "Oksygenmetning (SpO2)",
        "%",
        "%",
        0,
    ),
    WEIGHT: Measurement(WEIGHT, (("29463-7", "Body weight"),), "Kroppsvekt", "kg", "kg", 1),
    TEMPERATURE: Measurement(
        TEMPERATURE, (("8310-5", "Body temperature"),), "Kroppstemperatur", "Cel", "°C", 1
    ),
    GLUCOSE: Measurement(
        GLUCOSE,
        (("15074-8", "Glucose [Moles/volume] in Blood"),),
        "Blodsukker",
        "mmol/L",
        "mmol/L",
        1,
    ),
    RESPIRATION: Measurement(
        RESPIRATION, (("9279-1", "Respiratory rate"),), "Respirasjonsfrekvens", "/min", "/min", 0
    ),
}

# LOINC code -> measurement key, for code that starts from a stored Observation.
MEASUREMENT_BY_LOINC: Final[dict[str, str]] = {
    code: m.key for m in MEASUREMENTS.values() for code, _ in m.codings
}


@dataclass(frozen=True, slots=True)
class Session:
    """One scheduled measuring moment: what is measured together, at what local times, how often.

    Times are Europe/Oslo wall-clock times; each patient shifts them by a personal habit offset
    and a daily jitter. `optional_times` are extra slots that only some patients use (glucose
    2-4 times a day). `every_days` > 1 means the session happens on one day in that many.
    """

    kinds: tuple[str, ...]
    times: tuple[time, ...]
    every_days: int = 1
    optional_times: tuple[time, ...] = ()


@dataclass(frozen=True, slots=True)
class Programme:
    """A follow-up programme: code and Bokmål display, schedule, typical ages, deteriorations.

    `episodes` are (deterioration type, relative weight) pairs understood by
    `server.sim.physiology.EPISODE_TYPES`.
    """

    code: str
    display: str
    sessions: tuple[Session, ...]
    ages: tuple[int, int, int]  # low, typical, high age in years
    episodes: tuple[tuple[str, float], ...]

    @property
    def measurements(self) -> tuple[str, ...]:
        """The measurement keys this programme uses, in first-use order, without repeats."""
        seen: dict[str, None] = {}
        for session in self.sessions:
            for kind in session.kinds:
                seen.setdefault(kind, None)
        return tuple(seen)

    def observations_per_day(self) -> float:
        """Expected Observations per patient per day if every measurement were taken."""
        total = 0.0
        for session in self.sessions:
            slots = len(session.times) + 0.5 * len(session.optional_times)
            total += slots * len(session.kinds) / session.every_days
        return total

    def coding(self) -> dict[str, str]:
        """The FHIR Coding for EpisodeOfCare.type."""
        return {"system": PROGRAMME_SYSTEM, "code": self.code, "display": self.display}


def _t(text: str) -> time:
    return time.fromisoformat(text)


PROGRAMMES: Final[dict[str, Programme]] = {
    "copd": Programme(
        "copd",
        "KOLS",
        (
            Session((SPO2, PULSE), (_t("08:00"), _t("20:00"))),
            Session((TEMPERATURE,), (_t("08:00"),)),
            Session((WEIGHT,), (_t("07:30"),), every_days=7),
        ),
        (55, 76, 95),
        (("copd-exacerbation", 0.7), ("fever", 0.3)),
    ),
    "heart-failure": Programme(
        "heart-failure",
        "Hjertesvikt",
        (
            Session((WEIGHT,), (_t("07:15"),)),
            Session((BP, PULSE), (_t("08:00"),)),
            Session((SPO2,), (_t("08:15"),)),
        ),
        (55, 78, 95),
        (("heart-failure-decompensation", 0.7), ("bp-spike", 0.15), ("fever", 0.15)),
    ),
    "diabetes-t2": Programme(
        "diabetes-t2",
        "Diabetes type 2",
        (
            Session(
                (GLUCOSE,), (_t("07:30"), _t("21:30")), optional_times=(_t("11:30"), _t("17:00"))
            ),
            Session((WEIGHT,), (_t("07:30"),), every_days=7),
        ),
        (30, 62, 80),
        (("hyperglycaemia", 0.6), ("hypoglycaemia", 0.3), ("fever", 0.1)),
    ),
    "hypertension": Programme(
        "hypertension",
        "Hypertensjon",
        (Session((BP, PULSE), (_t("08:00"), _t("20:00"))),),
        (30, 60, 80),
        (("bp-spike", 0.8), ("low-bp", 0.2)),
    ),
    "cancer": Programme(
        "cancer",
        "Kreftoppfølging",
        (
            Session((TEMPERATURE, PULSE), (_t("08:00"),)),
            Session((TEMPERATURE,), (_t("20:00"),)),
            Session((WEIGHT,), (_t("08:00"),), every_days=3),
        ),
        (40, 67, 85),
        (("fever", 0.8), ("weight-loss", 0.2)),
    ),
    "rehabilitation": Programme(
        "rehabilitation",
        "Rehabilitering",
        (
            Session((BP, PULSE), (_t("09:00"),)),
            Session((SPO2,), (_t("09:00"),)),
        ),
        (20, 62, 85),
        (("bp-spike", 0.3), ("low-bp", 0.3), ("fever", 0.4)),
    ),
}
