"""Alembic migrations of the local cache, run programmatically when a store opens."""

from __future__ import annotations

import logging
import sqlite3
from datetime import datetime
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine

from console import __version__

log = logging.getLogger(__name__)

MIGRATIONS_DIR = Path(__file__).with_name("migrations")


class SchemaTooNewError(RuntimeError):
    """The database was written by a newer RoadWatch; this version must not touch it."""

    def __init__(self, path: Path | str, revision: str) -> None:
        super().__init__(
            f"{path}: this database was written by a newer RoadWatch (revision {revision}); "
            "install that version or newer. "
            f"This RoadWatch {__version__} knows revisions up to {head_revision()}; "
            "the file was not changed."
        )
        self.path = Path(path)
        self.revision = revision


def alembic_config(connection: Connection | None = None) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    if connection is not None:
        config.attributes["connection"] = connection
    return config


def head_revision() -> str:
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None, "console/store/migrations has no revisions"
    return head


def known_revisions() -> set[str]:
    script = ScriptDirectory.from_config(alembic_config())
    return {revision.revision for revision in script.walk_revisions()}


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def stored_revision(path: Path) -> str | None:
    """The revision stamped in an existing database file, read without changing it.

    No journal-mode switch, no schema touched, only a SELECT under ``query_only``, so a
    database from a newer RoadWatch can be refused before anything is written to it. (A
    ``mode=ro`` connection cannot read a WAL database whose ``-shm`` file is gone, which is
    the normal state of a closed RoadWatch database.)
    """
    connection = sqlite3.connect(f"{path.resolve().as_uri()}?mode=rw", uri=True)
    try:
        connection.execute("PRAGMA query_only = ON")
        tables = connection.execute(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'alembic_version'"
        ).fetchall()
        if not tables:
            return None
        row = connection.execute("SELECT version_num FROM alembic_version").fetchone()
        return str(row[0]) if row else None
    finally:
        connection.close()


def refuse_unknown_revision(path: Path) -> str | None:
    """The file's revision; SchemaTooNewError when this app does not know it (read-only)."""
    revision = stored_revision(path)
    if revision is not None and revision not in known_revisions():
        raise SchemaTooNewError(path, revision)
    return revision


def backup_sqlite(path: Path, revision: str) -> Path:
    """A consistent copy of the database (WAL included) next to it, before migrating."""
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    target = path.with_name(f"{path.name}.backup-{revision}-{stamp}")
    source = sqlite3.connect(path)
    try:
        destination = sqlite3.connect(target)
        try:
            source.backup(destination)
        finally:
            destination.close()
    finally:
        source.close()
    return target


def upgrade_local(engine: Engine, path: Path | None = None) -> str:
    """Bring the database to the app's head revision; returns the revision it is at.

    An existing database is copied first (when ``path`` is given). A database stamped with
    a revision this app does not know was written by a newer version: it is left untouched
    and :class:`SchemaTooNewError` says what to do.
    """
    current = current_revision(engine)
    head = head_revision()
    if current == head:
        return head
    if current is not None and current not in known_revisions():
        raise SchemaTooNewError(path or str(engine.url), current)
    if current is not None and path is not None:
        backup = backup_sqlite(path, current)
        log.info("local database backed up to %s before migrating %s -> %s", backup, current, head)
    with engine.begin() as connection:
        command.upgrade(alembic_config(connection), "head")
    return head
