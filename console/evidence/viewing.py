"""Opening an alert's evidence (snapshot, crop, clip): ``view_evidence``, audited.

The alert detail asks here for the files it shows, so the check is the core's: a role
without the permission gets no file and the refusal is audited; a permitted view writes an
``evidence.view`` entry naming the alert, the camera and each file's SHA-256 (what was
seen, by whom, when).
"""

from __future__ import annotations

from collections.abc import Collection
from pathlib import Path

from console.domain.records import Alert
from console.security.audit import AuditAction, AuditLog
from console.security.permits import authorize
from console.security.roles import Actor, Permission

VIEWABLE_KINDS = frozenset({"snapshot", "crop", "clip"})


def open_evidence(
    actor: Actor | None,
    alert: Alert,
    audit: AuditLog,
    kinds: Collection[str] = VIEWABLE_KINDS,
) -> dict[str, Path]:
    """The alert's evidence files of ``kinds`` by kind, once ``actor`` may view them.

    Raises PermissionError (audited) when refused. The view is audited when it is allowed,
    also when no file is stored yet (the entry then lists none).
    """
    user = authorize(
        actor, Permission.VIEW_EVIDENCE, audit, f"open the evidence of alert {alert.id}"
    )
    refs = [ref for ref in alert.evidence if ref.kind in kinds]
    audit.record(
        user,
        AuditAction.EVIDENCE_VIEW,
        {
            "alert_id": str(alert.id),
            "camera_id": alert.camera_id,
            "files": {ref.kind: ref.sha256 for ref in refs},
        },
    )
    return {ref.kind: Path(ref.path) for ref in refs}
