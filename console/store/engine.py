"""SQLite engines for the local cache: WAL, busy timeout, foreign keys, explicit BEGIN."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.pool import NullPool, QueuePool

BUSY_TIMEOUT_MS = 30_000


def sqlite_url(path: Path) -> str:
    return f"sqlite+pysqlite:///{path}"


def create_sqlite_engine(path: Path, *, writer: bool) -> Engine:
    """An engine on ``path``; ``writer`` engines start every transaction with BEGIN IMMEDIATE.

    pysqlite's own transaction handling breaks SAVEPOINT (the writer isolates each job in
    one), so the driver is put in autocommit mode and SQLAlchemy emits BEGIN itself.
    BEGIN IMMEDIATE takes the write lock up front: a writer never fails half-way through a
    transaction because another process (``roadwatch sync``) upgraded its lock first.
    """
    engine = create_engine(
        sqlite_url(path),
        poolclass=QueuePool if not writer else NullPool,
        connect_args={"check_same_thread": False, "timeout": BUSY_TIMEOUT_MS / 1000},
    )
    begin = "BEGIN IMMEDIATE" if writer else "BEGIN"

    @event.listens_for(engine, "connect")
    def configure(dbapi_connection: sqlite3.Connection, _record: Any) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA foreign_keys=ON")
        # FULL: a committed write survives power loss too, not only a killed process.
        # The writer groups many jobs per commit, so the extra fsync is cheap.
        cursor.execute("PRAGMA synchronous=FULL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def start_transaction(connection: Any) -> None:
        connection.exec_driver_sql(begin)

    return engine
