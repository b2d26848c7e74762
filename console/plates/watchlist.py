"""The watch-list: a plate read on any camera that is listed raises a priority alert.

The list lives in the local store (``watchlist_plates``; added, removed and audited
through ``roadwatch watchlist`` or the alert detail). The monitor keeps it in memory,
reloaded every :data:`RELOAD_S` seconds and at once after a change made here, and
compares the search key of every plate read (the reader's or an operator's).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable

from console.domain.records import Alert, AlertType, Event, Severity, frozen_values
from console.store import plate_jobs
from console.store.local import LocalStore

log = logging.getLogger(__name__)

RELOAD_S = 10.0
WATCHLIST_PRIORITY = Severity.CRITICAL


def watchlist_alert(alert: Alert, reason: str) -> Alert:
    """The priority alert for a listed plate read on ``alert``'s vehicle (same evidence)."""
    assert alert.plate is not None
    source = alert.event
    plate = alert.plate
    message = f"watch-list plate {plate.text}" + (f": {reason}" if reason else "")
    event = Event(
        type=AlertType.WATCHLIST,
        camera_id=source.camera_id,
        started_at=source.started_at,
        ended_at=source.ended_at,
        severity=WATCHLIST_PRIORITY,
        track_id=source.track_id,
        class_name=source.class_name,
        box_xyxy=source.box_xyxy,
        values=frozen_values(
            {
                "plate": plate.text,
                "reason": reason,
                "seen_in_alert": str(alert.id),
                "seen_for": source.type.value,
            }
        ),
        rule_id=f"watchlist:{plate.key}",
        message=message,
    )
    return Alert(
        event=event,
        priority=WATCHLIST_PRIORITY,
        evidence=alert.evidence,
        training=alert.training,
        plate=plate,
    )


class WatchlistMonitor:
    """Compares each plate read with the watch-list and raises a priority alert on a match."""

    def __init__(
        self,
        store: LocalStore,
        raise_alert: Callable[[Alert], None],
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.store = store
        self.raise_alert = raise_alert
        self.clock = clock
        self._listed: dict[str, str] = {}
        self._loaded_at = float("-inf")
        self._lock = threading.Lock()
        self._raised: set[tuple[str, str]] = set()  # (plate key, camera:track) already raised

    def reload(self) -> None:
        with self.store.session() as session:
            listed = {entry.key: entry.reason for entry in plate_jobs.watchlist(session)}
        with self._lock:
            self._listed = listed
            self._loaded_at = self.clock()

    def listed(self, key: str) -> str | None:
        """The reason ``key`` is listed, or None."""
        if self.clock() - self._loaded_at >= RELOAD_S:
            try:
                self.reload()
            except Exception:  # the store may be closing: keep the last list
                log.exception("watch-list could not be reloaded")
        with self._lock:
            return self._listed.get(key)

    def __call__(self, alert: Alert) -> None:
        """A plate listener (AlertService.plate_listeners)."""
        plate = alert.plate
        if plate is None or alert.type is AlertType.WATCHLIST:
            return
        reason = self.listed(plate.key)
        if reason is None:
            return
        seen = (plate.key, f"{alert.camera_id}:{alert.event.track_id}")
        with self._lock:
            if seen in self._raised:  # one vehicle, several alerts: one watch-list alert
                return
            self._raised.add(seen)
        log.warning("watch-list plate %s read on %s", plate.text, alert.camera_id)
        self.raise_alert(watchlist_alert(alert, reason))
