from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from console.alerts.handover import OutageLog, build_report, latest_report, save_report
from console.domain.alert_states import add_note, transition
from console.domain.health import CameraHealth, StreamState
from console.domain.records import Alert, AlertStatus, AlertType, Event, Severity

T0 = datetime(2026, 11, 29, 11, 0, tzinfo=UTC)


def alert(kind: AlertType, minutes: int, camera: str = "cam") -> Alert:
    at = T0 + timedelta(minutes=minutes)
    event = Event(kind, camera, at, at, Severity.HIGH, message=f"{kind.value} here")
    return Alert(event, Severity.HIGH, created_at=at, updated_at=at)


def test_report_counts_open_alerts_with_notes_and_outages(tmp_path: Path) -> None:
    stopped = alert(AlertType.STOPPED_VEHICLE, 5)
    acked, ack = transition(stopped, AlertStatus.ACKNOWLEDGED, actor="lan", at=T0)
    note = add_note(acked, actor="lan", at=T0, note="gọi cứu hộ")
    closed, _ = transition(
        alert(AlertType.SPEEDING, 10), AlertStatus.FALSE_POSITIVE, actor="lan", at=T0, note="x"
    )
    before_shift = alert(AlertType.WRONG_WAY, -600)
    outages = OutageLog()
    outages.record(CameraHealth("cam2", StreamState.OFFLINE, "refused"), T0)
    outages.record(CameraHealth("cam2", StreamState.LIVE), T0 + timedelta(minutes=3))
    outages.record(CameraHealth("cam3", StreamState.ERROR, "401"), T0 + timedelta(minutes=4))
    report = build_report(
        alerts=[acked, closed, before_shift],
        histories={acked.id: [ack, note]},
        outages=outages.since(T0),
        author="lan",
        shift_start=T0,
        now=T0 + timedelta(hours=12),
        notes="Cầu Như Nguyệt: đèn hỏng",
    )
    assert report.count("stopped_vehicle", "acknowledged") == 1
    assert report.count("speeding", "false_positive") == 1
    assert report.count("wrong_way", "new") == 0  # raised in an earlier shift
    assert [o.alert_id for o in report.open_alerts] == [str(before_shift.id), str(acked.id)]
    assert [n.text for n in report.open_alerts[1].notes] == ["gọi cứu hộ"]
    assert [(o.camera_id, o.ended_at is None) for o in report.outages] == [
        ("cam2", False),
        ("cam3", True),
    ]
    save_report(tmp_path, report)
    assert latest_report(tmp_path) == report


def test_damaged_report_is_skipped(tmp_path: Path) -> None:
    (tmp_path / "99999999T000000000000Z.json").write_text("{broken")
    assert latest_report(tmp_path) is None
