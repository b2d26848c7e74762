"""The alert queue keeps closed alerts for a while only; actions show once committed."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event

from console.alerts.patrol import UnitStatus
from console.alerts.queue import AlertQueue
from console.alerts.service import AlertService
from console.domain.records import (
    Alert,
    AlertAction,
    AlertStatus,
    AlertType,
    Event,
    Severity,
    utc_now,
)
from console.store import queries
from console.store.local import LocalStore
from console.store.sink import StoreSink
from console.store.writer import StoreClosedError
from tests.core.test_alerting import service

KEEP_S = 600.0


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def new_alert(camera_id: str = "cam") -> Alert:
    at = utc_now()
    event = Event(AlertType.STOPPED_VEHICLE, camera_id, at, at, Severity.HIGH)
    return Alert(event, Severity.HIGH, created_at=at, updated_at=at)


@pytest.fixture
def store(tmp_path: Path) -> Iterator[LocalStore]:
    with LocalStore.open(tmp_path / "local.sqlite3", console_id="console-1") as opened:
        yield opened


def stored_service(store: LocalStore, clock: Clock | None = None) -> AlertService:
    alerts = service()
    return AlertService(
        alerts.site,
        sink=StoreSink(store),
        console_id="console-1",
        lookup=store.reader.get_alert,
        clock=clock or Clock(),
        resolved_keep_s=KEEP_S,
    )


def stored(store: LocalStore, alert: Alert) -> Alert | None:
    with store.session() as session:
        return queries.get_alert(session, alert.id)


# ---- the queue state ------------------------------------------------------------------


def test_closed_alerts_leave_memory_after_the_retention_open_ones_never() -> None:
    clock = Clock()
    queue = AlertQueue(resolved_keep_s=KEEP_S, clock=clock)
    still_open, closed = new_alert(), new_alert()
    queue.put(still_open)
    queue.put(closed.evolve(status=AlertStatus.RESOLVED))
    clock.now += KEEP_S - 1
    assert set(queue) == {still_open.id, closed.id}
    queue.put(closed.evolve(status=AlertStatus.RESOLVED))  # a later change keeps its close time
    clock.now += 2
    assert list(queue) == [still_open.id]
    assert queue.get(closed.id) is None and len(queue) == 1
    clock.now += 10 * KEEP_S
    assert queue.open_alerts() == [still_open]
    assert AlertQueue(resolved_keep_s=None, clock=clock).prune() == []


def test_a_pruned_alert_is_read_back_from_the_store(store: LocalStore) -> None:
    clock = Clock()
    alerts = stored_service(store, clock)
    alert = new_alert()
    alerts.raise_alert(alert)
    alerts.act(alert.id, AlertStatus.FALSE_POSITIVE, actor="op1", note="shadow").result(10)
    assert alerts.find(alert.id).done()  # still in memory: no read
    clock.now += KEEP_S + 1
    assert alert.id not in alerts.alerts
    found = alerts.find(alert.id).result(10)
    assert found is not None and found.status is AlertStatus.FALSE_POSITIVE
    assert alerts.find(new_alert().id).result(10) is None


# ---- actions confirmed by the commit --------------------------------------------------


def hold_writer(store: LocalStore) -> threading.Event:
    """Keep the single writer busy until the returned event is set."""
    release = threading.Event()
    store.writer.submit(lambda _connection: release.wait(10))
    return release


def test_an_action_shows_only_after_its_write_is_committed(store: LocalStore) -> None:
    alerts = stored_service(store)
    alert = new_alert()
    alerts.raise_alert(alert)
    changes: list[tuple[AlertStatus, str]] = []
    alerts.change_listeners.append(lambda a, action: changes.append((a.status, action.action)))
    release = hold_writer(store)
    acknowledged = alerts.act(alert.id, AlertStatus.ACKNOWLEDGED, actor="op1")
    dispatched = alerts.act(alert.id, AlertStatus.DISPATCHED, actor="op1")  # checked against A
    assert not acknowledged.done() and not dispatched.done()
    assert changes == []
    assert alerts.alerts[alert.id].status is AlertStatus.NEW
    assert alerts.actions.pending(alert.id)
    release.set()
    assert dispatched.result(10).status is AlertStatus.DISPATCHED
    assert changes == [
        (AlertStatus.ACKNOWLEDGED, "acknowledged"),
        (AlertStatus.DISPATCHED, "dispatched"),
    ]
    assert alerts.alerts[alert.id].assigned_unit == "CSGT-NEAR"
    assert not alerts.actions.pending(alert.id)
    saved = stored(store, alert)
    assert saved is not None and saved.status is AlertStatus.DISPATCHED


def disk_full_on(store: LocalStore, table: str) -> None:
    def refuse(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        if statement.startswith(f"UPDATE {table}"):
            raise sqlite3.OperationalError("database or disk is full")

    event.listen(store.write_engine, "before_cursor_execute", refuse)


def test_a_failed_write_reaches_the_listeners_and_leaves_the_alert_as_it_was(
    store: LocalStore,
) -> None:
    alerts = stored_service(store)
    alert = new_alert()
    alerts.raise_alert(alert)
    alerts.act(alert.id, AlertStatus.ACKNOWLEDGED, actor="op1").result(10)
    disk_full_on(store, "alerts")
    changes: list[AlertAction] = []
    failures: list[tuple[AlertStatus, str, BaseException]] = []
    alerts.change_listeners.append(lambda _a, action: changes.append(action))
    alerts.failure_listeners.append(
        lambda a, action, error: failures.append((a.status, action.action, error))
    )
    dispatched = alerts.act(alert.id, AlertStatus.DISPATCHED, actor="op1")
    with pytest.raises(Exception, match="disk is full"):
        dispatched.result(10)
    assert changes == []
    [(status, action, error)] = failures
    assert (status, action) == (AlertStatus.ACKNOWLEDGED, "dispatched")
    assert "disk is full" in str(error)
    assert alerts.alerts[alert.id].status is AlertStatus.ACKNOWLEDGED
    assert alerts.alerts[alert.id].assigned_unit is None
    units = {u.call_sign: u for u in alerts.patrol.units()}
    assert units["CSGT-NEAR"].status is UnitStatus.AVAILABLE  # the reservation is given back
    saved = stored(store, alert)
    assert saved is not None and saved.status is AlertStatus.ACKNOWLEDGED


def test_an_action_after_the_store_closed_fails_cleanly(store: LocalStore) -> None:
    alerts = stored_service(store)
    alert = new_alert()
    alerts.raise_alert(alert)
    store.close()
    failures: list[BaseException] = []
    alerts.failure_listeners.append(lambda _a, _action, error: failures.append(error))
    future = alerts.act(alert.id, AlertStatus.ACKNOWLEDGED, actor="op1")
    with pytest.raises(StoreClosedError):
        future.result(1)
    note = alerts.note(alert.id, actor="op1", text="called the unit")
    with pytest.raises(StoreClosedError):
        note.result(1)
    assert len(failures) == 2 and alerts.alerts[alert.id].status is AlertStatus.NEW
    with pytest.raises(StoreClosedError):
        store.reader.get_alert(alert.id).result(1)


def test_reads_run_on_the_reader_thread_in_order(store: LocalStore) -> None:
    threads: list[str] = []

    def query(_session: Any) -> int:
        threads.append(threading.current_thread().name)
        return len(threads)

    futures = [store.reader.submit(query) for _ in range(3)]
    assert [f.result(10) for f in futures] == [1, 2, 3]
    assert len(set(threads)) == 1 and threads[0].startswith("store-reader")
    assert threads[0] != threading.current_thread().name
