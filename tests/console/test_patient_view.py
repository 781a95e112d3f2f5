"""PatientView and ThresholdEditor against recorded FHIR (httpx.MockTransport), and the models."""

from __future__ import annotations

import asyncio
import json
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import parse_qsl

import httpx
from PySide6.QtCore import Qt
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from console.domain.model import Measurement, MeasurementKind
from console.domain.news2 import News2Parameter
from console.domain.series import build_series
from console.fhir.client import FhirClient
from console.services.patient import PatientService
from console.state.patient_detail import (
    AlertListModel,
    MeasurementTableModel,
    PatientDetailStore,
    QuestionnaireModel,
)
from console.ui.patient_view import PatientView
from console.ui.threshold_editor import ThresholdEditor

NOW = datetime(2026, 11, 22, 12, 0, tzinfo=UTC)
PID = "p1"
DHO = "http://dho.example/fhir"
SR_ID = "sr-spo2"
ANSWER_URL = f"{DHO}/StructureDefinition/alert-answer"


def iso(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def quantity(value: float, unit: str) -> dict[str, Any]:
    return {"value": value, "unit": unit, "system": "http://unitsofmeasure.org", "code": unit}


def spo2_obs(i: int, value: float, when: datetime) -> dict[str, Any]:
    return {
        "resourceType": "Observation",
        "id": f"o{i}",
        "status": "final",
        "code": {"coding": [{"system": "http://loinc.org", "code": "2708-6"}]},
        "subject": {"reference": f"Patient/{PID}"},
        "effectiveDateTime": iso(when),
        "valueQuantity": quantity(value, "%"),
    }


def service_request(version: str, yellow_low: float, red_low: float) -> dict[str, Any]:
    def band(level: str, low: float) -> dict[str, Any]:
        return {
            "url": f"{DHO}/StructureDefinition/alert-thresholds",
            "extension": [
                {"url": "level", "valueCode": level},
                {"url": "low", "valueQuantity": quantity(low, "%")},
            ],
        }

    return {
        "resourceType": "ServiceRequest",
        "id": SR_ID,
        "meta": {"versionId": version, "lastUpdated": "2026-11-22T11:58:00Z"},
        "status": "active",
        "intent": "order",
        "subject": {"reference": f"Patient/{PID}"},
        "authoredOn": "2026-01-01T00:00:00Z",
        "requester": {"display": "Kari Sykepleier"},
        "code": {"coding": [{"system": "http://loinc.org", "code": "59408-5"}]},
        "occurrenceTiming": {
            "repeat": {
                "frequency": 2,
                "period": 1,
                "periodUnit": "d",
                "timeOfDay": ["08:00:00", "20:00:00"],
            },
            "code": {"text": "2 ganger daglig kl. 08:00, 20:00"},
        },
        "extension": [
            band("red", red_low),
            band("yellow", yellow_low),
            {"url": f"{DHO}/StructureDefinition/missing-measurement-grace", "extension": []},
        ],
    }


def bundle(resources: list[dict[str, Any]], next_url: str | None = None) -> dict[str, Any]:
    links = [{"relation": "next", "url": next_url}] if next_url else []
    return {
        "resourceType": "Bundle",
        "type": "searchset",
        "total": len(resources),
        "link": links,
        "entry": [{"resource": r, "search": {"mode": "match"}} for r in resources],
    }


class FakeServer:
    """Recorded answers of the reference backend for one COPD patient."""

    def __init__(self, *, news2: bool = False) -> None:
        self.requests: list[httpx.Request] = []
        self.news2 = news2
        self.sr = service_request("3", 94, 90)
        # 60 days, twice a day (no 20:00 on the last 3 days: a gap), newest first when asked.
        self.observations = []
        i = 0
        for day in range(60):
            for hour in (8, 20):
                when = NOW.replace(hour=hour) - timedelta(days=60 - day)
                if day >= 57 and hour == 20:
                    continue
                value = 96 - (4 if day % 10 == 0 else 0) - (7 if day == 55 else 0)
                self.observations.append(spo2_obs(i, value, when))
                i += 1
        self.conflict_next_put = False

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        path = request.url.path.removeprefix("/fhir/")
        query = dict(parse_qsl(request.url.query.decode()))
        if path == "metadata":
            resources = [
                {
                    "type": t,
                    "searchParam": [
                        {"name": n}
                        for n in "authored-on authored patient subject status date code".split()
                    ],
                }
                for t in (
                    "Patient",
                    "Observation",
                    "ServiceRequest",
                    "Task",
                    "QuestionnaireResponse",
                    "RelatedPerson",
                    "EpisodeOfCare",
                )
            ]
            ops = (
                [{"name": "news2", "definition": f"{DHO}/OperationDefinition/news2"}]
                if self.news2
                else []
            )
            return self.json(
                {
                    "resourceType": "CapabilityStatement",
                    "rest": [{"mode": "server", "resource": resources, "operation": ops}],
                }
            )
        if path == f"Patient/{PID}":
            return self.json(
                {
                    "resourceType": "Patient",
                    "id": PID,
                    "meta": {"versionId": "1"},
                    "name": [{"given": ["Åse"], "family": "Ødegård"}],
                    "birthDate": "1944-02-03",
                    "identifier": [
                        {"system": "urn:oid:2.16.578.1.12.4.1.4.1", "value": "03824412345"}
                    ],
                    "generalPractitioner": [{"display": "Fastlege Per Lege"}],
                }
            )
        if path == f"Patient/{PID}/$news2":
            return self.json(
                {
                    "resourceType": "Parameters",
                    "parameter": [
                        {"name": "score", "valueInteger": 5},
                        {"name": "partial", "valueBoolean": True},
                        {"name": "missing", "valueCode": "respiration-rate"},
                    ],
                }
            )
        if path == "EpisodeOfCare":
            return self.json(
                bundle(
                    [
                        {
                            "resourceType": "EpisodeOfCare",
                            "id": "eoc1",
                            "status": "active",
                            "patient": {"reference": f"Patient/{PID}"},
                            "managingOrganization": {
                                "reference": "Organization/dep",
                                "display": "Hjemmesykepleien Sandnes",
                            },
                            "careManager": {
                                "reference": "Practitioner/n1",
                                "display": "Nina Sykepleier",
                            },
                            "type": [
                                {
                                    "coding": [
                                        {
                                            "system": f"{DHO}/CodeSystem/programme",
                                            "code": "copd",
                                            "display": "KOLS",
                                        }
                                    ]
                                }
                            ],
                        }
                    ]
                )
            )
        if path == "Organization/dep":
            return self.json(
                {"resourceType": "Organization", "id": "dep", "name": "Hjemmesykepleien Sandnes"}
            )
        if path == "RelatedPerson":
            return self.json(
                bundle(
                    [
                        {
                            "resourceType": "RelatedPerson",
                            "id": "rp1",
                            "patient": {"reference": f"Patient/{PID}"},
                            "name": [{"given": ["Ola"], "family": "Ødegård"}],
                            "relationship": [{"text": "sønn"}],
                        }
                    ]
                )
            )
        if path == "ServiceRequest":
            return self.json(bundle([self.sr]))
        if path == f"ServiceRequest/{SR_ID}" and request.method == "GET":
            return self.json(self.sr)
        if path == f"ServiceRequest/{SR_ID}" and request.method == "PUT":
            if self.conflict_next_put:
                # A colleague saves first.
                self.conflict_next_put = False
                self.sr = service_request("4", 92, 88)
                self.sr["meta"]["lastUpdated"] = "2026-11-22T11:59:30Z"
                self.sr["requester"] = {"display": "Lise Leder"}
            expected = f'W/"{self.sr["meta"]["versionId"]}"'
            if request.headers.get("If-Match") != expected:
                return httpx.Response(
                    412,
                    json={
                        "resourceType": "OperationOutcome",
                        "issue": [
                            {
                                "severity": "error",
                                "code": "conflict",
                                "diagnostics": "version conflict",
                            }
                        ],
                    },
                )
            body = json.loads(request.content)
            body["meta"] = {
                "versionId": str(int(self.sr["meta"]["versionId"]) + 1),
                "lastUpdated": iso(NOW),
            }
            self.sr = body
            return self.json(body)
        if path == "Task":
            return self.json(
                bundle(
                    [
                        {
                            "resourceType": "Task",
                            "id": "t1",
                            "status": "requested",
                            "intent": "order",
                            "priority": "asap",
                            "authoredOn": iso(NOW - timedelta(days=5, hours=4)),
                            "code": {
                                "coding": [
                                    {
                                        "system": f"{DHO}/CodeSystem/alert-rule",
                                        "code": "threshold-spo2",
                                        "display": "Oksygenmetning utenfor grense",
                                    }
                                ]
                            },
                            "for": {"reference": f"Patient/{PID}"},
                        },
                        {
                            "resourceType": "Task",
                            "id": "t2",
                            "status": "completed",
                            "intent": "order",
                            "priority": "urgent",
                            "authoredOn": iso(NOW - timedelta(days=1)),
                            "code": {
                                "coding": [
                                    {
                                        "system": f"{DHO}/CodeSystem/alert-rule",
                                        "code": "missing-measurement",
                                    }
                                ]
                            },
                            "focus": {"reference": f"ServiceRequest/{SR_ID}"},
                            "for": {"reference": f"Patient/{PID}"},
                        },
                    ]
                )
            )
        if path == "QuestionnaireResponse":
            return self.json(
                bundle(
                    [
                        {
                            "resourceType": "QuestionnaireResponse",
                            "id": "q1",
                            "status": "completed",
                            "questionnaire": "http://dho.example/fhir/Questionnaire/kols-dagsform",
                            "authored": iso(NOW - timedelta(days=2)),
                            "subject": {"reference": f"Patient/{PID}"},
                            "item": [
                                {
                                    "linkId": "1",
                                    "text": "Mer tung pust enn vanlig?",
                                    "answer": [
                                        {
                                            "valueBoolean": True,
                                            "extension": [
                                                {
                                                    "url": ANSWER_URL,
                                                    "valueCode": "yellow",
                                                }
                                            ],
                                        }
                                    ],
                                },
                                {
                                    "linkId": "2",
                                    "text": "Farge på slim",
                                    "answer": [
                                        {"valueCoding": {"code": "clear", "display": "Klart"}}
                                    ],
                                },
                            ],
                        }
                    ]
                )
            )
        if path == "Observation":
            start = query["date"] if "date" in query else ""
            assert query.get("_sort") == "-date"
            count = int(query.get("_count", "50"))
            offset = int(query.get("_offset", "0"))
            del start
            params = request.url.params
            lo = hi = None
            for value in params.get_list("date"):
                if value.startswith("ge"):
                    lo = value[2:]
                if value.startswith("lt"):
                    hi = value[2:]
            matches = [
                o
                for o in sorted(
                    self.observations, key=lambda o: o["effectiveDateTime"], reverse=True
                )
                if (lo is None or o["effectiveDateTime"] >= lo)
                and (hi is None or o["effectiveDateTime"] < hi)
            ]
            page = matches[offset : offset + count]
            next_url = None
            if offset + count < len(matches):
                next_url = str(request.url.copy_merge_params({"_offset": str(offset + count)}))
            return self.json(bundle(page, next_url))
        return httpx.Response(404, json={"resourceType": "OperationOutcome", "issue": []})

    @staticmethod
    def json(body: dict[str, Any]) -> httpx.Response:
        return httpx.Response(200, json=body, headers={"Content-Type": "application/fhir+json"})


def make_view(
    qtbot: QtBot, server: FakeServer, *, can_edit: bool = True
) -> tuple[PatientView, FhirClient]:
    client = FhirClient(
        "http://127.0.0.1:9/fhir", http=httpx.AsyncClient(transport=httpx.MockTransport(server))
    )
    service = PatientService(client, now=lambda: NOW, page_size=25)
    view = PatientView(service, PID, can_edit=can_edit, now=lambda: NOW)
    qtbot.addWidget(view)
    view.resize(1600, 1000)
    return view, client


def run(loop: asyncio.AbstractEventLoop, coro: Any) -> Any:
    return loop.run_until_complete(coro)


def test_loads_header_plots_alerts_answers_and_partial_news2(
    qtbot: QtBot, qloop: asyncio.AbstractEventLoop
) -> None:
    server = FakeServer()
    view, client = make_view(qtbot, server)
    data = run(qloop, view.load(days=30))
    assert view.name_label.text() == "Åse Ødegård"
    assert "038244 *****" in view.fnr_label.text()
    assert "03824412345" not in view.fnr_label.text()
    assert "Nina Sykepleier" in view.details_label.text()
    assert "Hjemmesykepleien Sandnes" in view.details_label.text()
    assert "Fastlege Per Lege" in view.people_label.text()
    assert "Ola Ødegård (sønn)" in view.people_label.text()
    # One plot per plan item, with the patient's own bands (not the COPD template).
    assert list(view.panels) == [MeasurementKind.SPO2]
    panel = view.panels[MeasurementKind.SPO2]
    assert not panel.limits.is_default
    assert panel.limits.thresholds is not None and panel.limits.thresholds.yellow.low == 94
    assert [b.label for b in panel.plot._bands] == ["Red < 90", "Yellow < 94"]
    # 30 days loaded in pages of 25: 56 measurements (3 evenings missing).
    assert len(data.series[MeasurementKind.SPO2]) == 56
    observation_gets = [r for r in server.requests if r.url.path.endswith("/Observation")]
    assert len(observation_gets) == 3
    assert all(r.url.params.get("_count") == "25" for r in observation_gets[:1])
    # Missing evening measurements are shaded as gaps.
    assert panel.plot._gap_starts.size >= 1
    # Alerts: on the timeline (both concern SpO2) and in the list.
    assert len(panel.plot._marks) == 2
    assert view.alert_model.rowCount() == 2
    # Questionnaire: the flagged answer is shown.
    flagged = view.questionnaire_model.index(0, 2).data()
    assert "Mer tung pust" in flagged and "Farge" not in flagged
    # No $news2 on this server: computed here, partial, with the missing parameters named.
    assert data.news2.source == "console"
    assert data.news2.partial
    assert News2Parameter.RESPIRATION_RATE in data.news2.missing
    assert "(partial)" in view.news2_label.text()
    assert "respiration rate" in view.news2_label.text()
    run(qloop, view.aclose())
    run(qloop, client.aclose())


def test_news2_from_the_server_when_supported(
    qtbot: QtBot, qloop: asyncio.AbstractEventLoop
) -> None:
    server = FakeServer(news2=True)
    view, client = make_view(qtbot, server)
    data = run(qloop, view.load())
    assert data.news2.source == "server"
    assert data.news2.score == 5
    assert data.news2.missing == (News2Parameter.RESPIRATION_RATE,)
    assert "NEWS2: 5 (partial)" in view.news2_label.text()
    run(qloop, client.aclose())


def test_history_table_toggle_reveal_and_live(
    qtbot: QtBot, qloop: asyncio.AbstractEventLoop
) -> None:
    server = FakeServer()
    view, client = make_view(qtbot, server)
    run(qloop, view.load(days=30))
    task = view.start_history()
    assert task is not None
    run(qloop, task)
    assert len(view.store.series[MeasurementKind.SPO2]) == len(server.observations)
    panel = view.panels[MeasurementKind.SPO2]
    assert panel.table_button.accessibleName()
    qtbot.mouseClick(panel.table_button, Qt.MouseButton.LeftButton)
    assert panel.stack.currentWidget() is panel.table
    assert panel.model.rowCount() == len(server.observations)
    # Reveal: one more read of the Patient, which the server audits.
    reads_before = sum(1 for r in server.requests if r.url.path.endswith(f"/Patient/{PID}"))
    run(qloop, view.reveal_fodselsnummer())
    reads_after = sum(1 for r in server.requests if r.url.path.endswith(f"/Patient/{PID}"))
    assert reads_after == reads_before + 1
    assert "03824412345" in view.fnr_label.text()
    # Live: a batch for this patient (and one for another) arrives; one repaint per batch.
    live = [
        Measurement(PID, MeasurementKind.SPO2, 88, NOW + timedelta(minutes=1)),
        Measurement("other", MeasurementKind.SPO2, 80, NOW),
    ]
    with qtbot.waitSignal(view.store.series_changed, timeout=1000) as blocker:
        view.apply_observations(live)
    assert blocker.args == [[MeasurementKind.SPO2]]
    assert view.store.series[MeasurementKind.SPO2].values[-1] == 88
    assert panel.model.rowCount() == len(server.observations) + 1
    run(qloop, view.aclose())
    run(qloop, client.aclose())


def open_editor(
    qtbot: QtBot, qloop: asyncio.AbstractEventLoop, server: FakeServer, *, can_edit: bool = True
) -> tuple[PatientView, ThresholdEditor, FhirClient]:
    view, client = make_view(qtbot, server, can_edit=can_edit)
    run(qloop, view.load(days=30))
    editor = view.open_editor(MeasurementKind.SPO2)
    assert editor is not None
    return view, editor, client


def test_editor_rejects_invalid_input_inline_and_keeps_the_text(
    qtbot: QtBot, qloop: asyncio.AbstractEventLoop
) -> None:
    view, editor, client = open_editor(qtbot, qloop, FakeServer())
    editor.fields["yellow_low"].setText("9x")
    editor.update_what_if()
    assert editor.errors["yellow_low"].text() == "Not a number"
    assert editor.fields["yellow_low"].text() == "9x"
    assert not editor.save_button.isEnabled()
    editor.fields["yellow_low"].setText("140")
    editor.update_what_if()
    assert "Outside" in editor.errors["yellow_low"].text()
    # Red band inside the yellow band.
    editor.fields["yellow_low"].setText("90")
    editor.fields["red_low"].setText("92")
    editor.update_what_if()
    assert "Red low must be below yellow low" in editor.band_error.text()
    assert editor.fields["red_low"].text() == "92"
    editor.times_edit.setText("08:00, 25:00")
    editor.update_what_if()
    assert "25:00" in editor.times_error.text()
    editor.done(0)
    run(qloop, view.aclose())
    run(qloop, client.aclose())


def test_editor_what_if_counts_live(qtbot: QtBot, qloop: asyncio.AbstractEventLoop) -> None:
    view, editor, client = open_editor(qtbot, qloop, FakeServer())
    text = editor.what_if_label.text()
    # In the last 30 days: 92 % on days 30, 40, 50 (yellow episodes) and 89 % on day 55 (red).
    assert "current limits 3 yellow and 1 red" in text
    assert "proposed 3 yellow and 1 red" in text
    editor.fields["yellow_low"].setText("92")
    editor.fields["red_low"].setText("86")
    editor.fields["red_low"].textEdited.emit("86")
    qtbot.waitUntil(
        lambda: "proposed 1 yellow and 0 red" in editor.what_if_label.text(), timeout=1000
    )
    editor.done(0)
    run(qloop, view.aclose())
    run(qloop, client.aclose())


def test_editor_saves_with_if_match(qtbot: QtBot, qloop: asyncio.AbstractEventLoop) -> None:
    server = FakeServer()
    view, editor, client = open_editor(qtbot, qloop, server)
    editor.fields["yellow_low"].setText("92")
    editor.times_edit.setText("07:30, 19:30")
    parsed = editor.update_what_if()
    assert parsed.thresholds is not None
    saved = run(qloop, editor.save(parsed.thresholds, parsed.schedule))
    assert saved is not None
    put = [r for r in server.requests if r.method == "PUT"]
    assert len(put) == 1 and put[0].headers["If-Match"] == 'W/"3"'
    body = json.loads(put[0].content)
    assert body["occurrenceTiming"]["repeat"]["timeOfDay"] == ["07:30:00", "19:30:00"]
    assert "code" not in body["occurrenceTiming"]
    urls = [e["url"] for e in body["extension"]]
    assert urls.count(f"{DHO}/StructureDefinition/alert-thresholds") == 2
    assert f"{DHO}/StructureDefinition/missing-measurement-grace" in urls
    assert view.plan[MeasurementKind.SPO2].version == "4"
    assert view.panels[MeasurementKind.SPO2].limits.thresholds.yellow.low == 92  # type: ignore[union-attr]
    run(qloop, view.aclose())
    run(qloop, client.aclose())


def test_editor_conflict_shows_the_winner_and_keeps_the_edit(
    qtbot: QtBot, qloop: asyncio.AbstractEventLoop
) -> None:
    server = FakeServer()
    view, editor, client = open_editor(qtbot, qloop, server)
    server.conflict_next_put = True
    editor.fields["yellow_low"].setText("93")
    parsed = editor.update_what_if()
    assert parsed.thresholds is not None
    result = run(qloop, editor.save(parsed.thresholds, parsed.schedule))
    assert result is None
    status = editor.status.text()
    assert "Lise Leder" in status
    assert editor.fields["yellow_low"].text() == "93"  # the user's edit is kept
    assert editor.item.version == "4"  # rebased on the winner: a second save is not stale
    assert [r.method for r in server.requests if r.url.path.endswith(SR_ID)] == ["PUT", "GET"]
    saved = run(qloop, editor.save(parsed.thresholds, parsed.schedule))
    assert saved is not None and saved.version == "5"
    run(qloop, view.aclose())
    run(qloop, client.aclose())


def test_editor_read_only_without_the_role(qtbot: QtBot, qloop: asyncio.AbstractEventLoop) -> None:
    view, editor, client = open_editor(qtbot, qloop, FakeServer(), can_edit=False)
    assert editor.fields["yellow_low"].isReadOnly()
    assert not editor.save_button.isEnabled()
    editor.done(0)
    run(qloop, view.aclose())
    run(qloop, client.aclose())


def test_models(qtmodeltester: ModelTester) -> None:
    t0 = NOW - timedelta(hours=5)
    series = build_series(
        [
            Measurement(
                PID,
                MeasurementKind.BLOOD_PRESSURE,
                120 + i * 20,
                t0 + timedelta(hours=i),
                value2=80,
            )
            for i in range(5)
        ]
    )[MeasurementKind.BLOOD_PRESSURE]
    from console.domain.series import default_limits

    model = MeasurementTableModel(MeasurementKind.BLOOD_PRESSURE)
    model.set_series(series, default_limits(MeasurementKind.BLOOD_PRESSURE, None))
    qtmodeltester.check(model, force_py=True)
    assert model.index(0, 1).data() == "200/80"  # newest first
    assert model.index(0, 2).data() == "Red"
    model.sort(0, Qt.SortOrder.AscendingOrder)
    assert model.index(0, 1).data() == "120/80"
    model.sort(1, Qt.SortOrder.DescendingOrder)
    assert model.index(0, 1).data() == "200/80"
    qtmodeltester.check(model, force_py=True)
    qtmodeltester.check(QuestionnaireModel(), force_py=True)
    qtmodeltester.check(AlertListModel(), force_py=True)


def test_store_batches_live_updates(qtbot: QtBot) -> None:
    store = PatientDetailStore(PID, interval_ms=20)
    calls: list[list[MeasurementKind]] = []
    store.series_changed.connect(calls.append)
    store.apply(
        [
            Measurement(PID, MeasurementKind.PULSE, 70 + i, NOW + timedelta(minutes=i))
            for i in range(50)
        ]
    )
    store.apply([Measurement(PID, MeasurementKind.SPO2, 95, NOW)])
    qtbot.waitUntil(lambda: bool(calls), timeout=1000)
    assert calls == [[MeasurementKind.PULSE, MeasurementKind.SPO2]]
    assert len(store.series[MeasurementKind.PULSE]) == 50


def test_view_takes_its_plots_ready_built_from_the_pool(
    qtbot: QtBot, qloop: asyncio.AbstractEventLoop
) -> None:
    from widgets.trend_plot import PlotPool

    pool = PlotPool(interval_ms=1)
    pool.fill(2)
    qtbot.waitUntil(lambda: len(pool) == 2)
    ready = list(pool._ready)
    server = FakeServer()
    client = FhirClient(
        "http://127.0.0.1:9/fhir", http=httpx.AsyncClient(transport=httpx.MockTransport(server))
    )
    service = PatientService(client, now=lambda: NOW, page_size=25)
    view = PatientView(service, PID, now=lambda: NOW, plots=pool)
    qtbot.addWidget(view)
    run(qloop, view.load(days=30))
    plot = view.panels[MeasurementKind.SPO2].plot
    assert plot in ready and plot.parent() is not None
    assert plot.accessibleName()  # set up as a panel's own plot
    assert len(plot.curves()[0].getOriginalDataset()[0]) == 56
    pool.clear()
    run(qloop, view.aclose())
    run(qloop, client.aclose())
