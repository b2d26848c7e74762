"""Sync with central storage unreachable: the console keeps saving; status says why."""

from __future__ import annotations

import socket

from console.store.local import LocalStore
from console.sync.central import CentralDb, psycopg_url
from console.sync.worker import SyncState, SyncStatus, SyncWorker
from tests.core.test_store_support import make_alert


def closed_port() -> int:
    """A local port nobody listens on (bound, then released)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_unreachable_central_gives_offline_status_with_backoff(store: LocalStore) -> None:
    store.writer.save_alert(make_alert()).result(timeout=10)
    db = CentralDb(f"postgresql://roadwatch@127.0.0.1:{closed_port()}/central")
    seen: list[SyncStatus] = []
    worker = SyncWorker(store, db, backoff_initial_s=1.0, backoff_max_s=8.0, on_status=seen.append)
    try:
        delays = [worker.run_round() for _ in range(5)]
    finally:
        db.dispose()
    status = worker.status
    assert status.state is SyncState.OFFLINE
    assert status.last_error.startswith("central storage unreachable")
    assert status.backlog == 1 and status.last_success_at is None
    assert status.next_attempt_at is not None
    assert 0.8 <= delays[0] <= 1.2 and 6.4 <= delays[-1] <= 9.6  # doubling, capped, jittered
    assert [s.state for s in seen[:2]] == [SyncState.SYNCING, SyncState.OFFLINE]


def test_psycopg_driver_is_chosen_for_plain_postgresql_urls() -> None:
    assert psycopg_url("postgresql://u@h/db") == "postgresql+psycopg://u@h/db"
    assert psycopg_url("postgresql+psycopg://u@h/db") == "postgresql+psycopg://u@h/db"
