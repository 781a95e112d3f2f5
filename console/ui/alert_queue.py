"""The alert queue view: cards in priority order, actions, sound, flashing and keyboard.

Keys work while the card list has focus (where the queue puts it): J/K or ↓/↑ move, C or Space
claims, U releases, Enter opens the patient, R resolves, M comments, S snoozes, F forwards,
N asks for a new measurement; Ctrl+M silences the sound for a while and F1 or ? shows every
shortcut, anywhere in the queue. Every action also has a button with an Alt mnemonic.

The view never talks to the server: it emits `*_requested` signals; `bind(service)` connects
them to an `AlertService` and its results back to the view.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QItemSelectionModel, QPoint, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QGuiApplication, QKeySequence, QRegion, QResizeEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QListView,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from console.domain.alerts import (
    DEFAULT_SILENCE,
    AlertStatus,
    Outcome,
    PatientAlerts,
    Priority,
    SoundPolicy,
)
from console.domain.hours import DEFAULT_HOURS, ServiceHours
from console.domain.training import marked_text
from console.state.alert_queue import (
    AlertQueueModel,
    AlertRowsModel,
    Role,
    adherence_line,
    day_clock_text,
    since_line,
)
from console.ui.alert_dialogs import CommentDialog, ForwardDialog, SnoozeDialog
from console.ui.resolve_dialog import ResolveDialog
from console.ui.shortcuts_help import ShortcutsHelp
from widgets.alert_card import AlertCardDelegate, CardData
from widgets.alert_sound import NullSoundPlayer, SoundPlayer

if TYPE_CHECKING:
    from console.services.alerts import AlertService, ResolveResult

#: Flash periods (ms) for a high alert and for an escalated one.
FLASH_PERIOD_MS = 1600
URGENT_FLASH_PERIOD_MS = 600
#: 10 frames a second keep the pulse smooth; each frame repaints only the visible flashing cards.
FRAME_MS = 100


class AlertListView(QListView):
    """The card list; focus is drawn by the delegate (dashed outline), not by colour."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.setUniformItemSizes(False)
        # Cards differ in height, so a layout asks every card for its size: with a thousand
        # cards that blocked the UI thread for 10-20 ms per change; batches of 100 do not.
        self.setLayoutMode(QListView.LayoutMode.Batched)
        self.setBatchSize(100)
        self.setSpacing(2)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)


class SideList(QFrame):
    """A titled, compact list beside the cards ("since we closed", adherence items)."""

    open_patient = Signal(str)

    def __init__(self, title: str, accessible: str, rows: int, parent: QWidget | None = None):
        super().__init__(parent)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 4, 6, 4)
        layout.setSpacing(2)
        head = QHBoxLayout()
        self.title = QLabel(title, self)
        font = self.title.font()
        font.setBold(True)
        self.title.setFont(font)
        self.title.setWordWrap(True)
        head.addWidget(self.title, 1)
        self.head = head
        layout.addLayout(head)
        self.model = AlertRowsModel(self)
        self.list = QListView(self)
        self.list.setModel(self.model)
        self.list.setAccessibleName(accessible)
        # Each row is two lines (who and when; what), each elided at the pane's width with
        # the whole text in the tooltip: no sideways scrolling, no row cut in half.
        self.list.setUniformItemSizes(True)
        self.list.setWordWrap(False)
        self.list.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.list.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerItem)
        self.list.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.list.setAlternatingRowColors(True)
        self._rows = rows
        self._fit(2 * self.list.fontMetrics().height() + 4)
        # The delegate's real row height is known once there is a row: whole rows, never half.
        self.model.modelReset.connect(self._fit_rows)
        self.list.activated.connect(self._activated)
        layout.addWidget(self.list)

    def _fit(self, entry: int) -> None:
        frame = 2 * self.list.frameWidth()
        self.list.setMaximumHeight(self._rows * entry + frame)
        self.list.setMinimumHeight(min(self._rows, 2) * entry + frame)

    def _fit_rows(self) -> None:
        if self.model.rowCount() > 0:
            entry = self.list.sizeHintForRow(0)
            if entry > 0:
                self._fit(entry)
                return
        self._fit(2 * self.list.fontMetrics().height() + 4)

    def set_visible_rows(self, rows: int) -> None:
        """How many whole rows the list shows before it scrolls (more on a tall screen)."""
        if rows != self._rows:
            self._rows = rows
            self._fit_rows()

    def _activated(self, index: Any) -> None:
        pid = index.data(Role.PATIENT_ID)
        if pid:
            self.open_patient.emit(pid)


#: Rows the side lists show: a 768-pixel screen keeps room for the cards, a 1080 one shows more.
SIDE_ROWS_SHORT, SIDE_ROWS_TALL, TALL_FROM = 3, 5, 850


class AlertQueueView(QWidget):
    open_patient = Signal(str)
    claim_requested = Signal(str)
    unclaim_requested = Signal(str)
    comment_requested = Signal(str, str)
    snooze_requested = Signal(str, object, str)  # patient id, until (datetime), reason
    forward_requested = Signal(str, object, object, str)  # id, department, person, message
    resolve_requested = Signal(str, object, str)  # patient id, Outcome, comment
    remeasure_requested = Signal(str)

    def __init__(
        self,
        model: AlertQueueModel,
        *,
        sound: SoundPlayer | None = None,
        now: Callable[[], datetime] = lambda: datetime.now(UTC),
        reduce_motion: bool = False,
        silence_for: timedelta = DEFAULT_SILENCE,
        tick_ms: int = 1000,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.model = model
        self.sound: SoundPlayer = sound if sound is not None else NullSoundPlayer()
        self._now = now
        self.policy = SoundPolicy()
        self.silence_for = silence_for
        self._draft: Callable[[str, Outcome, str], str] = lambda _p, _o, _c: ""
        self._suspect: Callable[[str], bool] = lambda _p: False
        self._error_confirmed: Callable[[str], bool] = lambda _p: False
        self._hours: Callable[[], ServiceHours] = lambda: DEFAULT_HOURS
        #: The closed period whose "since we closed" list the nurse marked as reviewed.
        self._reviewed: datetime | None = None
        self._departments: list[tuple[str, str]] = []
        self._people: list[tuple[str, str]] = []
        self._last_note = ""
        self._flash_ms = 0
        #: Why no sound will be heard ("" while a player is there).
        self.no_sound = ""
        self.dialog: Any = None
        self._suspect_timer = QTimer(self)
        self._suspect_timer.setSingleShot(True)
        self._suspect_timer.setInterval(300)
        self.setAccessibleName(self.tr("Alert queue"))

        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        header = QHBoxLayout()
        self.title = QLabel(self.tr("Alerts"), self)
        font = self.title.font()
        font.setBold(True)
        self.title.setFont(font)
        self.counts = QLabel(self)
        self.counts.setAccessibleName(self.tr("Alert counts"))
        self.silence_label = QLabel(self)
        self.silence_label.setAccessibleName(self.tr("Sound status"))
        self.silence_button = QPushButton(self.tr("&Mute sound"), self)
        self.silence_button.setAccessibleName(self.tr("Mute the alert sound for 5 minutes"))
        self.silence_button.setToolTip(self.tr("Ctrl+M. Muting does not claim anything."))
        self.silence_button.clicked.connect(self.toggle_silence)
        header.addWidget(self.title)
        header.addWidget(self.counts, 1)
        header.addWidget(self.silence_label)
        header.addWidget(self.silence_button)
        layout.addLayout(header)

        self.since = SideList(
            self.tr("Since we closed"),
            self.tr("Alerts that came while the centre was closed"),
            3,
            self,
        )
        self.since.setAccessibleName(self.tr("Since we closed"))
        self.review_button = QPushButton(self.tr("Re&viewed"), self.since)
        self.review_button.setAccessibleName(self.tr("Mark the since-we-closed list as reviewed"))
        self.review_button.setToolTip(
            self.tr(
                "Hide this list until the centre has closed again. The alerts stay in the queue."
            )
        )
        self.review_button.clicked.connect(self.mark_reviewed)
        self.since.head.addWidget(self.review_button)
        self.since.open_patient.connect(self.open_patient)
        self.since.hide()
        layout.addWidget(self.since)

        self.list = AlertListView(self)
        self.list.setModel(model)
        self.list.setAccessibleName(self.tr("Alerts, one card per patient"))
        self.delegate = AlertCardDelegate(self.list)
        self.delegate.reduce_motion = reduce_motion
        self.list.setItemDelegate(self.delegate)
        self.list.activated.connect(lambda _i: self.open_current())
        layout.addWidget(self.list, 1)

        # Adherence items are a list of their own, never mixed in with the clinical cards.
        self.adherence = SideList(
            self.tr("Adherence"), self.tr("Missing measurements, oldest first"), 3, self
        )
        self.adherence.setAccessibleName(self.tr("Adherence list"))
        self.adherence.open_patient.connect(self.open_patient)
        layout.addWidget(self.adherence)

        self.message = QLabel(self)
        self.message.setWordWrap(True)
        self.message.setAccessibleName(self.tr("Message"))
        self.message.hide()
        self.copy_note_button = QPushButton(self.tr("Copy &journal note"), self)
        self.copy_note_button.setAccessibleName(self.tr("Copy the journal note to the clipboard"))
        self.copy_note_button.clicked.connect(self.copy_last_note)
        self.copy_note_button.hide()
        message_row = QHBoxLayout()
        message_row.addWidget(self.message, 1)
        message_row.addWidget(self.copy_note_button)
        layout.addLayout(message_row)

        # Two rows of four so the queue fits a narrow pane beside the patient list.
        buttons = QGridLayout()
        buttons.setHorizontalSpacing(4)
        buttons.setVerticalSpacing(2)
        self.buttons: dict[str, QPushButton] = {}
        for key, text, accessible, slot in (
            ("claim", self.tr("&Claim"), self.tr("Claim the alert (C)"), self.claim_current),
            (
                "unclaim",
                self.tr("Re&lease"),
                self.tr("Release the claim (U)"),
                self.unclaim_current,
            ),
            ("comment", self.tr("Co&mment…"), self.tr("Comment (M)"), self.comment_current),
            ("snooze", self.tr("&Snooze…"), self.tr("Snooze (S)"), self.snooze_current),
            ("forward", self.tr("&Forward…"), self.tr("Forward (F)"), self.forward_current),
            ("resolve", self.tr("&Resolve…"), self.tr("Resolve (R)"), self.resolve_current),
            (
                "open",
                self.tr("&Open patient"),
                self.tr("Open the patient (Enter)"),
                self.open_current,
            ),
            ("help", self.tr("&Help"), self.tr("Keyboard shortcuts (F1)"), self.show_help),
        ):
            button = QPushButton(text, self)
            button.setAccessibleName(accessible)
            button.setToolTip(accessible)
            button.clicked.connect(slot)
            position = len(self.buttons)
            buttons.addWidget(button, position // 4, position % 4)
            self.buttons[key] = button
        layout.addLayout(buttons)

        self.actions_by_name: dict[str, QAction] = {}
        list_keys: list[tuple[str, Sequence[str], Callable[[], None]]] = [
            ("next", ("J", "Down"), self.next_alert),
            ("previous", ("K", "Up"), self.previous_alert),
            ("claim", ("C", "Space"), self.claim_current),
            ("unclaim", ("U",), self.unclaim_current),
            ("open", ("Return", "Enter"), self.open_current),
            ("resolve", ("R",), self.resolve_current),
            ("comment", ("M",), self.comment_current),
            ("snooze", ("S",), self.snooze_current),
            ("forward", ("F",), self.forward_current),
            ("remeasure", ("N",), self.remeasure_current),
        ]
        for name, keys, slot in list_keys:
            self._action(name, keys, slot, self.list, Qt.ShortcutContext.WidgetShortcut)
        self._action(
            "silence",
            ("Ctrl+M",),
            self.toggle_silence,
            self,
            Qt.ShortcutContext.WidgetWithChildrenShortcut,
        )
        self._action(
            "help", ("F1", "?"), self.show_help, self, Qt.ShortcutContext.WidgetWithChildrenShortcut
        )

        model.modelReset.connect(self._after_reset)
        model.rowsInserted.connect(lambda *_: self._ensure_current())
        model.counts_changed.connect(self._update_counts)
        self.list.selectionModel().currentChanged.connect(lambda *_: self._update_buttons())

        self._clock = QTimer(self)
        self._clock.setInterval(tick_ms)
        self._clock.timeout.connect(self.tick)
        self._clock.start()
        self._flash = QTimer(self)
        self._flash.setInterval(FRAME_MS)
        self._flash.timeout.connect(self._flash_frame)
        self._update_counts()
        self._update_buttons()
        self._update_silence()

    # ----- wiring --------------------------------------------------------------------------------

    def resizeEvent(self, event: QResizeEvent) -> None:
        rows = SIDE_ROWS_TALL if event.size().height() >= TALL_FROM else SIDE_ROWS_SHORT
        self.since.set_visible_rows(rows)
        self.adherence.set_visible_rows(rows)
        super().resizeEvent(event)

    def bind(self, service: AlertService) -> None:
        """Connect to an AlertService: requests go to it, its answers come back here."""
        self.claim_requested.connect(service.request_claim)
        self.unclaim_requested.connect(service.request_unclaim)
        self.comment_requested.connect(service.request_comment)
        self.snooze_requested.connect(service.request_snooze)
        self.forward_requested.connect(service.request_forward)
        self.resolve_requested.connect(service.request_resolve)
        self.remeasure_requested.connect(service.request_remeasure)
        service.conflict.connect(self.show_conflict)
        service.failed.connect(self.show_failure)
        service.resolved.connect(self.show_resolved)
        service.done.connect(self._action_done)
        self._draft = service.draft_note
        self._error_confirmed = service.measurement_error_confirmed
        self._hours = lambda: service.hours
        # Whether the value in focus looks like a measurement error: checked in the background
        # when a card gets focus, so the resolve dialog can suggest it without waiting.
        self._suspect = service.suspect_known
        # Only a card that keeps focus for a moment is checked (not every card passed on the
        # way with the arrow keys).
        self._suspect_timer.timeout.connect(lambda: self._check_suspect(service))
        self.list.selectionModel().currentChanged.connect(lambda *_: self._suspect_timer.start())

    def set_forward_targets(
        self, departments: Sequence[tuple[str, str]], people: Sequence[tuple[str, str]]
    ) -> None:
        """Where alerts can be forwarded: (id, name) of departments and of people (leads)."""
        self._departments = list(departments)
        self._people = list(people)

    def _check_suspect(self, service: AlertService) -> None:
        card = self.current_card()
        if card is not None:
            service.request_suspect_check(card.patient_id)

    def set_reduce_motion(self, reduce: bool) -> None:
        self.delegate.reduce_motion = reduce
        self._update_flashing()
        self.list.viewport().update()

    # ----- navigation ----------------------------------------------------------------------------

    def current_patient_id(self) -> str | None:
        index = self.list.currentIndex()
        return index.data(Role.PATIENT_ID) if index.isValid() else None

    def current_card(self) -> PatientAlerts | None:
        index = self.list.currentIndex()
        return index.data(Role.BUNDLE) if index.isValid() else None

    def select_patient(self, patient_id: str) -> None:
        row = self.model.row_of(patient_id)
        if row is not None:
            self._set_row(row)

    def next_alert(self) -> None:
        self._move(1)

    def previous_alert(self) -> None:
        self._move(-1)

    def _move(self, step: int) -> None:
        count = self.model.rowCount()
        if not count:
            return
        current = self.list.currentIndex()
        row = current.row() + step if current.isValid() else 0
        self._set_row(max(0, min(count - 1, row)))

    def _set_row(self, row: int) -> None:
        index = self.model.index(row)
        self.list.selectionModel().setCurrentIndex(
            index, QItemSelectionModel.SelectionFlag.ClearAndSelect
        )
        self.list.scrollTo(index)

    def _ensure_current(self) -> None:
        if not self.list.currentIndex().isValid() and self.model.rowCount():
            self._set_row(0)

    def _after_reset(self) -> None:
        self._ensure_current()
        self._update_buttons()

    # ----- actions -------------------------------------------------------------------------------

    def claim_current(self) -> None:
        pid = self.current_patient_id()
        if pid:
            self.claim_requested.emit(pid)

    def unclaim_current(self) -> None:
        pid = self.current_patient_id()
        if pid:
            self.unclaim_requested.emit(pid)

    def open_current(self) -> None:
        pid = self.current_patient_id()
        if pid:
            self.open_patient.emit(pid)

    def remeasure_current(self) -> None:
        pid = self.current_patient_id()
        if pid:
            self.remeasure_requested.emit(pid)

    def comment_current(self) -> None:
        card = self.current_card()
        if card is None:
            return
        dialog = CommentDialog(card.patient_name, self)

        def finished(result: int) -> None:
            if result == CommentDialog.DialogCode.Accepted and dialog.comment():
                self.comment_requested.emit(card.patient_id, dialog.comment())
            self._dialog_closed(dialog)

        self._open(dialog, finished)

    def snooze_current(self) -> None:
        card = self.current_card()
        if card is None:
            return
        dialog = SnoozeDialog(card.patient_name, self._now(), self)

        def finished(result: int) -> None:
            if result == SnoozeDialog.DialogCode.Accepted:
                self.snooze_requested.emit(card.patient_id, dialog.until(), dialog.reason_text())
            self._dialog_closed(dialog)

        self._open(dialog, finished)

    def forward_current(self) -> None:
        card = self.current_card()
        if card is None:
            return
        dialog = ForwardDialog(card.patient_name, self._departments, self._people, self)

        def finished(result: int) -> None:
            department, person = dialog.choice()
            if result == ForwardDialog.DialogCode.Accepted and (department or person):
                self.forward_requested.emit(card.patient_id, department, person, dialog.note_text())
            self._dialog_closed(dialog)

        self._open(dialog, finished)

    def resolve_current(self) -> None:
        card = self.current_card()
        if card is None:
            return
        pid = card.patient_id
        dialog = ResolveDialog(
            card,
            lambda outcome, comment: self._draft(pid, outcome, comment),
            suspect=self._suspect(pid) or any(a.suspect for a in card.alerts),
            error_confirmed=self._error_confirmed(pid),
            parent=self,
        )
        dialog.remeasure_requested.connect(lambda: self.remeasure_requested.emit(pid))

        def finished(result: int) -> None:
            if result == ResolveDialog.DialogCode.Accepted:
                self._last_note = dialog.note()
                self.resolve_requested.emit(pid, dialog.outcome(), dialog.comment_text())
            self._dialog_closed(dialog)

        self._open(dialog, finished)

    def show_help(self) -> None:
        dialog = ShortcutsHelp(parent=self)
        self._open(dialog, lambda _r: self._dialog_closed(dialog))

    def _open(self, dialog: Any, finished: Callable[[int], None]) -> None:
        """Non-blocking: `open()` and the `finished` signal, never `exec()`."""
        if self.dialog is not None:
            self.dialog.close()
        self.dialog = dialog
        dialog.finished.connect(finished)
        dialog.open()

    def _dialog_closed(self, dialog: Any) -> None:
        if self.dialog is dialog:
            self.dialog = None
        dialog.deleteLater()
        self.list.setFocus(Qt.FocusReason.OtherFocusReason)

    # ----- results -------------------------------------------------------------------------------

    def show_conflict(self, patient_id: str, message: str) -> None:
        card = self.model.card_for(patient_id)
        name = card.patient_name if card else ""
        self._show_message(f"{name}: {message}" if name else message, warning=True)

    def show_failure(self, message: str) -> None:
        self._show_message(message, warning=True)

    def show_resolved(self, result: ResolveResult) -> None:
        self._last_note = result.note
        self._show_message(
            self.tr("Resolved: %1. The draft journal note is ready to copy.").replace(
                "%1", result.patient_name
            )
        )
        self.copy_note_button.show()

    def copy_last_note(self) -> None:
        if self._last_note:
            QGuiApplication.clipboard().setText(marked_text(self._last_note))
            self._show_message(self.tr("Journal note copied to the clipboard."))
            self.copy_note_button.show()

    def _action_done(self, action: str, patient_id: str) -> None:
        if action == "remeasure":
            self._show_message(self.tr("The patient has been asked for a new measurement."))
        self._update_buttons()

    def _show_message(self, text: str, *, warning: bool = False) -> None:
        prefix = "⚠ " if warning else ""
        self.message.setText(prefix + text)
        self.message.setAccessibleName(text)
        self.message.setStyleSheet("color: #8a1c1c; font-weight: bold;" if warning else "")
        self.message.show()
        self.copy_note_button.hide()

    # ----- clock: sound, silence countdown, flashing ---------------------------------------------

    def tick(self) -> None:
        now = self._now()
        if self.policy.should_play(self.model.cards(), now):
            self.sound.play()
        self._update_silence()
        self._update_flashing()
        self._update_side_lists()

    # ----- the adherence list and "since we closed" ----------------------------------------------

    def closed_period(self) -> tuple[datetime | None, datetime | None]:
        return self._hours().previous_closed_period(self.model.now())

    def mark_reviewed(self) -> None:
        """The nurse has gone through the list: hidden until the centre closes again."""
        self._reviewed = self.closed_period()[0]
        self._update_side_lists()
        self.list.setFocus(Qt.FocusReason.OtherFocusReason)

    def _update_side_lists(self) -> None:
        now = self.model.now()
        items = self.model.adherence()
        self.adherence.model.set_rows((adherence_line(a, now), a) for a in items)
        self.adherence.title.setText(
            self.tr("Adherence – missing measurements: %1").replace("%1", str(len(items)))
            if items
            else self.tr("Adherence: nothing missing")
        )
        since, opened = self.closed_period()
        rows = self.model.since_closed(since, opened) if since is not None else []
        if since is None or not rows or (self._reviewed is not None and self._reviewed == since):
            self.since.hide()
            return
        clinical = [a for a in rows if not a.is_adherence]
        self.since.model.set_rows((since_line(a, now), a) for a in rows)
        self.since.title.setText(
            self.tr("Since we closed (%1) – alerts: %2, adherence: %3")
            .replace("%1", day_clock_text(since))
            .replace("%2", str(len(clinical)))
            .replace("%3", str(len(rows) - len(clinical)))
        )
        self.since.show()

    def toggle_silence(self) -> None:
        """Mute locally for a while (acknowledges nothing); pressing again unmutes."""
        if self.policy.silenced(self._now()):
            self.policy.unsilence()
        else:
            self.policy.silence(self._now(), self.silence_for)
            self.sound.stop()
        self._update_silence()

    def set_no_sound(self, reason: str) -> None:
        """No alert sound will be heard (no output, or switched off): say so instead of
        "Sound on", and offer no mute button that would mute nothing."""
        self.no_sound = reason or self.tr("No alert sound on this computer.")
        self._update_silence()

    def _update_silence(self) -> None:
        if self.no_sound:
            self.silence_label.setText("⚠ " + self.tr("No sound"))
            self.silence_label.setToolTip(self.no_sound)
            self.silence_label.setAccessibleName(self.tr("No sound") + ": " + self.no_sound)
            self.silence_button.hide()
            return
        remaining = self.policy.remaining(self._now())
        if remaining is None:
            self.silence_label.setText(self.tr("Sound on"))
            self.silence_button.setText(self.tr("&Mute sound"))
        else:
            seconds = int(remaining.total_seconds() + 0.999)
            text = self.tr("Sound muted for %1").replace(
                "%1", f"{seconds // 60}:{seconds % 60:02d}"
            )
            self.silence_label.setText(text)
            self.silence_button.setText(self.tr("Un&mute"))
        self.silence_label.setAccessibleName(self.silence_label.text())

    def _update_flashing(self) -> None:
        cards = self.model.cards()
        alarming = [
            c
            for c in cards
            if c.priority is Priority.HIGH and c.status is AlertStatus.NEW and not c.snoozed
        ]
        if not alarming or self.delegate.reduce_motion:
            if self._flash.isActive():
                self._flash.stop()
                self.delegate.phase = 0.0
                self.list.viewport().update()
            return
        self._flash_ms = (
            URGENT_FLASH_PERIOD_MS if any(c.escalated for c in alarming) else FLASH_PERIOD_MS
        )
        if not self._flash.isActive():
            self._flash.start()

    def _flash_frame(self) -> None:
        period = self._flash_ms or FLASH_PERIOD_MS
        self.delegate.phase = (self.delegate.phase + FRAME_MS / period) % 1.0
        viewport = self.list.viewport()
        first = self.list.indexAt(QPoint(4, 4))
        if not first.isValid():
            viewport.update()
            return
        region = QRegion()
        height = viewport.height()
        for row in range(first.row(), self.model.rowCount()):
            rect = self.list.visualRect(self.model.index(row))
            if rect.top() > height:
                break
            data = self.model.index(row).data(Role.CARD)
            if isinstance(data, CardData) and data.alarming:
                region += rect
        if not region.isEmpty():
            viewport.update(region)

    # ----- small things --------------------------------------------------------------------------

    def _action(
        self,
        name: str,
        keys: Sequence[str],
        slot: Callable[[], None],
        owner: QWidget,
        context: Qt.ShortcutContext,
    ) -> QAction:
        action = QAction(name, owner)
        action.setShortcuts([QKeySequence(k) for k in keys])
        action.setShortcutContext(context)
        action.triggered.connect(slot)
        owner.addAction(action)
        self.actions_by_name[name] = action
        return action

    def _update_counts(self) -> None:
        self._update_side_lists()
        counts = self.model.counts()
        self.counts.setText(
            self.tr("%1 high · %2 medium · %3 low")
            .replace("%1", str(counts[Priority.HIGH]))
            .replace("%2", str(counts[Priority.MEDIUM]))
            .replace("%3", str(counts[Priority.LOW]))
        )
        self._ensure_current()
        self._update_buttons()

    def _update_buttons(self) -> None:
        card = self.current_card()
        has = card is not None
        for key in ("claim", "unclaim", "comment", "snooze", "forward", "resolve", "open"):
            self.buttons[key].setEnabled(has)
        if card is not None:
            self.list.setAccessibleDescription(
                self.model.accessible_text(self.list.currentIndex().row())
            )

    def closeEvent(self, event: Any) -> None:
        self._clock.stop()
        self._flash.stop()
        super().closeEvent(event)

    def stop(self) -> None:
        """Stop the clocks (the session calls this on quit)."""
        self._clock.stop()
        self._flash.stop()
        self._suspect_timer.stop()
        self.sound.stop()
