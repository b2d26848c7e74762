"""Alert policy (which events become alerts) and the alert state machine.

Policy: one alert per track per rule; a cooldown per camera and alert type; no new alert
while an equivalent one is still open (same camera and type, and for vehicle alerts the
same place on the image, which survives tracker id switches).

State machine: new -> acknowledged -> dispatched -> resolved | false_positive. A false
positive may be marked from any open state; resolving needs an acknowledgement first.
Terminal states are final. Resolve and false-positive need a note.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from console.domain.records import Alert, AlertAction, AlertStatus, AlertType, Event, Severity

ALLOWED_TRANSITIONS: dict[AlertStatus, frozenset[AlertStatus]] = {
    AlertStatus.NEW: frozenset({AlertStatus.ACKNOWLEDGED, AlertStatus.FALSE_POSITIVE}),
    AlertStatus.ACKNOWLEDGED: frozenset(
        {AlertStatus.DISPATCHED, AlertStatus.RESOLVED, AlertStatus.FALSE_POSITIVE}
    ),
    AlertStatus.DISPATCHED: frozenset({AlertStatus.RESOLVED, AlertStatus.FALSE_POSITIVE}),
    AlertStatus.RESOLVED: frozenset(),
    AlertStatus.FALSE_POSITIVE: frozenset(),
}
NOTE_REQUIRED = frozenset({AlertStatus.RESOLVED, AlertStatus.FALSE_POSITIVE})
SYSTEM_ACTOR = "system"
# Alerts the system may close by itself when their cause is gone (a camera back online).
AUTO_RESOLVED_TYPES = frozenset({AlertType.CAMERA_HEALTH})


class TransitionError(ValueError):
    """An operator asked for a change the alert's state does not allow."""


def transition(
    alert: Alert,
    to: AlertStatus,
    *,
    actor: str,
    at: datetime,
    note: str = "",
    unit: str | None = None,
    console_id: str = "",
) -> tuple[Alert, AlertAction]:
    """The alert after the change, and the action to record; raises :class:`TransitionError`."""
    if at.tzinfo is None:
        raise TransitionError("the time of an action must be timezone-aware (UTC)")
    auto_resolve = (
        actor == SYSTEM_ACTOR
        and to is AlertStatus.RESOLVED
        and not alert.status.is_terminal
        and alert.type in AUTO_RESOLVED_TYPES
    )
    if to not in ALLOWED_TRANSITIONS[alert.status] and not auto_resolve:
        if alert.status.is_terminal:
            raise TransitionError(
                f"alert is already {alert.status.value}; a closed alert cannot become {to.value}"
            )
        allowed = ", ".join(sorted(s.value for s in ALLOWED_TRANSITIONS[alert.status]))
        raise TransitionError(
            f"cannot go from {alert.status.value} to {to.value}; allowed next: {allowed}"
        )
    if to in NOTE_REQUIRED and not note.strip():
        raise TransitionError(f"a note is required to mark an alert {to.value.replace('_', ' ')}")
    if to is AlertStatus.DISPATCHED and not unit:
        raise TransitionError("dispatching needs a patrol unit")
    if not actor.strip():
        raise TransitionError("every action needs the user who took it")
    updated = alert.evolve(
        status=to, updated_at=at, assigned_unit=unit if unit is not None else alert.assigned_unit
    )
    action = AlertAction(alert.id, to.value, actor, at, note.strip(), console_id, unit)
    return updated, action


def add_note(
    alert: Alert, *, actor: str, at: datetime, note: str, console_id: str = ""
) -> AlertAction:
    if not note.strip():
        raise TransitionError("a note cannot be empty")
    return AlertAction(alert.id, "note", actor, at, note.strip(), console_id)


DEFAULT_COOLDOWN_S: dict[AlertType, float] = {
    AlertType.WRONG_WAY: 10.0,
    AlertType.STOPPED_VEHICLE: 60.0,
    AlertType.SPEEDING: 0.0,  # every speeding vehicle is its own case
    AlertType.RED_LIGHT: 0.0,
    AlertType.LANE_VIOLATION: 0.0,
    AlertType.PEDESTRIAN: 30.0,
    AlertType.CONGESTION: 300.0,
    AlertType.CAMERA_HEALTH: 60.0,
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


def box_iou(a: tuple[float, float, float, float], b: tuple[float, float, float, float]) -> float:
    ix = max(0.0, min(a[2], b[2]) - max(a[0], b[0]))
    iy = max(0.0, min(a[3], b[3]) - max(a[1], b[1]))
    inter = ix * iy
    union = (a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - inter
    return inter / union if union > 0 else 0.0


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

    def closed(self, alert: Alert) -> None:
        """The alert reached a terminal state (here or elsewhere): it no longer suppresses."""
        with self._lock:
            self._open.pop(alert.id, None)

    def open_alerts(self) -> Iterable[Alert]:
        with self._lock:
            return list(self._open.values())
