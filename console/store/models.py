"""The local cache schema (SQLite), as typed SQLAlchemy 2 models.

Primary keys of records made by consoles are UUIDv7 (``sqlalchemy.Uuid``: native ``uuid``
on PostgreSQL, 32 hex characters on SQLite). Times are :class:`UTCDateTime`. The schema
changes only through Alembic migrations in ``console/store/migrations``.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    Uuid,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from console.store.columns import UTCDateTime

# Named constraints: Alembic's SQLite batch mode can only alter what it can name.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

ID = 64  # length of text identifiers (site, camera, console, unit, user names)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map = {datetime: UTCDateTime(), uuid.UUID: Uuid(), dict[str, Any]: JSON()}


class SiteRow(Base):
    __tablename__ = "sites"

    id: Mapped[str] = mapped_column(String(ID), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    timezone: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime]


class CameraRow(Base):
    """A camera as provisioned from the site file (the file stays the source of truth)."""

    __tablename__ = "cameras"

    id: Mapped[str] = mapped_column(String(ID), primary_key=True)
    site_id: Mapped[str | None] = mapped_column(ForeignKey("sites.id"))
    name: Mapped[str] = mapped_column(String(200))
    route: Mapped[str] = mapped_column(String(ID))
    km: Mapped[float] = mapped_column(Float)
    area: Mapped[str] = mapped_column(String(200), default="")
    lat: Mapped[float] = mapped_column(Float)
    lon: Mapped[float] = mapped_column(Float)
    enabled: Mapped[bool] = mapped_column(Boolean, default=True)
    provisioned_at: Mapped[datetime]


class EventRow(Base):
    __tablename__ = "events"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    type: Mapped[str] = mapped_column(String(32))
    # No foreign key to cameras: events of a camera removed from the site file must survive.
    camera_id: Mapped[str] = mapped_column(String(ID), index=True)
    started_at: Mapped[datetime] = mapped_column(index=True)
    ended_at: Mapped[datetime]
    severity: Mapped[str] = mapped_column(String(16))
    track_id: Mapped[int | None] = mapped_column(Integer)
    class_name: Mapped[str | None] = mapped_column(String(ID))
    box_xyxy: Mapped[list[float] | None] = mapped_column(JSON)
    values: Mapped[dict[str, Any]] = mapped_column(JSON)
    rule_id: Mapped[str] = mapped_column(String(ID), default="")
    message: Mapped[str] = mapped_column(Text, default="")


class AlertRow(Base):
    __tablename__ = "alerts"
    __table_args__ = (Index("ix_alerts_status_created", "status", "created_at"),)

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    event_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("events.id"), unique=True)
    camera_id: Mapped[str] = mapped_column(String(ID), index=True)
    type: Mapped[str] = mapped_column(String(32))
    priority: Mapped[str] = mapped_column(String(16))
    status: Mapped[str] = mapped_column(String(20))
    # Status the alert was created with: central replays the action log from it.
    created_status: Mapped[str] = mapped_column(String(20))
    created_at: Mapped[datetime] = mapped_column(index=True)
    updated_at: Mapped[datetime]
    assigned_unit: Mapped[str | None] = mapped_column(String(ID))
    training: Mapped[bool] = mapped_column(Boolean, default=False)
    origin_console: Mapped[str] = mapped_column(String(ID), default="")


class AlertActionRow(Base):
    __tablename__ = "alert_actions"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    alert_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("alerts.id"), index=True)
    action: Mapped[str] = mapped_column(String(20))
    actor: Mapped[str] = mapped_column(String(ID))
    at: Mapped[datetime]
    note: Mapped[str] = mapped_column(Text, default="")
    console_id: Mapped[str] = mapped_column(String(ID), default="")
    unit: Mapped[str | None] = mapped_column(String(ID))
    # Set by central when another console's action won (first terminal state wins).
    superseded: Mapped[bool] = mapped_column(Boolean, default=False)
    conflict_reason: Mapped[str] = mapped_column(Text, default="")


class EvidenceItemRow(Base):
    __tablename__ = "evidence_items"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    alert_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("alerts.id"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    kind: Mapped[str] = mapped_column(String(16))
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    size_bytes: Mapped[int] = mapped_column(BigInteger)
    local_path: Mapped[str | None] = mapped_column(Text)  # None once pruned or if remote
    # pending | confirmed (central verified the hash) | missing | mismatch
    central_state: Mapped[str] = mapped_column(String(16), default="pending")
    central_confirmed_at: Mapped[datetime | None]  # added in revision 0002
    legal_hold: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime]
    pruned_at: Mapped[datetime | None]


class TrafficCountRow(Base):
    __tablename__ = "traffic_counts"
    __table_args__ = (
        UniqueConstraint(
            "camera_id",
            "class_name",
            "lane",
            "line_id",
            "direction",
            "minute",
            name="uq_traffic_counts_key",
        ),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    camera_id: Mapped[str] = mapped_column(String(ID))
    class_name: Mapped[str] = mapped_column(String(ID))
    lane: Mapped[str] = mapped_column(String(ID), default="")
    line_id: Mapped[str] = mapped_column(String(ID), default="")
    direction: Mapped[str] = mapped_column(String(16), default="")
    minute: Mapped[datetime] = mapped_column(index=True)
    count: Mapped[int] = mapped_column(Integer)


class HealthIncidentRow(Base):
    __tablename__ = "health_incidents"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    camera_id: Mapped[str] = mapped_column(String(ID), index=True)
    state: Mapped[str] = mapped_column(String(32))
    reason: Mapped[str] = mapped_column(Text, default="")
    started_at: Mapped[datetime]
    ended_at: Mapped[datetime | None]


class AlertPlateRow(Base):
    """The number plate of an alert's vehicle: read by the plate reader or set by an operator.

    A table of its own (added in revision 0003): the plate arrives with the evidence,
    seconds after the alert, and an operator may correct it later; central keeps the
    latest (an upsert), while the alert row itself is written once.
    """

    __tablename__ = "alert_plates"

    alert_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("alerts.id"), primary_key=True)
    text: Mapped[str] = mapped_column(String(32))  # display form, e.g. "30E-123.45"
    key: Mapped[str] = mapped_column(String(32), index=True)  # search key, e.g. "30E12345"
    colour: Mapped[str] = mapped_column(String(16))
    confidence: Mapped[float] = mapped_column(Float)
    lines: Mapped[int] = mapped_column(Integer)
    valid: Mapped[bool] = mapped_column(Boolean)
    source: Mapped[str] = mapped_column(String(16))  # reader | operator
    frames: Mapped[int] = mapped_column(Integer)
    updated_at: Mapped[datetime]
    updated_by: Mapped[str] = mapped_column(String(ID))  # "system" for the reader


class WatchlistPlateRow(Base):
    """A plate to look out for (a stolen vehicle, a wanted one): a read raises an alert."""

    __tablename__ = "watchlist_plates"

    key: Mapped[str] = mapped_column(String(32), primary_key=True)
    text: Mapped[str] = mapped_column(String(32))
    reason: Mapped[str] = mapped_column(Text)
    added_by: Mapped[str] = mapped_column(String(ID))
    added_at: Mapped[datetime]


class AuditEntryRow(Base):
    """One audit record; ``prev_hash``/``hash`` hold the hash chain (computed by the audit log)."""

    __tablename__ = "audit_entries"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(index=True)
    user: Mapped[str] = mapped_column(String(ID))
    console_id: Mapped[str] = mapped_column(String(ID), default="")
    action: Mapped[str] = mapped_column(String(64))
    details: Mapped[dict[str, Any]] = mapped_column(JSON)
    prev_hash: Mapped[str] = mapped_column(String(128), default="")
    hash: Mapped[str] = mapped_column(String(128), default="")


class UserRow(Base):
    __tablename__ = "users"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(ID), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(32))
    locked_until: Mapped[datetime | None]
    failed_attempts: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime]


class SyncCursorRow(Base):
    __tablename__ = "sync_cursors"

    name: Mapped[str] = mapped_column(String(ID), primary_key=True)
    value: Mapped[int] = mapped_column(BigInteger)
    updated_at: Mapped[datetime]


class OutboxRow(Base):
    """A change waiting for central storage, written in the transaction that made it."""

    __tablename__ = "outbox"
    __table_args__ = (
        # Added in revision 0002: the sync reads only pending rows, oldest first.
        Index("ix_outbox_pending", "seq", sqlite_where=text("done_at IS NULL")),
    )

    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    kind: Mapped[str] = mapped_column(String(16))  # alert | action | count | health | audit
    entity_id: Mapped[uuid.UUID]
    created_at: Mapped[datetime]
    done_at: Mapped[datetime | None]


def _table(model: type[Base]) -> Table:
    table = model.__table__
    assert isinstance(table, Table)
    return table


# Tables for Core statements (bulk writes and reads skip the ORM's per-object cost).
SITES = _table(SiteRow)
CAMERAS = _table(CameraRow)
EVENTS = _table(EventRow)
ALERTS = _table(AlertRow)
ACTIONS = _table(AlertActionRow)
EVIDENCE = _table(EvidenceItemRow)
COUNTS = _table(TrafficCountRow)
HEALTH = _table(HealthIncidentRow)
AUDIT = _table(AuditEntryRow)
PLATES = _table(AlertPlateRow)
WATCHLIST = _table(WatchlistPlateRow)
USERS = _table(UserRow)
CURSORS = _table(SyncCursorRow)
OUTBOX = _table(OutboxRow)
