from __future__ import annotations

from pathlib import Path

from pytestqt.qtbot import QtBot

from console.config.site_file import SiteConfig
from console.pipeline.runtime import RuntimeOptions
from ui.admin.first_admin import FirstAdminDialog
from ui.session import ConsoleSession


def test_first_start_creates_the_administrator_then_the_core_knows_the_user(
    demo_site: SiteConfig, qtbot: QtBot, tmp_path: Path
) -> None:
    site = demo_site
    session = ConsoleSession(
        site, database=tmp_path / "db.sqlite", options=RuntimeOptions(analyse=False)
    )
    try:
        assert session.accounts.count() == 0
        dialog = FirstAdminDialog(session.accounts)
        qtbot.addWidget(dialog)
        qtbot.keyClicks(dialog.username, "quantri")
        qtbot.keyClicks(dialog.password, "Bac-Ninh-2026!")
        qtbot.keyClicks(dialog.repeat, "Bac-Ninh-2026?")
        dialog.create_account()
        assert session.accounts.count() == 0
        assert dialog.message.text()  # the passwords differ
        dialog.repeat.clear()
        qtbot.keyClicks(dialog.repeat, "Bac-Ninh-2026!")
        dialog.create_account()
        assert session.accounts.count() == 1
        user = session.accounts.login("quantri", "Bac-Ninh-2026!")
        session.sign_in(user)
        assert session.user() == "quantri" and session.role() == "admin"
        assert session.alerts.guard is not None  # the core now refuses what the role may not do
    finally:
        session.stop()
