"""Who opened which patient's record, when and what: the access log (AuditEvent), plain types.

A patient may ask for this under pasientjournalloven (innsyn i logg), and the privacy officer
checks it; the console shows it to leads and administrators, searchable by patient and by
user, and exports it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True, slots=True)
class AccessEntry:
    id: str
    recorded: datetime
    #: C, R, U, D or E (the FHIR AuditEvent action).
    action: str
    #: read, vread, search-type, create, update, delete, history-instance, operation …
    interaction: str
    #: "0" success, "4" refused (minor failure), 8/12 failures.
    outcome: str
    patient_id: str | None
    user_reference: str | None
    user_name: str
    user_roles: tuple[str, ...] = ()
    user_organizations: tuple[str, ...] = ()
    username: str = ""
    application: str = ""
    address: str = ""
    #: What was touched, e.g. "Observation/abc" (at most the first 20; see `resource_count`).
    resources: tuple[str, ...] = ()
    resource_count: int = 0
    query: str = ""

    @property
    def refused(self) -> bool:
        return self.outcome not in ("0", "")


__all__ = ["AccessEntry"]
