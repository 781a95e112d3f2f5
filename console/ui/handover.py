"""End-of-shift handover: every open or claimed alert, the patients with new deviations during
the shift, and a printable summary exported as PDF to a file the user chooses.

The file dialog and the print dialog are opened with `open()` (never `exec()`). Nothing is
written to disk unless the user asks for the export.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, datetime, time, timedelta
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication, QMarginsF, QSizeF, QTime, Signal
from PySide6.QtGui import QPageLayout, QPageSize, QPdfWriter, QTextDocument
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

from console.domain.alerts import (
    DEFAULT_SHIFT_STARTS,
    Alert,
    AlertStatus,
    PatientAlerts,
    ShiftDeviation,
    shift_deviations,
    shift_start,
)
from console.state.alert_queue import (
    AlertQueueModel,
    alert_lines,
    outcome_text,
    priority_text,
    rule_text,
    state_text,
)
from console.state.formatting import format_age

if TYPE_CHECKING:
    from console.services.alerts import AlertService


def _e(text: str) -> str:
    return html.escape(text, quote=False)


def handover_html(
    cards: Sequence[PatientAlerts],
    deviations: Sequence[ShiftDeviation],
    since: datetime,
    *,
    now: datetime,
    author: str = "",
    departments: Mapping[str, str] | None = None,
) -> str:
    """The summary as simple HTML (QTextDocument renders it for screen, print and PDF)."""
    departments = departments or {}
    local_since = since.astimezone()
    local_now = now.astimezone()
    title = QCoreApplication.translate("HandoverView", "Shift handover")
    by = QCoreApplication.translate("HandoverView", "Handed over by %1").replace("%1", author)
    open_title = QCoreApplication.translate("HandoverView", "Open and claimed alerts (%1)")
    no_deviations = QCoreApplication.translate("HandoverView", "No new deviations this shift.")
    parts = [
        "<html><head><meta charset='utf-8'></head><body>",
        f"<h2>{_e(title)}</h2>",
        "<p>"
        + _e(
            QCoreApplication.translate("HandoverView", "Shift from %1 to %2")
            .replace("%1", local_since.strftime("%d.%m.%Y %H:%M"))
            .replace("%2", local_now.strftime("%H:%M"))
        )
        + (f"<br>{_e(by)}" if author else "")
        + "</p>",
        f"<h3>{_e(open_title.replace('%1', str(len(cards))))}</h3>",
    ]
    if cards:
        parts.append(
            "<table border='1' cellspacing='0' cellpadding='4' width='100%'><tr>"
            + "".join(
                f"<th align='left'>{_e(h)}</th>"
                for h in (
                    QCoreApplication.translate("HandoverView", "Priority"),
                    QCoreApplication.translate("HandoverView", "Patient"),
                    QCoreApplication.translate("HandoverView", "Alerts"),
                    QCoreApplication.translate("HandoverView", "State"),
                    QCoreApplication.translate("HandoverView", "Waiting"),
                )
            )
            + "</tr>"
        )
        for card in cards:
            lines = [line for alert in card.alerts for line in alert_lines(alert)]
            notes = [n for a in card.alerts for n in a.notes if n.text]
            detail = "<br>".join(_e(line) for line in lines)
            if notes:
                detail += (
                    "<br><i>"
                    + "<br>".join(_e(f"{n.author_name or '?'}: {n.text}") for n in notes[-3:])
                    + "</i>"
                )
            department = ", ".join(departments.get(d, d) for d in card.departments)
            age = format_age(max(0.0, (now - card.oldest).total_seconds()))
            parts.append(
                "<tr>"
                f"<td>{_e(priority_text(card.priority))}</td>"
                f"<td><b>{_e(card.patient_name)}</b><br>{_e(department)}</td>"
                f"<td>{detail}</td>"
                f"<td>{_e(state_text(card))}</td>"
                f"<td>{_e(age)}</td>"
                "</tr>"
            )
        parts.append("</table>")
    else:
        no_alerts = QCoreApplication.translate("HandoverView", "No open alerts.")
        parts.append(f"<p>{_e(no_alerts)}</p>")
    parts.append(
        "<h3>"
        + _e(
            QCoreApplication.translate(
                "HandoverView", "Patients with new deviations this shift (%1)"
            ).replace("%1", str(len(deviations)))
        )
        + "</h3>"
    )
    if deviations:
        parts.append(
            "<table border='1' cellspacing='0' cellpadding='4' width='100%'><tr>"
            + "".join(
                f"<th align='left'>{_e(h)}</th>"
                for h in (
                    QCoreApplication.translate("HandoverView", "Patient"),
                    QCoreApplication.translate("HandoverView", "Worst priority"),
                    QCoreApplication.translate("HandoverView", "Alerts"),
                    QCoreApplication.translate("HandoverView", "Outcome"),
                    QCoreApplication.translate("HandoverView", "Status"),
                )
            )
            + "</tr>"
        )
        for dev in deviations:
            rules = ", ".join(rule_text(r) for r in dev.rules)
            outcomes = ", ".join(outcome_text(o) for o in dev.outcomes) or "–"
            status = (
                QCoreApplication.translate("HandoverView", "Still open")
                if dev.open
                else QCoreApplication.translate("HandoverView", "Closed")
            )
            parts.append(
                "<tr>"
                f"<td><b>{_e(dev.patient_name)}</b></td>"
                f"<td>{_e(priority_text(dev.priority))}</td>"
                f"<td>{_e(str(dev.count))} · {_e(rules)}</td>"
                f"<td>{_e(outcomes)}</td>"
                f"<td>{_e(status)}</td>"
                "</tr>"
            )
        parts.append("</table>")
    else:
        parts.append(f"<p>{_e(no_deviations)}</p>")
    parts.append("</body></html>")
    return "".join(parts)


def export_pdf(document_html: str, path: str, title: str = "") -> None:
    """Write the summary as an A4 PDF with a real text layer."""
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
    document = QTextDocument()
    document.setHtml(document_html)
    layout = writer.pageLayout()
    rect = layout.paintRectPixels(writer.resolution())
    document.setPageSize(QSizeF(rect.width(), rect.height()))
    document.print_(writer)


class HandoverView(QWidget):
    """Shows the handover for a shift start (default: the latest of 08:00 and 15:00 today)."""

    refresh_requested = Signal(object)  # shift start (aware datetime)
    exported = Signal(str)  # path

    def __init__(
        self,
        model: AlertQueueModel,
        *,
        now: Callable[[], datetime] = lambda: datetime.now(UTC),
        shift_starts: Sequence[time] = DEFAULT_SHIFT_STARTS,
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
        begun = shift_start(now().astimezone(), shift_starts)
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

    def since(self) -> datetime:
        now = self._now().astimezone()
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

    def html(self) -> str:
        cards = [c for c in self.model.cards() if c.status is not AlertStatus.COMPLETED]
        return handover_html(
            cards,
            shift_deviations([*self._shift_alerts, *self.model.alerts()], self.since()),
            self.since(),
            now=self._now(),
            author=self.author,
            departments=self.departments,
        )

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
        dialog.selectFile(
            self.tr("handover-%1.pdf").replace(
                "%1", self._now().astimezone().strftime("%Y%m%d-%H%M")
            )
        )
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
                document = QTextDocument()
                document.setHtml(self.html())
                document.print_(printer)
            self.print_dialog = None
            dialog.deleteLater()

        dialog.finished.connect(finished)
        self.print_dialog = (dialog, printer)
        dialog.open()  # type: ignore[call-arg]  # the stubs miss the no-argument overload


__all__ = ["HandoverView", "export_pdf", "handover_html"]
