"""The one place core events become Qt signals (queued onto the GUI thread).

Core threads call the plain methods (``on_health``...), which only emit signals; Qt
delivers them to the GUI thread. Frames are not pushed at all: the wall pulls the newest
frame of each visible camera on its own timer, so a slow screen never queues stale frames.
"""

from __future__ import annotations

import threading
import uuid
from collections.abc import Callable

from PySide6.QtCore import QObject, Signal

from console.alerts.service import AlertService
from console.domain.health import CameraHealth
from console.domain.records import Alert, AlertAction, EvidenceRef
from console.pipeline.runtime import SiteRuntime
from console.pipeline.worker import AnalysisResult
from console.sources.base import Frame


class CoreBridge(QObject):
    health_changed = Signal(object)  # CameraHealth
    alert_raised = Signal(object)  # Alert
    alert_changed = Signal(object, object)  # Alert, AlertAction
    evidence_ready = Signal(object, object)  # Alert, tuple[EvidenceRef, ...]

    def __init__(
        self,
        runtime: SiteRuntime | None,
        alerts: AlertService | None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.runtime = runtime
        self.alerts = alerts
        self._results: dict[str, AnalysisResult] = {}
        self._lock = threading.Lock()
        # A display console on the site bus replaces both: frames shown a little late, with
        # the nodes' boxes of the same moment (ConsoleSession sets them).
        self.frame_source: Callable[[str], tuple[int, Frame | None]] | None = None
        self.result_source: Callable[[str], AnalysisResult | None] | None = None
        if runtime is not None:
            runtime.health_listeners.append(self.on_health)
            runtime.result_listeners.append(self.on_result)
        if alerts is not None:
            alerts.alert_listeners.append(self.on_alert)
            alerts.change_listeners.append(self.on_change)
            alerts.evidence_listeners.append(self.on_evidence)

    # ---- called on core threads ---------------------------------------------------

    def on_health(self, health: CameraHealth) -> None:
        self.health_changed.emit(health)

    def on_result(self, result: AnalysisResult) -> None:
        with self._lock:
            self._results[result.camera_id] = result

    def on_alert(self, alert: Alert) -> None:
        self.alert_raised.emit(alert)

    def on_change(self, alert: Alert, action: AlertAction) -> None:
        self.alert_changed.emit(alert, action)

    def on_evidence(self, alert: Alert, refs: tuple[EvidenceRef, ...]) -> None:
        self.evidence_ready.emit(alert, refs)

    # ---- pulled by the GUI thread ---------------------------------------------------

    def latest_frame(self, camera_id: str) -> tuple[int, Frame | None]:
        if self.frame_source is not None:
            return self.frame_source(camera_id)
        return self.runtime.latest_frame(camera_id) if self.runtime is not None else (0, None)

    def latest_result(self, camera_id: str) -> AnalysisResult | None:
        if self.result_source is not None:
            return self.result_source(camera_id)
        with self._lock:
            return self._results.get(camera_id)

    def alert(self, alert_id: uuid.UUID) -> Alert | None:
        return self.alerts.alerts.get(alert_id) if self.alerts is not None else None
