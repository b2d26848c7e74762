"""Local retention decides from the store alone: confirmed, unheld, synced items only."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from sqlalchemy import Connection, select, update

from console.domain.alert_states import transition
from console.domain.records import Alert, AlertStatus
from console.retention.store import prune_local
from console.security.permits import RETENTION_JOB
from console.store import queries
from console.store.local import LocalStore
from console.store.models import AUDIT, EVIDENCE, OUTBOX
from tests.core.test_store_support import T0, make_alert, write_evidence

NOW = T0 + timedelta(days=100)


def confirm_centrally(store: LocalStore, alert: Alert) -> None:
    """What a successful sync records: outbox done, evidence verified centrally."""

    def job(connection: Connection) -> None:
        connection.execute(update(OUTBOX).values(done_at=NOW))
        connection.execute(
            update(EVIDENCE)
            .where(EVIDENCE.c.alert_id == alert.id)
            .values(central_state="confirmed")
        )

    store.writer.submit(job).result(timeout=10)


def saved(store: LocalStore, folder: Path, days_old: int, content: bytes) -> Alert:
    alert = make_alert(
        at=NOW - timedelta(days=days_old), evidence=(write_evidence(folder, content),)
    )
    store.writer.save_alert(alert).result(timeout=10)
    return alert


def local_paths(store: LocalStore) -> set[str]:
    with store.session() as session:
        return set(session.execute(select(EVIDENCE.c.local_path)).scalars()) - {None}


def test_only_confirmed_unheld_synced_evidence_is_pruned(store: LocalStore, tmp_path: Path) -> None:
    old_synced = saved(store, tmp_path, 95, b"old and synced")
    confirm_centrally(store, old_synced)
    old_held = saved(store, tmp_path, 95, b"old, held")
    confirm_centrally(store, old_held)
    store.writer.set_legal_hold(old_held.id, True, actor="sup", at=NOW).result(timeout=10)
    old_unsynced = saved(store, tmp_path, 95, b"old, never reached central")
    recent = saved(store, tmp_path, 1, b"recent")
    confirm_centrally(store, recent)

    report = prune_local(store, now=NOW, max_age=timedelta(days=90), actor=RETENTION_JOB)

    assert report.evidence_pruned == 1
    assert not Path(old_synced.evidence[0].path).exists()
    for kept in (old_held, old_unsynced, recent):
        assert Path(kept.evidence[0].path).exists()
        assert kept.evidence[0].path in local_paths(store)
    with store.session() as session:
        audit = list(session.execute(select(AUDIT.c.action, AUDIT.c.details)))
        assert queries.get_alert(session, old_synced.id) is not None  # still open: kept
    pruned = [details for action, details in audit if action == "evidence.pruned"]
    assert [d["sha256"] for d in pruned] == [old_synced.evidence[0].sha256]


def test_disk_budget_prunes_oldest_confirmed_first(store: LocalStore, tmp_path: Path) -> None:
    alerts = [saved(store, tmp_path, 10 - i, bytes([i]) * 1000) for i in range(5)]
    for alert in alerts:
        confirm_centrally(store, alert)
    report = prune_local(
        store, now=NOW, max_age=timedelta(days=90), budget_bytes=2500, actor=RETENTION_JOB
    )
    assert report.evidence_pruned == 3
    assert local_paths(store) == {a.evidence[0].path for a in alerts[3:]}


def test_old_closed_alerts_are_deleted_once_their_files_are_gone(
    store: LocalStore, tmp_path: Path
) -> None:
    alert = saved(store, tmp_path, 95, b"closed case")
    acked, ack = transition(alert, AlertStatus.ACKNOWLEDGED, actor="op", at=alert.created_at)
    closed, close = transition(
        acked, AlertStatus.RESOLVED, actor="op", at=alert.created_at, note="towed"
    )
    store.writer.apply_transition(acked, ack).result(timeout=10)
    store.writer.apply_transition(closed, close).result(timeout=10)
    prune_local(store, now=NOW, max_age=timedelta(days=90), actor=RETENTION_JOB)
    with store.session() as session:
        assert queries.get_alert(session, alert.id) is not None  # its actions are unsynced
    confirm_centrally(store, alert)
    report = prune_local(store, now=NOW, max_age=timedelta(days=90), actor=RETENTION_JOB)
    assert (report.evidence_pruned, report.alerts_pruned) == (1, 1)
    with store.session() as session:
        assert queries.get_alert(session, alert.id) is None
        actions = set(session.execute(select(AUDIT.c.action)).scalars())
    assert {"evidence.pruned", "alert.pruned"} <= actions
