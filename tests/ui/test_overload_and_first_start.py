"""Issue #20 in the console: the detector's overload in the status bar and the tiles'
tooltips, more of the detector for the maximised tile, and the first start rendering the
demo cameras with its progress in the status bar."""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QStatusBar
from pytestqt.qtbot import QtBot

from console.config.site_file import SiteConfig
from console.domain.health import CameraHealth, StreamState
from console.pipeline.runtime import RuntimeOptions
from console.pipeline.worker import DetectorWorker
from console.sim.clip_cache import cached_clip
from console.sources.opencv_source import OpenCvSource
from console.sources.sim_source import SimSource
from ui.app import user_settings
from ui.i18n import install_translator
from ui.main_window import MainWindow
from ui.session import ConsoleSession
from ui.wall.status_bar import ConsoleStatusBar
from ui.wall.tile import CameraTile

TINY_SIM = "sim://highway?seed=7&width=320&height=180"  # renders in seconds
WARNING = "#ff9f1a"


def status_bar(site: SiteConfig, qtbot: QtBot, problem: str = "") -> ConsoleStatusBar:
    bar = QStatusBar()
    qtbot.addWidget(bar)
    bar.resize(1600, 30)
    bar.show()
    status = ConsoleStatusBar(
        bar,
        site,
        user=lambda: "lan",
        role=lambda: "operator",
        sync_indicator=lambda: None,
        training=lambda: False,
        analysis_problem=lambda: problem,
    )
    return status


def analysed(
    camera_id: str,
    *,
    analysis_fps: float,
    budget_fps: float,
    target_fps: float = 5.0,
    skipped_by_budget: int = 0,
    skipped_by_motion: int = 0,
) -> CameraHealth:
    return CameraHealth(
        camera_id,
        StreamState.LIVE,
        input_fps=10.0,
        analysis_fps=analysis_fps,
        target_fps=target_fps,
        budget_fps=budget_fps,
        skipped_by_budget=skipped_by_budget,
        skipped_by_motion=skipped_by_motion,
    )


# ---- overload in the status bar and the tooltips ----------------------------------------


def test_status_bar_shows_the_rate_against_the_asked_one_and_warns_when_overloaded(
    demo_site: SiteConfig, qtbot: QtBot
) -> None:
    status = status_bar(demo_site, qtbot)
    assert status.fps_label.text() == "Analysis: 0.0 fps"  # nothing analysed yet
    cameras = [c.id for c in demo_site.cameras]
    for camera_id in cameras:
        status.set_health(analysed(camera_id, analysis_fps=5.0, budget_fps=5.0))
    assert status.fps_label.text() == "Analysis: 50.0 of 50 fps"
    assert WARNING not in status.fps_label.styleSheet()
    assert status.notice_label.full_text() == ""

    for camera_id in cameras:
        status.set_health(analysed(camera_id, analysis_fps=2.34, budget_fps=2.3))
    assert status.fps_label.text() == "Analysis: 23.4 of 50 fps - overloaded"
    assert WARNING in status.fps_label.styleSheet()
    assert "share" in status.fps_label.toolTip()
    assert status.notice_label.full_text() == ""  # overloaded, but nobody at the floor

    install_translator(QApplication.instance(), "vi")  # Qt posts the LanguageChange
    qtbot.waitUntil(lambda: status.fps_label.text() == "Phân tích: 23.4 / 50 khung/s - quá tải")


def test_status_bar_warns_of_cameras_at_the_floor_with_the_remedy(
    demo_site: SiteConfig, qtbot: QtBot
) -> None:
    status = status_bar(demo_site, qtbot)
    first, second, *others = demo_site.cameras
    for camera in (first, second):
        status.set_health(analysed(camera.id, analysis_fps=1.0, budget_fps=1.0))
    for camera in others:
        status.set_health(analysed(camera.id, analysis_fps=4.0, budget_fps=4.2))
    notice = status.notice_label
    assert notice.full_text() == (
        "⚠ Minimum rate on 2 of 10 cameras: fewer cameras per PC, a smaller image_size or an "
        "analytics node"
    )
    assert WARNING in notice.styleSheet()
    assert first.name in notice.toolTip() and second.name in notice.toolTip()
    assert "move cameras to an analytics node" in notice.toolTip()
    assert others[0].name not in notice.toolTip()
    # a narrow window shortens the warning instead of growing wider; the tooltip keeps it all
    status.bar.resize(1000, 30)
    qtbot.waitUntil(lambda: notice.text() != notice.full_text())
    assert notice.text().startswith("⚠ Minimum rate") and notice.text().endswith("…")
    assert notice.geometry().right() < status.fps_label.geometry().left()

    install_translator(QApplication.instance(), "vi")
    qtbot.waitUntil(lambda: notice.full_text().startswith("⚠ Tốc độ tối thiểu ở 2 / 10 camera"))
    assert "máy phân tích" in notice.full_text()


def test_a_stopped_analysis_outranks_the_rate(demo_site: SiteConfig, qtbot: QtBot) -> None:
    status = status_bar(demo_site, qtbot, problem="no model file")
    status.set_health(analysed(demo_site.cameras[0].id, analysis_fps=1.0, budget_fps=1.0))
    assert status.fps_label.text() == "Analysis not running: no model file"
    assert "#ff4d4f" in status.fps_label.styleSheet()


def test_tile_tooltip_tells_the_analysed_rate_the_skipped_frames_and_the_remedy(
    demo_site: SiteConfig, qtbot: QtBot
) -> None:
    tile = CameraTile()
    qtbot.addWidget(tile)
    camera = demo_site.cameras[0]
    tile.set_camera(camera)
    assert tile.toolTip() == f"<b>{camera.name}</b>"  # not analysed (yet): the name only

    tile.set_health(analysed(camera.id, analysis_fps=4.96, budget_fps=5.0, skipped_by_motion=340))
    tip = tile.toolTip()
    assert "Analysis: 5.0 of 5 fps<br>" in tip
    assert "Frames skipped by the detector budget: 0<br>" in tip
    assert "Frames skipped by the motion gate (nothing moved): 340" in tip
    assert WARNING not in tip and "share" not in tip

    tile.set_health(
        analysed(
            camera.id,
            analysis_fps=0.98,
            budget_fps=1.0,
            skipped_by_budget=1200,
            skipped_by_motion=12,
        )
    )
    tip = tile.toolTip()
    assert "Analysis: 1.0 of 5 fps (its share now: 1.0 fps)" in tip
    assert "Frames skipped by the detector budget: 1200<br>" in tip
    assert "The detector cannot analyse every camera at its rate." in tip
    assert "move cameras to an analytics node" in tip and WARNING in tip

    install_translator(QApplication.instance(), "vi")
    qtbot.waitUntil(lambda: "Phân tích: 1.0 / 5 khung/s" in tile.toolTip())
    tip = tile.toolTip()
    assert "Khung hình bỏ qua do giới hạn bộ phát hiện: 1200" in tip
    assert "máy phân tích" in tip


# ---- the maximised tile gets more of the detector ---------------------------------------


@pytest.fixture
def window(demo_site: SiteConfig, qtbot: QtBot, tmp_path: Path) -> Iterator[MainWindow]:
    session = ConsoleSession(
        demo_site, database=tmp_path / "db.sqlite3", options=RuntimeOptions(analyse=False)
    )
    window = MainWindow(demo_site, user_settings(), session, sound_player=lambda alert: None)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    yield window
    window.close()


def test_maximising_a_tile_focuses_the_detector_on_it_and_the_grid_gives_it_back(
    window: MainWindow, qtbot: QtBot
) -> None:
    session = window.session
    assert session is not None and session.runtime.detector is None  # analysis not started
    wall = window.wall
    window.layout_actions["2x2"].trigger()
    before = wall.camera_ids()[:4]
    tile = wall.visible_tiles()[2]
    camera_id = tile.camera.id
    qtbot.mouseDClick(tile, Qt.MouseButton.LeftButton)  # no detector yet: remembered only
    assert wall.layout_name == "1" and wall.focused_camera == camera_id

    detector = DetectorWorker(model=object())  # type: ignore[arg-type]  # never started
    session.runtime.detector = detector
    session._apply_focus()  # what the start does once analysis runs
    assert detector.focus == camera_id

    qtbot.mouseDClick(wall.visible_tiles()[0], Qt.MouseButton.LeftButton)  # back to the grid
    assert wall.layout_name == "2x2" and wall.camera_ids()[:4] == before
    assert detector.focus is None

    other = window.site.cameras[5].id
    window.camera_tree.camera_activated.emit(other)  # maximised from the camera tree
    assert detector.focus == other
    window.layout_actions["3x3"].trigger()  # or left through the layout menu
    assert detector.focus is None
    assert wall.camera_ids()[:4] == before
    window.show_camera_maximised(other)
    window.save_state()  # a console closed while maximised reopens on its grid
    assert window.settings.value(f"users/{window.user()}/wall_layout") == "3x3"


# ---- the first start renders the demo cameras -------------------------------------------


def tiny_sim_site(site: SiteConfig) -> SiteConfig:
    camera = site.cameras[0]
    camera = camera.model_copy(
        update={"streams": camera.streams.model_copy(update={"main": TINY_SIM})}
    )
    return site.model_copy(update={"cameras": [camera]})


def open_console(site: SiteConfig, qtbot: QtBot, tmp_path: Path) -> MainWindow:
    session = ConsoleSession(
        site, database=tmp_path / "db.sqlite3", options=RuntimeOptions(analyse=False)
    )
    window = MainWindow(site, user_settings(), session, sound_player=lambda alert: None)
    qtbot.addWidget(window)
    window.show()
    return window


PREPARING = re.compile(r"Preparing the demo cameras \(first start\): 0 of 1, (\d+) %")


@pytest.mark.slow  # renders a small clip
def test_first_start_renders_the_demo_cameras_before_they_start_and_says_so(
    demo_site: SiteConfig, qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ROADWATCH_CACHE_DIR", str(tmp_path / "cold-cache"))
    site = tiny_sim_site(demo_site)
    camera_id = site.cameras[0].id
    window = open_console(site, qtbot, tmp_path)
    session = window.session
    assert session is not None
    notice = window.status.notice_label
    session.start()
    qtbot.waitUntil(lambda: bool(PREPARING.fullmatch(notice.full_text())), timeout=30_000)
    assert session.runtime.cameras == {}  # no camera renders live meanwhile
    qtbot.waitUntil(lambda: _percent(notice.full_text()) > 0, timeout=60_000)  # it moves
    tile = window.wall.tile_for(camera_id)
    assert tile is not None
    qtbot.waitUntil(lambda: tile.frame_version > 0, timeout=120_000)
    qtbot.waitUntil(lambda: notice.full_text() == "", timeout=5_000)
    assert cached_clip(TINY_SIM) is not None
    capture = session.runtime.cameras[camera_id].capture
    assert isinstance(capture.make_source(), OpenCvSource)  # played from the rendered file
    assert window.close()


def _percent(text: str) -> int:
    match = PREPARING.fullmatch(text)
    return int(match.group(1)) if match else -1


def test_closing_while_the_demo_cameras_render_stops_at_once_and_starts_nothing(
    demo_site: SiteConfig, qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ROADWATCH_CACHE_DIR", str(tmp_path / "cold-cache"))
    window = open_console(tiny_sim_site(demo_site), qtbot, tmp_path)
    session = window.session
    assert session is not None
    session.start()
    qtbot.waitUntil(lambda: session.preparing is not None, timeout=30_000)
    assert window.close()  # the thread fixture fails the test if the starter still runs
    assert session.runtime.cameras == {}
    assert cached_clip(TINY_SIM) is None


@pytest.mark.parametrize("broken", ["one clip", "the whole rendering"])
def test_a_clip_that_cannot_be_rendered_leaves_its_camera_to_the_live_simulator(
    demo_site: SiteConfig,
    qtbot: QtBot,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
    broken: str,
) -> None:
    monkeypatch.setenv("ROADWATCH_CACHE_DIR", str(tmp_path / "cold-cache"))

    def fail(*args: object, **kwargs: object) -> None:
        raise OSError("disk full")

    if broken == "one clip":
        monkeypatch.setattr("console.sim.clip_cache.render_clip", fail)
    else:
        monkeypatch.setattr("ui.session.render_missing", fail)
    site = tiny_sim_site(demo_site)
    window = open_console(site, qtbot, tmp_path)
    session = window.session
    assert session is not None
    with caplog.at_level(logging.ERROR):
        session.start()
        tile = window.wall.tile_for(site.cameras[0].id)
        assert tile is not None
        qtbot.waitUntil(lambda: tile.frame_version > 0, timeout=60_000)
    assert "disk full" in caplog.text and "rendered live" in caplog.text
    capture = session.runtime.cameras[site.cameras[0].id].capture
    assert isinstance(capture.make_source(), SimSource)
    assert session.preparing is None and window.status.notice_label.full_text() == ""
    assert window.close()
