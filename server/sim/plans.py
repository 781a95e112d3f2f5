"""Each synthetic patient's egenbehandlingsplan: a CarePlan and one ServiceRequest per measurement.

Thresholds start from the default templates of the domain (docs/contract.md; COPD patients get
the COPD SpO2 template) and are then moved outwards where the patient's own resting values sit
too close to them, as a GP does after the trial period ("with the GP"). The moves are a
deterministic function of the simulated physiology's baseline, so the simulator raises few false
alerts while its deterioration episodes still cross the limits. Heart-failure plans carry the
weight-trend template (+2 kg yellow, +3 kg red within 3 days).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from datetime import time
from typing import Any, Final

from server.rules.codes import CAREPLAN_TITLE, NEWS2_SCALE2_URL, RED, YELLOW
from server.rules.plan import (
    DAY,
    Band,
    TrendBand,
    grace_extensions,
    occurrence_timing,
    thresholds_extensions,
    trend_extensions,
    variables_of,
)
from server.sim.observations import iso_utc
from server.sim.physiology import _DRIFT, _NOISE, DIA, SYS
from server.sim.programmes import GLUCOSE, LOINC, MEASUREMENTS, PULSE, SPO2, TEMPERATURE, WEIGHT
from server.sim.schedule import PatientSchedule

# (yellow low, red low, yellow high, red high); None = no limit on that side.
Template = tuple[float | None, float | None, float | None, float | None]
TEMPLATES: Final[dict[str, Template]] = {
    SPO2: (94, 90, None, None),  # yellow 90-93 %, red < 90 %
    PULSE: (50, 40, 110, 130),
    SYS: (100, 90, 160, 180),
    DIA: (None, None, 100, 110),  # not in the domain table; our own starting point
    TEMPERATURE: (None, 35.0, 37.9, 38.9),  # yellow 38.0-38.9, red >= 39.0 or < 35.0
    GLUCOSE: (None, 4.0, 15.0, 20.0),
}
COPD_SPO2: Final[Template] = (88, 86, None, None)  # yellow 86-87 %, red < 86 %
WEIGHT_TREND: Final = (TrendBand(RED, 3.0, 3 * DAY), TrendBand(YELLOW, 2.0, 3 * DAY))
# How far (in noise standard deviations, plus the slow drift) the baseline must sit inside the
# yellow limit, and how much further the red one.
YELLOW_MARGIN: Final = 2.5
RED_FACTOR: Final = 1.5
# COPD patients whose resting SpO2 is this low are treated as hypercapnic: NEWS2 scale 2.
SCALE2_BELOW: Final = 91.0


def _resolution(var: str) -> float:
    return 0.1 if var in (TEMPERATURE, GLUCOSE) else 1.0


def personal_bands(var: str, programme: str, baseline: float) -> tuple[Band, ...]:
    """Red and yellow bands for one variable, the template moved out to fit the baseline."""
    template = COPD_SPO2 if (var == SPO2 and programme == "copd") else TEMPLATES.get(var)
    if template is None:
        return ()
    y_low, r_low, y_high, r_high = template
    noise = _NOISE[var] * (baseline if var == GLUCOSE else 1.0)
    margin = YELLOW_MARGIN * noise + abs(_DRIFT[var])
    step = _resolution(var)

    def down(x: float) -> float:
        return round(math.floor(x / step + 1e-9) * step, 1)

    def up(x: float) -> float:
        return round(math.ceil(x / step - 1e-9) * step, 1)

    if y_low is not None:
        y_low = min(y_low, down(baseline - margin))
    if r_low is not None:
        r_low = min(r_low, down(baseline - margin * RED_FACTOR))
        if y_low is not None and r_low >= y_low:
            r_low = y_low - step
    if y_high is not None:
        y_high = max(y_high, up(baseline + margin))
    if r_high is not None:
        r_high = max(r_high, up(baseline + margin * RED_FACTOR))
        if y_high is not None and r_high <= y_high:
            r_high = y_high + step
    bands = [Band(RED, r_low, r_high)]
    if y_low is not None or y_high is not None:
        bands.append(Band(YELLOW, y_low, y_high))
    return tuple(bands)


def _merged_sessions(schedule: PatientSchedule) -> list[tuple[str, tuple[time, ...], int]]:
    """(measurement, planned local times, every n days), one entry per measurement kind."""
    merged: dict[tuple[str, int], set[time]] = {}
    for index, session in enumerate(schedule.programme.sessions):
        for kind in session.kinds:
            merged.setdefault((kind, session.every_days), set()).update(
                schedule.planned_times(index)
            )
    return [(kind, tuple(sorted(times)), every) for (kind, every), times in merged.items()]


def build_plan(
    schedule: PatientSchedule,
    episode: dict[str, Any],
    *,
    new_id: Callable[[str], str],
) -> list[dict[str, Any]]:
    """The CarePlan followed by its ServiceRequests for one patient.

    `new_id(suffix)` gives deterministic ids ("careplan", "sr/<measurement>").
    """
    programme = schedule.programme.code
    baseline = schedule.physiology.baseline
    subject = {"reference": schedule.subject}
    episode_ref = {"reference": f"EpisodeOfCare/{episode['id']}"}
    start = episode.get("period", {}).get("start") or iso_utc(schedule.enrolled)
    careplan_id = new_id("careplan")
    careplan_ref = {"reference": f"CarePlan/{careplan_id}", "display": CAREPLAN_TITLE}
    requests: list[dict[str, Any]] = []
    for kind, times, every in _merged_sessions(schedule):
        m = MEASUREMENTS[kind]
        extensions: list[dict[str, Any]] = []
        for var in variables_of(kind):
            bands = personal_bands(var, programme, baseline[var])
            extensions += thresholds_extensions(var, bands, component=kind == "bp")
        if kind == WEIGHT and programme == "heart-failure":
            extensions += trend_extensions(WEIGHT, WEIGHT_TREND)
        extensions += grace_extensions()
        requests.append(
            {
                "resourceType": "ServiceRequest",
                "id": new_id(f"sr/{kind}"),
                "extension": extensions,
                "status": "active",
                "intent": "plan",
                "code": {
                    "coding": [{"system": LOINC, "code": c, "display": d} for c, d in m.codings],
                    "text": m.text,
                },
                "subject": subject,
                "basedOn": [careplan_ref],
                "occurrenceTiming": occurrence_timing(times, every),
                "authoredOn": start,
            }
        )
    careplan: dict[str, Any] = {
        "resourceType": "CarePlan",
        "id": careplan_id,
        "status": "active",
        "intent": "plan",
        "title": CAREPLAN_TITLE,
        "description": f"{CAREPLAN_TITLE} – {schedule.programme.display}",
        "subject": subject,
        "period": {"start": start},
        "supportingInfo": [episode_ref],
        "activity": [
            {
                "reference": {
                    "reference": f"ServiceRequest/{sr['id']}",
                    "display": sr["code"]["text"],
                }
            }
            for sr in requests
        ],
    }
    if programme == "copd" and baseline[SPO2] < SCALE2_BELOW:
        careplan["extension"] = [{"url": NEWS2_SCALE2_URL, "valueBoolean": True}]
    return [careplan, *requests]
