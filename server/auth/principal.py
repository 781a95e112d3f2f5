"""Who is calling: a signed-in practitioner or a service client, as carried in the access token."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

from server.auth import tokens

ADMIN = "admin"
LEAD = "lead"
NURSE = "nurse"
SUPERUSER = "superuser"
SERVICE = "service"
# A patient-app user: the patient, or a relative (RelatedPerson) of the patient.
PATIENT = "patient"
ROLE_CODES = (NURSE, LEAD, SUPERUSER, ADMIN)


@dataclass(frozen=True)
class RoleAssignment:
    role: str  # practitioner-role code
    organization: str  # Organization id (no "Organization/" prefix)


@dataclass(frozen=True)
class Principal:
    """The authenticated caller. ``kind`` is ``user`` (a Practitioner), ``service``, or
    ``patient`` (a patient-app user: ``fhir_user`` is ``Patient/<id>`` or
    ``RelatedPerson/<id>``, and ``patient`` the one Patient id whose data they may see)."""

    kind: str
    sub: str  # Practitioner id for users, client id for services
    client_id: str
    username: str | None = None
    name: str | None = None
    hpr: str | None = None
    assignments: tuple[RoleAssignment, ...] = ()
    jti: str = ""
    exp: int = 0
    iat: int = 0
    fhir_user: str | None = None  # patient kind only
    patient: str | None = None  # patient kind only
    training: bool = False  # a training account (synthetic centre): the console marks it
    extra: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)

    @property
    def roles(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(a.role for a in self.assignments))

    @property
    def organizations(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(a.organization for a in self.assignments))

    @property
    def is_service(self) -> bool:
        return self.kind == SERVICE

    @property
    def is_admin(self) -> bool:
        return ADMIN in self.roles

    @property
    def unrestricted(self) -> bool:
        """Sees every patient: the admin role, and service clients."""
        return self.is_service or self.is_admin

    @property
    def may_read_audit(self) -> bool:
        return self.is_admin or LEAD in self.roles

    @property
    def is_patient(self) -> bool:
        return self.kind == PATIENT

    @property
    def reference(self) -> str | None:
        if self.kind == PATIENT:
            return self.fhir_user
        return f"Practitioner/{self.sub}" if self.kind == "user" else None

    def claims(self, *, lifetime: int, now: float | None = None) -> dict[str, Any]:
        iat = int(time.time() if now is None else now)
        claims: dict[str, Any] = {
            "iss": tokens.ISSUER,
            "sub": self.sub,
            "client_id": self.client_id,
            "kind": self.kind,
            "iat": iat,
            "exp": iat + lifetime,
            "jti": tokens.new_jti(),
        }
        if self.kind == "user":
            claims.update(
                {
                    "fhirUser": f"Practitioner/{self.sub}",
                    "username": self.username,
                    "name": self.name,
                    "hpr": self.hpr,
                    "roles": list(self.roles),
                    "organizations": list(self.organizations),
                    "role_assignments": [
                        {"role": a.role, "organization": a.organization} for a in self.assignments
                    ],
                }
            )
            if self.training:
                claims["training"] = True
        elif self.kind == PATIENT:
            claims.update(
                {
                    "fhirUser": self.fhir_user,
                    "patient": self.patient,
                    "username": self.username,
                    "name": self.name,
                }
            )
        return claims

    @classmethod
    def from_claims(cls, claims: dict[str, Any]) -> Principal:
        kind = claims.get("kind")
        sub = claims.get("sub")
        client_id = claims.get("client_id")
        if kind not in ("user", SERVICE, PATIENT) or not isinstance(sub, str):
            raise tokens.TokenError("token without a known subject")
        if kind == PATIENT and not (
            isinstance(claims.get("patient"), str)
            and str(claims.get("fhirUser", "")).startswith(("Patient/", "RelatedPerson/"))
        ):
            raise tokens.TokenError("patient token without its patient")
        if not isinstance(client_id, str):
            raise tokens.TokenError("token without client_id")
        assignments: list[RoleAssignment] = []
        for item in claims.get("role_assignments") or ():
            if isinstance(item, dict) and isinstance(item.get("role"), str):
                org = item.get("organization")
                if isinstance(org, str):
                    assignments.append(RoleAssignment(item["role"], org))
        return cls(
            kind=kind,
            sub=sub,
            client_id=client_id,
            username=_str(claims.get("username")),
            name=_str(claims.get("name")),
            hpr=_str(claims.get("hpr")),
            assignments=tuple(assignments),
            jti=str(claims.get("jti", "")),
            exp=int(claims.get("exp", 0)),
            iat=int(claims.get("iat", 0)),
            fhir_user=_str(claims.get("fhirUser")) if kind == PATIENT else None,
            patient=_str(claims.get("patient")) if kind == PATIENT else None,
            training=claims.get("training") is True,
        )


def _str(value: Any) -> str | None:
    return value if isinstance(value, str) else None
