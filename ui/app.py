"""Start-up of the desktop console: Qt application, theme, translations, site, main window."""

from __future__ import annotations

import logging
import os
import sys
from functools import partial
from pathlib import Path

from PySide6.QtCore import QSettings
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QDialog, QMessageBox, QWidget

from console import APP_NAME, __version__
from console.config.site_file import ConfigError, SiteConfig, load_site
from console.paths import settings_dir
from console.security.roles import UserSession
from ui.admin.first_admin import FirstAdminDialog
from ui.admin.lock_screen import IdleLock, LockScreen
from ui.admin.login import LoginDialog
from ui.i18n import install_translator
from ui.main_window import MainWindow
from ui.session import ConsoleSession
from ui.theme import apply_theme

log = logging.getLogger(__name__)
__all__ = ["install_translator", "open_main_window", "run"]
GUI_SWITCH_INTERVAL_S = 0.001
APP_ICON = Path(__file__).resolve().parent.parent / "resources" / "icons" / "roadwatch.png"


def prepare_gui_process() -> None:
    """Process-wide settings for a responsive GUI; call before the QApplication exists."""
    # Every Python callback from Qt (a paint, a timer) has to win the GIL back from busy
    # capture/simulator threads, which waits up to one switch interval (5 ms by default).
    # A shorter interval keeps the GUI thread responsive (see docs/DECISIONS.md).
    sys.setswitchinterval(GUI_SWITCH_INTERVAL_S)
    # Qt's raster engine hands larger fills (96+ spans: strokes, polygons) to a private
    # thread pool and waits for it; on a busy 2-core PC that hand-off cost more than the
    # fill. The variable is read once, when the pool is first wanted.
    os.environ.setdefault("QT_NO_GUI_THREADPOOL", "1")


def application() -> QApplication:
    existing = QApplication.instance()
    if isinstance(existing, QApplication):
        identify(existing)
        return existing
    prepare_gui_process()
    app = QApplication(sys.argv)
    identify(app)
    apply_theme(app)
    return app


def identify(app: QApplication) -> None:
    """Name, version, icon and desktop entry: what the task bar and window manager show."""
    app.setApplicationName(APP_NAME)
    app.setApplicationVersion(__version__)
    app.setOrganizationName(APP_NAME)
    app.setDesktopFileName("roadwatch")  # matches the .deb's roadwatch.desktop
    app.setWindowIcon(QIcon(str(APP_ICON)))


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
    settings = user_settings()
    language = settings.value("ui/language", site.site.language)
    install_translator(app, str(language) if language in ("vi", "en") else site.site.language)
    user_session = log_in(session)
    if user_session is None:
        session.stop()
        return 0
    window = open_main_window(site, session, Path(site_path))
    idle = IdleLock(user_session, parent=window)
    idle.locked.connect(partial(_on_idle, window, session, user_session))
    session.start()
    log.info(
        "console open on site %s (%d cameras) for %s",
        site.site.id,
        len(site.cameras),
        user_session.username,
    )
    code = app.exec()
    idle.stop()
    session.stop()
    session.accounts.logout(user_session, "window closed")
    return code


def log_in(session: ConsoleSession) -> UserSession | None:
    """First start: create the administrator; then the login dialog. None when cancelled."""
    accounts = session.accounts
    if accounts.count() == 0 and FirstAdminDialog(accounts).exec() != QDialog.DialogCode.Accepted:
        return None
    dialog = LoginDialog(accounts)
    if dialog.exec() != QDialog.DialogCode.Accepted or dialog.session is None:
        return None
    session.sign_in(dialog.session)
    return dialog.session


def _on_idle(window: MainWindow, session: ConsoleSession, user_session: UserSession) -> None:
    """The screen locks; logging out from the lock screen closes the console."""
    if LockScreen(session.accounts, user_session, window).exec() != QDialog.DialogCode.Accepted:
        window.close()
