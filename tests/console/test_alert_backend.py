"""The alert queue against the REAL reference backend (child process on 127.0.0.1).

(a) Two consoles claim the same alert at once, 50 times: exactly one wins each time, the other
    is told who has it, and the winner's claim is what the server keeps.
(b) A red SpO₂ posted to the backend raises an alert (the rule engine), which appears in the
    queue, is claimed and resolved; a DetectedIssue and a draft note exist afterwards.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest
from pytestqt.qtbot import QtBot

from console.domain.alerts import Outcome
from console.fhir.alerts import RULE_SYSTEM, composition_text
from console.fhir.client import FhirClient
from console.services.alerts import AlertService
from console.services.console_alerts import ConsoleAlertRaiser
from console.state.alert_queue import AlertQueueModel
from tests.backend import RunningBackend, start_backend
from tests.console.alert_tasks import KARI, ME
from tests.fhir_builders import spo2


@pytest.fixture(scope="module", params=["normal", "plain-r4"])
def backend(
    tmp_path_factory: pytest.TempPathFactory, request: pytest.FixtureRequest
) -> Iterator[RunningBackend]:
    """The reference backend with its extensions, and as a plain R4 server (no rules, no
    `organization` on Task, UUID versionIds, `_offset` paging): the same tests on both."""
    running = start_backend(
        tmp_path_factory.mktemp("alert-backend"),
        seed_patients=12,
        history_days=1,
        extra_args=["--profile", request.param],
    )
    try:
        caps = httpx.get(f"{running.base_url}/metadata", timeout=10).json()
        task = next(r for r in caps["rest"][0]["resource"] if r["type"] == "Task")
        if not any(i["code"] == "update" for i in task.get("interaction", [])):
            pytest.skip("the backend does not support version-aware Task updates yet")
        yield running
    finally:
        running.stop()


def first_patient_with_spo2(base: str) -> tuple[str, str | None]:
    """A seeded patient whose plan measures SpO₂, and their department."""
    found = httpx.get(
        f"{base}/ServiceRequest", params={"code": "2708-6", "_count": "1"}, timeout=10
    ).json()
    pid = found["entry"][0]["resource"]["subject"]["reference"].split("/")[1]
    episodes = httpx.get(f"{base}/EpisodeOfCare", params={"patient": pid}, timeout=10).json()
    dep = episodes["entry"][0]["resource"].get("managingOrganization", {}).get("reference")
    return pid, dep.split("/")[1] if dep else None


def alert_task(pid: str, dep: str | None, n: int) -> dict[str, Any]:
    now = datetime.now(UTC).isoformat()
    task: dict[str, Any] = {
        "resourceType": "Task",
        "identifier": [{"system": "urn:test:race", "value": f"round-{n}"}],
        "status": "requested",
        "intent": "order",
        "priority": "asap",
        "code": {"coding": [{"system": RULE_SYSTEM, "code": "threshold-spo2"}]},
        "for": {"reference": f"Patient/{pid}"},
        "authoredOn": now,
        "lastModified": now,
        "description": f"Testrunde {n}",
    }
    if dep:
        task["restriction"] = {"recipient": [{"reference": f"Organization/{dep}"}]}
    return task


def test_two_consoles_claim_the_same_alert_exactly_one_wins(
    backend: RunningBackend, qtbot: QtBot, qloop: asyncio.AbstractEventLoop
) -> None:
    pid, dep = first_patient_with_spo2(backend.base_url)

    async def scenario() -> None:
        async with httpx.AsyncClient(timeout=10) as http:
            clients = [FhirClient(backend.base_url), FhirClient(backend.base_url)]
            models = [AlertQueueModel(), AlertQueueModel()]
            services = [
                AlertService(clients[0], models[0], ME, tick_ms=600_000),
                AlertService(clients[1], models[1], KARI, tick_ms=600_000),
            ]
            conflicts: list[list[str]] = [[], []]
            for i, service in enumerate(services):
                service.conflict.connect(lambda _p, m, i=i: conflicts[i].append(m))
                await service.load([dep] if dep else None)
            plain = (await clients[0].capabilities()).alert_side == "console"
            try:
                for n in range(20 if plain else 50):
                    created = (
                        await http.post(
                            f"{backend.base_url}/Task",
                            json=alert_task(pid, dep, n),
                            headers={"Content-Type": "application/fhir+json"},
                        )
                    ).json()
                    for service in services:
                        service.receive([created])
                        service.flush()
                    before = [len(c) for c in conflicts]
                    results = await asyncio.gather(services[0].claim(pid), services[1].claim(pid))
                    assert sorted(results) == [False, True], f"round {n}: {results}"
                    winner = results.index(True)
                    loser = 1 - winner
                    stored = (await http.get(f"{backend.base_url}/Task/{created['id']}")).json()
                    expected = (ME, KARI)[winner]
                    assert (
                        stored["owner"]["reference"] == f"Practitioner/{expected.practitioner_id}"
                    )
                    assert stored["status"] == "in-progress"
                    assert len(conflicts[loser]) == before[loser] + 1
                    assert conflicts[loser][-1].startswith(
                        f"Claimed by {expected.display_name} at "
                    )
                    assert len(conflicts[winner]) == before[winner]
                    # Close the round directly so the next round's card holds one alert.
                    stored["status"] = "completed"
                    done = await http.put(
                        f"{backend.base_url}/Task/{created['id']}",
                        json=stored,
                        headers={
                            "Content-Type": "application/fhir+json",
                            "If-Match": f'W/"{stored["meta"]["versionId"]}"',
                        },
                    )
                    assert done.status_code == 200, done.text
                    for service in services:
                        service.receive([done.json()])
                        service.flush()
            finally:
                for service in services:
                    await service.stop()
                for client in clients:
                    await client.aclose()

    qloop.run_until_complete(scenario())


@pytest.mark.slow
def test_red_spo2_becomes_an_alert_that_is_claimed_and_resolved(
    backend: RunningBackend, qtbot: QtBot, qloop: asyncio.AbstractEventLoop
) -> None:
    base = backend.base_url
    pid, dep = first_patient_with_spo2(base)

    async def scenario() -> None:
        client = FhirClient(base)
        model = AlertQueueModel()
        service = AlertService(client, model, ME, tick_ms=600_000)
        try:
            async with httpx.AsyncClient(timeout=10) as http:
                posted = await http.post(
                    f"{base}/Observation",
                    json=spo2(pid, 80),
                    headers={"Content-Type": "application/fhir+json"},
                )
                assert posted.status_code == 201, posted.text
                obs_id = posted.json()["id"]
                department = {"reference": f"Organization/{dep}"} if dep else None
                if (await client.capabilities()).alert_side == "console":
                    # No rules on the server: two consoles see the value and raise it; the
                    # conditional create keyed by the Observation stores one Task.
                    department = {"reference": f"Organization/{dep}"} if dep else None
                    raisers = [
                        ConsoleAlertRaiser(client, department_of=lambda _p: department)
                        for _ in range(2)
                    ]
                    written = await asyncio.gather(*(r.evaluate(posted.json()) for r in raisers))
                    assert all(len(w) == 1 for w in written)
                    assert written[0][0]["id"] == written[1][0]["id"]
                    for raiser in raisers:
                        await raiser.stop()
                    found = (
                        await http.get(f"{base}/Task", params={"focus": f"Observation/{obs_id}"})
                    ).json()
                    assert len(found.get("entry", [])) == 1
                for _ in range(50):
                    await service.load([dep] if dep else None)
                    card = model.card_for(pid)
                    if card and any(f"Observation/{obs_id}" in a.focus for a in card.alerts):
                        break
                    await asyncio.sleep(0.1)
                card = model.card_for(pid)
                assert card is not None, "no alert for the red SpO₂"
                assert any(a.rule.value == "threshold-spo2" for a in card.alerts)
                assert await service.claim(pid)
                result = await service.resolve(pid, Outcome.CONTACTED_PATIENT, "Ringte pasienten")
                assert result is not None and not result.pending
                assert model.card_for(pid) is None
                issue = (await http.get(f"{base}/DetectedIssue/{result.detected_issue_id}")).json()
                assert issue["patient"]["reference"] == f"Patient/{pid}"
                assert {"reference": f"Observation/{obs_id}"} in issue["implicated"]
                comp = (await http.get(f"{base}/Composition/{result.composition_id}")).json()
                assert "SpO₂ 80 %" in composition_text(comp)
                for tid in result.task_ids:
                    task = (await http.get(f"{base}/Task/{tid}")).json()
                    assert task["status"] == "completed"
                    assert task["businessStatus"]["coding"][0]["code"] == "contacted-patient"
                # The same value again just after: it joins the card the nurse has handled
                # instead of opening a new one, whichever side raises alerts (issue 11).
                again = await http.post(
                    f"{base}/Observation",
                    json=spo2(pid, 80),
                    headers={"Content-Type": "application/fhir+json"},
                )
                assert again.status_code == 201, again.text
                again_ref = f"Observation/{again.json()['id']}"
                if (await client.capabilities()).alert_side == "console":
                    raiser = ConsoleAlertRaiser(client, department_of=lambda _p: department)
                    await raiser.evaluate(again.json())
                    await raiser.stop()
                opened = (
                    await http.get(
                        f"{base}/Task",
                        params={
                            "patient": f"Patient/{pid}",
                            "code": f"{RULE_SYSTEM}|threshold-spo2",
                            "status": "draft,requested,in-progress,on-hold",
                        },
                    )
                ).json()
                assert not opened.get("entry"), "a new card for a repeat that is not worse"
                handled = [(await http.get(f"{base}/Task/{t}")).json() for t in result.task_ids]
                assert any(
                    i.get("valueReference", {}).get("reference") == again_ref
                    for t in handled
                    if t["status"] == "completed"
                    for i in t.get("input", ())
                )
        finally:
            await service.stop()
            await client.aclose()

    qloop.run_until_complete(scenario())


def test_an_implausible_value_is_suggested_as_a_measurement_error(
    backend: RunningBackend, qtbot: QtBot, qloop: asyncio.AbstractEventLoop
) -> None:
    """The server marks the value suspect (implausible) and shows it at once (past a critical
    limit); the card says so, the resolve dialog explains it and offers a new measurement, but
    pre-selects nothing: a nurse must choose "measurement error" herself."""
    from console.ui.alert_queue import AlertQueueView
    from console.ui.resolve_dialog import ResolveDialog
    from widgets.alert_sound import NullSoundPlayer

    base = backend.base_url
    found = httpx.get(
        f"{base}/ServiceRequest", params={"code": "2708-6", "_count": "3"}, timeout=10
    ).json()
    pid = found["entry"][-1]["resource"]["subject"]["reference"].split("/")[1]
    posted = httpx.post(
        f"{base}/Observation",
        json=spo2(pid, 45),  # below anything a pulse oximeter on a living patient shows
        headers={"Content-Type": "application/fhir+json"},
        timeout=10,
    )
    assert posted.status_code == 201, posted.text
    obs = f"Observation/{posted.json()['id']}"
    client = FhirClient(base)
    if qloop.run_until_complete(client.capabilities()).alert_side == "console":
        raiser = ConsoleAlertRaiser(client)  # no rules on the server: the console raises it
        qloop.run_until_complete(raiser.evaluate(posted.json()))
        qloop.run_until_complete(raiser.stop())
    model = AlertQueueModel()
    service = AlertService(client, model, ME, tick_ms=600_000)
    view = AlertQueueView(model, sound=NullSoundPlayer(), tick_ms=600_000)
    view.bind(service)
    qtbot.addWidget(view)

    async def load() -> None:
        for _ in range(50):
            await service.load(None)
            card = model.card_for(pid)
            if card and any(obs in a.focus for a in card.alerts):
                return
            await asyncio.sleep(0.1)

    qloop.run_until_complete(load())
    assert not service.suspect_known(pid)
    view.select_patient(pid)  # focus: the background check starts

    async def checked() -> None:
        for _ in range(100):
            if service.suspect_known(pid):
                return
            await asyncio.sleep(0.1)

    qloop.run_until_complete(checked())
    assert service.suspect_known(pid)
    card = model.card_for(pid)
    assert card is not None and card.suspect
    row = model.row_of(pid)
    assert row is not None
    assert "measurement error" in model.accessible_text(row)
    view.resolve_current()
    assert isinstance(view.dialog, ResolveDialog)
    assert view.dialog.outcome() is None
    assert not view.dialog.resolve_button.isEnabled()
    assert view.dialog.remeasure_button.isVisibleTo(view.dialog)
    assert next(iter(view.dialog.buttons)) is Outcome.CONTACTED_PATIENT  # not confirmed yet
    view.dialog.reject()
    view.stop()
    qloop.run_until_complete(service.stop())
    qloop.run_until_complete(client.aclose())
