"""From analysis to the operators' queue: rules, policy, evidence, patrol units, persistence.

``AlertService`` listens to a :class:`~console.pipeline.runtime.SiteRuntime` (analysis results and
camera health) and is the one place operator actions go through, from the UI or a test.
"""

from __future__ import annotations

import logging
import threading
import time
import uuid
from collections import defaultdict
from collections.abc import Callable
from datetime import datetime
from typing import Protocol

from console.alerts.patrol import PatrolBoard, UnitStatus
from console.config.site_file import SiteConfig
from console.domain.alert_states import SYSTEM_ACTOR, TransitionError, add_note, transition
from console.domain.health import CameraHealth, StreamState
from console.domain.records import Alert, AlertAction, AlertStatus, AlertType, EvidenceRef, utc_now
from console.evidence.writer import EvidenceRequest, EvidenceWriter
from console.pipeline.camera import CameraPipeline
from console.pipeline.records import AnalysisResult, RaisedAlert
from console.pipeline.runtime import SiteRuntime
from console.rules.area_rules import CountRecord
from console.sources.buffers import FrameRing

log = logging.getLogger(__name__)


class AlertSink(Protocol):
    """Where alerts are persisted (the local store); all calls must return quickly."""

    def alert_raised(self, alert: Alert) -> None: ...

    def alert_changed(self, alert: Alert, action: AlertAction) -> None: ...

    def evidence_ready(self, alert: Alert, refs: tuple[EvidenceRef, ...]) -> None: ...

    def counts_ready(self, counts: list[tuple[str, str, str, str, datetime, int]]) -> None: ...


AlertListener = Callable[[Alert], None]
ChangeListener = Callable[[Alert, AlertAction], None]
EvidenceListener = Callable[[Alert, tuple[EvidenceRef, ...]], None]
ActionGuard = Callable[[Alert, str, str], None]


class CountAggregator:
    """Line crossings summed per camera, line, class, direction and UTC minute."""

    def __init__(self) -> None:
        self.minutes: dict[tuple[str, str, str, str, int], int] = defaultdict(int)

    def add(self, record: CountRecord) -> None:
        minute = int(record.time_s // 60)
        self.minutes[
            (record.camera_id, record.line_id, record.class_name, record.direction, minute)
        ] += 1

    def pop_finished(self, now_s: float) -> list[tuple[str, str, str, str, datetime, int]]:
        current = int(now_s // 60)
        finished = [key for key in self.minutes if key[4] < current]
        rows = []
        for key in finished:
            camera, line, cls, direction, minute = key
            rows.append(
                (
                    camera,
                    line,
                    cls,
                    direction,
                    datetime.fromtimestamp(minute * 60, tz=utc_now().tzinfo),
                    self.minutes.pop(key),
                )
            )
        return rows


class AlertService:
    def __init__(
        self,
        site: SiteConfig,
        *,
        evidence: EvidenceWriter | None = None,
        sink: AlertSink | None = None,
        console_id: str = "",
        model_name: str = "",
        training: bool = False,
    ) -> None:
        self.site = site
        self.evidence = evidence
        self.sink = sink
        self.console_id = console_id
        self.model_name = model_name
        self.training = training
        # Each camera's rules and policy: its pipeline (the runtime's, once attached).
        self.pipelines: dict[str, CameraPipeline] = {
            camera.id: CameraPipeline(camera, site) for camera in site.cameras if camera.enabled
        }
        self.patrol = PatrolBoard(site.patrol_units)
        self.counts = CountAggregator()
        self.alerts: dict[uuid.UUID, Alert] = {}
        self.alert_listeners: list[AlertListener] = []
        self.change_listeners: list[ChangeListener] = []
        self.evidence_listeners: list[EvidenceListener] = []
        self._lock = threading.RLock()
        self._runtime_rings: Callable[[str], FrameRing | None] | None = None
        # Called as guard(alert, action, actor) before an action applies; raises to refuse it
        # (console.security.guard.SessionGuard: only the logged-in user, with the permission).
        self.guard: ActionGuard | None = None

    # ---- inputs from the runtime ----------------------------------------------------

    def attach(self, runtime: SiteRuntime) -> None:
        """Listen to a runtime's analysis results and camera health (before or after start)."""
        self.pipelines = runtime.pipelines
        runtime.result_listeners.append(self.on_result)
        runtime.health_listeners.append(self.on_health)
        cameras = runtime.cameras
        self._runtime_rings = lambda camera_id: (
            cameras[camera_id].ring if camera_id in cameras else None
        )

    def on_result(self, result: AnalysisResult) -> None:
        """Keep the alerts and counts the camera's pipeline produced for this frame."""
        for record in result.counts:
            self.counts.add(record)
        for raised in result.raised:
            self._raise(raised.alert.evolve(training=self.training), result, raised)
        finished = self.counts.pop_finished(result.frame.captured_epoch)
        if finished and self.sink is not None:
            self.sink.counts_ready(finished)

    def on_health(self, health: CameraHealth) -> None:
        pipeline = self.pipelines.get(health.camera_id)
        if pipeline is None:
            return
        alert = pipeline.on_health(health, time.time())
        if alert is not None:
            self._raise(alert.evolve(training=self.training), None, None)
        if health.state is StreamState.LIVE:
            for alert in self.open_alerts():
                if (
                    alert.camera_id == health.camera_id
                    and alert.type is AlertType.CAMERA_HEALTH
                    and alert.event.rule_id.endswith(":offline")
                ):
                    self.act(
                        alert.id,
                        AlertStatus.RESOLVED,
                        actor=SYSTEM_ACTOR,
                        note="camera back online",
                    )

    def raise_alert(self, alert: Alert) -> None:
        """Raise an alert no rule produced (a trainer's scripted false alarm)."""
        self._raise(alert, None, None)

    def _raise(
        self, alert: Alert, result: AnalysisResult | None, raised: RaisedAlert | None
    ) -> None:
        with self._lock:
            self.alerts[alert.id] = alert
        log.info(
            "alert %s %s on %s: %s",
            alert.priority.value,
            alert.type.value,
            alert.camera_id,
            alert.event.message,
        )
        if self.sink is not None:
            self.sink.alert_raised(alert)
        for listener in list(self.alert_listeners):
            _safely(listener, alert)
        if self.evidence is not None and result is not None and raised is not None:
            self.evidence.submit(self._evidence_request(alert, result, raised), self._evidence_done)

    def _evidence_request(
        self, alert: Alert, result: AnalysisResult, raised: RaisedAlert
    ) -> EvidenceRequest:
        camera = self.site.camera(alert.camera_id)
        ring = self._runtime_rings(alert.camera_id) if self._runtime_rings else None
        return EvidenceRequest(
            alert=alert,
            camera=camera,
            route_name=self.site.route(camera.route).name,
            timezone=self.site.site.timezone,
            frame=result.frame,
            box=alert.event.box_xyxy,
            track_path=list(raised.track_path),
            ring=ring,
            model_name=self.model_name,
            rule_text=f"{alert.type.value} {alert.event.message}",
            detections=result.detections,
        )

    def _evidence_done(self, alert: Alert, refs: tuple[EvidenceRef, ...]) -> None:
        with self._lock:
            current = self.alerts.get(alert.id, alert).evolve(evidence=refs)
            self.alerts[alert.id] = current
        if self.sink is not None:
            self.sink.evidence_ready(current, refs)
        for listener in list(self.evidence_listeners):
            _safely(listener, current, refs)

    # ---- operator actions -----------------------------------------------------------

    def act(
        self,
        alert_id: uuid.UUID,
        to: AlertStatus,
        *,
        actor: str,
        note: str = "",
        unit: str | None = None,
    ) -> Alert:
        """Apply an operator's (or the system's) decision; raises TransitionError if not allowed."""
        with self._lock:
            alert = self.alerts.get(alert_id)
            if alert is None:
                raise TransitionError(f"unknown alert {alert_id}")
            if self.guard is not None:
                self.guard(alert, to.value, actor)
            if to is AlertStatus.DISPATCHED and unit is None:
                camera = self.site.camera(alert.camera_id)
                nearest = self.patrol.nearest_available(camera.route, camera.km)
                if nearest is None:
                    raise TransitionError(f"no patrol unit is available on {camera.route}")
                unit = nearest.call_sign
            updated, action = transition(
                alert,
                to,
                actor=actor,
                at=utc_now(),
                note=note,
                unit=unit,
                console_id=self.console_id,
            )
            self.alerts[alert_id] = updated
            if to is AlertStatus.DISPATCHED and unit is not None:
                self.patrol.set_status(unit, UnitStatus.EN_ROUTE, str(alert_id))
            if to.is_terminal and (pipeline := self.pipelines.get(updated.camera_id)):
                pipeline.closed(updated)
                self.patrol.release_for(str(alert_id))
        if self.sink is not None:
            self.sink.alert_changed(updated, action)
        for listener in list(self.change_listeners):
            _safely(listener, updated, action)
        return updated

    def note(self, alert_id: uuid.UUID, *, actor: str, text: str) -> AlertAction:
        with self._lock:
            alert = self.alerts[alert_id]
        if self.guard is not None:
            self.guard(alert, "note", actor)
        action = add_note(alert, actor=actor, at=utc_now(), note=text, console_id=self.console_id)
        if self.sink is not None:
            self.sink.alert_changed(alert, action)
        for listener in list(self.change_listeners):
            _safely(listener, alert, action)
        return action

    def restore(self, alerts: list[Alert]) -> None:
        """Alerts still open when the console last closed come back (a restart loses none)."""
        with self._lock:
            for alert in alerts:
                self.alerts.setdefault(alert.id, alert)

    def open_alerts(self) -> list[Alert]:
        with self._lock:
            return [a for a in self.alerts.values() if not a.status.is_terminal]


def _safely(callback: Callable[..., None], *args: object) -> None:
    try:
        callback(*args)
    except Exception:
        log.exception("listener %r failed", callback)
