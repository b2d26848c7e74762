"""Local retention: free disk by age and budget, only of what central storage holds.

Never pruned: evidence not confirmed by central storage (hash verified there), evidence on
legal hold (counted and reported as kept), and anything whose outbox entry is still
pending. Pruning is deletion: a person needs ``delete_data`` (a refusal is audited), the
scheduled job acts as ``system`` (:data:`~console.security.permits.RETENTION_JOB`). Every
deletion writes an audit entry in the same transaction, under the acting user's name.
Files are unlinked after that transaction commits: a crash in between leaves an orphan
file, never a record pointing at nothing that the audit log does not explain.
"""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, and_, delete, exists, func, select, update

from console.security.audit import AuditLog
from console.security.permits import Acting, authorize, job_of
from console.security.roles import Permission
from console.store import write_jobs
from console.store.local import LocalStore
from console.store.models import ACTIONS, ALERTS, EVENTS, EVIDENCE, OUTBOX
from console.store.records import AuditEntry

log = logging.getLogger(__name__)

TERMINAL = ("resolved", "false_positive")


@dataclass
class PruneReport:
    evidence_pruned: int = 0
    bytes_freed: int = 0
    alerts_pruned: int = 0
    kept_on_hold: int = 0  # evidence files past the retention period, kept by a legal hold
    files_to_delete: list[Path] = field(default_factory=list)


def _unsynced_alert() -> Any:
    """True for alert rows that still have an outbox entry (alert or action) pending."""
    pending_alert = exists().where(
        OUTBOX.c.kind == "alert", OUTBOX.c.entity_id == ALERTS.c.id, OUTBOX.c.done_at.is_(None)
    )
    pending_action = exists().where(
        OUTBOX.c.kind == "action",
        OUTBOX.c.done_at.is_(None),
        OUTBOX.c.entity_id == ACTIONS.c.id,
        ACTIONS.c.alert_id == ALERTS.c.id,
    )
    return pending_alert | pending_action


def _prunable_evidence() -> Any:
    return (
        select(
            EVIDENCE.c.id,
            EVIDENCE.c.alert_id,
            EVIDENCE.c.sha256,
            EVIDENCE.c.size_bytes,
            EVIDENCE.c.local_path,
            EVIDENCE.c.created_at,
        )
        .join(ALERTS, ALERTS.c.id == EVIDENCE.c.alert_id)
        .where(
            EVIDENCE.c.local_path.is_not(None),
            EVIDENCE.c.central_state == "confirmed",
            EVIDENCE.c.legal_hold.is_(False),
            ~_unsynced_alert(),
        )
        .order_by(EVIDENCE.c.created_at, EVIDENCE.c.id)
    )


def _prune_item(
    connection: Connection, item: Any, reason: str, now: datetime, actor: str, report: PruneReport
) -> None:
    connection.execute(
        update(EVIDENCE).where(EVIDENCE.c.id == item.id).values(local_path=None, pruned_at=now)
    )
    details = {
        "evidence_id": str(item.id),
        "alert_id": str(item.alert_id),
        "sha256": item.sha256,
        "path": item.local_path,
        "size_bytes": item.size_bytes,
        "reason": reason,
    }
    write_jobs.append_audit(
        connection, AuditEntry(now, actor, "evidence.pruned", AuditEntry.details_of(details))
    )
    still_used = connection.execute(
        select(func.count()).where(EVIDENCE.c.local_path == item.local_path)
    ).scalar_one()
    if not still_used:
        report.files_to_delete.append(Path(item.local_path))
    report.evidence_pruned += 1
    report.bytes_freed += item.size_bytes


def prune_job(
    connection: Connection,
    *,
    now: datetime,
    max_age: timedelta,
    budget_bytes: int | None,
    actor: str,
    job: str | None = None,
) -> PruneReport:
    """Writer job: decide and record what to prune (files are removed after commit).

    A summary ``deletion`` entry follows the per-item ones: always for a person, for the
    scheduled ``job`` only when it pruned something (an hourly no-op is not news).
    """
    report = PruneReport()
    cutoff = now - max_age
    candidates = list(connection.execute(_prunable_evidence()))
    remaining = []
    for item in candidates:
        if item.created_at < cutoff:
            _prune_item(connection, item, f"older than {max_age.days} days", now, actor, report)
        else:
            remaining.append(item)
    if budget_bytes is not None:
        stored = connection.execute(
            select(func.coalesce(func.sum(EVIDENCE.c.size_bytes), 0)).where(
                EVIDENCE.c.local_path.is_not(None)
            )
        ).scalar_one()
        for item in remaining:
            if stored <= budget_bytes:
                break
            _prune_item(connection, item, "over the disk budget", now, actor, report)
            stored -= item.size_bytes
    _prune_old_alerts(connection, cutoff, now, actor, report)
    report.kept_on_hold = connection.execute(
        select(func.count()).where(
            EVIDENCE.c.local_path.is_not(None),
            EVIDENCE.c.legal_hold.is_(True),
            EVIDENCE.c.created_at < cutoff,
        )
    ).scalar_one()
    # Outbox rows already confirmed are bookkeeping only; keep a while for diagnosis.
    connection.execute(delete(OUTBOX).where(OUTBOX.c.done_at < cutoff))
    if job is None or report.evidence_pruned or report.alerts_pruned:
        summary = {
            "what": "local evidence and alerts",
            "evidence_pruned": report.evidence_pruned,
            "alerts_pruned": report.alerts_pruned,
            "bytes_freed": report.bytes_freed,
            "kept_on_legal_hold": report.kept_on_hold,
            "max_age_days": max_age.days,
            "budget_bytes": budget_bytes,
        }
        if job is not None:
            summary["job"] = job
        entry = AuditEntry(now, actor, "deletion", AuditEntry.details_of(summary))
        write_jobs.append_audit(connection, entry)
    return report


def _prune_old_alerts(
    connection: Connection, cutoff: datetime, now: datetime, actor: str, report: PruneReport
) -> None:
    """Delete old closed alerts whose every piece is synced and no file is kept locally."""
    kept_evidence = exists().where(
        EVIDENCE.c.alert_id == ALERTS.c.id,
        (EVIDENCE.c.local_path.is_not(None))
        | EVIDENCE.c.legal_hold.is_(True)
        | (EVIDENCE.c.central_state != "confirmed"),
    )
    rows = connection.execute(
        select(
            ALERTS.c.id, ALERTS.c.event_id, ALERTS.c.camera_id, ALERTS.c.type, ALERTS.c.status
        ).where(
            ALERTS.c.created_at < cutoff,
            ALERTS.c.status.in_(TERMINAL),
            ALERTS.c.training.is_(False),
            ~kept_evidence,
            ~_unsynced_alert(),
        )
    ).all()
    for row in rows:
        _delete_alert(connection, row.id, row.event_id)
        details = {
            "alert_id": str(row.id),
            "camera_id": row.camera_id,
            "type": row.type,
            "status": row.status,
            "reason": "past the retention period; kept centrally",
        }
        write_jobs.append_audit(
            connection, AuditEntry(now, actor, "alert.pruned", AuditEntry.details_of(details))
        )
        report.alerts_pruned += 1


def _delete_alert(connection: Connection, alert_id: uuid.UUID, event_id: uuid.UUID) -> None:
    connection.execute(delete(ACTIONS).where(ACTIONS.c.alert_id == alert_id))
    connection.execute(delete(EVIDENCE).where(EVIDENCE.c.alert_id == alert_id))
    connection.execute(delete(ALERTS).where(ALERTS.c.id == alert_id))
    still_referenced = select(ALERTS.c.id).where(ALERTS.c.event_id == event_id).exists()
    connection.execute(delete(EVENTS).where(and_(EVENTS.c.id == event_id, ~still_referenced)))


def prune_local(
    store: LocalStore,
    *,
    now: datetime,
    max_age: timedelta,
    budget_bytes: int | None = None,
    actor: Acting | None,
) -> PruneReport:
    """Prune the local cache (through the writer) and delete the freed files.

    Raises PermissionError (audited) when ``actor`` may not delete data.
    """
    audit = AuditLog(store, store.console_id)
    what = f"prune local evidence and alerts older than {max_age.days} days"
    user = authorize(actor, Permission.DELETE_DATA, audit, what)
    job = job_of(actor) if actor is not None else None
    report = store.writer.submit(
        lambda connection: prune_job(
            connection,
            now=now,
            max_age=max_age,
            budget_bytes=budget_bytes,
            actor=user,
            job=job,
        )
    ).result()
    for path in report.files_to_delete:
        try:
            path.unlink()
        except FileNotFoundError:
            pass
        except OSError as exc:  # recorded as pruned; the file is an orphan to clean by hand
            log.error("could not delete pruned evidence file %s: %s", path, exc)
    return report
