"""The patient view names a questionnaire by its Questionnaire's title, in the UI language
where the Questionnaire translates it, not by its id ("kols-cat"); asked once per form."""

from __future__ import annotations

import asyncio
from typing import Any
from urllib.parse import parse_qsl

import httpx
import pytest

from console.fhir.client import FhirClient
from console.services.patient import PatientService
from server.sim.questionnaires import questionnaires

CAT = "http://dho.example/fhir/Questionnaire/kols-cat"


def bundle(resources: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "resourceType": "Bundle",
        "type": "searchset",
        "entry": [{"resource": r} for r in resources],
    }


class Server:
    def __init__(self) -> None:
        self.questionnaire_queries: list[dict[str, str]] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        path = request.url.path.removeprefix("/fhir/")
        query = dict(parse_qsl(request.url.query.decode()))
        if path == "metadata":
            body: dict[str, Any] = {
                "resourceType": "CapabilityStatement",
                "rest": [
                    {
                        "mode": "server",
                        "resource": [
                            {
                                "type": t,
                                "searchParam": [
                                    {"name": n} for n in ("authored", "subject", "url")
                                ],
                            }
                            for t in ("QuestionnaireResponse", "Questionnaire")
                        ],
                    }
                ],
            }
        elif path == "QuestionnaireResponse":
            body = bundle(
                [
                    {
                        "resourceType": "QuestionnaireResponse",
                        "id": f"q{i}",
                        "status": "completed",
                        "questionnaire": CAT,
                        "authored": f"2026-11-{20 + i}T09:00:00Z",
                        "subject": {"reference": "Patient/p1"},
                        "item": [],
                    }
                    for i in range(2)
                ]
            )
        elif path == "Questionnaire":
            self.questionnaire_queries.append(query)
            wanted = set(query["url"].split(","))
            body = bundle([q for q in questionnaires() if q["url"] in wanted])
        else:
            return httpx.Response(404, json={"resourceType": "OperationOutcome", "issue": []})
        return httpx.Response(200, json=body, headers={"Content-Type": "application/fhir+json"})


@pytest.mark.parametrize(
    ("language", "title"),
    [
        ("nb", "KOLS – ukentlig CAT-vurdering"),
        ("nn", "KOLS – vekentleg CAT-vurdering"),
        ("en", "COPD – weekly CAT assessment"),
    ],
)
def test_answers_carry_the_questionnaires_title_in_the_ui_language(
    language: str, title: str
) -> None:
    server = Server()

    async def main() -> list[list[str]]:
        async with httpx.AsyncClient(transport=httpx.MockTransport(server)) as http:
            client = FhirClient("http://127.0.0.1:9/fhir", http=http)
            service = PatientService(client, language=language)
            first = await service.load_questionnaires("p1", 0.0)
            again = await service.load_questionnaires("p1", 0.0)
            return [[q.title for q in first], [q.title for q in again]]

    first, again = asyncio.run(main())
    assert first == again == [title, title]
    assert server.questionnaire_queries == [{"url": CAT, "_count": "100"}]  # once
