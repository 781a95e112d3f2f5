"""Messages to patients in their own language, from the department's templates or the defaults.

The re-measure request, the reminder about a missing measurement and the video invitation all
come from here (`console/domain/patient_texts.py` has the wording). A department's templates
are read from the server once per department and kept for `TTL_S`; superusers edit them in the
messages view. Reading them may fail: the defaults are used then, and the failure is logged.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Mapping
from typing import Any

from console import settings
from console.domain.messages import MessagingUser, QuickReply
from console.domain.model import MeasurementKind, Patient
from console.domain.patient_texts import (
    DEFAULTS,
    Purpose,
    TemplateKey,
    compose,
    patient_language,
    template_errors,
)
from console.fhir.errors import FhirError
from console.fhir.messages import MessageStore, patient_text_from_fhir, patient_text_resource

log = logging.getLogger(__name__)

#: How long a department's templates are kept before they are read again (seconds).
TTL_S = 300.0


class PatientTexts:
    """Composes messages to patients; loads and saves the departments' templates."""

    def __init__(
        self,
        store: MessageStore | None,
        me: MessagingUser,
        *,
        default_language: Callable[[], str] = settings.patient_language,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.store = store
        self.me = me
        self._default_language = default_language
        self._clock = clock
        self._cache: dict[str, tuple[float, dict[TemplateKey, QuickReply]]] = {}

    @classmethod
    def offline(cls, me: MessagingUser) -> PatientTexts:
        """The built-in wording only (no server to read departments' templates from)."""
        return cls(None, me)

    def language_of(self, patient: Patient | None) -> str:
        fallback = self._default_language()
        return patient_language(patient.language, fallback) if patient else fallback

    async def templates(self, department_id: str | None) -> dict[TemplateKey, QuickReply]:
        """The department's stored templates (an empty dict: the defaults apply)."""
        if not department_id or self.store is None:
            return {}
        cached = self._cache.get(department_id)
        if cached is not None and self._clock() - cached[0] < TTL_S:
            return cached[1]
        try:
            found = [
                patient_text_from_fhir(r) for r in await self.store.patient_texts(department_id)
            ]
        except FhirError as exc:
            log.warning("templates of %s not read, using the defaults: %s", department_id, exc)
            return cached[1] if cached else {}
        templates = {key: text for key, text in (f for f in found if f is not None)}
        self._cache[department_id] = (self._clock(), templates)
        return templates

    async def compose(
        self,
        purpose: Purpose,
        patient: Patient | None,
        department_id: str | None,
        *,
        kind: MeasurementKind | None = None,
        due: str = "",
        link: str = "",
    ) -> str:
        templates = await self.templates(department_id)
        return compose(
            purpose,
            self.language_of(patient),
            overrides={key: t.text for key, t in templates.items()},
            first_name=patient.given.split(" ")[0] if patient and patient.given else "",
            kind=kind,
            due=due,
            link=link,
            nurse=self.me.name,
            service=self.me.organization_name,
        )

    async def save(self, department_id: str, key: TemplateKey, text: str) -> None:
        """Store the department's wording for `key` (superusers; the view checks). An empty
        text, or the default's own, removes the department's version (the default applies)."""
        if self.store is None:
            raise RuntimeError("no server to store templates on")
        errors = template_errors(text)
        if errors:
            raise ValueError(", ".join(errors))
        current = (await self.templates(department_id)).get(key)
        wanted = text.strip()
        if wanted == DEFAULTS[key.purpose][key.language]:
            wanted = ""
        if current is not None and current.text == wanted:
            return
        if current is not None and current.id:
            raw = await self.store.read("Communication", current.id)

            def stop(resource: Any) -> dict[str, Any] | None:
                if resource.get("status") != "preparation":
                    return None
                return {**resource, "status": "stopped"}

            await self.store.update_with_retry(raw, stop)
        if wanted:
            await self.store.create(patient_text_resource(department_id, key, wanted, self.me))
        self._cache.pop(department_id, None)

    def cached(self, department_id: str) -> Mapping[TemplateKey, QuickReply]:
        hit = self._cache.get(department_id)
        return hit[1] if hit else {}
