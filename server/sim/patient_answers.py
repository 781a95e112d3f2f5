"""How a simulated patient reacts to the service's automatic messages with a measurement.

A ``remeasure-request`` (a suspect value) is answered by measuring that again, by 85 % of
patients within 5–40 minutes (the same share that answers such a message in text,
server.sim.messaging); a ``measurement-reminder`` makes 60 % take the missed session within
10–120 minutes. Decisions are a pure function of the seed and the message id, so a replay and
the live simulator behave alike; the figures are assumptions (docs/simulator.md).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any, Final

from server.rules.codes import COMMUNICATION_CATEGORY_SYSTEM, REMEASURE_CATEGORY, REMINDER_CATEGORY
from server.sim.programmes import MEASUREMENT_BY_LOINC
from server.sim.rand import mix, text_key, uniform, unit

REMEASURE_ANSWER: Final = 0.85
REMEASURE_DELAY: Final = (5 * 60.0, 40 * 60.0)
REMINDER_ANSWER: Final = 0.6
REMINDER_DELAY: Final = (10 * 60.0, 120 * 60.0)


def _categories(message: Mapping[str, Any]) -> set[str]:
    return {
        str(c.get("code"))
        for concept in message.get("category") or ()
        for c in concept.get("coding") or ()
        if c.get("system") == COMMUNICATION_CATEGORY_SYSTEM
    }


def reaction(
    message: Mapping[str, Any], seed: int
) -> tuple[str, tuple[str, ...], float, float | None] | None:
    """(patient id, measurement kinds, delay in seconds, error probability) or None."""
    categories = _categories(message)
    if REMEASURE_CATEGORY in categories:
        answer, (low, high) = REMEASURE_ANSWER, REMEASURE_DELAY
    elif REMINDER_CATEGORY in categories:
        answer, (low, high) = REMINDER_ANSWER, REMINDER_DELAY
    else:
        return None
    sender = str((message.get("sender") or {}).get("reference") or "")
    subject = str((message.get("subject") or {}).get("reference") or "")
    if sender.startswith(("Patient/", "RelatedPerson/")) or not subject.startswith("Patient/"):
        return None
    kinds = tuple(
        MEASUREMENT_BY_LOINC[c["code"]]
        for concept in message.get("reasonCode") or ()
        for c in concept.get("coding") or ()
        if c.get("code") in MEASUREMENT_BY_LOINC
    )
    if not kinds:
        return None
    h = mix(seed, text_key(seed, str(message.get("id") or "")))
    if unit(h) >= answer:
        return None
    delay = math.exp(uniform(mix(h, 1), math.log(low), math.log(high)))
    return subject.split("/", 1)[1], kinds[:1], delay, None
