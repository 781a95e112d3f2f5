"""The escalation inbox: alerts escalated or forwarded to the signed-in lead, with the
patient and the reason; claim one, hand it back to the department, or open the patient."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from console.services.inbox import InboxService
from console.state.inbox import Column, InboxItem, InboxModel


class InboxView(QWidget):
    open_patient = Signal(str)

    def __init__(self, service: InboxService, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.service = service
        self.model: InboxModel = service.model
        self.setAccessibleName(self.tr("Escalation inbox"))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        self.heading = QLabel(self)
        font = self.heading.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.15)
        self.heading.setFont(font)
        self.heading.setAccessibleName(self.tr("Escalation inbox"))
        layout.addWidget(self.heading)
        self.explain = QLabel(
            self.tr(
                "Alerts escalated to you (nobody claimed them in time) and alerts colleagues "
                "forwarded to you. Claim one to take it, or hand it back to its department."
            ),
            self,
        )
        self.explain.setWordWrap(True)
        layout.addWidget(self.explain)
        self.table = QTableView(self)
        self.table.setModel(self.model)
        self.table.setAccessibleName(self.tr("Alerts in your inbox"))
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setAlternatingRowColors(True)
        self.table.setTabKeyNavigation(False)
        self.table.setWordWrap(False)
        self.table.setTextElideMode(Qt.TextElideMode.ElideRight)  # the whole text in a tooltip
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(Column.REASON, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(Column.HOW, QHeaderView.ResizeMode.Stretch)
        self.table.activated.connect(self._activated)
        layout.addWidget(self.table, 1)
        self.empty = QLabel(self.tr("Nothing is escalated or forwarded to you."), self)
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout.addWidget(self.empty, 1)  # takes the table's room when there is nothing
        row = QHBoxLayout()
        self.claim_button = QPushButton(self.tr("&Claim"), self)
        self.claim_button.setAccessibleName(self.tr("Claim the selected alert"))
        self.hand_back_button = QPushButton(self.tr("&Hand back"), self)
        self.hand_back_button.setAccessibleName(
            self.tr("Hand the selected alert back to its department")
        )
        self.open_button = QPushButton(self.tr("&Open patient"), self)
        self.open_button.setAccessibleName(self.tr("Open the selected patient"))
        for button in (self.claim_button, self.hand_back_button, self.open_button):
            row.addWidget(button)
        row.addStretch(1)
        self.status = QLabel(self)
        self.status.setAccessibleName(self.tr("Inbox status"))
        self.status.setTextFormat(Qt.TextFormat.PlainText)
        row.addWidget(self.status)
        layout.addLayout(row)
        self.claim_button.clicked.connect(lambda: self._act("claim"))
        self.hand_back_button.clicked.connect(lambda: self._act("hand-back"))
        self.open_button.clicked.connect(lambda: self._act("open"))
        QShortcut(QKeySequence("Ctrl+Return"), self, lambda: self._act("claim"))
        self.model.modelReset.connect(self._update)
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._update_buttons())
        service.conflict.connect(self._show_status)
        service.failed.connect(lambda text: self._show_status("⚠ " + text))
        service.done.connect(self._done)
        self._clock = QTimer(self)
        self._clock.setInterval(30_000)
        self._clock.timeout.connect(self.model.refresh_times)
        self._clock.start()
        self._update()

    def selected(self) -> InboxItem | None:
        rows = self.table.selectionModel().selectedRows()
        if rows:
            return self.model.item(rows[0].row())
        return self.model.item(0) if self.model.rowCount() == 1 else None

    def _update(self) -> None:
        n = self.model.rowCount()
        self.heading.setText(self.tr("Escalation inbox (%1)").replace("%1", str(n)))
        self.empty.setVisible(n == 0 and self.service.loaded)
        self.table.setVisible(n > 0 or not self.service.loaded)
        if n and not self.table.selectionModel().selectedRows():
            self.table.selectRow(0)
        self._update_buttons()

    def _update_buttons(self) -> None:
        item = self.selected()
        for button in (self.claim_button, self.hand_back_button, self.open_button):
            button.setEnabled(item is not None)
        if item is not None:
            mine = item.alert.owner_id == self.service.me
            self.claim_button.setEnabled(not mine)

    def _act(self, action: str) -> None:
        item = self.selected()
        if item is None:
            return
        if action == "claim":
            self.service.claim(item.alert.id)
        elif action == "hand-back":
            self.service.hand_back(item.alert.id)
        else:
            self.open_patient.emit(item.alert.patient_id)

    def _activated(self, index: QModelIndex) -> None:
        item = self.model.item(index.row())
        if item is not None:
            self.open_patient.emit(item.alert.patient_id)

    def _show_status(self, text: str) -> None:
        self.status.setText(text)

    def _done(self, action: str, _task_id: str) -> None:
        self._show_status(
            self.tr("Claimed: it is yours now.")
            if action == "claim"
            else self.tr("Handed back to the department.")
        )


__all__ = ["InboxView"]
