"""Validation of incoming resources before anything is stored.

Three layers, cheapest first:

1. Shape (400): a JSON object whose ``resourceType`` is the URL's type, a well-formed ``id``.
2. Our rules (422): the elements the registry requires (``Observation.subject``), the required
   ``Observation.status`` binding.
3. FHIR R4 structure (422): the ``fhir.resources`` R4B models (pydantic) check every element's
   name, cardinality and primitive format. They cost ~130 µs per Observation, so Observations in
   the vital-signs shape the simulator and the patient apps send go through a hand-written
   *accept-only* check first (a few µs); anything it does not fully recognise falls back to the
   models, so the fast path can never accept what the models would reject.

``fhir.resources`` 8 defaults to R5; the R4B package is used because it is R4-compatible for
every resource type we serve. It is imported lazily (first non-fast validation), off the start-up
path. All of this runs in the store's worker thread, never on the event loop.
"""

from __future__ import annotations

import importlib
import math
import re
import threading
from collections.abc import Callable
from typing import Any

from server.store.errors import BadRequest, InvalidResource
from server.store.fhirtime import DateFormatError, parse_range
from server.store.registry import RESOURCE_TYPES, ResourceType

ID_RE = re.compile(r"^[A-Za-z0-9\-.]{1,64}$")

#: Bounds on what one resource may hold (the request body limit bounds the whole).
MAX_STRING = 32 * 1024  # characters in one string (a long message is a few thousand)
MAX_KEY = 128  # characters in one element name
MAX_ARRAY = 1000  # items in one array
MAX_DEPTH = 48  # nesting of objects and arrays
MAX_NODES = 50_000  # values in the whole resource
#: Elements allowed to be longer than MAX_STRING: Attachment.data (base64) and narrative.
LONG_STRINGS = frozenset({"data", "div"})

OBSERVATION_STATUS = frozenset(
    {
        "registered",
        "preliminary",
        "final",
        "amended",
        "corrected",
        "cancelled",
        "entered-in-error",
        "unknown",
    }
)


def resource_type(name: str) -> ResourceType:
    rt = RESOURCE_TYPES.get(name)
    if rt is None:
        raise BadRequest(f"unsupported resource type {name!r}", status=404, code="not-supported")
    return rt


def validate_for_create(type_name: str, resource: Any) -> ResourceType:
    """Raise 400/422 errors for a body that must not be stored; return the type definition."""
    return validate_resource(type_name, resource)


def validate_resource(type_name: str, resource: Any, *, url_id: str | None = None) -> ResourceType:
    """Validate a create (``url_id`` None) or an update of ``url_id``; return the type."""
    rt = resource_type(type_name)
    if not isinstance(resource, dict):
        raise BadRequest("the body must be a JSON object (a FHIR resource)", code="structure")
    check_bounds(type_name, resource)
    if resource.get("resourceType") != type_name:
        raise BadRequest(
            f"resourceType {resource.get('resourceType')!r} does not match the URL type "
            f"{type_name!r}",
            expression=["resourceType"],
        )
    rid = resource.get("id")
    if rid is not None and (not isinstance(rid, str) or not ID_RE.match(rid)):
        raise BadRequest(
            f"invalid resource id {rid!r}: 1-64 of [A-Za-z0-9-.]", expression=[f"{type_name}.id"]
        )
    if url_id is not None and rid != url_id:
        raise BadRequest(
            f"the body's id {rid!r} must equal the id in the URL {url_id!r}",
            expression=[f"{type_name}.id"],
        )
    meta = resource.get("meta")
    if meta is not None and not isinstance(meta, dict):
        raise InvalidResource(
            "meta must be an object", code="structure", expression=[f"{type_name}.meta"]
        )
    missing = [name for name in rt.required if resource.get(name) in (None, "", [], {})]
    if missing:
        raise InvalidResource(
            f"{type_name} requires {', '.join(missing)}",
            expression=[f"{type_name}.{name}" for name in missing],
        )
    if type_name == "Observation":
        status = resource["status"]
        if isinstance(status, str) and status not in OBSERVATION_STATUS:
            raise InvalidResource(
                f"Observation.status {status!r} is not one of "
                f"{', '.join(sorted(OBSERVATION_STATUS))}",
                code="code-invalid",
                expression=["Observation.status"],
            )
        _observation(resource)
        if fast_observation_ok(resource):
            return rt
    validate_structure(type_name, resource)
    return rt


def _too_big(message: str, path: str) -> InvalidResource:
    return InvalidResource(message, code="too-long", expression=[path])


def check_bounds(type_name: str, resource: dict[str, Any]) -> None:
    """422 for strings, arrays, nesting or element counts beyond the bounds above."""
    stack: list[tuple[Any, int, str]] = [(resource, 0, type_name)]
    nodes = 0
    while stack:
        value, depth, path = stack.pop()
        if depth > MAX_DEPTH:
            raise _too_big(f"{path} is nested deeper than {MAX_DEPTH} levels", path)
        if isinstance(value, dict):
            items: Any = value.items()
        elif isinstance(value, list):
            if len(value) > MAX_ARRAY:
                raise _too_big(f"{path} has more than {MAX_ARRAY} items", path)
            items = ((None, v) for v in value)
        else:
            continue
        for key, item in items:
            nodes += 1
            if nodes > MAX_NODES:
                raise _too_big(f"{type_name} has more than {MAX_NODES} elements", type_name)
            if key is not None and (len(key) > MAX_KEY or "\x00" in key):
                raise _too_big(f"an element name in {path} is too long or not text", path)
            if isinstance(item, str):
                where = f"{path}.{key}" if key is not None else path
                if len(item) > MAX_STRING and key not in LONG_STRINGS:
                    raise _too_big(f"{where} is longer than {MAX_STRING} characters", where)
                if "\x00" in item:
                    raise InvalidResource(
                        f"{where} contains a NUL character", code="invalid", expression=[where]
                    )
            elif isinstance(item, dict | list):
                stack.append((item, depth + 1, f"{path}.{key}" if key is not None else path))


def _observation(obs: dict[str, Any]) -> None:
    code = obs["code"]
    if not isinstance(code, dict) or not (code.get("coding") or code.get("text")):
        raise InvalidResource(
            "Observation.code must be a CodeableConcept with a coding or text",
            expression=["Observation.code"],
        )
    subject = obs["subject"]
    if not isinstance(subject, dict) or not (subject.get("reference") or subject.get("identifier")):
        raise InvalidResource(
            "Observation.subject must be a Reference", expression=["Observation.subject"]
        )


# ----- full structural validation with fhir.resources ------------------------------------------

_models: dict[str, Any] = {}
_models_lock = threading.Lock()
_MODULES = {"Subscription": "subscription"}  # module names are the lower-cased type names


def _model(type_name: str) -> Any:
    model = _models.get(type_name)
    if model is None:
        with _models_lock:
            module_name = _MODULES.get(type_name, type_name.lower())
            module = importlib.import_module(f"fhir.resources.R4B.{module_name}")
            model = _models[type_name] = getattr(module, type_name)
    return model


def validate_structure(type_name: str, resource: dict[str, Any]) -> None:
    """Raise 422 naming the first failing elements, per the FHIR R4(B) model of the type."""
    from pydantic import ValidationError

    model = _model(type_name)
    try:
        model.model_validate(resource)
    except ValidationError as exc:
        errors = exc.errors(include_url=False)
        expressions: list[str] = []
        messages: list[str] = []
        for err in errors[:5]:
            path = _expression(type_name, err.get("loc", ()))
            if path not in expressions:
                expressions.append(path)
            messages.append(f"{path}: {err.get('msg', 'invalid')}")
        more = f" (and {len(errors) - 5} more)" if len(errors) > 5 else ""
        raise InvalidResource(
            "; ".join(messages) + more,
            code="structure" if _structural(errors) else "value",
            expression=expressions,
        ) from None
    except (ValueError, TypeError) as exc:  # model validators raising plain errors
        raise InvalidResource(f"{type_name}: {exc}", code="value", expression=[type_name]) from None


def _structural(errors: list[Any]) -> bool:
    return any(e.get("type") in ("extra_forbidden", "missing") for e in errors)


def _expression(type_name: str, loc: tuple[Any, ...]) -> str:
    """A pydantic error location as FHIRPath, e.g. ``Observation.code.coding[0]``."""
    out = type_name
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        elif isinstance(part, str) and re.fullmatch(r"_?[A-Za-z][A-Za-z0-9_]*", part):
            if part != "__root__":
                out += f".{part}"
    return out


# ----- the accept-only fast path for vital-signs Observations ----------------------------------

_CODE_RE = re.compile(r"^[^\s]+( [^\s]+)*$")
_URI_RE = re.compile(r"^\S+$")
_MAX_DECIMAL = 1e15


def _string(value: Any) -> bool:
    return type(value) is str and value != "" and value.strip() != "" and "\x00" not in value


def _uri(value: Any) -> bool:
    return type(value) is str and _URI_RE.match(value) is not None


def _code(value: Any) -> bool:
    return type(value) is str and _CODE_RE.match(value) is not None


def _keys(value: Any, allowed: frozenset[str]) -> bool:
    return type(value) is dict and bool(value) and value.keys() <= allowed


_CODING = frozenset({"system", "code", "display", "version"})


def _coding(value: Any) -> bool:
    if not _keys(value, _CODING):
        return False
    return (
        ("system" not in value or _uri(value["system"]))
        and ("code" not in value or _code(value["code"]))
        and ("display" not in value or _string(value["display"]))
        and ("version" not in value or _string(value["version"]))
    )


_CONCEPT = frozenset({"coding", "text"})


def _concept(value: Any) -> bool:
    if not _keys(value, _CONCEPT):
        return False
    coding = value.get("coding")
    if coding is not None and not (
        type(coding) is list and coding and all(_coding(c) for c in coding)
    ):
        return False
    return "text" not in value or _string(value["text"])


_QUANTITY = frozenset({"value", "unit", "system", "code"})


def _quantity(value: Any) -> bool:
    if not _keys(value, _QUANTITY):
        return False
    number = value.get("value")
    if number is not None and not (
        type(number) in (int, float) and math.isfinite(number) and abs(number) < _MAX_DECIMAL
    ):
        return False
    return (
        ("unit" not in value or _string(value["unit"]))
        and ("system" not in value or _uri(value["system"]))
        and ("code" not in value or _code(value["code"]))
    )


_REFERENCE = frozenset({"reference", "display", "type"})


def _reference(value: Any) -> bool:
    return (
        _keys(value, _REFERENCE)
        and ("reference" not in value or _string(value["reference"]))
        and ("display" not in value or _string(value["display"]))
        and ("type" not in value or _uri(value["type"]))
    )


_DATETIME_RE = re.compile(
    r"^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])T([01]\d|2[0-3]):[0-5]\d:([0-5]\d|60)"
    r"(\.\d+)?(Z|[+-]((0\d|1[0-3]):[0-5]\d|14:00))$"
)


def _datetime(value: Any) -> bool:
    if type(value) is not str or _DATETIME_RE.match(value) is None:
        return False
    try:
        parse_range(value)
    except DateFormatError:
        return False
    return True


def _list_of(check: Callable[[Any], bool]) -> Callable[[Any], bool]:
    def run(value: Any) -> bool:
        return type(value) is list and bool(value) and all(check(v) for v in value)

    return run


_META = frozenset({"versionId", "lastUpdated", "profile"})


def _meta(value: Any) -> bool:
    if not _keys(value, _META):
        return False
    profile = value.get("profile")
    return (
        (
            "versionId" not in value
            or (_string(value["versionId"]) and ID_RE.match(value["versionId"]) is not None)
        )
        and ("lastUpdated" not in value or _datetime(value["lastUpdated"]))
        and (profile is None or _list_of(_uri)(profile))
    )


_COMPONENT = frozenset({"code", "valueQuantity"})


def _component(value: Any) -> bool:
    return (
        _keys(value, _COMPONENT)
        and _concept(value["code"])
        and ("valueQuantity" not in value or _quantity(value["valueQuantity"]))
    )


_IDENTIFIER = frozenset({"system", "value"})


def _identifier(value: Any) -> bool:
    return (
        _keys(value, _IDENTIFIER)
        and ("system" not in value or _uri(value["system"]))
        and ("value" not in value or _string(value["value"]))
    )


_OBSERVATION_CHECKS: dict[str, Callable[[Any], bool]] = {
    "resourceType": lambda v: v == "Observation",
    "id": lambda v: type(v) is str and ID_RE.match(v) is not None,
    "meta": _meta,
    "status": lambda v: type(v) is str and v in OBSERVATION_STATUS,
    "category": _list_of(_concept),
    "code": _concept,
    "subject": _reference,
    "effectiveDateTime": _datetime,
    "valueQuantity": _quantity,
    "component": _list_of(_component),
    "identifier": _list_of(_identifier),
    "performer": _list_of(_reference),
    "device": _reference,
}


def fast_observation_ok(obs: dict[str, Any]) -> bool:
    """True only if every element is one the vital-signs shape uses, well formed.

    False means "not sure", never "invalid": the caller then runs the full model validation.
    """
    checks = _OBSERVATION_CHECKS
    for key, value in obs.items():
        check = checks.get(key)
        if check is None or not check(value):
            return False
    return "status" in obs and "code" in obs
