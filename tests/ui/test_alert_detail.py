from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import cv2
import numpy as np
import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot
from sqlalchemy import event

from console.domain.records import AlertStatus, EvidenceRef
from console.security.roles import Role
from console.video import open_mp4_writer
from tests.ui.factories import console_session, make_alert, raise_alert, signed_in
from tests.ui.gui_thread_sqlite import no_sqlite_on_gui_thread  # noqa: F401 (fixture)
from ui.alerts.detail import AlertDetail
from ui.alerts.triage import TriageController
from ui.clip_player import ClipPlayer

pytestmark = pytest.mark.usefixtures("no_sqlite_on_gui_thread")


class Prompts:
    def __init__(self) -> None:
        self.note: str | None = None

    def ask_note(self, title: str, required: bool) -> str | None:
        return self.note

    def choose_unit(self, proposed: str | None, available: list[str]) -> str | None:
        return proposed


def write_clip(path: Path, frames: int = 20) -> Path:
    writer, _codec = open_mp4_writer(path, 10.0, (160, 90))
    for index in range(frames):
        image = np.zeros((90, 160, 3), np.uint8)
        image[:, : 8 * index] = (0, 0, 255)
        writer.write(image)
    writer.release()
    return path


def evidence(tmp_path: Path) -> tuple[EvidenceRef, ...]:
    snapshot = tmp_path / "snap.jpg"
    crop = tmp_path / "crop.jpg"
    cv2.imwrite(str(snapshot), np.full((360, 640, 3), 120, np.uint8))
    cv2.imwrite(str(crop), np.full((80, 120, 3), 200, np.uint8))
    clip = write_clip(tmp_path / "clip.mp4")
    return (
        EvidenceRef("snapshot", "a" * 64, str(snapshot), snapshot.stat().st_size),
        EvidenceRef("crop", "b" * 64, str(crop), crop.stat().st_size),
        EvidenceRef("clip", "c" * 64, str(clip), clip.stat().st_size),
    )


def test_clip_player_plays_pauses_steps_and_scrubs(qtbot: QtBot, tmp_path: Path) -> None:
    player = ClipPlayer()
    qtbot.addWidget(player)
    assert not player.play_button.isEnabled()
    assert player.open(write_clip(tmp_path / "c.mp4"))
    assert player.frame_count == 20 and player.position == 0
    player.step(1)
    player.step(1)
    assert player.position == 2
    player.step(-1)
    assert player.position == 1
    player.slider.setValue(15)
    assert player.position == 15 and not player.playing
    qtbot.mouseClick(player.play_button, Qt.MouseButton.LeftButton)
    assert player.playing
    qtbot.waitUntil(lambda: player.position == 19 and not player.playing, timeout=3000)
    assert player.slider.value() == 19
    player.close_clip()


def test_detail_shows_evidence_values_and_requires_a_note(qtbot: QtBot, tmp_path: Path) -> None:
    with console_session(tmp_path) as session:
        operator = signed_in(session, Role.OPERATOR, "op-hoa")
        prompts = Prompts()
        triage = TriageController(session.alerts, lambda: "op-hoa", prompts)
        detail = AlertDetail(
            session.site, triage, session.store, actor=lambda: operator, audit=session.audit
        )
        qtbot.addWidget(detail)
        detail.resize(900, 900)
        detail.show()
        alert = raise_alert(session, make_alert("ql1-km122-nhu-nguyet"))
        with_evidence = alert.evolve(evidence=evidence(tmp_path))
        session.alerts.alerts.put(with_evidence)
        detail.show_alert(with_evidence)
        assert detail.snapshot.pixmap() is not None and not detail.snapshot.pixmap().isNull()
        assert not detail.crop.pixmap().isNull()
        assert detail.clip.frame_count == 20
        assert "Km122+300" in detail.subtitle.text()
        assert "21.21400" in detail.subtitle.text()
        labels = [
            detail.values.itemAt(row, detail.values.ItemRole.LabelRole).widget().text()
            for row in range(detail.values.rowCount())
        ]
        assert "Stopped for (s)" in labels
        qtbot.mouseClick(detail.buttons[AlertStatus.FALSE_POSITIVE], Qt.MouseButton.LeftButton)
        assert session.alerts.alerts[alert.id].status is AlertStatus.NEW  # no note, no change
        prompts.note = "bóng cây đổ"
        qtbot.mouseClick(detail.buttons[AlertStatus.FALSE_POSITIVE], Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: detail.alert is not None and detail.alert.status.is_terminal)
        assert session.alerts.alerts[alert.id].status is AlertStatus.FALSE_POSITIVE
        detail.clip.close_clip()


def test_an_action_whose_write_fails_is_reported_and_changes_nothing(
    qtbot: QtBot, tmp_path: Path
) -> None:
    with console_session(tmp_path) as session:
        triage = TriageController(session.alerts, lambda: "op-hoa", Prompts())
        detail = AlertDetail(session.site, triage, session.store)
        qtbot.addWidget(detail)
        alert = raise_alert(session, make_alert("ql1-km122-nhu-nguyet"))
        detail.show_alert(alert)

        def disk_full(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
            if statement.startswith("UPDATE alerts"):
                raise sqlite3.OperationalError("database or disk is full")

        event.listen(session.store.write_engine, "before_cursor_execute", disk_full)
        with qtbot.waitSignal(triage.refused, timeout=5000) as refused:
            qtbot.mouseClick(detail.buttons[AlertStatus.ACKNOWLEDGED], Qt.MouseButton.LeftButton)
        assert "disk is full" in refused.args[0]
        assert detail.alert is not None and detail.alert.status is AlertStatus.NEW
        assert detail.buttons[AlertStatus.ACKNOWLEDGED].isEnabled()
        assert session.alerts.alerts[alert.id].status is AlertStatus.NEW
        assert detail.history_rows() == []
        detail.clip.close_clip()
