"""Store errors that carry the HTTP status the API answers with (as an OperationOutcome)."""

from __future__ import annotations


class FhirError(Exception):
    """An error with an HTTP status and a FHIR issue code; the API renders an OperationOutcome."""

    status: int = 400
    code: str = "invalid"

    def __init__(
        self,
        diagnostics: str,
        *,
        status: int | None = None,
        code: str | None = None,
        expression: list[str] | None = None,
        headers: dict[str, str] | None = None,
    ):
        super().__init__(diagnostics)
        self.diagnostics = diagnostics
        # FHIRPath of the elements at fault (OperationOutcome.issue.expression).
        self.expression = expression or []
        # Extra response headers (e.g. the current ETag on a 412).
        self.headers = headers or {}
        if status is not None:
            self.status = status
        if code is not None:
            self.code = code


class BadRequest(FhirError):
    status = 400
    code = "invalid"


class UnknownParameter(FhirError):
    status = 400
    code = "not-supported"


class InvalidResource(FhirError):
    """The body parsed but breaks the rules for its type (422 Unprocessable Entity)."""

    status = 422
    code = "required"


class NotFound(FhirError):
    status = 404
    code = "not-found"


class Gone(FhirError):
    status = 410
    code = "deleted"


class PreconditionFailed(FhirError):
    """If-Match names a version that is not current, or If-None-Exist is ambiguous."""

    status = 412
    code = "conflict"


class PreconditionRequired(FhirError):
    """An update without If-Match (428): lost updates must not happen silently."""

    status = 428
    code = "required"
