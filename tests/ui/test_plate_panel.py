"""The plate panel of the alert detail: shown as read, corrected and watched through the
core (refusals in the core's words, audited); the queue's plate column and plate search."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from console.alerts.plate_desk import PlateDesk
from console.domain.plates import PlateColour, PlateRead
from console.domain.records import Alert
from console.security.roles import Role, UserSession
from tests.ui.factories import console_session, make_alert, signed_in
from tests.ui.gui_thread_sqlite import no_sqlite_on_gui_thread  # noqa: F401 (fixture)
from tests.ui.test_legal_hold import audit_of
from ui.alerts.plate_panel import PlatePanel
from ui.alerts.queue_model import AlertFilter, AlertQueueModel, Column
from ui.session import ConsoleSession

pytestmark = pytest.mark.usefixtures("no_sqlite_on_gui_thread")


class Answers:
    """What the operator types in the panel's dialogs."""

    def __init__(self, plate: tuple[str, PlateColour] | None, reason: str | None) -> None:
        self.plate = plate
        self.reason = reason

    def ask_plate(self, current: PlateRead | None) -> tuple[str, PlateColour] | None:
        return self.plate

    def ask_reason(self, plate: str) -> str | None:
        return self.reason


def panel_for(
    qtbot: QtBot, session: ConsoleSession, user: UserSession, answers: Answers
) -> PlatePanel:
    desk = PlateDesk(session.alerts, session.store, session.audit)
    panel = PlatePanel(desk, lambda: user, answers)
    qtbot.addWidget(panel)
    panel.show()
    return panel


def raised(session: ConsoleSession) -> Alert:
    alert = make_alert("ql1-km122-nhu-nguyet")
    session.alerts.raise_alert(alert)
    return alert


def test_an_operator_corrects_the_plate_and_it_is_shown_saved_and_audited(
    qtbot: QtBot, tmp_path: Path
) -> None:
    with console_session(tmp_path) as session:
        operator = signed_in(session, Role.OPERATOR, "ds.nguyen")
        alert = raised(session)
        panel = panel_for(
            qtbot, session, operator, Answers(("30e 12345", PlateColour.YELLOW), "stolen")
        )
        panel.show_alert(alert)
        assert panel.plate_label.text() == "Not read"
        assert not panel.watch_button.isEnabled()  # nothing to watch yet
        with qtbot.waitSignal(panel.done, timeout=5000) as saved:
            qtbot.mouseClick(panel.correct_button, Qt.MouseButton.LeftButton)
        assert saved.args == ["Plate saved: 30E-123.45"]
        assert panel.plate_label.text() == "30E-123.45"
        assert "Entered by an operator" in panel.details.text()
        held = session.alerts.alerts.get(alert.id)
        assert held is not None and held.plate is not None
        assert held.plate.colour is PlateColour.YELLOW
        corrected = [(u, d["plate"]) for u, a, d in audit_of(session) if a == "plate.corrected"]
        assert corrected == [("ds.nguyen", "30E-123.45")]
        with qtbot.waitSignal(panel.refused, timeout=5000) as refused:  # no watch-list right
            qtbot.mouseClick(panel.watch_button, Qt.MouseButton.LeftButton)
        assert "manage_watchlist" in refused.args[0]


def test_a_trainer_is_refused_a_live_plate_correction_in_the_cores_words(
    qtbot: QtBot, tmp_path: Path
) -> None:
    with console_session(tmp_path) as session:
        trainer = signed_in(session, Role.TRAINER, "hl.le")
        alert = raised(session)
        panel = panel_for(qtbot, session, trainer, Answers(("30E-123.45", PlateColour.WHITE), None))
        panel.show_alert(alert)
        with qtbot.waitSignal(panel.refused, timeout=5000) as refused:
            qtbot.mouseClick(panel.correct_button, Qt.MouseButton.LeftButton)
        assert "act_on_alerts" in refused.args[0]
        assert panel.plate_label.text() == "Not read"
        denied = [(u, d["permission"]) for u, a, d in audit_of(session) if a == "permission.denied"]
        assert denied == [("hl.le", "act_on_alerts")]


def test_a_supervisor_watches_a_plate_and_a_typo_is_refused(qtbot: QtBot, tmp_path: Path) -> None:
    with console_session(tmp_path) as session:
        supervisor = signed_in(session, Role.SUPERVISOR, "gs.tran")
        plate = PlateRead("29-B1 123.45", PlateColour.WHITE, 0.9, 2, True, frames=3)
        alert = raised(session).evolve(plate=plate)
        panel = panel_for(
            qtbot, session, supervisor, Answers(("hello", PlateColour.WHITE), "stolen")
        )
        panel.show_alert(alert)
        assert panel.plate_label.text() == "29-B1\n123.45"  # two lines, as on the plate
        assert "3 frame(s)" in panel.details.text() and "90 %" in panel.details.text()
        with qtbot.waitSignal(panel.done, timeout=5000) as done:
            qtbot.mouseClick(panel.watch_button, Qt.MouseButton.LeftButton)
        assert done.args == ["29-B1 123.45 is on the watch-list"]
        with qtbot.waitSignal(panel.refused, timeout=5000) as refused:
            qtbot.mouseClick(panel.correct_button, Qt.MouseButton.LeftButton)
        assert "not a Vietnamese plate" in refused.args[0]


def test_the_queue_shows_plates_and_finds_them_whatever_the_spelling(qtbot: QtBot) -> None:
    from tests.conftest import load_demo_site

    model = AlertQueueModel(load_demo_site())
    with_plate = make_alert("ql1-km122-nhu-nguyet").evolve(
        plate=PlateRead("29-B1 123.45", lines=2, valid=True)
    )
    without = make_alert("ql1-km122-nhu-nguyet")
    model.upsert(with_plate)
    model.upsert(without)
    shown = {model.index(r, Column.PLATE).data() for r in range(model.rowCount())}
    assert shown == {"29-B1 123.45", ""}
    for query in ("29b1", "29-B1 123", "b1.12345"):
        model.set_filter(AlertFilter(plate=query))
        assert [a.id for a in model.visible_alerts()] == [with_plate.id], query
    model.set_filter(AlertFilter(plate="30E"))
    assert model.visible_alerts() == []
