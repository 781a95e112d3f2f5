"""The printable review: an A4 PDF with the centre, the range and the date on every page.

Qt's `QTextDocument.print_` has no running headers, so pages are painted here one by one: the
document is laid out on a page body, and each page gets a header (centre, range) and a footer
(printed when, by whom, page n of m) around its slice of the document. Charts come in as
images; every chart is followed by its table, so the report reads in greyscale too. Body text
is 9.5 pt.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from dataclasses import dataclass

from PySide6.QtCore import QMarginsF, QRectF, QSizeF, Qt, QUrl
from PySide6.QtGui import (
    QFont,
    QImage,
    QPageLayout,
    QPageSize,
    QPainter,
    QPdfWriter,
    QTextDocument,
)

from console.domain.training import MARK, mark_html, marked_title, training_mark
from console.state.review_tables import Table

BODY_PT = 9.5
HEADER_PT = 8.5


@dataclass(frozen=True, slots=True)
class ReportChart:
    """A chart image placed before the table `table_key`."""

    table_key: str
    image: QImage


def _e(text: str) -> str:
    return html.escape(text, quote=False)


def report_html(
    title: str,
    intro: Sequence[str],
    tables: Sequence[Table],
    *,
    charts: Sequence[ReportChart] = (),
    chart_width: float = 640.0,
) -> str:
    """The report body; charts are referenced as `chart:<table key>` resources."""
    by_key = {c.table_key for c in charts}
    parts = [
        "<html><head><meta charset='utf-8'><style>"
        "th { background: #e6e6e6; text-align: left; } td, th { padding: 3px; }"
        "td.n { text-align: right; } p.note { color: #333; }"
        "</style></head><body>",
        f"<h1>{_e(title)}</h1>",
        *(f"<p>{_e(line)}</p>" for line in intro),
    ]
    for table in tables:
        parts.append(f"<h3>{_e(table.title)}</h3>")
        if table.key in by_key:
            parts.append(f"<p><img src='chart:{table.key}' width='{chart_width:.0f}'></p>")
        if not table.rows:
            parts.append("<p>–</p>")
        else:
            parts.append("<table border='1' cellspacing='0' width='100%'><thead><tr>")
            parts += [f"<th>{_e(h)}</th>" for h in table.headers]
            parts.append("</tr></thead>")
            for r in range(len(table.rows)):
                cells = []
                for c, kind in enumerate(table.kinds):
                    klass = "" if kind == "text" else " class='n'"
                    cells.append(f"<td{klass}>{_e(table.text(r, c))}</td>")
                parts.append("<tr>" + "".join(cells) + "</tr>")
            parts.append("</table>")
        if table.note:
            parts.append(f"<p class='note'><i>{_e(table.note)}</i></p>")
    parts.append("</body></html>")
    return "".join(parts)


def export_report_pdf(
    path: str,
    document_html: str,
    *,
    header_left: str,
    header_right: str,
    footer_left: str,
    page_text: str = "Page %1 of %2",
    charts: Sequence[ReportChart] = (),
    title: str = "",
) -> int:
    """Write the PDF; returns the number of pages. `page_text` has %1 (page) and %2 (pages).

    From a training server, every page's header and the first line carry the training mark."""
    if training_mark():
        header_left = f"{MARK} · {header_left}" if header_left else MARK
        title = marked_title(title)
        document_html = mark_html(document_html)
    writer = QPdfWriter(path)
    writer.setTitle(title)
    writer.setCreator("DHO")
    writer.setResolution(300)
    writer.setPageLayout(
        QPageLayout(
            QPageSize(QPageSize.PageSizeId.A4),
            QPageLayout.Orientation.Portrait,
            QMarginsF(14, 12, 14, 12),
            QPageLayout.Unit.Millimeter,
        )
    )
    dpi = writer.resolution()
    page = writer.pageLayout().paintRectPixels(dpi)
    band = int(dpi * 0.28)  # header and footer bands (~7 mm each)
    body = QRectF(0, band, page.width(), page.height() - 2 * band)

    document = QTextDocument()
    # Lay the document out at screen-like 96 dpi units, scaled to the printer when painting.
    scale = dpi / 96.0
    font = QFont()
    font.setPointSizeF(BODY_PT)
    document.setDefaultFont(font)
    for chart in charts:
        document.addResource(
            QTextDocument.ResourceType.ImageResource, QUrl(f"chart:{chart.table_key}"), chart.image
        )
    document.setHtml(document_html)
    document.setPageSize(QSizeF(body.width() / scale, body.height() / scale))
    pages = max(1, document.pageCount())
    header_font = QFont()
    header_font.setPointSizeF(HEADER_PT)

    painter = QPainter(writer)
    try:
        for number in range(pages):
            if number:
                writer.newPage()
            painter.setFont(header_font)
            top = QRectF(0, 0, page.width(), band * 0.8)
            painter.drawText(
                top, int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter), header_left
            )
            painter.drawText(
                top, int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter), header_right
            )
            painter.drawLine(0, int(band * 0.85), page.width(), int(band * 0.85))
            bottom = QRectF(0, page.height() - band * 0.8, page.width(), band * 0.8)
            painter.drawLine(
                0, int(page.height() - band * 0.85), page.width(), int(page.height() - band * 0.85)
            )
            painter.drawText(
                bottom, int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter), footer_left
            )
            painter.drawText(
                bottom,
                int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter),
                page_text.replace("%1", str(number + 1)).replace("%2", str(pages)),
            )
            painter.save()
            painter.translate(body.left(), body.top())
            painter.scale(scale, scale)
            height = body.height() / scale
            painter.translate(0, -number * height)
            clip = QRectF(0, number * height, body.width() / scale, height)
            painter.setClipRect(clip)
            document.drawContents(painter, clip)
            painter.restore()
    finally:
        painter.end()
    return pages


__all__ = ["ReportChart", "export_report_pdf", "report_html"]
