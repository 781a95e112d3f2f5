"""A patient's messages: the patient/relatives thread and the colleague thread, with a composer.

    view = MessagesView(messaging, patient_id, me, can_edit_templates=is_superuser)
    await view.load()          # both threads, relatives, quick replies; marks the open one read
    ...
    await view.aclose()        # before the client is closed

The view is given the session's `MessagingService` (the workbench composes it), so unread
counts and the outbox are the same everywhere.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QListView,
    QPlainTextEdit,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from console.domain.messages import (
    MessagingUser,
    Party,
    PartyKind,
    QuickReply,
    ThreadKind,
    count_unread,
    is_unread,
)
from console.services.messaging import MessagingService
from console.services.outbox import unsent_warning
from console.services.patient_texts import PatientTexts
from console.state.threads import Role, ThreadModel, relationship_text
from console.tasks import TaskKeeper
from console.ui.patient_texts_dialog import PatientTextsEditor
from widgets.message_bubble import MessageBubbleDelegate

log = logging.getLogger(__name__)


def relative_label(party: Party) -> str:
    if party.relationship:
        return f"{party.name} ({relationship_text(party.relationship)})"
    return party.name


class ThreadPane(QWidget):
    """One thread: the bubbles, and under them the composer."""

    send_requested = Signal(str, str)  # text, in-response-to message id ("" for none)
    resend_requested = Signal(str, str)  # outbox key, text

    def __init__(self, kind: ThreadKind, me: MessagingUser, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.kind = kind
        self.model = ThreadModel(kind, me=me, parent=self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 6, 0, 0)
        if kind is ThreadKind.COLLEAGUE:
            banner = QLabel(
                QCoreApplication.translate(
                    "MessagesView",
                    "Collaboration between services – not visible to the patient",
                ),
                self,
            )
            banner.setObjectName("colleagueBanner")
            banner.setAccessibleName(banner.text())
            banner.setWordWrap(True)
            banner.setStyleSheet(
                "QLabel#colleagueBanner { border: 2px dashed #4a6b43; background: #eef3ec;"
                " padding: 6px 10px; font-weight: bold; color: #1b1f24; }"
            )
            layout.addWidget(banner)
        self.list = QListView(self)
        self.list.setModel(self.model)
        self.list.setItemDelegate(MessageBubbleDelegate(self.list))
        self.list.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.list.setResizeMode(QListView.ResizeMode.Adjust)
        self.list.setUniformItemSizes(False)
        self.list.setWordWrap(True)
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.list.setAccessibleName(
            QCoreApplication.translate("MessagesView", "Messages with the patient and relatives")
            if kind is ThreadKind.PATIENT
            else QCoreApplication.translate("MessagesView", "Messages between services")
        )
        self.list.setStyleSheet("QListView { background: #f7f8fa; }")
        layout.addWidget(self.list, 1)
        self.list.selectionModel().currentChanged.connect(lambda *_: self._update_buttons())

        self.recipients_row = QHBoxLayout()
        self.relative_boxes: list[tuple[QCheckBox, Party]] = []
        if kind is ThreadKind.PATIENT:
            to = QLabel(QCoreApplication.translate("MessagesView", "To: the patient"), self)
            self.recipients_row.addWidget(to)
            self.recipients_row.addStretch(1)
            layout.addLayout(self.recipients_row)

        tools = QHBoxLayout()
        self.quick = QComboBox(self)
        self.quick.setAccessibleName(QCoreApplication.translate("MessagesView", "Quick replies"))
        self.quick.setMinimumContentsLength(40)
        self.quick.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        quick_label = QLabel(QCoreApplication.translate("MessagesView", "&Quick reply:"), self)
        quick_label.setBuddy(self.quick)
        self.quick.activated.connect(self._insert_quick)
        self.edit_templates = QPushButton(
            QCoreApplication.translate("MessagesView", "Edit quick replies…"), self
        )
        self.edit_templates.setAccessibleName(
            QCoreApplication.translate("MessagesView", "Edit the department's quick replies")
        )
        self.edit_templates.hide()
        self.edit_patient_texts = QPushButton(
            QCoreApplication.translate("MessagesView", "Messages to patients…"), self
        )
        self.edit_patient_texts.setAccessibleName(
            QCoreApplication.translate("MessagesView", "Edit the department's messages to patients")
        )
        self.edit_patient_texts.hide()
        tools.addWidget(quick_label)
        tools.addWidget(self.quick, 1)
        tools.addWidget(self.edit_templates)
        tools.addWidget(self.edit_patient_texts)
        if kind is ThreadKind.PATIENT:
            layout.addLayout(tools)
        else:
            quick_label.hide()
            self.quick.hide()

        compose = QHBoxLayout()
        self.editor = QPlainTextEdit(self)
        self.editor.setTabChangesFocus(True)
        self.editor.setFixedHeight(84)
        self.editor.setPlaceholderText(
            QCoreApplication.translate("MessagesView", "Write a reply (Ctrl+Enter sends)")
            if kind is ThreadKind.PATIENT
            else QCoreApplication.translate(
                "MessagesView", "Write to the collaborating services (Ctrl+Enter sends)"
            )
        )
        self.editor.setAccessibleName(
            QCoreApplication.translate("MessagesView", "Reply to the patient")
            if kind is ThreadKind.PATIENT
            else QCoreApplication.translate("MessagesView", "Message to the services")
        )
        buttons = QVBoxLayout()
        self.send_button = QPushButton(QCoreApplication.translate("MessagesView", "&Send"), self)
        self.send_button.setAccessibleName(
            QCoreApplication.translate("MessagesView", "Send the message")
        )
        self.send_button.clicked.connect(self._send)
        self.resend_button = QPushButton(
            QCoreApplication.translate("MessagesView", "Send &again"), self
        )
        self.resend_button.setAccessibleName(
            QCoreApplication.translate("MessagesView", "Send the selected unsent message again")
        )
        self.resend_button.setEnabled(False)
        self.resend_button.clicked.connect(self._resend)
        buttons.addWidget(self.send_button)
        buttons.addWidget(self.resend_button)
        buttons.addStretch(1)
        compose.addWidget(self.editor, 1)
        compose.addLayout(buttons)
        layout.addLayout(compose)
        for keys in ("Ctrl+Return", "Ctrl+Enter"):
            shortcut = QShortcut(QKeySequence(keys), self.editor)
            shortcut.setContext(Qt.ShortcutContext.WidgetShortcut)
            shortcut.activated.connect(self._send)
        self._quick_replies: list[QuickReply] = []

    # ----- content ----------------------------------------------------------------------------

    def set_relatives(self, relatives: list[Party]) -> None:
        for box, _ in self.relative_boxes:
            self.recipients_row.removeWidget(box)
            box.deleteLater()
        self.relative_boxes = []
        for i, party in enumerate(relatives):
            box = QCheckBox(
                QCoreApplication.translate("MessagesView", "Also to %1").replace(
                    "%1", relative_label(party)
                ),
                self,
            )
            box.setChecked(True)
            box.setAccessibleName(box.text())
            self.recipients_row.insertWidget(1 + i, box)
            self.relative_boxes.append((box, party))

    def recipients(self) -> list[Party]:
        return [party for box, party in self.relative_boxes if box.isChecked()]

    def set_quick_replies(self, replies: list[QuickReply]) -> None:
        self._quick_replies = list(replies)
        self.quick.clear()
        self.quick.addItem(QCoreApplication.translate("MessagesView", "Choose a quick reply…"))
        for reply in replies:
            self.quick.addItem(reply.text)

    def quick_replies(self) -> list[QuickReply]:
        return list(self._quick_replies)

    def _insert_quick(self, index: int) -> None:
        if index <= 0:
            return
        text = self.quick.itemText(index)
        current = self.editor.toPlainText().rstrip()
        self.editor.setPlainText(f"{current}\n{text}" if current else text)
        self.quick.setCurrentIndex(0)
        self.editor.setFocus()

    def scroll_to_end(self) -> None:
        self.list.scrollToBottom()

    def _selected(self) -> tuple[str, str, bool, str]:
        index = self.list.currentIndex()
        if not index.isValid():
            return "", "", False, ""
        return (
            str(index.data(Role.MESSAGE_ID) or ""),
            str(index.data(Role.OUTBOX_KEY) or ""),
            bool(index.data(Role.FAILED)),
            str(index.data(Role.TEXT) or ""),
        )

    def _update_buttons(self) -> None:
        _, _, failed, _ = self._selected()
        self.resend_button.setEnabled(failed)

    def refresh_buttons(self) -> None:
        self._update_buttons()

    def _send(self) -> None:
        text = self.editor.toPlainText().strip()
        if not text:
            return
        message_id, _, _, _ = self._selected()
        sender_kind = self.list.currentIndex().data(Role.SENDER_KIND) if message_id else ""
        reply_to = message_id if sender_kind in (PartyKind.PATIENT, PartyKind.RELATIVE) else ""
        self.send_requested.emit(text, reply_to)
        self.editor.clear()

    def _resend(self) -> None:
        _, key, failed, text = self._selected()
        if key and failed:
            self.resend_requested.emit(key, text)


class TemplateEditor(QDialog):
    """Non-modal editor of the department's quick replies: one per line."""

    def __init__(self, replies: list[QuickReply], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(QCoreApplication.translate("MessagesView", "Quick replies"))
        layout = QVBoxLayout(self)
        hint = QLabel(
            QCoreApplication.translate(
                "MessagesView",
                "One quick reply per line. They are shared by everyone in the department.",
            ),
            self,
        )
        hint.setWordWrap(True)
        self.text = QPlainTextEdit(self)
        self.text.setAccessibleName(
            QCoreApplication.translate("MessagesView", "Quick replies, one per line")
        )
        self.text.setTabChangesFocus(True)
        self.text.setPlainText("\n".join(r.text for r in replies))
        hint.setBuddy(self.text)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(hint)
        layout.addWidget(self.text, 1)
        layout.addWidget(buttons)
        self.resize(640, 360)

    def texts(self) -> list[str]:
        return [line.strip() for line in self.text.toPlainText().splitlines() if line.strip()]


class MessagesView(QWidget):
    """Both threads of one patient, live, with reply, quick replies and (optionally) video."""

    video_requested = Signal(str)  # patient id

    def __init__(
        self,
        service: MessagingService,
        patient_id: str,
        me: MessagingUser | object,
        *,
        can_edit_templates: bool = False,
        department_id: str | None = None,
        patient_name: str = "",
        show_video_button: bool = True,
        patient_texts: PatientTexts | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.patient_id = patient_id
        self.patient_texts = patient_texts
        self._texts_editor: PatientTextsEditor | None = None
        self.me = me if isinstance(me, MessagingUser) else MessagingUser.from_principal(me)
        self.service = service
        self.can_edit_templates = can_edit_templates
        self.department_id = department_id
        self._tasks = TaskKeeper(self._show_error)
        self._marking: set[ThreadKind] = set()
        self._loading = False
        self._editor: TemplateEditor | None = None
        self.setAccessibleName(QCoreApplication.translate("MessagesView", "Messages"))

        layout = QVBoxLayout(self)
        top = QHBoxLayout()
        self.title = QLabel(self)
        self.title.setTextFormat(Qt.TextFormat.PlainText)
        font = self.title.font()
        font.setPointSizeF(font.pointSizeF() * 1.25)
        font.setBold(True)
        self.title.setFont(font)
        self.set_patient_name(patient_name)
        self.video_button = QPushButton(
            QCoreApplication.translate("MessagesView", "Start &video call"), self
        )
        self.video_button.setAccessibleName(
            QCoreApplication.translate("MessagesView", "Start a video call with the patient")
        )
        self.video_button.clicked.connect(lambda: self.video_requested.emit(self.patient_id))
        self.video_button.setVisible(show_video_button)
        top.addWidget(self.title, 1)
        top.addWidget(self.video_button)
        layout.addLayout(top)

        self.tabs = QTabWidget(self)
        self.tabs.setAccessibleName(QCoreApplication.translate("MessagesView", "Threads"))
        self.patient_pane = ThreadPane(ThreadKind.PATIENT, self.me, self.tabs)
        self.colleague_pane = ThreadPane(ThreadKind.COLLEAGUE, self.me, self.tabs)
        self.tabs.addTab(self.patient_pane, "")
        self.tabs.addTab(self.colleague_pane, "")
        layout.addWidget(self.tabs, 1)

        self.status = QLabel(self)
        self.status.setWordWrap(True)
        self.status.setAccessibleName(QCoreApplication.translate("MessagesView", "Message status"))
        self.status.setTextFormat(Qt.TextFormat.PlainText)
        self.status.setFrameShape(QFrame.Shape.NoFrame)
        layout.addWidget(self.status)

        for pane in (self.patient_pane, self.colleague_pane):
            pane.send_requested.connect(lambda text, reply, p=pane: self._send(p.kind, text, reply))
            pane.resend_requested.connect(self._resend)
        self.patient_pane.edit_templates.setVisible(can_edit_templates)
        self.patient_pane.edit_templates.clicked.connect(self._edit_templates)
        self.patient_pane.edit_patient_texts.setVisible(
            can_edit_templates and patient_texts is not None
        )
        self.patient_pane.edit_patient_texts.clicked.connect(self.edit_patient_texts)
        self.tabs.currentChanged.connect(self._tab_changed)
        self.service.thread_changed.connect(self._thread_changed)
        self.service.unread_changed.connect(self._unread_changed)
        self._update_tab_titles()

    # ----- lifecycle --------------------------------------------------------------------------

    def set_patient_name(self, name: str) -> None:
        self.title.setText(
            QCoreApplication.translate("MessagesView", "Messages – %1").replace(
                "%1", name or self.patient_id
            )
        )
        self.title.setAccessibleName(self.title.text())

    async def load(self) -> None:
        """Both threads, the relatives and the quick replies; then mark the open thread read."""
        self.status.setText(QCoreApplication.translate("MessagesView", "Loading messages…"))
        self._loading = True
        try:
            await self.service.load_thread(self.patient_id, ThreadKind.PATIENT)
            await self.service.load_thread(self.patient_id, ThreadKind.COLLEAGUE)
        finally:
            self._loading = False
        self.patient_pane.set_relatives(self.service.relatives(self.patient_id))
        if self.department_id is None:
            self.department_id = await self.service.patient_department(self.patient_id)
        replies, _ = await self.service.quick_replies(self.department_id)
        self.patient_pane.set_quick_replies(replies)
        for pane in (self.patient_pane, self.colleague_pane):
            self._refresh(pane)
            pane.scroll_to_end()
        self.status.clear()
        await self.mark_current_read()

    async def mark_current_read(self) -> None:
        pane = self.current_pane()
        await self._mark_read(pane.kind)

    async def aclose(self) -> None:
        await self._tasks.cancel_all()
        if self._texts_editor is not None:
            editor, self._texts_editor = self._texts_editor, None
            await editor.aclose()
            editor.close()
            editor.deleteLater()

    def pending_count(self) -> int:
        return self.service.pending_count()

    def unsent_warning(self) -> str:
        return unsent_warning(self.service.outbox.pending_count())

    def current_pane(self) -> ThreadPane:
        return self.patient_pane if self.tabs.currentIndex() == 0 else self.colleague_pane

    def pane(self, kind: ThreadKind) -> ThreadPane:
        return self.patient_pane if kind is ThreadKind.PATIENT else self.colleague_pane

    # ----- events -----------------------------------------------------------------------------

    def _refresh(self, pane: ThreadPane) -> None:
        at_end = pane.list.verticalScrollBar().value() >= pane.list.verticalScrollBar().maximum()
        pane.model.set_thread(
            self.service.messages(self.patient_id, pane.kind),
            self.service.outgoing(self.patient_id, pane.kind),
        )
        pane.refresh_buttons()
        if at_end:
            pane.scroll_to_end()

    def _thread_changed(self, patient_id: str, kind: str) -> None:
        if patient_id != self.patient_id:
            return
        pane = self.pane(ThreadKind(kind))
        self._refresh(pane)
        if (
            not self._loading
            and pane is self.current_pane()
            and self.isVisible()
            and self.service.is_loaded(self.patient_id, pane.kind)
        ):
            if pane.kind not in self._marking and self._has_unread(pane.kind):
                self._tasks.spawn(self._mark_read(pane.kind), "mark-read")

    def _has_unread(self, kind: ThreadKind) -> bool:
        return any(
            is_unread(m, self.me.reader) for m in self.service.messages(self.patient_id, kind)
        )

    def _unread_changed(self, patient_id: str, _count: int) -> None:
        if patient_id == self.patient_id:
            self._update_tab_titles()

    def _update_tab_titles(self) -> None:
        titles = {
            ThreadKind.PATIENT: QCoreApplication.translate(
                "MessagesView", "&Patient and relatives"
            ),
            ThreadKind.COLLEAGUE: QCoreApplication.translate(
                "MessagesView", "&Between services (not visible to the patient)"
            ),
        }
        for index, kind in enumerate((ThreadKind.PATIENT, ThreadKind.COLLEAGUE)):
            unread = count_unread(self.service.messages(self.patient_id, kind), self.me.reader)
            title = titles[kind]
            if unread:
                title += " " + QCoreApplication.translate("MessagesView", "(%1 unread)").replace(
                    "%1", str(unread)
                )
            self.tabs.setTabText(index, title)

    def _tab_changed(self, _index: int) -> None:
        if self.service.is_loaded(self.patient_id, self.current_pane().kind):
            self._tasks.spawn(self.mark_current_read(), "mark-read")

    async def _mark_read(self, kind: ThreadKind) -> None:
        if kind in self._marking:
            return
        self._marking.add(kind)
        try:
            await self.service.mark_read(self.patient_id, kind)
        finally:
            self._marking.discard(kind)
        self._update_tab_titles()

    def _send(self, kind: ThreadKind, text: str, reply_to: str) -> None:
        pane = self.pane(kind)
        recipients = pane.recipients() if kind is ThreadKind.PATIENT else []
        self.service.send(
            self.patient_id,
            kind,
            text,
            recipients=recipients,
            in_response_to=reply_to or None,
        )
        self.status.clear()
        self._refresh(pane)
        pane.scroll_to_end()

    def _resend(self, key: str, text: str) -> None:
        self.service.retry(key, text)

    def _show_error(self, exc: BaseException) -> None:
        detail = exc.outcome_text if hasattr(exc, "outcome_text") else str(exc)
        self.status.setText(
            QCoreApplication.translate("MessagesView", "Something went wrong: %1").replace(
                "%1", str(detail)
            )
        )

    # ----- quick replies ------------------------------------------------------------------------

    def edit_patient_texts(self) -> None:
        """The department's messages to patients (superusers), in a non-modal editor."""
        if not self.can_edit_templates or not self.department_id or self.patient_texts is None:
            return
        if self._texts_editor is not None:
            self._texts_editor.raise_()
            return
        editor = PatientTextsEditor(self.patient_texts, self.department_id, parent=self)
        self._texts_editor = editor

        def finished(_result: int) -> None:
            if self._texts_editor is editor:
                self._texts_editor = None
            self._tasks.spawn(editor.aclose(), "close-patient-texts")
            editor.deleteLater()

        editor.finished.connect(finished)
        editor.open()

    def _edit_templates(self) -> None:
        if not self.can_edit_templates or not self.department_id:
            self.status.setText(
                QCoreApplication.translate(
                    "MessagesView", "The patient has no department to store quick replies for."
                )
            )
            return
        if self._editor is not None:
            self._editor.raise_()
            return
        self._editor = TemplateEditor(self.patient_pane.quick_replies(), self)
        self._editor.finished.connect(self._templates_edited)
        self._editor.open()

    def _templates_edited(self, result: int) -> None:
        editor, self._editor = self._editor, None
        if editor is None:
            return
        texts = editor.texts()
        editor.deleteLater()
        if result != QDialog.DialogCode.Accepted or not self.department_id:
            return
        self._tasks.spawn(self._save_templates(self.department_id, texts), "save-templates")

    async def _save_templates(self, department_id: str, texts: list[str]) -> None:
        replies = await self.service.save_quick_replies(
            department_id, self.patient_pane.quick_replies(), texts
        )
        self.patient_pane.set_quick_replies(replies)
        self.status.setText(QCoreApplication.translate("MessagesView", "Quick replies saved."))
