"""Alert policy: which events become alerts (the last stage of a camera's pipeline).

One alert per track per rule; a cooldown per camera and alert type; no new alert while an
equivalent one is still open (same camera and type, and for vehicle alerts the same place
on the image, which survives tracker id switches).
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from console.domain.geometry import box_iou
from console.domain.records import Alert, AlertType, Event, Severity

DEFAULT_COOLDOWN_S: dict[AlertType, float] = {
    AlertType.WRONG_WAY: 10.0,
    AlertType.STOPPED_VEHICLE: 60.0,
    AlertType.SPEEDING: 0.0,  # every speeding vehicle is its own case
    AlertType.RED_LIGHT: 0.0,
    AlertType.LANE_VIOLATION: 0.0,
    AlertType.PEDESTRIAN: 30.0,
    AlertType.CONGESTION: 300.0,
    AlertType.CAMERA_HEALTH: 60.0,
    AlertType.WATCHLIST: 0.0,  # raised by the watch-list monitor, once per vehicle
}
VEHICLE_ALERTS = frozenset(
    {
        AlertType.WRONG_WAY,
        AlertType.STOPPED_VEHICLE,
        AlertType.SPEEDING,
        AlertType.RED_LIGHT,
        AlertType.LANE_VIOLATION,
        AlertType.PEDESTRIAN,
    }
)
# Alerts about a place or a camera rather than a vehicle: one open at a time per camera.
AREA_ALERTS = frozenset({AlertType.CONGESTION, AlertType.CAMERA_HEALTH})


@dataclass
class AlertPolicy:
    """Decides which events become alerts. Thread-safe; one instance per console."""

    priorities: Mapping[str, str]
    cooldown_s: Mapping[AlertType, float] = field(default_factory=lambda: dict(DEFAULT_COOLDOWN_S))
    same_place_iou: float = 0.3
    _alerted_tracks: set[tuple[str, AlertType, int]] = field(default_factory=set)
    _last_alert_at: dict[tuple[str, AlertType], datetime] = field(default_factory=dict)
    _open: dict[object, Alert] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)
    suppressed: int = 0

    def consider(self, event: Event, rule_priority: str | None = None) -> Alert | None:
        """An alert for ``event``, or None when policy suppresses it (counted)."""
        with self._lock:
            if self._suppressed_by_policy(event):
                self.suppressed += 1
                return None
            alert = Alert(
                event=event,
                priority=self._priority(event, rule_priority),
                created_at=event.started_at,
                updated_at=event.started_at,
            )
            if event.track_id is not None:
                self._alerted_tracks.add((event.camera_id, event.type, event.track_id))
            self._last_alert_at[(event.camera_id, event.type)] = event.started_at
            self._open[alert.id] = alert
            return alert

    def _suppressed_by_policy(self, event: Event) -> bool:
        key = (event.camera_id, event.type)
        if (
            event.track_id is not None
            and (event.camera_id, event.type, event.track_id) in self._alerted_tracks
        ):
            return True
        last = self._last_alert_at.get(key)
        cooldown = timedelta(seconds=self.cooldown_s.get(event.type, 0.0))
        if last is not None and event.started_at - last < cooldown:
            return True
        return any(self._equivalent(event, alert) for alert in self._open.values())

    def _equivalent(self, event: Event, alert: Alert) -> bool:
        other = alert.event
        if (other.camera_id, other.type) != (event.camera_id, event.type):
            return False
        if event.type in AREA_ALERTS:
            return other.rule_id == event.rule_id
        if event.box_xyxy is None or other.box_xyxy is None:
            return False
        if event.type is AlertType.STOPPED_VEHICLE:  # same parked car, new tracker id
            return box_iou(event.box_xyxy, other.box_xyxy) >= self.same_place_iou
        return False

    def _priority(self, event: Event, rule_priority: str | None) -> Severity:
        base = Severity(
            rule_priority or self.priorities.get(event.type.value, event.severity.value)
        )
        return min(base, event.severity, key=lambda s: s.rank)  # the rule can raise urgency

    def adopt(self, alerts: Iterable[Alert]) -> None:
        """Alerts another analyser of this camera raised: they suppress as if raised here.

        An analytics node that takes over a camera adopts the camera's recent alerts from
        the bus, so an incident still in view is not raised a second time: open ones block
        an equivalent alert, and each type's cooldown runs from its last alert.
        """
        with self._lock:
            for alert in alerts:
                key = (alert.camera_id, alert.type)
                last = self._last_alert_at.get(key)
                if last is None or alert.event.started_at > last:
                    self._last_alert_at[key] = alert.event.started_at
                if not alert.status.is_terminal:
                    self._open[alert.id] = alert

    def closed(self, alert: Alert) -> None:
        """The alert reached a terminal state (here or elsewhere): it no longer suppresses."""
        with self._lock:
            self._open.pop(alert.id, None)

    def open_alerts(self) -> Iterable[Alert]:
        with self._lock:
            return list(self._open.values())
