"""The video-call dialog: start a call (book, record, invite, open the browser), then end it.

Non-modal: `open_video_dialog(...)` calls `open()`, never `exec()`, so it works from coroutines
and the console stays usable during the call. The lead wires "Start video call" buttons in the
patient view and on alerts to `open_video_dialog(video, patient_id, ...)`.
"""

from __future__ import annotations

from datetime import UTC, datetime

from PySide6.QtCore import QCoreApplication, Qt, QTimer, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from console.domain.messages import Party, VideoCall, format_duration
from console.services.video import VideoService
from console.tasks import TaskKeeper
from console.ui.messages_view import relative_label


class VideoCallDialog(QDialog):
    """Start → in call (link, elapsed time, outcome note) → ended (duration)."""

    call_started = Signal(object)  # VideoCall
    call_ended = Signal(object)  # VideoCall

    def __init__(
        self,
        video: VideoService,
        patient_id: str,
        *,
        patient_name: str = "",
        relatives: list[Party] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.video = video
        self.patient_id = patient_id
        self.call: VideoCall | None = None
        self._relatives = list(relatives or [])
        self._tasks = TaskKeeper(self._show_error)
        self.setModal(False)
        self.setWindowTitle(QCoreApplication.translate("VideoCallDialog", "Video call"))
        self.setAccessibleName(QCoreApplication.translate("VideoCallDialog", "Video call"))

        layout = QVBoxLayout(self)
        # Never the internal id: a screen-shared or photographed title must not carry it.
        self.heading = QLabel(
            QCoreApplication.translate("VideoCallDialog", "Video call with %1").replace(
                "%1", patient_name
            )
            if patient_name
            else QCoreApplication.translate("VideoCallDialog", "Video call with the patient"),
            self,
        )
        font = self.heading.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.2)
        self.heading.setFont(font)
        self.heading.setTextFormat(Qt.TextFormat.PlainText)
        layout.addWidget(self.heading)

        form = QFormLayout()
        self.relative = QComboBox(self)
        self.relative.addItem(QCoreApplication.translate("VideoCallDialog", "No relative"), "")
        for party in self._relatives:
            self.relative.addItem(relative_label(party), party.id)
        self.relative.setAccessibleName(
            QCoreApplication.translate("VideoCallDialog", "Also invite a relative")
        )
        form.addRow(QCoreApplication.translate("VideoCallDialog", "Also &invite:"), self.relative)
        self.link = QLineEdit(self)
        self.link.setReadOnly(True)
        self.link.setAccessibleName(QCoreApplication.translate("VideoCallDialog", "Meeting link"))
        self.link.setPlaceholderText(
            QCoreApplication.translate("VideoCallDialog", "Made when the call starts")
        )
        form.addRow(QCoreApplication.translate("VideoCallDialog", "Meeting &link:"), self.link)
        self.state = QLabel(QCoreApplication.translate("VideoCallDialog", "Not started"), self)
        self.state.setAccessibleName(QCoreApplication.translate("VideoCallDialog", "Call status"))
        self.state.setTextFormat(Qt.TextFormat.PlainText)
        form.addRow(QCoreApplication.translate("VideoCallDialog", "Status:"), self.state)
        self.note = QPlainTextEdit(self)
        self.note.setTabChangesFocus(True)
        self.note.setFixedHeight(90)
        self.note.setAccessibleName(
            QCoreApplication.translate("VideoCallDialog", "Outcome of the call")
        )
        self.note.setPlaceholderText(
            QCoreApplication.translate(
                "VideoCallDialog", "What was agreed? Saved with the call when you end it."
            )
        )
        self.note.setEnabled(False)
        form.addRow(QCoreApplication.translate("VideoCallDialog", "&Outcome:"), self.note)
        self.host = QLineEdit(self)
        self.host.setAccessibleName(
            QCoreApplication.translate("VideoCallDialog", "Address of the video service")
        )
        self.host.setPlaceholderText(
            QCoreApplication.translate("VideoCallDialog", "for example video.kommune.no")
        )
        self.host.textChanged.connect(lambda _t: self._set_stage())
        if video.needs_host:
            # First: nothing else can happen until the municipality's service is named.
            form.insertRow(
                0, QCoreApplication.translate("VideoCallDialog", "Video &service:"), self.host
            )
            self.host_help = QLabel(
                QCoreApplication.translate(
                    "VideoCallDialog",
                    "No video service is set up on this computer yet. Enter the one your "
                    "municipality uses (ask IT if unsure); it is remembered for the next calls.",
                ),
                self,
            )
            self.host_help.setWordWrap(True)
            form.insertRow(1, self.host_help)
        else:
            self.host.hide()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        layout.addLayout(form)

        self.explain = QLabel(
            QCoreApplication.translate(
                "VideoCallDialog",
                "Starting books the call, sends the link to the patient (and the relative) in "
                "the message thread and opens it in your browser.",
            ),
            self,
        )
        self.explain.setWordWrap(True)
        layout.addWidget(self.explain)

        buttons = QHBoxLayout()
        self.start_button = QPushButton(
            QCoreApplication.translate("VideoCallDialog", "&Start video call"), self
        )
        self.start_button.setAccessibleName(
            QCoreApplication.translate("VideoCallDialog", "Start the video call")
        )
        self.start_button.setDefault(True)
        self.open_button = QPushButton(
            QCoreApplication.translate("VideoCallDialog", "&Open link again"), self
        )
        self.open_button.setAccessibleName(
            QCoreApplication.translate("VideoCallDialog", "Open the meeting link again")
        )
        self.copy_button = QPushButton(
            QCoreApplication.translate("VideoCallDialog", "&Copy link"), self
        )
        self.copy_button.setAccessibleName(
            QCoreApplication.translate("VideoCallDialog", "Copy the meeting link")
        )
        self.end_button = QPushButton(
            QCoreApplication.translate("VideoCallDialog", "&End call"), self
        )
        self.end_button.setAccessibleName(
            QCoreApplication.translate("VideoCallDialog", "End the call and save the outcome")
        )
        self.close_button = QPushButton(
            QCoreApplication.translate("VideoCallDialog", "Close"), self
        )
        self.close_button.setAccessibleName(
            QCoreApplication.translate("VideoCallDialog", "Close the window")
        )
        for button in (
            self.start_button,
            self.open_button,
            self.copy_button,
            self.end_button,
            self.close_button,
        ):
            buttons.addWidget(button)
        layout.addStretch(1)
        layout.addLayout(buttons)
        self.start_button.clicked.connect(self._start)
        self.open_button.clicked.connect(self._open_again)
        self.copy_button.clicked.connect(self._copy)
        self.end_button.clicked.connect(self._end)
        self.close_button.clicked.connect(self.close)

        self.error = QLabel(self)
        self.error.setWordWrap(True)
        self.error.setAccessibleName(QCoreApplication.translate("VideoCallDialog", "Problem"))
        self.error.setTextFormat(Qt.TextFormat.PlainText)
        layout.addWidget(self.error)

        self._clock = QTimer(self)
        self._clock.setInterval(1000)
        self._clock.timeout.connect(self._tick)
        self._set_stage()
        self.resize(720, 380)

    # ----- stages ------------------------------------------------------------------------------

    def _set_stage(self, busy: bool = False) -> None:
        started = self.call is not None
        ended = started and self.call is not None and not self.call.active
        missing_host = self.video.needs_host and not self.host.text().strip()
        self.start_button.setEnabled(not started and not busy and not missing_host)
        self.relative.setEnabled(not started and not busy)
        self.open_button.setEnabled(started and not ended)
        self.copy_button.setEnabled(started)
        self.end_button.setEnabled(started and not ended and not busy)
        self.note.setEnabled(started and not ended)

    def _tick(self) -> None:
        if self.call is None:
            return
        if self.call.active:
            elapsed = datetime.now(UTC) - self.call.started
            self.state.setText(
                QCoreApplication.translate("VideoCallDialog", "In progress – %1").replace(
                    "%1", format_duration(elapsed)
                )
            )
        else:
            duration = self.call.duration
            self.state.setText(
                QCoreApplication.translate("VideoCallDialog", "Ended – lasted %1").replace(
                    "%1", format_duration(duration) if duration is not None else "?"
                )
            )

    # ----- actions -----------------------------------------------------------------------------

    def _start(self) -> None:
        if self.call is not None:
            return
        if self.video.needs_host:
            try:
                self.video.set_host(self.host.text())
            except ValueError:
                self.error.setText(
                    QCoreApplication.translate(
                        "VideoCallDialog",
                        "That is not a host name. Enter only the name, e.g. video.kommune.no.",
                    )
                )
                return
            self.host.setEnabled(False)
        relative_id = str(self.relative.currentData() or "")
        relative = next((p for p in self._relatives if p.id == relative_id), None)
        self.state.setText(QCoreApplication.translate("VideoCallDialog", "Starting…"))
        self.error.clear()
        self._set_stage(busy=True)
        self._tasks.spawn(self._start_call(relative), "video-start")

    async def _start_call(self, relative: Party | None) -> None:
        try:
            call = await self.video.start_call(self.patient_id, relative=relative)
        finally:
            self._set_stage()
        self.call = call
        self.link.setText(call.url)
        self._set_stage()
        self._tick()
        self._clock.start()
        self.note.setFocus()
        self.call_started.emit(call)

    def _open_again(self) -> None:
        if self.call is not None:
            self.video.open_url(self.call.url)

    def _copy(self) -> None:
        if self.call is not None:
            QGuiApplication.clipboard().setText(self.call.url)

    def _end(self) -> None:
        if self.call is None or not self.call.active:
            return
        self._set_stage(busy=True)
        self._tasks.spawn(self._end_call(self.call, self.note.toPlainText()), "video-end")

    async def _end_call(self, call: VideoCall, note: str) -> None:
        try:
            ended = await self.video.end_call(call, note)
        finally:
            self._set_stage()
        self.call = ended
        self._clock.stop()
        self._set_stage()
        self._tick()
        self.close_button.setFocus()
        self.call_ended.emit(ended)

    def _show_error(self, exc: BaseException) -> None:
        detail = getattr(exc, "outcome_text", None) or str(exc)
        self.error.setText(
            QCoreApplication.translate("VideoCallDialog", "Could not complete: %1").replace(
                "%1", str(detail)
            )
        )
        if self.call is None:
            self.state.setText(QCoreApplication.translate("VideoCallDialog", "Not started"))

    async def aclose(self) -> None:
        self._clock.stop()
        await self._tasks.cancel_all()


def open_video_dialog(
    video: VideoService,
    patient_id: str,
    *,
    patient_name: str = "",
    relatives: list[Party] | None = None,
    parent: QWidget | None = None,
) -> VideoCallDialog:
    """Show the (non-modal) dialog for a patient and return it; the caller keeps it alive."""
    dialog = VideoCallDialog(
        video, patient_id, patient_name=patient_name, relatives=relatives, parent=parent
    )
    dialog.open()
    return dialog
