"""Write jobs run by the single writer: each takes the writer's connection, inside a savepoint.

Every domain change adds its outbox row in the same transaction, so a change is either
saved and queued for central storage, or neither.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, insert, select, update
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from console.config.site_file import SiteConfig
from console.domain.alert_states import ALLOWED_TRANSITIONS, SYSTEM_ACTOR, TransitionError
from console.domain.records import Alert, AlertAction, AlertStatus, utc_now
from console.store import audit_chain, convert
from console.store.models import (
    ACTIONS,
    ALERTS,
    AUDIT,
    CAMERAS,
    COUNTS,
    EVENTS,
    EVIDENCE,
    HEALTH,
    OUTBOX,
    PLATES,
    SITES,
)
from console.store.records import AuditEntry, HealthIncident, TrafficCount


class UnknownAlertError(LookupError):
    """An action refers to an alert that is not in the local store."""


def enqueue(connection: Connection, kind: str, entity_ids: Sequence[uuid.UUID]) -> None:
    if not entity_ids:
        return
    now = utc_now()
    connection.execute(
        insert(OUTBOX),
        [{"kind": kind, "entity_id": entity_id, "created_at": now} for entity_id in entity_ids],
    )


def save_alert(connection: Connection, alert: Alert, console_id: str) -> None:
    """Event, alert and evidence metadata; training alerts stay on this console."""
    connection.execute(insert(EVENTS), [convert.event_to_row(alert.event)])
    connection.execute(insert(ALERTS), [convert.alert_to_row(alert, console_id)])
    evidence = convert.evidence_to_rows(alert)
    if evidence:
        connection.execute(insert(EVIDENCE), evidence)
    if alert.plate is not None:  # a watch-list alert, or one from another machine
        plate = convert.plate_to_row(alert.id, alert.plate, SYSTEM_ACTOR, alert.created_at)
        connection.execute(insert(PLATES), [plate])
    if not alert.training:
        enqueue(connection, "alert", [alert.id])


def _stored_alert(connection: Connection, alert_id: uuid.UUID) -> Any:
    row = connection.execute(
        select(ALERTS.c.status, ALERTS.c.training).where(ALERTS.c.id == alert_id)
    ).first()
    if row is None:
        raise UnknownAlertError(f"alert {alert_id} is not in the local store")
    return row


def apply_transition(connection: Connection, alert_after: Alert, action: AlertAction) -> None:
    """Store a status change, re-checked against the stored status (it may have moved on)."""
    if action.alert_id != alert_after.id or action.action != alert_after.status.value:
        raise ValueError("the action does not describe this alert's new status")
    stored = _stored_alert(connection, alert_after.id)
    before = AlertStatus(stored.status)
    if alert_after.status not in ALLOWED_TRANSITIONS[before]:
        raise TransitionError(
            f"the alert is now {before.value} (changed meanwhile, perhaps on another console); "
            f"it cannot become {alert_after.status.value}"
        )
    connection.execute(
        update(ALERTS)
        .where(ALERTS.c.id == alert_after.id)
        .values(
            status=alert_after.status.value,
            updated_at=alert_after.updated_at,
            assigned_unit=alert_after.assigned_unit,
        )
    )
    connection.execute(insert(ACTIONS), [convert.action_to_row(action)])
    if not stored.training:
        enqueue(connection, "action", [action.id])


def add_note(connection: Connection, action: AlertAction) -> None:
    if action.action != "note":
        raise ValueError(f"add_note stores notes, got action {action.action!r}")
    stored = _stored_alert(connection, action.alert_id)
    connection.execute(insert(ACTIONS), [convert.action_to_row(action)])
    if not stored.training:
        enqueue(connection, "action", [action.id])


def save_counts(connection: Connection, counts: Iterable[TrafficCount]) -> None:
    """Upsert per-minute counts on their natural key (a later total for a minute replaces)."""
    ids: list[uuid.UUID] = []
    for count in counts:
        insert_count = sqlite_insert(COUNTS).values(convert.count_to_row(count))
        upsert = insert_count.on_conflict_do_update(
            index_elements=["camera_id", "class_name", "lane", "line_id", "direction", "minute"],
            set_={"count": insert_count.excluded.count},
        ).returning(COUNTS.c.id)
        ids.append(connection.execute(upsert).scalar_one())
    enqueue(connection, "count", ids)


def save_health(connection: Connection, incident: HealthIncident) -> None:
    """Insert an incident, or update it (state, reason, end) when it is already stored."""
    row = convert.health_to_row(incident)
    statement = sqlite_insert(HEALTH).values(row)
    statement = statement.on_conflict_do_update(
        index_elements=["id"],
        set_={"state": row["state"], "reason": row["reason"], "ended_at": row["ended_at"]},
    )
    connection.execute(statement)
    enqueue(connection, "health", [incident.id])


def append_audit(connection: Connection, entry: AuditEntry) -> None:
    """Insert an audit entry linked into the hash chain (sets ``prev_hash`` and ``hash``)."""
    entry = audit_chain.sealed(connection, entry)
    connection.execute(insert(AUDIT), [convert.audit_to_row(entry)])
    enqueue(connection, "audit", [entry.id])


def set_legal_hold(
    connection: Connection, alert_id: uuid.UUID, held: bool, *, actor: str, at: datetime
) -> None:
    """Put (or lift) a legal hold on an alert's evidence; recorded in the audit log."""
    _stored_alert(connection, alert_id)
    connection.execute(
        update(EVIDENCE).where(EVIDENCE.c.alert_id == alert_id).values(legal_hold=held)
    )
    action = "legal_hold.set" if held else "legal_hold.lifted"
    append_audit(
        connection,
        AuditEntry(at, actor, action, AuditEntry.details_of({"alert_id": str(alert_id)})),
    )


def mark_outbox_done(connection: Connection, seqs: Sequence[int], at: datetime) -> None:
    for start in range(0, len(seqs), 900):  # SQLite's limit on bound parameters
        chunk = seqs[start : start + 900]
        connection.execute(update(OUTBOX).where(OUTBOX.c.seq.in_(chunk)).values(done_at=at))


def provision_site(connection: Connection, site: SiteConfig, at: datetime) -> None:
    """Record the site and its cameras as the site file describes them (file stays the truth)."""
    row = {"id": site.site.id, "name": site.site.name, "timezone": site.site.timezone}
    statement = sqlite_insert(SITES).values(created_at=at, **row)
    connection.execute(statement.on_conflict_do_update(index_elements=["id"], set_=row))
    for camera in site.cameras:
        values = {
            "site_id": site.site.id,
            "name": camera.name,
            "route": camera.route,
            "km": camera.km,
            "area": camera.area,
            "lat": camera.lat,
            "lon": camera.lon,
            "enabled": camera.enabled,
            "provisioned_at": at,
        }
        insert_camera = sqlite_insert(CAMERAS).values(id=camera.id, **values)
        connection.execute(insert_camera.on_conflict_do_update(index_elements=["id"], set_=values))


# ---- what other machines did, as the site bus tells it ------------------------------------


def save_remote_alert(connection: Connection, alert: Alert, console_id: str) -> bool:
    """An alert an analytics node raised; False when this store has it already.

    It is queued for central storage like a local one (central skips ids it has), so an
    action this console pushes never refers to an alert central storage lacks.
    """
    known = connection.execute(select(ALERTS.c.id).where(ALERTS.c.id == alert.id)).first()
    if known is not None:
        return False
    save_alert(connection, alert.evolve(evidence=()), console_id)
    return True


def save_remote_action(connection: Connection, action: AlertAction) -> AlertStatus | None:
    """An action taken on another console (or node): stored once, applied if still allowed.

    Returns the alert's status after it, or None when the action was already stored. The
    other machine pushes it to central storage; it is not queued here again.
    """
    known = connection.execute(select(ACTIONS.c.id).where(ACTIONS.c.id == action.id)).first()
    if known is not None:
        return None
    stored = _stored_alert(connection, action.alert_id)
    before = AlertStatus(stored.status)
    connection.execute(insert(ACTIONS), [convert.action_to_row(action)])
    if action.action == "note":
        return before
    wanted = AlertStatus(action.action)
    if wanted in ALLOWED_TRANSITIONS[before] or (
        wanted is AlertStatus.RESOLVED and action.actor == SYSTEM_ACTOR and not before.is_terminal
    ):
        values: dict[str, Any] = {"status": wanted.value, "updated_at": action.at}
        if action.unit is not None:
            values["assigned_unit"] = action.unit
        connection.execute(update(ALERTS).where(ALERTS.c.id == action.alert_id).values(values))
        return wanted
    return before
