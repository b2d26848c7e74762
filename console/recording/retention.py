"""Recording retention: oldest segments go first, by age and by disk budget.

Segments overlapping the time of an alert whose evidence is on legal hold are never
deleted (with a margin for the evidence clip before and after the alert). Every pruning
run that deletes something writes one audit entry listing what went.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Protocol

from sqlalchemy import select

from console.recording.index import RecordingIndex, Segment
from console.security.audit import AuditAction
from console.security.permits import RETENTION_JOB, SystemJob, authorize
from console.security.roles import Permission
from console.store.local import LocalStore
from console.store.models import ALERTS, EVENTS, EVIDENCE

log = logging.getLogger(__name__)
HOLD_MARGIN_S = 30.0


@dataclass(frozen=True, slots=True)
class HeldWindow:
    """A camera's time range that must stay recorded (UTC epoch seconds)."""

    camera_id: str
    start_s: float
    end_s: float

    def overlaps(self, segment: Segment) -> bool:
        return (
            segment.camera_id == self.camera_id
            and segment.start_s <= self.end_s
            and segment.end_s >= self.start_s
        )


@dataclass
class RecordingPruneReport:
    removed: list[Segment] = field(default_factory=list)
    kept_on_hold: int = 0

    @property
    def bytes_freed(self) -> int:
        return sum(s.size_bytes for s in self.removed)


class Auditor(Protocol):
    def record_and_wait(self, user: str, action: str, details: dict[str, object]) -> None: ...


def held_windows(store: LocalStore, margin_s: float = HOLD_MARGIN_S) -> list[HeldWindow]:
    """The alert times whose evidence is on legal hold, from the local store."""
    statement = (
        select(EVENTS.c.camera_id, EVENTS.c.started_at, EVENTS.c.ended_at)
        .join(ALERTS, ALERTS.c.event_id == EVENTS.c.id)
        .join(EVIDENCE, EVIDENCE.c.alert_id == ALERTS.c.id)
        .where(EVIDENCE.c.legal_hold.is_(True))
        .distinct()
    )
    with store.session() as session:
        rows = session.execute(statement).all()
    return [
        HeldWindow(
            row.camera_id,
            _epoch(row.started_at) - margin_s,
            _epoch(row.ended_at) + margin_s,
        )
        for row in rows
    ]


def _epoch(moment: datetime) -> float:
    if moment.tzinfo is None:  # SQLite hands back naive UTC
        moment = moment.replace(tzinfo=UTC)
    return moment.timestamp()


def prune_recordings(
    index: RecordingIndex,
    *,
    now: datetime,
    max_age: timedelta,
    budget_bytes: int | None = None,
    held: Iterable[HeldWindow] = (),
    audit: Auditor | None = None,
    actor: SystemJob = RETENTION_JOB,
) -> RecordingPruneReport:
    """Delete segments older than ``max_age``, then the oldest until under the budget.

    Only the console's own retention schedule prunes recordings (no person does), so the
    actor is a system job, audited as ``system`` with the job's name.
    """
    user = authorize(actor, Permission.DELETE_DATA, None, "prune recordings")
    windows = list(held)
    report = RecordingPruneReport()
    cutoff = now.timestamp() - max_age.total_seconds()
    segments = index.segments()
    total = sum(s.size_bytes for s in segments)
    doomed: list[Segment] = []
    for segment in segments:  # oldest first
        too_old = segment.end_s < cutoff
        over_budget = budget_bytes is not None and total > budget_bytes
        if not (too_old or over_budget):
            continue
        if any(window.overlaps(segment) for window in windows):
            report.kept_on_hold += 1
            continue
        doomed.append(segment)
        total -= segment.size_bytes
    if not doomed:
        return report
    if audit is not None:  # audited before anything is gone
        audit.record_and_wait(
            user,
            AuditAction.DELETION,
            {
                "what": "recording segments",
                "job": actor.job,
                "kept_on_legal_hold": report.kept_on_hold,
                "reason": f"older than {max_age.days} days or over the recording budget",
                "segments": len(doomed),
                "bytes": sum(s.size_bytes for s in doomed),
                "cameras": sorted({s.camera_id for s in doomed}),
                "from": min(s.start_s for s in doomed),
                "to": max(s.end_s for s in doomed),
            },
        )
    index.remove([s.id for s in doomed])
    for segment in doomed:
        for path in (segment.path, segment.meta_path):
            try:
                Path(path).unlink(missing_ok=True)
            except OSError as error:
                log.error("could not delete recording file %s: %s", path, error)
    report.removed = doomed
    return report
