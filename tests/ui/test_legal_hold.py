"""Legal hold from the alert detail: shown as stored, changed by a supervisor, refused (and
audited) for an operator, with the core's words; evidence refused to a role without it."""

from __future__ import annotations

import uuid
from functools import partial
from pathlib import Path

import cv2
import numpy as np
import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot
from sqlalchemy import select
from sqlalchemy.orm import Session

from console.domain.records import EvidenceRef
from console.evidence.legal_hold import HoldState, hold_state
from console.security.roles import Role, UserSession
from console.store.audit_chain import STORAGE_ORDER
from console.store.models import AUDIT
from tests.ui.factories import console_session, make_alert, signed_in
from tests.ui.gui_thread_sqlite import no_sqlite_on_gui_thread  # noqa: F401 (fixture)
from ui.alerts.detail import AlertDetail
from ui.alerts.triage import TriageController
from ui.session import ConsoleSession

pytestmark = pytest.mark.usefixtures("no_sqlite_on_gui_thread")


class NoPrompts:
    def ask_note(self, title: str, required: bool) -> str | None:
        return None

    def choose_unit(self, proposed: str | None, available: list[str]) -> str | None:
        return None


def stored_alert_with_snapshot(session: ConsoleSession, tmp_path: Path) -> EvidenceRef:
    """An alert with a snapshot, raised and stored (the session's sink saves it)."""
    snapshot = tmp_path / "snap.jpg"
    cv2.imwrite(str(snapshot), np.full((360, 640, 3), 120, np.uint8))
    ref = EvidenceRef("snapshot", "a" * 64, str(snapshot), snapshot.stat().st_size)
    alert = make_alert("ql1-km122-nhu-nguyet").evolve(evidence=(ref,))
    session.alerts.raise_alert(alert)
    assert state_of(session, alert.id) is HoldState.NOT_HELD  # stored, with its evidence row
    return ref


def state_of(session: ConsoleSession, alert_id: uuid.UUID) -> HoldState:
    """Read on the store's reader thread, as the console does (never on the GUI thread)."""
    session.store.writer.submit(lambda connection: None).result(10)
    return session.store.reader.submit(partial(hold_state, alert_id=alert_id)).result(10)


def detail_for(qtbot: QtBot, session: ConsoleSession, user: UserSession) -> AlertDetail:
    triage = TriageController(session.alerts, lambda: user.username, NoPrompts())
    detail = AlertDetail(
        session.site, triage, session.store, actor=lambda: user, audit=session.audit
    )
    qtbot.addWidget(detail)
    detail.resize(900, 900)
    detail.show()
    return detail


def audit_of(session: ConsoleSession) -> list[tuple[str, str, dict[str, object]]]:
    def read(reads: Session) -> list[tuple[str, str, dict[str, object]]]:
        rows = reads.execute(
            select(AUDIT.c.user, AUDIT.c.action, AUDIT.c.details).order_by(STORAGE_ORDER)
        ).all()
        return [(row.user, row.action, dict(row.details or {})) for row in rows]

    session.store.writer.submit(lambda connection: None).result(10)
    return session.store.reader.submit(read).result(10)


def test_a_supervisor_puts_the_evidence_on_hold_and_lifts_it(qtbot: QtBot, tmp_path: Path) -> None:
    with console_session(tmp_path) as session:
        supervisor = signed_in(session, Role.SUPERVISOR, "gs.tran")
        stored_alert_with_snapshot(session, tmp_path)
        [alert] = session.alerts.alerts.values()
        detail = detail_for(qtbot, session, supervisor)
        detail.show_alert(alert)
        control = detail.legal_hold
        qtbot.waitUntil(lambda: control.state is HoldState.NOT_HELD, timeout=5000)
        assert control.label.text() == "Legal hold: off" and control.button.isEnabled()
        with qtbot.waitSignal(control.changed, timeout=5000):
            qtbot.mouseClick(control.button, Qt.MouseButton.LeftButton)
        assert control.state is HoldState.HELD and control.button.text() == "Lift legal hold"
        assert state_of(session, alert.id) is HoldState.HELD
        with qtbot.waitSignal(control.changed, timeout=5000):
            qtbot.mouseClick(control.button, Qt.MouseButton.LeftButton)
        assert control.state is HoldState.NOT_HELD
        actions = [(u, a) for u, a, _ in audit_of(session) if a.startswith("legal_hold")]
        assert actions == [("gs.tran", "legal_hold.set"), ("gs.tran", "legal_hold.lifted")]
        detail.clip.close_clip()


def test_an_operator_is_refused_with_the_cores_message_and_the_refusal_is_audited(
    qtbot: QtBot, tmp_path: Path
) -> None:
    with console_session(tmp_path) as session:
        operator = signed_in(session, Role.OPERATOR, "op.hoa")
        stored_alert_with_snapshot(session, tmp_path)
        [alert] = session.alerts.alerts.values()
        detail = detail_for(qtbot, session, operator)
        detail.show_alert(alert)
        control = detail.legal_hold
        qtbot.waitUntil(lambda: control.state is HoldState.NOT_HELD, timeout=5000)
        with qtbot.waitSignal(control.refused, timeout=5000) as refused:
            qtbot.mouseClick(control.button, Qt.MouseButton.LeftButton)
        assert "may not put the evidence of alert" in refused.args[0]
        assert "set_legal_hold" in control.label.text()  # shown where the operator looks
        assert state_of(session, alert.id) is HoldState.NOT_HELD
        denied = [d for u, a, d in audit_of(session) if a == "permission.denied"]
        assert [(d["permission"]) for d in denied] == ["set_legal_hold"]
        assert not detail.snapshot.pixmap().isNull()  # an operator does see the evidence
        views = [(u, d["alert_id"]) for u, a, d in audit_of(session) if a == "evidence.view"]
        assert views == [("op.hoa", str(alert.id))]
        detail.clip.close_clip()


def test_a_role_without_view_evidence_sees_why_not_and_no_image(
    qtbot: QtBot, tmp_path: Path
) -> None:
    with console_session(tmp_path) as session:
        admin = signed_in(session, Role.ADMIN)
        stored_alert_with_snapshot(session, tmp_path)
        [alert] = session.alerts.alerts.values()
        detail = detail_for(qtbot, session, admin)
        detail.show_alert(alert)
        assert detail.snapshot.pixmap().isNull()
        assert "view_evidence" in detail.snapshot.text()
        denied = [d["permission"] for u, a, d in audit_of(session) if a == "permission.denied"]
        assert denied == ["view_evidence"]
        detail.clip.close_clip()
