"""The replay timeline of one camera: where there is recording, where not and why, alerts.

Pure data for the timeline widget (and tests): coverage intervals merged from the
segment index, the gaps between them with their reason (the camera was offline, or it
was not recording), and the alerts raised on the camera in the range.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy.orm import Session

from console.domain.records import Alert, AlertStatus, AlertType, Severity, utc_from_epoch
from console.recording.index import HealthChange, RecordingIndex
from console.store import queries

DOWN_STATES = ("offline", "stalled", "error", "connecting")


@dataclass(frozen=True, slots=True)
class Interval:
    start_s: float
    end_s: float

    @property
    def seconds(self) -> float:
        return self.end_s - self.start_s


@dataclass(frozen=True, slots=True)
class Gap:
    start_s: float
    end_s: float
    reason: str  # "offline" (the camera was down) | "not_recorded"
    detail: str = ""

    @property
    def seconds(self) -> float:
        return self.end_s - self.start_s


@dataclass(frozen=True, slots=True)
class AlertMarker:
    time_s: float
    alert_id: uuid.UUID
    type: AlertType
    priority: Severity
    status: AlertStatus
    message: str = ""


@dataclass
class Timeline:
    camera_id: str
    start_s: float
    end_s: float
    coverage: list[Interval] = field(default_factory=list)
    gaps: list[Gap] = field(default_factory=list)
    alerts: list[AlertMarker] = field(default_factory=list)

    def covered_at(self, time_s: float) -> bool:
        return any(i.start_s <= time_s <= i.end_s for i in self.coverage)

    def gap_at(self, time_s: float) -> Gap | None:
        return next((g for g in self.gaps if g.start_s <= time_s < g.end_s), None)


def build_timeline(
    index: RecordingIndex,
    camera_id: str,
    start_s: float,
    end_s: float,
    alerts: Iterable[Alert] = (),
    join_s: float = 1.0,
) -> Timeline:
    """Coverage, gaps and alert markers of ``camera_id`` between two UTC epoch times.

    Segments closer than ``join_s`` count as continuous (a rotation between two segments
    leaves one frame interval between them).
    """
    timeline = Timeline(camera_id, start_s, end_s)
    for segment in index.segments(camera_id, start_s, end_s):
        begin, finish = max(segment.start_s, start_s), min(segment.end_s, end_s)
        if timeline.coverage and begin - timeline.coverage[-1].end_s <= join_s:
            last = timeline.coverage[-1]
            timeline.coverage[-1] = Interval(last.start_s, max(last.end_s, finish))
        else:
            timeline.coverage.append(Interval(begin, finish))
    cursor = start_s
    changes = index.health_changes(camera_id, start_s, end_s)
    for interval in [*timeline.coverage, Interval(end_s, end_s)]:
        if interval.start_s - cursor > join_s:
            timeline.gaps.append(_gap(cursor, interval.start_s, changes))
        cursor = max(cursor, interval.end_s)
    timeline.alerts = alert_markers(camera_id, start_s, end_s, alerts)
    return timeline


def alert_markers(
    camera_id: str, start_s: float, end_s: float, alerts: Iterable[Alert]
) -> list[AlertMarker]:
    """The markers of the camera's alerts that started in the range, oldest first."""
    return sorted(
        (
            AlertMarker(
                alert.event.started_at.timestamp(),
                alert.id,
                alert.type,
                alert.priority,
                alert.status,
                alert.event.message,
            )
            for alert in alerts
            if alert.camera_id == camera_id
            and start_s <= alert.event.started_at.timestamp() <= end_s
        ),
        key=lambda marker: marker.time_s,
    )


def _gap(start_s: float, end_s: float, changes: list[HealthChange]) -> Gap:
    """A gap is 'offline' when the camera was reported down at some time inside it."""
    down = [
        change
        for change in changes
        if change.state in DOWN_STATES
        and change.at_s < end_s
        and _next_up_after(changes, change.at_s) >= start_s
    ]
    if down:
        worst = next((c for c in reversed(down) if c.state != "connecting"), down[-1])
        return Gap(start_s, end_s, "offline", worst.reason or worst.state)
    return Gap(start_s, end_s, "not_recorded")


def _next_up_after(changes: list[HealthChange], at_s: float) -> float:
    ups = [c.at_s for c in changes if c.state == "live" and c.at_s > at_s]
    return min(ups) if ups else float("inf")


def stored_alerts(
    session: Session, camera_ids: Iterable[str], start: datetime, end: datetime
) -> list[Alert]:
    """The alerts of the cameras in the range, from the local store (for the markers).

    A read query: the UI runs it on the store's reader thread.
    """
    return queries.list_alerts(
        session, camera_ids=list(camera_ids), since=start, until=end, limit=5000
    )


def epoch_range(start_s: float, end_s: float) -> tuple[datetime, datetime]:
    return utc_from_epoch(start_s), utc_from_epoch(end_s)
