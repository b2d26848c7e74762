"""Statistics for the console's plots, from plain records (no Qt, no database access).

Vehicles per minute by class, alerts per hour by type, and the mean time from an alert's
arrival to its acknowledgement per shift (day 06:00-18:00, night 18:00-06:00 local time).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from console.domain.records import Alert, AlertType

DAY_SHIFT_START = time(6, 0)
NIGHT_SHIFT_START = time(18, 0)


@dataclass(frozen=True, slots=True)
class MinuteCount:
    """Road users of a class counted on a camera during one UTC minute."""

    camera_id: str
    class_name: str
    minute: datetime
    count: int


@dataclass(frozen=True, slots=True)
class Series:
    """Values on a regular time grid starting at ``start`` with ``step`` between points."""

    start: datetime
    step: timedelta
    values: tuple[float, ...]

    def times(self) -> list[datetime]:
        return [self.start + i * self.step for i in range(len(self.values))]


@dataclass(frozen=True, slots=True)
class ShiftResponse:
    shift_start: datetime  # local time, timezone-aware
    night: bool
    mean_s: float
    alerts: int


def floor_to(moment: datetime, step: timedelta) -> datetime:
    seconds = step.total_seconds()
    epoch = moment.timestamp()
    return datetime.fromtimestamp(epoch - epoch % seconds, tz=moment.tzinfo)


def _grid(since: datetime, until: datetime, step: timedelta) -> tuple[datetime, int]:
    start = floor_to(since, step)
    slots = max(1, int((until - start) / step + 0.999999))
    return start, slots


def vehicles_per_minute(
    counts: Iterable[MinuteCount], since: datetime, until: datetime
) -> dict[str, Series]:
    """Per class, vehicles per minute on a one-minute grid from ``since`` to ``until``."""
    step = timedelta(minutes=1)
    start, slots = _grid(since, until, step)
    per_class: dict[str, list[float]] = defaultdict(lambda: [0.0] * slots)
    for record in counts:
        slot = int((floor_to(record.minute, step) - start) / step)
        if 0 <= slot < slots:
            per_class[record.class_name][slot] += record.count
    return {name: Series(start, step, tuple(values)) for name, values in per_class.items()}


def alerts_per_hour(
    alerts: Iterable[Alert], since: datetime, until: datetime
) -> dict[AlertType, Series]:
    """Per alert type, alerts raised per hour on a one-hour grid."""
    step = timedelta(hours=1)
    start, slots = _grid(since, until, step)
    per_type: dict[AlertType, list[float]] = defaultdict(lambda: [0.0] * slots)
    for alert in alerts:
        slot = int((alert.created_at - start) / step)
        if 0 <= slot < slots:
            per_type[alert.type][slot] += 1
    return {kind: Series(start, step, tuple(values)) for kind, values in per_type.items()}


def shift_start(moment: datetime, timezone: str) -> tuple[datetime, bool]:
    """The local start of the shift ``moment`` falls in, and whether it is a night shift."""
    local = moment.astimezone(ZoneInfo(timezone))
    day_start = local.replace(
        hour=DAY_SHIFT_START.hour, minute=DAY_SHIFT_START.minute, second=0, microsecond=0
    )
    night_start = local.replace(
        hour=NIGHT_SHIFT_START.hour, minute=NIGHT_SHIFT_START.minute, second=0, microsecond=0
    )
    if local >= night_start:
        return night_start, True
    if local >= day_start:
        return day_start, False
    return night_start - timedelta(days=1), True


def mean_response_per_shift(
    responses: Iterable[tuple[datetime, datetime]], timezone: str
) -> list[ShiftResponse]:
    """Mean seconds from ``created_at`` to the first acknowledgement, grouped by shift.

    ``responses`` holds (created_at, acknowledged_at) pairs; shifts are returned oldest first.
    """
    groups: dict[tuple[datetime, bool], list[float]] = defaultdict(list)
    for created, acknowledged in responses:
        groups[shift_start(created, timezone)].append(
            max(0.0, (acknowledged - created).total_seconds())
        )
    return [
        ShiftResponse(start, night, sum(values) / len(values), len(values))
        for (start, night), values in sorted(groups.items())
    ]
