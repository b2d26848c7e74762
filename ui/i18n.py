"""Interface language: Vietnamese by default, English switchable while the console runs."""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QLocale, QTranslator
from PySide6.QtWidgets import QApplication

log = logging.getLogger(__name__)
TRANSLATIONS_DIR = Path(__file__).resolve().parent.parent / "resources" / "translations"
LANGUAGES = ("vi", "en")


def install_translator(app: QApplication, language: str) -> QTranslator | None:
    """Load ``roadwatch_<language>.qm``; English is the source language and needs none.

    Qt then sends every widget a LanguageChange event, and each widget re-reads its texts.
    """
    for old in app.findChildren(QTranslator):
        app.removeTranslator(old)
        old.deleteLater()
    QLocale.setDefault(QLocale(language))
    app.setProperty("roadwatch_language", language)
    if language == "en":
        return None
    translator = QTranslator(app)
    if not translator.load(str(TRANSLATIONS_DIR / f"roadwatch_{language}.qm")):
        log.warning("no %s translation found in %s; showing English", language, TRANSLATIONS_DIR)
        return None
    app.installTranslator(translator)
    return translator


def current_language(app: QApplication) -> str:
    value = app.property("roadwatch_language")
    return str(value) if value in LANGUAGES else "vi"
