from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from console.config.site_file import SiteConfig
from console.domain.records import AlertStatus
from console.pipeline.runtime import RuntimeOptions
from ui.alerts.queue_model import Column
from ui.app import user_settings
from ui.i18n import install_translator
from ui.main_window import MainWindow
from ui.session import ConsoleSession


def sample_texts(window: MainWindow) -> dict[str, str]:
    return {
        "dock": window.docks["alerts"].windowTitle(),
        "header": str(window.queue_model.headerData(Column.PRIORITY, Qt.Orientation.Horizontal)),
        "filter": window.alert_queue.status_filter.itemText(0),
        "button": window.alert_detail.buttons[AlertStatus.ACKNOWLEDGED].text(),
        "menu": window.menus.file_menu.title(),
        "status": window.status.health_label.text(),
        "banner": window.wall.visible_tiles()[0].banner_text(),
        "clip": window.alert_detail.clip.play_button.text(),
    }


def test_language_switches_at_runtime_from_the_menu(demo_site: SiteConfig, qtbot: QtBot) -> None:
    app = QApplication.instance()
    install_translator(app, "vi")
    window = MainWindow(demo_site, user_settings())
    qtbot.addWidget(window)
    vietnamese = sample_texts(window)
    assert vietnamese == {
        "dock": "Hàng đợi cảnh báo",
        "header": "Mức ưu tiên",
        "filter": "Cảnh báo đang mở",
        "button": "Xác nhận (A)",
        "menu": "&Tệp",
        "status": "Camera: 0 trực tuyến, 0 mất tín hiệu, tổng 10",
        "banner": "ĐANG KẾT NỐI…",
        "clip": "Phát",
    }
    window.menus.switch_language("en")
    qtbot.waitUntil(lambda: sample_texts(window)["menu"] == "&File")
    english = sample_texts(window)
    assert english == {
        "dock": "Alert queue",
        "header": "Priority",
        "filter": "Open alerts",
        "button": "Acknowledge (A)",
        "menu": "&File",
        "status": "Cameras: 0 live, 0 down, 10 in total",
        "banner": "CONNECTING…",
        "clip": "Play",
    }
    assert window.settings.value("ui/language") == "en"
    window.menus.switch_language("vi")
    qtbot.waitUntil(lambda: sample_texts(window) == vietnamese)


@pytest.mark.slow  # renders a small demo clip first on a cold cache
def test_closing_the_window_stops_every_thread(
    demo_site: SiteConfig, qtbot: QtBot, tmp_path: Path
) -> None:
    site = demo_site
    camera = site.cameras[0]
    # A small scene: the first start renders it into the cache before the camera starts.
    small = camera.streams.model_copy(update={"main": "sim://highway?seed=7&width=320&height=180"})
    one_camera = site.model_copy(update={"cameras": [camera.model_copy(update={"streams": small})]})
    session = ConsoleSession(
        one_camera, database=tmp_path / "db.sqlite3", options=RuntimeOptions(analyse=False)
    )
    window = MainWindow(one_camera, user_settings(), session, sound_player=lambda alert: None)
    qtbot.addWidget(window)
    window.show()
    session.start()
    tile = window.wall.visible_tiles()[0]
    qtbot.waitUntil(lambda: tile.frame_version > 0, timeout=120_000)
    qtbot.waitUntil(lambda: tile.banner_text() == "", timeout=10_000)
    assert window.close()
    # the conftest fixture fails the test if any thread is still running


def test_application_carries_the_icon_and_desktop_entry_name() -> None:
    from ui.app import application

    app = application()
    assert not app.windowIcon().isNull()
    assert app.windowIcon().availableSizes()  # the PNG really loaded
    assert app.desktopFileName() == "roadwatch"  # matches installer/linux/roadwatch.desktop
