"""A fake training backend for client tests: the Training API of CONTRACTS.md over
`httpx.MockTransport`, with answers shaped as the contract says (and 404 `not-supported`
from a server whose profile is not `training`)."""

from __future__ import annotations

import json
from typing import Any

import httpx

from console.fhir.client import SERVER_PROFILE_URL, FhirClient

BASE = "http://127.0.0.1:9/fhir"

SCENARIOS = [
    {
        "name": "copd-exacerbation",
        "title": {"en": "COPD exacerbation", "nb": "KOLS-forverring", "nn": "KOLS-forverring"},
        "duration_minutes": 360,
        "group": "KOLS",
        "patients": 1,
        "version": "1",
    },
    {
        "name": "cold-fingers",
        "title": {"en": "Cold fingers", "nb": "Kalde fingre", "nn": "Kalde fingrar"},
        "duration_minutes": 30,
        "group": "KOLS",
        "patients": 1,
        "version": "1",
    },
]


def outcome(status: int, code: str, text: str, **extra: Any) -> httpx.Response:
    issue = {"severity": "error", "code": code, "diagnostics": text, **extra}
    return httpx.Response(
        status,
        json={"resourceType": "OperationOutcome", "issue": [issue]},
        headers={"Content-Type": "application/fhir+json"},
    )


class FakeTrainingServer:
    """Keeps a session's state; every request is recorded in `requests`."""

    def __init__(self, profile: str = "training", *, server_404: bool = False) -> None:
        self.profile = profile
        self.server_404 = server_404
        self.requests: list[tuple[str, str, Any]] = []
        self.state = "none"
        self.speed = 1.0
        self.scenarios: list[str] = []
        self.trainees: list[str] = []
        self.actions: list[dict[str, Any]] = []
        self.injected: list[dict[str, Any]] = []
        self.score: dict[str, Any] = {"trainees": [], "group": {}}

    def client(self) -> FhirClient:
        http = httpx.AsyncClient(transport=httpx.MockTransport(self.handle))
        client = FhirClient(BASE, http=http, retry_backoff=0.001)
        self._http = http
        return client

    async def aclose(self) -> None:
        await self._http.aclose()

    def status(self) -> dict[str, Any]:
        return {
            "session": "s1" if self.state != "none" else None,
            "state": "empty" if self.state == "none" else self.state,
            "sim_time": "2026-12-03T09:00:00+00:00",
            "speed": self.speed,
            "scenarios": [{"name": s} for s in self.scenarios],  # as i13s's runner answers
            "trainees": [{"username": t, "name": t} for t in self.trainees],
            "events": [
                {
                    "at": "2026-12-03T09:05:00+00:00",
                    "scenario": "copd-exacerbation",
                    "kind": "value",
                    "summary": {"en": "SpO2 88 %", "nb": "SpO2 88 %", "nn": "SpO2 88 %"},
                    "done": self.state in ("running", "finished"),
                }
            ],
            "actions": self.actions,
            "patients": [
                {
                    "id": "sc-1",
                    "scenario": "copd-exacerbation",
                    "key": "arne",
                    "trainee": "sykepleier-1",
                }
            ]
            if self.state != "none"
            else [],
        }

    def handle(self, request: httpx.Request) -> httpx.Response:
        path = request.url.path.removeprefix("/fhir/")
        body = json.loads(request.content) if request.content else None
        self.requests.append((request.method, path, body))
        if path == "metadata":
            return httpx.Response(
                200,
                json={
                    "resourceType": "CapabilityStatement",
                    "status": "active",
                    "kind": "instance",
                    "fhirVersion": "4.0.1",
                    "format": ["json"],
                    "rest": [
                        {
                            "mode": "server",
                            "extension": [{"url": SERVER_PROFILE_URL, "valueCode": self.profile}],
                            "resource": [],
                        }
                    ],
                },
            )
        if self.profile != "training" or self.server_404:
            return outcome(404, "not-supported", "this server is not a training server")
        if path == "$scenarios":
            return httpx.Response(200, json={"scenarios": SCENARIOS})
        if path == "$scenario-load":
            assert body is not None
            if "scenario_text" in body:
                if "bad" in body["scenario_text"]:
                    return outcome(
                        422,
                        "invalid",
                        "events[1].value: expected a number, got 'high'",
                        location=["line 12, column 14"],
                        expression=["events[1].value"],
                    )
                self.scenarios = ["own-scenario"]
            else:
                self.scenarios = list(body["scenarios"])
            self.trainees = list(body.get("trainees") or [])
            self.state = "ready"
            return httpx.Response(200, json={"session": "s1", "state": "ready"})
        if path == "$scenario-control":
            assert body is not None
            action = body["action"]
            if action == "start":
                self.state = "running"
            elif action == "pause":
                self.state = "paused"
            elif action == "speed":
                self.speed = float(body["speed"])
            elif action == "reset":
                self.state, self.actions = "ready", []
            elif action == "inject":
                self.injected.append(body["event"])
            return httpx.Response(200, json=self.status())
        if path == "$scenario-status":
            return httpx.Response(200, json=self.status())
        if path == "$scenario-score":
            return httpx.Response(200, json=self.score)
        return outcome(404, "not-found", f"no route {path}")


def score_entry(
    trainee: str,
    name: str,
    *,
    claim: float | None,
    resolve: float | None,
    outcome_code: str | None,
    expected: str,
    missed: int,
    score: float,
) -> dict[str, Any]:
    return {
        "trainee": trainee,
        "scenarios": [
            {
                "name": name,
                "time_to_claim_s": claim,
                "time_to_open_s": claim + 20 if claim is not None else None,
                "time_to_resolve_s": resolve,
                "outcome": outcome_code,
                "expected_outcome": expected,
                "outcome_correct": outcome_code == expected,
                "alerts_missed": missed,
                "messages_sent": 1,
                "escalations": 0,
                "score": score,
                "notes": [{"en": "Claimed quickly", "nb": "Tok varselet raskt", "nn": "Tok raskt"}],
            }
        ],
    }
