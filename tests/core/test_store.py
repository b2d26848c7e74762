"""The local cache: round trips, the single writer, outbox atomicity, monotonic statuses."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from console.config.site_file import SiteConfig
from console.domain.alert_states import TransitionError, add_note, transition
from console.domain.records import AlertStatus, AlertType, EvidenceRef
from console.store import queries
from console.store.local import LocalStore
from console.store.models import AUDIT, OUTBOX
from console.store.records import AuditEntry, HealthIncident, TrafficCount
from tests.core.test_store_support import T0, make_alert


def outbox_kinds(store: LocalStore) -> list[str]:
    with store.session() as session:
        return list(session.execute(select(OUTBOX.c.kind).order_by(OUTBOX.c.seq)).scalars())


def test_saved_alert_reads_back_equal_with_aware_utc_times(store: LocalStore) -> None:
    evidence = (
        EvidenceRef("snapshot", "ab" * 32, "/evidence/a.jpg", 1234),
        EvidenceRef("clip", "cd" * 32, "/evidence/a.mp4", 99_000),
    )
    alert = make_alert(evidence=evidence)
    store.writer.save_alert(alert).result(timeout=10)
    with store.session() as session:
        stored = queries.get_alert(session, alert.id)
    assert stored == alert
    assert stored is not None and stored.created_at.tzinfo is UTC
    assert outbox_kinds(store) == ["alert"]


def test_times_in_other_zones_are_stored_as_the_same_instant(store: LocalStore) -> None:
    hanoi = datetime(2026, 5, 1, 15, 0, tzinfo=UTC).astimezone(
        __import__("zoneinfo").ZoneInfo("Asia/Ho_Chi_Minh")
    )
    alert = make_alert(at=hanoi)
    store.writer.save_alert(alert).result(timeout=10)
    with store.session() as session:
        stored = queries.get_alert(session, alert.id)
    assert stored is not None and stored.created_at == hanoi and stored.created_at.hour == 15


def test_a_failed_save_leaves_neither_rows_nor_outbox_entries(store: LocalStore) -> None:
    alert = make_alert()
    store.writer.save_alert(alert).result(timeout=10)
    duplicate = store.writer.save_alert(alert)  # same ids: the whole job must roll back
    with pytest.raises(IntegrityError):
        duplicate.result(timeout=10)
    assert outbox_kinds(store) == ["alert"]


def test_one_failing_job_does_not_undo_the_others_in_its_transaction(store: LocalStore) -> None:
    first, second = make_alert(), make_alert(at=T0 + timedelta(minutes=1))
    futures = [
        store.writer.save_alert(first),
        store.writer.save_alert(first),  # fails
        store.writer.save_alert(second),
    ]
    assert futures[0].result(timeout=10) is None
    assert futures[2].result(timeout=10) is None
    assert isinstance(futures[1].exception(timeout=10), IntegrityError)
    with store.session() as session:
        assert {a.id for a in queries.list_alerts(session)} == {first.id, second.id}


def test_transitions_are_stored_with_their_history_and_outbox(store: LocalStore) -> None:
    alert = make_alert()
    store.writer.save_alert(alert).result(timeout=10)
    acked, ack = transition(
        alert, AlertStatus.ACKNOWLEDGED, actor="op1", at=T0 + timedelta(seconds=5)
    )
    store.writer.apply_transition(acked, ack).result(timeout=10)
    note = add_note(acked, actor="op1", at=T0 + timedelta(seconds=6), note="gọi đội tuần tra")
    store.writer.add_note(note).result(timeout=10)
    with store.session() as session:
        assert queries.get_alert(session, alert.id) == acked
        assert queries.alert_history(session, alert.id) == [ack, note]
    assert outbox_kinds(store) == ["alert", "action", "action"]


def test_a_status_that_went_backwards_is_refused_against_the_stored_row(store: LocalStore) -> None:
    alert = make_alert()
    store.writer.save_alert(alert).result(timeout=10)
    acked, ack = transition(alert, AlertStatus.ACKNOWLEDGED, actor="op1", at=T0)
    closed, close = transition(acked, AlertStatus.RESOLVED, actor="op1", at=T0, note="cleared")
    store.writer.apply_transition(acked, ack).result(timeout=10)
    store.writer.apply_transition(closed, close).result(timeout=10)
    # A stale copy in another window still thinks the alert is only acknowledged.
    stale, dispatch = transition(acked, AlertStatus.DISPATCHED, actor="op2", at=T0, unit="CSGT-1")
    with pytest.raises(TransitionError, match="now resolved"):
        store.writer.apply_transition(stale, dispatch).result(timeout=10)
    with store.session() as session:
        assert queries.get_alert(session, alert.id) == closed
        assert len(queries.alert_history(session, alert.id)) == 2


def test_list_alerts_filters_and_orders_newest_first(store: LocalStore) -> None:
    alerts = [make_alert(camera_id=f"cam-{i % 2}", at=T0 + timedelta(minutes=i)) for i in range(6)]
    for alert in alerts:
        store.writer.save_alert(alert)
    acked, ack = transition(alerts[0], AlertStatus.ACKNOWLEDGED, actor="op", at=T0)
    store.writer.apply_transition(acked, ack).result(timeout=10)
    with store.session() as session:
        assert [a.id for a in queries.list_alerts(session)] == [a.id for a in reversed(alerts)]
        assert [a.id for a in queries.list_alerts(session, camera_ids=["cam-1"])] == [
            alerts[5].id,
            alerts[3].id,
            alerts[1].id,
        ]
        only_acked = queries.list_alerts(session, statuses=[AlertStatus.ACKNOWLEDGED])
        assert [a.id for a in only_acked] == [alerts[0].id]
        window = queries.list_alerts(
            session, since=T0 + timedelta(minutes=2), until=T0 + timedelta(minutes=4), limit=1
        )
        assert [a.id for a in window] == [alerts[3].id]
        assert queries.list_alerts(session, types=[AlertType.SPEEDING]) == []


def test_counts_replace_the_total_of_their_minute(store: LocalStore) -> None:
    minute = T0.replace(second=0)
    rows = [
        TrafficCount("cam-1", "car", minute, 10, lane="1", direction="north"),
        TrafficCount("cam-1", "motorcycle", minute, 40, lane="1", direction="north"),
    ]
    store.writer.save_counts(rows).result(timeout=10)
    store.writer.save_counts(
        [TrafficCount("cam-1", "car", minute, 12, lane="1", direction="north")]
    ).result(timeout=10)
    with store.session() as session:
        counts = queries.counts_per_minute(session, camera_ids=["cam-1"])
    assert {(c.class_name, c.count) for c in counts} == {("car", 12), ("motorcycle", 40)}
    assert counts[0].minute.tzinfo is UTC


def test_health_incident_is_updated_in_place_when_it_ends(store: LocalStore) -> None:
    incident = HealthIncident("cam-1", "offline", "RTSP timeout", T0)
    store.writer.save_health(incident).result(timeout=10)
    ended = HealthIncident(
        "cam-1", "offline", "RTSP timeout", T0, T0 + timedelta(minutes=3), id=incident.id
    )
    store.writer.save_health(ended).result(timeout=10)
    assert outbox_kinds(store) == ["health", "health"]


def test_callbacks_report_success_and_failure(store: LocalStore) -> None:
    alert = make_alert()
    done = threading.Event()
    outcomes: list[object] = []

    def failed(error: BaseException) -> None:
        outcomes.append(type(error).__name__)
        done.set()

    store.writer.submit(lambda c: 1 + 1, on_success=outcomes.append)
    store.writer.save_alert(alert).result(timeout=10)
    store.writer.submit(lambda c: 1 / 0, on_failure=failed)
    assert done.wait(10)
    assert outcomes == [2, "ZeroDivisionError"]


def test_naive_datetimes_are_refused(store: LocalStore) -> None:
    entry = AuditEntry(datetime(2026, 1, 1), "admin", "login")  # noqa: DTZ001 (deliberate)
    with pytest.raises(Exception, match="naive datetime"):
        store.writer.append_audit(entry).result(timeout=10)
    with store.session() as session:
        assert session.execute(select(func.count()).select_from(AUDIT)).scalar_one() == 0


def test_writes_from_many_threads_are_all_saved(store: LocalStore) -> None:
    alerts = [make_alert(at=T0 + timedelta(seconds=i)) for i in range(400)]

    def save(chunk: list) -> None:
        for alert in chunk:
            store.writer.save_alert(alert).result(timeout=30)

    threads = [threading.Thread(target=save, args=(alerts[i::4],)) for i in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    with store.session() as session:
        assert queries.count_alerts(session) == 400
    assert store.backlog() == 400


def test_legal_hold_is_audited(store: LocalStore) -> None:
    alert = make_alert(evidence=(EvidenceRef("snapshot", "ab" * 32, "/e/a.jpg", 10),))
    store.writer.save_alert(alert).result(timeout=10)
    store.writer.set_legal_hold(alert.id, True, actor="supervisor", at=T0).result(timeout=10)
    with store.session() as session:
        actions = list(session.execute(select(AUDIT.c.action, AUDIT.c.user)))
    assert actions == [("legal_hold.set", "supervisor")]


def test_provisioning_records_the_site_file_cameras_and_updates_them(
    demo_site: SiteConfig, store: LocalStore
) -> None:
    from console.store.models import CAMERAS

    site = demo_site
    store.writer.provision_site(site, T0).result(timeout=10)
    store.writer.provision_site(site, T0 + timedelta(days=1)).result(timeout=10)
    with store.session() as session:
        rows = session.execute(select(CAMERAS.c.id, CAMERAS.c.provisioned_at)).all()
    assert {r.id for r in rows} == {c.id for c in site.cameras}
    assert {r.provisioned_at for r in rows} == {T0 + timedelta(days=1)}
