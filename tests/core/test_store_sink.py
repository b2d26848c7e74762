"""Alerts, actions and late evidence reach the local store through the alert service."""

from __future__ import annotations

from pathlib import Path

from console.domain.records import AlertStatus, EvidenceRef
from console.store.local import LocalStore
from console.store.queries import alert_history, get_alert
from console.store.sink import StoreSink
from tests.core.test_alerting import feed_stopped_car, service


def test_alert_lifecycle_and_evidence_are_stored(tmp_path: Path) -> None:
    store = LocalStore.open(tmp_path / "local.sqlite3", console_id="console-1")
    try:
        alerts = service()
        alerts.sink = StoreSink(store)
        feed_stopped_car(alerts)
        [alert] = alerts.open_alerts()
        alerts.act(alert.id, AlertStatus.ACKNOWLEDGED, actor="op1")
        alerts.note(alert.id, actor="op1", text="gọi xe cứu hộ")
        refs = (EvidenceRef("snapshot", "ab" * 32, str(tmp_path / "x.jpg"), 1234),)
        alerts._evidence_done(alert, refs)
        store.writer.close()
        with store.session() as session:
            stored = get_alert(session, alert.id)
            history = alert_history(session, alert.id)
        assert stored is not None and stored.status is AlertStatus.ACKNOWLEDGED
        assert [e.sha256 for e in stored.evidence] == ["ab" * 32]
        assert [(a.action, a.actor) for a in history] == [("acknowledged", "op1"), ("note", "op1")]
        assert history[1].note == "gọi xe cứu hộ"
        assert alerts.sink.failures == 0
    finally:
        store.close()
