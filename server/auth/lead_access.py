"""What only a department lead (or a superuser, or an administrator) may read: the review.

Kept apart from the general scoping in ``guard``: one role check per lead-only thing, each
a no-op when the app runs without auth (like every ``guard`` hook).

- the review aggregate (``$review-stats``): leads, superusers and administrators (and service
  clients); everyone else gets 403;
- per-nurse figures (who claimed, resolved, messaged): leads and administrators only; for a
  superuser the operation withholds them;
- AuditEvents (the access log), other users' accesses included: leads and administrators, as
  ``guard`` already enforces for every AuditEvent read, search and history
  (``Principal.may_read_audit``).
"""

from __future__ import annotations

from typing import Final

from starlette.requests import Request

from server.auth import guard
from server.auth.principal import ADMIN, LEAD, SUPERUSER

REVIEW_ROLES: Final = frozenset({LEAD, SUPERUSER, ADMIN})
PER_NURSE_ROLES: Final = frozenset({LEAD, ADMIN})


def review_access(request: Request) -> bool:
    """403 unless the caller may see the review; returns whether per-nurse figures may be
    included (True with auth off, for a service and for leads and administrators)."""
    principal = guard.principal_of(request)
    if guard.context(request) is None or principal is None or principal.is_service:
        return True
    if principal.is_patient or not set(principal.roles) & REVIEW_ROLES:
        raise guard.Forbidden("the review is for department leads, superusers and administrators")
    return bool(set(principal.roles) & PER_NURSE_ROLES)


__all__ = ["PER_NURSE_ROLES", "REVIEW_ROLES", "review_access"]
