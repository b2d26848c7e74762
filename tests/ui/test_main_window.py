from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from console.domain.health import CameraHealth, StreamState
from tests.conftest import load_demo_site
from ui.app import install_translator, open_main_window
from ui.main_window import MainWindow


def open_demo(qtbot: QtBot) -> MainWindow:
    window = open_main_window(load_demo_site())
    qtbot.addWidget(window)
    qtbot.waitExposed(window)
    return window


def test_main_window_opens_on_demo_site_and_closes(qtbot: QtBot) -> None:
    window = open_demo(qtbot)
    assert "Bắc Ninh" in window.windowTitle()
    tiles = window.wall.visible_tiles()
    assert len(tiles) == 9
    assert [t.camera.id for t in tiles if t.camera] == [c.id for c in window.site.cameras[:9]]
    assert window.close()


def test_tree_groups_by_route_and_searches_without_diacritics(qtbot: QtBot) -> None:
    window = open_demo(qtbot)
    tree = window.camera_tree
    assert tree.model.rowCount() == 2
    assert tree.model.item(0).text().startswith("QL1 - Quốc lộ 1  (0/5)")
    qtbot.keyClicks(tree.search, "dinh bang")
    assert tree.visible_camera_ids() == ["ql1-km147-dinh-bang"]
    tree.search.clear()
    assert len(tree.visible_camera_ids()) == 10


def test_layout_switch_and_double_click_maximises(qtbot: QtBot) -> None:
    window = open_demo(qtbot)
    window.layout_actions["2x2"].trigger()
    assert len(window.wall.visible_tiles()) == 4
    window.layout_actions["1+7"].trigger()
    assert len(window.wall.visible_tiles()) == 8
    tile = window.wall.visible_tiles()[2]
    camera_id = tile.camera.id
    qtbot.mouseDClick(tile, Qt.MouseButton.LeftButton)
    window.camera_tree.camera_activated.emit(camera_id)
    assert window.wall.layout_name == "1"
    assert window.wall.visible_tiles()[0].camera.id == camera_id


def test_tile_banner_shows_state_and_reason(qtbot: QtBot) -> None:
    window = open_demo(qtbot)
    camera_id = window.site.cameras[0].id
    window.set_health(
        CameraHealth(camera_id, StreamState.OFFLINE, "connection refused", retry_in_s=8)
    )
    tile = window.wall.tile_for(camera_id)
    assert tile is not None
    assert "connection refused" in tile.banner_text()
    assert "8" in tile.banner_text()
    window.set_health(CameraHealth(camera_id, StreamState.LIVE))
    assert tile.banner_text() == ""
    assert (
        "1 live" in window.status.health_label.text()
        or "1 trực tuyến" in window.status.health_label.text()
    )


def test_layout_is_remembered(qtbot: QtBot) -> None:
    window = open_demo(qtbot)
    window.layout_actions["4x4"].trigger()
    window.close()
    again = open_demo(qtbot)
    assert again.wall.layout_name == "4x4"


def test_vietnamese_by_default_then_english(qtbot: QtBot) -> None:
    window = open_demo(qtbot)
    tile = window.wall.visible_tiles()[0]
    assert tile.banner_text().startswith("ĐANG KẾT NỐI")
    assert window.camera_tree.search.placeholderText().startswith("Tìm camera")
    install_translator(QApplication.instance(), "en")
    assert tile.banner_text().startswith("CONNECTING")
    install_translator(QApplication.instance(), "vi")
    assert tile.banner_text().startswith("ĐANG KẾT NỐI")
