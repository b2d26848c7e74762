"""``export-dataset`` as a person: the frames are evidence, so ``export_evidence`` is needed.

The exported YOLO dataset holds the unmarked frames of operator-labelled alerts
(console/detect/learning_dataset.py). Taking those frames off the console is an evidence
export: checked here (refusals audited) and audited with what left and where to.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from console.detect.learning_dataset import ExportSummary, export_dataset
from console.security.audit import AuditAction, AuditLog
from console.security.permits import authorize
from console.security.roles import Actor, Permission
from console.store.local import LocalStore


def export_training_dataset(
    actor: Actor | None, audit: AuditLog, store: LocalStore, since: datetime, out: Path
) -> ExportSummary:
    """Export the labelled alert frames since ``since`` into ``out`` as ``actor``."""
    what = f"export alert frames since {since:%Y-%m-%d} as a training dataset"
    user = authorize(actor, Permission.EXPORT_EVIDENCE, audit, what)
    summary = export_dataset(store, since, out)
    details = {
        "what": "training dataset",
        "out": str(out),
        "since": since.isoformat(),
        "images": summary.images,
        "confirmed": summary.confirmed,
        "false_positives": summary.false_positives,
    }
    audit.record_and_wait(user, AuditAction.EVIDENCE_EXPORT, details)
    return summary
