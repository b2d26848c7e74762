"""Camera outages are stored (and queued for central sync) and survive a console restart."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from console.alerts.outages import OutageLog
from console.domain.health import CameraHealth, StreamState
from console.store.local import LocalStore
from console.store.models import HEALTH, OUTBOX

T0 = datetime(2026, 11, 30, 6, 0, tzinfo=UTC)


def settle(store: LocalStore) -> None:
    store.writer.submit(lambda connection: None).result(timeout=10)  # writes run in order


def test_outages_are_stored_with_their_end_and_queued_for_sync(store: LocalStore) -> None:
    outages = OutageLog(store)
    outages.record(CameraHealth("cam2", StreamState.OFFLINE, "connection refused"), T0)
    outages.record(CameraHealth("cam2", StreamState.STALLED, "no frame"), T0 + timedelta(minutes=1))
    outages.record(CameraHealth("cam2", StreamState.LIVE), T0 + timedelta(minutes=3))
    outages.record(CameraHealth("cam3", StreamState.ERROR, "401"), T0 + timedelta(minutes=4))
    settle(store)
    with store.session() as session:
        rows = session.execute(select(HEALTH).order_by(HEALTH.c.started_at)).all()
        queued = session.execute(select(OUTBOX.c.kind).where(OUTBOX.c.kind == "health")).all()
    assert [(r.camera_id, r.state, r.reason) for r in rows] == [
        ("cam2", "offline", "connection refused"),  # one incident for the whole outage
        ("cam3", "error", "401"),
    ]
    assert rows[0].ended_at == T0 + timedelta(minutes=3) and rows[1].ended_at is None
    assert queued  # the central database learns about them


def test_a_restarted_console_lists_earlier_outages_and_closes_the_one_left_open(
    store: LocalStore,
) -> None:
    before = OutageLog(store)
    before.record(CameraHealth("cam2", StreamState.OFFLINE, "refused"), T0)
    before.record(CameraHealth("cam2", StreamState.LIVE), T0 + timedelta(minutes=3))
    before.record(CameraHealth("cam3", StreamState.ERROR, "401"), T0 + timedelta(minutes=4))
    old = OutageLog(store)
    old.record(CameraHealth("cam9", StreamState.OFFLINE, "gone"), T0 - timedelta(days=3))
    old.record(CameraHealth("cam9", StreamState.LIVE), T0 - timedelta(days=3, minutes=-1))
    settle(store)

    restart = T0 + timedelta(hours=1)
    after = OutageLog(store)
    after.restore(since=T0 - timedelta(days=1), now=restart)
    settle(store)

    listed = after.since(T0)
    assert [(o.camera_id, o.ended_at) for o in listed] == [
        ("cam2", T0 + timedelta(minutes=3)),
        ("cam3", restart),  # open when the console stopped: ends where knowledge ends
    ]
    with store.session() as session:
        open_rows = session.execute(select(HEALTH).where(HEALTH.c.ended_at.is_(None))).all()
    assert open_rows == []
