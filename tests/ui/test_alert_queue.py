from __future__ import annotations

import time
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from console.domain.records import AlertStatus, AlertType, Severity
from console.store import queries
from tests.ui.factories import console_session, make_alert, raise_alert
from tests.ui.gui_thread_sqlite import no_sqlite_on_gui_thread  # noqa: F401 (fixture)
from ui.alerts.queue_model import AlertFilter, AlertQueueModel, Column
from ui.alerts.queue_view import AlertQueueView
from ui.alerts.triage import TriageController
from ui.session import ConsoleSession

pytestmark = pytest.mark.usefixtures("no_sqlite_on_gui_thread")


class ScriptedPrompts:
    def __init__(self, note: str = "towed away", unit: str | None = None) -> None:
        self.note = note
        self.unit = unit
        self.proposed: list[str | None] = []

    def ask_note(self, title: str, required: bool) -> str | None:
        return self.note

    def choose_unit(self, proposed: str | None, available: list[str]) -> str | None:
        self.proposed.append(proposed)
        return self.unit or proposed


def queue_for(session: ConsoleSession, qtbot: QtBot, prompts: ScriptedPrompts) -> AlertQueueView:
    model = AlertQueueModel(session.site)
    triage = TriageController(session.alerts, lambda: "op-lan", prompts)
    view = AlertQueueView(model, triage)
    qtbot.addWidget(view)
    session.bridge.alert_raised.connect(model.upsert)
    session.bridge.alert_changed.connect(lambda alert, _action: model.upsert(alert))
    return view


def stored_status(session: ConsoleSession, alert_id: object) -> AlertStatus | None:
    with session.store.session() as s:
        alert = queries.get_alert(s, alert_id)  # type: ignore[arg-type]
    return alert.status if alert else None


def test_alerts_sort_by_priority_then_newest_first(qtbot: QtBot, tmp_path: Path) -> None:
    with console_session(tmp_path) as session:
        view = queue_for(session, qtbot, ScriptedPrompts())
        cams = [c.id for c in session.site.cameras]
        low = raise_alert(session, make_alert(cams[0], AlertType.LANE_VIOLATION, Severity.LOW))
        old_high = raise_alert(session, make_alert(cams[1], priority=Severity.HIGH, minutes_ago=5))
        new_high = raise_alert(session, make_alert(cams[2], priority=Severity.HIGH))
        critical = raise_alert(
            session, make_alert(cams[3], AlertType.WRONG_WAY, Severity.CRITICAL, minutes_ago=9)
        )
        qtbot.waitUntil(lambda: view.model.rowCount() == 4)
        order = [a.id for a in view.model.visible_alerts()]
        assert order == [critical.id, new_high.id, old_high.id, low.id]
        assert view.model.index(0, Column.PRIORITY).data() in ("Nghiêm trọng", "Critical")


def test_keyboard_triage_changes_state_in_the_store(qtbot: QtBot, tmp_path: Path) -> None:
    with console_session(tmp_path) as session:
        prompts = ScriptedPrompts(note="xe đã được cẩu đi")
        view = queue_for(session, qtbot, prompts)
        alert = raise_alert(session, make_alert("ql1-km122-nhu-nguyet"))
        qtbot.waitUntil(lambda: view.model.rowCount() == 1)
        view.select_row(0)
        view.table.setFocus()
        qtbot.keyClick(view.table, Qt.Key.Key_A)
        qtbot.waitUntil(lambda: stored_status(session, alert.id) is AlertStatus.ACKNOWLEDGED)
        qtbot.keyClick(view.table, Qt.Key.Key_D)
        qtbot.waitUntil(lambda: session.alerts.alerts[alert.id].assigned_unit == "CSGT-01")
        assert stored_status(session, alert.id) is AlertStatus.DISPATCHED  # shown once saved
        assert prompts.proposed == ["CSGT-01"]  # Km122 lies in CSGT-01's segment
        qtbot.keyClick(view.table, Qt.Key.Key_N)
        qtbot.keyClick(view.table, Qt.Key.Key_R)
        qtbot.waitUntil(lambda: stored_status(session, alert.id) is AlertStatus.RESOLVED)
        with session.store.session() as s:
            history = queries.alert_history(s, alert.id)
        assert [h.action for h in history][-2:] == ["note", "resolved"]
        assert history[-1].note == "xe đã được cẩu đi" and history[-1].actor == "op-lan"
        qtbot.waitUntil(lambda: view.model.rowCount() == 0)  # the default filter: open only


def test_false_positive_needs_a_note_and_cancel_leaves_it_open(
    qtbot: QtBot, tmp_path: Path
) -> None:
    with console_session(tmp_path) as session:
        prompts = ScriptedPrompts(note=None)  # type: ignore[arg-type]
        view = queue_for(session, qtbot, prompts)
        alert = raise_alert(session, make_alert("ql1-km122-nhu-nguyet"))
        view.select_row(0)
        qtbot.keyClick(view.table, Qt.Key.Key_F)
        assert session.alerts.alerts[alert.id].status is AlertStatus.NEW
        prompts.note = "bóng cây"
        qtbot.keyClick(view.table, Qt.Key.Key_F)
        qtbot.waitUntil(lambda: stored_status(session, alert.id) is AlertStatus.FALSE_POSITIVE)


def test_refused_transition_is_reported_not_raised(qtbot: QtBot, tmp_path: Path) -> None:
    with console_session(tmp_path) as session:
        view = queue_for(session, qtbot, ScriptedPrompts())
        raise_alert(session, make_alert("ql1-km122-nhu-nguyet"))
        view.select_row(0)
        with qtbot.waitSignal(view.triage.refused) as refused:
            qtbot.keyClick(view.table, Qt.Key.Key_R)  # resolve needs an acknowledgement
        assert "acknowledged" in refused.args[0] or "acknowledged" in str(refused.args)


def test_enter_opens_the_selected_alert(qtbot: QtBot, tmp_path: Path) -> None:
    with console_session(tmp_path) as session:
        view = queue_for(session, qtbot, ScriptedPrompts())
        alert = raise_alert(session, make_alert("ql1-km122-nhu-nguyet"))
        view.select_row(0)
        with qtbot.waitSignal(view.open_requested) as opened:
            qtbot.keyClick(view.table, Qt.Key.Key_Return)
        assert opened.args == [alert.id]


def test_filters_by_status_type_camera_route_and_time(qtbot: QtBot, tmp_path: Path) -> None:
    with console_session(tmp_path) as session:
        view = queue_for(session, qtbot, ScriptedPrompts())
        ql1, ql18 = (
            "ql1-km122-nhu-nguyet",
            next(c.id for c in session.site.cameras if c.route == "QL18"),
        )
        raise_alert(session, make_alert(ql1, AlertType.SPEEDING, Severity.MEDIUM))
        raise_alert(session, make_alert(ql18, AlertType.WRONG_WAY, Severity.CRITICAL))
        old = raise_alert(session, make_alert(ql18, minutes_ago=300))
        session.alerts.act(old.id, AlertStatus.FALSE_POSITIVE, actor="op", note="shadow")
        qtbot.waitUntil(lambda: view.model.rowCount() == 2)  # once saved
        view.status_filter.setCurrentIndex(view.status_filter.findData(None))
        assert view.model.rowCount() == 3
        view.type_filter.setCurrentIndex(view.type_filter.findData("wrong_way"))
        assert view.model.rowCount() == 1
        view.type_filter.setCurrentIndex(0)
        view.route_filter.setCurrentIndex(view.route_filter.findData("QL18"))
        assert view.model.rowCount() == 2
        view.time_filter.setCurrentIndex(view.time_filter.findData(1))
        assert view.model.rowCount() == 1
        view.route_filter.setCurrentIndex(0)
        view.time_filter.setCurrentIndex(0)
        view.camera_filter.setCurrentIndex(view.camera_filter.findData(ql1))
        assert [a.camera_id for a in view.model.visible_alerts()] == [ql1]
        view.camera_filter.setCurrentIndex(0)
        view.status_filter.setCurrentIndex(view.status_filter.findData("false_positive"))
        assert [a.id for a in view.model.visible_alerts()] == [old.id]


def test_ten_thousand_rows_load_and_scroll_quickly(qtbot: QtBot, tmp_path: Path) -> None:
    with console_session(tmp_path) as session:
        model = AlertQueueModel(session.site)
        model.filter = AlertFilter(statuses=None)
        cams = [c.id for c in session.site.cameras]
        alerts = [
            make_alert(cams[i % len(cams)], priority=list(Severity)[i % 4], minutes_ago=i / 10)
            for i in range(10_000)
        ]
        view = AlertQueueView(
            model, TriageController(session.alerts, lambda: "op", ScriptedPrompts())
        )
        qtbot.addWidget(view)
        view.resize(1200, 600)
        view.show()
        start = time.perf_counter()
        model.set_alerts(alerts)
        view.table.scrollToBottom()
        qtbot.wait(1)
        view.table.scrollToTop()
        view.table.viewport().repaint()
        elapsed = time.perf_counter() - start
        assert model.rowCount() == 10_000
        assert elapsed < 1.0
        start = time.perf_counter()
        model.upsert(make_alert(cams[0], priority=Severity.CRITICAL))
        assert time.perf_counter() - start < 0.05
        assert model.alert_at(0).priority is Severity.CRITICAL
