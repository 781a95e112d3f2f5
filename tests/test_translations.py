"""Every user-visible string is translated to Bokmål and Nynorsk, and the files are current."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QTranslator

ROOT = Path(__file__).resolve().parent.parent


def _translations_tool():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location(
        "translations", ROOT / "packaging" / "translations.py"
    )
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_ts_files_current_complete_and_compiled() -> None:
    problems = _translations_tool().check()
    assert problems == []


@pytest.mark.parametrize(
    ("language", "context", "source", "expected"),
    [
        ("nb", "MainWindow", "Live", "Direkte"),
        ("nn", "MainWindow", "Offline", "Fråkopla"),
        ("nb", "Formatting", "Red", "Rød"),
        ("nn", "Formatting", "Red", "Raud"),
    ],
)
def test_compiled_translations_load(
    qapp: QCoreApplication, language: str, context: str, source: str, expected: str
) -> None:
    translator = QTranslator()
    assert translator.load(str(ROOT / "resources" / "translations" / f"dho_{language}.qm"))
    qapp.installTranslator(translator)
    try:
        assert QCoreApplication.translate(context, source) == expected
    finally:
        qapp.removeTranslator(translator)
