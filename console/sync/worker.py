"""The background sync loop, one round of it (``sync_once``), and its status for the UI."""

from __future__ import annotations

import logging
import random
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime
from enum import StrEnum

from sqlalchemy.exc import DBAPIError, OperationalError

from console.config.secrets import redact
from console.config.site import CentralSettings
from console.domain.records import utc_now
from console.store.local import LocalStore
from console.sync.central import CentralDb
from console.sync.evidence_upload import upload_evidence
from console.sync.pull import pull_changes
from console.sync.push import push_batch
from console.thread_priority import lower_this_thread

log = logging.getLogger(__name__)

DEFAULT_BATCH = 2000


class SyncState(StrEnum):
    IDLE = "idle"  # caught up, waiting for the next round
    SYNCING = "syncing"
    OFFLINE = "offline"  # central storage unreachable; retrying with backoff
    ERROR = "error"  # central storage answered with an error; retrying with backoff
    STOPPED = "stopped"


@dataclass(frozen=True, slots=True)
class SyncStatus:
    """What the status bar shows about central sync."""

    state: SyncState = SyncState.STOPPED
    last_success_at: datetime | None = None
    backlog: int = 0
    pending_evidence: int = 0
    last_error: str = ""
    next_attempt_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class SyncReport:
    pushed: int = 0
    uploaded: int = 0
    pulled: int = 0


def sync_once(
    store: LocalStore, db: CentralDb, *, batch_size: int = DEFAULT_BATCH, max_batches: int = 0
) -> SyncReport:
    """Push the outbox (all of it unless ``max_batches``), upload evidence, pull changes.

    Pushing first means this console's own superseded actions come back in the same round.
    """
    pushed = batches = 0
    while True:
        done = push_batch(store, db, batch_size)
        pushed += done
        batches += 1
        if done < batch_size or (max_batches and batches >= max_batches):
            break
    uploaded = 0
    while (confirmed := upload_evidence(store, db)) > 0:
        uploaded += confirmed
    pulled = 0
    while (changes := pull_changes(store, db, batch_size)) > 0:
        pulled += changes
    return SyncReport(pushed, uploaded, pulled)


def describe_error(error: BaseException) -> str:
    """One line for the status bar and the log, with secrets masked."""
    if isinstance(error, OperationalError):
        text = f"central storage unreachable: {error.orig or error}"
    elif isinstance(error, DBAPIError):
        text = f"central storage error: {error.orig or error}"
    else:
        text = f"{type(error).__name__}: {error}"
    return redact(" ".join(text.split()))[:500]


class SyncWorker:
    """Runs :func:`sync_once` in a background thread, with exponential backoff on failure."""

    def __init__(
        self,
        store: LocalStore,
        db: CentralDb,
        *,
        interval_s: float = 0.5,
        backoff_initial_s: float = 1.0,
        backoff_max_s: float = 60.0,
        batch_size: int = DEFAULT_BATCH,
        on_status: Callable[[SyncStatus], None] | None = None,
    ) -> None:
        self.store = store
        self.db = db
        self.interval_s = interval_s
        self.backoff_initial_s = backoff_initial_s
        self.backoff_max_s = backoff_max_s
        self.batch_size = batch_size
        self.on_status = on_status
        self._status = SyncStatus()
        self._status_lock = threading.Lock()
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self.failures = 0

    @property
    def status(self) -> SyncStatus:
        with self._status_lock:
            return self._status

    def start(self) -> None:
        if self._thread is not None:
            return
        self._stop.clear()
        self._thread = threading.Thread(target=self._run, name="central-sync", daemon=True)
        self._thread.start()

    def wake(self) -> None:
        """Sync now rather than at the next interval (e.g. right after an operator action)."""
        self._wake.set()

    def stop(self, timeout: float = 30.0) -> None:
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout)
            self._thread = None
        self._set_status(state=SyncState.STOPPED, next_attempt_at=None)

    def wait_stopped(self, timeout: float | None = None) -> bool:
        """Block until :meth:`stop` is called (or ``timeout``); True once stopped."""
        return self._stop.wait(timeout)

    def backoff_delay(self) -> float:
        """Seconds before the next attempt after ``failures`` failures in a row (jittered)."""
        delay = min(self.backoff_max_s, self.backoff_initial_s * 2 ** max(0, self.failures - 1))
        return delay * random.uniform(0.8, 1.2)

    def _run(self) -> None:
        lower_this_thread()
        while not self._stop.is_set():
            delay = self.run_round()
            self._wake.wait(delay)
            self._wake.clear()

    def run_round(self) -> float:
        """One sync round with status updates; returns the seconds to wait before the next."""
        self._set_status(state=SyncState.SYNCING)
        try:
            sync_once(self.store, self.db, batch_size=self.batch_size)
        except Exception as exc:  # any failure is retried; the outbox keeps the changes
            self.failures += 1
            delay = self.backoff_delay()
            message = describe_error(exc)
            log.warning("central sync failed (attempt %d): %s", self.failures, message)
            state = SyncState.OFFLINE if isinstance(exc, OperationalError) else SyncState.ERROR
            self._set_status(
                state=state,
                last_error=message,
                next_attempt_at=datetime.fromtimestamp(time.time() + delay, utc_now().tzinfo),
                **self._backlog(),
            )
            return delay
        self.failures = 0
        self._set_status(
            state=SyncState.IDLE,
            last_success_at=utc_now(),
            last_error="",
            next_attempt_at=None,
            **self._backlog(),
        )
        return self.interval_s

    def _backlog(self) -> dict[str, int]:
        try:
            return {
                "backlog": self.store.backlog(),
                "pending_evidence": self.store.pending_evidence(),
            }
        except Exception:  # a status read must never stop the loop
            log.exception("could not read the sync backlog")
            return {}

    def _set_status(self, **changes: object) -> None:
        with self._status_lock:
            self._status = replace(self._status, **changes)  # type: ignore[arg-type]
            status = self._status
        if self.on_status is not None:
            self.on_status(status)


def site_sync_worker(store: LocalStore, central: CentralSettings | None) -> SyncWorker | None:
    """The background sync a site asks for (None without a central database).

    A ``${VAR}`` of the central URL that is not set disables sync with a log line; the
    console or analysis node keeps working on its local store.
    """
    if central is None:
        return None
    try:
        db = CentralDb.from_settings(central)
    except LookupError as error:
        log.error("central sync disabled: %s", error)
        return None
    return SyncWorker(store, db)
