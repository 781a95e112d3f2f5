"""Shift handover: open alerts and the shift's deviations, exported as a PDF with a text layer."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from PySide6.QtCore import QTime
from pytestqt.qtbot import QtBot

from console.domain.alerts import Alert
from console.fhir.alerts import alert_from_fhir, claim_task
from console.state.alert_queue import AlertQueueModel
from console.ui.handover import HandoverView
from tests.console.alert_tasks import KARI, task

# Midday in UTC and in Oslo alike: the shift started at 08:00 local time.
NOW = datetime(2026, 11, 22, 12, 30, tzinfo=UTC)


def mapped(resource: dict[str, object]) -> Alert:
    alert = alert_from_fhir(resource)
    assert alert is not None
    return alert


def pdf_text(path: Path) -> str:
    """Text of a PDF via QtPdf (pdftotext may not be installed)."""
    from PySide6.QtPdf import QPdfDocument

    document = QPdfDocument()
    assert document.load(str(path)) == QPdfDocument.Error.None_
    text = "\n".join(document.getAllText(page).text() for page in range(document.pageCount()))
    document.close()
    return text


def test_handover_lists_open_alerts_and_deviations_and_exports_pdf(
    qtbot: QtBot, tmp_path: Path
) -> None:
    model = AlertQueueModel(now=lambda: NOW)
    model.reset(
        [
            mapped(task("t1", "p1", minutes_ago=20, name="Nordmann, Kari", now=NOW)),
            mapped(
                claim_task(
                    task("t2", "p2", priority="urgent", minutes_ago=50, name="Ås, Ola", now=NOW),
                    KARI,
                    NOW - timedelta(minutes=40),
                )
            ),
        ]
    )
    view = HandoverView(model, now=lambda: NOW, author="Ola Sykepleier")
    qtbot.addWidget(view)
    assert view.start.time() == QTime(8, 0)
    closed = mapped(
        task("t3", "p3", status="completed", minutes_ago=120, name="Øvrebø, Åse", now=NOW)
    )
    earlier = mapped(task("t4", "p4", minutes_ago=600, name="Gammel, Per", now=NOW))
    view.set_shift_alerts([closed, earlier])
    text = view.preview.toPlainText()
    assert "Open and claimed alerts (2)" in text
    assert "Claimed by Kari Nordmann" in text
    assert "Patients with new deviations this shift (3)" in text  # p1, p2 and closed p3
    assert "Øvrebø, Åse" in text and "Gammel, Per" not in text

    path = tmp_path / "overlevering"
    view.export_to(str(path))
    pdf = tmp_path / "overlevering.pdf"
    assert pdf.exists() and pdf.stat().st_size > 1000
    # QtPdf returns the text layer in positioned runs; compare without whitespace.
    content = "".join(pdf_text(pdf).split())
    for name in ("Nordmann, Kari", "Ås, Ola", "Øvrebø, Åse"):
        assert "".join(name.split()) in content


def test_export_goes_through_a_non_modal_file_dialog(qtbot: QtBot, tmp_path: Path) -> None:
    model = AlertQueueModel(now=lambda: NOW)
    model.reset([mapped(task("t1", "p1", name="Nordmann, Kari", now=NOW))])
    view = HandoverView(model, now=lambda: NOW)
    qtbot.addWidget(view)
    view.choose_export_file()
    dialog = view.file_dialog
    assert dialog is not None and dialog.isVisible()
    with qtbot.waitSignal(view.exported) as exported:
        dialog.fileSelected.emit(str(tmp_path / "skift.pdf"))
    assert exported.args == [str(tmp_path / "skift.pdf")]
    dialog.reject()
    assert (tmp_path / "skift.pdf").exists()
