"""The review as translated tables: what the screen, the charts' table alternatives, the CSV
and XLSX exports and the PDF report all show, so they can never disagree.

A `Table` keeps raw values (numbers stay numbers for XLSX) and a kind per column that says
how to show them: minutes of opening hours, shares as percentages, dates.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QLocale,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
)

from console.domain.alerts import AlertRule, Outcome, Priority
from console.domain.review import Review, TimeStats
from console.state.alert_queue import outcome_text, priority_text, rule_text
from console.state.formatting import programme_text

#: How a column's values are shown: text, int, number (1 decimal), minutes (from seconds),
#: percent (from a share 0–1), date.
Kind = str
Cell = str | int | float | date | None


@dataclass(slots=True)
class Table:
    key: str
    title: str
    headers: list[str]
    kinds: list[Kind]
    rows: list[list[Any]] = field(default_factory=list)  # Cell values
    note: str = ""
    #: Row → patient id, for tables a lead can open a patient from.
    patient_ids: list[str] = field(default_factory=list)

    def text(self, row: int, column: int, locale: QLocale | None = None) -> str:
        return format_cell(self.rows[row][column], self.kinds[column], locale)


def format_minutes(seconds: float, locale: QLocale | None = None) -> str:
    loc = locale or QLocale()
    minutes = seconds / 60.0
    if minutes < 10:
        return QCoreApplication.translate("ReviewTables", "%1 min").replace(
            "%1", loc.toString(minutes, "f", 1)
        )
    if minutes < 120:
        return QCoreApplication.translate("ReviewTables", "%1 min").replace(
            "%1", loc.toString(round(minutes))
        )
    hours, rest = divmod(round(minutes), 60)
    return (
        QCoreApplication.translate("ReviewTables", "%1 h %2 min")
        .replace("%1", str(hours))
        .replace("%2", f"{rest:02d}")
    )


def format_number(value: float, locale: QLocale | None = None) -> str:
    """One decimal, but never a small rate shown as "0,0": below 1 two significant digits
    (0,043; 0,43), so a figure that is not zero never reads as zero."""
    loc = locale or QLocale()
    if value == 0 or abs(value) >= 1:
        return loc.toString(value, "f", 1)
    decimals = 1
    while abs(value) < 10 ** (1 - decimals) and decimals < 6:
        decimals += 1
    return loc.toString(value, "f", decimals)


def per_100(value: float | None) -> float | None:
    """A rate per patient-day as per 100 patient-days (0.043 → 4.3): readable at a glance."""
    return None if value is None else 100.0 * value


def format_cell(value: Cell, kind: Kind, locale: QLocale | None = None) -> str:
    loc = locale or QLocale()
    if value is None:
        return "–"
    if kind == "minutes" and isinstance(value, int | float):
        return format_minutes(float(value), loc)
    if kind == "percent" and isinstance(value, int | float):
        return loc.toString(100.0 * value, "f", 0) + " %"
    if kind == "number" and isinstance(value, int | float):
        return format_number(float(value), loc)
    if kind == "int" and isinstance(value, int | float):
        return loc.toString(round(value))
    if isinstance(value, date):
        return value.strftime("%d.%m.%Y")
    return str(value)


def week_label(week: date) -> str:
    iso = week.isocalendar()
    return (
        QCoreApplication.translate("ReviewTables", "Week %1 (%2)")
        .replace("%1", str(iso.week))
        .replace("%2", week.strftime("%d.%m."))
    )


def week_short(week: date) -> str:
    """ "Wk 45": a chart axis label (the table alternative has the dates)."""
    return QCoreApplication.translate("ReviewTables", "Wk %1").replace(
        "%1", str(week.isocalendar().week)
    )


def weekday_text(day: int) -> str:
    return [
        QCoreApplication.translate("ReviewTables", "Monday"),
        QCoreApplication.translate("ReviewTables", "Tuesday"),
        QCoreApplication.translate("ReviewTables", "Wednesday"),
        QCoreApplication.translate("ReviewTables", "Thursday"),
        QCoreApplication.translate("ReviewTables", "Friday"),
        QCoreApplication.translate("ReviewTables", "Saturday"),
        QCoreApplication.translate("ReviewTables", "Sunday"),
    ][day]


def group_text(key: str) -> str:
    return {
        "high": priority_text(Priority.HIGH),
        "medium": priority_text(Priority.MEDIUM),
        "low": priority_text(Priority.LOW),
        "adherence": QCoreApplication.translate(
            "ReviewTables", "Adherence items (missing measurements)"
        ),
    }.get(key, key)


def rule_name(code: str) -> str:
    try:
        return rule_text(AlertRule(code))
    except ValueError:
        return code


def outcome_name(code: str) -> str:
    try:
        return outcome_text(Outcome(code))
    except ValueError:
        return code


def _time_headers(first: str) -> list[str]:
    return [
        first,
        QCoreApplication.translate("ReviewTables", "Alerts"),
        QCoreApplication.translate("ReviewTables", "Claimed"),
        QCoreApplication.translate("ReviewTables", "Median to claim"),
        QCoreApplication.translate("ReviewTables", "p90 to claim"),
        QCoreApplication.translate("ReviewTables", "Resolved"),
        QCoreApplication.translate("ReviewTables", "Median to resolve"),
        QCoreApplication.translate("ReviewTables", "p90 to resolve"),
        QCoreApplication.translate("ReviewTables", "Still waiting"),
    ]


TIME_KINDS = ["text", "int", "int", "minutes", "minutes", "int", "minutes", "minutes", "int"]


def _time_row(label: str, stats: TimeStats) -> list[Cell]:
    return [
        label,
        stats.alerts,
        stats.claimed,
        stats.claim_median,
        stats.claim_p90,
        stats.resolved,
        stats.resolve_median,
        stats.resolve_p90,
        stats.waiting,
    ]


def review_tables(review: Review) -> list[Table]:
    """Every table of the review, in report order."""
    r = review
    c, a, t, ad, b = r.caseload, r.alerts, r.times, r.adherence, r.benefits
    tables: list[Table] = []
    minutes_note = QCoreApplication.translate(
        "ReviewTables",
        "Times are counted in opening hours. Median: the middle value; p90: 9 in 10 alerts "
        "were faster.",
    )

    summary = Table(
        "summary",
        QCoreApplication.translate("ReviewTables", "Key figures"),
        [
            QCoreApplication.translate("ReviewTables", "Figure"),
            QCoreApplication.translate("ReviewTables", "Value"),
        ],
        ["text", "text"],
    )

    def fig(label: str, value: Cell, kind: Kind) -> None:
        summary.rows.append([label, format_cell(value, kind)])

    fig(
        QCoreApplication.translate("ReviewTables", "Patients followed at the end of the range"),
        c.active,
        "int",
    )
    fig(QCoreApplication.translate("ReviewTables", "Enrolled in the range"), c.enrolled, "int")
    fig(QCoreApplication.translate("ReviewTables", "Discharged in the range"), c.discharged, "int")
    fig(
        QCoreApplication.translate(
            "ReviewTables", "Nurses with a role here (people, not full-time posts)"
        ),
        c.nurses,
        "int",
    )
    fig(
        QCoreApplication.translate("ReviewTables", "Patients per nurse"),
        c.patients_per_nurse,
        "number",
    )
    fig(
        QCoreApplication.translate(
            "ReviewTables", "Nurses needed at %1 patients per nurse"
        ).replace("%1", str(c.planning_figure)),
        c.nurses_needed,
        "int",
    )
    fig(QCoreApplication.translate("ReviewTables", "Clinical alerts"), a.clinical, "int")
    fig(
        QCoreApplication.translate("ReviewTables", "Adherence items (missing measurements)"),
        a.adherence,
        "int",
    )
    fig(
        QCoreApplication.translate("ReviewTables", "Clinical alerts per 100 patient-days"),
        per_100(a.per_patient_day),
        "number",
    )
    fig(
        QCoreApplication.translate(
            "ReviewTables", "High-priority alerts claimed within %1 min"
        ).replace("%1", QLocale().toString(round(t.target_minutes))),
        t.target_share,
        "percent",
    )
    fig(
        QCoreApplication.translate("ReviewTables", "Closed as measurement error"),
        a.measurement_error_share,
        "percent",
    )
    fig(QCoreApplication.translate("ReviewTables", "Escalated"), a.escalated, "int")
    fig(
        QCoreApplication.translate("ReviewTables", "Waited for the centre to open"),
        a.waited_for_opening,
        "int",
    )
    fig(
        QCoreApplication.translate("ReviewTables", "Still open at the end of the range"),
        a.open_at_end,
        "int",
    )
    fig(QCoreApplication.translate("ReviewTables", "Measurement adherence"), ad.share, "percent")
    fig(
        QCoreApplication.translate("ReviewTables", "Patients whose adherence is falling"),
        len(ad.falling),
        "int",
    )
    fig(
        QCoreApplication.translate("ReviewTables", "Video consultations held"),
        b.total.video_consultations,
        "int",
    )
    tables.append(summary)

    tables.append(
        Table(
            "caseload-departments",
            QCoreApplication.translate("ReviewTables", "Caseload per department"),
            [
                QCoreApplication.translate("ReviewTables", "Department"),
                QCoreApplication.translate("ReviewTables", "Patients"),
                QCoreApplication.translate("ReviewTables", "Enrolled"),
                QCoreApplication.translate("ReviewTables", "Discharged"),
                QCoreApplication.translate("ReviewTables", "Nurses"),
                QCoreApplication.translate("ReviewTables", "Patients per nurse"),
                QCoreApplication.translate("ReviewTables", "Median follow-up (days)"),
            ],
            ["text", "int", "int", "int", "int", "number", "number"],
            [
                [
                    d.name,
                    d.active,
                    d.enrolled,
                    d.discharged,
                    d.nurses,
                    d.patients_per_nurse,
                    d.followup_median_days,
                ]
                for d in c.departments
            ]
            + [
                [
                    QCoreApplication.translate("ReviewTables", "All"),
                    c.active,
                    c.enrolled,
                    c.discharged,
                    c.nurses,
                    c.patients_per_nurse,
                    c.followup_median_days,
                ]
            ],
            note=QCoreApplication.translate(
                "ReviewTables",
                "Planning figure: %1 patients per full-time nurse. Nurses of the centre itself "
                "count in the total only.",
            ).replace("%1", str(c.planning_figure)),
        )
    )
    tables.append(
        Table(
            "caseload-programmes",
            QCoreApplication.translate("ReviewTables", "Caseload per programme"),
            [
                QCoreApplication.translate("ReviewTables", "Programme"),
                QCoreApplication.translate("ReviewTables", "Patients"),
                QCoreApplication.translate("ReviewTables", "Enrolled"),
                QCoreApplication.translate("ReviewTables", "Discharged"),
            ],
            ["text", "int", "int", "int"],
            [
                [programme_text(p.programme, p.name), p.active, p.enrolled, p.discharged]
                for p in c.programmes
            ],
        )
    )
    tables.append(
        Table(
            "caseload-weeks",
            QCoreApplication.translate(
                "ReviewTables", "Patients followed, enrolments and discharges per week"
            ),
            [
                QCoreApplication.translate("ReviewTables", "Week"),
                QCoreApplication.translate("ReviewTables", "Patients at the end of the week"),
                QCoreApplication.translate("ReviewTables", "Enrolled"),
                QCoreApplication.translate("ReviewTables", "Discharged"),
            ],
            ["text", "int", "int", "int"],
            [[week_label(w.week), w.active, w.enrolled, w.discharged] for w in c.weeks],
        )
    )
    per_day = len(a.per_day) <= 31
    periods = a.per_day if per_day else a.per_week
    tables.append(
        Table(
            "alerts-periods",
            QCoreApplication.translate("ReviewTables", "Alerts per day by priority")
            if per_day
            else QCoreApplication.translate("ReviewTables", "Alerts per week by priority"),
            [
                QCoreApplication.translate("ReviewTables", "Day")
                if per_day
                else QCoreApplication.translate("ReviewTables", "Week"),
                priority_text(Priority.HIGH),
                priority_text(Priority.MEDIUM),
                priority_text(Priority.LOW),
                QCoreApplication.translate("ReviewTables", "Adherence items"),
            ],
            ["text", "int", "int", "int", "int"],
            [
                [
                    p.start.strftime("%d.%m.") if per_day else week_label(p.start),
                    p.high,
                    p.medium,
                    p.low,
                    p.adherence,
                ]
                for p in periods
            ],
        )
    )
    tables.append(
        Table(
            "alerts-rules",
            QCoreApplication.translate("ReviewTables", "Alerts by rule"),
            [
                QCoreApplication.translate("ReviewTables", "Rule"),
                QCoreApplication.translate("ReviewTables", "Alerts"),
            ],
            ["text", "int"],
            [[rule_name(row.key), row.count] for row in a.by_rule],
        )
    )
    tables.append(
        Table(
            "alerts-departments",
            QCoreApplication.translate("ReviewTables", "Alerts by department"),
            [
                QCoreApplication.translate("ReviewTables", "Department"),
                QCoreApplication.translate("ReviewTables", "Alerts"),
                QCoreApplication.translate("ReviewTables", "Per 100 patient-days"),
            ],
            ["text", "int", "number"],
            [
                [
                    row.name or QCoreApplication.translate("ReviewTables", "No department"),
                    row.count,
                    per_100(row.per_patient_day),
                ]
                for row in a.by_department
            ],
        )
    )
    resolved = a.resolved_with_outcome
    tables.append(
        Table(
            "alerts-outcomes",
            QCoreApplication.translate("ReviewTables", "Outcomes of resolved alerts"),
            [
                QCoreApplication.translate("ReviewTables", "Outcome"),
                QCoreApplication.translate("ReviewTables", "Alerts"),
                QCoreApplication.translate("ReviewTables", "Share"),
            ],
            ["text", "int", "percent"],
            [
                [outcome_name(row.key), row.count, row.count / resolved if resolved else None]
                for row in a.outcomes
            ],
            note=QCoreApplication.translate(
                "ReviewTables", "Closed automatically (the measurement came): %1. Escalated: %2."
            )
            .replace("%1", str(a.closed_automatically))
            .replace("%2", str(a.escalated)),
        )
    )
    tables.append(
        Table(
            "times-priority",
            QCoreApplication.translate("ReviewTables", "Response times by priority"),
            _time_headers(QCoreApplication.translate("ReviewTables", "Priority")),
            TIME_KINDS,
            [_time_row(group_text(key), stats) for key, stats in t.by_priority],
            note=minutes_note
            + " "
            + QCoreApplication.translate(
                "ReviewTables", "High-priority alerts claimed within %1 min: %2 of %3."
            )
            .replace("%1", QLocale().toString(round(t.target_minutes)))
            .replace("%2", str(t.target_met))
            .replace("%3", str(t.target_total)),
        )
    )
    tables.append(
        Table(
            "times-departments",
            QCoreApplication.translate(
                "ReviewTables", "Response times by department (clinical alerts)"
            ),
            _time_headers(QCoreApplication.translate("ReviewTables", "Department")),
            TIME_KINDS,
            [
                _time_row(
                    name or QCoreApplication.translate("ReviewTables", "No department"), stats
                )
                for _d, name, stats in t.by_department
            ],
        )
    )
    tables.append(
        Table(
            "times-weeks",
            QCoreApplication.translate("ReviewTables", "Response times per week (clinical alerts)"),
            _time_headers(QCoreApplication.translate("ReviewTables", "Week")),
            TIME_KINDS,
            [_time_row(week_label(w), stats) for w, stats in t.per_week],
        )
    )
    tables.append(
        Table(
            "times-weekday",
            QCoreApplication.translate(
                "ReviewTables", "Response times by weekday raised (clinical alerts)"
            ),
            _time_headers(QCoreApplication.translate("ReviewTables", "Weekday")),
            TIME_KINDS,
            [_time_row(weekday_text(d), stats) for d, stats in t.by_weekday],
        )
    )
    tables.append(
        Table(
            "times-hour",
            QCoreApplication.translate(
                "ReviewTables", "Response times by hour raised (clinical alerts)"
            ),
            _time_headers(QCoreApplication.translate("ReviewTables", "Hour")),
            TIME_KINDS,
            [_time_row(f"{h:02d}–{(h + 1) % 24:02d}", stats) for h, stats in t.by_hour],
        )
    )
    adherence_headers = [
        QCoreApplication.translate("ReviewTables", "Scheduled"),
        QCoreApplication.translate("ReviewTables", "Delivered"),
        QCoreApplication.translate("ReviewTables", "Adherence"),
    ]
    tables.append(
        Table(
            "adherence-programmes",
            QCoreApplication.translate("ReviewTables", "Measurement adherence per programme"),
            [QCoreApplication.translate("ReviewTables", "Programme"), *adherence_headers],
            ["text", "number", "number", "percent"],
            [
                [programme_text(row.key, row.name), row.expected, row.delivered, row.share]
                for row in ad.by_programme
            ],
            note=QCoreApplication.translate(
                "ReviewTables",
                "Scheduled: the measurements of each plan's times inside the range and the "
                "enrolment. A day's measurements count up to that day's schedule.",
            ),
        )
    )
    tables.append(
        Table(
            "adherence-departments",
            QCoreApplication.translate("ReviewTables", "Measurement adherence per department"),
            [QCoreApplication.translate("ReviewTables", "Department"), *adherence_headers],
            ["text", "number", "number", "percent"],
            [
                [
                    row.name or QCoreApplication.translate("ReviewTables", "No department"),
                    row.expected,
                    row.delivered,
                    row.share,
                ]
                for row in ad.by_department
            ],
        )
    )
    programmes = [row.key for row in ad.by_programme]
    names = {row.key: programme_text(row.key, row.name) for row in ad.by_programme}
    tables.append(
        Table(
            "adherence-weeks",
            QCoreApplication.translate(
                "ReviewTables", "Measurement adherence per week and programme"
            ),
            [QCoreApplication.translate("ReviewTables", "Week"), *(names[p] for p in programmes)],
            ["text", *(["percent"] * len(programmes))],
            [[week_label(w), *(row.get(p) for p in programmes)] for w, row in ad.per_week],
        )
    )
    org_names = {d.department_id: d.name for d in c.departments}

    def patient_rows(items: Sequence[Any]) -> tuple[list[list[Cell]], list[str]]:
        rows = [
            [
                p.name,
                org_names.get(p.department_id or "", p.department_id or ""),
                programme_text(p.programme, p.programme),
                p.earlier,
                p.recent,
                p.share,
            ]
            for p in items
        ]
        return rows, [p.patient_id for p in items]

    patient_headers = [
        QCoreApplication.translate("ReviewTables", "Patient"),
        QCoreApplication.translate("ReviewTables", "Department"),
        QCoreApplication.translate("ReviewTables", "Programme"),
        QCoreApplication.translate("ReviewTables", "Before"),
        QCoreApplication.translate("ReviewTables", "Last %1 days").replace(
            "%1", str(ad.recent_days)
        ),
        QCoreApplication.translate("ReviewTables", "Whole range"),
    ]
    patient_kinds = ["text", "text", "text", "percent", "percent", "percent"]
    rows, ids = patient_rows(ad.falling)
    tables.append(
        Table(
            "adherence-falling",
            QCoreApplication.translate("ReviewTables", "Patients whose adherence is falling"),
            patient_headers,
            patient_kinds,
            rows,
            note=QCoreApplication.translate(
                "ReviewTables",
                "Falling: the last %1 days at least %2 percentage points below the days before. "
                "Open a patient with Enter or a double click.",
            )
            .replace("%1", str(ad.recent_days))
            .replace("%2", str(round(r.settings.falling_drop * 100))),
            patient_ids=ids,
        )
    )
    rows, ids = patient_rows(ad.patients)
    tables.append(
        Table(
            "adherence-patients",
            QCoreApplication.translate("ReviewTables", "Measurement adherence per patient"),
            patient_headers,
            patient_kinds,
            rows,
            patient_ids=ids,
        )
    )
    tables.append(
        Table(
            "benefits",
            QCoreApplication.translate("ReviewTables", "Benefits (estimate)"),
            [
                QCoreApplication.translate("ReviewTables", "Department"),
                QCoreApplication.translate("ReviewTables", "Patients"),
                QCoreApplication.translate("ReviewTables", "Patient-weeks"),
                QCoreApplication.translate("ReviewTables", "Video consultations"),
                QCoreApplication.translate("ReviewTables", "Messages from patients"),
                QCoreApplication.translate("ReviewTables", "of them read"),
                QCoreApplication.translate("ReviewTables", "Messages sent"),
                QCoreApplication.translate("ReviewTables", "Alerts handled without referral"),
                QCoreApplication.translate("ReviewTables", "Alerts resolved"),
                QCoreApplication.translate("ReviewTables", "Baseline visits per patient-week"),
                QCoreApplication.translate("ReviewTables", "Minutes per visit"),
                QCoreApplication.translate("ReviewTables", "Visits replaced (estimate)"),
                QCoreApplication.translate("ReviewTables", "Hours saved (estimate)"),
            ],
            [
                "text",
                "int",
                "number",
                "int",
                "int",
                "int",
                "int",
                "int",
                "int",
                "number",
                "int",
                "number",
                "number",
            ],
            [
                [
                    row.name or QCoreApplication.translate("ReviewTables", "All"),
                    row.patients,
                    row.patient_weeks,
                    row.video_consultations,
                    row.messages_in,
                    row.messages_read,
                    row.messages_out,
                    row.alerts_without_visit,
                    row.alerts_resolved,
                    row.baseline.visits_per_week if row.baseline else None,
                    row.baseline.minutes_per_visit if row.baseline else None,
                    row.visits_avoided,
                    row.hours_saved,
                ]
                for row in [*b.departments, b.total]
            ],
            note=benefits_note(),
        )
    )
    if r.per_nurse is not None:
        tables.append(
            Table(
                "per-nurse",
                QCoreApplication.translate(
                    "ReviewTables", "Per nurse (counts and times, not a ranking)"
                ),
                [
                    QCoreApplication.translate("ReviewTables", "Nurse"),
                    QCoreApplication.translate("ReviewTables", "Patients as responsible nurse"),
                    QCoreApplication.translate("ReviewTables", "Alerts resolved"),
                    QCoreApplication.translate("ReviewTables", "Median to claim"),
                    QCoreApplication.translate("ReviewTables", "Median to resolve"),
                    QCoreApplication.translate("ReviewTables", "Messages sent"),
                    QCoreApplication.translate("ReviewTables", "Video consultations"),
                ],
                ["text", "int", "int", "minutes", "minutes", "int", "int"],
                [
                    [
                        n.name,
                        n.caseload,
                        n.alerts_resolved,
                        n.claim_median,
                        n.resolve_median,
                        n.messages_sent,
                        n.video_consultations,
                    ]
                    for n in r.per_nurse
                ],
                note=QCoreApplication.translate(
                    "ReviewTables", "Listed by name. For the department lead only."
                ),
            )
        )
    return tables


def benefits_note() -> str:
    return QCoreApplication.translate(
        "ReviewTables",
        "This is an estimate, not a measurement: patient-weeks followed × the visits per "
        "patient-week the department had before DHO (its baseline, entered by the lead) × "
        "the minutes per visit. Home visits still made are not recorded here and are not "
        "subtracted. Without a baseline no estimate is shown.",
    )


class TableModel(QAbstractTableModel):
    """A `Table` for a QTableView: display texts, raw values for sorting, right-aligned numbers."""

    SORT_ROLE = Qt.ItemDataRole.UserRole + 1

    def __init__(self, table: Table | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._table = table or Table("", "", [], [])

    @property
    def table(self) -> Table:
        return self._table

    def set_table(self, table: Table) -> None:
        self.beginResetModel()
        self._table = table
        self.endResetModel()

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._table.rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._table.headers)

    def data(
        self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if not index.isValid():
            return None
        row, column = index.row(), index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return self._table.text(row, column)
        if role == self.SORT_ROLE:
            value = self._table.rows[row][column]
            return -1e18 if value is None else value
        if role == Qt.ItemDataRole.TextAlignmentRole and self._table.kinds[column] != "text":
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.UserRole and self._table.patient_ids:
            return self._table.patient_ids[row]
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return self._table.headers[section]
        return None


__all__ = [
    "Table",
    "TableModel",
    "format_cell",
    "format_minutes",
    "review_tables",
    "week_label",
    "week_short",
]
