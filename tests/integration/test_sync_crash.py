"""Crash test: SIGKILL the syncing process at random points, 20 times; nothing lost or doubled.

The child keeps writing alerts, actions and counts and syncing in small batches, so kills
land in every phase: local writes, central transactions, marking the outbox, pulls.
"""

from __future__ import annotations

import random
import signal
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from console.store.local import LocalStore
from console.sync import central_schema as central
from console.sync.central import CentralDb
from console.sync.worker import sync_once
from tests.conftest import StoreOpener
from tests.integration.test_sync_support import (  # noqa: F401 (fixtures by name)
    assert_central_matches_local,
    central_url_fixture,
)

REPO = Path(__file__).resolve().parents[2]
KILLS = 20

pytestmark = [pytest.mark.integration, pytest.mark.slow]


def child(database: Path, url: str, seed: int) -> None:
    from console.domain.alert_states import transition
    from console.domain.records import AlertStatus, utc_now
    from console.store.records import TrafficCount
    from tests.core.test_store_support import T0, make_alert

    rng = random.Random(seed)
    store = LocalStore.open(database, console_id="crash-console")
    db = CentralDb(url)
    print("ready", flush=True)
    for round_number in range(10**6):
        for i in range(rng.randint(5, 40)):
            at = T0 + timedelta(seconds=seed * 10_000 + round_number * 100 + i)
            alert = make_alert(camera_id=f"cam-{i % 3}", at=at)
            store.writer.save_alert(alert)
            if i % 4 == 0:
                acked, ack = transition(alert, AlertStatus.ACKNOWLEDGED, actor="op", at=utc_now())
                store.writer.apply_transition(acked, ack)
            store.writer.save_counts([TrafficCount(f"cam-{i % 3}", "car", at, i)])
        sync_once(store, db, batch_size=rng.choice([10, 50, 200]))


def test_sigkill_while_syncing_20_times_leaves_central_equal_to_local(
    central_url: str, open_store: StoreOpener, tmp_path: Path
) -> None:
    database = tmp_path / "roadwatch.sqlite"
    LocalStore.open(database).close()
    rng = random.Random(6)
    for kill in range(KILLS):
        process = subprocess.Popen(
            [sys.executable, __file__, str(database), central_url, str(kill)],
            cwd=REPO,
            stdout=subprocess.PIPE,
            text=True,
        )
        assert process.stdout is not None
        assert process.stdout.readline().strip() == "ready", "the sync child did not start"
        time.sleep(rng.uniform(0.05, 0.8))
        assert process.poll() is None, "the sync child died on its own"
        process.send_signal(signal.SIGKILL)
        process.wait(10)
        process.stdout.close()

    store = open_store(database, "crash-console")
    db = CentralDb(central_url)
    try:
        sync_once(store, db)
        assert_central_matches_local(store, db)
        with db.engine.connect() as connection:
            alerts = connection.execute(select(func.count()).select_from(central.alerts)).scalar()
            superseded = connection.execute(
                select(func.count()).where(central.actions.c.superseded.is_(True))
            ).scalar_one()
        assert alerts and alerts > KILLS * 5
        assert superseded == 0  # no action was replayed twice after a kill
    finally:
        db.dispose()


if __name__ == "__main__":
    sys.path.insert(0, str(REPO))
    child(Path(sys.argv[1]), sys.argv[2], int(sys.argv[3]))
