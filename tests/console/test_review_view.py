"""The review view on the hand-made history: a nurse is refused, the figures are on screen,
the charts have their tables, and the CSV, XLSX and PDF exports hold the right rows."""

from __future__ import annotations

import csv
import shutil
import subprocess
from datetime import datetime
from pathlib import Path

from PySide6.QtCore import QDate
from pytestqt.qtbot import QtBot

from console.domain.review import ReviewQuery, ReviewSettings, compute_review
from console.services.review import ReviewService
from console.ui.access_log import AccessLogView
from console.ui.review import ReviewView, preset_range
from tests.console.review_history import OSLO, history

NOW = datetime(2026, 11, 16, 10, tzinfo=OSLO)


class HistoryReview(ReviewService):
    """The service with its facts given (the hand-made history) instead of fetched."""

    def __init__(self, roles: list[str]) -> None:
        super().__init__(None, roles)  # type: ignore[arg-type]  # never fetches
        self.requests: list[ReviewQuery] = []

    def request(self, query: ReviewQuery, settings: ReviewSettings) -> None:
        self.requests.append(query)
        self.loaded.emit(
            compute_review(history(), query, settings=settings, per_nurse=self.per_nurse)
        )

    def departments(self) -> dict[str, str]:
        return {"D1": "Avdeling 1", "D2": "Avdeling 2"}


def _view(qtbot: QtBot, roles: list[str]) -> tuple[ReviewView, HistoryReview]:
    service = HistoryReview(roles)
    view = ReviewView(service, centre_name="Senteret", author="Lise Leder", now=lambda: NOW)
    qtbot.addWidget(view)
    if service.allowed:
        view.first.setDate(QDate(2026, 11, 2))
        view.last.setDate(QDate(2026, 11, 15))
        view.refresh()
        view.flush()  # tables and charts fill a step per loop turn; here at once
    return view, service


def test_a_nurse_is_told_the_review_is_not_for_her_role(qtbot: QtBot) -> None:
    view, service = _view(qtbot, ["nurse"])
    assert not view.allowed and service.requests == []
    assert "not shown" in view.refusal.text() and "department leads" in view.refusal.text()
    log = AccessLogView(None, allowed=False, role_text="nurse")
    qtbot.addWidget(log)
    assert "department leads and administrators" in log.refusal.text()


def test_the_lead_sees_the_figures_and_each_chart_has_its_table(qtbot: QtBot) -> None:
    view, service = _view(qtbot, ["lead"])
    assert service.requests[-1].start == datetime(2026, 11, 2, tzinfo=OSLO)
    summary = view._sections["summary"].model.table
    assert ["High-priority alerts claimed within 30 min", "80 %"] in summary.rows
    times = view._sections["times-priority"].model
    assert times.table.text(0, 3) == "20 min" and times.table.text(0, 4) == "60 min"
    chart = view._charts["alerts-periods"]
    assert chart.table.model() is not None and chart.table.model().rowCount() == 14
    chart.toggle.click()
    assert chart.stack.currentWidget() is chart.table
    assert view.tabs.isTabVisible(view.tabs.indexOf(view.nurse_tab))
    # A superuser sees the review without the per-nurse tab.
    super_view, _ = _view(qtbot, ["superuser"])
    assert not super_view.tabs.isTabVisible(super_view.tabs.indexOf(super_view.nurse_tab))
    assert all(t.key != "per-nurse" for t in super_view.tables)
    # The department filter recomputes for that department only.
    view.department.setCurrentIndex(view.department.findData("D2"))
    view.flush()
    assert service.requests[-1].departments == frozenset({"D2"})
    assert ["Clinical alerts", "3"] in view._sections["summary"].model.table.rows


def _rows_after(rows: list[list[str]], title: str) -> list[list[str]]:
    start = rows.index([title]) + 1
    out = []
    for row in rows[start:]:
        if not row:
            break
        out.append(row)
    return out


def test_csv_and_xlsx_exports_hold_the_right_rows(qtbot: QtBot, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    view, _ = _view(qtbot, ["lead"])
    exported: list[str] = []
    view.exported.connect(exported.append)
    view.export_to(str(tmp_path / "oversikt"), "csv")
    view.export_to(str(tmp_path / "oversikt.xlsx"), "xlsx")
    assert exported == [str(tmp_path / "oversikt.csv"), str(tmp_path / "oversikt.xlsx")]
    with open(tmp_path / "oversikt.csv", encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle, delimiter=";"))
    assert rows[0] == ["Review – Senteret"]
    assert ["Range", "02.11.2026 to 15.11.2026"] in rows
    block = _rows_after(rows, "Response times by priority")
    assert block[0][:5] == [
        "Priority",
        "Alerts",
        "Claimed",
        "Median to claim (min)",
        "p90 to claim (min)",
    ]
    decimal = block[1][3][2]  # the user's decimal separator
    assert block[1][:5] == ["High priority", "5", "5", f"20{decimal}0", f"60{decimal}0"]
    falling = _rows_after(rows, "Patients whose adherence is falling")
    assert [r[0] for r in falling[1:-1]] == ["Nordmann, Kari"]  # and the note
    book = load_workbook(tmp_path / "oversikt.xlsx")
    sheet = book["Response times by priority"]
    assert [c.value for c in sheet[3]][:5] == ["High priority", 5, 5, 20.0, 60.0]
    by_title = {ws["A1"].value: ws for ws in book.worksheets}
    adherence = by_title["Measurement adherence per programme"]
    values = {r[0].value: r[3].value for r in adherence.iter_rows(min_row=3) if r[0].value}
    assert abs(values["Heart failure"] - 32 / 42) < 1e-9
    assert adherence.cell(row=3, column=4).number_format == "0.0%"
    assert "Per nurse (counts and times, not a ranking)" in by_title
    assert by_title["Review – Senteret"] is book.worksheets[0]


def _render_pages(pdf: Path, out: Path) -> list[Path]:
    """Render every page (pdftoppm when installed, else QtPdf) and return the images."""
    if shutil.which("pdftoppm"):
        subprocess.run(["pdftoppm", "-r", "50", "-png", str(pdf), str(out / "page")], check=True)
        return sorted(out.glob("page-*.png"))
    from PySide6.QtCore import QSize
    from PySide6.QtPdf import QPdfDocument

    document = QPdfDocument()
    document.load(str(pdf))
    pages = []
    for n in range(document.pageCount()):
        path = out / f"page-{n + 1}.png"
        document.render(n, QSize(413, 584)).save(str(path))
        pages.append(path)
    document.close()
    return pages


def _page_texts(pdf: Path) -> list[str]:
    from PySide6.QtPdf import QPdfDocument

    document = QPdfDocument()
    document.load(str(pdf))
    texts = [document.getAllText(n).text() for n in range(document.pageCount())]
    document.close()
    return texts


def test_the_pdf_report_renders_with_centre_range_and_date_on_every_page(
    qtbot: QtBot, tmp_path: Path
) -> None:
    from PySide6.QtGui import QImage

    view, _ = _view(qtbot, ["lead"])
    pdf = tmp_path / "oversikt.pdf"
    view.export_to(str(pdf), "pdf")
    pages = _render_pages(pdf, tmp_path)
    texts = _page_texts(pdf)
    assert len(pages) == len(texts) >= 3
    for n, text in enumerate(texts, start=1):
        assert "Senteret" in text and "02.11.2026 to 15.11.2026" in text, n
        assert "16.11.2026 10:00" in text and f"Page {n} of {len(texts)}" in text, n
    whole = "\n".join(texts)
    for expected in ("Response times by priority", "Nordmann, Kari", "This is an estimate"):
        assert expected in whole
    # Rendered pages are not blank: text and charts leave dark pixels.
    image = QImage(str(pages[1]))
    dark = sum(
        1
        for y in range(0, image.height(), 3)
        for x in range(0, image.width(), 3)
        if image.pixelColor(x, y).lightness() < 128
    )
    assert dark > 200


def test_presets_cover_weeks_months_and_quarters() -> None:
    today = NOW.date()  # Monday 16 November 2026
    assert preset_range("last-7", today) == (datetime(2026, 11, 10).date(), today)
    assert preset_range("previous-week", today) == (
        datetime(2026, 11, 9).date(),
        datetime(2026, 11, 15).date(),
    )
    assert preset_range("previous-month", today) == (
        datetime(2026, 10, 1).date(),
        datetime(2026, 10, 31).date(),
    )
    assert preset_range("previous-quarter", today) == (
        datetime(2026, 7, 1).date(),
        datetime(2026, 9, 30).date(),
    )


def test_small_rates_never_read_as_zero() -> None:
    """383 clinical alerts over 8,800 patient-days is 0.043 per patient-day: shown per 100
    patient-days (4,3), and any figure below 1 keeps two significant digits."""
    from PySide6.QtCore import QLocale

    from console.state.review_tables import format_cell, format_number, review_tables
    from tests.console.review_history import END, START

    nb = QLocale(QLocale.Language.NorwegianBokmal, QLocale.Country.Norway)
    assert format_number(0.0437, nb) == "0,044"
    assert format_number(0.43, nb) == "0,43"
    assert format_number(4.35, nb) == "4,3"  # (banker's or not: one decimal from 1 on)
    assert format_number(0.0, nb) == "0,0"
    assert format_cell(0.004, "number", nb) == "0,0040"
    review = compute_review(history(), ReviewQuery(START, END))
    key = next(t for t in review_tables(review) if t.key == "summary")
    row = next(r for r in key.rows if "100 patient-days" in str(r[0]))
    assert review.alerts.per_patient_day is not None
    assert row[1] == format_number(100 * review.alerts.per_patient_day)
    assert row[1] not in ("0.0", "0,0")
