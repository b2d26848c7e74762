"""``open_site``: the one assembly of a site's services, for every entry point.

The console window, ``roadwatch analyze``, training runs and the benchmarks all open a
site through :func:`open_site`, so an analytics node keeps alerts, outages, recordings,
evidence and the audit trail exactly as a console does. The role only changes what a
closing program waits for; the parts are the same.
"""

from __future__ import annotations

import enum
import logging
import socket
from dataclasses import dataclass, replace
from pathlib import Path

from console.alerts.service import AlertService
from console.app.site_services import SiteServices
from console.config.site_file import SiteConfig
from console.detect.model import BatchModel
from console.domain.records import AlertStatus
from console.evidence.writer import EvidenceWriter
from console.paths import data_dir
from console.pipeline.runtime import RuntimeOptions, SiteRuntime
from console.recording import SiteRecorder, recordings_folder
from console.security.audit import AuditLog
from console.store import queries
from console.store.local import LocalStore, default_store_path

log = logging.getLogger(__name__)
OPEN_STATUSES = (AlertStatus.NEW, AlertStatus.ACKNOWLEDGED, AlertStatus.DISPATCHED)


# Longest a stop waits for queued evidence (a few clips to encode on a busy machine).
EVIDENCE_FLUSH_S = 30.0


class Role(enum.Enum):
    """Who opens the site: a console with a window, or a headless analysis run."""

    CONSOLE = "console"
    ANALYZE = "analyze"
    NODE = "node"  # an analytics node on the site bus: analyses the cameras it leases

    @property
    def headless(self) -> bool:
        return self is not Role.CONSOLE


@dataclass(frozen=True, slots=True)
class SitePaths:
    """Where an open site keeps its files on this machine."""

    data_folder: Path
    store: Path
    evidence: Path
    recordings: Path

    @classmethod
    def of(
        cls,
        site: SiteConfig,
        *,
        database: Path | None = None,
        evidence: Path | None = None,
        create: bool = True,
    ) -> SitePaths:
        folder = site.storage.data_dir or data_dir(create=create)
        data_folder = database.parent if database is not None else folder
        return cls(
            data_folder=data_folder,
            store=database or default_store_path(folder),
            evidence=evidence or folder / "evidence",
            recordings=recordings_folder(data_folder),
        )


@dataclass
class OpenSite:
    """A site's runtime (cameras, pipelines, detector) and the services around it."""

    site: SiteConfig
    role: Role
    console_id: str
    paths: SitePaths
    runtime: SiteRuntime
    services: SiteServices
    audit: AuditLog
    recorder: SiteRecorder | None

    @property
    def store(self) -> LocalStore:
        return self.services.store

    @property
    def alerts(self) -> AlertService:
        return self.services.alerts

    @property
    def evidence(self) -> EvidenceWriter:
        return self.services.evidence

    def start_services(self) -> None:
        """Evidence writer, central sync, retention and recording (not the cameras)."""
        self.services.start()
        if self.recorder is not None:
            self.recorder.start()

    def start_analysis(self) -> None:
        """Load the model and start the cameras (seconds: call it off the UI thread)."""
        self.runtime.start()
        self.services.note_model()

    def stop(self) -> None:
        """Stop every thread, write the evidence still queued, then close the files.

        An alert raised just before the stop still gets its snapshot, crop and clip (with
        the frames there are) and their rows: the evidence writer is given
        ``EVIDENCE_FLUSH_S`` to finish before the store closes. A headless run waited 0.6 s
        and closed the store under a writer still encoding clips: the files were on disk,
        their rows lost.
        """
        headless = self.role.headless
        self.runtime.stop(timeout_s=1.0 if headless else 2.0)
        if self.recorder is not None:
            self.recorder.stop()
            self.recorder.index.close()
        self.services.stop(
            flush_evidence=True,
            wait_s=EVIDENCE_FLUSH_S,
            sync_wait_s=0.3 if headless else 30.0,
        )

    def prune_recordings(self) -> int:
        if self.recorder is None:
            return 0
        return len(self.recorder.prune(store=self.store, audit=self.audit).removed)


def open_site(
    site: SiteConfig,
    *,
    role: Role,
    base_dir: Path | None = None,
    database: Path | None = None,
    evidence_folder: Path | None = None,
    options: RuntimeOptions | None = None,
    model: BatchModel | None = None,
    console_id: str | None = None,
) -> OpenSite:
    """Build a site's runtime and services; nothing runs until ``start_*``.

    Raises SchemaTooNewError when a newer RoadWatch wrote the local store.
    """
    paths = SitePaths.of(site, database=database, evidence=evidence_folder)
    name = console_id or socket.gethostname()
    options = options or RuntimeOptions()
    if role.headless:  # nothing is shown, no stream decoded for a tile
        options = replace(options, display=False)
    if site.bus is not None and options.lockstep_epoch_s is None:
        options = replace(options, files_on_wall_clock=True)  # boxes match across machines
    runtime = SiteRuntime(site, base_dir=base_dir, model=model, options=options)
    holder: list[OpenSite] = []
    services = SiteServices.open(
        site,
        runtime,
        store_path=paths.store,
        evidence_folder=paths.evidence,
        console_id=name,
        prune_recordings=lambda: holder[0].prune_recordings() if holder else 0,
    )
    audit = AuditLog(services.store, name)
    audit.watch_alerts(services.alerts)
    recorder: SiteRecorder | None = SiteRecorder(site, paths.recordings)
    assert recorder is not None
    if recorder.recorders:
        recorder.attach(runtime)
    else:  # no camera records
        recorder.index.close()
        recorder = None
    opened = OpenSite(site, role, name, paths, runtime, services, audit, recorder)
    holder.append(opened)
    with services.store.session() as session:
        services.alerts.restore(queries.list_alerts(session, statuses=OPEN_STATUSES, limit=10_000))
    return opened
