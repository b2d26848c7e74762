"""Crash safety: SIGKILL during heavy writing loses nothing that was reported saved.

The child process saves alerts as fast as it can and, after each future completes,
writes the alert id to a file it flushes and fsyncs. The parent kills it mid-stream and
checks that every reported id is in the database.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import uuid
from concurrent.futures import Future
from datetime import timedelta
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]


def child(database: Path, confirmations: Path) -> None:
    from console.store.local import LocalStore
    from tests.core.test_store_support import T0, make_alert

    store = LocalStore.open(database, console_id="crash-child")
    with confirmations.open("a") as report:
        in_flight: list[tuple[uuid.UUID, Future[None]]] = []
        for i in range(10**9):
            alert = make_alert(at=T0 + timedelta(milliseconds=i))
            in_flight.append((alert.id, store.writer.save_alert(alert)))
            if len(in_flight) >= 50:  # keep the writer busy with a queue of jobs
                alert_id, future = in_flight.pop(0)
                future.result()
                report.write(f"{alert_id}\n")
                report.flush()
                os.fsync(report.fileno())


@pytest.mark.slow
def test_sigkill_during_heavy_writing_loses_no_confirmed_write(tmp_path: Path) -> None:
    from console.store import queries
    from console.store.local import LocalStore

    database, confirmations = tmp_path / "roadwatch.sqlite", tmp_path / "confirmed.txt"
    LocalStore.open(database).close()  # migrate first: the child must be writing when killed
    process = subprocess.Popen(
        [sys.executable, __file__, str(database), str(confirmations)], cwd=REPO
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and (
        not confirmations.exists() or confirmations.stat().st_size < 37 * 2000
    ):
        assert process.poll() is None, "the writer child died on its own"
        time.sleep(0.05)
    process.send_signal(signal.SIGKILL)
    process.wait(10)
    confirmed = [uuid.UUID(line) for line in confirmations.read_text().split()]
    assert len(confirmed) >= 2000
    store = LocalStore.open(database)
    try:
        with store.session() as session:
            saved = queries.count_alerts(session)
            missing = [i for i in confirmed if queries.get_alert(session, i) is None]
        assert missing == []
        assert saved >= len(confirmed)
        assert store.backlog() == saved  # every saved alert still has its outbox entry
    finally:
        store.close()


if __name__ == "__main__":
    sys.path.insert(0, str(REPO))
    child(Path(sys.argv[1]), Path(sys.argv[2]))
