"""The central PostgreSQL schema, shared by every console and analytics PC of a centre.

Rows keep the local cache's column names and UUID keys, so a push is a plain upsert.
Alerts and actions carry ``change_seq`` from one sequence; it is only assigned while the
pushing transaction holds :data:`CHANGE_LOCK`, so sequence order is commit order and a
console pulling "everything after N" never skips a row that commits late.
"""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Column,
    Connection,
    DateTime,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    Sequence,
    String,
    Table,
    UniqueConstraint,
    func,
    select,
    text,
)
from sqlalchemy.schema import SchemaItem

from console.store import models

CENTRAL_SCHEMA_VERSION = 1
CHANGE_LOCK = 0x526F_6457_0001  # pg_advisory_xact_lock key: "RoW" + 1, held while seqs are taken
SCHEMA_LOCK = 0x526F_6457_0002

metadata = MetaData(naming_convention=models.NAMING_CONVENTION)
change_seq = Sequence("central_change_seq", metadata=metadata)

# Local bookkeeping that means nothing centrally.
_LOCAL_ONLY = {"local_path", "central_state", "central_confirmed_at", "pruned_at"}


def _mirror(local: Table, *extra: SchemaItem) -> Table:
    columns = [
        Column(c.name, c.type, primary_key=c.primary_key, nullable=c.nullable)
        for c in local.columns
        if c.name not in _LOCAL_ONLY
    ]
    received = Column("received_at", DateTime(timezone=True), server_default=func.now())
    return Table(local.name, metadata, *columns, received, *extra)


def _seq_column() -> Column[int]:
    return Column(
        "change_seq", BigInteger, change_seq, server_default=change_seq.next_value(), index=True
    )


schema_version = Table(
    "central_schema_version",
    metadata,
    Column("version", Integer, primary_key=True),
    Column("applied_at", DateTime(timezone=True), server_default=func.now()),
)
events = _mirror(models.EVENTS, Column("console_id", String(models.ID), server_default=""))
alerts = _mirror(
    models.ALERTS,
    _seq_column(),
    # The console whose push last changed the row: a console need not pull its own changes.
    Column("changed_by", String(models.ID), server_default=""),
)
actions = _mirror(
    models.ACTIONS, _seq_column(), Column("pushed_by", String(models.ID), server_default="")
)
evidence_items = _mirror(models.EVIDENCE)
# Added with plate reading; create_all adds it to an existing central database as well.
alert_plates = _mirror(models.PLATES)
traffic_counts = _mirror(
    models.COUNTS,
    Column("console_id", String(models.ID), server_default=""),
    UniqueConstraint(
        "camera_id",
        "class_name",
        "lane",
        "line_id",
        "direction",
        "minute",
        name="uq_central_traffic_counts_key",
    ),
)
health_incidents = _mirror(
    models.HEALTH, Column("console_id", String(models.ID), server_default="")
)
audit_entries = _mirror(models.AUDIT)
evidence_blobs = Table(
    "evidence_blobs",
    metadata,
    Column("sha256", String(64), primary_key=True),
    Column("size_bytes", BigInteger, nullable=False),
    Column("data", LargeBinary, nullable=False),
    Column("received_at", DateTime(timezone=True), server_default=func.now()),
)


class CentralSchemaTooNewError(RuntimeError):
    """Central storage was upgraded by a newer RoadWatch; this console must not write to it."""


def ensure_central_schema(connection: Connection) -> int:
    """Create the central tables if absent; returns the schema version found or created."""
    connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": SCHEMA_LOCK})
    metadata.create_all(connection, checkfirst=True)
    version = connection.execute(select(func.max(schema_version.c.version))).scalar()
    if version is None:
        connection.execute(schema_version.insert().values(version=CENTRAL_SCHEMA_VERSION))
        return CENTRAL_SCHEMA_VERSION
    if version > CENTRAL_SCHEMA_VERSION:
        raise CentralSchemaTooNewError(
            f"central storage has schema version {version}; this RoadWatch writes version "
            f"{CENTRAL_SCHEMA_VERSION}. Upgrade this console; its local changes wait in the outbox."
        )
    return int(version)


Index("ix_central_evidence_items_alert_id", evidence_items.c.alert_id)
Index("ix_central_alert_actions_alert_id", actions.c.alert_id)
Index("ix_central_events_started_at", events.c.started_at)
