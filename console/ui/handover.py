"""End-of-shift handover: every open or claimed alert, the alerts resolved during the shift
with their outcome, the patients with new deviations, and a printable summary exported as PDF.

Opened from the main window (File > Shift handover, Ctrl+Shift+H, the top-row button). The
PDF is offered in the user's Documents folder (`handover/folder`) under a dated name, with
10 pt body text. The file and print dialogs are opened with `open()` (never `exec()`); nothing
is written to disk unless the user asks for the export. Further sections (issue 11's adherence
items and "since we closed" list) come from `add_sections`.
"""

from __future__ import annotations

import html
import os
from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, datetime, time, timedelta
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication, QMarginsF, QSizeF, QTime, Signal
from PySide6.QtGui import (
    QFont,
    QGuiApplication,
    QPageLayout,
    QPageSize,
    QPdfWriter,
    QTextDocument,
)
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTextBrowser,
    QTimeEdit,
    QVBoxLayout,
    QWidget,
)

from console import settings
from console.domain.alerts import (
    Alert,
    AlertStatus,
    PatientAlerts,
    ShiftDeviation,
    shift_deviations,
    shift_start,
)
from console.domain.handover import HandoverSection, resolved_at, resolved_during
from console.domain.training import mark_html, marked_title, training_mark
from console.state.alert_queue import (
    AlertQueueModel,
    alert_lines,
    outcome_text,
    priority_text,
    rule_text,
    state_text,
)
from console.state.formatting import (
    clock_text,
    date_time_text,
    format_age,
    local_time,
)

if TYPE_CHECKING:
    from console.services.alerts import AlertService


def _e(text: str) -> str:
    return html.escape(text, quote=False)


#: Body text of the printed and exported handover (points): readable on paper.
BODY_PT = 10


def open_section(
    cards: Sequence[PatientAlerts], now: datetime, departments: Mapping[str, str]
) -> HandoverSection:
    rows = []
    for card in cards:
        lines = [line for alert in card.alerts for line in alert_lines(alert)]
        notes = [n for a in card.alerts for n in a.notes if n.text]
        detail = "\n".join(lines)
        if notes:
            detail += "\n" + "\n".join(f"{n.author_name or '?'}: {n.text}" for n in notes[-3:])
        department = ", ".join(departments.get(d, d) for d in card.departments)
        age = format_age(max(0.0, (now - card.oldest).total_seconds()))
        rows.append(
            (
                card.patient_name + (f"\n{department}" if department else ""),
                priority_text(card.priority),
                detail,
                state_text(card),
                age,
            )
        )
    return HandoverSection(
        QCoreApplication.translate("HandoverView", "Open and claimed alerts (%1)").replace(
            "%1", str(len(cards))
        ),
        (
            QCoreApplication.translate("HandoverView", "Patient"),
            QCoreApplication.translate("HandoverView", "Priority"),
            QCoreApplication.translate("HandoverView", "Alerts"),
            QCoreApplication.translate("HandoverView", "State"),
            QCoreApplication.translate("HandoverView", "Waiting"),
        ),
        tuple(rows),
        QCoreApplication.translate("HandoverView", "No open alerts."),
    )


def resolved_section(alerts: Sequence[Alert]) -> HandoverSection:
    rows = []
    for alert in alerts:
        outcome = outcome_text(alert.outcome) if alert.outcome else "–"
        comments = [n.text for n in alert.notes if n.text]
        if comments:
            outcome += "\n" + comments[-1]
        rows.append(
            (
                alert.patient_name or "?",
                "\n".join(alert_lines(alert)),
                outcome,
                alert.owner_name or "?",
                clock_text(resolved_at(alert)),
            )
        )
    return HandoverSection(
        QCoreApplication.translate("HandoverView", "Alerts resolved this shift (%1)").replace(
            "%1", str(len(alerts))
        ),
        (
            QCoreApplication.translate("HandoverView", "Patient"),
            QCoreApplication.translate("HandoverView", "Alert"),
            QCoreApplication.translate("HandoverView", "Outcome"),
            QCoreApplication.translate("HandoverView", "Resolved by"),
            QCoreApplication.translate("HandoverView", "At"),
        ),
        tuple(rows),
        QCoreApplication.translate("HandoverView", "No alerts resolved this shift."),
    )


def adherence_section(items: Sequence[Alert], now: datetime) -> HandoverSection:
    """The adherence list (missing measurements): not cards, but the next shift should know."""
    rows = [
        (
            alert.patient_name or "?",
            "\n".join(alert_lines(alert, now=now)),
            state_text_of(alert),
            format_age(max(0.0, (now - alert.authored_on).total_seconds())),
        )
        for alert in items
    ]
    return HandoverSection(
        QCoreApplication.translate(
            "HandoverView", "Adherence list: missing measurements (%1)"
        ).replace("%1", str(len(items))),
        (
            QCoreApplication.translate("HandoverView", "Patient"),
            QCoreApplication.translate("HandoverView", "Missing"),
            QCoreApplication.translate("HandoverView", "State"),
            QCoreApplication.translate("HandoverView", "Waiting"),
        ),
        tuple(rows),
        QCoreApplication.translate("HandoverView", "No missing measurements."),
    )


def since_closed_section(
    alerts: Sequence[Alert], closed_since: datetime | None, now: datetime
) -> HandoverSection:
    """What came while the centre was closed (the current closed period, or the last one)."""
    rows = [
        (
            date_time_text(alert.authored_on),
            alert.patient_name or "?",
            priority_text(alert.priority),
            "\n".join(alert_lines(alert, now=now))
            + (
                "\n"
                + QCoreApplication.translate("HandoverView", "The patient got the plan's advice.")
                if alert.advice
                else ""
            ),
        )
        for alert in alerts
    ]
    since = date_time_text(closed_since) if closed_since is not None else "–"
    return HandoverSection(
        QCoreApplication.translate("HandoverView", "Since we closed (%1): %2")
        .replace("%1", since)
        .replace("%2", str(len(alerts))),
        (
            QCoreApplication.translate("HandoverView", "Came"),
            QCoreApplication.translate("HandoverView", "Patient"),
            QCoreApplication.translate("HandoverView", "Priority"),
            QCoreApplication.translate("HandoverView", "Alert"),
        ),
        tuple(rows),
        QCoreApplication.translate("HandoverView", "Nothing came while the centre was closed."),
    )


def state_text_of(alert: Alert) -> str:
    if alert.status is AlertStatus.CLAIMED:
        return QCoreApplication.translate("HandoverView", "Claimed by %1").replace(
            "%1", alert.owner_name or "?"
        )
    return QCoreApplication.translate("HandoverView", "New")


def deviations_section(deviations: Sequence[ShiftDeviation]) -> HandoverSection:
    rows = []
    for dev in deviations:
        rules = ", ".join(rule_text(r) for r in dev.rules)
        outcomes = ", ".join(outcome_text(o) for o in dev.outcomes) or "–"
        rows.append(
            (
                dev.patient_name,
                priority_text(dev.priority),
                f"{dev.count} · {rules}",
                outcomes,
                QCoreApplication.translate("HandoverView", "Still open")
                if dev.open
                else QCoreApplication.translate("HandoverView", "Closed"),
            )
        )
    return HandoverSection(
        QCoreApplication.translate(
            "HandoverView", "Patients with new deviations this shift (%1)"
        ).replace("%1", str(len(deviations))),
        (
            QCoreApplication.translate("HandoverView", "Patient"),
            QCoreApplication.translate("HandoverView", "Worst priority"),
            QCoreApplication.translate("HandoverView", "Alerts"),
            QCoreApplication.translate("HandoverView", "Outcome"),
            QCoreApplication.translate("HandoverView", "Status"),
        ),
        tuple(rows),
        QCoreApplication.translate("HandoverView", "No new deviations this shift."),
    )


def handover_html(
    sections: Sequence[HandoverSection],
    since: datetime,
    *,
    now: datetime,
    author: str = "",
) -> str:
    """The summary as simple HTML (QTextDocument renders it for screen, print and PDF)."""
    by = QCoreApplication.translate("HandoverView", "Handed over by %1").replace("%1", author)
    period = (
        QCoreApplication.translate("HandoverView", "Shift from %1 to %2")
        .replace("%1", date_time_text(since))
        .replace(
            "%2",
            clock_text(now)
            if local_time(since).date() == local_time(now).date()
            else date_time_text(now),
        )
    )
    parts = [
        "<html><head><meta charset='utf-8'></head><body>",
        "<h2>" + _e(QCoreApplication.translate("HandoverView", "Shift handover")) + "</h2>",
        f"<p>{_e(period)}" + (f"<br>{_e(by)}" if author else "") + "</p>",
    ]
    for section in sections:
        parts.append(f"<h3>{_e(section.title)}</h3>")
        if not section.rows:
            parts.append(f"<p>{_e(section.empty_text)}</p>")
            continue
        parts.append(
            "<table border='1' cellspacing='0' cellpadding='4' width='100%'><thead><tr>"
            + "".join(f"<th align='left'>{_e(h)}</th>" for h in section.headers)
            + "</tr></thead>"
        )
        for row in section.rows:
            cells = []
            for i, cell in enumerate(row):
                first, _, rest = cell.partition("\n")
                text = f"<b>{_e(first)}</b>" if i == 0 else _e(first)
                if rest:
                    text += "<br>" + "<br>".join(_e(line) for line in rest.split("\n"))
                cells.append(f"<td valign='top'>{text}</td>")
            parts.append("<tr>" + "".join(cells) + "</tr>")
        parts.append("</table>")
    parts.append("</body></html>")
    return "".join(parts)


def printable(document_html: str) -> QTextDocument:
    """The handover as a document for paper: BODY_PT body text whatever the screen's font."""
    document = QTextDocument()
    font = QFont(QGuiApplication.font())
    font.setPointSizeF(BODY_PT)
    document.setDefaultFont(font)
    document.setHtml(document_html)
    return document


def export_pdf(document_html: str, path: str, title: str = "") -> None:
    """Write the summary as an A4 PDF with a real text layer and BODY_PT body text (with the
    training mark first, from a training server)."""
    if training_mark():
        document_html = mark_html(document_html)
        title = marked_title(title)
    writer = QPdfWriter(path)
    writer.setTitle(title)
    writer.setCreator("DHO")
    writer.setPageLayout(
        QPageLayout(
            QPageSize(QPageSize.PageSizeId.A4),
            QPageLayout.Orientation.Portrait,
            QMarginsF(15, 15, 15, 15),
            QPageLayout.Unit.Millimeter,
        )
    )
    writer.setResolution(300)
    document = printable(document_html)
    # Points are laid out at the writer's 300 dpi, not the screen's 96 (which made ~5 pt text).
    document.documentLayout().setPaintDevice(writer)
    rect = writer.pageLayout().paintRectPixels(writer.resolution())
    document.setPageSize(QSizeF(rect.width(), rect.height()))
    document.print_(writer)


def default_file_name(now: datetime) -> str:
    """ "overlevering-2026-11-22-1530.pdf" in the user's language, centre time."""
    return QCoreApplication.translate("HandoverView", "handover-%1.pdf").replace(
        "%1", local_time(now).strftime("%Y-%m-%d-%H%M")
    )


class HandoverView(QWidget):
    """Shows the handover for a shift start (default: the latest `handover/shift_starts`
    time, 08:00 or 15:00, in the centre's zone)."""

    refresh_requested = Signal(object)  # shift start (aware datetime)
    exported = Signal(str)  # path

    def __init__(
        self,
        model: AlertQueueModel,
        *,
        now: Callable[[], datetime] = lambda: datetime.now(UTC),
        shift_starts: Sequence[time] | None = None,
        author: str = "",
        departments: Mapping[str, str] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.model = model
        self._now = now
        self.author = author
        self.departments = dict(departments or {})
        self._shift_alerts: list[Alert] = []
        #: More sections (adherence items, "since we closed"): (since, now) -> sections.
        self._section_sources: list[Callable[[datetime, datetime], Sequence[HandoverSection]]] = []
        self.file_dialog: QFileDialog | None = None
        self.print_dialog: Any = None
        self.setAccessibleName(self.tr("Shift handover"))
        layout = QVBoxLayout(self)
        row = QHBoxLayout()
        label = QLabel(self.tr("Shift &started at:"), self)
        self.start = QTimeEdit(self)
        self.start.setDisplayFormat("HH:mm")
        self.start.setAccessibleName(self.tr("Shift start"))
        label.setBuddy(self.start)
        begun = shift_start(local_time(now()), shift_starts or settings.shift_starts())
        self.start.setTime(QTime(begun.hour, begun.minute))
        self.refresh_button = QPushButton(self.tr("&Update"), self)
        self.refresh_button.setAccessibleName(self.tr("Update the handover"))
        self.refresh_button.clicked.connect(self.refresh)
        self.export_button = QPushButton(self.tr("&Export PDF…"), self)
        self.export_button.setAccessibleName(self.tr("Export the handover as PDF"))
        self.export_button.clicked.connect(self.choose_export_file)
        self.print_button = QPushButton(self.tr("&Print…"), self)
        self.print_button.setAccessibleName(self.tr("Print the handover"))
        self.print_button.clicked.connect(self.print_summary)
        row.addWidget(label)
        row.addWidget(self.start)
        row.addWidget(self.refresh_button)
        row.addStretch(1)
        row.addWidget(self.export_button)
        row.addWidget(self.print_button)
        layout.addLayout(row)
        self.preview = QTextBrowser(self)
        self.preview.setAccessibleName(self.tr("Handover summary"))
        layout.addWidget(self.preview, 1)
        self.start.timeChanged.connect(lambda _t: self.refresh())
        model.counts_changed.connect(self.update_summary)
        self.update_summary()

    def bind(self, service: AlertService) -> None:
        """Fetch the shift's alerts through the service whenever the shift start changes."""

        async def fetch(since: datetime) -> None:
            self.set_shift_alerts(await service.shift_alerts(since))

        self.refresh_requested.connect(lambda since: service.run(fetch(since), "handover"))
        self.author = self.author or service.principal.display_name
        self.refresh()  # the shift's closed alerts, not only what the queue holds now

    def add_sections(
        self, source: Callable[[datetime, datetime], Sequence[HandoverSection]]
    ) -> None:
        """Add sections after the built-in ones; `source(since, now)` is asked at each update.

        The place for issue 11's adherence items and "since we closed" list."""
        self._section_sources.append(source)
        self.update_summary()

    def since(self) -> datetime:
        now = local_time(self._now())
        t = self.start.time()
        start = now.replace(hour=t.hour(), minute=t.minute(), second=0, microsecond=0)
        if start > now:
            start -= timedelta(days=1)  # a shift that started yesterday evening
        return start

    def refresh(self) -> None:
        self.refresh_requested.emit(self.since())
        self.update_summary()

    def set_shift_alerts(self, alerts: Sequence[Alert]) -> None:
        self._shift_alerts = list(alerts)
        self.update_summary()

    def sections(self) -> list[HandoverSection]:
        since, now = self.since(), self._now()
        cards = [c for c in self.model.cards() if c.status is not AlertStatus.COMPLETED]
        every = [*self._shift_alerts, *self.model.alerts()]
        sections = [
            open_section(cards, now, self.departments),
            resolved_section(resolved_during(self._shift_alerts, since, now)),
            deviations_section(shift_deviations(every, since)),
        ]
        for source in self._section_sources:
            sections.extend(source(since, now))
        return sections

    def html(self) -> str:
        return handover_html(self.sections(), self.since(), now=self._now(), author=self.author)

    def update_summary(self) -> None:
        self.preview.setHtml(self.html())

    def export_to(self, path: str) -> None:
        if not path:
            return
        if not path.lower().endswith(".pdf"):
            path += ".pdf"
        export_pdf(self.html(), path, self.tr("Shift handover"))
        self.exported.emit(path)

    def choose_export_file(self) -> None:
        dialog = QFileDialog(self, self.tr("Export handover"))
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.setNameFilter(self.tr("PDF documents (*.pdf)"))
        dialog.setDefaultSuffix("pdf")
        folder = settings.handover_folder()
        dialog.setDirectory(folder)
        dialog.selectFile(os.path.join(folder, default_file_name(self._now())))
        dialog.fileSelected.connect(self.export_to)
        dialog.finished.connect(lambda _r: self._file_dialog_closed(dialog))
        self.file_dialog = dialog
        dialog.open()

    def _file_dialog_closed(self, dialog: QFileDialog) -> None:
        if self.file_dialog is dialog:
            self.file_dialog = None
        dialog.deleteLater()

    def print_summary(self) -> None:
        from PySide6.QtPrintSupport import QPrintDialog, QPrinter

        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        dialog = QPrintDialog(printer, self)

        def finished(result: int) -> None:
            if result == QPrintDialog.DialogCode.Accepted:
                document = printable(self.html())
                document.documentLayout().setPaintDevice(printer)
                document.print_(printer)
            self.print_dialog = None
            dialog.deleteLater()

        dialog.finished.connect(finished)
        self.print_dialog = (dialog, printer)
        dialog.open()  # type: ignore[call-arg]  # the stubs miss the no-argument overload


__all__ = ["HandoverView", "export_pdf", "handover_html"]
