"""Push: outbox batches to central storage with idempotent upserts.

A batch is sent in one central transaction, then its outbox rows are marked done locally.
A crash between the two only repeats the batch, and every statement here tolerates a
repeat: inserts skip known ids, counts and health incidents are overwritten with the same
values, and an action already stored centrally is not replayed.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from psycopg.types.json import Json
from sqlalchemy import JSON, Connection, Table, select, text, update
from sqlalchemy.dialects.postgresql import insert as pg_insert

from console.domain.alert_states import ALLOWED_TRANSITIONS
from console.domain.records import AlertStatus, utc_now
from console.store import models, write_jobs
from console.store.local import LocalStore
from console.sync import central_schema as central
from console.sync.central import CentralDb

COPY_THRESHOLD = 200  # rows; below it a multi-row INSERT is as fast


class CentralIntegrityError(RuntimeError):
    """Central storage lacks a row an outbox entry depends on (a bug, not an outage)."""


@dataclass
class Batch:
    """One outbox batch with the local rows it refers to."""

    seqs: list[int] = field(default_factory=list)
    # kind -> entity ids in outbox order (a dict keeps order and drops repeats)
    entities: dict[str, dict[uuid.UUID, None]] = field(default_factory=lambda: defaultdict(dict))

    def add(self, seq: int, kind: str, entity_id: uuid.UUID) -> None:
        self.seqs.append(seq)
        self.entities[kind][entity_id] = None

    def ids(self, kind: str) -> list[uuid.UUID]:
        return list(self.entities[kind])


def read_batch(store: LocalStore, size: int) -> Batch:
    outbox = models.OUTBOX
    statement = (
        select(outbox.c.seq, outbox.c.kind, outbox.c.entity_id)
        .where(outbox.c.done_at.is_(None))
        .order_by(outbox.c.seq)
        .limit(size)
    )
    batch = Batch()
    with store.session() as session:
        for seq, kind, entity_id in session.execute(statement):
            batch.add(seq, kind, entity_id)
    return batch


def _local_rows(
    store: LocalStore, table: Table, column: str, ids: Sequence[Any]
) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    with store.session() as session:
        for start in range(0, len(ids), 900):
            chunk = ids[start : start + 900]
            statement = select(table).where(table.c[column].in_(chunk))
            rows.extend(dict(row) for row in session.execute(statement).mappings())
    return rows


def _central_columns(rows: Iterable[dict[str, Any]], table: Table) -> list[dict[str, Any]]:
    names = {c.name for c in table.columns} - {"received_at", "change_seq"}
    return [{k: v for k, v in row.items() if k in names} for row in rows]


def _insert_new(connection: Connection, table: Table, rows: list[dict[str, Any]]) -> None:
    """INSERT ... ON CONFLICT DO NOTHING of many rows.

    Large batches go through COPY into a temporary table: SQLAlchemy's multi-row INSERT
    spends most of its time building and parsing statements with tens of thousands of
    parameters, COPY streams the rows (about 5x faster here; see docs/BENCHMARKS.md).
    """
    rows = _central_columns(rows, table)
    if not rows:
        return
    if len(rows) < COPY_THRESHOLD:
        statement = pg_insert(table).on_conflict_do_nothing().returning(*table.primary_key)
        connection.execute(statement, rows)
        return
    names = [c.name for c in table.columns if c.name in rows[0]]
    json_columns = {c.name for c in table.columns if isinstance(c.type, JSON)}
    columns = ", ".join(f'"{name}"' for name in names)
    staging = f"incoming_{table.name}"
    raw = connection.connection.driver_connection
    assert raw is not None
    with raw.cursor() as cursor:
        cursor.execute(
            f'CREATE TEMP TABLE IF NOT EXISTS "{staging}" (LIKE "{table.name}") '
            "ON COMMIT DELETE ROWS"
        )
        with cursor.copy(f'COPY "{staging}" ({columns}) FROM STDIN') as copy:
            for row in rows:
                copy.write_row(
                    [
                        Json(row[name])
                        if name in json_columns and row[name] is not None
                        else row[name]
                        for name in names
                    ]
                )
        cursor.execute(
            f'INSERT INTO "{table.name}" ({columns}) SELECT {columns} FROM "{staging}" '
            "ON CONFLICT DO NOTHING"
        )
        cursor.execute(f'DELETE FROM "{staging}"')


def _upsert(
    connection: Connection,
    table: Table,
    rows: list[dict[str, Any]],
    key: list[str],
    updated: list[str],
) -> None:
    if not rows:
        return
    statement = pg_insert(table)
    statement = statement.on_conflict_do_update(
        index_elements=key, set_={name: statement.excluded[name] for name in updated}
    )
    connection.execute(statement.returning(*table.primary_key), _central_columns(rows, table))


def push_batch(store: LocalStore, db: CentralDb, size: int) -> int:
    """Send the oldest ``size`` outbox entries; returns how many were confirmed."""
    batch = read_batch(store, size)
    if not batch.seqs:
        return 0
    alert_rows = _local_rows(store, models.ALERTS, "id", batch.ids("alert"))
    event_rows = _local_rows(store, models.EVENTS, "id", [r["event_id"] for r in alert_rows])
    evidence_rows = _local_rows(store, models.EVIDENCE, "alert_id", batch.ids("alert"))
    plate_rows = _local_rows(store, models.PLATES, "alert_id", batch.ids("alert"))
    action_rows = _local_rows(store, models.ACTIONS, "id", batch.ids("action"))
    order = {action_id: i for i, action_id in enumerate(batch.ids("action"))}
    action_rows.sort(key=lambda row: order[row["id"]])
    count_rows = _local_rows(store, models.COUNTS, "id", batch.ids("count"))
    health_rows = _local_rows(store, models.HEALTH, "id", batch.ids("health"))
    audit_rows = _local_rows(store, models.AUDIT, "id", batch.ids("audit"))
    for row in alert_rows:
        # Central replays the action log from the state the alert was created in; the
        # local row may already include actions that are pushed as actions below.
        row.update(status=row["created_status"], updated_at=row["created_at"], assigned_unit=None)
    console_id = store.console_id
    for row in (*event_rows, *count_rows, *health_rows):
        row["console_id"] = console_id
    for row in alert_rows:
        row["changed_by"] = console_id
    for row in action_rows:
        row["pushed_by"] = console_id

    db.ensure_schema()
    with db.engine.begin() as connection:
        _insert_new(connection, central.events, event_rows)
        _upsert(
            connection,
            central.traffic_counts,
            count_rows,
            key=["camera_id", "class_name", "lane", "line_id", "direction", "minute"],
            updated=["count"],
        )
        _upsert(
            connection,
            central.health_incidents,
            health_rows,
            key=["id"],
            updated=["state", "reason", "ended_at"],
        )
        _insert_new(connection, central.audit_entries, audit_rows)
        _insert_new(connection, central.evidence_items, evidence_rows)
        _upsert(  # the latest plate wins: the reader's, then an operator's correction
            connection,
            central.alert_plates,
            plate_rows,
            key=["alert_id"],
            updated=[c.name for c in models.PLATES.columns if c.name != "alert_id"],
        )
        # From here on change_seq values are taken: hold the lock until commit.
        connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": central.CHANGE_LOCK})
        _insert_new(connection, central.alerts, alert_rows)
        apply_actions(connection, action_rows, console_id)
    store.writer.submit(
        lambda local: write_jobs.mark_outbox_done(local, batch.seqs, utc_now())
    ).result()
    return len(batch.seqs)


def apply_actions(connection: Connection, rows: list[dict[str, Any]], console_id: str) -> None:
    """Replay actions on the central alerts in push order; record the ones that lost.

    Central storage decides: an action whose transition is no longer allowed (another
    console got there first, e.g. the alert is already resolved) is stored with
    ``superseded`` set and a reason, never dropped.
    """
    if not rows:
        return
    known = set(
        connection.execute(
            select(central.actions.c.id).where(central.actions.c.id.in_([r["id"] for r in rows]))
        ).scalars()
    )
    rows = [row for row in rows if row["id"] not in known]
    if not rows:
        return
    alert_ids = list({row["alert_id"] for row in rows})
    state = {
        row.id: {
            "status": AlertStatus(row.status),
            "assigned_unit": row.assigned_unit,
            "updated_at": row.updated_at,
        }
        for row in connection.execute(
            select(
                central.alerts.c.id,
                central.alerts.c.status,
                central.alerts.c.assigned_unit,
                central.alerts.c.updated_at,
            )
            .where(central.alerts.c.id.in_(alert_ids))
            .with_for_update()
        )
    }
    missing = set(alert_ids) - state.keys()
    if missing:
        raise CentralIntegrityError(f"actions refer to alerts central storage lacks: {missing}")
    changed: set[uuid.UUID] = set()
    for row in rows:
        row["superseded"], row["conflict_reason"] = False, ""
        if row["action"] == "note":
            continue
        current = state[row["alert_id"]]
        wanted = AlertStatus(row["action"])
        if wanted in ALLOWED_TRANSITIONS[current["status"]]:
            current["status"] = wanted
            current["updated_at"] = row["at"]
            if row["unit"] is not None:
                current["assigned_unit"] = row["unit"]
            changed.add(row["alert_id"])
        else:
            row["superseded"] = True
            row["conflict_reason"] = (
                f"not applied: the alert was already {current['status'].value} "
                f"when this change to {wanted.value} reached central storage (first change wins)"
            )
    _insert_new(connection, central.actions, rows)
    for alert_id in changed:
        values = state[alert_id]
        connection.execute(
            update(central.alerts)
            .where(central.alerts.c.id == alert_id)
            .values(
                status=values["status"].value,
                updated_at=values["updated_at"],
                assigned_unit=values["assigned_unit"],
                change_seq=central.change_seq.next_value(),
                changed_by=console_id,
            )
        )
