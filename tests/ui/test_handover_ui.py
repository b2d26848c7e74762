from __future__ import annotations

import uuid
from datetime import timedelta
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from console.alerts.handover import OutageLog, latest_report
from console.domain.health import CameraHealth, StreamState
from console.domain.records import AlertStatus, AlertType, Severity, utc_now
from console.store import queries
from tests.ui.factories import console_session, make_alert, raise_alert
from tests.ui.gui_thread_sqlite import no_sqlite_on_gui_thread  # noqa: F401 (fixture)
from ui.alerts.handover import (
    HandoverDialog,
    HandoverRenderer,
    compose_report,
    export_html,
    export_pdf,
    read_shift,
)
from ui.app import user_settings
from ui.main_window import MainWindow
from ui.session import ConsoleSession

pytestmark = pytest.mark.usefixtures("no_sqlite_on_gui_thread")


def history(session: ConsoleSession, alert_id: uuid.UUID) -> list[object]:
    with session.store.session() as s:
        return list(queries.alert_history(s, alert_id))


def test_handover_report_contents_save_export_and_next_start(qtbot: QtBot, tmp_path: Path) -> None:
    with console_session(tmp_path) as session:
        site = session.site
        camera = "ql1-km122-nhu-nguyet"
        stopped = raise_alert(session, make_alert(camera))
        session.alerts.act(stopped.id, AlertStatus.ACKNOWLEDGED, actor="lan")
        session.alerts.note(stopped.id, actor="lan", text="Đã gọi xe cứu hộ")
        shadow = raise_alert(session, make_alert(camera, AlertType.SPEEDING, Severity.MEDIUM))
        session.alerts.act(
            shadow.id, AlertStatus.FALSE_POSITIVE, actor="lan", note="bóng cây"
        ).result(10)
        outages = OutageLog()
        outages.record(
            CameraHealth("ql18-km28-vu-ninh", StreamState.OFFLINE, "mất điện"), utc_now()
        )
        qtbot.waitUntil(lambda: len(history(session, stopped.id)) == 2)  # writes are queued
        renderer = HandoverRenderer(site)
        dialog = HandoverDialog(
            read_shift(session),
            lambda records, notes: compose_report(session, outages, records, notes),
            renderer,
            session.handover_dir,
        )
        qtbot.addWidget(dialog)
        assert not dialog.save_button.isEnabled()  # until the shift is read (reader thread)
        qtbot.waitUntil(lambda: dialog.report is not None)
        dialog.notes.setPlainText("Đèn tín hiệu Km122 hỏng, đã báo điện lực.")
        report = dialog.report
        assert report is not None
        assert report.count("stopped_vehicle", "acknowledged") == 1
        assert report.count("speeding", "false_positive") == 1
        assert [a.alert_id for a in report.open_alerts] == [str(stopped.id)]
        assert [n.text for n in report.open_alerts[0].notes] == ["Đã gọi xe cứu hộ"]
        assert [o.camera_id for o in report.outages] == ["ql18-km28-vu-ninh"]
        page = dialog.preview.toPlainText()
        for text in ("Đã gọi xe cứu hộ", "mất điện", "Đèn tín hiệu Km122 hỏng", session.user()):
            assert text in page
        assert "Biên bản bàn giao ca trực" in page or "Shift handover report" in page
        html_path, pdf_path = tmp_path / "r.html", tmp_path / "r.pdf"
        export_html(renderer.render(report), html_path)
        export_pdf(renderer.render(report), pdf_path)
        assert "Đã gọi xe cứu hộ" in html_path.read_text(encoding="utf-8")
        assert pdf_path.read_bytes().startswith(b"%PDF") and pdf_path.stat().st_size > 2000
        saved = dialog.save()
        assert saved is not None and saved.parent == session.handover_dir
        assert latest_report(session.handover_dir) == dialog.report
        assert dialog.report.created_at > utc_now() - timedelta(minutes=1)
        # the next operator sees it when the console opens
        window = MainWindow(site, user_settings(), session)
        qtbot.addWidget(window)
        assert "Đèn tín hiệu Km122 hỏng" in window.handover_view.toPlainText()
        window.wall.stop()
        window.status.stop()
