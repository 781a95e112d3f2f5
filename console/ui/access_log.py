"""The access log: who opened which patient's record, when and what, searchable by patient
and by user, exportable (CSV, XLSX): what a patient may ask for under pasientjournalloven.

For department leads and administrators; the server refuses AuditEvent searches to anyone
else, and this view says so instead of searching.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import UTC, date, datetime, time, timedelta

from PySide6.QtCore import QDate, QLocale, QModelIndex, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateEdit,
    QFileDialog,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from console.domain.access_log import AccessEntry
from console.domain.model import mask_fodselsnummer
from console.services.access_log import AccessLogService
from console.services.review_export import ExportHeader, write_csv, write_xlsx
from console.state.access_log import access_table
from console.state.formatting import centre_zone
from console.state.review_tables import Table, TableModel


class AccessLogView(QWidget):
    open_patient = Signal(str)
    exported = Signal(str)

    def __init__(
        self,
        service: AccessLogService | None,
        *,
        allowed: bool,
        role_text: str = "",
        organizations: Mapping[str, str] | None = None,
        author: str = "",
        now: Callable[[], datetime] = lambda: datetime.now(UTC),
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.service = service
        self.organizations = dict(organizations or {})
        self.author = author
        self._now = now
        self.table: Table | None = None
        self.file_dialog: QFileDialog | None = None
        self.setAccessibleName(self.tr("Access log"))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        self.allowed = allowed and service is not None
        if not self.allowed:
            refusal = QLabel(
                self.tr(
                    "The access log is for department leads and administrators. You are "
                    "signed in as %1."
                ).replace("%1", role_text or "?"),
                self,
            )
            refusal.setWordWrap(True)
            refusal.setAlignment(Qt.AlignmentFlag.AlignCenter)
            refusal.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
            refusal.setAccessibleName(self.tr("Not available"))
            self.refusal = refusal
            layout.addStretch(1)
            layout.addWidget(refusal)
            layout.addStretch(2)
            return
        assert service is not None
        grid = QGridLayout()
        patient_label = QLabel(self.tr("&Patient (name or national ID):"), self)
        self.patient_text = QLineEdit(self)
        self.patient_text.setAccessibleName(self.tr("Find a patient by name or national ID"))
        patient_label.setBuddy(self.patient_text)
        self.patient_find = QPushButton(self.tr("Find"), self)
        self.patient_find.setAccessibleName(self.tr("Find patients"))
        self.patient_choice = QComboBox(self)
        self.patient_choice.setAccessibleName(self.tr("Patient to show the log for"))
        self.patient_choice.setMinimumContentsLength(30)
        self.patient_choice.addItem(self.tr("Any patient"), None)
        user_label = QLabel(self.tr("&User (name):"), self)
        self.user_text = QLineEdit(self)
        self.user_text.setAccessibleName(self.tr("Find a user by name"))
        user_label.setBuddy(self.user_text)
        self.user_find = QPushButton(self.tr("Find"), self)
        self.user_find.setAccessibleName(self.tr("Find users"))
        self.user_choice = QComboBox(self)
        self.user_choice.setAccessibleName(self.tr("User to show the log for"))
        self.user_choice.setMinimumContentsLength(30)
        self.user_choice.addItem(self.tr("Any user"), None)
        grid.addWidget(patient_label, 0, 0)
        grid.addWidget(self.patient_text, 0, 1)
        grid.addWidget(self.patient_find, 0, 2)
        grid.addWidget(self.patient_choice, 0, 3)
        grid.addWidget(user_label, 1, 0)
        grid.addWidget(self.user_text, 1, 1)
        grid.addWidget(self.user_find, 1, 2)
        grid.addWidget(self.user_choice, 1, 3)
        grid.setColumnStretch(4, 1)
        layout.addLayout(grid)
        row = QHBoxLayout()
        from_label = QLabel(self.tr("&From:"), self)
        self.first = QDateEdit(self)
        self.first.setCalendarPopup(True)
        self.first.setDisplayFormat("dd.MM.yyyy")
        self.first.setAccessibleName(self.tr("First day"))
        from_label.setBuddy(self.first)
        to_label = QLabel(self.tr("&To:"), self)
        self.last = QDateEdit(self)
        self.last.setCalendarPopup(True)
        self.last.setDisplayFormat("dd.MM.yyyy")
        self.last.setAccessibleName(self.tr("Last day"))
        to_label.setBuddy(self.last)
        today = now().astimezone(centre_zone()).date()
        start = today - timedelta(days=90)
        self.first.setDate(QDate(start.year, start.month, start.day))
        self.last.setDate(QDate(today.year, today.month, today.day))
        self.search_button = QPushButton(self.tr("&Search"), self)
        self.search_button.setAccessibleName(self.tr("Search the access log"))
        self.cancel_button = QPushButton(self.tr("&Cancel"), self)
        self.cancel_button.setAccessibleName(self.tr("Stop searching"))
        self.cancel_button.hide()
        self.csv_button = QPushButton(self.tr("C&SV…"), self)
        self.csv_button.setAccessibleName(self.tr("Export the access log as CSV"))
        self.xlsx_button = QPushButton(self.tr("&XLSX…"), self)
        self.xlsx_button.setAccessibleName(self.tr("Export the access log as an Excel workbook"))
        for widget in (
            from_label,
            self.first,
            to_label,
            self.last,
            self.search_button,
            self.cancel_button,
        ):
            row.addWidget(widget)
        row.addStretch(1)
        for button in (self.csv_button, self.xlsx_button):
            button.setEnabled(False)
            row.addWidget(button)
        layout.addLayout(row)
        self.status = QLabel(
            self.tr("Choose a patient or a user (or neither) and a period, then search."), self
        )
        self.status.setAccessibleName(self.tr("Search status"))
        self.status.setWordWrap(True)
        layout.addWidget(self.status)
        self.model = TableModel(parent=self)
        self.view = QTableView(self)
        self.view.setModel(self.model)
        self.view.setAccessibleName(self.tr("Access log entries"))
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setAlternatingRowColors(True)
        self.view.setTabKeyNavigation(False)
        self.view.verticalHeader().setVisible(False)
        self.view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.view.horizontalHeader().setStretchLastSection(True)
        self.view.activated.connect(self._activated)
        layout.addWidget(self.view, 1)

        self.patient_find.clicked.connect(self._find_patients)
        self.patient_text.returnPressed.connect(self._find_patients)
        self.user_find.clicked.connect(self._find_users)
        self.user_text.returnPressed.connect(self._find_users)
        self.search_button.clicked.connect(self.search)
        self.cancel_button.clicked.connect(self._cancel)
        self.csv_button.clicked.connect(lambda: self.choose_export("csv"))
        self.xlsx_button.clicked.connect(lambda: self.choose_export("xlsx"))
        service.found.connect(self._found)
        service.names_changed.connect(lambda: self._found(service.entries))
        service.finished.connect(self._finished)
        service.failed.connect(self._failed)

    # ----- searching ------------------------------------------------------------------------

    def _find_patients(self) -> None:
        assert self.service is not None
        text = self.patient_text.text()

        async def find() -> None:
            found = await self.service.find_patients(text)  # type: ignore[union-attr]
            self.patient_choice.clear()
            self.patient_choice.addItem(self.tr("Any patient"), None)
            for pid, name, fnr in found:
                label = f"{name} ({mask_fodselsnummer(fnr)})" if fnr else name
                self.patient_choice.addItem(label, pid)
            if found:
                self.patient_choice.setCurrentIndex(1)
            self.status.setText(self.tr("%n patient(s) found.", "", len(found)))

        self.service.run(find(), "access-log-patients")

    def _find_users(self) -> None:
        assert self.service is not None
        text = self.user_text.text()

        async def find() -> None:
            found = await self.service.find_users(text)  # type: ignore[union-attr]
            self.user_choice.clear()
            self.user_choice.addItem(self.tr("Any user"), None)
            for ref, name in found:
                self.user_choice.addItem(name, ref)
            if found:
                self.user_choice.setCurrentIndex(1)
            self.status.setText(self.tr("%n user(s) found.", "", len(found)))

        self.service.run(find(), "access-log-users")

    def period(self) -> tuple[datetime, datetime]:
        first = self.first.date().toPython()
        last = self.last.date().toPython()
        assert isinstance(first, date) and isinstance(last, date)
        if last < first:
            first, last = last, first
        return (
            datetime.combine(first, time(0), tzinfo=centre_zone()),
            datetime.combine(last + timedelta(days=1), time(0), tzinfo=centre_zone()),
        )

    def search(self) -> None:
        if self.service is None:
            return
        start, end = self.period()
        self.service.search(
            patient_id=self.patient_choice.currentData(),
            agent=self.user_choice.currentData(),
            start=start,
            end=end,
        )
        self.search_button.setEnabled(False)
        self.cancel_button.show()
        self.status.setText(self.tr("Searching…"))

    def _cancel(self) -> None:
        if self.service is not None:
            self.service.cancel()
        self._finished(False, cancelled=True)

    def title(self) -> str:
        patient = self.patient_choice.currentText() if self.patient_choice.currentData() else ""
        user = self.user_choice.currentText() if self.user_choice.currentData() else ""
        if patient:
            return self.tr("Access log for %1").replace("%1", patient)
        if user:
            return self.tr("Accesses by %1").replace("%1", user)
        return self.tr("Access log")

    def _found(self, entries: list[AccessEntry]) -> None:
        assert self.service is not None
        self.table = access_table(
            entries, self.service.patient_names, self.organizations, title=self.title()
        )
        self.model.set_table(self.table)
        self.status.setText(self.tr("%n access(es) found so far…", "", len(entries)))

    def _finished(self, complete: bool, *, cancelled: bool = False) -> None:
        self.search_button.setEnabled(True)
        self.cancel_button.hide()
        n = len(self.table.rows) if self.table else 0
        self.csv_button.setEnabled(self.table is not None)
        self.xlsx_button.setEnabled(self.table is not None)
        if cancelled:
            text = self.tr("Stopped: %n access(es) shown (not all).", "", n)
        elif complete:
            text = self.tr("%n access(es) in the period.", "", n)
        else:
            text = self.tr("The first %n accesses are shown; narrow the period to see all.", "", n)
        self.status.setText(text)

    def _failed(self, text: str) -> None:
        self.search_button.setEnabled(True)
        self.cancel_button.hide()
        self.status.setText("⚠ " + text)

    def _activated(self, index: QModelIndex) -> None:
        pid = index.data(Qt.ItemDataRole.UserRole)
        if pid:
            self.open_patient.emit(str(pid))

    # ----- export ---------------------------------------------------------------------------

    def export_header(self) -> ExportHeader:
        start, end = self.period()
        period = f"{start:%d.%m.%Y} – {(end - timedelta(days=1)):%d.%m.%Y}"
        lines = (
            (self.tr("Period"), period),
            (self.tr("Made"), self._now().astimezone(centre_zone()).strftime("%d.%m.%Y %H:%M")),
            (self.tr("Made by"), self.author),
        )
        return ExportHeader(self.title(), lines)

    def choose_export(self, kind: str) -> None:
        dialog = QFileDialog(self, self.tr("Export the access log"))
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.setNameFilter(
            self.tr("CSV files (*.csv)") if kind == "csv" else self.tr("Excel workbooks (*.xlsx)")
        )
        dialog.setDefaultSuffix(kind)
        start, end = self.period()
        dialog.selectFile(
            self.tr("access-log-%1-%2.%3")
            .replace("%1", f"{start:%Y%m%d}")
            .replace("%2", f"{end - timedelta(days=1):%Y%m%d}")
            .replace("%3", kind)
        )
        dialog.fileSelected.connect(lambda path: self.export_to(path, kind))
        dialog.finished.connect(lambda _r: dialog.deleteLater())
        self.file_dialog = dialog
        dialog.open()

    def export_to(self, path: str, kind: str) -> None:
        if not path or self.table is None:
            return
        if not path.lower().endswith("." + kind):
            path += "." + kind
        try:
            if kind == "csv":
                write_csv(
                    path,
                    self.export_header(),
                    [self.table],
                    decimal=QLocale().decimalPoint() or ",",
                )
            else:
                write_xlsx(path, self.export_header(), [self.table])
        except OSError as exc:
            self.status.setText("⚠ " + str(exc))
            return
        self.exported.emit(path)


__all__ = ["AccessLogView"]
