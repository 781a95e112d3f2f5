"""Language choice and Qt Linguist translators: ours (nb, nn, en) and Qt's own (qtbase).

Qt ships `qtbase_nn` but no Bokmål file, so the console brings `qtbase_nb` (the standard
buttons, file and print dialogs, text-editing menus a nurse meets) and installs Qt's Nynorsk
under it for the rare string it does not cover: closer to Bokmål than English is. English
loads `dho_en.qm` too, for its plural forms ("1 patient", "300 patients").
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

from console import settings

LANGUAGES = settings.LANGUAGES
TRANSLATIONS_DIR = Path(__file__).resolve().parent.parent / "resources" / "translations"


def pick_language(requested: str | None = None, locale: QLocale | None = None) -> str:
    """Explicit choice, then DHO_LANG or `ui/language`, then the system locale."""
    for choice in (requested, settings.language()):
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


def qt_translation_files(language: str) -> list[Path]:
    """Qt's own translations for `language`, the preferred one last (Qt searches the last
    installed translator first)."""
    qt_dir = Path(QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath))
    if language == "nn":
        return [qt_dir / "qtbase_nn.qm", TRANSLATIONS_DIR / "qtbase_nn_extra.qm"]
    if language == "nb":
        return [qt_dir / "qtbase_nn.qm", TRANSLATIONS_DIR / "qtbase_nb.qm"]
    return []


def install_translators(app: QCoreApplication, language: str) -> list[QTranslator]:
    """Load our strings and Qt's own (standard dialogs); keep the returned objects alive."""
    installed: list[QTranslator] = []
    locale = {
        "nn": QLocale(QLocale.Language.NorwegianNynorsk, QLocale.Country.Norway),
        "nb": QLocale(QLocale.Language.NorwegianBokmal, QLocale.Country.Norway),
    }.get(language, QLocale(QLocale.Language.English, QLocale.Country.Norway))
    QLocale.setDefault(locale)
    for path in [*qt_translation_files(language), TRANSLATIONS_DIR / f"dho_{language}.qm"]:
        translator = QTranslator(app)
        if path.is_file() and translator.load(str(path)):
            app.installTranslator(translator)
            installed.append(translator)
    return installed
