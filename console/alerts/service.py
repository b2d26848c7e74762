"""From analysis to the operators' queue: rules, policy, evidence, patrol units, persistence.

``AlertService`` listens to a :class:`~console.pipeline.runtime.SiteRuntime` (analysis results and
camera health) and is the one place operator actions go through, from the UI or a test. It
is a facade over two parts: the queue state (:mod:`console.alerts.queue`: open alerts, and
closed ones for ``resolved_keep_s``) and the actions (:mod:`console.alerts.actions`: checked
at once, applied and told to listeners once their write is committed).
"""

from __future__ import annotations

import logging
import time
import uuid
from collections import defaultdict
from collections.abc import Callable
from concurrent.futures import Future
from datetime import datetime

from console.alerts.actions import AlertActions
from console.alerts.patrol import PatrolBoard
from console.alerts.queue import DEFAULT_RESOLVED_KEEP_S, AlertQueue, StoredAlertLookup
from console.alerts.sink import (
    ActionGuard,
    AlertListener,
    AlertSink,
    ChangeListener,
    CountRow,
    EvidenceListener,
    FailureListener,
)
from console.config.site_file import SiteConfig
from console.domain.alert_states import SYSTEM_ACTOR, TransitionError
from console.domain.health import CameraHealth, StreamState
from console.domain.records import Alert, AlertAction, AlertStatus, AlertType, EvidenceRef, utc_now
from console.evidence.record import violation_text
from console.evidence.writer import EvidenceRequest, EvidenceWriter
from console.pipeline.camera import CameraPipeline
from console.pipeline.records import AnalysisResult, RaisedAlert
from console.pipeline.runtime import SiteRuntime
from console.rules.area_rules import CountRecord
from console.sources.buffers import FrameRing

log = logging.getLogger(__name__)
__all__ = ["AlertService", "AlertSink", "CountAggregator"]


class CountAggregator:
    """Line crossings summed per camera, line, class, direction and UTC minute."""

    def __init__(self) -> None:
        self.minutes: dict[tuple[str, str, str, str, int], int] = defaultdict(int)

    def add(self, record: CountRecord) -> None:
        minute = int(record.time_s // 60)
        self.minutes[
            (record.camera_id, record.line_id, record.class_name, record.direction, minute)
        ] += 1

    def pop_finished(self, now_s: float) -> list[CountRow]:
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
        resolved_keep_s: float | None = DEFAULT_RESOLVED_KEEP_S,
        lookup: StoredAlertLookup | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        """Build the queue state and the actions around the site's cameras.

        ``lookup`` reads an alert that left memory back from the store; ``clock`` (seconds,
        monotonic) times how long closed alerts stay in memory.
        """
        self.site = site
        self.evidence = evidence
        self.console_id = console_id
        self.model_name = model_name
        self.training = training
        # Each camera's rules and policy: its pipeline (the runtime's, once attached).
        self.pipelines: dict[str, CameraPipeline] = {
            camera.id: CameraPipeline(camera, site) for camera in site.cameras if camera.enabled
        }
        self.patrol = PatrolBoard(site.patrol_units)
        self.counts = CountAggregator()
        self.alerts = AlertQueue(resolved_keep_s=resolved_keep_s, clock=clock, lookup=lookup)
        self.actions = AlertActions(
            site, self.alerts, self.patrol, console_id=console_id, on_closed=self._closed
        )
        self.actions.sink = sink
        self.alert_listeners: list[AlertListener] = []
        self.evidence_listeners: list[EvidenceListener] = []
        # Told of each alert whose vehicle's plate was read (the watch-list listens).
        self.plate_listeners: list[Callable[[Alert], None]] = []
        self._runtime_rings: Callable[[str], FrameRing | None] | None = None
        # fence(camera_id): may this process raise alerts for the camera now? An analytics
        # node answers from its lease; None (a standalone console): always.
        self.fence: Callable[[str], bool] | None = None

    @property
    def sink(self) -> AlertSink | None:
        return self.actions.sink

    @sink.setter
    def sink(self, sink: AlertSink | None) -> None:
        self.actions.sink = sink

    @property
    def guard(self) -> ActionGuard | None:
        """The hook that may refuse an action (``console.security.guard.SessionGuard``).

        Called with the alert, the action and the actor before an action applies; it raises
        to refuse (only the logged-in user, with the permission).
        """
        return self.actions.guard

    @guard.setter
    def guard(self, guard: ActionGuard | None) -> None:
        self.actions.guard = guard

    @property
    def change_listeners(self) -> list[ChangeListener]:
        """Told of each action once it is committed (on the store writer's thread)."""
        return self.actions.change_listeners

    @property
    def failure_listeners(self) -> list[FailureListener]:
        """Told of each action whose write failed; the alert stayed as it was."""
        return self.actions.failure_listeners

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
        if self.fence is not None and not self.fence(result.camera_id):
            return  # the camera's lease lapsed: another node may be analysing it now
        for record in result.counts:
            self.counts.add(record)
        for raised in result.raised:
            self._raise(raised.alert.evolve(training=self.training), result, raised)
        finished = self.counts.pop_finished(result.frame.captured_epoch)
        if finished and self.sink is not None:
            self.sink.counts_ready(finished)

    def on_health(self, health: CameraHealth) -> None:
        pipeline = self.pipelines.get(health.camera_id)
        if pipeline is None or (self.fence is not None and not self.fence(health.camera_id)):
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
                    try:
                        self.act(
                            alert.id,
                            AlertStatus.RESOLVED,
                            actor=SYSTEM_ACTOR,
                            note="camera back online",
                        )
                    except TransitionError as error:  # already being closed
                        log.debug("camera %s back: %s", health.camera_id, error)

    def raise_alert(self, alert: Alert) -> None:
        """Raise an alert no rule produced (a trainer's scripted false alarm)."""
        self._raise(alert, None, None)

    def _raise(
        self, alert: Alert, result: AnalysisResult | None, raised: RaisedAlert | None
    ) -> None:
        self.alerts.put(alert)
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
            rule_text=violation_text(alert.type, alert.event.message, self.site.site.language),
            detections=result.detections,
            track_boxes=raised.track_boxes,
            unit=self.site.site.unit,
            language=self.site.site.language,
        )

    def _evidence_done(self, alert: Alert, refs: tuple[EvidenceRef, ...]) -> None:
        """Evidence written; ``alert`` carries the plate read from its frames, if any."""

        def with_evidence(current: Alert) -> Alert:
            return current.evolve(evidence=refs, plate=current.plate or alert.plate)

        held = self.alerts.update(alert.id, with_evidence)
        if self.sink is not None:
            self.sink.evidence_ready(held or with_evidence(alert), refs)
        if held is not None:  # else closed and gone from memory meanwhile: nothing shown
            for listener in list(self.evidence_listeners):
                _safely(listener, held, refs)
        if alert.plate is not None:
            for plate_listener in list(self.plate_listeners):
                _safely(plate_listener, held or with_evidence(alert))

    # ---- operator actions -----------------------------------------------------------

    def act(
        self,
        alert_id: uuid.UUID,
        to: AlertStatus,
        *,
        actor: str,
        note: str = "",
        unit: str | None = None,
    ) -> Future[Alert]:
        """An operator's (or the system's) decision, shown once saved.

        Refused at once with TransitionError (or the guard's PermissionDeniedError);
        otherwise the future gives the alert once its write is committed.
        """
        return self.actions.act(alert_id, to, actor=actor, note=note, unit=unit)

    def note(self, alert_id: uuid.UUID, *, actor: str, text: str) -> Future[AlertAction]:
        return self.actions.note(alert_id, actor=actor, text=text)

    def find(self, alert_id: uuid.UUID) -> Future[Alert | None]:
        """An alert from memory, else (it was closed a while ago) as stored."""
        return self.alerts.find(alert_id)

    def restore(self, alerts: list[Alert]) -> None:
        """Alerts still open when the console last closed come back (a restart loses none)."""
        self.alerts.restore(alerts)

    def open_alerts(self) -> list[Alert]:
        return self.alerts.open_alerts()

    # ---- what other machines raised and did (the site bus) ----------------------------

    def show_remote(self, alert: Alert) -> None:
        """An alert an analytics node raised (stored by the caller): queued and shown once."""
        if self.alerts.get(alert.id) is not None:
            return
        self.alerts.put(alert)
        for listener in list(self.alert_listeners):
            _safely(listener, alert)

    def remote_evidence(self, alert_id: uuid.UUID, refs: tuple[EvidenceRef, ...]) -> None:
        """The node finished the alert's evidence files."""
        held = self.alerts.update(alert_id, lambda current: current.evolve(evidence=refs))
        if held is None:
            return
        for listener in list(self.evidence_listeners):
            _safely(listener, held, refs)

    def remote_action(self, action: AlertAction, status: AlertStatus) -> None:
        """Another console acted on an alert (stored by the caller); ``status`` is its result."""

        def applied(current: Alert) -> Alert:
            return current.evolve(
                status=status,
                updated_at=action.at,
                assigned_unit=action.unit or current.assigned_unit,
            )

        held = self.alerts.update(action.alert_id, applied)
        if held is None:
            return
        if status.is_terminal:
            self.patrol.release_for(str(held.id))
            self._closed(held)
        for listener in list(self.change_listeners):
            _safely(listener, held, action)

    def _closed(self, alert: Alert) -> None:
        if pipeline := self.pipelines.get(alert.camera_id):
            pipeline.closed(alert)


def _safely(callback: Callable[..., None], *args: object) -> None:
    try:
        callback(*args)
    except Exception:
        log.exception("listener %r failed", callback)
