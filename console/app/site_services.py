"""What a site needs around its cameras, on a console and in ``roadwatch analyze`` alike.

The local store, the evidence writer, the alert service (every alert stored, and synced
when the site names central storage), the central sync worker, the camera outage log and
scheduled retention. Both programs build, start and stop them through this one piece, so
an analytics node keeps alerts, outages and evidence exactly as a console does.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from console.alerts.outages import OutageLog, watch_outages
from console.alerts.queue import DEFAULT_RESOLVED_KEEP_S
from console.alerts.service import AlertService
from console.config.site_file import SiteConfig
from console.evidence.writer import EvidenceFiles, EvidenceWriter
from console.pipeline.runtime import SiteRuntime
from console.plates.on_alert import AlertPlates
from console.plates.watchlist import WatchlistMonitor
from console.retention.schedule import RetentionScheduler
from console.store.local import LocalStore
from console.store.sink import StoreSink
from console.sync.worker import SyncWorker, site_sync_worker

log = logging.getLogger(__name__)


@dataclass
class SiteServices:
    """The store and the background services of one site, attached to its runtime."""

    runtime: SiteRuntime
    store: LocalStore
    evidence: EvidenceWriter
    alerts: AlertService
    sync: SyncWorker | None
    outages: OutageLog
    retention: RetentionScheduler
    _started: bool = field(default=False, repr=False)

    @classmethod
    def open(
        cls,
        site: SiteConfig,
        runtime: SiteRuntime,
        *,
        store_path: Path,
        evidence_folder: Path,
        console_id: str,
        prune_recordings: Callable[[], int] | None = None,
        resolved_keep_s: float | None = DEFAULT_RESOLVED_KEEP_S,
    ) -> SiteServices:
        """Open the store (SchemaTooNewError if a newer RoadWatch wrote it) and wire it all.

        Nothing runs until :meth:`start`; the runtime may be started before or after.
        Closed alerts stay in memory for ``resolved_keep_s`` seconds, then are read from the
        store when asked for.
        """
        store = LocalStore.open(store_path, console_id=console_id)
        plates = AlertPlates(max_frames=site.plates.frames) if site.plates.read_on_alerts else None
        evidence = EvidenceWriter(EvidenceFiles(evidence_folder), plates=plates)
        alerts = AlertService(
            site,
            evidence=evidence,
            sink=StoreSink(store),
            console_id=console_id,
            resolved_keep_s=resolved_keep_s,
            lookup=store.reader.get_alert,  # closed alerts leave memory; the store has them
        )
        alerts.attach(runtime)
        watchlist = WatchlistMonitor(store, alerts.raise_alert)
        alerts.plate_listeners.append(watchlist)
        return cls(
            runtime=runtime,
            store=store,
            evidence=evidence,
            alerts=alerts,
            sync=site_sync_worker(store, site.central),
            outages=watch_outages(store, runtime),
            retention=RetentionScheduler(site, store, evidence_folder, prune_recordings),
        )

    def start(self) -> None:
        """Start the evidence writer, central sync and retention threads."""
        self.evidence.start()
        if self.sync is not None:
            self.sync.start()
        self.retention.start()
        self._started = True

    def note_model(self) -> None:
        """Record the loaded model's file in new alerts (call once the runtime started)."""
        model = self.runtime.model
        self.alerts.model_name = str(getattr(getattr(model, "choice", None), "path", ""))

    def stop(self, *, flush_evidence: bool, wait_s: float, sync_wait_s: float) -> None:
        """Stop the threads, then close the store.

        ``flush_evidence`` writes the evidence still queued (a headless run that is about
        to exit); without it the queue is dropped for a fast close. The evidence writer and
        retention are waited for up to ``wait_s``, a central push in flight ``sync_wait_s``.
        """
        if self._started:
            self.evidence.stop(flush=flush_evidence)
            self.evidence.join(timeout=wait_s)
            if self.evidence.is_alive():
                log.warning("evidence writer still busy after %.1f s; closing anyway", wait_s)
            if self.sync is not None:
                self.sync.stop(timeout=sync_wait_s)
            self.retention.stop(timeout=wait_s)
            self._started = False
        self.store.close()

