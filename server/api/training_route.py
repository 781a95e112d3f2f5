"""The training operations (docs/contract.md, "Training"; training profile only).

``GET /fhir/$scenarios`` (the library; ``?name=X&format=yaml`` gives a file's text for sharing),
``POST /fhir/$scenario-load``, ``POST /fhir/$scenario-control``, ``GET /fhir/$scenario-status``
and ``GET /fhir/$scenario-score``. Every other profile answers 404 ``not-supported``. With
sign-in on, superusers, administrators and service clients control and watch; a nurse sees
only her own score. Bad requests get a 4xx OperationOutcome and change nothing.
"""

from __future__ import annotations

import json
from typing import Any, Final

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from server.api.fhir import fhir_response
from server.store.errors import BadRequest, FhirError, UnknownParameter
from server.training.format import Scenario, ScenarioError, parse, schema
from server.training.runner import TrainingError, TrainingRunner
from server.training.score import score

NOT_TRAINING: Final = "this server is not a training server"
ACTIONS: Final = ("start", "pause", "step", "speed", "reset", "inject")


class Refused(FhirError):
    status = 403
    code = "forbidden"


def _runner(request: Request) -> TrainingRunner:
    if not request.app.state.profile.is_training:
        raise FhirError(NOT_TRAINING, status=404, code="not-supported")
    runner: TrainingRunner | None = getattr(request.app.state, "training", None)
    if runner is None:  # pragma: no cover - create_app makes one for every training app
        raise FhirError(NOT_TRAINING, status=404, code="not-supported")
    return runner


def _principal(request: Request) -> Any:
    return getattr(request.state, "principal", None)


def _may_control(principal: Any) -> bool:
    return principal is None or principal.unrestricted or "superuser" in principal.roles


def _require_control(request: Request) -> None:
    principal = _principal(request)
    if not _may_control(principal):
        raise Refused("only superusers and administrators run training scenarios")


def _params(request: Request, allowed: set[str]) -> None:
    unknown = set(request.query_params) - allowed - {"_format", "_pretty"}
    if unknown:
        raise UnknownParameter(f"unknown parameter(s): {', '.join(sorted(unknown))}")


async def _body(request: Request, allowed: set[str]) -> dict[str, Any]:
    raw = await request.body()
    try:
        body = json.loads(raw or b"{}")
    except ValueError as exc:
        raise BadRequest(f"the body is not JSON: {exc}") from exc
    if not isinstance(body, dict):
        raise BadRequest("the body must be a JSON object")
    unknown = set(body) - allowed
    if unknown:
        raise BadRequest(f"unknown field(s): {', '.join(sorted(unknown))}")
    return body


def _scenario_problem(exc: ScenarioError) -> Response:
    issues = [
        {
            "severity": "error",
            "code": "invalid",
            "diagnostics": p.render(exc.source),
            **({"expression": [p.path]} if p.path else {}),
            **({"location": [f"line {p.line}"]} if p.line else {}),
        }
        for p in exc.problems
    ]
    return fhir_response({"resourceType": "OperationOutcome", "issue": issues}, 422)


def _training_error(exc: TrainingError) -> FhirError:
    return FhirError(str(exc), status=exc.status, code=exc.code)


async def scenarios(request: Request) -> Response:
    runner = _runner(request)
    principal = _principal(request)
    if principal is not None and principal.is_patient:
        raise Refused("the scenario library is for staff")
    _params(request, {"name", "format"})
    name = request.query_params.get("name")
    fmt = request.query_params.get("format", "json")
    if fmt not in ("json", "yaml", "schema"):
        raise BadRequest("format must be json, yaml or schema")
    if fmt == "schema":
        return Response(
            json.dumps(schema(), ensure_ascii=False, indent=2), media_type="application/schema+json"
        )
    library = await runner.scenarios()
    chosen = list(library.values())
    if name is not None:
        if name not in library:
            raise FhirError(f"no scenario {name!r} in the library", status=404, code="not-found")
        chosen = [library[name]]
    if fmt == "yaml":
        if name is None:
            raise BadRequest("format=yaml needs name=<scenario>")
        return Response(
            chosen[0].text,
            media_type="application/yaml",
            headers={"Content-Disposition": f'attachment; filename="{name}.yaml"'},
        )
    return Response(
        json.dumps({"scenarios": [s.listing() for s in chosen]}, ensure_ascii=False),
        media_type="application/json",
    )


def _json(body: dict[str, Any], status: int = 200) -> Response:
    return Response(
        json.dumps(body, ensure_ascii=False), status_code=status, media_type="application/json"
    )


async def scenario_load(request: Request) -> Response:
    runner = _runner(request)
    _require_control(request)
    _params(request, set())
    body = await _body(request, {"scenarios", "trainees", "scenario_text", "speed"})
    names = body.get("scenarios", [])
    trainees = body.get("trainees", [])
    texts = body.get("scenario_text", [])
    if isinstance(texts, str):
        texts = [texts]
    for field, value in (("scenarios", names), ("trainees", trainees), ("scenario_text", texts)):
        if not isinstance(value, list) or not all(isinstance(x, str) and x for x in value):
            raise BadRequest(f"{field} must be a list of non-empty strings")
    if len(set(trainees)) != len(trainees) or len(trainees) > 30:
        raise BadRequest("trainees must be distinct user names (at most 30)")
    chosen: list[Scenario] = []
    library = await runner.scenarios() if names else {}
    for name in names:
        if name not in library:
            raise FhirError(
                f"no scenario {name!r} in the library",
                status=422,
                code="not-found",
                expression=["scenarios"],
            )
        chosen.append(library[name])
    for i, text in enumerate(texts):
        try:
            chosen.append(parse(text, f"scenario_text[{i}]" if len(texts) > 1 else "scenario.yaml"))
        except ScenarioError as exc:
            return _scenario_problem(exc)
    if not chosen:
        raise BadRequest("choose at least one scenario (scenarios or scenario_text)")
    if len({s.name for s in chosen}) != len(chosen):
        raise BadRequest("a scenario is chosen twice")
    speed = body.get("speed")
    if speed is not None and (
        not isinstance(speed, (int, float)) or isinstance(speed, bool) or not 0 < speed <= 3600
    ):
        raise BadRequest("speed must be a number above 0 and at most 3600")
    try:
        session = await runner.load(chosen, trainees)
    except TrainingError as exc:
        raise _training_error(exc) from exc
    if speed is not None:
        session.speed = float(speed)
    return _json({"session": session.id, "state": session.state, **runner.status()})


async def scenario_control(request: Request) -> Response:
    runner = _runner(request)
    _require_control(request)
    _params(request, set())
    body = await _body(request, {"action", "speed", "event"})
    action = body.get("action")
    if action not in ACTIONS:
        raise BadRequest(f"action must be one of {', '.join(ACTIONS)}", expression=["action"])
    speed = body.get("speed")
    if action == "speed" and (not isinstance(speed, (int, float)) or isinstance(speed, bool)):
        raise BadRequest("speed must be a number", expression=["speed"])
    event = body.get("event")
    if action == "inject" and not isinstance(event, dict):
        raise BadRequest("inject needs an event (a JSON object)", expression=["event"])
    try:
        await runner.control(action, speed=float(speed) if speed is not None else None, event=event)
    except ScenarioError as exc:
        return _scenario_problem(exc)
    except TrainingError as exc:
        raise _training_error(exc) from exc
    return _json(runner.status())


async def scenario_status(request: Request) -> Response:
    runner = _runner(request)
    _require_control(request)
    _params(request, set())
    await runner.collect_opens()
    return _json(runner.status())


async def scenario_score(request: Request) -> Response:
    runner = _runner(request)
    _params(request, {"trainee"})
    principal = _principal(request)
    only = request.query_params.get("trainee")
    if principal is not None and not _may_control(principal):
        if principal.is_patient or principal.is_service or not principal.username:
            raise Refused("the score is for the trainees and their trainer")
        if only is not None and only != principal.username:
            raise Refused("a trainee sees only her own score")
        only = principal.username
    answer = await score(runner, only)
    return _json(answer)


def training_routes() -> list[BaseRoute]:
    return [
        Route("/fhir/$scenarios", scenarios, methods=["GET"]),
        Route("/fhir/$scenario-load", scenario_load, methods=["POST"]),
        Route("/fhir/$scenario-control", scenario_control, methods=["POST"]),
        Route("/fhir/$scenario-status", scenario_status, methods=["GET"]),
        Route("/fhir/$scenario-score", scenario_score, methods=["GET"]),
    ]
