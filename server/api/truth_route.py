"""``GET /fhir/$ground-truth``: what really happened to the simulated patients (training only).

Only a backend started with ``--profile training`` answers (``ServerProfile.is_training``);
every other profile answers 404, so a server with real patients can never reveal it. With
sign-in on, only superusers, administrators and service clients may ask (403 otherwise).

Parameters: ``patient`` (an id; optional), ``start`` / ``end`` (FHIR instants; default the
last 30 days up to the server clock). The answer is a ``Parameters`` with one repeated part
per fact, each with ``patient`` (valueReference), ``start`` / ``end`` (valueInstant) and:

- ``episode``: ``type`` (valueCode: copd-exacerbation, heart-failure-decompensation, fever,
  bp-spike, low-bp, hyperglycaemia, hypoglycaemia, weight-loss), ``peak`` (valueInstant),
  ``magnitude`` (valueDecimal), ``effect`` parts (``variable`` valueCode, ``change``
  valueDecimal, full-severity change of the true value);
- ``admission``: a hospital stay during an episode (the patient measures nothing);
- ``device-error``: ``observation`` (valueReference), ``kind`` (valueString);
- ``skipped``: ``kinds`` (valueString, comma-separated), ``reason`` (valueCode: forgot, away,
  admitted).

Episodes and admissions are computed from the simulated physiology (deterministic from the
seed and the patient); device errors and skipped slots were recorded by the simulator as they
happened (table ``sim_truth``). None of it comes from the rules' output.
"""

from __future__ import annotations

import json
from typing import Any, Final

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from server.api.fhir import fhir_response, service
from server.sim.schedule import parse_instant
from server.store.errors import BadRequest, FhirError, NotFound, UnknownParameter
from server.store.fhirtime import format_instant

_PARAMS: Final = {"patient", "start", "end", "_format", "_pretty"}
DAY: Final = 86400.0


def _instant(t: float) -> str:
    return format_instant(int(t * 1_000_000))


def _schedules(request: Request) -> dict[str, Any]:
    """The simulated patients, rebuilt from the store once (as the live simulator does)."""
    cached = getattr(request.app.state, "truth_schedules", None)
    if cached is None:
        from server.sim.simulator import Simulator

        store = request.app.state.store
        sim = Simulator.from_resources(
            store.all_of_type("Patient"),
            [{**e, "status": "active"} for e in store.all_of_type("EpisodeOfCare")],
            seed=int(getattr(request.app.state, "truth_seed", 1)),
            now=request.app.state.clock.now_datetime(),
        )
        cached = {s.patient_id: s for s in sim.schedules}
        request.app.state.truth_schedules = cached
    return cached  # type: ignore[no-any-return]


def _fact(
    name: str, pid: str, start: float, end: float, parts: list[dict[str, Any]]
) -> dict[str, Any]:
    return {
        "name": name,
        "part": [
            {"name": "patient", "valueReference": {"reference": f"Patient/{pid}"}},
            {"name": "start", "valueInstant": _instant(start)},
            {"name": "end", "valueInstant": _instant(end)},
            *parts,
        ],
    }


def ground_truth(
    schedules: dict[str, Any],
    rows: list[tuple[str, str, int, int, str]],
    start: float,
    end: float,
    patient: str | None = None,
) -> dict[str, Any]:
    """The Parameters answer from the simulated patients and the recorded truth rows."""
    parameters: list[dict[str, Any]] = []
    for pid, schedule in sorted(schedules.items()):
        if patient is not None and pid != patient:
            continue
        for e in schedule.physiology.episodes_between(start, end):
            parts: list[dict[str, Any]] = [
                {"name": "type", "valueCode": e.kind},
                {"name": "peak", "valueInstant": _instant(e.peak)},
                {"name": "magnitude", "valueDecimal": round(e.magnitude, 2)},
            ]
            parts += [
                {
                    "name": "effect",
                    "part": [
                        {"name": "variable", "valueCode": var},
                        {"name": "change", "valueDecimal": round(delta, 2)},
                    ],
                }
                for var, delta in sorted(e.effects.items())
            ]
            parameters.append(_fact("episode", pid, e.start, e.end, parts))
            if e.admission is not None:
                a, b = e.admission
                parameters.append(
                    _fact("admission", pid, a, b, [{"name": "type", "valueCode": e.kind}])
                )
    for pid, kind, a_us, b_us, data in rows:
        if patient is not None and pid != patient:
            continue
        if kind not in ("device-error", "skipped"):
            continue
        details = json.loads(data)
        if kind == "device-error":
            parts = [{"name": "kind", "valueString": str(details.get("kind", ""))}]
            if details.get("observation"):
                parts.insert(
                    0,
                    {
                        "name": "observation",
                        "valueReference": {"reference": details["observation"]},
                    },
                )
        else:
            parts = [
                {"name": "kinds", "valueString": ",".join(details.get("kinds", ()))},
                {"name": "reason", "valueCode": str(details.get("reason", ""))},
            ]
        parameters.append(_fact(kind, pid, a_us / 1e6, b_us / 1e6, parts))
    return {"resourceType": "Parameters", "parameter": parameters}


async def ground_truth_operation(request: Request) -> Response:
    if not request.app.state.profile.is_training:
        raise NotFound("$ground-truth exists on a training backend only (--profile training)")
    principal = getattr(request.state, "principal", None)
    if principal is not None and not (principal.unrestricted or "superuser" in principal.roles):
        raise FhirError(
            "only superusers and administrators may read the simulator's ground truth",
            status=403,
            code="forbidden",
        )
    unknown = set(request.query_params) - _PARAMS
    if unknown:
        raise UnknownParameter(f"unknown parameter(s): {', '.join(sorted(unknown))}")
    now = request.app.state.clock.now()
    try:
        start = (
            parse_instant(request.query_params["start"])
            if "start" in request.query_params
            else now - 30 * DAY
        )
        end = parse_instant(request.query_params["end"]) if "end" in request.query_params else now
    except ValueError as exc:
        raise BadRequest(f"start/end must be FHIR instants: {exc}") from exc
    patient = request.query_params.get("patient") or None
    svc = service(request)
    schedules = await svc.run(_schedules, request)
    rows = await svc.run(svc.store.truth, patient, int(start * 1_000_000), int(end * 1_000_000))
    if patient is not None and patient not in schedules:
        raise NotFound(f"Patient/{patient} is not a simulated patient")
    return fhir_response(ground_truth(schedules, rows, start, end, patient))


def truth_route() -> Route:
    return Route("/fhir/$ground-truth", ground_truth_operation, methods=["GET"])
