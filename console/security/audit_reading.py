"""Reading and verifying the audit trail: ``view_audit``, and the reading is itself audited.

``roadwatch audit verify`` and ``roadwatch audit list`` go through here: a role without the
permission is refused (and that is audited); a verification is recorded with its result
(entries, head hash, problems) once it is done, so the trail shows who checked it and what
they found.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from console.security.audit import (
    AuditAction,
    AuditLog,
    ChainReport,
    StoredEntry,
    read_entries,
    verify_entries,
)
from console.security.permits import authorize
from console.security.roles import Actor, Permission


def verify_audit(actor: Actor | None, audit: AuditLog, path: Path) -> ChainReport:
    """Verify the audit chain of the database file ``path`` as ``actor``.

    Raises PermissionError (audited) when refused, AuditDatabaseError when unreadable.
    """
    user = authorize(actor, Permission.VIEW_AUDIT, audit, f"verify the audit trail of {path}")
    report = verify_entries(read_entries(path))
    details = {
        "file": str(path),
        "entries": report.entries,
        "head_hash": report.head_hash,
        "intact": report.intact,
        "problems": [f"#{p.position} {p.kind}" for p in report.problems][:50],
    }
    audit.record_and_wait(user, AuditAction.AUDIT_VERIFY, details)
    return report


def read_audit(
    actor: Actor | None,
    audit: AuditLog,
    path: Path,
    *,
    since: datetime | None = None,
    limit: int = 200,
) -> list[StoredEntry]:
    """The newest ``limit`` audit entries of ``path`` (at or after ``since``), as ``actor``."""
    user = authorize(actor, Permission.VIEW_AUDIT, audit, f"read the audit trail of {path}")
    entries = read_entries(path)
    if since is not None:
        entries = [item for item in entries if _aware(item.entry.at) >= since]
    shown = entries[-limit:] if limit > 0 else []
    details = {
        "file": str(path),
        "since": since.isoformat() if since else None,
        "entries_shown": len(shown),
    }
    audit.record_and_wait(user, AuditAction.AUDIT_READ, details)
    return shown


def _aware(moment: datetime) -> datetime:
    """SQLite hands times back without a zone; they are stored in UTC."""
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)
