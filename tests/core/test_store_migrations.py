"""Schema migrations: fresh databases, fixture databases of every earlier version, refusals."""

from __future__ import annotations

import shutil
import sqlite3
import uuid
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory

from console.domain.records import AlertStatus
from console.store import queries
from console.store.engine import create_sqlite_engine
from console.store.local import LocalStore
from console.store.migrate import SchemaTooNewError, alembic_config, head_revision
from console.store.models import Base

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "db"
FIXTURE_ALERT = uuid.UUID("0190f0a0000070008000000000000001")


def earlier_revisions() -> list[str]:
    script = ScriptDirectory.from_config(alembic_config())
    return sorted(r.revision for r in script.walk_revisions() if r.revision != head_revision())


def test_every_earlier_schema_version_has_a_fixture_database() -> None:
    assert earlier_revisions(), "expected at least one revision before head"
    for revision in earlier_revisions():
        assert (FIXTURES / f"roadwatch-{revision}.sqlite").is_file(), revision


def test_a_new_database_is_created_at_head_and_matches_the_models(tmp_path: Path) -> None:
    LocalStore.open(tmp_path / "new.sqlite").close()
    engine = create_sqlite_engine(tmp_path / "new.sqlite", writer=False)
    with engine.connect() as connection:
        context = MigrationContext.configure(connection)
        assert context.get_current_revision() == head_revision()
        assert compare_metadata(context, Base.metadata) == []
    engine.dispose()
    assert not list(tmp_path.glob("*.backup-*")), "a brand-new database needs no backup"


@pytest.mark.parametrize("revision", earlier_revisions())
def test_fixture_database_upgrades_to_head_with_its_rows(tmp_path: Path, revision: str) -> None:
    path = tmp_path / "roadwatch.sqlite"
    shutil.copy(FIXTURES / f"roadwatch-{revision}.sqlite", path)
    store = LocalStore.open(path, console_id="console-1")
    try:
        with store.session() as session:
            alert = queries.get_alert(session, FIXTURE_ALERT)
            history = queries.alert_history(session, FIXTURE_ALERT)
        assert alert is not None
        assert alert.status is AlertStatus.ACKNOWLEDGED
        assert alert.event.values["speed_kmh"] == 42.5
        assert alert.event.box_xyxy == (10.0, 20.0, 110.0, 220.0)
        assert alert.created_at.tzinfo is not None and alert.created_at.hour == 1
        assert [e.sha256 for e in alert.evidence] == ["ab" * 32]
        assert [(a.actor, a.action) for a in history] == [("operator1", "acknowledged")]
        assert store.backlog() == 1  # the unsynced action is still queued
    finally:
        store.close()
    backups = list(tmp_path.glob(f"roadwatch.sqlite.backup-{revision}-*"))
    assert len(backups) == 1
    with sqlite3.connect(backups[0]) as copy:
        assert copy.execute("SELECT version_num FROM alembic_version").fetchone() == (revision,)


def test_a_database_from_a_newer_version_is_refused_and_left_untouched(tmp_path: Path) -> None:
    path = tmp_path / "roadwatch.sqlite"
    LocalStore.open(path).close()
    with sqlite3.connect(path) as connection:
        connection.execute("UPDATE alembic_version SET version_num = '0099'")
    before = path.read_bytes()
    with pytest.raises(SchemaTooNewError) as refused:
        LocalStore.open(path)
    assert "written by a newer RoadWatch (revision 0099); install that version or newer" in str(
        refused.value
    )
    assert refused.value.revision == "0099"
    assert path.read_bytes() == before
    assert not list(tmp_path.glob("*.backup-*"))


def test_a_newer_database_in_rollback_journal_mode_is_not_switched_to_wal(tmp_path: Path) -> None:
    """Opening read-write would set WAL (a header write) before the revision is known."""
    path = tmp_path / "roadwatch.sqlite"
    shutil.copy(FIXTURES / f"roadwatch-{earlier_revisions()[0]}.sqlite", path)
    with sqlite3.connect(path) as connection:
        connection.execute("UPDATE alembic_version SET version_num = 'ffff0123'")
    connection.close()
    with sqlite3.connect(path) as connection:
        assert connection.execute("PRAGMA journal_mode=DELETE").fetchone() == ("delete",)
    connection.close()
    before = path.read_bytes()
    with pytest.raises(SchemaTooNewError, match="revision ffff0123"):
        LocalStore.open(path)
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["roadwatch.sqlite"]  # no -wal, no backup
