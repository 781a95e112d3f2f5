"""Messages the console writes to patients, in the patient's language (no Qt, no I/O).

A patient reads what the service sends in their own language (Bokmål, Nynorsk or English, from
`Patient.communication`, else the `messages/patient_language` setting), never in the nurse's UI
language. Each department may replace the built-in wording (`DEFAULTS`) with its own template
per purpose and language; templates are stored on the server (docs/contract.md, "Messages to
patients") and filled here.

Placeholders: `{first_name}`, `{measurement}` (the measurement with its article, "blodtrykket",
"the blood pressure"), `{due}` (a clock time), `{link}` (a meeting address), `{nurse}` and
`{service}` (who writes). An unknown placeholder stays as typed, so a typo shows instead of
vanishing; a missing value leaves no stray space ("Hei !").
"""

from __future__ import annotations

import enum
import re
import string
from collections.abc import Mapping
from dataclasses import dataclass

from console.domain.model import MeasurementKind

LANGUAGES = ("nb", "nn", "en")
PLACEHOLDERS = ("first_name", "measurement", "due", "link", "nurse", "service")


class Purpose(enum.StrEnum):
    """What a message to a patient is for (`Communication.topic` of a stored template)."""

    REMEASURE = "remeasure-request"
    REMINDER = "measurement-reminder"
    VIDEO = "video-invitation"


DEFAULTS: Mapping[Purpose, Mapping[str, str]] = {
    Purpose.REMEASURE: {
        "nb": "Hei {first_name}! Vi vil gjerne dobbeltsjekke {measurement} du nettopp sendte "
        "inn. Kan du måle én gang til og sende inn resultatet? Hilsen {nurse}, {service}",
        "nn": "Hei {first_name}! Vi vil gjerne dobbeltsjekke {measurement} du nettopp sende "
        "inn. Kan du måle ein gong til og sende inn resultatet? Helsing {nurse}, {service}",
        "en": "Hello {first_name}, we would like to double-check {measurement} you just sent "
        "us. Could you measure once more and send the result? Best regards, {nurse}, {service}",
    },
    Purpose.REMINDER: {
        "nb": "Hei {first_name}! Vi har ikke fått {measurement} som var planlagt kl. {due}. "
        "Kan du måle og sende inn når du har anledning? Hilsen {nurse}, {service}",
        "nn": "Hei {first_name}! Vi har ikkje fått {measurement} som var planlagd kl. {due}. "
        "Kan du måle og sende inn når du har høve? Helsing {nurse}, {service}",
        "en": "Hello {first_name}, we have not received {measurement} that was due at {due}. "
        "Could you measure and send it when you can? Best regards, {nurse}, {service}",
    },
    Purpose.VIDEO: {
        "nb": "Hei {first_name}! {nurse} i {service} vil gjerne snakke med deg på video nå. "
        "Bli med her: {link}",
        "nn": "Hei {first_name}! {nurse} i {service} vil gjerne snakke med deg på video no. "
        "Bli med her: {link}",
        "en": "Hello {first_name}, {nurse} from {service} would like to talk with you on video "
        "now. Join here: {link}",
    },
}

#: The measurement as the templates use it: definite, as it reads in the middle of a sentence.
MEASUREMENT_NAMES: Mapping[str, Mapping[MeasurementKind | None, str]] = {
    "nb": {
        MeasurementKind.BLOOD_PRESSURE: "blodtrykket",
        MeasurementKind.PULSE: "pulsen",
        MeasurementKind.SPO2: "oksygenmetningen (SpO₂)",
        MeasurementKind.WEIGHT: "vekten",
        MeasurementKind.GLUCOSE: "blodsukkeret",
        MeasurementKind.TEMPERATURE: "temperaturen",
        MeasurementKind.RESPIRATORY_RATE: "pustefrekvensen",
        None: "målingen",
    },
    "nn": {
        MeasurementKind.BLOOD_PRESSURE: "blodtrykket",
        MeasurementKind.PULSE: "pulsen",
        MeasurementKind.SPO2: "oksygenmetninga (SpO₂)",
        MeasurementKind.WEIGHT: "vekta",
        MeasurementKind.GLUCOSE: "blodsukkeret",
        MeasurementKind.TEMPERATURE: "temperaturen",
        MeasurementKind.RESPIRATORY_RATE: "pustefrekvensen",
        None: "målinga",
    },
    "en": {
        MeasurementKind.BLOOD_PRESSURE: "the blood pressure",
        MeasurementKind.PULSE: "the pulse",
        MeasurementKind.SPO2: "the oxygen saturation (SpO₂)",
        MeasurementKind.WEIGHT: "the weight",
        MeasurementKind.GLUCOSE: "the blood sugar",
        MeasurementKind.TEMPERATURE: "the temperature",
        MeasurementKind.RESPIRATORY_RATE: "the breathing rate",
        None: "the measurement",
    },
}


#: Who writes, when the console does not know the service's name.
SERVICE_FALLBACK: Mapping[str, str] = {
    "nb": "oppfølgingstjenesten",
    "nn": "oppfølgingstenesta",
    "en": "the follow-up service",
}


def patient_language(preferred: str, fallback: str = "nb") -> str:
    """nb, nn or en from a patient's preferred language code ("no", "nb-NO", "nn", "en-GB")."""
    code = preferred.strip().lower().replace("_", "-").split("-")[0]
    if code in ("no", "nob"):
        code = "nb"
    if code == "nno":
        code = "nn"
    if code == "eng":
        code = "en"
    return code if code in LANGUAGES else fallback


@dataclass(frozen=True, slots=True)
class TemplateKey:
    purpose: Purpose
    language: str


class _Values(dict[str, str]):
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


_STRAY_SPACE = re.compile(r"\s+([!,.?:;])")


def fill(template: str, values: Mapping[str, str]) -> str:
    """The template with its placeholders filled; unknown ones stay, empty ones leave no gap."""
    text = string.Formatter().vformat(template, (), _Values(values))
    text = _STRAY_SPACE.sub(r"\1", text)
    return re.sub(r"[ \t]{2,}", " ", text).strip()


def template_errors(template: str) -> list[str]:
    """Placeholders the console does not know (shown to the editor before saving)."""
    try:
        names = [f for _, f, _, _ in string.Formatter().parse(template) if f is not None]
    except ValueError as exc:
        return [str(exc)]
    return [name for name in names if name not in PLACEHOLDERS]


def compose(
    purpose: Purpose,
    language: str,
    *,
    overrides: Mapping[TemplateKey, str] | None = None,
    first_name: str = "",
    kind: MeasurementKind | None = None,
    due: str = "",
    link: str = "",
    nurse: str = "",
    service: str = "",
) -> str:
    """The message for `purpose` in `language`: the department's template, else the default."""
    language = language if language in LANGUAGES else "nb"
    template = (overrides or {}).get(TemplateKey(purpose, language)) or DEFAULTS[purpose][language]
    names = MEASUREMENT_NAMES[language]
    return fill(
        template,
        {
            "first_name": first_name,
            "measurement": names.get(kind, names[None]),
            "due": due,
            "link": link,
            "nurse": nurse,
            "service": service or SERVICE_FALLBACK[language],
        },
    )
