"""The records every stage after tracking shares: events, alerts, actions, evidence.

Times are timezone-aware UTC. Identifiers are UUIDv7 (time-ordered), so rows from many
consoles merge in the central database without coordination and index well.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from enum import StrEnum
from types import MappingProxyType
from typing import Any

from uuid6 import uuid7

from console.domain.plates import PlateRead

Value = float | int | str | bool


def new_id() -> uuid.UUID:
    return uuid.UUID(int=uuid7().int)


def utc_now() -> datetime:
    return datetime.now(UTC)


def utc_from_epoch(seconds: float) -> datetime:
    return datetime.fromtimestamp(seconds, UTC)


class AlertType(StrEnum):
    WRONG_WAY = "wrong_way"
    STOPPED_VEHICLE = "stopped_vehicle"
    SPEEDING = "speeding"
    RED_LIGHT = "red_light"
    LANE_VIOLATION = "lane_violation"
    PEDESTRIAN = "pedestrian"
    CONGESTION = "congestion"
    CAMERA_HEALTH = "camera_health"
    WATCHLIST = "watchlist"  # a plate on the watch-list was read


class Severity(StrEnum):
    CRITICAL = "critical"
    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"

    @property
    def rank(self) -> int:
        """0 is the most urgent; sort ascending to put critical first."""
        return _SEVERITY_RANK[self]


_SEVERITY_RANK = {Severity.CRITICAL: 0, Severity.HIGH: 1, Severity.MEDIUM: 2, Severity.LOW: 3}


class AlertStatus(StrEnum):
    NEW = "new"
    ACKNOWLEDGED = "acknowledged"
    DISPATCHED = "dispatched"
    RESOLVED = "resolved"
    FALSE_POSITIVE = "false_positive"

    @property
    def is_terminal(self) -> bool:
        return self in (AlertStatus.RESOLVED, AlertStatus.FALSE_POSITIVE)

    @property
    def order(self) -> int:
        """Position along new -> acknowledged -> dispatched -> terminal (monotonic)."""
        return _STATUS_ORDER[self]


_STATUS_ORDER = {
    AlertStatus.NEW: 0,
    AlertStatus.ACKNOWLEDGED: 1,
    AlertStatus.DISPATCHED: 2,
    AlertStatus.RESOLVED: 3,
    AlertStatus.FALSE_POSITIVE: 3,
}


def frozen_values(values: Mapping[str, Value] | None = None) -> MappingProxyType[str, Value]:
    return MappingProxyType(dict(values or {}))


@dataclass(frozen=True, slots=True)
class Event:
    """A rule fired: what, where, when, on which track, with the measured values."""

    type: AlertType
    camera_id: str
    started_at: datetime
    ended_at: datetime
    severity: Severity
    track_id: int | None = None
    class_name: str | None = None
    box_xyxy: tuple[float, float, float, float] | None = None
    values: MappingProxyType[str, Value] = field(default_factory=frozen_values)
    rule_id: str = ""
    message: str = ""
    id: uuid.UUID = field(default_factory=new_id)

    def __post_init__(self) -> None:
        for name in ("started_at", "ended_at"):
            moment = getattr(self, name)
            if moment.tzinfo is None:
                raise ValueError(f"Event.{name} must be timezone-aware (UTC), got {moment!r}")


@dataclass(frozen=True, slots=True)
class AlertAction:
    """One step in an alert's history: a status change or a note, by whom and when."""

    alert_id: uuid.UUID
    action: str  # an AlertStatus value, or "note"
    actor: str
    at: datetime
    note: str = ""
    console_id: str = ""
    unit: str | None = None
    id: uuid.UUID = field(default_factory=new_id)


@dataclass(frozen=True, slots=True)
class EvidenceRef:
    """A stored evidence file, addressed by its SHA-256."""

    kind: str  # snapshot | crop | clip | metadata
    sha256: str
    path: str
    size_bytes: int


@dataclass(frozen=True, slots=True)
class Alert:
    """An event promoted to the operators' queue, and where its handling stands."""

    event: Event
    priority: Severity
    status: AlertStatus = AlertStatus.NEW
    created_at: datetime = field(default_factory=utc_now)
    updated_at: datetime = field(default_factory=utc_now)
    assigned_unit: str | None = None
    evidence: tuple[EvidenceRef, ...] = ()
    training: bool = False
    id: uuid.UUID = field(default_factory=new_id)
    plate: PlateRead | None = None  # read from the vehicle, or entered by an operator

    @property
    def camera_id(self) -> str:
        return self.event.camera_id

    @property
    def type(self) -> AlertType:
        return self.event.type

    def evolve(self, **changes: Any) -> Alert:
        return replace(self, **changes)
