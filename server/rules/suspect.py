"""Suspect values: is a reading implausible for this patient? Pure functions, no clock, no I/O.

A value is suspect when it is outside physiological bounds, or when it matches a known error
pattern of home devices against the patient's own recent values (their median, at least
:data:`MIN_HISTORY` earlier values not themselves suspect):

| reason | pattern |
| --- | --- |
| ``implausible`` | outside :data:`PHYSIOLOGICAL` (no living person at home reads that) |
| ``cold-finger`` | SpO₂ 7 points or more below the median (cold fingers, motion, nail polish) |
| ``pulse-doubled`` / ``pulse-halved`` | pulse 1.6–2.4 / 0.38–0.62 times the median (artefacts) |
| ``thermometer`` | temperature below 35.5 °C and at least 1.2 °C below the median (not in place) |
| ``scale`` | weight more than 1.5 kg per day (at least 3 kg) away from the last weight |
| ``cuff`` | systolic at least 45 mmHg away from the median (arm moving, cuff on clothing) |
| ``strip`` | glucose more than 2.8 times or less than a third of the median (sugar on the finger) |

The bands are wide enough to take a device error measured against a noisy median (a doubled
pulse reads 1.7 times the median as often as 2.0): holding costs a genuine value one
re-measurement (:data:`server.rules.plan` ``suspect-hold``, 45 min by default), while a missed
error costs a nurse a card. But one normal re-measurement closes a held alert as a measurement
error, so a wider band can also lose a real value that the re-measurement's noise put back
inside the limits: the alert-burden benchmark lost a hypoglycaemia (3.5 mmol/L against a
median of 9, re-measured 4.3) with a glucose band of 0.4 of the median, and a training
scenario's red 186 mmHg (usual 150) was held with a cuff band of 35 mmHg. Those two stay
where they were; only the pulse bands are wider.

A genuine deterioration moves these slowly (hours to days), so it is rarely suspect; when it
is, the alert is held only until a re-measurement, and never when the value is past a
critical limit (:data:`server.rules.plan.CRITICAL_DEFAULTS`). A value that matches a pattern
against the median but not against the patient's last usable value is not suspect either: a
device error jumps away from where the patient was a moment ago, a decline arrives there step
by step. Without this the alert-burden benchmark held a red SpO₂ of 85 after a fall over a
week from 94 (the ten-day median was still 93) and a re-measurement of 89 closed it as a
measurement error; a systolic 98 after days of 119, 115, 106 was lost the same way.
"""

from __future__ import annotations

import statistics
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Final

MIN_HISTORY: Final = 3
HISTORY_WINDOW: Final = 10 * 86400.0  # how far back the median looks
PHYSIOLOGICAL: Final[dict[str, tuple[float, float]]] = {
    "spo2": (50.0, 100.0),
    "pulse": (25.0, 220.0),
    "sys": (60.0, 260.0),
    "dia": (30.0, 150.0),
    "weight": (25.0, 300.0),
    "temp": (33.0, 42.5),
    "glucose": (1.0, 33.3),
    "resp": (4.0, 60.0),
}
REASON_TEXT: Final[dict[str, str]] = {
    "implausible": "utenfor fysiologiske grenser",
    "cold-finger": "mulig kalde fingre eller bevegelse (SpO₂ mye lavere enn vanlig)",
    "pulse-doubled": "pulsen er omtrent det dobbelte av det vanlige",
    "pulse-halved": "pulsen er omtrent halvparten av det vanlige",
    "thermometer": "mulig feilplassert termometer",
    "scale": "vekten endret seg mer enn mulig siden sist",
    "cuff": "mulig feil med mansjetten (stort hopp i blodtrykk)",
    "strip": "mulig feil ved blodsukkermåling (stort hopp)",
}


@dataclass(frozen=True, slots=True)
class Sample:
    """One earlier value of a variable: when, what, which Observation, whether suspect."""

    t: float
    value: float
    ref: str = ""
    suspect: bool = False


def usable(history: Sequence[Sample], t: float, window: float = HISTORY_WINDOW) -> list[float]:
    """Values of non-suspect samples in the window before `t` (`history` in time order)."""
    out = []
    since = t - window
    for s in reversed(history):
        if s.t >= t:
            continue
        if s.t < since:
            break
        if not s.suspect:
            out.append(s.value)
    return out


def suspect_reason(
    var: str,
    value: float,
    t: float,
    history: Sequence[Sample],
    companions: Mapping[str, float] | None = None,
) -> str | None:
    """Why `value` of `var` at `t` looks like a measurement error, or None.

    `history` are the patient's earlier samples of `var` in time order; `companions` other values
    taken in the same session (the pulse measured with an SpO₂), used to tell a cold finger
    from a real desaturation only in the wording.
    """
    low, high = PHYSIOLOGICAL.get(var, (float("-inf"), float("inf")))
    if not low <= value <= high:
        return "implausible"
    if confirms(var, value, t, history):
        return None
    if var == "weight":
        last = next((s for s in reversed(history) if s.t < t and not s.suspect), None)
        if last is None:
            return None
        days = max((t - last.t) / 86400.0, 0.0)
        allowed = max(3.0, 1.5 * days)
        return "scale" if abs(value - last.value) > allowed else None
    values = usable(history, t)
    if len(values) < MIN_HISTORY:
        return None
    reason = _pattern(var, value, statistics.median(values))
    if reason is not None and _pattern(var, value, values[0]) is None:
        return None  # close to the last value: a decline under way, not a device error
    return reason


def _pattern(var: str, value: float, usual: float) -> str | None:
    """The device-error pattern `value` matches measured against `usual`, if any."""
    if var == "spo2":
        return "cold-finger" if value <= usual - 7 else None
    if var == "pulse" and usual > 0:
        ratio = value / usual
        if 1.6 <= ratio <= 2.4:
            return "pulse-doubled"
        if 0.38 <= ratio <= 0.62:
            return "pulse-halved"
        return None
    if var == "temp":
        return "thermometer" if value < 35.5 and value <= usual - 1.2 else None
    if var == "sys":
        return "cuff" if abs(value - usual) >= 45 else None
    if var == "glucose" and usual > 0:
        return "strip" if value > 2.8 * usual or value < usual / 3 else None
    return None


# A re-measurement this close to a suspect value just before it confirms that value.
CONFIRM_TOLERANCE: Final[dict[str, float]] = {
    "spo2": 2.0,
    "pulse": 8.0,
    "sys": 12.0,
    "dia": 8.0,
    "weight": 1.0,
    "temp": 0.4,
    "glucose": 1.5,
    "resp": 3.0,
}
CONFIRM_WITHIN: Final = 12 * 3600.0


def confirms(var: str, value: float, t: float, history: Sequence[Sample]) -> bool:
    """Whether `value` repeats the suspect value measured just before it (a confirmation).

    `history` is in time order."""
    for last in reversed(history):
        if last.t >= t:
            continue
        if last.t < t - CONFIRM_WITHIN:
            return False
        return last.suspect and abs(value - last.value) <= CONFIRM_TOLERANCE.get(var, 0.0)
    return False


def past_critical(value: float, limits: tuple[float | None, float | None]) -> bool:
    low, high = limits
    return (low is not None and value < low) or (high is not None and value > high)


def mark_suspects(samples: Sequence[Sample], var: str) -> list[Sample]:
    """Recompute the suspect flags of a time-ordered series (after a restart)."""
    out: list[Sample] = []
    for s in sorted(samples, key=lambda x: x.t):
        reason = suspect_reason(var, s.value, s.t, out)
        out.append(Sample(s.t, s.value, s.ref, reason is not None))
    return out
