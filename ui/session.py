"""Everything a running console owns besides widgets: runtime, alerts, evidence, the bridge.

Started and stopped as one piece so that closing the window stops every thread.
"""

from __future__ import annotations

import getpass
import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from PySide6.QtCore import QObject

from console.app.open_site import Role, open_site
from console.config.site_file import SiteConfig
from console.detect.model import ModelLoadError
from console.pipeline.runtime import RuntimeOptions
from console.security.accounts import Accounts
from console.security.guard import SessionGuard
from console.security.roles import UserSession
from console.sync.worker import SyncState, SyncStatus
from ui.bridge import CoreBridge

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class SyncIndicator:
    """What the status bar shows about central storage, read from the sync worker's status."""

    connected: bool
    last_success: datetime | None
    backlog: int

    @classmethod
    def of(cls, status: SyncStatus) -> SyncIndicator:
        connected = status.state in (SyncState.IDLE, SyncState.SYNCING)
        return cls(connected, status.last_success_at, status.backlog)


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
        self.sync_indicator: Callable[[], SyncIndicator | None] = lambda: None
        self.opened = open_site(
            site, role=Role.CONSOLE, base_dir=base_dir, database=database, options=options
        )
        self.console_id = self.opened.console_id
        self.data_folder = self.opened.paths.data_folder
        self.runtime = self.opened.runtime
        self.services = self.opened.services
        self.store = self.services.store
        self.evidence = self.services.evidence
        self.alerts = self.services.alerts
        self.sync_worker = self.services.sync
        self.outages = self.services.outages
        self.retention = self.services.retention
        self.audit = self.opened.audit
        self.recorder = self.opened.recorder
        if self.sync_worker is not None:
            worker = self.sync_worker
            self.sync_indicator = lambda: SyncIndicator.of(worker.status)
        self.bridge = CoreBridge(self.runtime, self.alerts, parent)
        self.start_error = ""
        self._starter: threading.Thread | None = None
        # Until someone logs in, the OS user is the operator.
        self.user: Callable[[], str] = os_user_name
        self.role: Callable[[], str] = lambda: "operator"
        self.training = False
        self.accounts = Accounts(self.store, self.audit)
        self.user_session: UserSession | None = None

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

    def start(self) -> None:
        """Load the model and start the cameras without blocking the window."""
        self.opened.start_services()
        self._starter = threading.Thread(
            target=self._start_runtime, name="session-start", daemon=True
        )
        self._starter.start()

    def _start_runtime(self) -> None:
        try:
            self.opened.start_analysis()
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
        self.opened.stop()
