"""Replay and training reached from the main window's Tools menu; the session records."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from console.config.site_file import load_site_text
from console.domain.records import AlertType
from console.security.roles import Role
from tests.ui.factories import console_session, make_alert, signed_in
from ui.app import user_settings
from ui.main_window import MainWindow
from ui.replay_training import attach_recorder


def test_tools_menu_opens_replay_at_an_alert_and_the_training_dock(
    qtbot: QtBot, tmp_path: Path
) -> None:
    with console_session(tmp_path) as session:
        signed_in(session, Role.OPERATOR)
        window = MainWindow(session.site, user_settings(), session)
        qtbot.addWidget(window)
        actions = window.replay_training
        assert actions.replay_action in window.menus.tools_menu.actions()
        alert = make_alert(session.site.cameras[0].id, AlertType.WRONG_WAY)
        replay = actions.open_replay(alert)
        assert actions.replay_dock is not None and not actions.replay_dock.isHidden()
        assert replay.replay is not None
        assert replay.replay.playbacks[0].source_id == alert.camera_id
        opened: list[object] = []
        actions.alert_requested.connect(opened.append)
        replay.alert_requested.emit(alert.id)  # an alert clicked on the replay's timeline
        assert opened == [alert.id]
        actions.training_action.trigger()
        assert actions.training is not None and actions.training.scenario_box.count() >= 1
        window.close()  # shuts the replay and the training down


SITE = """
schema_version: 1
site: {id: t, name: Test}
routes:
  - {id: QL1, name: Q, markers: [{km: 0, lat: 21, lon: 106}, {km: 10, lat: 21, lon: 106}]}
cameras:
  - {id: rec, name: recorded, route: QL1, km: 1, lat: 21, lon: 106, record: true,
     streams: {main: 'sim://highway?seed=3&width=320&height=180&fps=5'}}
"""


def test_attach_recorder_records_only_when_a_camera_asks(tmp_path: Path) -> None:
    with console_session(tmp_path / "a") as session:
        assert attach_recorder(session) is None  # the demo site records nothing
    with console_session(tmp_path / "b", load_site_text(SITE)) as session:
        recorder = attach_recorder(session)
        assert recorder is not None and list(recorder.recorders) == ["rec"]
        assert session.runtime.frame_listeners["rec"]
        recorder.stop()


class RecordingAudit:
    def __init__(self) -> None:
        self.entries: list[tuple[str, str, dict[str, object]]] = []

    def record(self, user: str, action: str, details: dict[str, object]) -> None:
        self.entries.append((user, action, details))

    def record_and_wait(self, user: str, action: str, details: dict[str, object]) -> None:
        self.record(user, action, details)


def test_replay_playback_and_exports_are_checked_and_audited_under_the_logged_in_user(
    qtbot: QtBot, tmp_path: Path
) -> None:
    from tests.core.test_recording_support import record, steady_frames

    with console_session(tmp_path) as session:
        signed_in(session, Role.OPERATOR, "op-lan")
        window = MainWindow(session.site, user_settings(), session)
        qtbot.addWidget(window)
        camera_id = session.site.cameras[0].id
        actions = window.replay_training
        record(tmp_path, steady_frames(1_800_000_000.0, 2.0, 10.0), camera_id, index=actions.index)
        audit = RecordingAudit()
        actions.audit = audit
        replay = actions.open_replay()
        replay.open_cameras([camera_id], 1_800_000_000.0, 1_800_000_002.0)
        replay.seek(1_800_000_001.0)
        assert replay.export_clip(tmp_path / "clip.mp4") is not None
        assert [(u, a) for u, a, _ in audit.entries] == [
            ("op-lan", "playback"),
            ("op-lan", "evidence.export"),
        ]
        window.close()


def test_a_role_without_playback_is_refused_and_nothing_is_opened(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with console_session(tmp_path) as session:
        signed_in(session, Role.ADMIN)  # IT administers; it does not watch recordings
        window = MainWindow(session.site, user_settings(), session)
        qtbot.addWidget(window)
        warnings: list[str] = []
        monkeypatch.setattr(QMessageBox, "warning", lambda *args: warnings.append(args[2]))
        audit = RecordingAudit()
        window.replay_training.audit = audit
        replay = window.replay_training.open_replay()
        replay.open_cameras([session.site.cameras[0].id], 1_800_000_000.0, 1_800_000_060.0)
        assert replay.replay is None  # nothing opened
        assert warnings and "may not play back" in warnings[0]
        assert [(u, a) for u, a, _ in audit.entries] == [("admin", "permission.denied")]
        window.close()
