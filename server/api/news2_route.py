"""``GET /fhir/Patient/{id}/$news2``: NEWS2 from the patient's latest values, as Parameters.

Optional query parameters fill in what home devices do not measure: ``oxygen=true|false``
(air or supplemental oxygen) and ``consciousness=A|C|V|P|U``. Values older than 24 hours
before the newest one are not used (they count as missing). The answer is a ``Parameters``
with ``score``, ``band`` (low | low-medium | medium | high), ``partial``, ``scale`` (SpO2
scale 1 or 2), ``missing`` (repeated), ``date`` (the newest value used) and one ``component``
per scored parameter (parts ``name``, ``score``, ``value``, ``observation``).
"""

from __future__ import annotations

from typing import Any, Final

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from server.api.fhir import fhir_response, service
from server.rules import news2 as n
from server.rules.codes import NEWS2_SCALE2_URL
from server.rules.runtime import AlertEngine
from server.sim.observations import iso_utc
from server.sim.programmes import LOINC
from server.sim.schedule import parse_instant
from server.store import Stored
from server.store import search as s
from server.store.errors import BadRequest, Gone, NotFound, UnknownParameter
from server.store.registry import RESOURCE_TYPES

MAX_SPREAD: Final = 24 * 3600.0
_PARAMS: Final = {"oxygen", "consciousness", "_format", "_pretty"}
# LOINC code -> NEWS2 parameter.
_CODES: Final = {
    "9279-1": n.RESPIRATION,
    "2708-6": n.SPO2,
    "59408-5": n.SPO2,
    "8480-6": n.SYSTOLIC,
    "8867-4": n.PULSE,
    "8310-5": n.TEMPERATURE,
}
_QUERY_CODES: Final = [*(f"{LOINC}|{c}" for c in _CODES if c != "8480-6"), f"{LOINC}|85354-9"]


def _values(found: list[Stored]) -> dict[str, tuple[float, float, dict[str, Any], str]]:
    """Newest (effective, value, quantity, reference) per NEWS2 parameter."""
    out: dict[str, tuple[float, float, dict[str, Any], str]] = {}
    for st in found:
        res = st.resource()
        when = res.get("effectiveDateTime")
        if not isinstance(when, str):
            continue
        t = parse_instant(when)
        pairs = [(res.get("code", {}), res.get("valueQuantity"))]
        pairs += [(c.get("code", {}), c.get("valueQuantity")) for c in res.get("component", ())]
        for code, quantity in pairs:
            if not isinstance(quantity, dict) or not isinstance(quantity.get("value"), int | float):
                continue
            for coding in code.get("coding", ()):
                param = _CODES.get(coding.get("code"))
                if param is not None and (param not in out or out[param][0] < t):
                    out[param] = (t, float(quantity["value"]), quantity, st.reference)
                    break
    return out


def _scale2_from_store(svc: Any, patient_id: str) -> bool:
    plan = s.plan_search(
        RESOURCE_TYPES["CarePlan"], [("patient", patient_id), ("status", "active")]
    )
    for st in svc.store.search(plan).matches:
        for ext in st.resource().get("extension", ()):
            if ext.get("url") == NEWS2_SCALE2_URL and ext.get("valueBoolean") is True:
                return True
    return False


async def news2_operation(request: Request) -> Response:
    patient_id = request.path_params["id"]
    oxygen: bool | None = None
    consciousness: str | None = None
    for name, value in request.query_params.multi_items():
        if name not in _PARAMS:
            raise UnknownParameter(f"unknown $news2 parameter {name!r}; use oxygen, consciousness")
        if name == "oxygen":
            if value not in ("true", "false"):
                raise BadRequest(f"oxygen must be true or false, not {value!r}")
            oxygen = value == "true"
        elif name == "consciousness":
            if value.upper() not in ("A", "C", "V", "P", "U"):
                raise BadRequest(f"consciousness must be one of A, C, V, P, U, not {value!r}")
            consciousness = value.upper()
    svc = service(request)
    patient = await svc.run(svc.store.read, "Patient", patient_id)
    if patient is None:
        raise NotFound(f"Patient/{patient_id} is not known")
    if patient.deleted:
        raise Gone(f"Patient/{patient_id} was deleted")
    from server.auth import guard

    await guard.check_read(request, patient, "operation")  # scoping, as for a read
    found = await svc.run(
        lambda: svc.store.lastn(1, patients=[patient_id], codes=list(_QUERY_CODES))
    )
    values = _values(found)
    newest = max((v[0] for v in values.values()), default=None)
    if newest is not None:
        values = {k: v for k, v in values.items() if v[0] >= newest - MAX_SPREAD}
    rules = svc.rules
    if isinstance(rules, AlertEngine):
        scale2 = (await rules.plan_for(patient_id)).scale2
    else:
        scale2 = await svc.run(_scale2_from_store, svc, patient_id)

    def get(param: str) -> float | None:
        return values[param][1] if param in values else None

    result = n.news2(
        n.News2Input(
            respiration=get(n.RESPIRATION),
            spo2=get(n.SPO2),
            on_oxygen=oxygen,
            systolic=get(n.SYSTOLIC),
            pulse=get(n.PULSE),
            consciousness=consciousness,
            temperature=get(n.TEMPERATURE),
        ),
        scale2=scale2,
    )
    parameters: list[dict[str, Any]] = [
        {"name": "score", "valueInteger": result.total},
        {"name": "band", "valueCode": result.band},
        {"name": "partial", "valueBoolean": result.partial},
        {"name": "scale", "valueInteger": result.scale},
    ]
    parameters += [{"name": "missing", "valueCode": m} for m in result.missing]
    if newest is not None:
        parameters.append(
            {"name": "date", "valueDateTime": iso_utc(max(v[0] for v in values.values()))}
        )
    for param, score in result.subscores.items():
        parts: list[dict[str, Any]] = [
            {"name": "name", "valueCode": param},
            {"name": "score", "valueInteger": score},
        ]
        if param in values:
            _, _, quantity, ref = values[param]
            parts.append({"name": "value", "valueQuantity": quantity})
            parts.append({"name": "observation", "valueReference": {"reference": ref}})
        parameters.append({"name": "component", "part": parts})
    body = {
        "resourceType": "Parameters",
        "parameter": parameters,
    }
    return fhir_response(body)


def news2_route() -> Route:
    return Route("/fhir/Patient/{id}/$news2", news2_operation, methods=["GET"])
