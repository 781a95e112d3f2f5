"""Choose a time range: 24 h, 7 d, 30 d, 90 d, 1 year, or a custom from/to."""

from __future__ import annotations

import enum
from collections.abc import Callable
from datetime import UTC, datetime

from PySide6.QtCore import QDateTime, Qt, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QDateTimeEdit,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QWidget,
)


class Preset(enum.Enum):
    DAY = 86400
    WEEK = 7 * 86400
    MONTH = 30 * 86400
    QUARTER = 90 * 86400
    YEAR = 365 * 86400
    CUSTOM = 0


class TimeRangeSelector(QWidget):
    """Checkable preset buttons plus a custom from/to pair (enabled when "Custom" is chosen).

    `range_changed(start, end)` in epoch seconds; presets end "now" (from the `now` clock).
    Keyboard: Tab reaches each button and field; Space/Enter chooses; the custom fields apply
    when edited.
    """

    range_changed = Signal(float, float)

    def __init__(
        self,
        parent: QWidget | None = None,
        *,
        now: Callable[[], datetime] = lambda: datetime.now(UTC),
        preset: Preset = Preset.MONTH,
    ) -> None:
        super().__init__(parent)
        self._now = now
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        label = QLabel(self.tr("Period:"), self)
        layout.addWidget(label)
        self.group = QButtonGroup(self)
        self.group.setExclusive(True)
        texts = {
            Preset.DAY: (self.tr("24 h"), self.tr("Last 24 hours")),
            Preset.WEEK: (self.tr("7 d"), self.tr("Last 7 days")),
            Preset.MONTH: (self.tr("30 d"), self.tr("Last 30 days")),
            Preset.QUARTER: (self.tr("90 d"), self.tr("Last 90 days")),
            Preset.YEAR: (self.tr("1 year"), self.tr("Last year")),
            Preset.CUSTOM: (self.tr("Custom…"), self.tr("Custom period")),
        }
        self.buttons: dict[Preset, QPushButton] = {}
        for p, (text, name) in texts.items():
            button = QPushButton(text, self)
            button.setCheckable(True)
            button.setAccessibleName(name)
            button.setToolTip(name)
            button.setAutoDefault(False)
            self.group.addButton(button, p.value)
            self.buttons[p] = button
            layout.addWidget(button)
        self.start_edit = QDateTimeEdit(self)
        self.end_edit = QDateTimeEdit(self)
        for edit, name in (
            (self.start_edit, self.tr("Period start")),
            (self.end_edit, self.tr("Period end")),
        ):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("dd.MM.yyyy HH:mm")
            edit.setAccessibleName(name)
        self._from_label = QLabel(self.tr("&From"), self)
        self._from_label.setBuddy(self.start_edit)
        self._to_label = QLabel(self.tr("&to"), self)
        self._to_label.setBuddy(self.end_edit)
        layout.addSpacing(8)
        layout.addWidget(self._from_label)
        layout.addWidget(self.start_edit)
        layout.addWidget(self._to_label)
        layout.addWidget(self.end_edit)
        layout.addStretch(1)
        self._preset = preset
        self.buttons[preset].setChecked(True)
        self._sync_edits()
        self._set_custom_enabled(preset is Preset.CUSTOM)
        self.group.idClicked.connect(self._clicked)
        self.start_edit.editingFinished.connect(self._custom_edited)
        self.end_edit.editingFinished.connect(self._custom_edited)

    def preset(self) -> Preset:
        return self._preset

    def current_range(self) -> tuple[float, float]:
        if self._preset is Preset.CUSTOM:
            start = self.start_edit.dateTime().toMSecsSinceEpoch() / 1000
            end = self.end_edit.dateTime().toMSecsSinceEpoch() / 1000
            return (start, end) if start < end else (end, start)
        end = self._now().timestamp()
        return end - self._preset.value, end

    def set_preset(self, preset: Preset) -> None:
        self.buttons[preset].setChecked(True)
        self._clicked(preset.value)

    def set_custom(self, start: float, end: float) -> None:
        self.start_edit.setDateTime(QDateTime.fromMSecsSinceEpoch(int(start * 1000)))
        self.end_edit.setDateTime(QDateTime.fromMSecsSinceEpoch(int(end * 1000)))
        self.buttons[Preset.CUSTOM].setChecked(True)
        self._preset = Preset.CUSTOM
        self._set_custom_enabled(True)
        self.range_changed.emit(*self.current_range())

    def _clicked(self, button_id: int) -> None:
        self._preset = Preset(button_id)
        custom = self._preset is Preset.CUSTOM
        if not custom:
            self._sync_edits()
        self._set_custom_enabled(custom)
        if custom:
            self.start_edit.setFocus(Qt.FocusReason.OtherFocusReason)
        self.range_changed.emit(*self.current_range())

    def _custom_edited(self) -> None:
        if self._preset is Preset.CUSTOM:
            self.range_changed.emit(*self.current_range())

    def _sync_edits(self) -> None:
        start, end = self.current_range()
        self.start_edit.setDateTime(QDateTime.fromMSecsSinceEpoch(int(start * 1000)))
        self.end_edit.setDateTime(QDateTime.fromMSecsSinceEpoch(int(end * 1000)))

    def _set_custom_enabled(self, enabled: bool) -> None:
        # Shown only for "Custom": four idle fields would hold a narrow window wide.
        for widget in (self.start_edit, self.end_edit, self._from_label, self._to_label):
            widget.setEnabled(enabled)
            widget.setVisible(enabled)
