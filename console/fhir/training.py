"""The Training API of a training backend (CONTRACTS.md): scenarios, load, control, status,
score, turned into `console.domain.training` data.

A server that is not a training backend never gets a load or a control request from us:
`TrainingApi` checks the CapabilityStatement's profile first and raises `NotTrainingServer`
(the server would answer 404 `not-supported` anyway, and that 404 becomes the same error).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from console.domain.training import (
    Control,
    Debrief,
    GroupScore,
    ScenarioEvent,
    ScenarioInfo,
    ScenarioPatient,
    ScenarioScore,
    SessionState,
    SessionStatus,
    TraineeAction,
    TraineeScore,
    group_of,
)
from console.fhir.client import FhirClient
from console.fhir.errors import FhirError, FhirHttpError, FhirMalformed
from console.fhir.mapping import parse_datetime

TRAINING_PROFILE = "training"
_LINE = re.compile(r"\bline\s+(\d+)", re.IGNORECASE)


class NotTrainingServer(FhirError):
    """The server is not a training backend: scenarios cannot be loaded or run there."""

    def __init__(self, detail: str = "") -> None:
        super().__init__(detail or "this server is not a training server")


class ScenarioFileError(FhirError):
    """The server refused a scenario file (422): what is wrong, on which line, in which field."""

    def __init__(self, text: str, line: int | None = None, field: str | None = None) -> None:
        super().__init__(text)
        self.text = text
        self.line = line
        self.field = field


def scenario_file_error(exc: FhirHttpError) -> ScenarioFileError:
    """Line and field from the OperationOutcome (`location`, `expression`, or the text)."""
    line: int | None = None
    field: str | None = None
    outcome = exc.operation_outcome or {}
    for issue in outcome.get("issue") or ():
        if not isinstance(issue, dict):
            continue
        for loc in issue.get("location") or ():
            match = _LINE.search(str(loc))
            if match and line is None:
                line = int(match.group(1))
        for expr in issue.get("expression") or ():
            if field is None and str(expr).strip():
                field = str(expr).strip()
        if line is None:
            match = _LINE.search(str(issue.get("diagnostics") or ""))
            if match:
                line = int(match.group(1))
    return ScenarioFileError(exc.outcome_text, line, field)


def _texts(value: Any) -> dict[str, str]:
    if isinstance(value, Mapping):
        return {str(k): str(v) for k, v in value.items() if isinstance(v, str)}
    if isinstance(value, str):
        return {"en": value}
    return {}


def _time(value: Any) -> datetime | None:
    if not isinstance(value, str) or not value:
        return None
    try:
        return parse_datetime(value)
    except ValueError:
        return None


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value)


def _int(value: Any) -> int:
    return int(value) if isinstance(value, int | float) and not isinstance(value, bool) else 0


def _dicts(value: Any) -> list[dict[str, Any]]:
    return [v for v in value if isinstance(v, dict)] if isinstance(value, list) else []


def _names(value: Any, key: str) -> tuple[str, ...]:
    """A list of names, or of objects with the name under `key`."""
    out = []
    for item in value if isinstance(value, list) else ():
        if isinstance(item, str):
            out.append(item)
        elif isinstance(item, dict) and item.get(key):
            out.append(str(item[key]))
    return tuple(out)


def scenarios_from_json(body: Mapping[str, Any]) -> list[ScenarioInfo]:
    items = body.get("scenarios")
    if not isinstance(items, list):
        raise FhirMalformed("the $scenarios answer has no list of scenarios")
    out = []
    for item in _dicts(items):
        name = item.get("name")
        if not isinstance(name, str) or not name:
            continue
        out.append(
            ScenarioInfo(
                name=name,
                title=_texts(item.get("title")) or {"en": name},
                duration_minutes=_number(item.get("duration_minutes")) or 0.0,
                group=str(item.get("group") or ""),
                patients=_int(item.get("patients")),
                version=str(item.get("version") or ""),
            )
        )
    return out


def status_from_json(body: Mapping[str, Any]) -> SessionStatus:
    raw_state = str(body.get("state") or "none")
    try:
        state = SessionState("none" if raw_state == "empty" else raw_state)
    except ValueError as exc:
        raise FhirMalformed(f"unknown scenario session state {raw_state!r}") from exc
    patients = []
    for p in _dicts(body.get("patients")):
        pid = p.get("id") or str(p.get("reference") or "").rsplit("/", 1)[-1]
        if pid:
            patients.append(
                ScenarioPatient(
                    id=str(pid),
                    scenario=str(p.get("scenario") or ""),
                    key=str(p.get("key") or pid),
                    trainee=str(p.get("trainee") or ""),
                )
            )
    return SessionStatus(
        session=str(body.get("session") or ""),
        state=state,
        sim_time=_time(body.get("sim_time")),
        speed=_number(body.get("speed")) or 1.0,
        scenarios=_names(body.get("scenarios"), "name"),
        trainees=_names(body.get("trainees"), "username"),
        events=tuple(
            ScenarioEvent(
                at=_time(e.get("at")),
                scenario=str(e.get("scenario") or ""),
                kind=str(e.get("kind") or ""),
                summary=_texts(e.get("summary")),
                done=e.get("done") is True,
            )
            for e in _dicts(body.get("events"))
        ),
        actions=tuple(
            TraineeAction(
                at=_time(a.get("at")),
                trainee=str(a.get("trainee") or ""),
                kind=str(a.get("kind") or ""),
                patient=str(a.get("patient") or ""),
                detail=str(a.get("detail") or ""),
            )
            for a in _dicts(body.get("actions"))
        ),
        patients=tuple(patients),
    )


def _scenario_score(item: Mapping[str, Any]) -> ScenarioScore:
    return ScenarioScore(
        name=str(item.get("name") or ""),
        time_to_claim_s=_number(item.get("time_to_claim_s")),
        time_to_open_s=_number(item.get("time_to_open_s")),
        time_to_resolve_s=_number(item.get("time_to_resolve_s")),
        outcome=str(item["outcome"]) if item.get("outcome") else None,
        expected_outcome=str(item["expected_outcome"]) if item.get("expected_outcome") else None,
        outcome_correct=item.get("outcome_correct") is True,
        alerts_missed=_int(item.get("alerts_missed")),
        messages_sent=_int(item.get("messages_sent")),
        escalations=_int(item.get("escalations")),
        score=_number(item.get("score")) or 0.0,
        notes=tuple(_texts(n) for n in item.get("notes") or () if _texts(n)),
        title=_texts(item.get("title")) or None,
        debrief=_texts(item.get("debrief")) or None,
    )


def debrief_from_json(body: Mapping[str, Any]) -> Debrief:
    trainees = tuple(
        TraineeScore(
            trainee=str(t.get("trainee") or ""),
            scenarios=tuple(_scenario_score(s) for s in _dicts(t.get("scenarios"))),
            name=str(t.get("name") or ""),
        )
        for t in _dicts(body.get("trainees"))
    )
    computed = group_of(trainees)
    group = body.get("group")
    if isinstance(group, Mapping) and group:
        mean = _number(group.get("mean_score") if "mean_score" in group else group.get("score"))
        claim = _number(group.get("median_time_to_claim_s"))
        computed = GroupScore(
            trainees=_int(group.get("trainees")) or computed.trainees,
            mean_score=computed.mean_score if mean is None else mean,
            alerts_missed=_int(group["alerts_missed"])
            if "alerts_missed" in group
            else computed.alerts_missed,
            outcomes_correct=_int(group["outcomes_correct"])
            if "outcomes_correct" in group
            else computed.outcomes_correct,
            outcomes_total=_int(group.get("outcomes", group.get("outcomes_total")))
            or computed.outcomes_total,
            median_time_to_claim_s=computed.median_time_to_claim_s if claim is None else claim,
        )
    return Debrief(trainees, computed)


class TrainingApi:
    """`$scenarios`, `$scenario-load`, `$scenario-control`, `$scenario-status`,
    `$scenario-score` on a training backend; refuses before asking any other server."""

    def __init__(self, client: FhirClient) -> None:
        self.client = client

    async def is_training_server(self) -> bool:
        caps = await self.client.capabilities()
        return caps.server_profile == TRAINING_PROFILE

    async def _require_training(self) -> None:
        if not await self.is_training_server():
            raise NotTrainingServer()

    async def _call(self, name: str, body: Mapping[str, Any] | None = None) -> dict[str, Any]:
        await self._require_training()
        try:
            return await self.client.json_operation(name, body)
        except FhirHttpError as exc:
            if exc.status == 404:
                raise NotTrainingServer(exc.outcome_text) from exc
            raise

    async def scenarios(self) -> list[ScenarioInfo]:
        return scenarios_from_json(await self._call("scenarios"))

    async def load(self, scenarios: Sequence[str], trainees: Sequence[str]) -> SessionStatus:
        body = await self._call(
            "scenario-load", {"scenarios": list(scenarios), "trainees": list(trainees)}
        )
        return status_from_json(body)

    async def load_text(self, text: str, trainees: Sequence[str] = ()) -> SessionStatus:
        """A scenario file the trainer wrote; a bad one raises `ScenarioFileError`."""
        payload: dict[str, Any] = {"scenario_text": text}
        if trainees:
            payload["trainees"] = list(trainees)
        try:
            body = await self._call("scenario-load", payload)
        except FhirHttpError as exc:
            if exc.status in (400, 422):
                raise scenario_file_error(exc) from exc
            raise
        return status_from_json(body)

    async def control(
        self,
        action: Control,
        *,
        speed: float | None = None,
        event: Mapping[str, Any] | None = None,
    ) -> SessionStatus:
        payload: dict[str, Any] = {"action": action.value}
        if speed is not None:
            payload["speed"] = speed
        if event is not None:
            payload["event"] = dict(event)
        return status_from_json(await self._call("scenario-control", payload))

    async def status(self) -> SessionStatus:
        return status_from_json(await self._call("scenario-status"))

    async def score(self) -> Debrief:
        return debrief_from_json(await self._call("scenario-score"))

    async def export(self, name: str) -> str:
        """A library scenario's file, as written (`$scenarios?name=&format=yaml`), to share."""
        await self._require_training()
        return await self.client.text_operation("scenarios", {"name": name, "format": "yaml"})
