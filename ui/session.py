"""Everything a running console owns besides widgets: runtime, alerts, evidence, the bridge.

Started and stopped as one piece so that closing the window stops every thread.
"""

from __future__ import annotations

import logging
import socket
import threading
from pathlib import Path

from PySide6.QtCore import QObject

from console.alerting import AlertService
from console.config import SiteConfig
from console.detect.model import ModelLoadError
from console.evidence import EvidenceFiles, EvidenceWriter
from console.paths import data_dir
from console.runtime import RuntimeOptions, SiteRuntime
from console.store.local import LocalStore
from console.store_sink import StoreSink
from ui.bridge import CoreBridge

log = logging.getLogger(__name__)


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
        self.store = LocalStore.open(
            database or folder / "roadwatch.sqlite3", console_id=self.console_id
        )
        self.runtime = SiteRuntime(site, base_dir=base_dir, options=options)
        self.evidence = EvidenceWriter(EvidenceFiles(folder / "evidence"))
        self.alerts = AlertService(
            site, evidence=self.evidence, sink=StoreSink(self.store), console_id=self.console_id
        )
        self.alerts.attach(self.runtime)
        self.bridge = CoreBridge(self.runtime, self.alerts, parent)
        self.start_error = ""
        self._starter: threading.Thread | None = None

    def start(self) -> None:
        """Load the model and start the cameras without blocking the window."""
        self.evidence.start()
        self._starter = threading.Thread(
            target=self._start_runtime, name="session-start", daemon=True
        )
        self._starter.start()

    def _start_runtime(self) -> None:
        try:
            self.runtime.start()
            model = self.runtime.model
            self.alerts.model_name = str(getattr(getattr(model, "choice", None), "path", ""))
        except ModelLoadError as error:
            self.start_error = str(error)
            log.error("analysis not started: %s", error)

    @property
    def demo_model(self) -> bool:
        return bool(getattr(self.runtime.model, "is_demo", False))

    def stop(self) -> None:
        if self._starter is not None:
            self._starter.join(timeout=10)
        self.runtime.stop(timeout_s=2.0)
        self.evidence.stop(flush=False)
        self.evidence.join(timeout=2.0)
        self.store.close()
