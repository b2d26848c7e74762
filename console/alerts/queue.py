"""The alerts a console holds in memory: every open alert, and closed ones for a while.

Open alerts stay until they are closed. A closed alert (resolved, false positive) stays for
``resolved_keep_s`` (ten minutes by default) so the operator still sees what was just done,
then leaves memory: a console that runs for months does not grow. Older alerts are read from
the store on demand (:meth:`AlertQueue.find`), off the caller's thread.

The queue holds committed state only: an operator's action changes it once its write is
committed (see :mod:`console.alerts.actions`).
"""

from __future__ import annotations

import threading
import time
import uuid
from collections.abc import Callable, Iterable, Iterator, Mapping
from concurrent.futures import Future

from console.domain.records import Alert

DEFAULT_RESOLVED_KEEP_S = 600.0
# Reads one stored alert (None when the store does not know it), off the caller's thread.
StoredAlertLookup = Callable[[uuid.UUID], Future[Alert | None]]


class AlertQueue(Mapping[uuid.UUID, Alert]):
    """A thread-safe mapping of alert id to the alert's committed state, closed ones pruned.

    Reading it (``get``, ``in``, ``values()``...) sees a snapshot; only :meth:`put`,
    :meth:`update` and :meth:`restore` change it.
    """

    def __init__(
        self,
        *,
        resolved_keep_s: float | None = DEFAULT_RESOLVED_KEEP_S,
        clock: Callable[[], float] = time.monotonic,
        lookup: StoredAlertLookup | None = None,
    ) -> None:
        """``resolved_keep_s`` None keeps closed alerts for good (a training run scores them)."""
        if resolved_keep_s is not None and resolved_keep_s < 0:
            raise ValueError(f"resolved_keep_s must be >= 0 or None, got {resolved_keep_s}")
        self.resolved_keep_s = resolved_keep_s
        self.clock = clock
        self.lookup = lookup
        self._alerts: dict[uuid.UUID, Alert] = {}
        # When each closed alert was closed, in closing order (the oldest leaves first).
        self._closed_at: dict[uuid.UUID, float] = {}
        self._lock = threading.Lock()

    # ---- Mapping ------------------------------------------------------------------------

    def __getitem__(self, alert_id: uuid.UUID) -> Alert:
        with self._lock:
            self._prune_locked()
            return self._alerts[alert_id]

    def __iter__(self) -> Iterator[uuid.UUID]:
        with self._lock:
            self._prune_locked()
            return iter(list(self._alerts))

    def __len__(self) -> int:
        with self._lock:
            self._prune_locked()
            return len(self._alerts)

    def values(self) -> list[Alert]:  # type: ignore[override]
        """A snapshot of the alerts in memory (a list: safe while other threads change it)."""
        with self._lock:
            self._prune_locked()
            return list(self._alerts.values())

    def items(self) -> list[tuple[uuid.UUID, Alert]]:  # type: ignore[override]
        with self._lock:
            self._prune_locked()
            return list(self._alerts.items())

    # ---- changes ------------------------------------------------------------------------

    def put(self, alert: Alert) -> Alert:
        """Hold ``alert`` (new, or its latest committed state)."""
        with self._lock:
            self._hold_locked(alert)
            self._prune_locked()
        return alert

    def update(self, alert_id: uuid.UUID, change: Callable[[Alert], Alert]) -> Alert | None:
        """Apply ``change`` to the alert held now, atomically; None when it is not held."""
        with self._lock:
            current = self._alerts.get(alert_id)
            if current is None:
                return None
            updated = change(current)
            self._hold_locked(updated)
            return updated

    def restore(self, alerts: Iterable[Alert]) -> None:
        """Alerts read back from the store at start; ones already held are kept as they are."""
        with self._lock:
            for alert in alerts:
                if alert.id not in self._alerts:
                    self._hold_locked(alert)

    def open_alerts(self) -> list[Alert]:
        with self._lock:
            return [a for a in self._alerts.values() if not a.status.is_terminal]

    def prune(self) -> list[uuid.UUID]:
        """Drop the closed alerts kept longer than ``resolved_keep_s``; returns their ids."""
        with self._lock:
            return self._prune_locked()

    # ---- older alerts -------------------------------------------------------------------

    def find(self, alert_id: uuid.UUID) -> Future[Alert | None]:
        """The alert from memory, else as stored (read on the store's reader thread).

        The future is already done for an alert in memory or without a store.
        """
        with self._lock:
            held = self._alerts.get(alert_id)
        if held is not None or self.lookup is None:
            done: Future[Alert | None] = Future()
            done.set_result(held)
            return done
        return self.lookup(alert_id)

    # ---- inside the lock ----------------------------------------------------------------

    def _hold_locked(self, alert: Alert) -> None:
        self._alerts[alert.id] = alert
        if not alert.status.is_terminal:
            self._closed_at.pop(alert.id, None)
        elif alert.id not in self._closed_at:
            self._closed_at[alert.id] = self.clock()

    def _prune_locked(self) -> list[uuid.UUID]:
        if self.resolved_keep_s is None or not self._closed_at:
            return []
        deadline = self.clock() - self.resolved_keep_s
        gone = []
        for alert_id, closed_at in self._closed_at.items():  # oldest first
            if closed_at > deadline:
                break
            gone.append(alert_id)
        for alert_id in gone:
            del self._closed_at[alert_id]
            self._alerts.pop(alert_id, None)
        return gone
