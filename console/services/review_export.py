"""Exports of the review and the access log: CSV and XLSX (openpyxl), written only when the
user asks, to the file they chose.

CSV: UTF-8 with a byte-order mark and `;` between fields, so a Norwegian Excel opens it in
columns; numbers with the user's decimal separator. Each table is a block: its title, the
header row, the rows, a blank line; the first lines say what the export is (centre, range,
when). XLSX: one sheet per table with real numbers (shares as percentages, times in minutes),
and a first sheet with what the export is.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from console.state.review_tables import Cell, Table


@dataclass(frozen=True, slots=True)
class ExportHeader:
    """What the export is: shown on top of the CSV and on the first XLSX sheet."""

    title: str
    lines: tuple[tuple[str, str], ...]  # (label, value)


def _csv_value(value: Cell, kind: str, decimal: str) -> str:
    if value is None:
        return ""
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int | float):
        if kind == "minutes":
            number = round(float(value) / 60.0, 1)
        elif kind == "percent":
            number = round(100.0 * float(value), 1)
        elif kind == "int":
            return str(round(value))
        else:
            number = round(float(value), 2)
        return f"{number}".replace(".", decimal)
    return str(value)


def unit_suffix(kind: str) -> str:
    return {"minutes": " (min)", "percent": " (%)"}.get(kind, "")


def write_csv(
    path: str | Path, header: ExportHeader, tables: Sequence[Table], *, decimal: str = ","
) -> None:
    with open(path, "w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle, delimiter=";", quoting=csv.QUOTE_MINIMAL)
        writer.writerow([header.title])
        for label, value in header.lines:
            writer.writerow([label, value])
        writer.writerow([])
        for table in tables:
            writer.writerow([table.title])
            writer.writerow(
                [h + unit_suffix(k) for h, k in zip(table.headers, table.kinds, strict=True)]
            )
            for row in table.rows:
                writer.writerow(
                    [_csv_value(v, k, decimal) for v, k in zip(row, table.kinds, strict=True)]
                )
            if table.note:
                writer.writerow([table.note])
            writer.writerow([])


_SHEET_BAD = re.compile(r"[\[\]:*?/\\]")


def _sheet_name(title: str, taken: set[str]) -> str:
    base = _SHEET_BAD.sub(" ", title).strip()[:31].strip() or "Tabell"
    name, n = base, 2
    while name.lower() in taken:
        name = f"{base[:27].strip()} {n}"
        n += 1
    taken.add(name.lower())
    return name


def write_xlsx(path: str | Path, header: ExportHeader, tables: Sequence[Table]) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    book = Workbook()
    info = book.active
    assert info is not None
    taken: set[str] = set()
    info.title = _sheet_name(header.title, taken)
    info.append([header.title])
    info["A1"].font = Font(bold=True, size=13)
    for label, text in header.lines:
        info.append([label, text])
    info.append([])
    for table in tables:
        if table.note:
            info.append([table.title, table.note])
    info.column_dimensions["A"].width = 34
    info.column_dimensions["B"].width = 90
    for table in tables:
        sheet = book.create_sheet(_sheet_name(table.title, taken))
        sheet.append([table.title])
        sheet["A1"].font = Font(bold=True)
        sheet.append([h + unit_suffix(k) for h, k in zip(table.headers, table.kinds, strict=True)])
        for cell in sheet[2]:
            cell.font = Font(bold=True)
        for row in table.rows:
            out: list[object] = []
            for value, kind in zip(row, table.kinds, strict=True):
                cell_value: object = value
                if isinstance(value, int | float) and not isinstance(value, bool):
                    if kind == "minutes":
                        cell_value = round(float(value) / 60.0, 2)
                    elif kind == "percent":
                        cell_value = float(value)
                out.append(cell_value)
            sheet.append(out)
            for column, kind in enumerate(table.kinds, start=1):
                cell = sheet.cell(row=sheet.max_row, column=column)
                if kind == "percent":
                    cell.number_format = "0.0%"
                elif kind in ("number", "minutes"):
                    cell.number_format = "0.0"
                elif isinstance(cell.value, date):
                    cell.number_format = "dd.mm.yyyy hh:mm"
        if table.note:
            sheet.append([])
            sheet.append([table.note])
        for column, title in enumerate(table.headers, start=1):
            sheet.column_dimensions[get_column_letter(column)].width = max(
                12, min(48, len(title) + 4)
            )
        sheet.freeze_panes = "A3"
    book.save(str(path))


__all__ = ["ExportHeader", "write_csv", "write_xlsx"]
