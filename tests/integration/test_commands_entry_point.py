"""Every ``roadwatch`` command, run through the installed entry point and checked by its effect.

The commands are those of README's "Running" table and of ``roadwatch --help`` and its
sub-helps; :func:`test_every_command_is_run_here` fails when a command is added without a
test here. Each run gets its own HOME, XDG folders, RoadWatch folders, keyring file and
working directory, and its stdin is a pipe (no terminal), as in a script or a service.
"""

from __future__ import annotations

import json
import os
import re
import sqlite3
import subprocess
import sys
import zipfile
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import cv2
import pytest
from sqlalchemy import func, select

from console import __version__
from console.cli.main import build_parser
from console.config.site_file import demo_site_path
from console.domain.records import AlertStatus
from console.security.accounts import Accounts, AuthenticationError
from console.security.audit import AuditLog
from console.security.roles import UserSession
from console.store.local import LocalStore, default_store_path
from console.sync import central_schema as central
from console.sync.central import CentralDb
from tests.conftest import PlantedSecrets, load_demo_site
from tests.core.test_analyze_status import PLAIN_LINE
from tests.core.test_auth_support import (  # noqa: F401 (fixtures used by name)
    PASSWORDS,
    accounts_fixture,
    audit_fixture,
    sessions_fixture,
    store_fixture,
)
from tests.core.test_case_export import recorded_alert, rewritten
from tests.core.test_cli_commands import command_tree
from tests.core.test_learning_dataset import alert_with_evidence
from tests.core.test_store_support import make_alert
from tests.integration.test_sync_support import central_url_fixture  # noqa: F401

pytestmark = pytest.mark.integration

ROADWATCH = Path(sys.executable).parent / "roadwatch"
BROKEN = Path(__file__).resolve().parents[1] / "fixtures" / "broken"

# Every command below `roadwatch` that a test here runs. A new command fails
# test_every_command_is_run_here until it is added, with a test of what it does.
RUN_HERE = {
    ("check-config",),
    ("analyze",),
    ("train-demo-model",),
    ("export-dataset",),
    ("sim", "export"),
    ("sync",),
    ("user", "create-admin"),
    ("user", "add"),
    ("user", "set-role"),
    ("user", "reset-password"),
    ("user", "unlock"),
    ("user", "list"),
    ("user", "provision"),
    ("user", "hash-password"),
    ("audit", "verify"),
    ("audit", "list"),  # with hold and release: tests/integration/test_permission_commands.py
    ("secret", "set"),
    ("secret", "check"),
    ("evidence", "export"),
    ("evidence", "hold"),
    ("evidence", "release"),
    ("evidence", "verify"),
    ("evidence", "public-key"),
    ("eval",),  # tests/integration/test_eval_real.py
    # tests/integration/test_plate_commands.py
    ("plates", "search"),
    ("plates", "watch"),
    ("plates", "unwatch"),
    ("plates", "watchlist"),
    ("provision",),
    ("node",),
    ("cluster", "status"),
    ("demo-cluster",),
}


@dataclass(frozen=True)
class Home:
    """A machine account of its own: the folders every run of ``roadwatch`` writes to."""

    root: Path

    @property
    def data(self) -> Path:
        return self.root / "roadwatch-data"

    @property
    def database(self) -> Path:
        return default_store_path(self.data)

    def env(self, extra: Mapping[str, str] | None = None) -> dict[str, str]:
        inherited = {
            name: value
            for name, value in os.environ.items()
            if not name.startswith(("ROADWATCH_", "XDG_", "PYTHON_KEYRING"))
        }
        return {
            **inherited,
            "HOME": str(self.root),
            "XDG_CONFIG_HOME": str(self.root / ".config"),
            "XDG_DATA_HOME": str(self.root / ".local" / "share"),
            "XDG_STATE_HOME": str(self.root / ".local" / "state"),
            "XDG_CACHE_HOME": str(self.root / ".cache"),
            "ROADWATCH_DATA_DIR": str(self.data),
            "ROADWATCH_LOG_DIR": str(self.root / "roadwatch-log"),
            "ROADWATCH_CONFIG_DIR": str(self.root / "roadwatch-config"),
            # The demo's simulated cameras are rendered once per test session, as once per user.
            "ROADWATCH_CACHE_DIR": os.environ["ROADWATCH_CACHE_DIR"],
            # keyrings.alt's file backend: a real keyring, kept in XDG_DATA_HOME
            "PYTHON_KEYRING_BACKEND": "keyrings.alt.file.PlaintextKeyring",
            **(extra or {}),
        }

    def run(
        self,
        *args: str,
        stdin: str = "",
        env: Mapping[str, str] | None = None,
        timeout: float = 120,
    ) -> subprocess.CompletedProcess[str]:
        """``roadwatch ARGS``; ``stdin`` answers password prompts, one line each."""
        return subprocess.run(
            [str(ROADWATCH), *args],
            input=stdin,
            capture_output=True,
            text=True,
            env=self.env(env),
            cwd=self.root,
            timeout=timeout,
            check=False,
            start_new_session=True,  # no terminal: getpass reads stdin
        )

    def ok(self, *args: str, **options: object) -> str:
        """Run ``roadwatch ARGS``, which must succeed; returns its stdout."""
        result = self.run(*args, **options)  # type: ignore[arg-type]
        assert result.returncode == 0, describe(result)
        return result.stdout


def describe(result: subprocess.CompletedProcess[str]) -> str:
    return (
        f"{' '.join(map(str, result.args))} -> exit {result.returncode}\n"
        f"stdout:\n{result.stdout[-3000:]}\nstderr:\n{result.stderr[-3000:]}"
    )


@pytest.fixture
def home(tmp_path: Path) -> Home:
    root = tmp_path / "home"
    root.mkdir()
    return Home(root)


def twice(password: str) -> str:
    """The answers to "New password" and "Repeat the password"."""
    return f"{password}\n{password}\n"


def test_every_command_is_run_here() -> None:
    parser = build_parser()
    commands = {path for path, _parser, is_group in command_tree(parser) if path and not is_group}
    assert commands == RUN_HERE


def test_version_through_the_installed_entry_point(home: Home) -> None:
    assert ROADWATCH.is_file(), f"{ROADWATCH} is missing: make venv (pip install -e .)"
    result = home.run("--version")
    assert result.returncode == 0, describe(result) + "\n(stale entry point? make venv)"
    assert result.stdout.strip() == f"RoadWatch {__version__}"


@pytest.mark.slow
def test_without_a_display_the_console_points_to_the_headless_commands(home: Home) -> None:
    no_display = {"DISPLAY": "", "WAYLAND_DISPLAY": "", "QT_QPA_PLATFORM": ""}
    for args in ((), ("--demo",)):
        result = home.run(*args, env=no_display)
        assert result.returncode == 3, describe(result)
        assert "no display found" in result.stderr
        assert "roadwatch analyze --demo" in result.stderr and "Traceback" not in result.stderr


def test_a_command_group_without_its_command_prints_its_usage(home: Home) -> None:
    result = home.run("sim")
    assert result.returncode == 2, describe(result)
    assert result.stderr.startswith("usage: roadwatch sim") and "export" in result.stderr


@pytest.mark.slow
def test_check_config_accepts_a_good_site_and_names_the_line_of_a_problem(home: Home) -> None:
    assert "OK - site" in home.ok("check-config", str(demo_site_path()))
    broken = BROKEN / "wrong-type.yaml"
    result = home.run("check-config", str(broken))
    assert result.returncode == 1, describe(result)
    assert re.search(rf"{re.escape(str(broken))}:\d+: .*valid number", result.stderr), describe(
        result
    )


@pytest.mark.slow
def test_sim_export_writes_a_playable_clip_and_its_ground_truth(home: Home) -> None:
    out = home.root / "clip"
    assert "wrote" in home.ok("sim", "export", "congestion", "--seconds", "4", "--out", str(out))
    capture = cv2.VideoCapture(str(out / "clip.mp4"))
    frames = 0
    while True:
        read, image = capture.read()
        if not read:
            break
        assert image.shape == (720, 1280, 3)
        frames += 1
    capture.release()
    truth = json.loads((out / "truth.json").read_text(encoding="utf-8"))
    assert frames == truth["frame_count"] == 100  # 4 s at 25 fps
    assert truth["scenario"]["name"] == "congestion"


def lock_out(database: Path, username: str) -> None:
    """Fail ``username``'s login until the account is locked (the console's own policy)."""
    with LocalStore.open(database) as store:
        accounts = Accounts(store, AuditLog(store))
        for _ in range(accounts.policy.max_failures):
            with pytest.raises(AuthenticationError):
                accounts.login(username, "not-the-password")
        account = accounts.find(username)
        assert account is not None and account.locked_until is not None


def can_log_in(database: Path, username: str, password: str) -> bool:
    with LocalStore.open(database) as store:
        accounts = Accounts(store, AuditLog(store))
        try:
            accounts.logout(accounts.login(username, password))
        except AuthenticationError:
            return False
        return True


@pytest.mark.slow
def test_users_are_created_changed_and_listed(home: Home, planted_secrets: PlantedSecrets) -> None:
    for password in PASSWORDS.values():
        planted_secrets.add(password)
    new_password = planted_secrets.add("op-new-pass-0002")
    admin = {"ROADWATCH_PASSWORD": PASSWORDS["admin"]}
    home.ok("user", "create-admin", stdin=twice(PASSWORDS["admin"]))
    assert "created" in home.ok(
        "user",
        "add",
        "op",
        "--role",
        "operator",
        "--user",
        "admin",
        stdin=twice(PASSWORDS["op"]),
        env=admin,
    )
    home.ok("user", "set-role", "op", "supervisor", "--user", "admin", env=admin)
    home.ok("user", "reset-password", "op", "--user", "admin", stdin=twice(new_password), env=admin)
    password_hash = home.ok("user", "hash-password", stdin=twice(PASSWORDS["trainer"])).strip()
    assert password_hash.startswith("$argon2id$")
    users_file = home.root / "users.yaml"
    users_file.write_text(
        f"users:\n  - {{username: trainer, role: trainer, password_hash: '{password_hash}'}}\n",
        encoding="utf-8",
    )
    assert "trainer" in home.ok("user", "provision", str(users_file), "--user", "admin", env=admin)
    lock_out(home.database, "op")
    home.ok("user", "unlock", "op", "--user", "admin", env=admin)

    listing = home.ok("user", "list", "--user", "admin", env=admin)
    roles = dict(line.split()[:2] for line in listing.splitlines())
    assert roles == {"admin": "admin", "op": "supervisor", "trainer": "trainer"}
    assert "locked" not in listing
    assert can_log_in(home.database, "op", new_password)
    assert not can_log_in(home.database, "op", PASSWORDS["op"])
    assert can_log_in(home.database, "trainer", PASSWORDS["trainer"])


@pytest.mark.slow
def test_audit_verify_says_intact_then_names_an_edited_entry(
    home: Home, accounts: Accounts, sessions: dict[str, UserSession], store: LocalStore
) -> None:
    database = str(store.path)  # users created and logged in: a chain of audit entries
    supervisor = {"ROADWATCH_PASSWORD": PASSWORDS["sup"]}
    intact = home.run("audit", "verify", "--db", database, "--user", "sup", env=supervisor)
    assert intact.returncode == 0 and "audit trail intact" in intact.stdout, describe(intact)
    with sqlite3.connect(database) as connection:
        connection.execute("UPDATE audit_entries SET user = 'someone-else' WHERE rowid = 3")
    damaged = home.run("audit", "verify", "--db", database, "--user", "sup", env=supervisor)
    assert damaged.returncode == 1, describe(damaged)
    assert "audit trail DAMAGED" in damaged.stdout and "[" in damaged.stdout


@pytest.mark.slow
def test_evidence_export_and_verify_roundtrip(
    home: Home, sessions: dict[str, UserSession], store: LocalStore
) -> None:
    alert = recorded_alert(home.root / "evidence")
    store.writer.save_alert(alert).result(10)
    package = home.root / "case.zip"
    operator = {"ROADWATCH_PASSWORD": PASSWORDS["op"]}
    exported = home.ok(
        "evidence",
        "export",
        str(alert.id),
        "--out",
        str(package),
        "--user",
        "op",
        "--db",
        str(store.path),
        env=operator,
    )
    assert "1 alert(s)" in exported
    with zipfile.ZipFile(package) as archive:
        assert json.loads(archive.read("case.json"))["alerts"] == [str(alert.id)]
    published = home.ok("evidence", "public-key")
    public_key = home.root / "site.pem"
    public_key.write_text(published.split("fingerprint")[0], encoding="utf-8")
    verified = home.ok("evidence", "verify", str(package), "--public-key", str(public_key))
    assert verified.rstrip().endswith("VALID") and "NOT VALID" not in verified

    with zipfile.ZipFile(package) as archive:
        case = bytearray(archive.read("case.json"))
    case[len(case) // 2] ^= 0x01
    forged = rewritten(package, home.root / "forged.zip", {"case.json": bytes(case)})
    result = home.run("evidence", "verify", str(forged), "--public-key", str(public_key))
    assert result.returncode == 1, describe(result)
    assert "FAILED: case.json: content differs" in result.stdout and "NOT VALID" in result.stdout


@pytest.mark.slow
def test_export_dataset_writes_a_yolo_dataset(
    home: Home, tmp_path: Path, sessions: dict[str, UserSession], store: LocalStore
) -> None:
    confirmed = alert_with_evidence(tmp_path, store, AlertStatus.RESOLVED)
    rejected = alert_with_evidence(tmp_path, store, AlertStatus.FALSE_POSITIVE)
    out = home.root / "dataset"
    since = (datetime.now(UTC) - timedelta(days=1)).date().isoformat()
    printed = home.ok(
        "export-dataset",
        *("--since", since, "--out", str(out), "--db", str(store.path), "--user", "op"),
        env={"ROADWATCH_PASSWORD": PASSWORDS["op"]},
    )
    assert "2 images (1 confirmed, 1 false positives" in printed
    images = sorted(p.stem for p in (out / "images" / "train").glob("*.jpg"))
    labels = {p.stem: p.read_text() for p in (out / "labels" / "train").glob("*.txt")}
    assert len(images) == 2 and sorted(labels) == images
    assert labels[next(s for s in images if s.endswith(confirmed))].startswith("2 ")  # a car
    assert labels[next(s for s in images if s.endswith(rejected))] == ""  # background
    assert "names:" in (out / "data.yaml").read_text(encoding="utf-8")


@pytest.mark.slow
def test_sync_once_pushes_the_local_cache_to_postgresql(home: Home, central_url: str) -> None:
    site = home.root / "site.yaml"
    site.write_text(
        demo_site_path().read_text(encoding="utf-8")
        + f"central:\n  url: {central_url}\n  sslmode: disable\n",
        encoding="utf-8",
    )
    with LocalStore.open(home.database, console_id="console-1") as store:
        for _ in range(3):
            store.writer.save_alert(make_alert())
    assert "pushed 3" in home.ok("sync", "--once", "--site", str(site))
    db = CentralDb(central_url)
    try:
        with db.engine.connect() as connection:
            count = connection.execute(select(func.count()).select_from(central.alerts)).scalar()
    finally:
        db.dispose()
    assert count == 3


@pytest.mark.slow
def test_a_secret_set_in_the_keyring_is_found_by_secret_check(
    home: Home, planted_secrets: PlantedSecrets
) -> None:
    site = home.root / "site.yaml"
    site.write_text(
        "cameras:\n"
        "  - streams: {main: 'rtsp://admin:${RW_TEST_CAM_PASSWORD}@10.0.0.5/stream'}\n"
        "  - streams: {main: 'rtsp://admin:${RW_TEST_UNSET_PASSWORD}@10.0.0.6/stream'}\n",
        encoding="utf-8",
    )
    value = planted_secrets.add("cam-secret-0001")
    stored = home.ok("secret", "set", "RW_TEST_CAM_PASSWORD", stdin=f"{value}\n")
    assert "stored in the OS keyring" in stored
    keyring_file = home.root / ".local" / "share" / "python_keyring" / "keyring_pass.cfg"
    assert "[roadwatch]" in keyring_file.read_text(encoding="utf-8")  # this home's keyring
    result = home.run("secret", "check", str(site))
    assert result.returncode == 1, describe(result)  # one secret is missing
    found = dict(line.split(None, 1) for line in result.stdout.splitlines()[:-1])
    assert found == {"RW_TEST_CAM_PASSWORD": "OS keyring", "RW_TEST_UNSET_PASSWORD": "MISSING"}


@pytest.mark.slow
def test_provision_installs_the_site_that_the_self_check_then_checks(
    home: Home, planted_secrets: PlantedSecrets
) -> None:
    password = planted_secrets.add(PASSWORDS["admin"])
    prefix = home.root / "opt-roadwatch"
    printed = home.ok(
        "provision",
        str(demo_site_path()),
        "--root",
        str(prefix),
        "--admin",
        "chief",
        "--admin-password-env",
        "RW_TEST_ADMIN_PASSWORD",
        env={"RW_TEST_ADMIN_PASSWORD": password},
    )
    assert "RoadWatch provisioned (root installation" in printed
    installed = prefix / "config" / "site.yaml"
    assert can_log_in(prefix / "data" / "roadwatch.sqlite", "chief", password)

    result = home.run("--self-check", "--json", env={"ROADWATCH_ROOT": str(prefix)}, timeout=180)
    report = json.loads(result.stdout)
    assert report["site"] == {"path": str(installed), "origin": "provisioned"}
    failed = [check for check in report["checks"] if check["status"] == "fail"]
    assert result.returncode == (1 if failed else 0) and report["ok"] == (not failed), failed
    names = [check["name"] for check in report["checks"]]
    assert {"site", "model", "local database"} <= set(names)
    assert sum(name.startswith("camera ") for name in names) == len(load_demo_site().cameras)


@pytest.mark.slow
def test_train_demo_model_shows_its_options(home: Home) -> None:
    # Training itself takes hours: only its help is run here.
    printed = home.ok("train-demo-model", "--help")
    assert printed.startswith("usage: roadwatch train-demo-model") and "--epochs" in printed


@pytest.fixture(scope="module")
def demo_analysis(tmp_path_factory: pytest.TempPathFactory) -> subprocess.CompletedProcess[str]:
    """``roadwatch analyze --demo --duration 8`` with stdout a pipe, as a service runs it."""
    home = Home(tmp_path_factory.mktemp("analyze-home"))
    # The first analyze of a session renders the demo's ten simulated cameras into the shared
    # clip cache (tests/conftest.py): minutes on a busy 2-core machine, seconds afterwards.
    return home.run("analyze", "--demo", "--duration", "8", "--status-interval", "2", timeout=900)


@pytest.mark.slow
@pytest.mark.timeout(900)  # sets up demo_analysis: see there
def test_analyze_runs_the_demo_site_headless(
    demo_analysis: subprocess.CompletedProcess[str],
) -> None:
    assert demo_analysis.returncode == 0, describe(demo_analysis)
    for camera in load_demo_site().cameras:
        assert camera.id in demo_analysis.stdout, describe(demo_analysis)
    assert "Traceback" not in demo_analysis.stderr


@pytest.mark.slow
@pytest.mark.timeout(900)
def test_analyze_off_a_terminal_prints_one_line_per_camera_per_interval(
    demo_analysis: subprocess.CompletedProcess[str],
) -> None:
    lines = [PLAIN_LINE.match(line) for line in demo_analysis.stdout.splitlines()]
    per_camera = Counter(match["camera"] for match in lines if match)
    cameras = [camera.id for camera in load_demo_site().cameras]
    assert sorted(per_camera) == sorted(cameras) and min(per_camera.values()) >= 3, per_camera
    assert "\x1b[" not in demo_analysis.stdout  # no cursor movement in a log


# ---- the site bus ---------------------------------------------------------------------------


def test_node_and_cluster_status_refuse_a_site_without_a_bus(home: Home) -> None:
    for args in (("node", str(demo_site_path())), ("cluster", "status", str(demo_site_path()))):
        result = home.run(*args)
        assert result.returncode == 1, describe(result)
        assert "no bus: section" in result.stderr, describe(result)


@pytest.mark.slow
@pytest.mark.timeout(600)
def test_demo_cluster_runs_a_bus_and_a_node_that_analyses_its_share(home: Home) -> None:
    """``roadwatch demo-cluster`` without a console: its local bus, one node, five cameras."""
    folder = home.root / "cluster"
    result = home.run(
        "demo-cluster",
        "--consoles",
        "0",
        "--nodes",
        "1",
        "--capacity",
        "5",
        "--duration",
        "30",
        "--folder",
        str(folder),
        timeout=500,
    )
    assert result.returncode == 0, describe(result)
    assert "bus nats://127.0.0.1:" in result.stdout
    log = (folder / "node-1" / "node.log").read_text(encoding="utf-8")
    assert "bus online  cameras 5/5" in log, log[-3000:]
    assert "stopped, its cameras handed back" in log
