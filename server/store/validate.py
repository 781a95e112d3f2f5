"""Minimal create validation: enough that nothing malformed is stored or indexed.

Full profile validation (vital-signs, Norwegian identifiers) is a later issue; this checks shape.
"""

from __future__ import annotations

import re
from typing import Any

from server.store.errors import BadRequest, InvalidResource
from server.store.registry import RESOURCE_TYPES, ResourceType

ID_RE = re.compile(r"^[A-Za-z0-9\-.]{1,64}$")


def resource_type(name: str) -> ResourceType:
    rt = RESOURCE_TYPES.get(name)
    if rt is None:
        raise BadRequest(f"unsupported resource type {name!r}", status=404, code="not-supported")
    return rt


def validate_for_create(type_name: str, resource: Any) -> ResourceType:
    """Raise 400/422 errors for a body that must not be stored; return the type definition."""
    rt = resource_type(type_name)
    if not isinstance(resource, dict):
        raise BadRequest("the body must be a JSON object (a FHIR resource)")
    if resource.get("resourceType") != type_name:
        raise BadRequest(
            f"resourceType {resource.get('resourceType')!r} does not match the URL type "
            f"{type_name!r}"
        )
    rid = resource.get("id")
    if rid is not None and (not isinstance(rid, str) or not ID_RE.match(rid)):
        raise BadRequest(f"invalid resource id {rid!r}: 1-64 of [A-Za-z0-9-.]")
    meta = resource.get("meta")
    if meta is not None and not isinstance(meta, dict):
        raise InvalidResource("meta must be an object", code="structure")
    missing = [name for name in rt.required if resource.get(name) in (None, "", [], {})]
    if missing:
        raise InvalidResource(f"{type_name} requires {', '.join(missing)}")
    if type_name == "Observation":
        _observation(resource)
    return rt


def _observation(obs: dict[str, Any]) -> None:
    if not isinstance(obs["status"], str):
        raise InvalidResource("Observation.status must be a code", code="value")
    code = obs["code"]
    if not isinstance(code, dict) or not (code.get("coding") or code.get("text")):
        raise InvalidResource("Observation.code must be a CodeableConcept with a coding or text")
    subject = obs["subject"]
    if not isinstance(subject, dict) or not (subject.get("reference") or subject.get("identifier")):
        raise InvalidResource("Observation.subject must be a Reference")
