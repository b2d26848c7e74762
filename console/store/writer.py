"""The one thread that writes to the local cache.

Callers (pipeline threads, the UI) submit a job and get a :class:`Future`; they never wait
on SQLite. Jobs run in submission order. The writer groups the jobs waiting in its queue
into one transaction, each job in its own SAVEPOINT, so one failing job does not undo the
others, and many small writes share one fsync. A future completes only after the
transaction committed: "saved" means on disk.
"""

from __future__ import annotations

import logging
import queue
import threading
import uuid
from collections.abc import Callable, Iterable
from concurrent.futures import Future
from dataclasses import dataclass, field
from datetime import datetime
from functools import partial
from typing import Any, TypeVar

from sqlalchemy import Connection, Engine

from console.config.site_file import SiteConfig
from console.domain.plates import PlateRead
from console.domain.records import Alert, AlertAction, AlertStatus
from console.store import plate_jobs, write_jobs
from console.store.records import AuditEntry, HealthIncident, TrafficCount
from console.thread_priority import lower_this_thread

log = logging.getLogger(__name__)

T = TypeVar("T")
Job = Callable[[Connection], T]
MAX_JOBS_PER_TRANSACTION = 500


class StoreClosedError(RuntimeError):
    """A write was submitted after the store was closed."""


@dataclass
class _Pending:
    job: Job[Any]
    future: Future[Any] = field(default_factory=Future)
    result: Any = None
    error: BaseException | None = None


_STOP = object()


class StoreWriter:
    """Serializes every write to one SQLite database on one thread."""

    def __init__(self, engine: Engine, console_id: str = "") -> None:
        self.engine = engine
        self.console_id = console_id
        self._queue: queue.Queue[Any] = queue.Queue()
        self._closed = False
        self._lock = threading.Lock()
        self._thread = threading.Thread(target=self._run, name="store-writer", daemon=True)
        self._thread.start()

    def submit(
        self,
        job: Job[T],
        on_success: Callable[[T], None] | None = None,
        on_failure: Callable[[BaseException], None] | None = None,
    ) -> Future[T]:
        """Run ``job(connection)`` on the writer thread.

        The callbacks run on the writer thread once the outcome is known; the Qt bridge
        re-posts them to the GUI thread.
        """
        pending = _Pending(job)
        future: Future[T] = pending.future
        if on_success is not None or on_failure is not None:
            future.add_done_callback(partial(_dispatch, on_success, on_failure))
        with self._lock:
            if self._closed:
                raise StoreClosedError("the local store is closed")
            self._queue.put(pending)
        return future

    def flush(self) -> Future[None]:
        """A barrier: completes once every job submitted before it has settled.

        Settled means committed (or failed) with its callbacks run; a training run waits on
        it before it is scored.
        """
        return self.submit(_nothing)

    # The application's writes. Each returns a future that completes once committed.
    def save_alert(self, alert: Alert) -> Future[None]:
        return self.submit(partial(write_jobs.save_alert, alert=alert, console_id=self.console_id))

    def apply_transition(self, alert_after: Alert, action: AlertAction) -> Future[None]:
        return self.submit(
            partial(write_jobs.apply_transition, alert_after=alert_after, action=action)
        )

    def save_remote_alert(self, alert: Alert) -> Future[bool]:
        """An alert from the site bus; the future says whether it was new here."""
        return self.submit(
            partial(write_jobs.save_remote_alert, alert=alert, console_id=self.console_id)
        )

    def save_remote_action(self, action: AlertAction) -> Future[AlertStatus | None]:
        return self.submit(partial(write_jobs.save_remote_action, action=action))

    def add_note(self, action: AlertAction) -> Future[None]:
        return self.submit(partial(write_jobs.add_note, action=action))

    def save_counts(self, rows: Iterable[TrafficCount]) -> Future[None]:
        return self.submit(partial(write_jobs.save_counts, counts=list(rows)))

    def save_health(self, incident: HealthIncident) -> Future[None]:
        return self.submit(partial(write_jobs.save_health, incident=incident))

    def append_audit(self, entry: AuditEntry) -> Future[None]:
        return self.submit(partial(write_jobs.append_audit, entry=entry))

    def set_legal_hold(
        self, alert_id: uuid.UUID, held: bool, *, actor: str, at: datetime
    ) -> Future[None]:
        return self.submit(
            partial(write_jobs.set_legal_hold, alert_id=alert_id, held=held, actor=actor, at=at)
        )

    def save_plate(self, alert: Alert, at: datetime) -> Future[None]:
        """The reader's plate of ``alert`` (kept out of the way of an operator's correction)."""
        if alert.plate is None:
            raise ValueError(f"alert {alert.id} has no plate to save")
        return self.submit(
            partial(
                plate_jobs.save_plate,
                alert_id=alert.id,
                plate=alert.plate,
                at=at,
                training=alert.training,
            )
        )

    def correct_plate(
        self, alert_id: uuid.UUID, plate: PlateRead, *, actor: str, at: datetime
    ) -> Future[PlateRead | None]:
        """An operator's plate; the future gives the plate it replaced (audited)."""
        return self.submit(
            partial(plate_jobs.correct_plate, alert_id=alert_id, plate=plate, actor=actor, at=at)
        )

    def watch_plate(self, text: str, reason: str, *, actor: str, at: datetime) -> Future[str]:
        return self.submit(
            partial(plate_jobs.watch_plate, text=text, reason=reason, actor=actor, at=at)
        )

    def unwatch_plate(self, text: str, *, actor: str, at: datetime) -> Future[bool]:
        return self.submit(partial(plate_jobs.unwatch_plate, text=text, actor=actor, at=at))

    def provision_site(self, site: SiteConfig, at: datetime) -> Future[None]:
        """Record the site and its cameras (call when a site file is opened or reloaded)."""
        return self.submit(partial(write_jobs.provision_site, site=site, at=at))

    def close(self, timeout: float | None = 30.0) -> None:
        """Finish the jobs already submitted, then stop the thread."""
        with self._lock:
            if self._closed:
                return
            self._closed = True
            self._queue.put(_STOP)
        self._thread.join(timeout)

    def _run(self) -> None:
        lower_this_thread()
        connection = self.engine.connect()
        try:
            while True:
                batch, stop = self._next_batch()
                if batch:
                    self._run_batch(connection, batch)
                if stop:
                    return
        finally:
            connection.close()

    def _next_batch(self) -> tuple[list[_Pending], bool]:
        first = self._queue.get()
        if first is _STOP:
            return [], True
        batch = [first]
        while len(batch) < MAX_JOBS_PER_TRANSACTION:
            try:
                item = self._queue.get_nowait()
            except queue.Empty:
                break
            if item is _STOP:
                return batch, True
            batch.append(item)
        return batch, False

    def _run_batch(self, connection: Connection, batch: list[_Pending]) -> None:
        try:
            with connection.begin():
                for pending in batch:
                    if not pending.future.set_running_or_notify_cancel():
                        continue
                    savepoint = connection.begin_nested()
                    try:
                        pending.result = pending.job(connection)
                    except Exception as exc:  # the job's own failure, reported to its caller
                        savepoint.rollback()
                        pending.error = exc
                    else:
                        savepoint.commit()
        except Exception as exc:  # the commit failed: nothing in this batch was saved
            log.exception("local store transaction failed")
            for pending in batch:
                if pending.future.running():
                    pending.future.set_exception(exc)
            return
        for pending in batch:
            if not pending.future.running():
                continue
            if pending.error is not None:
                pending.future.set_exception(pending.error)
            else:
                pending.future.set_result(pending.result)


def _nothing(_connection: Connection) -> None:
    return None


def _dispatch(
    on_success: Callable[[Any], None] | None,
    on_failure: Callable[[BaseException], None] | None,
    future: Future[Any],
) -> None:
    error = future.exception()
    if error is None:
        if on_success is not None:
            on_success(future.result())
    elif on_failure is not None:
        on_failure(error)
