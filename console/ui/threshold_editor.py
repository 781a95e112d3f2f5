"""Edit a patient's thresholds and measuring times, with a live what-if over the last 30 days.

Opened with `open()` (never `exec()` inside a coroutine). Saving is a version-aware update; if
a colleague saved first, the dialog shows who and when, loads their version as the new base and
keeps the user's typed values so nothing is lost and nothing is overwritten.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime, time
from typing import Any

from PySide6.QtCore import QLocale, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from console.domain.model import MeasurementKind
from console.domain.patient_record import PlanItem
from console.domain.series import Limits, Schedule, Series, WhatIf, band_errors, what_if
from console.domain.triage import Band, Thresholds
from console.fhir.errors import FhirError
from console.services.patient import PlanConflict
from console.state import formatting as fmt
from console.state.formatting import date_time_text

log = logging.getLogger(__name__)

#: Plausible values per measurement; outside them the input is refused as out of range.
PLAUSIBLE: dict[MeasurementKind, tuple[float, float]] = {
    MeasurementKind.SPO2: (50, 100),
    MeasurementKind.PULSE: (20, 250),
    MeasurementKind.BLOOD_PRESSURE: (30, 300),
    MeasurementKind.WEIGHT: (20, 300),
    MeasurementKind.TEMPERATURE: (30, 45),
    MeasurementKind.GLUCOSE: (1, 40),
    MeasurementKind.RESPIRATORY_RATE: (4, 60),
}

SaveFunction = Callable[[PlanItem, Thresholds, Schedule | None], Awaitable[PlanItem]]


@dataclass(slots=True)
class Parsed:
    thresholds: Thresholds | None
    schedule: Schedule | None
    errors: dict[str, str]


class ThresholdEditor(QDialog):
    """One plan item (one measurement): yellow/red low/high and the times of day."""

    saved = Signal(object)

    def __init__(
        self,
        item: PlanItem,
        series: Series | None,
        save: SaveFunction,
        *,
        can_edit: bool,
        now: Callable[[], datetime],
        parent: QWidget | None = None,
        debounce_ms: int = 150,
    ) -> None:
        super().__init__(parent)
        self.item = item
        self.series = series
        self._save = save
        self._now = now
        self._can_edit = can_edit
        self._task: asyncio.Task[Any] | None = None
        self._locale = QLocale()
        title = fmt.measurement_header(item.kind)
        self.setWindowTitle(self.tr("Thresholds and times: %1").replace("%1", title))
        self.setAccessibleName(self.windowTitle())
        layout = QVBoxLayout(self)

        self.origin = QLabel(self)
        self.origin.setWordWrap(True)
        layout.addWidget(self.origin)

        bands = QGroupBox(
            self.tr("Alert limits (a value below low or above high reaches the level)")
        )
        form = QFormLayout(bands)
        self.fields: dict[str, QLineEdit] = {}
        self.errors: dict[str, QLabel] = {}
        names = {
            "yellow_low": self.tr("Yellow, low"),
            "yellow_high": self.tr("Yellow, high"),
            "red_low": self.tr("Red, low"),
            "red_high": self.tr("Red, high"),
        }
        for key, name in names.items():
            edit = QLineEdit(bands)
            edit.setAccessibleName(name)
            edit.setPlaceholderText(self.tr("none"))
            error = QLabel(bands)
            error.setObjectName("fieldError")
            error.setStyleSheet("#fieldError { color: #b71c1c; }")
            error.setWordWrap(True)
            error.hide()
            row = QWidget(bands)
            row_layout = QHBoxLayout(row)
            row_layout.setContentsMargins(0, 0, 0, 0)
            row_layout.addWidget(edit)
            row_layout.addWidget(error, 1)
            label = QLabel(name + ":", bands)
            label.setBuddy(edit)
            form.addRow(label, row)
            edit.textEdited.connect(self._changed)
            self.fields[key] = edit
            self.errors[key] = error
        layout.addWidget(bands)
        self.band_error = QLabel(self)
        self.band_error.setObjectName("bandError")
        self.band_error.setStyleSheet("#bandError { color: #b71c1c; font-weight: bold; }")
        self.band_error.setWordWrap(True)
        self.band_error.hide()
        layout.addWidget(self.band_error)

        schedule_box = QGroupBox(self.tr("Measuring times"))
        schedule_layout = QFormLayout(schedule_box)
        self.times_edit = QLineEdit(schedule_box)
        self.times_edit.setAccessibleName(self.tr("Measuring times (HH:MM, separated by commas)"))
        self.times_edit.setPlaceholderText("08:00, 20:00")
        self.times_edit.textEdited.connect(self._changed)
        times_label = QLabel(self.tr("Times of day:"), schedule_box)
        times_label.setBuddy(self.times_edit)
        schedule_layout.addRow(times_label, self.times_edit)
        self.times_error = QLabel(schedule_box)
        self.times_error.setObjectName("fieldError")
        self.times_error.setStyleSheet("#fieldError { color: #b71c1c; }")
        self.times_error.hide()
        schedule_layout.addRow("", self.times_error)
        layout.addWidget(schedule_box)

        self.what_if_label = QLabel(self)
        self.what_if_label.setWordWrap(True)
        self.what_if_label.setAccessibleName(self.tr("Effect of the proposed limits"))
        self.what_if_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByKeyboard)
        layout.addWidget(self.what_if_label)

        self.status = QLabel(self)
        self.status.setWordWrap(True)
        self.status.setObjectName("saveStatus")
        layout.addWidget(self.status)

        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.save_button = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        self.save_button.setText(self.tr("&Save"))
        self.save_button.setAccessibleName(self.tr("Save thresholds and times"))
        cancel = self.buttons.button(QDialogButtonBox.StandardButton.Cancel)
        cancel.setText(self.tr("&Close"))
        cancel.setAccessibleName(self.tr("Close without saving"))
        self.buttons.accepted.connect(self._save_clicked)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)

        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(debounce_ms)
        self._debounce.timeout.connect(self.update_what_if)

        self._fill(item)
        for edit in (*self.fields.values(), self.times_edit):
            edit.setReadOnly(not can_edit)
        self.save_button.setEnabled(can_edit)
        if not can_edit:
            self.status.setText(self.tr("Your role may view but not change the plan."))
        self.update_what_if()

    # ----- contents ---------------------------------------------------------------------------

    def _number_text(self, value: float | None) -> str:
        if value is None:
            return ""
        return self._locale.toString(float(value), "g", 6)

    def _fill(self, item: PlanItem) -> None:
        thresholds = item.limits.thresholds or Thresholds(Band(), Band())
        values = {
            "yellow_low": thresholds.yellow.low,
            "yellow_high": thresholds.yellow.high,
            "red_low": thresholds.red.low,
            "red_high": thresholds.red.high,
        }
        for key, value in values.items():
            self.fields[key].setText(self._number_text(value))
        times = item.schedule.times if item.schedule else ()
        self.times_edit.setText(", ".join(t.strftime("%H:%M") for t in times))
        self._describe_origin(item)

    def _describe_origin(self, item: PlanItem) -> None:
        if item.limits.is_default:
            text = self.tr(
                "The plan has no limits of its own: showing the standard template. Saving "
                "makes them the patient's own."
            )
        else:
            text = self.tr("The patient's own limits (version %1).").replace("%1", item.version)
        self.origin.setText(text)

    def parse(self) -> Parsed:
        errors: dict[str, str] = {}
        numbers: dict[str, float | None] = {}
        low, high = PLAUSIBLE.get(self.item.kind, (float("-inf"), float("inf")))
        for key, edit in self.fields.items():
            text = edit.text().strip()
            if not text:
                numbers[key] = None
                continue
            value, ok = self._locale.toDouble(text)
            if not ok:
                value, ok = QLocale.c().toDouble(text.replace(",", "."))
            if not ok:
                errors[key] = self.tr("Not a number")
                continue
            if not low <= value <= high:
                errors[key] = (
                    self.tr("Outside %1–%2")
                    .replace("%1", self._number_text(low))
                    .replace("%2", self._number_text(high))
                )
                continue
            numbers[key] = value
        thresholds = None
        if not errors:
            thresholds = Thresholds(
                yellow=Band(numbers["yellow_low"], numbers["yellow_high"]),
                red=Band(numbers["red_low"], numbers["red_high"]),
            )
            messages = {
                "red-low-above-yellow-low": self.tr(
                    "Red low must be below yellow low: the red band lies outside the yellow one."
                ),
                "red-high-below-yellow-high": self.tr(
                    "Red high must be above yellow high: the red band lies outside the yellow one."
                ),
                "yellow-low-above-high": self.tr("Yellow low must be below yellow high."),
                "red-low-above-high": self.tr("Red low must be below red high."),
            }
            for code in band_errors(thresholds):
                errors["bands"] = (errors.get("bands", "") + " " + messages[code]).strip()
        schedule = None
        text = self.times_edit.text().strip()
        if text:
            times: list[time] = []
            for part in text.replace(";", ",").split(","):
                part = part.strip()
                try:
                    times.append(time.fromisoformat(part if len(part) > 2 else f"{part}:00"))
                except ValueError:
                    errors["times"] = self.tr("“%1” is not a time (HH:MM)").replace("%1", part)
                    break
            if "times" not in errors:
                every = self.item.schedule.every_days if self.item.schedule else 1
                schedule = Schedule(tuple(sorted(set(times))), every)
        return Parsed(thresholds, schedule, errors)

    def _changed(self) -> None:
        self.status.clear()
        self._debounce.start()

    def update_what_if(self) -> Parsed:
        """Show field errors and the what-if counts for the proposed values."""
        parsed = self.parse()
        for key, label in self.errors.items():
            message = parsed.errors.get(key, "")
            label.setText(message)
            label.setVisible(bool(message))
            self.fields[key].setAccessibleDescription(message)
        bands = parsed.errors.get("bands", "")
        self.band_error.setText(bands)
        self.band_error.setVisible(bool(bands))
        times = parsed.errors.get("times", "")
        self.times_error.setText(times)
        self.times_error.setVisible(bool(times))
        self.save_button.setEnabled(self._can_edit and not parsed.errors)
        if parsed.thresholds is None or self.series is None or not len(self.series):
            if self.series is None or not len(self.series):
                self.what_if_label.setText(self.tr("No measurements in the last 30 days."))
            else:
                self.what_if_label.setText(self.tr("Correct the input to see its effect."))
            return parsed
        proposed = Limits(parsed.thresholds, self.item.limits.trends)
        result = what_if(self.series, self.item.limits, proposed, end=self._now().timestamp())
        self.what_if_label.setText(self.what_if_text(result))
        return parsed

    def what_if_text(self, result: WhatIf) -> str:
        return (
            self.tr(
                "Last 30 days: current limits %1 yellow and %2 red alerts; proposed %3 yellow and %4 red."  # noqa: E501
            )
            .replace("%1", str(result.current.yellow))
            .replace("%2", str(result.current.red))
            .replace("%3", str(result.proposed.yellow))
            .replace("%4", str(result.proposed.red))
        )

    # ----- saving -----------------------------------------------------------------------------

    def _save_clicked(self) -> None:
        parsed = self.update_what_if()
        if parsed.errors or parsed.thresholds is None or not self._can_edit:
            return
        if self._task is not None and not self._task.done():
            return
        self.save_button.setEnabled(False)
        self.status.setText(self.tr("Saving…"))
        self._task = asyncio.ensure_future(self.save(parsed.thresholds, parsed.schedule))

    async def save(self, thresholds: Thresholds, schedule: Schedule | None) -> PlanItem | None:
        try:
            saved = await self._save(self.item, thresholds, schedule)
        except PlanConflict as conflict:
            self._conflict(conflict.current)
            return None
        except FhirError as exc:
            self.status.setText(self.tr("Not saved: %1").replace("%1", str(exc)))
            self.save_button.setEnabled(self._can_edit)
            return None
        self.item = saved
        self._describe_origin(saved)
        self.status.setText(self.tr("Saved."))
        self.saved.emit(saved)
        self.accept()
        return saved

    def _conflict(self, current: PlanItem) -> None:
        """Someone else saved first: say who and when, rebase on theirs, keep the typed text."""
        who = current.changed_by or self.tr("another user")
        when = date_time_text(current.last_updated) if current.last_updated else "?"
        self.item = current
        self._describe_origin(current)
        self.status.setText(
            self.tr(
                "Not saved: %1 changed this plan at %2. Their version is now the base; your "
                "values are still in the fields. Check them and save again."
            )
            .replace("%1", who)
            .replace("%2", when)
        )
        self.update_what_if()

    def done(self, result: int) -> None:
        if self._task is not None and not self._task.done():
            self._task.cancel()
        super().done(result)
