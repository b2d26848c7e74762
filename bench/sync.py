"""Sync benchmark: push rate, 100 000-event backlog drain, console-to-console latency.

    .venv/bin/python bench/sync.py [--server postgresql://postgres@127.0.0.1:5432]

Uses a throw-away database on the server (created and dropped here) and temporary SQLite
files. Prints progress, then ONE JSON object on the last line.
"""

from __future__ import annotations

import argparse
import json
import secrets
import statistics
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

import psycopg

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from console.domain.alert_states import transition  # noqa: E402
from console.domain.records import (  # noqa: E402
    Alert,
    AlertStatus,
    AlertType,
    Event,
    EvidenceRef,
    Severity,
    frozen_values,
    utc_now,
)
from console.store import queries  # noqa: E402
from console.store.local import LocalStore  # noqa: E402
from console.sync.central import CentralDb  # noqa: E402
from console.sync.push import push_batch  # noqa: E402
from console.sync.worker import SyncWorker, sync_once  # noqa: E402

T0 = utc_now() - timedelta(days=1)


def make_alert(i: int) -> Alert:
    at = T0 + timedelta(milliseconds=i)
    event = Event(
        AlertType.STOPPED_VEHICLE,
        f"cam-{i % 64}",
        at,
        at + timedelta(seconds=3),
        Severity.HIGH,
        track_id=i,
        class_name="car",
        box_xyxy=(10.0, 20.0, 110.0, 220.0),
        values=frozen_values({"dwell_s": 31.5, "lane": "2"}),
        rule_id="stop-1",
        message="stopped vehicle",
    )
    evidence = (  # metadata only: the files are not part of this measurement
        EvidenceRef("snapshot", f"{i:064x}", "", 180_000),
        EvidenceRef("clip", f"{i + 10**12:064x}", "", 2_400_000),
    )
    return Alert(event, Severity.HIGH, created_at=at, updated_at=at, evidence=evidence)


def fill(store: LocalStore, count: int, offset: int) -> float:
    started = time.perf_counter()
    for i in range(offset, offset + count):
        store.writer.save_alert(make_alert(i))
    store.writer.submit(lambda c: None).result()
    return time.perf_counter() - started


def push_all(store: LocalStore, db: CentralDb, batch: int) -> float:
    started = time.perf_counter()
    while push_batch(store, db, batch):
        pass
    return time.perf_counter() - started


def measure_pull_latency(folder: Path, url: str, samples: int) -> list[float]:
    a = LocalStore.open(folder / "a.sqlite", console_id="console-a")
    b = LocalStore.open(folder / "b.sqlite", console_id="console-b")
    db_a, db_b = CentralDb(url), CentralDb(url)
    alerts = [make_alert(10**7 + i) for i in range(samples)]
    for alert in alerts:
        a.writer.save_alert(alert)
    sync_once(a, db_a)
    sync_once(b, db_b)
    workers = [SyncWorker(a, db_a, interval_s=0.5), SyncWorker(b, db_b, interval_s=0.5)]
    for worker in workers:
        worker.start()
    latencies = []
    try:
        for alert in alerts:
            acked, action = transition(
                alert, AlertStatus.ACKNOWLEDGED, actor="op-a", at=utc_now(), console_id="console-a"
            )
            started = time.perf_counter()
            a.writer.apply_transition(acked, action).result()
            workers[0].wake()  # what the UI does after an operator action
            while True:
                with b.session() as session:
                    seen = queries.get_alert(session, alert.id)
                if seen is not None and seen.status is AlertStatus.ACKNOWLEDGED:
                    break
                time.sleep(0.005)
            latencies.append((time.perf_counter() - started) * 1000)
            time.sleep(0.137)  # decorrelate from the poll interval
    finally:
        for worker in workers:
            worker.stop()
        for store in (a, b):
            store.close()
        db_a.dispose()
        db_b.dispose()
    return latencies


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--server", default="postgresql://postgres@127.0.0.1:5432")
    parser.add_argument("--backlog", type=int, default=100_000)
    parser.add_argument("--push-events", type=int, default=20_000)
    parser.add_argument("--samples", type=int, default=60)
    parser.add_argument("--batch", type=int, default=2000)
    args = parser.parse_args()
    name = f"roadwatch_bench_{secrets.token_hex(4)}"
    with psycopg.connect(f"{args.server}/test", autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    url = f"{args.server}/{name}"
    try:
        with tempfile.TemporaryDirectory() as tmp:
            folder = Path(tmp)
            store = LocalStore.open(folder / "push.sqlite", console_id="bench")
            db = CentralDb(url)
            db.ensure_schema()
            fill(store, args.push_events, 0)
            push_s = push_all(store, db, args.batch)
            push_rate = args.push_events / push_s
            print(f"push: {args.push_events} events in {push_s:.2f} s", file=sys.stderr)

            fill_s = fill(store, args.backlog, args.push_events)
            print(f"local save: {args.backlog} alerts in {fill_s:.2f} s", file=sys.stderr)
            started = time.perf_counter()
            report = sync_once(store, db, batch_size=args.batch)
            drain_s = time.perf_counter() - started
            assert store.backlog() == 0 and report.pushed == args.backlog, report
            print(f"drain: {args.backlog} events in {drain_s:.2f} s ({report})", file=sys.stderr)
            store.close()
            db.dispose()

            latencies = measure_pull_latency(folder, url, args.samples)
    finally:
        with psycopg.connect(f"{args.server}/test", autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    result = {
        "push_events_per_s": round(push_rate),
        "drain_100k_s": round(drain_s, 2),
        "backlog_events": args.backlog,
        "pull_p50_ms": round(statistics.median(latencies)),
        "pull_p95_ms": round(statistics.quantiles(latencies, n=20)[-1]),
        "local_save_events_per_s": round(args.backlog / fill_s),
        "evidence_refs_per_event": 2,
        "batch": args.batch,
        "targets": {"push_events_per_s": 2000, "drain_100k_s": 60, "pull_p95_ms": 2000},
    }
    print(json.dumps(result))


if __name__ == "__main__":
    main()
