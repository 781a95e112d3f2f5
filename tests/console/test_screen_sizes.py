"""The console fits the screens municipalities have: 1366×768 laptops and 1920×1080 at 150 %
(1280×720 logical). The main views are rendered at those sizes and their minimum sizes and
what stays readable are checked."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest
from pytestqt.qtbot import QtBot

from console.domain.model import MeasurementKind
from console.fhir.alerts import alert_from_fhir
from console.state.alert_queue import AlertQueueModel
from console.state.patient_list import Column, PatientListModel
from console.ui.alert_queue import AlertQueueView
from console.ui.handover import HandoverView
from console.ui.main_window import MainWindow
from tests.console.alert_tasks import task
from tests.console.factories import NOW, ORGS, measurement, summary
from tests.console.test_patient_view import FakeServer, make_view, run

#: 1920×1080 at 150 % scaling: the smallest screen the console is made for.
SMALLEST = (1280, 720)
ESSENTIAL = (Column.TRIAGE, Column.NAME, Column.BLOOD_PRESSURE, Column.PULSE, Column.SPO2)


def _window(qtbot: QtBot) -> tuple[MainWindow, PatientListModel, AlertQueueModel]:
    model = PatientListModel(now=lambda: NOW)
    rows = []
    for i in range(40):
        s = summary(f"p{i}", "Alfhild Kristine", f"Tjessem-Kristiansen {i}", spo2=88, pulse=166)
        s.apply(measurement(f"p{i}", MeasurementKind.BLOOD_PRESSURE, 188, 23 * 60))
        rows.append(s)
    model.reset(ORGS, rows)
    window = MainWindow(model, now=lambda: NOW)
    qtbot.addWidget(window)
    window.set_user("Synne Lund · sykepleier · Felles responssenter Sør-Rogaland og omegn")
    alerts = AlertQueueModel(now=lambda: NOW)
    tasks = [task(f"t{i}", f"p{i}", name=f"Tjessem-Kristiansen {i}", now=NOW) for i in range(8)]
    alerts.reset([a for a in map(alert_from_fhir, tasks) if a is not None])
    view = AlertQueueView(alerts, now=lambda: NOW, tick_ms=60_000)
    window.set_alert_view(view)
    return window, model, alerts


@pytest.mark.parametrize("size", [(1366, 768), SMALLEST])
def test_main_window_fits_and_keeps_the_essential_columns_whole(
    qtbot: QtBot, size: tuple[int, int]
) -> None:
    window, _model, alerts = _window(qtbot)
    hint = window.minimumSizeHint()
    assert hint.width() <= SMALLEST[0] and hint.height() <= SMALLEST[1], hint
    window.resize(*size)
    window.show()
    qtbot.waitExposed(window)
    assert (window.width(), window.height()) == size  # nothing holds it wider
    table = window.table
    viewport = table.viewport().width()
    header = table.horizontalHeader()
    for column in ESSENTIAL:
        assert not table.isColumnHidden(column)
        right = header.sectionViewportPosition(column) + header.sectionSize(column)
        assert right <= viewport, f"{column.name} is cut at {size}"
    # A cell's text fits its column: "188/110 · 23 h" with its icon is not elided.
    metrics = table.fontMetrics()
    for column in (Column.BLOOD_PRESSURE, Column.PULSE):
        text = str(table.model().index(0, column).data())
        assert metrics.horizontalAdvance(text) + 16 + 12 <= header.sectionSize(column), text
    # Narrow windows hide department and programme; View > Columns brings them back.
    assert table.isColumnHidden(Column.DEPARTMENT)
    window.column_actions[Column.DEPARTMENT].setChecked(True)
    assert not table.isColumnHidden(Column.DEPARTMENT)
    # The alert cards keep their place and their full text in the tooltip.
    assert window.alert_pane.width() >= 330
    assert alerts.rowCount() == 8
    window.close()


def test_patient_view_and_handover_fit_beside_the_queue(
    qtbot: QtBot, qloop: asyncio.AbstractEventLoop
) -> None:
    window, _model, alerts = _window(qtbot)
    view, client = make_view(qtbot, FakeServer())
    run(qloop, view.load(days=30))
    window.open_tab("patient/p", view, "Ødegård, Åse")
    handover = HandoverView(alerts, now=lambda: NOW + timedelta(minutes=5))
    window.open_tab("handover", handover, "Vaktoverlevering")
    for widget in (view, handover):
        hint = widget.minimumSizeHint()
        assert hint.width() <= SMALLEST[0] - 380, (type(widget).__name__, hint)
    window.resize(*SMALLEST)
    window.show()
    qtbot.waitExposed(window)
    window.tabs.setCurrentWidget(view)
    assert (window.width(), window.height()) == SMALLEST
    panel = view.panels[MeasurementKind.SPO2]
    assert panel.plot.width() >= 400  # a trend a nurse can read
    assert panel.latest.toolTip() == panel.latest.text()  # elided text stays reachable
    window.close()
    run(qloop, view.aclose())
    run(qloop, client.aclose())
