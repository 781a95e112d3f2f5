"""Errors raised by `console.fhir`.

Callers (services, UI) need to tell three situations apart without knowing HTTP: the server said
no (`FhirHttpError`, with a sentence a person can read), the server could not be reached
(`FhirUnavailable`, worth retrying or showing "offline"), and the server answered something we
cannot understand (`FhirMalformed`, a bug or an incompatible server).
"""

from __future__ import annotations

from typing import Any


class FhirError(Exception):
    """Base of every error `console.fhir` raises, so callers can catch one type."""


class FhirHttpError(FhirError):
    """A 4xx/5xx answer; `outcome_text` is the OperationOutcome turned into one sentence."""

    def __init__(
        self,
        status: int,
        outcome_text: str,
        operation_outcome: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(f"HTTP {status}: {outcome_text}")
        self.status = status
        self.outcome_text = outcome_text
        self.operation_outcome = operation_outcome

    @property
    def is_conflict(self) -> bool:
        """412/409: someone else changed the resource first (version race)."""
        return self.status in (409, 412)


class FhirUnavailable(FhirError):
    """Connect error, timeout or dropped connection: the server is not reachable right now."""


class FhirMalformed(FhirError):
    """The answer was not the FHIR JSON we expected (not JSON, wrong type, missing fields)."""


def outcome_sentence(outcome: dict[str, Any] | None, fallback: str) -> str:
    """Turn an OperationOutcome into one human sentence (diagnostics first, then details)."""
    if not isinstance(outcome, dict):
        return fallback
    parts: list[str] = []
    issues = outcome.get("issue")
    if isinstance(issues, list):
        for issue in issues:
            if not isinstance(issue, dict):
                continue
            text = issue.get("diagnostics")
            if not text:
                details = issue.get("details")
                if isinstance(details, dict):
                    text = details.get("text")
                    if not text:
                        codings = details.get("coding")
                        if isinstance(codings, list) and codings and isinstance(codings[0], dict):
                            text = codings[0].get("display") or codings[0].get("code")
            if not text:
                text = issue.get("code")
            if text and str(text) not in parts:
                parts.append(str(text).strip())
    if not parts:
        return fallback
    sentence = "; ".join(p.rstrip(".") for p in parts if p)
    return sentence[:1].upper() + sentence[1:] + "."
