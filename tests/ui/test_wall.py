from __future__ import annotations

from PySide6.QtCore import QMimeData, Qt
from PySide6.QtGui import QDropEvent
from pytestqt.qtbot import QtBot

from console.config.site_file import SiteConfig
from console.domain.health import CameraHealth, StreamState
from tests.conftest import load_demo_site
from ui.app import user_settings
from ui.main_window import MainWindow
from ui.wall.camera_tree import CameraTree
from ui.wall.tile import CameraTile, camera_ids_from
from ui.wall.tile_composer import Border
from ui.wall.video_wall import VideoWall


def wall_with_demo(qtbot: QtBot) -> VideoWall:
    site = load_demo_site()
    wall = VideoWall(site.site.timezone, None, None, site.cameras)
    qtbot.addWidget(wall)
    wall.resize(1200, 700)
    wall.show_cameras(site.cameras[:4])
    return wall


def drop(tile: CameraTile, mime: QMimeData) -> None:
    event = QDropEvent(
        tile.rect().center().toPointF(),
        Qt.DropAction.MoveAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    tile.dropEvent(event)


def test_every_layout_shows_its_number_of_tiles(qtbot: QtBot) -> None:
    wall = wall_with_demo(qtbot)
    for name, tiles in (("1", 1), ("2x2", 4), ("3x3", 9), ("4x4", 16), ("1+5", 6), ("1+7", 8)):
        wall.set_layout(name)
        assert len(wall.visible_tiles()) == tiles
        assert all(t.isVisibleTo(wall) for t in wall.visible_tiles())
        assert not any(t.isVisibleTo(wall) for t in wall.tiles[tiles:])
    wall.set_layout("1+5")
    big, small = wall.visible_tiles()[0], wall.visible_tiles()[1]
    wall.show()
    qtbot.waitExposed(wall)
    assert big.width() > 1.8 * small.width()


def test_drag_a_camera_and_a_whole_route_from_the_tree(demo_site: SiteConfig, qtbot: QtBot) -> None:
    wall = wall_with_demo(qtbot)
    tree = CameraTree(wall_site := demo_site)
    qtbot.addWidget(tree)
    ql18 = tree.model.item(1)
    route_mime = tree.model.mimeData([ql18.index()])
    ql18_ids = [c.id for c in wall_site.cameras if c.route == "QL18"]
    assert camera_ids_from(route_mime) == ql18_ids
    wall.set_layout("3x3")
    drop(wall.visible_tiles()[2], route_mime)
    assert wall.camera_ids()[2 : 2 + len(ql18_ids)] == ql18_ids
    camera = tree.model.item(0).child(0).child(0)
    single = tree.model.mimeData([camera.index()])
    [camera_id] = camera_ids_from(single)
    drop(wall.visible_tiles()[8], single)
    assert wall.visible_tiles()[8].camera.id == camera_id


def test_dragging_a_tile_onto_another_swaps_them(qtbot: QtBot) -> None:
    wall = wall_with_demo(qtbot)
    first, third = wall.camera_ids()[0], wall.camera_ids()[2]
    mime = QMimeData()
    mime.setData("application/x-roadwatch-cameras", first.encode())
    drop(wall.visible_tiles()[2], mime)
    assert wall.camera_ids()[:3] == [third, wall.camera_ids()[1], first]


def test_tour_cycles_pages_of_a_group(demo_site: SiteConfig, qtbot: QtBot) -> None:
    wall = wall_with_demo(qtbot)
    cameras = demo_site.cameras
    wall.set_layout("2x2")
    wall.start_tour(cameras, dwell_s=0.05)
    assert [t.camera.id for t in wall.visible_tiles()] == [c.id for c in cameras[:4]]
    qtbot.waitUntil(lambda: wall.visible_tiles()[0].camera.id == cameras[4].id, timeout=2000)
    qtbot.waitUntil(lambda: wall.visible_tiles()[0].camera.id == cameras[8].id, timeout=2000)
    assert wall.visible_tiles()[2].camera is None  # the last page is not full
    wall.stop_tour()
    assert not wall.touring


def test_per_tile_toggles_and_state_banners(qtbot: QtBot) -> None:
    wall = wall_with_demo(qtbot)
    tile = wall.visible_tiles()[0]
    tile.set_show_geometry(False)
    tile.set_show_detections(False)
    assert not tile.show_geometry and not tile.show_detections
    assert wall.visible_tiles()[1].show_geometry
    camera_id = tile.camera.id
    wall.set_health(CameraHealth(camera_id, StreamState.ERROR, "401 unauthorized", 8))
    assert "401 unauthorized" in tile.banner_text()
    assert tile.banner_text().startswith(("LỖI CAMERA", "CAMERA ERROR"))
    wall.set_health(CameraHealth(camera_id, StreamState.OFFLINE, "timeout", 8))
    assert tile.banner_text().startswith(("MẤT KẾT NỐI - thử lại sau 8 s", "CONNECTION LOST"))
    scene = tile.scene()  # what the compositor draws
    assert scene.banner == tile.banner_text() and scene.state is StreamState.OFFLINE
    assert not scene.show_geometry and not scene.show_detections and scene.fps is None
    assert tile.scene() is scene  # unchanged state: the same scene, nothing to re-draw
    # a camera moved to another tile keeps its known state
    wall.put_camera(3, tile.camera)
    assert "timeout" in wall.visible_tiles()[3].banner_text()
    wall.set_health(CameraHealth(camera_id, StreamState.LIVE, input_fps=25.0))
    assert tile.scene() is not scene and tile.scene().banner == "" and tile.scene().fps == 25.0


def test_saved_named_layouts(demo_site: SiteConfig, qtbot: QtBot) -> None:
    window = MainWindow(demo_site, user_settings())
    qtbot.addWidget(window)
    window.wall.set_layout("2x2")
    window.wall.place_cameras(0, ["ql18-km28-vu-ninh"])
    ids = window.wall.camera_ids()[:4]
    window.menus.save_preset("Ca đêm QL18")
    window.wall.set_layout("4x4")
    window.wall.show_cameras([])
    assert window.menus.presets.names() == ["Ca đêm QL18"]
    assert window.menus.apply_preset("Ca đêm QL18")
    assert window.wall.layout_name == "2x2"
    assert window.wall.camera_ids()[:4] == ids


def test_designated_tile_shows_the_camera_of_a_new_alert(qtbot: QtBot) -> None:
    wall = wall_with_demo(qtbot)
    wall.set_alert_tile(3)
    wall.pop_alert_camera("ql18-km28-vu-ninh")
    assert wall.visible_tiles()[3].camera.id == "ql18-km28-vu-ninh"
    assert wall.flash_camera("ql18-km28-vu-ninh")
    assert wall.visible_tiles()[3].flashing
    assert wall.visible_tiles()[3].scene().border is Border.FLASH
    wall.set_alert_tile(None)
    wall.visible_tiles()[3]._flash_timer.stop()
    wall.visible_tiles()[3]._blink()  # the blink that ends the flash
    assert wall.visible_tiles()[3].scene().border is Border.NORMAL


def test_compositor_uses_only_the_newest_frame_and_stops(qtbot: QtBot) -> None:
    import numpy as np

    from console.sources.base import Frame
    from ui.wall.compositor import WallCompositor

    wall = wall_with_demo(qtbot)
    tile = wall.visible_tiles()[0]
    tile.resize(320, 200)
    tile.set_health(CameraHealth(tile.camera.id, StreamState.LIVE, input_fps=25.0))
    tile.set_show_geometry(False)
    versions = {"cam": 0}

    def latest(camera_id: str) -> tuple[int, Frame | None]:
        image = np.full((720, 1280, 3), (200, 100, 50), np.uint8)
        return versions["cam"], Frame(image, versions["cam"], 0.0, 0.0)

    compositor = WallCompositor(latest)
    compositor.want({0: tile.scene()})
    versions["cam"] = 3  # frames 1 and 2 were replaced before the compositor's turn
    assert compositor.compose_once() == 1
    composed = compositor.take_all()[0]
    assert composed.frame_version == 3 and composed.scene is tile.scene()
    assert composed.image.size().toTuple() == (320, 200)
    middle = composed.image.pixelColor(160, 110)  # below the header, inside the frame
    assert (middle.red(), middle.green(), middle.blue()) == (50, 100, 200)
    assert compositor.compose_once() == 0  # nothing new: no work
    tile.set_clock("12:00:00 01/01/2026")  # a new scene (clock) is composed again
    compositor.want({0: tile.scene()})
    assert compositor.compose_once() == 1
    compositor.start()
    versions["cam"] = 4
    qtbot.waitUntil(lambda: compositor.take_all()[0].frame_version == 4, timeout=2000)
    compositor.stop()
    assert tile.show_composed(compositor.take_all()[0]) and tile.frame_version == 4


def test_tree_shows_state_per_camera_and_counts_per_group(
    demo_site: SiteConfig, qtbot: QtBot
) -> None:
    tree = CameraTree(demo_site)
    qtbot.addWidget(tree)
    camera = "ql1-km122-nhu-nguyet"
    tree.set_health(CameraHealth(camera, StreamState.LIVE))
    tree.set_health(CameraHealth("ql1-km129-dai-phuc", StreamState.OFFLINE, "timeout"))
    assert tree.state_of(camera) is StreamState.LIVE
    route = tree.model.item(0).text()
    assert route.startswith("QL1 - Quốc lộ 1  (1/5)") and route.endswith("⚠1")
    area = tree.model.item(0).child(0).text()
    assert area.endswith("(1/2)  ⚠1")
