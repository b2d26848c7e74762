"""The main window with a real session (store on a temporary database, runtime not started)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from console.alerts.patrol import UnitStatus
from console.config.site_file import SiteConfig
from console.domain.health import CameraHealth, StreamState
from console.domain.records import Alert, AlertStatus, AlertType, Severity
from console.pipeline.runtime import RuntimeOptions
from tests.ui.factories import make_alert, raise_alert
from tests.ui.gui_thread_sqlite import no_sqlite_on_gui_thread  # noqa: F401 (fixture)
from ui.app import user_settings
from ui.labels import status_label
from ui.main_window import MainWindow
from ui.session import ConsoleSession

pytestmark = pytest.mark.usefixtures("no_sqlite_on_gui_thread")


class ScriptedPrompts:
    note = "đã xử lý xong"

    def ask_note(self, title: str, required: bool) -> str | None:
        return self.note

    def choose_unit(self, proposed: str | None, available: list[str]) -> str | None:
        return proposed


@pytest.fixture
def console(
    demo_site: SiteConfig, qtbot: QtBot, tmp_path: Path
) -> Iterator[tuple[MainWindow, list[Alert]]]:
    session = ConsoleSession(
        demo_site, database=tmp_path / "db.sqlite3", options=RuntimeOptions(analyse=False)
    )
    sounds: list[Alert] = []
    window = MainWindow(
        session.site,
        user_settings(),
        session,
        sound_player=sounds.append,
        prompts=ScriptedPrompts(),
    )
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    yield window, sounds
    window.close()


def test_high_priority_alert_sounds_flashes_and_pops_into_the_alert_tile(
    console: tuple[MainWindow, list[Alert]],
) -> None:
    window, sounds = console
    session = window.session
    assert session is not None
    window.wall.set_alert_tile(0)
    low = raise_alert(
        session, make_alert("ql1-km122-nhu-nguyet", AlertType.LANE_VIOLATION, Severity.LOW)
    )
    assert sounds == []
    camera = "ql18-km28-vu-ninh"
    critical = raise_alert(session, make_alert(camera, AlertType.WRONG_WAY, Severity.CRITICAL))
    assert sounds == [critical]
    assert window.wall.visible_tiles()[0].camera.id == camera
    assert window.wall.visible_tiles()[0].flashing
    assert window.queue_model.alert_at(0).id == critical.id
    assert window.queue_model.alert_at(1).id == low.id
    assert window.route_map.open_alerts == {"ql1-km122-nhu-nguyet": 1, camera: 1}


def test_route_map_click_shows_the_camera_on_the_wall(
    console: tuple[MainWindow, list[Alert]], qtbot: QtBot
) -> None:
    window, _ = console
    window.docks["route-map"].show()
    route_map = window.route_map
    route_map.resize(400, 300)
    camera = "ql18-km12-yen-phong"
    window.wall.set_layout("2x2")
    window.wall.show_cameras(window.site.cameras[:4])
    assert window.wall.tile_for(camera) is None
    route_map.set_state(camera, StreamState.OFFLINE)
    position = route_map.camera_position(camera).toPoint()
    assert route_map.camera_at(route_map.camera_position(camera)) == camera
    qtbot.mouseClick(route_map, Qt.MouseButton.LeftButton, pos=position)
    tile = window.wall.tile_for(camera)
    assert tile is not None and tile.flashing


def test_health_reaches_tree_wall_map_and_status_bar(
    console: tuple[MainWindow, list[Alert]],
) -> None:
    window, _ = console
    camera = window.site.cameras[0].id
    health = CameraHealth(camera, StreamState.OFFLINE, "connection refused", 8)
    window.set_health(health)
    assert window.session is not None
    for listener in window.session.runtime.health_listeners:  # as the runtime reports it
        listener(health)
    assert window.camera_tree.state_of(camera) is StreamState.OFFLINE
    assert window.route_map.states[camera] is StreamState.OFFLINE
    assert "1" in window.status.health_label.text()
    assert "connection refused" in window.wall.tile_for(camera).banner_text()
    assert window.outages is window.session.outages  # stored by the session, shown here
    assert [o.camera_id for o in window.outages.since(window.outages._open[camera].started_at)] == [
        camera
    ]


def test_detail_view_actions_and_history(
    console: tuple[MainWindow, list[Alert]], qtbot: QtBot
) -> None:
    window, _ = console
    session = window.session
    assert session is not None
    alert = raise_alert(session, make_alert("ql1-km122-nhu-nguyet"))
    window.open_alert(alert.id)
    detail = window.alert_detail
    assert detail.alert is not None and detail.alert.id == alert.id
    assert not detail.buttons[AlertStatus.RESOLVED].isEnabled()
    qtbot.mouseClick(detail.buttons[AlertStatus.ACKNOWLEDGED], Qt.MouseButton.LeftButton)
    assert detail.alert.status is AlertStatus.NEW  # shown as done only once saved
    qtbot.waitUntil(lambda: detail.alert.status is AlertStatus.ACKNOWLEDGED)
    qtbot.mouseClick(detail.buttons[AlertStatus.DISPATCHED], Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: detail.alert.assigned_unit == "CSGT-01")
    assert window.patrol_panel.status_texts()["CSGT-01"] in ("Đang di chuyển", "En route")
    qtbot.mouseClick(detail.buttons[AlertStatus.RESOLVED], Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: detail.alert.status is AlertStatus.RESOLVED)
    assert not any(b.isEnabled() for b in detail.buttons.values())
    assert session.alerts.patrol.units()[0].status is UnitStatus.AVAILABLE
    window.patrol_panel.set_unit_status("CSGT-02", UnitStatus.OFF_DUTY)
    assert window.patrol_panel.status_texts()["CSGT-02"] in ("Nghỉ", "Off duty")
    qtbot.waitUntil(lambda: len(detail.history_rows()) == 3)
    actions = [row[1] for row in detail.history_rows()]
    assert actions == [
        status_label(AlertStatus.ACKNOWLEDGED),
        status_label(AlertStatus.DISPATCHED),
        status_label(AlertStatus.RESOLVED),
    ]
    assert [row[2] for row in detail.history_rows()][-1] == "đã xử lý xong"
    # reopening reads the history back from the store
    detail.show_alert(None)
    qtbot.waitUntil(lambda: _stored_actions(session, alert) == 3)
    window.open_alert(alert.id)
    assert detail.history_rows() == []  # read on the store's reader, shown when back
    qtbot.waitUntil(lambda: len(detail.history_rows()) == 3)
    assert {row[0] for row in detail.history_rows()} == {session.user()}


def _stored_actions(session: ConsoleSession, alert: Alert) -> int:
    from console.store import queries

    with session.store.session() as s:
        return len(queries.alert_history(s, alert.id))


def test_statistics_plot_alerts_and_counts(
    console: tuple[MainWindow, list[Alert]], qtbot: QtBot
) -> None:
    window, _ = console
    session = window.session
    assert session is not None
    raise_alert(session, make_alert("ql1-km122-nhu-nguyet", AlertType.SPEEDING, Severity.MEDIUM))
    raise_alert(session, make_alert("ql1-km122-nhu-nguyet", AlertType.SPEEDING, Severity.MEDIUM))
    import time

    minute = int(time.time() // 60)
    session.alerts.counts.minutes[("ql1-km122-nhu-nguyet", "count", "car", "forward", minute)] = 17
    first = next(iter(session.alerts.alerts))
    session.alerts.act(first, AlertStatus.ACKNOWLEDGED, actor="op").result(10)
    statistics = window.statistics
    with qtbot.waitSignal(statistics.refreshed):  # read on the store's reader, then drawn
        statistics.refresh()
    qtbot.waitUntil(lambda: len(statistics.last_response_means) == 1)
    assert sum(statistics.last_alert_series[AlertType.SPEEDING]) == 2
    assert statistics.last_vehicle_series["car"][-1] == 17
    statistics.source.setCurrentIndex(statistics.source.findData("route:QL18"))
    qtbot.waitUntil(lambda: statistics.last_alert_series == {})
