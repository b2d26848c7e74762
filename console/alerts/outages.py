"""Camera outages: kept in the local store (synced to central) and listed for the handover.

Each camera's fall from live (offline, error, stalled) opens a health incident; its
return to live closes it. Incidents are written through the store's single writer, so the
handover of a console restarted mid-shift still lists the outages before the restart,
and supervisors see every console's outages in the central database. An incident still
open when the console stopped is closed at the next start: nobody watched the camera in
between, so the record ends where the knowledge ends.
"""

from __future__ import annotations

import logging
import threading
from concurrent.futures import Future
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from console.domain.health import CameraHealth, StreamState
from console.domain.records import utc_now
from console.store import queries
from console.store.local import LocalStore
from console.store.records import HealthIncident

if TYPE_CHECKING:
    from console.pipeline.runtime import SiteRuntime

log = logging.getLogger(__name__)

DOWN_STATES = frozenset({StreamState.OFFLINE, StreamState.ERROR, StreamState.STALLED})


@dataclass(frozen=True, slots=True)
class Outage:
    camera_id: str
    state: str
    reason: str
    started_at: datetime
    ended_at: datetime | None = None


class OutageLog:
    """Outages seen by this console; with a store, also written there (any thread)."""

    def __init__(self, store: LocalStore | None = None) -> None:
        self.store = store
        self._lock = threading.Lock()
        self._open: dict[str, HealthIncident] = {}
        self.closed: list[Outage] = []

    def restore(self, since: datetime, now: datetime) -> None:
        """Outages stored since ``since``; ones left open by a previous run end at ``now``."""
        if self.store is None:
            return
        with self.store.session() as session:
            stored = queries.health_incidents(session, since)
        with self._lock:
            for incident in stored:
                if incident.ended_at is None and incident.camera_id not in self._open:
                    incident = _ended(incident, now)
                    self._save(incident)
                if incident.ended_at is not None:
                    self.closed.append(_outage(incident))

    def record(self, health: CameraHealth, at: datetime) -> None:
        with self._lock:
            current = self._open.get(health.camera_id)
            if health.state in DOWN_STATES and current is None:
                incident = HealthIncident(health.camera_id, health.state.value, health.reason, at)
                self._open[health.camera_id] = incident
                self._save(incident)
            elif current is not None and health.state in (StreamState.LIVE, StreamState.DISABLED):
                del self._open[health.camera_id]
                ended = _ended(current, at)
                self.closed.append(_outage(ended))
                self._save(ended)

    def since(self, moment: datetime) -> list[Outage]:
        with self._lock:
            outages = [o for o in self.closed if o.ended_at is None or o.ended_at >= moment]
            outages += [_outage(incident) for incident in self._open.values()]
        return sorted(outages, key=lambda o: o.started_at)

    def _save(self, incident: HealthIncident) -> None:
        if self.store is None:
            return
        future = self.store.writer.save_health(incident)
        future.add_done_callback(_log_failure)


def _ended(incident: HealthIncident, at: datetime) -> HealthIncident:
    return HealthIncident(
        incident.camera_id, incident.state, incident.reason, incident.started_at, at, incident.id
    )


def _outage(incident: HealthIncident) -> Outage:
    return Outage(
        incident.camera_id, incident.state, incident.reason, incident.started_at, incident.ended_at
    )


def _log_failure(future: Future[None]) -> None:
    error = future.exception()
    if error is not None:  # the outage stays in memory for the handover; the log says why
        log.error("camera outage not stored: %s", error)


RESTORED_FOR = timedelta(days=1)  # a shift is 8-12 h; the handover looks back one


def watch_outages(store: LocalStore, runtime: SiteRuntime) -> OutageLog:
    """Outages of the last day from the store, then every change the runtime reports."""
    outages = OutageLog(store)
    now = utc_now()
    outages.restore(since=now - RESTORED_FOR, now=now)
    runtime.health_listeners.append(lambda health: outages.record(health, utc_now()))
    return outages
