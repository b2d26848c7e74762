"""Everything a running console owns besides widgets: runtime, alerts, evidence, the bridge.

Started and stopped as one piece so that closing the window stops every thread.
"""

from __future__ import annotations

import getpass
import logging
import socket
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from PySide6.QtCore import QObject

from console.app.site_services import SiteServices
from console.config.site_file import SiteConfig
from console.detect.model import ModelLoadError
from console.domain.records import AlertStatus
from console.paths import data_dir
from console.pipeline.runtime import RuntimeOptions, SiteRuntime
from console.recording import SiteRecorder, recordings_folder
from console.security.accounts import Accounts
from console.security.audit import AuditLog
from console.security.guard import SessionGuard
from console.security.roles import UserSession
from console.store import queries
from console.store.local import default_store_path
from console.sync.worker import SyncState as CentralSyncState
from console.sync.worker import SyncStatus
from ui.bridge import CoreBridge

log = logging.getLogger(__name__)
OPEN_STATUSES = (AlertStatus.NEW, AlertStatus.ACKNOWLEDGED, AlertStatus.DISPATCHED)


@dataclass(frozen=True, slots=True)
class SyncState:
    """What the status bar shows about central storage (filled by the sync engineer later)."""

    connected: bool
    last_success: datetime | None
    backlog: int


def _sync_view(status: SyncStatus) -> SyncState:
    connected = status.state in (CentralSyncState.IDLE, CentralSyncState.SYNCING)
    return SyncState(connected, status.last_success_at, status.backlog)


def os_user_name() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "operator"


class ConsoleSession:
    def __init__(
        self,
        site: SiteConfig,
        base_dir: Path | None = None,
        options: RuntimeOptions | None = None,
        parent: QObject | None = None,
        database: Path | None = None,
    ) -> None:
        self.site = site
        self.console_id = socket.gethostname()
        folder = site.storage.data_dir or data_dir()
        self.data_folder = Path(database).parent if database is not None else folder
        self.sync_state: Callable[[], SyncState | None] = lambda: None
        self.runtime = SiteRuntime(site, base_dir=base_dir, options=options)
        self.services = SiteServices.open(
            site,
            self.runtime,
            store_path=database or default_store_path(folder),
            evidence_folder=folder / "evidence",
            console_id=self.console_id,
            prune_recordings=lambda: self._prune_recordings(),  # recorder and audit come next
        )
        self.store = self.services.store
        self.evidence = self.services.evidence
        self.alerts = self.services.alerts
        self.sync_worker = self.services.sync
        self.outages = self.services.outages
        self.retention = self.services.retention
        if self.sync_worker is not None:
            worker = self.sync_worker
            self.sync_state = lambda: _sync_view(worker.status)
        self.bridge = CoreBridge(self.runtime, self.alerts, parent)
        self.start_error = ""
        self._starter: threading.Thread | None = None
        # Until login exists (another engineer adds it), the OS user is the operator.
        self.user: Callable[[], str] = os_user_name
        self.role: Callable[[], str] = lambda: "operator"
        self.training = False
        self.audit = AuditLog(self.store, self.console_id)
        self.audit.watch_alerts(self.alerts)
        self.accounts = Accounts(self.store, self.audit)
        self.user_session: UserSession | None = None
        self.recorder: SiteRecorder | None = SiteRecorder(site, recordings_folder(self.data_folder))
        if self.recorder.recorders:
            self.recorder.attach(self.runtime)
        else:  # no camera records
            self.recorder.index.close()
            self.recorder = None
        self.restore_open_alerts()

    def _prune_recordings(self) -> int:
        if self.recorder is None:
            return 0
        return len(self.recorder.prune(store=self.store, audit=self.audit).removed)

    def sign_in(self, user_session: UserSession) -> None:
        """From now on actions are this user's, and the core refuses what the role may not do."""
        self.user_session = user_session
        self.alerts.guard = SessionGuard(user_session, self.audit)
        self.user = lambda: user_session.username
        self.role = lambda: user_session.user.role.value

    @property
    def handover_dir(self) -> Path:
        return self.data_folder / "handover"

    def can_edit_site(self) -> bool:
        """Saving geometry into the site file is a supervisor's decision."""
        return self.role() in ("supervisor", "admin")

    def restore_open_alerts(self) -> None:
        """Alerts still open when the console last closed come back into the queue."""
        with self.store.session() as session:
            self.alerts.restore(queries.list_alerts(session, statuses=OPEN_STATUSES, limit=10_000))

    def start(self) -> None:
        """Load the model and start the cameras without blocking the window."""
        self.services.start()
        if self.recorder is not None:
            self.recorder.start()
        self._starter = threading.Thread(
            target=self._start_runtime, name="session-start", daemon=True
        )
        self._starter.start()

    def _start_runtime(self) -> None:
        try:
            self.runtime.start()
            self.services.note_model()
        except ModelLoadError as error:
            self.start_error = str(error)
            log.error("analysis not started: %s", error)

    @property
    def demo_model(self) -> bool:
        return bool(getattr(self.runtime.model, "is_demo", False))

    def analysis_fps(self) -> float:
        total = 0.0
        for camera_id in self.runtime.cameras:
            health = self.runtime.health_of(camera_id)
            total += health.analysis_fps if health is not None else 0.0
        return total

    def stop(self) -> None:
        if self._starter is not None:
            self._starter.join(timeout=10)
        self.runtime.stop(timeout_s=2.0)
        if self.recorder is not None:
            self.recorder.stop()
            self.recorder.index.close()
        self.services.stop(flush_evidence=False, wait_s=2.0, sync_wait_s=30.0)
