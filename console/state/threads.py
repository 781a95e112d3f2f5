"""One thread as a Qt list model: stored messages in `sent` order, then messages on their way.

Rows carry a `BubbleData` (for `widgets.message_bubble`), the text for screen readers, and the
ids a view needs (message id to reply to, outbox key to resend). No HTTP here.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from PySide6.QtCore import (
    QAbstractListModel,
    QCoreApplication,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
)

from console.domain.messages import (
    Category,
    Delivery,
    Message,
    MessagingUser,
    OutgoingMessage,
    Party,
    PartyKind,
    ThreadKind,
    is_unread,
)
from console.fhir.mapping import LOCAL_TZ
from widgets.message_bubble import BUBBLE_ROLE, BubbleData, BubbleStyle, Side


class Role(enum.IntEnum):
    BUBBLE = BUBBLE_ROLE
    MESSAGE_ID = int(Qt.ItemDataRole.UserRole) + 61
    OUTBOX_KEY = int(Qt.ItemDataRole.UserRole) + 62
    FAILED = int(Qt.ItemDataRole.UserRole) + 63
    SENDER_KIND = int(Qt.ItemDataRole.UserRole) + 64
    TEXT = int(Qt.ItemDataRole.UserRole) + 65


def relationship_text(code: str) -> str:
    """HL7 v3 RoleCode (or free text) → the relationship in words."""
    names = {
        "MTH": QCoreApplication.translate("Threads", "mother"),
        "FTH": QCoreApplication.translate("Threads", "father"),
        "PRN": QCoreApplication.translate("Threads", "parent"),
        "DAU": QCoreApplication.translate("Threads", "daughter"),
        "SON": QCoreApplication.translate("Threads", "son"),
        "CHILD": QCoreApplication.translate("Threads", "child"),
        "WIFE": QCoreApplication.translate("Threads", "wife"),
        "HUSB": QCoreApplication.translate("Threads", "husband"),
        "SPS": QCoreApplication.translate("Threads", "spouse"),
        "DOMPART": QCoreApplication.translate("Threads", "partner"),
        "SIS": QCoreApplication.translate("Threads", "sister"),
        "BRO": QCoreApplication.translate("Threads", "brother"),
        "SIB": QCoreApplication.translate("Threads", "sibling"),
        "GRNDCHILD": QCoreApplication.translate("Threads", "grandchild"),
        "FRND": QCoreApplication.translate("Threads", "friend"),
        "NBOR": QCoreApplication.translate("Threads", "neighbour"),
    }
    return names.get(code.upper(), code)


def sender_label(party: Party, thread: ThreadKind) -> str:
    """Who wrote it, in words: "Patient", "Relative: Anne Hansen (daughter)", "Nurse Kari Lie"."""
    if party.kind is PartyKind.PATIENT:
        if thread is ThreadKind.COLLEAGUE:
            return QCoreApplication.translate("Threads", "Patient: %1").replace(
                "%1", party.name or "?"
            )
        return QCoreApplication.translate("Threads", "Patient")
    if party.kind is PartyKind.RELATIVE:
        name = party.name or QCoreApplication.translate("Threads", "unknown name")
        if party.relationship:
            return (
                QCoreApplication.translate("Threads", "Relative: %1 (%2)")
                .replace("%1", name)
                .replace("%2", relationship_text(party.relationship))
            )
        return QCoreApplication.translate("Threads", "Relative: %1").replace("%1", name)
    if party.kind is PartyKind.PRACTITIONER:
        if thread is ThreadKind.COLLEAGUE:
            return party.name or QCoreApplication.translate("Threads", "Health worker")
        return QCoreApplication.translate("Threads", "Nurse %1").replace("%1", party.name).strip()
    if party.kind is PartyKind.ORGANIZATION:
        return party.name or QCoreApplication.translate("Threads", "Service")
    return party.name or QCoreApplication.translate("Threads", "Unknown sender")


def format_time(when: datetime, now: datetime) -> str:
    local = when.astimezone(LOCAL_TZ)
    if local.date() == now.astimezone(LOCAL_TZ).date():
        return local.strftime("%H:%M")
    if local.year == now.astimezone(LOCAL_TZ).year:
        return local.strftime("%d.%m. %H:%M")
    return local.strftime("%d.%m.%Y %H:%M")


@dataclass(frozen=True, slots=True)
class _Row:
    bubble: BubbleData
    accessible: str
    message_id: str = ""
    key: str = ""
    failed: bool = False
    kind: str = ""
    text: str = ""


class ThreadModel(QAbstractListModel):
    """The rows of one thread. `set_thread()` replaces them (threads are short)."""

    def __init__(
        self,
        thread: ThreadKind,
        *,
        me: MessagingUser,
        now: Callable[[], datetime] = lambda: datetime.now(UTC),
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.kind = thread
        self._me = me
        self._now = now
        self._rows: list[_Row] = []
        self._ids: list[str] = []

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex | None = None) -> int:
        if parent is not None and parent.isValid():
            return 0
        return len(self._rows)

    def data(
        self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row = self._rows[index.row()]
        if role == Role.BUBBLE:
            return row.bubble
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return row.accessible
        if role == Qt.ItemDataRole.ToolTipRole:
            return row.bubble.status or None
        if role == Role.MESSAGE_ID:
            return row.message_id
        if role == Role.OUTBOX_KEY:
            return row.key
        if role == Role.FAILED:
            return row.failed
        if role == Role.SENDER_KIND:
            return row.kind
        if role == Role.TEXT:
            return row.text
        return None

    def set_thread(self, messages: Sequence[Message], outgoing: Sequence[OutgoingMessage]) -> None:
        now = self._now()
        rows = [self._stored_row(m, now) for m in messages]
        rows += [self._outgoing_row(o, now) for o in sorted(outgoing, key=lambda o: o.composed)]
        ids = [r.message_id or f"key:{r.key}" for r in rows]
        if ids[: len(self._ids)] == self._ids and len(ids) >= len(self._ids):
            old = len(self._rows)
            self._rows[:old] = rows[:old]
            self._ids = ids
            if old:
                self.dataChanged.emit(self.index(0), self.index(old - 1))
            if len(rows) > old:
                self.beginInsertRows(QModelIndex(), old, len(rows) - 1)
                self._rows.extend(rows[old:])
                self.endInsertRows()
            return
        self.beginResetModel()
        self._rows = rows
        self._ids = ids
        self.endResetModel()

    # ----- rows -------------------------------------------------------------------------------

    def _stored_row(self, m: Message, now: datetime) -> _Row:
        header = f"{sender_label(m.sender, self.kind)} · {format_time(m.sent, now)}"
        if self.kind is ThreadKind.PATIENT:
            ours = not m.sender.is_patient_side
            if ours:
                style = BubbleStyle.STAFF
            elif m.sender.kind is PartyKind.RELATIVE:
                style = BubbleStyle.RELATIVE
            else:
                style = BubbleStyle.PATIENT
        else:
            ours = m.written_by(self._me)
            style = BubbleStyle.STAFF if ours else BubbleStyle.COLLEAGUE
        unread = is_unread(m, self._me.reader)
        status = ""
        if self.kind is ThreadKind.PATIENT and m.sender.is_patient_side:
            status = (
                QCoreApplication.translate("Threads", "Read %1").replace(
                    "%1", format_time(m.received, now)
                )
                if m.received
                else QCoreApplication.translate("Threads", "Not read yet")
            )
        elif m.category is Category.REMEASURE_REQUEST:
            status = QCoreApplication.translate("Threads", "Request to measure again")
        badge = (
            QCoreApplication.translate("Threads", "Asks to be contacted")
            if m.is_contact_request
            else ""
        )
        bubble = BubbleData(
            header=header,
            text=m.text,
            side=Side.RIGHT if ours else Side.LEFT,
            style=style,
            status=status,
            badge=badge,
            unread_mark=QCoreApplication.translate("Threads", "New") if unread else "",
        )
        return _Row(bubble, _accessible(bubble), m.id, m.key, False, m.sender.kind.value, m.text)

    def _outgoing_row(self, o: OutgoingMessage, now: datetime) -> _Row:
        failed = o.state is Delivery.FAILED
        status = (
            QCoreApplication.translate("Threads", "Not sent – try again")
            if failed
            else QCoreApplication.translate("Threads", "Sending …")
            if o.state is Delivery.SENDING
            else QCoreApplication.translate("Threads", "Sent")
        )
        bubble = BubbleData(
            header=QCoreApplication.translate("Threads", "You")
            + f" · {format_time(o.composed, now)}",
            text=o.text,
            side=Side.RIGHT,
            style=BubbleStyle.STAFF,
            status=status,
            failed=failed,
            pending=o.state is Delivery.SENDING,
        )
        kind = PartyKind.PRACTITIONER.value
        return _Row(bubble, _accessible(bubble), "", o.key, failed, kind, o.text)


def _accessible(bubble: BubbleData) -> str:
    parts = [bubble.badge, bubble.header, bubble.unread_mark, bubble.text, bubble.status]
    return ". ".join(p for p in parts if p)
