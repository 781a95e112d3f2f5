"""The alert card delegate draws from caches (frame pixmaps, shaped texts); what it draws must
still follow the card: level colours, bold title, right-aligned age, elided lines, the flash
pulse, the focus outline, and a change of font."""

from __future__ import annotations

from PySide6.QtCore import QRect
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetrics,
    QImage,
    QPainter,
    QStandardItem,
    QStandardItemModel,
)
from PySide6.QtWidgets import QListView, QStyle, QStyleOptionViewItem
from pytestqt.qtbot import QtBot

from widgets.alert_card import CARD_ROLE, AlertCardDelegate, CardData, CardLevel

W, H = 480, 96
LONG = "Manglende måling: Kroppsvekt, ventet 20.11. kl. 08:00 (68 t over tid) " * 3


def card(**changes: object) -> CardData:
    values: dict[str, object] = {
        "title": "Knutsen, Stein",
        "level": CardLevel.HIGH,
        "level_text": "Høy prioritet",
        "lines": (LONG,),
        "department": "Hjemmesykepleien Stavanger sentrum",
        "age_text": "12 min",
        "state_text": "Ny",
    }
    values.update(changes)
    return CardData(**values)  # type: ignore[arg-type]


class Harness:
    def __init__(self, qtbot: QtBot) -> None:
        self.view = QListView()
        qtbot.addWidget(self.view)
        self.model = QStandardItemModel()
        self.view.setModel(self.model)
        self.delegate = AlertCardDelegate(self.view)

    def render(
        self,
        data: CardData,
        *,
        state: QStyle.StateFlag = QStyle.StateFlag.State_None,
        font: QFont | None = None,
    ) -> QImage:
        item = QStandardItem()
        item.setData(data, CARD_ROLE)
        self.model.appendRow(item)
        option = QStyleOptionViewItem()
        option.initFrom(self.view)
        if font is not None:
            option.font = font  # type: ignore[attr-defined]
            option.fontMetrics = QFontMetrics(font)  # type: ignore[attr-defined]
        option.rect = QRect(0, 0, W, H)
        option.state = state | QStyle.StateFlag.State_Enabled
        image = QImage(W, H, QImage.Format.Format_ARGB32)
        image.fill(QColor("white"))
        painter = QPainter(image)
        self.delegate.paint(painter, option, self.model.index(self.model.rowCount() - 1, 0))
        painter.end()
        return image


def dark_columns(image: QImage, top: int, bottom: int) -> list[int]:
    return [
        x
        for x in range(image.width())
        if any(image.pixelColor(x, y).lightness() < 100 for y in range(top, bottom))
    ]


def test_card_draws_level_title_age_and_elided_lines(qtbot: QtBot) -> None:
    h = Harness(qtbot)
    image = h.render(card())
    assert image.pixelColor(W // 2, H - 8) == QColor(CardLevel.HIGH.background)
    assert image.pixelColor(W // 2, 3) != QColor("white")  # the border
    first_line = dark_columns(image, 12, 26)
    assert min(first_line) < 60 and max(first_line) > W - 20  # title left, age right
    second_line = dark_columns(image, 28, 42)
    assert second_line and max(second_line) < W - 8  # elided inside the card
    assert h.render(card(age_text="3 d")) != image  # a new age is drawn, not a cached one


def test_flash_pulse_focus_outline_and_font_change(qtbot: QtBot) -> None:
    h = Harness(qtbot)
    alarming = card(alarming=True)
    h.delegate.phase = 0.0
    calm = h.render(alarming)
    h.delegate.phase = 0.01  # the same step of the pulse: the same picture
    assert h.render(alarming) == calm
    h.delegate.phase = 0.5
    pulsed = h.render(alarming)
    assert pulsed.pixelColor(W // 2, H - 12) != calm.pixelColor(W // 2, H - 12)

    h.delegate.phase = 0.0
    plain = h.render(card())
    focused = h.render(card(), state=QStyle.StateFlag.State_HasFocus)
    # The dashed outline runs just inside the border, visible without colour.
    assert any(focused.pixelColor(x, H - 7).lightness() < 80 for x in range(100, 200))
    assert not any(plain.pixelColor(x, H - 7).lightness() < 80 for x in range(100, 200))

    big = QFont(h.view.font())
    big.setPointSizeF(big.pointSizeF() * 1.6)
    larger = h.render(card(lines=("Puls 112",)), font=big)
    normal = h.render(card(lines=("Puls 112",)))
    assert len(dark_columns(larger, 12, 40)) > len(dark_columns(normal, 12, 40))
    # Elided again for the larger font (the long line was cached for the normal one).
    assert max(dark_columns(h.render(card(), font=big), 0, H)) < W - 8


def test_caches_stay_bounded(qtbot: QtBot) -> None:
    h = Harness(qtbot)
    h.delegate._texts.limit = 50
    h.delegate.FRAME_LIMIT = 8
    for i in range(120):
        h.render(card(title=f"Pasient {i}", age_text=f"{i} min", alarming=True))
        h.delegate.phase = i / 120  # every pulse step: a new frame
    assert len(h.delegate._texts) <= 50
    assert len(h.delegate._frames) <= 8
    # The oldest go first: the newest card's texts are still there.
    assert any(key[0] == "119 min" for key in h.delegate._texts)
