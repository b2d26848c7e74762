"""Evidence upload: files go to central storage addressed by their SHA-256.

The central side checks the hash itself (``sha256()`` in PostgreSQL) in the statement that
stores the blob, so a file corrupted on disk or in transit is never confirmed. Only a
confirmed file may later be pruned locally.
"""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Connection, select, text, update

from console.domain.records import utc_now
from console.store import models
from console.store.local import LocalStore
from console.sync import central_schema as central
from console.sync.central import CentralDb

log = logging.getLogger(__name__)

MAX_BYTES_PER_ROUND = 64 * 1024 * 1024

_STORE_VERIFIED = text(
    "INSERT INTO evidence_blobs (sha256, size_bytes, data) "
    "SELECT CAST(:sha256 AS varchar), CAST(:size_bytes AS bigint), CAST(:data AS bytea) "
    "WHERE encode(sha256(CAST(:data AS bytea)), 'hex') = CAST(:sha256 AS varchar) "
    "ON CONFLICT (sha256) DO NOTHING"
)


@dataclass(frozen=True)
class PendingFile:
    id: uuid.UUID
    sha256: str
    path: Path
    size_bytes: int


def pending_files(store: LocalStore, limit: int) -> list[PendingFile]:
    evidence = models.EVIDENCE
    statement = (
        select(evidence.c.id, evidence.c.sha256, evidence.c.local_path, evidence.c.size_bytes)
        .where(evidence.c.central_state == "pending", evidence.c.local_path.is_not(None))
        .order_by(evidence.c.created_at)
        .limit(limit)
    )
    with store.session() as session:
        return [
            PendingFile(r.id, r.sha256, Path(r.local_path), r.size_bytes)
            for r in session.execute(statement)
        ]


def _central_has(connection: Connection, sha256: str) -> bool:
    statement = select(central.evidence_blobs.c.sha256).where(
        central.evidence_blobs.c.sha256 == sha256
    )
    return connection.execute(statement).first() is not None


def upload_evidence(store: LocalStore, db: CentralDb, limit: int = 200) -> int:
    """Upload pending evidence files; returns how many central storage confirmed."""
    files = pending_files(store, limit)
    if not files:
        return 0
    db.ensure_schema()
    outcome: dict[uuid.UUID, str] = {}
    sent = 0
    for item in files:
        if sent >= MAX_BYTES_PER_ROUND:
            break
        with db.engine.begin() as connection:
            if not _central_has(connection, item.sha256):
                try:
                    data = item.path.read_bytes()
                except FileNotFoundError:
                    log.error(
                        "evidence file %s is missing; it cannot reach central storage", item.path
                    )
                    outcome[item.id] = "missing"
                    continue
                sent += len(data)
                connection.execute(
                    _STORE_VERIFIED, {"sha256": item.sha256, "size_bytes": len(data), "data": data}
                )
                if not _central_has(connection, item.sha256):
                    log.error("evidence file %s does not match its recorded SHA-256", item.path)
                    outcome[item.id] = "mismatch"
                    continue
        outcome[item.id] = "confirmed"
    store.writer.submit(lambda local: _record_outcome(local, outcome)).result()
    return sum(1 for state in outcome.values() if state == "confirmed")


def _record_outcome(connection: Connection, outcome: dict[uuid.UUID, str]) -> None:
    now = utc_now()
    for item_id, state in outcome.items():
        connection.execute(
            update(models.EVIDENCE)
            .where(models.EVIDENCE.c.id == item_id)
            .values(central_state=state, central_confirmed_at=now if state == "confirmed" else None)
        )
