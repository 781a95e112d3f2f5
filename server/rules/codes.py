"""Code systems, extension URLs and codes of the alert engine (documented in docs/contract.md)."""

from __future__ import annotations

from typing import Final, Literal

BASE: Final = "http://dho.example/fhir"

# Extensions on ServiceRequest (the patient's own plan).
ALERT_THRESHOLDS_URL: Final = f"{BASE}/StructureDefinition/alert-thresholds"
TREND_THRESHOLD_URL: Final = f"{BASE}/StructureDefinition/trend-threshold"
MISSING_GRACE_URL: Final = f"{BASE}/StructureDefinition/missing-measurement-grace"
CRITICAL_LIMITS_URL: Final = f"{BASE}/StructureDefinition/critical-limits"
SUSPECT_HOLD_URL: Final = f"{BASE}/StructureDefinition/suspect-hold"
# On the CarePlan: what a patient is told when a red value comes while the centre is closed.
OUT_OF_HOURS_ADVICE_URL: Final = f"{BASE}/StructureDefinition/out-of-hours-advice"
# On alert Tasks (docs/contract.md, "Alert Tasks").
ALERT_CLASS_URL: Final = f"{BASE}/StructureDefinition/alert-class"
ALERT_SEVERITY_URL: Final = f"{BASE}/StructureDefinition/alert-severity"
SUSPECT_VALUE_URL: Final = f"{BASE}/StructureDefinition/suspect-value"
REMEASURE_URL: Final = f"{BASE}/StructureDefinition/remeasure"
OUT_OF_HOURS_URL: Final = f"{BASE}/StructureDefinition/out-of-hours"
ESCALATED_AT_URL: Final = f"{BASE}/StructureDefinition/escalated-at"
CLAIMED_AT_URL: Final = f"{BASE}/StructureDefinition/claimed-at"
ALERT_OUTCOME_SYSTEM: Final = f"{BASE}/CodeSystem/alert-outcome"
CLINICAL: Final = "clinical"
ADHERENCE_CLASS: Final = "adherence"
# Communication categories the rules write.
REMINDER_CATEGORY: Final = "measurement-reminder"
REMEASURE_CATEGORY: Final = "remeasure-request"
ADVICE_CATEGORY: Final = "out-of-hours-advice"
ESCALATION_CATEGORY: Final = "alert-escalation"
PATIENT_THREAD: Final = "patient-thread"
THREAD_ID_URL: Final = f"{BASE}/StructureDefinition/thread-id"
MESSAGE_KEY_SYSTEM: Final = f"{BASE}/sid/message-key"
# Outcomes the engine itself sets when it closes an alert (status cancelled).
AUTO_MEASUREMENT_ERROR: Final = "measurement-error"
AUTO_ARRIVED: Final = "measurement-arrived"
AUTO_UNCONFIRMED: Final = "not-confirmed"  # a held yellow value a re-measurement did not repeat
YELLOW_CONFIRMATION_URL: Final = f"{BASE}/StructureDefinition/yellow-confirmation"
# Set on the CarePlan (valueBoolean) of a hypercapnic COPD patient: NEWS2 uses SpO2 scale 2.
NEWS2_SCALE2_URL: Final = f"{BASE}/StructureDefinition/news2-spo2-scale-2"
# On a QuestionnaireResponse answer (or its item): valueCode yellow | red.
ALERT_ANSWER_URL: Final = f"{BASE}/StructureDefinition/alert-answer"

# Code systems.
ALERT_RULE_SYSTEM: Final = f"{BASE}/CodeSystem/alert-rule"
ALERT_LEVEL_SYSTEM: Final = f"{BASE}/CodeSystem/alert-level"
ALERT_ANSWER_SYSTEM: Final = f"{BASE}/CodeSystem/alert-answer"
ALERT_INPUT_SYSTEM: Final = f"{BASE}/CodeSystem/alert-input"
COMMUNICATION_CATEGORY_SYSTEM: Final = f"{BASE}/CodeSystem/communication-category"
CONTACT_REQUEST: Final = "contact-request"
CAREPLAN_TITLE: Final = "Egenbehandlingsplan"

# Identifier of an alert episode: "<patient id>|<rule>|<episode start>".
ALERT_EPISODE_SYSTEM: Final = f"{BASE}/sid/alert-episode"

Level = Literal["yellow", "red"]
YELLOW: Final[Level] = "yellow"
RED: Final[Level] = "red"
LEVEL_RANK: Final[dict[str, int]] = {"yellow": 1, "red": 2}
LEVEL_DISPLAY: Final[dict[str, str]] = {"yellow": "gul", "red": "rød"}
PRIORITY_OF_LEVEL: Final[dict[str, str]] = {"yellow": "urgent", "red": "asap"}
PRIORITY_RANK: Final[dict[str, int]] = {"routine": 0, "urgent": 1, "asap": 2, "stat": 3}

# Task statuses in which an alert is still open (a new breach updates it). "draft" is an alert
# held back while a suspect value waits for a re-measurement (never shown in the queue).
OPEN_STATUSES: Final = (
    "draft",
    "requested",
    "received",
    "accepted",
    "ready",
    "in-progress",
    "on-hold",
)

# Rule codes (Task.code) with their Bokmål display.
RULES: Final[dict[str, str]] = {
    "threshold-spo2": "Oksygenmetning utenfor grense",
    "threshold-pulse": "Puls utenfor grense",
    "threshold-bp": "Blodtrykk utenfor grense",
    "threshold-temperature": "Temperatur utenfor grense",
    "threshold-glucose": "Blodsukker utenfor grense",
    "threshold-weight": "Vekt utenfor grense",
    "threshold-respiration": "Respirasjonsfrekvens utenfor grense",
    "trend-weight": "Vektøkning",
    "trend-weight-loss": "Vekttap",
    "missing-measurement": "Manglende måling",
    "questionnaire": "Svar i spørreskjema",
    "contact-request": "Pasienten ber om kontakt",
}

# Task.input types.
INPUT_TRIGGER: Final = "trigger"  # valueReference: the resource that breached (one per breach)
INPUT_LEVEL: Final = "level"  # valueCode yellow | red
INPUT_VALUE: Final = "value"  # valueQuantity (type.text names the component) or valueString
INPUT_VALUE2: Final = "value2"  # valueQuantity: the diastolic of a blood pressure
INPUT_THRESHOLD: Final = "threshold"  # valueString, e.g. "< 88 %"
INPUT_LIMIT: Final = "limit"  # valueQuantity with comparator: the worst limit crossed
INPUT_DUE: Final = "due"  # valueDateTime: when a missing measurement was due
INPUT_REMINDED: Final = "reminded"  # valueDateTime: when the patient got a reminder
INPUT_DISPLAY: Final[dict[str, str]] = {
    INPUT_TRIGGER: "Utløst av",
    INPUT_LEVEL: "Nivå",
    INPUT_VALUE: "Målt verdi",
    INPUT_VALUE2: "Diastolisk",
    INPUT_THRESHOLD: "Grense",
    INPUT_LIMIT: "Grenseverdi",
    INPUT_DUE: "Ventet",
    INPUT_REMINDED: "Påminnet",
}
