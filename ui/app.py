"""Start-up of the desktop console: Qt application, theme, translations, site, main window."""

from __future__ import annotations

import logging
import sys
from pathlib import Path

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from console import APP_NAME, __version__
from console.config import ConfigError, SiteConfig, load_site
from console.paths import settings_dir
from ui.i18n import install_translator
from ui.main_window import MainWindow
from ui.session import ConsoleSession
from ui.theme import apply_theme

log = logging.getLogger(__name__)
__all__ = ["install_translator", "open_main_window", "run"]
GUI_SWITCH_INTERVAL_S = 0.001


def application() -> QApplication:
    existing = QApplication.instance()
    if isinstance(existing, QApplication):
        return existing
    # Every Qt call releases the GIL; getting it back behind busy capture/simulator threads
    # waits up to one switch interval (5 ms by default), and a repaint makes dozens of
    # calls. A shorter interval keeps the GUI thread responsive (see docs/DECISIONS.md).
    sys.setswitchinterval(GUI_SWITCH_INTERVAL_S)
    app = QApplication(sys.argv)
    app.setApplicationName(APP_NAME)
    app.setApplicationVersion(__version__)
    app.setOrganizationName(APP_NAME)
    apply_theme(app)
    return app


def user_settings() -> QSettings:
    return QSettings(str(settings_dir() / "ui.ini"), QSettings.Format.IniFormat)


def show_config_error(parent: QWidget | None, error: ConfigError) -> None:
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Critical)
    box.setWindowTitle(APP_NAME)
    box.setText(
        box.tr("The site file cannot be used:")
        + f"\n{error.file}\n\n"
        + box.tr("%n problem(s) found. Correct the file and start again.", "", len(error.problems))
    )
    box.setDetailedText("\n".join(p.describe() for p in error.problems))
    box.exec()


def open_main_window(
    site: SiteConfig, session: ConsoleSession | None = None, site_path: Path | None = None
) -> MainWindow:
    app = application()
    settings = user_settings()
    language = settings.value("ui/language", site.site.language)
    install_translator(app, str(language) if language in ("vi", "en") else site.site.language)
    window = MainWindow(site, settings, session)
    window.site_path = site_path
    window.show()
    return window


def run(site_path: Path) -> int:
    app = application()
    try:
        site = load_site(site_path)
    except ConfigError as error:
        log.error("%s", error)
        install_translator(app, "vi")
        show_config_error(None, error)
        return 1
    session = ConsoleSession(site, base_dir=Path(site_path).parent)
    window = open_main_window(site, session, Path(site_path))
    session.start()
    log.info("console open on site %s (%d cameras)", site.site.id, len(site.cameras))
    code = app.exec()
    session.stop()
    del window
    return code
