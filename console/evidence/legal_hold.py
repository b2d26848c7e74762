"""Legal hold on an alert's evidence: put on or lifted by a person with ``set_legal_hold``.

Held evidence is never pruned or deleted (console/retention/store.py and the recording
retention skip it). The permission is checked here, in the core, so the alert detail and
``roadwatch evidence hold|release`` are refused alike; a refusal is audited by
:func:`~console.security.permits.authorize`, a change is audited in the same transaction
that changes the evidence rows (``legal_hold.set`` / ``legal_hold.lifted``).
"""

from __future__ import annotations

import uuid
from concurrent.futures import Future
from datetime import datetime
from enum import StrEnum
from functools import partial

from sqlalchemy import Connection, select, update
from sqlalchemy.orm import Session

from console.domain.records import utc_now
from console.security.audit import AuditAction, AuditLog
from console.security.permits import authorize
from console.security.roles import Actor, Permission
from console.store import write_jobs
from console.store.local import LocalStore
from console.store.models import ALERTS, EVIDENCE
from console.store.records import AuditEntry
from console.store.write_jobs import UnknownAlertError


class HoldState(StrEnum):
    HELD = "held"
    NOT_HELD = "not held"
    PARTLY_HELD = "partly held"  # some files held (evidence added after the hold)
    NO_EVIDENCE = "no evidence"


class NoEvidenceError(LookupError):
    """The alert has no stored evidence a hold could keep."""


def hold_state(session: Session, alert_id: uuid.UUID) -> HoldState:
    """Whether the alert's stored evidence is on legal hold (a query for the reader thread)."""
    flags = session.execute(
        select(EVIDENCE.c.legal_hold).where(EVIDENCE.c.alert_id == alert_id)
    ).scalars()
    values = [bool(flag) for flag in flags]
    total, held = len(values), sum(values)
    if total == 0:
        return HoldState.NO_EVIDENCE
    if held == total:
        return HoldState.HELD
    return HoldState.PARTLY_HELD if held else HoldState.NOT_HELD


def _hold_job(
    connection: Connection, alert_id: uuid.UUID, held: bool, user: str, at: datetime
) -> int:
    """Writer job: flag every evidence row of the alert and audit it, in one transaction."""
    if connection.execute(select(ALERTS.c.id).where(ALERTS.c.id == alert_id)).first() is None:
        raise UnknownAlertError(f"alert {alert_id} is not in the local store")
    changed = connection.execute(
        update(EVIDENCE).where(EVIDENCE.c.alert_id == alert_id).values(legal_hold=held)
    ).rowcount
    if not changed:  # a hold on nothing would be recorded, yet keep nothing
        raise NoEvidenceError(f"alert {alert_id} has no stored evidence to put on legal hold")
    action = AuditAction.LEGAL_HOLD_SET if held else AuditAction.LEGAL_HOLD_LIFTED
    details = {"alert_id": str(alert_id), "evidence_files": changed}
    write_jobs.append_audit(
        connection, AuditEntry(at, user, action, AuditEntry.details_of(details))
    )
    return int(changed)


def set_legal_hold(
    store: LocalStore,
    actor: Actor | None,
    alert_id: uuid.UUID,
    held: bool,
    audit: AuditLog,
) -> Future[int]:
    """Put the alert's evidence on legal hold (``held``) or lift the hold, as ``actor``.

    Raises PermissionError (audited) at once when the actor may not; the future gives the
    number of evidence files changed once the change and its audit entry are committed,
    or fails with :class:`UnknownAlertError` / :class:`NoEvidenceError`.
    """
    what = (
        f"put the evidence of alert {alert_id} on legal hold"
        if held
        else f"lift the legal hold on alert {alert_id}"
    )
    user = authorize(actor, Permission.SET_LEGAL_HOLD, audit, what)
    job = partial(_hold_job, alert_id=alert_id, held=held, user=user, at=utc_now())
    return store.writer.submit(job)


__all__ = ["HoldState", "NoEvidenceError", "UnknownAlertError", "hold_state", "set_legal_hold"]
