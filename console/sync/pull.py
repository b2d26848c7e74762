"""Pull: alert changes other consoles (and analytics PCs) made, applied to the local cache.

Merge rule, per alert: when this console has no unpushed action on it, central storage's
state is adopted as is (central already replayed every action). Otherwise the local state
only moves forward: it adopts central's when central is further along or closed (the first
terminal state wins), and keeps its own pending progress otherwise, until its push lands.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, Table, func, select
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from console.domain.records import AlertStatus, utc_now
from console.store import models
from console.store.local import LocalStore
from console.sync import central_schema as central
from console.sync.central import CentralDb

CURSOR_NAME = "central_change_seq"


@dataclass(frozen=True)
class PulledChanges:
    cursor: int
    alerts: list[dict[str, Any]]
    events: list[dict[str, Any]]
    evidence: list[dict[str, Any]]
    actions: list[dict[str, Any]]
    plates: list[dict[str, Any]] = field(default_factory=list)

    @property
    def size(self) -> int:
        return len(self.alerts) + len(self.actions)


def read_cursor(store: LocalStore) -> int:
    with store.session() as session:
        value = session.execute(
            select(models.CURSORS.c.value).where(models.CURSORS.c.name == CURSOR_NAME)
        ).scalar()
    return int(value or 0)


def _rows(
    connection: Connection, table: Table, column: str, ids: Sequence[Any]
) -> list[dict[str, Any]]:
    if not ids:
        return []
    statement = select(table).where(table.c[column].in_(list(ids)))
    return [dict(row) for row in connection.execute(statement).mappings()]


def fetch_changes(db: CentralDb, cursor: int, limit: int, console_id: str) -> PulledChanges:
    """Changes after ``cursor``, read from one snapshot; the new cursor covers exactly them."""
    db.ensure_schema()
    snapshot = db.engine.connect().execution_options(isolation_level="REPEATABLE READ")
    with snapshot as connection, connection.begin():
        alerts = [
            dict(row)
            for row in connection.execute(
                select(central.alerts)
                .where(
                    central.alerts.c.change_seq > cursor,
                    central.alerts.c.training.is_(False),
                    central.alerts.c.changed_by != console_id,
                )
                .order_by(central.alerts.c.change_seq)
                .limit(limit)
            ).mappings()
        ]
        actions = [
            dict(row)
            for row in connection.execute(
                select(central.actions)
                .where(
                    central.actions.c.change_seq > cursor,
                    # Own actions come back only when central did not apply them.
                    (central.actions.c.pushed_by != console_id) | central.actions.c.superseded,
                )
                .order_by(central.actions.c.change_seq)
                .limit(limit)
            ).mappings()
        ]
        # A truncated list only covers changes up to its last seq: stop the cursor there.
        bounds = [rows[-1]["change_seq"] for rows in (alerts, actions) if len(rows) == limit]
        upper = min(bounds) if bounds else _latest_seq(connection, cursor)
        alerts = [row for row in alerts if row["change_seq"] <= upper]
        actions = [row for row in actions if row["change_seq"] <= upper]
        # Actions may refer to alerts whose latest change lies beyond the cursor window.
        known = {row["id"] for row in alerts}
        extra = {row["alert_id"] for row in actions} - known
        alerts += _rows(connection, central.alerts, "id", sorted(extra))
        events = _rows(connection, central.events, "id", [row["event_id"] for row in alerts])
        evidence = _rows(connection, central.evidence_items, "alert_id", [r["id"] for r in alerts])
        plates = _rows(connection, central.alert_plates, "alert_id", [r["id"] for r in alerts])
    return PulledChanges(upper, alerts, events, evidence, actions, plates)


def _latest_seq(connection: Connection, cursor: int) -> int:
    """Highest change_seq visible in this snapshot (all lower ones are visible too)."""
    latest = [
        connection.execute(select(func.max(table.c.change_seq))).scalar()
        for table in (central.alerts, central.actions)
    ]
    return max([cursor, *(value for value in latest if value is not None)])


def _local_columns(table: Table, row: dict[str, Any]) -> dict[str, Any]:
    return {c.name: row[c.name] for c in table.columns if c.name in row}


def _alerts_with_unpushed_actions(
    connection: Connection, alert_ids: list[uuid.UUID]
) -> set[uuid.UUID]:
    outbox, actions = models.OUTBOX, models.ACTIONS
    statement = (
        select(actions.c.alert_id)
        .join(outbox, outbox.c.entity_id == actions.c.id)
        .where(outbox.c.kind == "action", outbox.c.done_at.is_(None))
        .where(actions.c.alert_id.in_(alert_ids))
    )
    return set(connection.execute(statement).scalars())


def apply_changes(connection: Connection, changes: PulledChanges) -> None:
    """Writer job: merge pulled alerts and actions (no outbox rows: they came from central)."""
    alert_ids = [row["id"] for row in changes.alerts]
    local = {
        row.id: row
        for row in connection.execute(
            select(models.ALERTS.c.id, models.ALERTS.c.status).where(
                models.ALERTS.c.id.in_(alert_ids)
            )
        )
    }
    pending = _alerts_with_unpushed_actions(connection, alert_ids)
    for event in changes.events:
        connection.execute(
            sqlite_insert(models.EVENTS)
            .values(_local_columns(models.EVENTS, event))
            .on_conflict_do_nothing()
        )
    for alert in changes.alerts:
        stored = local.get(alert["id"])
        if stored is None:
            connection.execute(
                sqlite_insert(models.ALERTS)
                .values(_local_columns(models.ALERTS, alert))
                .on_conflict_do_nothing()
            )
        elif _adopt_central(alert, AlertStatus(stored.status), alert["id"] in pending):
            connection.execute(
                models.ALERTS.update()
                .where(models.ALERTS.c.id == alert["id"])
                .values(
                    status=alert["status"],
                    updated_at=alert["updated_at"],
                    assigned_unit=alert["assigned_unit"],
                )
            )
    for item in changes.evidence:
        values = _local_columns(models.EVIDENCE, item)
        # Known only centrally: nothing to upload, nothing to prune here.
        values.update(local_path=None, central_state="confirmed", central_confirmed_at=utc_now())
        connection.execute(sqlite_insert(models.EVIDENCE).values(values).on_conflict_do_nothing())
    for plate in changes.plates:
        values = _local_columns(models.PLATES, plate)
        statement = sqlite_insert(models.PLATES).values(values)
        connection.execute(
            statement.on_conflict_do_update(
                index_elements=["alert_id"],
                set_={k: v for k, v in values.items() if k != "alert_id"},
            )
        )
    for action in changes.actions:
        values = _local_columns(models.ACTIONS, action)
        statement = sqlite_insert(models.ACTIONS).values(values)
        connection.execute(
            statement.on_conflict_do_update(
                index_elements=["id"],
                set_={
                    "superseded": values["superseded"],
                    "conflict_reason": values["conflict_reason"],
                },
            )
        )
    cursor = sqlite_insert(models.CURSORS).values(
        name=CURSOR_NAME, value=changes.cursor, updated_at=utc_now()
    )
    connection.execute(
        cursor.on_conflict_do_update(
            index_elements=["name"],
            set_={"value": cursor.excluded.value, "updated_at": cursor.excluded.updated_at},
        )
    )


def _adopt_central(central_alert: dict[str, Any], local_status: AlertStatus, pending: bool) -> bool:
    if not pending:
        return True
    central_status = AlertStatus(central_alert["status"])
    return central_status.is_terminal or central_status.order > local_status.order


def pull_changes(store: LocalStore, db: CentralDb, limit: int = 2000) -> int:
    """Pull and apply one window of changes; returns how many alerts and actions it held."""
    cursor = read_cursor(store)
    changes = fetch_changes(db, cursor, limit, store.console_id)
    if changes.cursor == cursor and not changes.size:
        return 0
    store.writer.submit(lambda connection: apply_changes(connection, changes)).result()
    return changes.size
