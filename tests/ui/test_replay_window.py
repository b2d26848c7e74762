"""Replay window: opens recordings, steps and seeks by frame, timeline clicks, export."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt
from pytestqt.qtbot import QtBot

from console.config.site_file import SiteConfig
from console.domain.records import Alert, AlertType, Event, Severity, utc_from_epoch
from console.recording import HealthChange, RecordingIndex
from console.replay.clock import SPEEDS
from console.store.local import LocalStore
from tests.core.test_recording_support import decoded_index, record, steady_frames
from ui.replay.window import ReplayWindow

T0 = 1_800_000_000.0
FPS = 10.0


@pytest.fixture
def recordings(tmp_path: Path) -> RecordingIndex:
    index = RecordingIndex.in_folder(tmp_path / "rec")
    record(tmp_path / "rec", steady_frames(T0, 4.0, FPS), segment_s=2.0, index=index)
    index.add_health(HealthChange("cam", T0 + 4.2, "offline", "connection refused"))
    later = [f for f in steady_frames(T0, 10.0, FPS) if f.captured_epoch >= T0 + 7]
    record(tmp_path / "rec", later, segment_s=2.0, index=index)
    yield index
    index.close()


def test_open_seek_step_and_speed(
    demo_site: SiteConfig, qtbot: QtBot, recordings: RecordingIndex
) -> None:
    window = ReplayWindow(demo_site, recordings)
    qtbot.addWidget(window)
    window.open_cameras(["cam"], T0, T0 + 10)
    window.seek(T0 + 1.25)
    frame = window.views[0].frame
    assert frame is not None and decoded_index(frame.image) == 12
    window.step(1)
    frame = window.views[0].frame
    assert frame is not None and decoded_index(frame.image) == 13
    window.step(-2)
    assert window.views[0].frame is not None
    assert decoded_index(window.views[0].frame.image) == 11
    window.seek(T0 + 5.5)  # the camera was offline
    assert window.views[0].frame is None
    assert "offline" in window.views[0].picture.text().lower()
    window.set_speed(16.0)
    assert window.replay is not None and window.replay.clock.speed == 16.0
    assert window.speed_box.count() == len(SPEEDS)
    window.set_playing(True)
    assert window.play_button.isChecked()
    window.set_playing(False)
    window.close_replay()


def test_timeline_click_seeks_and_alert_markers_open_alerts(
    demo_site: SiteConfig, qtbot: QtBot, recordings: RecordingIndex, tmp_path: Path
) -> None:
    at = utc_from_epoch(T0 + 2.0)
    event = Event(AlertType.SPEEDING, "cam", at, at, Severity.MEDIUM)
    alert = Alert(event, Severity.MEDIUM, created_at=at, updated_at=at)
    with LocalStore.open(tmp_path / "db.sqlite") as store:
        store.writer.save_alert(alert).result()
        window = ReplayWindow(demo_site, recordings, store)
        qtbot.addWidget(window)
        window.resize(1000, 600)
        window.open_cameras(["cam"], T0, T0 + 10)
        qtbot.waitUntil(lambda: window.alert_ids() == [alert.id])  # read off the GUI thread
        timeline = window.timelines[0]
        timeline.resize(800, 38)
        gap = timeline.timeline.gaps[0] if timeline.timeline else None
        assert gap is not None and gap.reason == "offline"
        x = int(timeline.x_of(T0 + 8.0))
        qtbot.mouseClick(timeline, Qt.MouseButton.LeftButton, pos=QPoint(x, 25))
        assert window.position_s == pytest.approx(T0 + 8.0, abs=0.05)
        with qtbot.waitSignal(window.alert_requested) as opened:
            x = int(timeline.x_of(T0 + 2.0))
            qtbot.mouseClick(timeline, Qt.MouseButton.LeftButton, pos=QPoint(x, 16))
        assert opened.args == [alert.id]
        window.open_alert(alert)
        assert window.position_s == pytest.approx(T0 - 3.0, abs=0.01)  # 5 s before the alert
        window.close_replay()


def test_export_marked_range(
    demo_site: SiteConfig, qtbot: QtBot, recordings: RecordingIndex, tmp_path: Path
) -> None:
    window = ReplayWindow(demo_site, recordings)
    qtbot.addWidget(window)
    window.open_cameras(["cam"], T0, T0 + 10)
    window.seek(T0 + 1.0)
    window.mark_in_button.click()
    window.seek(T0 + 3.0)
    window.mark_out_button.click()
    clip = window.export_clip(tmp_path / "clip.mp4")
    assert clip is not None and clip.frames == 20 and clip.path.stat().st_size > 0
    window.close_replay()


def test_the_start_time_is_chosen_in_the_site_time_zone(
    demo_site: SiteConfig, qtbot: QtBot, recordings: RecordingIndex
) -> None:
    window = ReplayWindow(demo_site, recordings)  # Asia/Ho_Chi_Minh, UTC+7
    qtbot.addWidget(window)
    window.open_cameras(["cam"], T0, T0 + 10)
    shown = window.start_edit.dateTime().time()
    assert (shown.hour(), shown.minute()) == (15, 0)  # T0 is 08:00 UTC
    assert window.start_edit_s() == T0
    window.close_replay()


def test_opening_recordings_is_reported_for_the_audit(
    demo_site: SiteConfig, qtbot: QtBot, recordings: RecordingIndex
) -> None:
    opened: list[tuple[list[str], float]] = []
    window = ReplayWindow(demo_site, recordings, on_opened=lambda ids, at: opened.append((ids, at)))
    qtbot.addWidget(window)
    window.open_cameras(["cam"], T0, T0 + 10)
    assert opened == [(["cam"], T0)]
    window.close_replay()


def test_any_video_file_opens_without_a_timeline(
    demo_site: SiteConfig, qtbot: QtBot, tmp_path: Path
) -> None:
    from console.sim import SimConfig
    from console.sim.export import export_clip

    clip = export_clip(SimConfig(seed=1, width=320, height=180, fps=10.0), 2.0, tmp_path)
    window = ReplayWindow(demo_site, RecordingIndex.in_folder(tmp_path / "none"))
    qtbot.addWidget(window)
    window.open_file(clip.video_path)
    assert window.views[0].frame is not None and window.views[0].frame.frame_index == 0
    window.step(5)
    assert window.views[0].frame is not None and window.views[0].frame.frame_index == 5
    assert all(t.isHidden() for t in window.timelines)
    window.close_replay()
