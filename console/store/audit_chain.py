"""The audit log's hash chain: every entry carries the hash of the one stored before it.

The hash is SHA-256 over the canonical JSON of the entry's fields plus the previous hash,
so editing any field, removing an entry or changing their order breaks the chain at that
point. Entries are chained inside the writer's transaction (``BEGIN IMMEDIATE``), so two
writers (the console and ``roadwatch sync`` in another process) can never fork the chain.
Storage order (SQLite's rowid) is the chain order.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import replace
from datetime import UTC
from typing import Any

from sqlalchemy import ColumnClause, Connection, literal_column, select

from console.store.models import AUDIT
from console.store.records import AuditEntry

GENESIS_HASH = "0" * 64  # the "previous hash" of the first entry
STORAGE_ORDER: ColumnClause[int] = literal_column("rowid")


def canonical_fields(entry: AuditEntry) -> dict[str, Any]:
    """The hashed content of an entry, as plain JSON values (stable across a store round trip)."""
    return {
        "id": str(entry.id),
        "at": entry.at.astimezone(UTC).isoformat(timespec="microseconds"),
        "user": entry.user,
        "console_id": entry.console_id,
        "action": entry.action,
        "details": json.loads(json.dumps(dict(entry.details), default=str)),
        "prev_hash": entry.prev_hash,
    }


def canonical_json(entry: AuditEntry) -> bytes:
    fields = canonical_fields(entry)
    return json.dumps(fields, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def entry_hash(entry: AuditEntry) -> str:
    """SHA-256 (hex) of the entry's canonical JSON, its ``prev_hash`` included."""
    return hashlib.sha256(canonical_json(entry)).hexdigest()


def last_hash(connection: Connection) -> str:
    statement = select(AUDIT.c.hash).order_by(STORAGE_ORDER.desc()).limit(1)
    stored = connection.execute(statement).scalar_one_or_none()
    return stored or GENESIS_HASH


def sealed(connection: Connection, entry: AuditEntry) -> AuditEntry:
    """The entry linked to the last stored one; call inside the transaction that inserts it."""
    linked = replace(
        entry,
        details=AuditEntry.details_of(json.loads(json.dumps(dict(entry.details), default=str))),
        prev_hash=last_hash(connection),
    )
    return replace(linked, hash=entry_hash(linked))
