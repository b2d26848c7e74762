"""Sync against a real PostgreSQL: outage, two consoles, pruning, evidence verification."""

from __future__ import annotations

import threading
import time
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select, text

from console.domain.alert_states import transition
from console.domain.records import Alert, AlertStatus, utc_now
from console.retention.store import prune_local
from console.security.permits import RETENTION_JOB
from console.store import queries
from console.store.local import LocalStore
from console.store.records import TrafficCount
from console.sync import central_schema as central
from console.sync.central import CentralDb
from console.sync.worker import SyncState, SyncWorker, sync_once
from tests.conftest import StoreOpener
from tests.core.test_store_support import T0, make_alert, write_evidence
from tests.integration.test_sync_support import (  # noqa: F401 (fixtures by name)
    TcpProxy,
    assert_central_matches_local,
    central_db_fixture,
    central_url_fixture,
)

pytestmark = pytest.mark.integration


def wait_for(condition: object, timeout: float, message: str) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():  # type: ignore[operator]
            return
        time.sleep(0.05)
    pytest.fail(f"timed out after {timeout} s: {message}")


@pytest.mark.slow
def test_outage_mid_sync_loses_and_duplicates_nothing(
    central_url: str, open_store: StoreOpener, tmp_path: Path
) -> None:
    store = open_store(tmp_path / "a.sqlite", "console-a")
    for i in range(6000):
        store.writer.save_alert(make_alert(at=T0 + timedelta(milliseconds=i)))
    store.writer.submit(lambda c: None).result(timeout=60)
    proxy = TcpProxy()
    db = CentralDb(proxy.url(central_url))
    statuses = []
    worker = SyncWorker(
        store,
        db,
        interval_s=0.05,
        backoff_initial_s=0.1,
        backoff_max_s=0.4,
        batch_size=250,
        on_status=statuses.append,
    )
    stop_writing = threading.Event()
    written: list[Alert] = []

    def keep_writing() -> None:  # the console keeps working through the outage
        i = 0
        while not stop_writing.is_set():
            alert = make_alert(camera_id="cam-live", at=T0 + timedelta(hours=1, seconds=i))
            store.writer.save_alert(alert).result(timeout=10)
            if i % 3 == 0:
                acked, ack = transition(alert, AlertStatus.ACKNOWLEDGED, actor="op", at=utc_now())
                store.writer.apply_transition(acked, ack).result(timeout=10)
            store.writer.save_counts(
                [TrafficCount("cam-live", "car", T0 + timedelta(minutes=i), i)]
            ).result(timeout=10)
            written.append(alert)
            i += 1
            time.sleep(0.005)

    writer_thread = threading.Thread(target=keep_writing)
    writer_thread.start()
    try:
        worker.start()
        wait_for(lambda: 0 < store.backlog() < 5000, 60, "the first batches to be pushed")
        proxy.cut()
        wait_for(lambda: worker.status.state is SyncState.OFFLINE, 30, "the outage to be seen")
        backlog_during_outage = store.backlog()
        time.sleep(1.0)
        assert store.backlog() > backlog_during_outage  # still saving locally
        assert worker.status.last_error.startswith("central storage unreachable")
        proxy.restore()
        time.sleep(0.5)
        stop_writing.set()
        writer_thread.join(30)
        wait_for(lambda: store.backlog() == 0, 90, "the backlog to drain after the outage")
    finally:
        stop_writing.set()
        writer_thread.join(30)
        worker.stop()
        db.dispose()
        proxy.close()
    assert len(written) > 100
    assert worker.status.last_error == ""
    direct = CentralDb(central_url)
    try:
        sync_once(store, direct)
        assert_central_matches_local(store, direct)
        with direct.engine.connect() as connection:
            superseded = connection.execute(
                select(func.count()).where(central.actions.c.superseded.is_(True))
            ).scalar_one()
        assert superseded == 0  # a re-sent batch is never replayed as a second action
    finally:
        direct.dispose()


@pytest.mark.slow
def test_two_consoles_closing_the_same_alerts_converge_on_one_history(
    central_db: CentralDb, open_store: StoreOpener, tmp_path: Path
) -> None:
    a = open_store(tmp_path / "a.sqlite", "console-a")
    b = open_store(tmp_path / "b.sqlite", "console-b")
    alerts = [make_alert(at=T0 + timedelta(seconds=i)) for i in range(12)]
    for alert in alerts:
        a.writer.save_alert(alert).result(timeout=10)
    sync_once(a, central_db)
    sync_once(b, central_db)
    barrier = threading.Barrier(2)
    errors: list[BaseException] = []

    def operate(store: LocalStore, closing: AlertStatus, actor: str) -> None:
        try:
            barrier.wait(10)
            for alert in alerts:
                with store.session() as session:
                    current = queries.get_alert(session, alert.id)
                assert current is not None
                if current.status.is_terminal:
                    continue
                if current.status is AlertStatus.NEW:
                    current, ack = transition(
                        current,
                        AlertStatus.ACKNOWLEDGED,
                        actor=actor,
                        at=utc_now(),
                        console_id=store.console_id,
                    )
                    store.writer.apply_transition(current, ack).result(timeout=10)
                closed, close = transition(
                    current,
                    closing,
                    actor=actor,
                    at=utc_now(),
                    note=f"closed by {actor}",
                    console_id=store.console_id,
                )
                store.writer.apply_transition(closed, close).result(timeout=10)
                sync_once(store, central_db)
        except BaseException as exc:
            errors.append(exc)

    threads = [
        threading.Thread(target=operate, args=(a, AlertStatus.RESOLVED, "op-a")),
        threading.Thread(target=operate, args=(b, AlertStatus.FALSE_POSITIVE, "op-b")),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert errors == []
    for _ in range(2):
        sync_once(a, central_db)
        sync_once(b, central_db)

    for alert in alerts:
        with a.session() as sa, b.session() as sb:
            alert_a, alert_b = queries.get_alert(sa, alert.id), queries.get_alert(sb, alert.id)
            history_a = queries.alert_history(sa, alert.id)
            history_b = queries.alert_history(sb, alert.id)
            conflicts_a = queries.action_conflicts(sa, alert.id)
            conflicts_b = queries.action_conflicts(sb, alert.id)
        assert alert_a == alert_b
        assert alert_a is not None and alert_a.status.is_terminal
        assert history_a == history_b
        assert conflicts_a == conflicts_b
        superseded = {c.action_id for c in conflicts_a}
        winners = [
            x for x in history_a if AlertStatus(x.action).is_terminal and x.id not in superseded
        ]
        assert len(winners) == 1 and winners[0].action == alert_a.status.value
        losers = [x for x in history_a if AlertStatus(x.action).is_terminal and x.id in superseded]
        assert all(x.actor != winners[0].actor for x in losers)  # the loser is kept, flagged
    assert_central_matches_local(a, central_db)
    assert_central_matches_local(b, central_db)


def test_pruning_never_removes_unsynced_or_held_evidence(
    central_db: CentralDb, open_store: StoreOpener, tmp_path: Path
) -> None:
    store = open_store(tmp_path / "a.sqlite", "console-a")
    folder = tmp_path / "evidence"
    folder.mkdir()
    synced = make_alert(evidence=(write_evidence(folder, b"synced snapshot"),))
    held = make_alert(evidence=(write_evidence(folder, b"held snapshot"),))
    for alert in (synced, held):
        store.writer.save_alert(alert).result(timeout=10)
    store.writer.set_legal_hold(held.id, True, actor="supervisor", at=T0).result(timeout=10)
    tampered_ref = write_evidence(folder, b"original bytes")
    Path(tampered_ref.path).write_bytes(b"changed after hashing")
    tampered = make_alert(evidence=(tampered_ref,))
    store.writer.save_alert(tampered).result(timeout=10)
    report = sync_once(store, central_db)
    assert report.uploaded == 2  # the changed file is refused by central's hash check
    unsynced = make_alert(evidence=(write_evidence(folder, b"after the last sync"),))
    store.writer.save_alert(unsynced).result(timeout=10)

    pruned = prune_local(
        store,
        now=utc_now() + timedelta(days=365),
        max_age=timedelta(days=1),
        budget_bytes=0,
        actor=RETENTION_JOB,
    )

    assert pruned.evidence_pruned == 1
    assert not Path(synced.evidence[0].path).exists()
    for kept in (held, tampered, unsynced):
        assert Path(kept.evidence[0].path).exists()
    with central_db.engine.connect() as connection:
        blob = connection.execute(
            text("SELECT data FROM evidence_blobs WHERE sha256 = :sha"),
            {"sha": synced.evidence[0].sha256},
        ).scalar_one()
        refused = connection.execute(
            text("SELECT count(*) FROM evidence_blobs WHERE sha256 = :sha"),
            {"sha": tampered_ref.sha256},
        ).scalar_one()
    assert bytes(blob) == b"synced snapshot"
    assert refused == 0
    sync_once(store, central_db)  # the pruning audit entries reach central storage too
    with central_db.engine.connect() as connection:
        audited = (
            connection.execute(
                select(central.audit_entries.c.details).where(
                    central.audit_entries.c.action == "evidence.pruned"
                )
            )
            .scalars()
            .all()
        )
    assert [d["sha256"] for d in audited] == [synced.evidence[0].sha256]


@pytest.mark.slow
def test_a_new_console_pulls_the_open_queue(
    central_db: CentralDb, open_store: StoreOpener, tmp_path: Path
) -> None:
    a = open_store(tmp_path / "a.sqlite", "console-a")
    alerts = [make_alert(at=T0 + timedelta(seconds=i)) for i in range(30)]
    for alert in alerts:
        a.writer.save_alert(alert)
    training = make_alert(training=True)
    a.writer.save_alert(training).result(timeout=10)
    sync_once(a, central_db)
    b = open_store(tmp_path / "b.sqlite", "console-b")
    sync_once(b, central_db, batch_size=7)  # several pull windows
    with b.session() as session:
        pulled = queries.list_alerts(session)
    assert {x.id for x in pulled} == {x.id for x in alerts}  # training stays on its console
    assert all(x.evidence == () for x in pulled)
