"""A local database from a newer RoadWatch: every entry point says so and changes nothing."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from console.cli.main import EXIT_FAILURE, main
from console.store.local import LocalStore
from tests.core.test_provision import write_site

MESSAGE = "written by a newer RoadWatch (revision 0999); install that version or newer"


def newer_database(folder: Path) -> tuple[Path, bytes]:
    database = folder / "roadwatch.sqlite"
    LocalStore.open(database).close()
    with sqlite3.connect(database) as connection:
        connection.execute("UPDATE alembic_version SET version_num = '0999'")
    connection.close()
    return database, database.read_bytes()


def test_the_console_refuses_before_loading_the_interface(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("QT_QPA_PLATFORM", "offscreen")
    database, before = newer_database(tmp_path / "data")
    site = write_site(tmp_path / "it", extra=f'storage: {{data_dir: "{tmp_path / "data"}"}}\n')
    assert main(["--site", str(site)]) == EXIT_FAILURE
    assert MESSAGE in capsys.readouterr().err
    assert database.read_bytes() == before
    assert sorted(p.name for p in database.parent.iterdir()) == ["roadwatch.sqlite"]


@pytest.mark.slow
def test_analyze_refuses_before_starting_cameras(tmp_path: Path) -> None:
    database, before = newer_database(tmp_path / "data")
    site = write_site(tmp_path / "it", extra=f'storage: {{data_dir: "{tmp_path / "data"}"}}\n')
    result = subprocess.run(
        [sys.executable, "-m", "console.cli.main", "analyze", str(site), "--duration", "1"],
        capture_output=True,
        text=True,
        env=dict(os.environ),
        timeout=120,
        check=False,
    )
    assert result.returncode == 1
    assert MESSAGE in result.stderr and "Traceback" not in result.stderr
    assert database.read_bytes() == before
