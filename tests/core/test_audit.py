from __future__ import annotations

import shutil
import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import pytest
from argon2 import PasswordHasher

from console.cli.main import main
from console.config.secrets import SECRET_VALUES, expand_env
from console.security.accounts import Accounts
from console.security.audit import AuditAction, AuditLog, verify_database
from console.store.audit_chain import GENESIS_HASH
from console.store.local import LocalStore
from tests.conftest import PlantedSecrets
from tests.core.test_store_support import make_alert


def filled_store(path: Path, entries: int = 6) -> Path:
    """A closed database with ``entries`` audit entries (plus a legal hold the store writes)."""
    with LocalStore.open(path, console_id="console-7") as store:
        audit = AuditLog(store, "console-7")
        alert = make_alert()
        store.writer.save_alert(alert).result(10)
        for number in range(entries - 1):
            audit.record(f"user{number}", AuditAction.EVIDENCE_VIEW, {"n": number, "ok": "đã xem"})
        store.writer.set_legal_hold(alert.id, True, actor="sup", at=datetime.now(UTC)).result(10)
    return path


AUDITOR, AUDITOR_PASSWORD = "auditor", "auditor-pass-01"


def add_auditor(path: Path) -> None:
    """A user allowed to read the trail (an administrator), for the ``audit`` commands."""
    with LocalStore.open(path, console_id="console-7") as store:
        fast = PasswordHasher(time_cost=1, memory_cost=8192)
        Accounts(store, AuditLog(store, "console-7"), hasher=fast).create_first_admin(
            AUDITOR, AUDITOR_PASSWORD
        )


def verify_command(path: Path, monkeypatch: pytest.MonkeyPatch) -> int:
    monkeypatch.setenv("ROADWATCH_PASSWORD", AUDITOR_PASSWORD)
    return main(["audit", "verify", "--db", str(path), "--user", AUDITOR])


def damaged_copy(original: Path, folder: Path, *statements: str) -> Path:
    copy = folder / "copy.sqlite"
    shutil.copy(original, copy)
    with sqlite3.connect(copy) as connection:
        for statement in statements:
            connection.execute(statement)
    return copy


@pytest.fixture
def database(tmp_path: Path) -> Path:
    return filled_store(tmp_path / "console.sqlite")


def test_entries_are_chained_from_genesis_and_verify_intact(
    database: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    report = verify_database(database)
    assert report.intact and report.entries == 6
    with sqlite3.connect(database) as connection:
        rows = connection.execute(
            "SELECT prev_hash, hash, action FROM audit_entries ORDER BY rowid"
        ).fetchall()
    assert rows[0][0] == GENESIS_HASH
    assert all(rows[i][0] == rows[i - 1][1] for i in range(1, len(rows)))
    assert rows[-1][2] == "legal_hold.set"  # written by the store itself, chained too
    add_auditor(database)
    assert verify_command(database, monkeypatch) == 0
    assert "audit trail intact" in capsys.readouterr().out
    report = verify_database(database)  # the verification itself is in the trail, chained
    assert report.intact and report.entries > 6
    with sqlite3.connect(database) as connection:
        user, action = connection.execute(
            "SELECT user, action FROM audit_entries WHERE action = 'audit.verify'"
        ).fetchone()
    assert (user, action) == (AUDITOR, "audit.verify")


def test_verify_names_an_edited_entry(
    database: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    add_auditor(database)
    copy = damaged_copy(
        database, tmp_path, "UPDATE audit_entries SET user = 'someone-else' WHERE rowid = 3"
    )
    report = verify_database(copy)
    assert [(p.position, p.kind) for p in report.problems] == [(3, "edited")]
    assert verify_command(copy, monkeypatch) == 1
    out = capsys.readouterr().out
    assert "DAMAGED" in out and "entry #3" in out and report.problems[0].entry_id in out
    assert verify_database(database).intact  # the original is untouched


def test_verify_names_where_an_entry_was_removed(database: Path, tmp_path: Path) -> None:
    copy = damaged_copy(database, tmp_path, "DELETE FROM audit_entries WHERE rowid = 3")
    report = verify_database(copy)
    assert [(p.position, p.kind) for p in report.problems] == [(3, "removed")]
    assert "user3" in report.problems[0].message  # the entry now stored third, named


def test_verify_names_reordered_entries(database: Path, tmp_path: Path) -> None:
    copy = damaged_copy(
        database,
        tmp_path,
        "UPDATE audit_entries SET rowid = -1 WHERE rowid = 2",
        "UPDATE audit_entries SET rowid = 2 WHERE rowid = 3",
        "UPDATE audit_entries SET rowid = 3 WHERE rowid = -1",
    )
    report = verify_database(copy)
    kinds = {p.kind for p in report.problems}
    assert kinds == {"reordered"}
    assert report.problems[0].position == 2
    assert "out of order" in report.problems[0].message


def test_an_edit_that_recomputes_the_hash_still_breaks_the_chain(
    database: Path, tmp_path: Path
) -> None:
    copy = damaged_copy(
        database,
        tmp_path,
        "UPDATE audit_entries SET hash = 'f00d' || substr(hash, 5) WHERE rowid = 4",
    )
    problems = verify_database(copy).problems
    assert [(p.position, p.kind) for p in problems] == [(4, "edited"), (5, "removed")]


def test_verify_refuses_what_is_not_a_roadwatch_database(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    junk = tmp_path / "junk.sqlite"
    junk.write_bytes(b"\xff\xfe not a database " * 100)
    assert main(["audit", "verify", "--db", str(junk), "--user", "x"]) == 2
    assert main(["audit", "verify", "--db", str(tmp_path / "missing.sqlite"), "--user", "x"]) == 2
    err = capsys.readouterr().err
    assert "cannot read the database" in err and "no such database file" in err
    assert not (tmp_path / "missing.sqlite").exists()


def test_two_stores_on_one_file_keep_one_chain(tmp_path: Path) -> None:
    path = tmp_path / "shared.sqlite"
    with (
        LocalStore.open(path, console_id="a") as first,
        LocalStore.open(path, console_id="b") as second,
    ):
        logs = [AuditLog(first, "a"), AuditLog(second, "b")]
        futures = [logs[i % 2].record("u", AuditAction.PLAYBACK, {"i": i}) for i in range(40)]
        for future in futures:
            future.result(10)
    report = verify_database(path)
    assert report.intact and report.entries == 40


def test_audit_details_never_hold_a_secret(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, planted_secrets: PlantedSecrets
) -> None:
    planted_secrets.setenv(monkeypatch, "AUDIT_TEST_SECRET", "Audit-Secret-4d1c")
    url = expand_env("rtsp://admin:${AUDIT_TEST_SECRET}@10.0.0.9/stream")
    path = tmp_path / "secret.sqlite"
    with LocalStore.open(path) as store:
        AuditLog(store).record_and_wait(
            "admin", AuditAction.CONFIG_CHANGE, {"url": url, "x": [url]}
        )
    assert b"Audit-Secret-4d1c" not in path.read_bytes()
    assert verify_database(path).intact
    assert "Audit-Secret-4d1c" not in SECRET_VALUES.redact("Audit-Secret-4d1c")
