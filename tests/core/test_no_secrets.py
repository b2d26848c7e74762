"""No secret reaches a log, an audit entry or an exported package.

The first test runs the real CLI and core pieces with distinctive camera and database
passwords in the environment (config check, secret check, a failing central sync, a
network diagnosis, a logged traceback, audited actions and a case export whose alert text
and history carry a camera URL), then scans everything they wrote.

The last test of the session (marked ``last``, so it runs after tests/ui and
tests/integration too) scans every log and export the session wrote under its temporary
folder for every secret any test planted (the ``planted_secrets`` registry of
tests/conftest.py).
"""

from __future__ import annotations

import logging
import zipfile
from dataclasses import replace
from pathlib import Path

import pytest

from console.cli.main import main
from console.config.secrets import expand_env
from console.domain.records import AlertAction, utc_now
from console.evidence.case_export import CaseExporter
from console.paths import data_dir, log_dir
from console.security.audit import AuditAction, AuditLog
from console.security.roles import Role, User
from console.security.site_key import load_or_create_site_key
from console.sources.probe import diagnose_network_url
from console.store.local import LocalStore
from tests.conftest import PlantedSecrets
from tests.core.rule_factories import CALIBRATION, SITE
from tests.core.test_alerting import RULES
from tests.core.test_case_export import recorded_alert

CAMERA_SECRET = "Cam-Pw-9f2b71xQ"
DATABASE_SECRET = "Db-Pw-7c1e55aaZ"
CAMERA_URL = "rtsp://admin:${RW_TEST_CAMERA_PASSWORD}@127.0.0.1:9/live"
CENTRAL = """
central:
  url: "postgresql://roadwatch:${RW_TEST_DB_PASSWORD}@127.0.0.1:9/central"
  sslmode: require
"""
MAX_SCANNED_BYTES = 200 * 1024 * 1024
# What counts as a log or an export: log folders and rotated logs by name, packages (ZIP,
# members included), recording and replay metadata (JSONL), reports, handovers and
# manifests (JSON), dataset exports (data.yaml, labels, decisions.csv) and text reports.
# Databases are checked by the first test; keyring files hold secrets by design.
LOG_FOLDERS = {"log", "logs"}
EXPORT_SUFFIXES = {".zip", ".jsonl", ".json", ".csv", ".txt", ".yaml", ".yml", ".md", ".html"}


def is_log_or_export(path: Path) -> bool:
    return (
        ".log" in path.name
        or path.suffix.lower() in EXPORT_SUFFIXES
        or not LOG_FOLDERS.isdisjoint(path.parts)
    )


def scan_file(path: Path, secrets: PlantedSecrets) -> dict[str, list[str]]:
    """The planted secrets in ``path`` and, for a ZIP, in each of its members."""
    found: dict[str, list[str]] = {}
    try:
        if path.stat().st_size > MAX_SCANNED_BYTES:
            return found
        if leaks := secrets.found_in(path.read_bytes()):
            found[str(path)] = leaks
        if zipfile.is_zipfile(path):
            with zipfile.ZipFile(path) as archive:
                for info in archive.infolist():
                    if info.file_size <= MAX_SCANNED_BYTES and (
                        leaks := secrets.found_in(archive.read(info))
                    ):
                        found[f"{path}!{info.filename}"] = leaks
    except (zipfile.BadZipFile, OSError, EOFError):
        pass  # damaged on purpose by another test, or removed while we looked
    return found


def scan(folder: Path, secrets: PlantedSecrets, *, every_file: bool = True) -> dict[str, list[str]]:
    """Files under ``folder`` (all, or only logs and exports) that hold a planted secret."""
    found: dict[str, list[str]] = {}
    for path in folder.rglob("*"):
        if path.is_file() and (every_file or is_log_or_export(path)):
            found.update(scan_file(path, secrets))
    return found


@pytest.fixture
def secret_env(monkeypatch: pytest.MonkeyPatch, planted_secrets: PlantedSecrets) -> None:
    planted_secrets.setenv(monkeypatch, "RW_TEST_CAMERA_PASSWORD", CAMERA_SECRET)
    planted_secrets.setenv(monkeypatch, "RW_TEST_DB_PASSWORD", DATABASE_SECRET)


def test_cli_and_core_pieces_write_no_secret(
    secret_env: None,
    planted_secrets: PlantedSecrets,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    site = tmp_path / "site.yaml"
    site.write_text(
        SITE.format(rules=RULES, calibration=CALIBRATION).replace("sim://highway", CAMERA_URL)
        + CENTRAL
    )
    assert main(["check-config", str(site)]) == 0
    assert main(["secret", "check", str(site)]) == 0
    assert main(["sync", "--once", "--site", str(site)]) == 1  # nothing listens on port 9
    real_url = expand_env(CAMERA_URL)
    reason = diagnose_network_url(CAMERA_URL, timeout_s=1.0)
    log = logging.getLogger("console.test_no_secrets")
    try:
        raise ConnectionError(f"cannot open {real_url} (password {CAMERA_SECRET})")
    except ConnectionError:
        log.exception("camera failed: %s; %s", real_url, reason)

    with LocalStore.open(data_dir() / "roadwatch.sqlite", console_id="console-7") as store:
        audit = AuditLog(store, "console-7")
        audit.record_and_wait("op", AuditAction.CONFIG_CHANGE, {"stream": real_url})
        alert = recorded_alert(tmp_path / "evidence")
        alert = alert.evolve(event=replace(alert.event, message=f"stream {real_url} stopped"))
        note = AlertAction(alert.id, "note", "op", utc_now(), note=f"tried {real_url}")
        exporter = CaseExporter(load_or_create_site_key(data_dir()), "console-7", audit)
        exporter.export(
            User("op", Role.OPERATOR), [alert], tmp_path / "case.zip", history=lambda _a: [note]
        )
    output = capsys.readouterr()
    for stream in (output.out, output.err):
        assert not planted_secrets.found_in(stream.encode())
    logged = (log_dir() / "roadwatch.log").read_text(encoding="utf-8")
    assert "camera failed: rtsp://admin:***@127.0.0.1:9/live" in logged  # logged, but masked
    for folder in (log_dir(), data_dir(), tmp_path):
        assert scan(folder, planted_secrets) == {}


@pytest.mark.last
def test_no_log_or_export_of_this_session_holds_a_planted_secret(
    tmp_path_factory: pytest.TempPathFactory, planted_secrets: PlantedSecrets
) -> None:
    assert len(planted_secrets) > 0, (
        "no test of this session planted a secret to look for: run this test together with "
        "the ones that plant them (at least the whole of tests/core/test_no_secrets.py)"
    )
    base = tmp_path_factory.getbasetemp()
    assert scan(base, planted_secrets, every_file=False) == {}
