"""The alert queue: one row (card) per patient with open alerts, in priority order.

Rows are precomputed `CardData` so painting is cheap; a live batch costs one insert, remove or
move per changed card, at its sorted place (persistent indexes follow their patient). A clock
tick (`refresh`) moves ages, and re-bundles everything only when a snooze ends or an alert
escalates.
"""

from __future__ import annotations

import bisect
import enum
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

from PySide6.QtCore import (
    QAbstractListModel,
    QCoreApplication,
    QLocale,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)

from console.domain.alerts import (
    DEFAULT_ESCALATION_AFTER,
    RULE_KINDS,
    Alert,
    AlertRule,
    AlertStatus,
    AlertValue,
    Outcome,
    PatientAlerts,
    Priority,
    adherence_items,
    bundle_alerts,
    card_sort_key,
    next_bundle_change,
    since_we_closed,
)
from console.domain.model import MeasurementKind, Organization
from console.state import row_runs
from console.state.formatting import clock_text as fmt_clock
from console.state.formatting import format_age, local_time
from widgets.alert_card import CARD_ROLE, CardData, CardLevel


class Role(enum.IntEnum):
    CARD = CARD_ROLE
    PATIENT_ID = int(Qt.ItemDataRole.UserRole) + 41
    PRIORITY = int(Qt.ItemDataRole.UserRole) + 42
    ALERT_IDS = int(Qt.ItemDataRole.UserRole) + 43
    BUNDLE = int(Qt.ItemDataRole.UserRole) + 44


LEVELS: dict[Priority, CardLevel] = {
    Priority.HIGH: CardLevel.HIGH,
    Priority.MEDIUM: CardLevel.MEDIUM,
    Priority.LOW: CardLevel.LOW,
}


# ----- texts (contexts are literal so pyside6-lupdate finds them) --------------------------------


def priority_text(priority: Priority) -> str:
    return {
        Priority.HIGH: QCoreApplication.translate("AlertText", "High priority"),
        Priority.MEDIUM: QCoreApplication.translate("AlertText", "Medium priority"),
        Priority.LOW: QCoreApplication.translate("AlertText", "Low priority"),
    }[priority]


def rule_text(rule: AlertRule) -> str:
    return {
        AlertRule.SPO2: QCoreApplication.translate("AlertText", "SpO₂"),
        AlertRule.PULSE: QCoreApplication.translate("AlertText", "Pulse"),
        AlertRule.BLOOD_PRESSURE: QCoreApplication.translate("AlertText", "Blood pressure"),
        AlertRule.TEMPERATURE: QCoreApplication.translate("AlertText", "Temperature"),
        AlertRule.GLUCOSE: QCoreApplication.translate("AlertText", "Blood glucose"),
        AlertRule.WEIGHT: QCoreApplication.translate("AlertText", "Weight"),
        AlertRule.RESPIRATORY_RATE: QCoreApplication.translate("AlertText", "Respiratory rate"),
        AlertRule.WEIGHT_TREND: QCoreApplication.translate("AlertText", "Weight gain"),
        AlertRule.WEIGHT_LOSS: QCoreApplication.translate("AlertText", "Weight loss"),
        AlertRule.MISSING_MEASUREMENT: QCoreApplication.translate(
            "AlertText", "Missing measurement"
        ),
        AlertRule.QUESTIONNAIRE: QCoreApplication.translate("AlertText", "Questionnaire answer"),
        AlertRule.CONTACT_REQUEST: QCoreApplication.translate(
            "AlertText", "Patient asks to be contacted"
        ),
        AlertRule.OTHER: QCoreApplication.translate("AlertText", "Other alert"),
    }[rule]


def outcome_text(outcome: Outcome) -> str:
    return {
        Outcome.CONTACTED_PATIENT: QCoreApplication.translate("AlertText", "Contacted the patient"),
        Outcome.ADVISED_GP: QCoreApplication.translate("AlertText", "Advised the GP"),
        Outcome.REFERRED_OUT_OF_HOURS: QCoreApplication.translate(
            "AlertText", "Referred to the out-of-hours clinic (legevakt)"
        ),
        Outcome.CALLED_113: QCoreApplication.translate("AlertText", "Called 113"),
        Outcome.MEASUREMENT_ERROR: QCoreApplication.translate("AlertText", "Measurement error"),
        Outcome.NO_ACTION: QCoreApplication.translate("AlertText", "No action needed"),
    }[outcome]


def _level_word(level: str) -> str:
    if level == "red":
        return QCoreApplication.translate("AlertText", "red")
    return QCoreApplication.translate("AlertText", "yellow")


_UNITS = {"%": "%", "/min": "/min", "mm[Hg]": "mmHg", "Cel": "°C", "kg": "kg", "mmol/L": "mmol/L"}


def _number(value: float, kind: MeasurementKind | None, locale: QLocale) -> str:
    if kind in (MeasurementKind.TEMPERATURE, MeasurementKind.GLUCOSE, MeasurementKind.WEIGHT):
        return locale.toString(value, "f", 1)
    if value == int(value):
        return locale.toString(int(value))
    return locale.toString(value, "f", 1)


_RISE = re.compile(r"(\d+)\s*døgn")


def component_text(rule: AlertRule, component: str) -> str:
    """The measured thing in the UI language; the rule engine names components in Bokmål."""
    folded = component.casefold()
    if folded.startswith("systolisk"):
        return QCoreApplication.translate("AlertText", "Systolic BP")
    if folded.startswith("diastolisk"):
        return QCoreApplication.translate("AlertText", "Diastolic BP")
    match = _RISE.search(folded)
    if rule is AlertRule.WEIGHT_TREND and match:
        return QCoreApplication.translate("AlertText", "Weight gain in %1 days").replace(
            "%1", match.group(1)
        )
    return rule_text(rule)


def value_line(rule: AlertRule, value: AlertValue, locale: QLocale | None = None) -> str:
    """ "SpO₂ 86 % (red limit < 88 %)" — the rule, the value and the limit it crossed."""
    loc = locale or QLocale()
    kind = RULE_KINDS.get(rule)
    unit = _UNITS.get(value.unit, value.unit)
    measured = ""
    if value.value is not None:
        measured = _number(value.value, kind, loc)
        if value.value2 is not None:
            measured += "/" + _number(value.value2, kind, loc)
        if rule is AlertRule.WEIGHT_TREND and value.value > 0 and value.threshold is not None:
            measured = "+" + measured
        measured = f"{measured} {unit}".strip()
    label = component_text(rule, value.component)
    if value.threshold is None:
        return (
            QCoreApplication.translate("AlertText", "%1 %2")
            .replace("%1", label)
            .replace("%2", measured)
        )
    limit = f"{value.comparator} " if value.comparator else ""
    limit += f"{_number(value.threshold, kind, loc)} {unit}".strip()
    return (
        QCoreApplication.translate("AlertText", "%1 %2 (%3 limit %4)")
        .replace("%1", label)
        .replace("%2", measured)
        .replace("%3", _level_word(value.level))
        .replace("%4", limit)
    )


#: The measurement's own name (the threshold rule of each kind says it).
_KIND_RULES: dict[MeasurementKind, AlertRule] = {
    kind: rule for rule, kind in RULE_KINDS.items() if rule.value.startswith("threshold-")
}
#: Rules whose server description only says again what the rule's name says.
_SAID_BY_RULE = frozenset(
    {AlertRule.MISSING_MEASUREMENT, AlertRule.QUESTIONNAIRE, AlertRule.CONTACT_REQUEST}
)
#: How our own server's descriptions start (Bokmål), so a fallback never says it twice.
_SERVER_PREFIXES = (
    "manglende måling",
    "spørreskjema",
    "pasienten ber om",
    "vektøkning",
    "vekttap",
)


def _since_text(when: datetime, now: datetime) -> str:
    local, today = local_time(when), local_time(now)
    if local.date() == today.date():
        return local.strftime("%H:%M")
    return local.strftime("%d.%m. %H:%M")


def _quote(text: str, limit: int = 80) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def reason_line(alert: Alert, value: AlertValue, now: datetime, locale: QLocale) -> str:
    """One line of why the alert was raised, from its codes and values in the UI language."""
    if value.due is not None:
        kind = value.kind or RULE_KINDS.get(alert.rule)
        what = (
            rule_text(_KIND_RULES[kind])
            if kind in _KIND_RULES
            else QCoreApplication.translate("AlertText", "A measurement")
        )
        return (
            QCoreApplication.translate("AlertText", "%1 missing since %2")
            .replace("%1", what)
            .replace("%2", _since_text(value.due, now))
        )
    if value.text:
        if alert.rule is AlertRule.QUESTIONNAIRE:
            return (
                QCoreApplication.translate("AlertText", "Answer %1: “%2” – %3")
                .replace("%1", _level_word(value.level))
                .replace("%2", _quote(value.component, 60))
                .replace("%3", _quote(value.text, 40))
            )
        if alert.rule is AlertRule.CONTACT_REQUEST:
            return QCoreApplication.translate("AlertText", "Asks to be contacted: “%1”").replace(
                "%1", _quote(value.text)
            )
        label = component_text(alert.rule, value.component)
        return f"{label}: {_quote(value.text)}"
    return value_line(alert.rule, value, locale)


def alert_lines(
    alert: Alert, locale: QLocale | None = None, now: datetime | None = None
) -> list[str]:
    """The newest breach's reasons (with a count of earlier ones), rendered from the rule's
    codes and values; the server's description (its own language) only when there are none."""
    loc = locale or QLocale()
    if alert.values:
        at = now or datetime.now(UTC)
        lines = [reason_line(alert, v, at, loc) for v in alert.latest_values]
        if alert.breaches > 1:
            lines[-1] += "  " + QCoreApplication.translate("AlertText", "(%1 earlier)").replace(
                "%1", str(alert.breaches - 1)
            )
        return lines
    label = rule_text(alert.rule)
    if alert.rule in _SAID_BY_RULE or not alert.description:
        return [label]
    folded = alert.description.casefold()
    # The description may already start with the rule's name: don't say it twice.
    if folded.startswith(label.casefold()) or folded.startswith(_SERVER_PREFIXES):
        return [alert.description]
    return [f"{label}: {alert.description}"]


def clock_text(when: datetime) -> str:
    return fmt_clock(when)


def day_clock_text(when: datetime) -> str:
    """ "21.11. 07:30": day and time, the same in every UI language."""
    return local_time(when).strftime("%d.%m. %H:%M")


def level_word(priority: Priority) -> str:
    return {
        Priority.HIGH: QCoreApplication.translate("AlertText", "high"),
        Priority.MEDIUM: QCoreApplication.translate("AlertText", "medium"),
        Priority.LOW: QCoreApplication.translate("AlertText", "low"),
    }[priority]


def claimed_text(owner: str, when: datetime | None) -> str:
    """ "Claimed by Kari Nordmann at 10:42" (who won a race, or who has it)."""
    if when is None:
        return QCoreApplication.translate("AlertText", "Claimed by %1").replace("%1", owner or "?")
    return (
        QCoreApplication.translate("AlertText", "Claimed by %1 at %2")
        .replace("%1", owner or "?")
        .replace("%2", clock_text(when))
    )


def state_text(card: PatientAlerts) -> str:
    if card.status is AlertStatus.SNOOZED:
        if card.snoozed_until is None:
            return QCoreApplication.translate("AlertText", "Snoozed")
        return QCoreApplication.translate("AlertText", "Snoozed until %1").replace(
            "%1", clock_text(card.snoozed_until)
        )
    if card.status is AlertStatus.CLAIMED:
        return claimed_text(card.owner_name, card.claimed_at)
    return QCoreApplication.translate("AlertText", "New")


def escalated_text() -> str:
    return QCoreApplication.translate("AlertText", "Escalated")


def suspect_text(alert: Alert) -> str:
    """ "⚠ Possible measurement error" with what the re-measurement showed, if anything."""
    if alert.remeasure == "normal":
        return QCoreApplication.translate(
            "AlertText", "⚠ Possible measurement error: the new measurement was normal"
        )
    if alert.remeasure == "confirmed":
        return QCoreApplication.translate("AlertText", "Confirmed by a new measurement")
    if alert.remeasure == "pending":
        return QCoreApplication.translate(
            "AlertText", "⚠ Possible measurement error: a new measurement is requested"
        )
    return QCoreApplication.translate("AlertText", "⚠ Possible measurement error")


def closed_text(alert: Alert) -> str:
    """ "☾ Came while closed (21:14); the patient was advised: call legevakt" """
    text = QCoreApplication.translate("AlertText", "☾ Came while closed (%1)").replace(
        "%1", clock_text(alert.authored_on)
    )
    if alert.advice:
        text += QCoreApplication.translate("AlertText", " · patient advised (legevakt)")
    return text


def adherence_line(alert: Alert, now: datetime) -> str:
    """One row of the adherence list, two lines so it reads in a narrow pane: the patient and
    how long ago; then what is missing since when."""
    lines = alert_lines(alert, now=now)
    what = lines[-1] if lines else rule_text(alert.rule)
    age = format_age(max(0.0, (now - alert.authored_on).total_seconds()))
    return (
        QCoreApplication.translate("AlertText", "%1 · %3\n%2")
        .replace("%1", alert.patient_name or alert.patient_id)
        .replace("%2", what)
        .replace("%3", age)
    )


# ----- the model ---------------------------------------------------------------------------------


class AlertQueueModel(QAbstractListModel):
    """Cards of the patients with open alerts in the watched departments."""

    counts_changed = Signal()

    def __init__(
        self,
        parent: QObject | None = None,
        *,
        now: Callable[[], datetime] = lambda: datetime.now(UTC),
        escalate_after: timedelta = DEFAULT_ESCALATION_AFTER,
    ) -> None:
        super().__init__(parent)
        self._clock = now
        self.escalate_after = escalate_after
        #: The console escalates by its own clock (False when the server announces that it
        #: escalates: then only the server's escalated-at counts).
        self.local_escalation = True
        self._alerts: dict[str, Alert] = {}
        #: Versions of alerts seen closed, so a late older open version cannot revive them.
        self._closed: dict[str, str] = {}
        self._cards: list[PatientAlerts] = []
        self._data: list[CardData] = []
        #: patient id -> (card, age in whole minutes, display data) of the last build.
        self._data_cache: dict[str, tuple[PatientAlerts, int, CardData]] = {}
        #: When the bundles next change with the clock (a snooze ends, an alert escalates).
        self._next_change: datetime | None = None
        self._position: dict[str, int] = {}
        self._departments: dict[str, str] = {}

    # ----- Qt model interface --------------------------------------------------------------------

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._cards)

    # flags() is not overridden: Qt's own (enabled, selectable) costs no call into Python
    # for every painted cell.

    def data(
        self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if not index.isValid() or index.column() != 0 or index.row() >= len(self._cards):
            return None
        card = self._cards[index.row()]
        data = self._data[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return f"{data.level_text}: {card.patient_name}"
        if role in (Qt.ItemDataRole.AccessibleTextRole, Qt.ItemDataRole.ToolTipRole):
            return self.accessible_text(index.row())
        if role == Role.CARD:
            return data
        if role == Role.PATIENT_ID:
            return card.patient_id
        if role == Role.PRIORITY:
            return int(card.priority)
        if role == Role.ALERT_IDS:
            return list(card.alert_ids)
        if role == Role.BUNDLE:
            return card
        return None

    # ----- feeding -------------------------------------------------------------------------------

    def set_organizations(self, organizations: Iterable[Organization]) -> None:
        self._departments = {o.id: o.name for o in organizations}
        if self._cards:
            self._data_cache.clear()
            now = self._clock()
            self._data = [self._card_data(c, now) for c in self._cards]
            self.dataChanged.emit(self.index(0), self.index(len(self._cards) - 1))

    def reset(self, alerts: Iterable[Alert]) -> None:
        self.beginResetModel()
        now = self._clock()
        self._alerts = {a.id: a for a in alerts if a.status.is_open}
        self._cards = bundle_alerts(
            self._alerts.values(), now, self.escalate_after, local=self.local_escalation
        )
        self._data = [self._card_data(c, now) for c in self._cards]
        self._next_change = next_bundle_change(
            self._alerts.values(), now, self.escalate_after, local=self.local_escalation
        )
        self._reindex()
        self.endResetModel()
        self.counts_changed.emit()

    def apply(self, alerts: Iterable[Alert], removed: Iterable[str] = ()) -> None:
        """One batch of changed alerts (closed ones, and `removed` ids, leave the queue)."""
        touched: set[str] = set()
        for alert_id in removed:
            gone = self._alerts.pop(alert_id, None)
            if gone is not None:
                touched.add(gone.patient_id)
        for alert in alerts:
            current = self._alerts.get(alert.id)
            seen = current.version if current is not None else self._closed.get(alert.id)
            if seen is not None and _newer(seen, alert.version):
                continue  # an older version arrived late
            if alert.status.is_open:
                self._alerts[alert.id] = alert
                self._closed.pop(alert.id, None)
                touched.add(alert.patient_id)
                if current is not None:
                    touched.add(current.patient_id)
            else:
                self._closed[alert.id] = alert.version
                gone = self._alerts.pop(alert.id, None)
                if gone is not None:
                    touched.update((alert.patient_id, gone.patient_id))
        if touched:
            self._rebundle(touched)

    def refresh(self) -> None:
        """The clock moved: re-bundle if a snooze ended or an alert escalated, else only
        the age texts that changed (one `dataChanged`; only visible cards repaint)."""
        now = self._clock()
        if self._next_change is not None and now >= self._next_change:
            self._install(
                bundle_alerts(
                    self._alerts.values(), now, self.escalate_after, local=self.local_escalation
                ),
                now,
            )
            return
        changed = []
        for i, card in enumerate(self._cards):
            cached = self._data_cache.get(card.patient_id)
            if cached is None or cached[1] != _age_minutes(card, now):
                data = self._card_data(card, now)
                if data is not self._data[i]:
                    self._data[i] = data
                    changed.append(i)
        for first, last in row_runs(changed):
            self.dataChanged.emit(self.index(first), self.index(last))

    def _rebundle(self, patients: set[str]) -> None:
        """Re-bundle only these patients' cards (a live batch, an escalation write).

        With a thousand open cards, re-bundling and re-sorting every card for each live
        batch cost 10-25 ms of the UI thread; the clock's `refresh()` re-bundles everything
        when a snooze ends or an alert escalates.
        """
        now = self._clock()
        subset = [a for a in self._alerts.values() if a.patient_id in patients]
        fresh = {
            c.patient_id: c
            for c in bundle_alerts(subset, now, self.escalate_after, local=self.local_escalation)
        }
        # One insert, remove or move per changed card at its sorted place (the list stays in
        # card order between full re-bundles): no layout change re-reading every card.
        in_place: list[str] = []
        for pid in sorted(patients):
            card = fresh.get(pid)
            row = self._position.get(pid)
            if row is None:
                if card is not None:
                    pos = bisect.bisect_left(self._cards, card_sort_key(card), key=card_sort_key)
                    self.beginInsertRows(QModelIndex(), pos, pos)
                    self._cards.insert(pos, card)
                    self._data.insert(pos, self._card_data(card, now))
                    self._reindex()
                    self.endInsertRows()
                continue
            if card is None:
                self.beginRemoveRows(QModelIndex(), row, row)
                del self._cards[row]
                del self._data[row]
                self._reindex()
                self.endRemoveRows()
                continue
            if card == self._cards[row]:
                continue
            data = self._card_data(card, now)
            others = self._cards[:row] + self._cards[row + 1 :]
            pos = bisect.bisect_left(others, card_sort_key(card), key=card_sort_key)
            if pos != row:
                # Moved, not removed and inserted: a selected card stays selected.
                self.beginMoveRows(
                    QModelIndex(), row, row, QModelIndex(), pos if pos < row else pos + 1
                )
                del self._cards[row]
                del self._data[row]
                self._cards.insert(pos, card)
                self._data.insert(pos, data)
                self._reindex()
                self.endMoveRows()
            else:
                self._cards[row] = card
                self._data[row] = data
            in_place.append(pid)
        for first, last in row_runs(self._position[p] for p in in_place if p in self._position):
            self.dataChanged.emit(self.index(first), self.index(last))
        self._changed(now)

    def _changed(self, now: datetime) -> None:
        """After the cards changed: the next clock event, stale display data, the counts."""
        self._next_change = next_bundle_change(
            self._alerts.values(), now, self.escalate_after, local=self.local_escalation
        )
        for pid in [p for p in self._data_cache if p not in self._position]:
            del self._data_cache[pid]
        self.counts_changed.emit()

    def _install(self, cards: list[PatientAlerts], now: datetime) -> None:
        """Show these cards with the fewest signals: removals, arrivals, one layout change."""
        new_ids = [c.patient_id for c in cards]
        new_set = set(new_ids)
        for pid in [p for p in self._position if p not in new_set]:
            row = self._position[pid]
            self.beginRemoveRows(QModelIndex(), row, row)
            del self._cards[row]
            del self._data[row]
            self._reindex()
            self.endRemoveRows()
        arriving = [c for c in cards if c.patient_id not in self._position]
        if arriving:
            first = len(self._cards)
            self.beginInsertRows(QModelIndex(), first, first + len(arriving) - 1)
            self._cards.extend(arriving)
            self._data.extend(self._card_data(c, now) for c in arriving)
            self._reindex()
            self.endInsertRows()
        if [c.patient_id for c in self._cards] != new_ids:
            self.layoutAboutToBeChanged.emit()
            old_order = [c.patient_id for c in self._cards]
            self._cards = cards
            self._data = [self._card_data(c, now) for c in cards]
            self._reindex()
            persistent = self.persistentIndexList()
            new_indexes = []
            for idx in persistent:
                row = idx.row()
                new_row = self._position.get(old_order[row], -1) if row < len(old_order) else -1
                new_indexes.append(self.index(new_row) if new_row >= 0 else QModelIndex())
            self.changePersistentIndexList(persistent, new_indexes)
            self.layoutChanged.emit()
            if self._cards:
                self.dataChanged.emit(self.index(0), self.index(len(self._cards) - 1))
        else:
            old_data = self._data
            self._cards = cards
            self._data = [self._card_data(c, now) for c in cards]
            changed = [
                i for i, d in enumerate(self._data) if i >= len(old_data) or old_data[i] is not d
            ]
            for first, last in row_runs(changed):
                self.dataChanged.emit(self.index(first), self.index(last))
        self._changed(now)

    # ----- queries -------------------------------------------------------------------------------

    def cards(self) -> list[PatientAlerts]:
        return list(self._cards)

    def card(self, row: int) -> PatientAlerts | None:
        return self._cards[row] if 0 <= row < len(self._cards) else None

    def card_for(self, patient_id: str) -> PatientAlerts | None:
        row = self._position.get(patient_id)
        return self._cards[row] if row is not None else None

    def row_of(self, patient_id: str) -> int | None:
        return self._position.get(patient_id)

    def alert(self, alert_id: str) -> Alert | None:
        return self._alerts.get(alert_id)

    def alerts(self) -> list[Alert]:
        return list(self._alerts.values())

    def adherence(self) -> list[Alert]:
        """Open adherence items (not cards): the adherence list beside the queue."""
        return adherence_items(self._alerts.values())

    def since_closed(self, closed_since: datetime | None, opened: datetime | None) -> list[Alert]:
        """Open alerts raised in the last closed period (the "since we closed" list)."""
        return since_we_closed(self._alerts.values(), closed_since, opened)

    def now(self) -> datetime:
        return self._clock()

    def counts(self) -> Mapping[Priority, int]:
        counts = dict.fromkeys(Priority, 0)
        for card in self._cards:
            if not card.snoozed:
                counts[card.priority] += 1
        return counts

    def accessible_text(self, row: int) -> str:
        card = self._cards[row]
        data = self._data[row]
        parts = [data.level_text, card.patient_name, *data.lines, data.state_text]
        if data.badge:
            parts.append(data.badge)
        if data.department:
            parts.append(data.department)
        parts.append(data.age_text)
        return ". ".join(p for p in parts if p)

    # ----- internals -----------------------------------------------------------------------------

    def _reindex(self) -> None:
        self._position = {c.patient_id: i for i, c in enumerate(self._cards)}

    def _card_data(self, card: PatientAlerts, now: datetime) -> CardData:
        """Display data of a card, rebuilt only when the card changed; the age alone is a
        cheap copy, and only when its minute moved.

        The clock refreshes the queue every second; with a thousand open cards, formatting
        (or even comparing) every card each time kept the UI thread busy.
        """
        minutes = _age_minutes(card, now)
        cached = self._data_cache.get(card.patient_id)
        same = cached is not None and (cached[0] is card or cached[0] == card)
        if same and cached is not None and cached[1] == minutes:
            return cached[2]
        age_text = format_age(max(0.0, (now - card.oldest).total_seconds()))
        if same and cached is not None:
            data = cached[2]
            if data.age_text != age_text:
                data = replace(data, age_text=age_text)
        else:
            data = self._build_card_data(card, age_text)
        self._data_cache[card.patient_id] = (card, minutes, data)
        return data

    def _build_card_data(self, card: PatientAlerts, age_text: str) -> CardData:
        lines: list[str] = []
        for alert in card.alerts:
            lines.extend(alert_lines(alert))
        for alert in card.alerts:
            if alert.suspect or alert.remeasure == "normal":
                lines.append(suspect_text(alert))
                break
        closed = next((a for a in card.alerts if a.out_of_hours), None)
        if closed is not None:
            lines.append(closed_text(closed))
        department = ", ".join(self._departments.get(d, d) for d in card.departments)
        alarming = (
            card.priority is Priority.HIGH and card.status is AlertStatus.NEW and not card.snoozed
        )
        return CardData(
            title=card.patient_name,
            level=LEVELS[card.priority],
            level_text=priority_text(card.priority),
            lines=tuple(lines),
            department=department,
            age_text=age_text,
            state_text=state_text(card),
            badge=escalated_text() if card.escalated else "",
            alarming=alarming,
            urgent=alarming and card.escalated,
            muted=card.snoozed,
        )


def _age_minutes(card: PatientAlerts, now: datetime) -> int:
    return int(max(0.0, (now - card.oldest).total_seconds()) // 60)


def _newer(current: str, incoming: str) -> bool:
    """Whether `current` is a later version than `incoming` (numeric versions only)."""
    try:
        return int(current) > int(incoming)
    except ValueError:
        return False


class AlertRowsModel(QAbstractListModel):
    """A plain list of alerts, one line each: the adherence list and "since we closed".

    `set_rows` replaces the rows in one reset (these lists are short and change rarely); the
    patient id is the `PATIENT_ID` role, the alert the `BUNDLE` role.
    """

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[tuple[str, Alert]] = []

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def data(
        self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if not index.isValid() or index.row() >= len(self._rows):
            return None
        text, alert = self._rows[index.row()]
        if role in (
            Qt.ItemDataRole.DisplayRole,
            Qt.ItemDataRole.AccessibleTextRole,
            Qt.ItemDataRole.ToolTipRole,
        ):
            return text
        if role == Role.PATIENT_ID:
            return alert.patient_id
        if role == Role.BUNDLE:
            return alert
        if role == Role.PRIORITY:
            return int(alert.priority)
        return None

    def set_rows(self, rows: Iterable[tuple[str, Alert]]) -> None:
        rows = list(rows)
        if rows == self._rows:
            return
        self.beginResetModel()
        self._rows = rows
        self.endResetModel()

    def alerts(self) -> list[Alert]:
        return [a for _, a in self._rows]


def since_line(alert: Alert, now: datetime | None = None) -> str:
    """One row of "since we closed", two lines so it reads in a narrow pane: when, level,
    patient; then what."""
    lines = alert_lines(alert, now=now)
    what = lines[0] if lines else rule_text(alert.rule)
    text = (
        QCoreApplication.translate("AlertText", "%1 · %2 · %3\n%4")
        .replace("%1", day_clock_text(alert.authored_on))
        .replace("%2", level_word(alert.priority))
        .replace("%3", alert.patient_name or alert.patient_id)
        .replace("%4", what)
    )
    if alert.advice:
        text += QCoreApplication.translate("AlertText", " (patient advised)")
    return text
