"""Reads of the local cache, returning domain records (never ORM objects)."""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Collection, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from console.domain.plates import plate_key
from console.domain.records import Alert, AlertAction, AlertStatus, AlertType
from console.store import convert, plate_jobs
from console.store.models import ACTIONS, ALERTS, COUNTS, EVENTS, EVIDENCE, HEALTH, PLATES
from console.store.records import ActionConflict, HealthIncident, TrafficCount

DEFAULT_LIMIT = 500


def _alerts_from(session: Session, alert_rows: Sequence[Any]) -> list[Alert]:
    if not alert_rows:
        return []
    alert_ids = [row["id"] for row in alert_rows]
    event_ids = [row["event_id"] for row in alert_rows]
    events = {
        row["id"]: row
        for row in session.execute(select(EVENTS).where(EVENTS.c.id.in_(event_ids))).mappings()
    }
    evidence: dict[uuid.UUID, list[Any]] = defaultdict(list)
    for row in session.execute(
        select(EVIDENCE).where(EVIDENCE.c.alert_id.in_(alert_ids))
    ).mappings():
        evidence[row["alert_id"]].append(row)
    plates = plate_jobs.plates_of(session, alert_ids)
    return [
        convert.alert_from_rows(row, events[row["event_id"]], evidence[row["id"]]).evolve(
            plate=plates.get(row["id"])
        )
        for row in alert_rows
    ]


def list_alerts(
    session: Session,
    statuses: Collection[AlertStatus] | None = None,
    types: Collection[AlertType] | None = None,
    camera_ids: Collection[str] | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
    limit: int = DEFAULT_LIMIT,
    plate: str | None = None,
) -> list[Alert]:
    """Alerts matching every given filter, newest first.

    ``plate`` matches any part of the plate, ignoring case, spaces, punctuation and
    diacritics ("29b1" finds "29-B1 123.45").
    """
    statement = select(ALERTS)
    if plate is not None:
        key = plate_key(plate)
        statement = statement.join(PLATES, PLATES.c.alert_id == ALERTS.c.id).where(
            PLATES.c.key.contains(key, autoescape=True)
        )
    if statuses is not None:
        statement = statement.where(ALERTS.c.status.in_([s.value for s in statuses]))
    if types is not None:
        statement = statement.where(ALERTS.c.type.in_([t.value for t in types]))
    if camera_ids is not None:
        statement = statement.where(ALERTS.c.camera_id.in_(list(camera_ids)))
    if since is not None:
        statement = statement.where(ALERTS.c.created_at >= since)
    if until is not None:
        statement = statement.where(ALERTS.c.created_at < until)
    statement = statement.order_by(ALERTS.c.created_at.desc(), ALERTS.c.id.desc()).limit(limit)
    return _alerts_from(session, session.execute(statement).mappings().all())


def get_alert(session: Session, alert_id: uuid.UUID) -> Alert | None:
    rows = session.execute(select(ALERTS).where(ALERTS.c.id == alert_id)).mappings().all()
    alerts = _alerts_from(session, rows)
    return alerts[0] if alerts else None


def alert_history(session: Session, alert_id: uuid.UUID) -> list[AlertAction]:
    """Every action on the alert, oldest first, including those another console superseded."""
    statement = (
        select(ACTIONS).where(ACTIONS.c.alert_id == alert_id).order_by(ACTIONS.c.at, ACTIONS.c.id)
    )
    return [convert.action_from_row(row) for row in session.execute(statement).mappings()]


def first_actions(
    session: Session, alert_ids: Collection[uuid.UUID], action: str
) -> dict[uuid.UUID, datetime]:
    """When each alert first had ``action`` (an AlertStatus value).

    Alerts without it are left out. One grouped read per 900 alerts (SQLite's limit on
    bound parameters).
    """
    ids = list(alert_ids)
    first: dict[uuid.UUID, datetime] = {}
    for start in range(0, len(ids), 900):
        statement = (
            select(ACTIONS.c.alert_id, func.min(ACTIONS.c.at))
            .where(ACTIONS.c.alert_id.in_(ids[start : start + 900]), ACTIONS.c.action == action)
            .group_by(ACTIONS.c.alert_id)
        )
        first.update({alert_id: at for alert_id, at in session.execute(statement)})
    return first


def action_conflicts(session: Session, alert_id: uuid.UUID) -> list[ActionConflict]:
    """The alert's actions central storage did not apply, and why (shown in the history)."""
    statement = (
        select(ACTIONS.c.id, ACTIONS.c.conflict_reason)
        .where(ACTIONS.c.alert_id == alert_id, ACTIONS.c.superseded.is_(True))
        .order_by(ACTIONS.c.at, ACTIONS.c.id)
    )
    return [ActionConflict(row.id, row.conflict_reason) for row in session.execute(statement)]


def counts_per_minute(
    session: Session,
    camera_ids: Collection[str] | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
    class_names: Collection[str] | None = None,
) -> list[TrafficCount]:
    """Stored per-minute counts, oldest minute first."""
    statement = select(COUNTS)
    if camera_ids is not None:
        statement = statement.where(COUNTS.c.camera_id.in_(list(camera_ids)))
    if class_names is not None:
        statement = statement.where(COUNTS.c.class_name.in_(list(class_names)))
    if since is not None:
        statement = statement.where(COUNTS.c.minute >= since)
    if until is not None:
        statement = statement.where(COUNTS.c.minute < until)
    statement = statement.order_by(COUNTS.c.minute, COUNTS.c.camera_id, COUNTS.c.class_name)
    return [convert.count_from_row(row) for row in session.execute(statement).mappings()]


def count_alerts(session: Session, statuses: Collection[AlertStatus] | None = None) -> int:
    statement = select(func.count()).select_from(ALERTS)
    if statuses is not None:
        statement = statement.where(ALERTS.c.status.in_([s.value for s in statuses]))
    return int(session.execute(statement).scalar_one())


def health_incidents(session: Session, since: datetime) -> list[HealthIncident]:
    """Camera health incidents still open or ended after ``since``, oldest first."""
    rows = session.execute(
        select(HEALTH)
        .where((HEALTH.c.ended_at.is_(None)) | (HEALTH.c.ended_at >= since))
        .order_by(HEALTH.c.started_at)
    ).all()
    return [
        HealthIncident(r.camera_id, r.state, r.reason, r.started_at, r.ended_at, r.id) for r in rows
    ]
