"""Elided texts shaped once, for delegates that paint the same texts many times a second."""

from __future__ import annotations

from collections.abc import Iterator

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QFontMetrics, QStaticText

#: (text, available width, font key) -> (shaped text, its width, its height)
_Key = tuple[str, int, str]
_Entry = tuple[QStaticText, int, int]


class ShapedTexts:
    """`QStaticText`s elided to a width and shaped once per text, width and font.

    Laying a text out again on every paint is most of what a delegate costs on a live list
    that repaints several times a second. When full, the oldest entry goes first. A static
    text is drawn in the painter's font: set the same font on the painter before drawing.
    """

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self._entries: dict[_Key, _Entry] = {}
        self._font: QFont | None = None
        self._font_key = ""

    def __len__(self) -> int:
        return len(self._entries)

    def __iter__(self) -> Iterator[_Key]:
        return iter(self._entries)

    def clear(self) -> None:
        self._entries.clear()

    def font_key(self, font: QFont) -> str:
        """`font.key()`, with one C++ comparison against the last font instead of building
        the key string for every text."""
        if font != self._font:
            self._font, self._font_key = QFont(font), font.key()
        return self._font_key

    def get(
        self, text: str, available: int, font: QFont, metrics: QFontMetrics, font_key: str
    ) -> _Entry:
        key = (text, available, font_key)
        found = self._entries.get(key)
        if found is None:
            if len(self._entries) >= self.limit:
                del self._entries[next(iter(self._entries))]
            shown = metrics.elidedText(text, Qt.TextElideMode.ElideRight, max(0, available))
            static = QStaticText(shown)
            static.setTextFormat(Qt.TextFormat.PlainText)
            static.prepare(font=font)
            found = self._entries[key] = (
                static,
                metrics.horizontalAdvance(shown),
                metrics.height(),
            )
        return found
