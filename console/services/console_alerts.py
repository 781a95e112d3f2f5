"""Raising alerts in the console, for servers whose CapabilityStatement announces no rules.

Every console watching a department evaluates the live Observations it receives against the
patient's own thresholds and writes the alert Task (conditional create keyed by the
Observation, so several consoles store one). Which side raises alerts comes from
`Capabilities.alert_side` (the CapabilityStatement, or `DHO_ALERT_RULES`), and the window says
which (`MainWindow.set_alert_side`).
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from typing import Any

from console.domain.alert_rules import evaluate_thresholds
from console.domain.triage import Thresholds
from console.fhir.client import FhirClient
from console.fhir.console_alerts import ConsoleAlertStore, observation_values, plan_limits
from console.fhir.errors import FhirError
from console.tasks import TaskKeeper

log = logging.getLogger(__name__)

#: How long a patient's plan is trusted before it is read again (seconds).
PLAN_TTL = 300.0


class ConsoleAlertRaiser:
    """Evaluates live Observations and writes alert Tasks; its tasks are kept and stopped."""

    def __init__(
        self,
        client: FhirClient,
        *,
        department_of: Callable[[str], Mapping[str, str] | None] = lambda _pid: None,
        on_failed: Callable[[str], None] = lambda _text: None,
        now: Callable[[], datetime] = lambda: datetime.now(UTC),
        concurrency: int = 4,
    ) -> None:
        self.store = ConsoleAlertStore(client)
        self._department_of = department_of
        self._on_failed = on_failed
        self._now = now
        self._plans: dict[str, tuple[float, dict[str, Thresholds]]] = {}
        self._sem = asyncio.Semaphore(concurrency)
        self._tasks = TaskKeeper(self._failed)
        #: Observations evaluated and Tasks written (for logs and tests).
        self.evaluated = 0
        self.written = 0

    def receive(self, resources: list[dict[str, Any]]) -> None:
        for resource in resources:
            if resource.get("resourceType") == "Observation" and resource.get("status") in (
                "final",
                "amended",
                "corrected",
                "preliminary",
            ):
                self._tasks.spawn(self.evaluate(resource), "console-alert")
            elif resource.get("resourceType") == "ServiceRequest":
                self._forget_plan(resource)

    async def evaluate(self, obs: Mapping[str, Any]) -> list[dict[str, Any]]:
        """Evaluate one Observation; the Tasks written (created or extended)."""
        values = observation_values(obs)
        subject = (obs.get("subject") or {}).get("reference") or ""
        if not values or not str(subject).startswith("Patient/"):
            return []
        patient_id = str(subject).split("/", 1)[1]
        async with self._sem:
            self.evaluated += 1
            limits = await self._limits(patient_id)
            started = str(obs.get("effectiveDateTime") or obs.get("issued") or "")
            findings = evaluate_thresholds(
                patient_id, f"Observation/{obs.get('id')}", started, values, limits
            )
            written = []
            for finding in findings:
                stored = await self.store.raise_alert(
                    finding, self._department_of(patient_id), self._now()
                )
                if stored is not None:
                    self.written += 1
                    written.append(stored)
            return written

    async def _limits(self, patient_id: str) -> dict[str, Thresholds]:
        known = self._plans.get(patient_id)
        if known is not None and time.monotonic() - known[0] < PLAN_TTL:
            return known[1]
        limits = plan_limits(await self.store.service_requests(patient_id))
        self._plans[patient_id] = (time.monotonic(), limits)
        if len(self._plans) > 20_000:
            self._plans.clear()
        return limits

    def _forget_plan(self, resource: Mapping[str, Any]) -> None:
        subject = (resource.get("subject") or {}).get("reference") or ""
        self._plans.pop(str(subject).rsplit("/", 1)[-1], None)

    def _failed(self, exc: BaseException) -> None:
        text = str(exc) if isinstance(exc, FhirError) else repr(exc)
        log.warning("could not raise an alert: %s", text)
        self._on_failed(text)

    async def stop(self) -> None:
        await self._tasks.cancel_all()
