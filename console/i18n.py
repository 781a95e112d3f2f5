"""Language choice and Qt Linguist translators (nb, nn and the English source strings)."""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

LANGUAGES = ("nb", "nn", "en")
TRANSLATIONS_DIR = Path(__file__).resolve().parent.parent / "resources" / "translations"


def pick_language(requested: str | None = None, locale: QLocale | None = None) -> str:
    """Explicit choice, then DHO_LANG, then the system locale; Norwegian systems get nb or nn."""
    for choice in (requested, os.environ.get("DHO_LANG")):
        if choice:
            choice = choice.lower().replace("_", "-").split("-")[0]
            if choice == "no":
                choice = "nb"
            if choice in LANGUAGES:
                return choice
    language = (locale or QLocale.system()).language()
    if language == QLocale.Language.NorwegianNynorsk:
        return "nn"
    if language == QLocale.Language.NorwegianBokmal:
        return "nb"
    return "en"


def current_language() -> str:
    """nb, nn or en: what `install_translators` set (the login page follows it)."""
    language = QLocale().language()
    if language == QLocale.Language.NorwegianNynorsk:
        return "nn"
    if language == QLocale.Language.NorwegianBokmal:
        return "nb"
    return "en"


def install_translators(app: QCoreApplication, language: str) -> list[QTranslator]:
    """Load our strings and Qt's own (standard dialogs); keep the returned objects alive."""
    installed: list[QTranslator] = []
    if language == "en":
        QLocale.setDefault(QLocale(QLocale.Language.English, QLocale.Country.Norway))
        return installed
    QLocale.setDefault(
        QLocale(
            QLocale.Language.NorwegianNynorsk
            if language == "nn"
            else QLocale.Language.NorwegianBokmal,
            QLocale.Country.Norway,
        )
    )
    ours = QTranslator(app)
    if ours.load(str(TRANSLATIONS_DIR / f"dho_{language}.qm")):
        app.installTranslator(ours)
        installed.append(ours)
    qt_dir = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    qt_own = QTranslator(app)
    # Qt ships Bokmål only; Nynorsk users get Bokmål for Qt's own few standard strings.
    if qt_own.load(f"qtbase_{'nb' if language in ('nb', 'nn') else language}", qt_dir):
        app.installTranslator(qt_own)
        installed.append(qt_own)
    return installed
