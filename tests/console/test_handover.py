"""Shift handover: open alerts and the shift's deviations, exported as a PDF with a text layer."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import QTime
from pytestqt.qtbot import QtBot

from console.domain.alerts import Alert, Outcome
from console.domain.handover import HandoverSection
from console.fhir.alerts import alert_from_fhir, claim_task, resolve_task
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
    assert "Alerts resolved this shift (1)" in text  # t3, completed 120 minutes ago

    path = tmp_path / "overlevering"
    view.export_to(str(path))
    pdf = tmp_path / "overlevering.pdf"
    assert pdf.exists() and pdf.stat().st_size > 1000
    # QtPdf returns the text layer in positioned runs; compare without whitespace.
    content = "".join(pdf_text(pdf).split())
    for name in ("Nordmann, Kari", "Ås, Ola", "Øvrebø, Åse"):
        assert "".join(name.split()) in content
    # "Sykepleier" reaches from ascender to descender, so its box is the font's height.
    assert body_text_height(pdf, "Sykepleier") >= 9.0  # points; the old export made ~5 pt


def body_text_height(path: Path, word: str) -> float:
    """Height in points of the first `word` on page 1 (about the font size)."""
    from PySide6.QtPdf import QPdfDocument

    document = QPdfDocument()
    assert document.load(str(path)) == QPdfDocument.Error.None_
    text = document.getAllText(0).text()
    at = text.find(word)
    assert at >= 0
    height = document.getSelectionAtIndex(0, at, len(word)).boundingRectangle().height()
    document.close()
    return height


def test_resolved_alerts_of_the_shift_are_listed_with_outcome_and_who(
    qtbot: QtBot, tmp_path: Path
) -> None:
    """Closed during the shift (even if raised before it): outcome, resolver and time; an
    alert closed before the shift started is not the shift's."""
    model = AlertQueueModel(now=lambda: NOW)
    view = HandoverView(model, now=lambda: NOW, author="Ola Sykepleier")
    qtbot.addWidget(view)
    resolved = resolve_task(
        task("t5", "p5", minutes_ago=900, name="Berg, Anne", now=NOW),
        KARI,
        Outcome.ADVISED_GP,
        "Fastlegen ser henne i morgen.",
        NOW - timedelta(minutes=30),
    )
    before = resolve_task(
        task("t6", "p6", minutes_ago=1200, name="Dahl, Per", now=NOW),
        KARI,
        Outcome.NO_ACTION,
        "",
        NOW - timedelta(hours=6),  # 06:30 Oslo, before the 08:00 shift
    )
    view.set_shift_alerts([mapped(resolved), mapped(before)])
    section = view.sections()[1]
    assert section.title == "Alerts resolved this shift (1)"
    (row,) = section.rows
    assert row[0] == "Berg, Anne"
    assert row[2].startswith("Advised the GP") and "Fastlegen ser henne" in row[2]
    assert row[3] == "Kari Nordmann"
    assert row[4] == "13:00"  # 12:00 UTC in the centre's zone (Oslo, UTC+1 in November)
    # Deviations are the shift's new alerts: neither was raised during it.
    assert view.sections()[2].rows == ()


def test_more_sections_plug_in_after_the_built_in_ones(qtbot: QtBot) -> None:
    model = AlertQueueModel(now=lambda: NOW)
    view = HandoverView(model, now=lambda: NOW)
    qtbot.addWidget(view)
    view.add_sections(
        lambda since, now: [
            HandoverSection(
                "Adherence (1)", ("Patient", "Missing"), (("Berg, Anne", "Weight"),), ""
            )
        ]
    )
    assert [s.title for s in view.sections()][-1] == "Adherence (1)"
    assert "Berg, Anne" in view.preview.toPlainText()


def test_export_goes_through_a_non_modal_file_dialog(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DHO_HANDOVER_FOLDER", str(tmp_path / "Dokumenter"))
    model = AlertQueueModel(now=lambda: NOW)
    model.reset([mapped(task("t1", "p1", name="Nordmann, Kari", now=NOW))])
    view = HandoverView(model, now=lambda: NOW)
    qtbot.addWidget(view)
    view.choose_export_file()
    dialog = view.file_dialog
    assert dialog is not None and dialog.isVisible()
    # Offered in the Documents folder (or handover/folder) under a dated name.
    assert dialog.directory().absolutePath() == str(tmp_path / "Dokumenter")
    assert dialog.selectedFiles()[0].endswith("handover-2026-11-22-1330.pdf")
    with qtbot.waitSignal(view.exported) as exported:
        dialog.fileSelected.emit(str(tmp_path / "skift.pdf"))
    assert exported.args == [str(tmp_path / "skift.pdf")]
    dialog.reject()
    assert (tmp_path / "skift.pdf").exists()
