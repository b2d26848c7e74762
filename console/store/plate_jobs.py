"""Plates of alerts and the watch-list: writer jobs and reads of the local store.

A plate read by the reader is stored with the alert's evidence; an operator's correction
replaces it and is written to the audit trail with the old and new text. Both reach
central through the outbox (the alert is queued again; its plate row is an upsert there).
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, delete, select
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from console.domain.alert_states import SYSTEM_ACTOR
from console.domain.plates import PlateRead, PlateSource, plate_key
from console.store.convert import plate_from_row, plate_to_row
from console.store.models import PLATES, WATCHLIST
from console.store.records import AuditEntry
from console.store.write_jobs import _stored_alert, append_audit, enqueue


@dataclass(frozen=True, slots=True)
class WatchedPlate:
    key: str
    text: str
    reason: str
    added_by: str
    added_at: datetime


def _upsert(connection: Connection, row: dict[str, Any]) -> None:
    statement = sqlite_insert(PLATES).values(row)
    statement = statement.on_conflict_do_update(
        index_elements=["alert_id"], set_={k: v for k, v in row.items() if k != "alert_id"}
    )
    connection.execute(statement)


def save_plate(
    connection: Connection,
    alert_id: uuid.UUID,
    plate: PlateRead,
    at: datetime,
    training: bool,
    queue_for_central: bool = True,
) -> None:
    """The reader's plate for an alert; it never replaces an operator's correction."""
    current = connection.execute(
        select(PLATES.c.source).where(PLATES.c.alert_id == alert_id)
    ).scalar()
    if current == PlateSource.OPERATOR.value:
        return
    _upsert(connection, plate_to_row(alert_id, plate, SYSTEM_ACTOR, at))
    if queue_for_central and not training:
        enqueue(connection, "alert", [alert_id])


def correct_plate(
    connection: Connection, alert_id: uuid.UUID, plate: PlateRead, *, actor: str, at: datetime
) -> PlateRead | None:
    """An operator's plate (entered or corrected), audited with what it replaced."""
    stored = _stored_alert(connection, alert_id)
    before = connection.execute(select(PLATES).where(PLATES.c.alert_id == alert_id)).mappings()
    previous = next(iter(before), None)
    _upsert(connection, plate_to_row(alert_id, plate, actor, at))
    if not stored.training:
        enqueue(connection, "alert", [alert_id])
    details = {
        "alert_id": str(alert_id),
        "plate": plate.text,
        "colour": plate.colour.value,
        "previous": previous["text"] if previous is not None else None,
        "previous_source": previous["source"] if previous is not None else None,
    }
    append_audit(
        connection, AuditEntry(at, actor, "plate.corrected", AuditEntry.details_of(details))
    )
    return plate_from_row(previous) if previous is not None else None


def plates_of(
    session: Session | Connection, alert_ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, PlateRead]:
    if not alert_ids:
        return {}
    rows = session.execute(select(PLATES).where(PLATES.c.alert_id.in_(list(alert_ids))))
    return {row["alert_id"]: plate_from_row(row) for row in rows.mappings()}


def alert_ids_with_plate(session: Session, query: str, limit: int) -> list[uuid.UUID]:
    """Alerts whose plate contains ``query`` (case, spaces, punctuation and diacritics aside)."""
    key = plate_key(query)
    if not key:
        return []
    statement = (
        select(PLATES.c.alert_id)
        .where(PLATES.c.key.contains(key, autoescape=True))
        .order_by(PLATES.c.updated_at.desc())
        .limit(limit)
    )
    return list(session.execute(statement).scalars())


# ---- watch-list ---------------------------------------------------------------------


def watch_plate(connection: Connection, text: str, reason: str, *, actor: str, at: datetime) -> str:
    """Add (or update the reason of) a watched plate; audited. Returns its key."""
    key = plate_key(text)
    if len(key) < 4:
        raise ValueError(f"'{text}' is not a plate: at least 4 letters or digits are needed")
    row = {
        "key": key,
        "text": text.strip().upper(),
        "reason": reason,
        "added_by": actor,
        "added_at": at,
    }
    statement = sqlite_insert(WATCHLIST).values(row)
    statement = statement.on_conflict_do_update(
        index_elements=["key"], set_={"text": row["text"], "reason": reason}
    )
    connection.execute(statement)
    details = AuditEntry.details_of({"plate": row["text"], "key": key, "reason": reason})
    append_audit(connection, AuditEntry(at, actor, "watchlist.added", details))
    return key


def unwatch_plate(connection: Connection, text: str, *, actor: str, at: datetime) -> bool:
    """Remove a plate from the watch-list; audited. False when it was not listed."""
    key = plate_key(text)
    removed = connection.execute(delete(WATCHLIST).where(WATCHLIST.c.key == key)).rowcount
    if removed:
        details = AuditEntry.details_of({"plate": text, "key": key})
        append_audit(connection, AuditEntry(at, actor, "watchlist.removed", details))
    return bool(removed)


def watchlist(session: Session | Connection) -> list[WatchedPlate]:
    rows = session.execute(select(WATCHLIST).order_by(WATCHLIST.c.added_at)).mappings()
    return [WatchedPlate(**dict(row)) for row in rows]
