"""`roadwatch provision`: real files in a scratch root, real SQLite, a real keyring backend."""

from __future__ import annotations

import grp
import os
import pwd
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import keyring
import pytest
from keyring.backends import fail
from keyrings.alt.file import PlaintextKeyring

from console.cli.main import EXIT_FAILURE, EXIT_OK, main
from console.config.secrets import lookup_secret
from console.config.site_file import load_site
from console.detect.model import bundled_demo_model, choose_model
from console.install.layout import (
    ROOT_VARIABLE,
    installed_site,
    root_layout,
    site_to_use,
    system_layout,
)
from console.security.accounts import Accounts
from console.security.audit import AuditLog
from console.security.roles import Role
from console.store.local import LocalStore
from tests.conftest import PlantedSecrets

DEMO_PT = bundled_demo_model().parent / "roadwatch-demo-yolo11n.pt"
SITE = """\
# Test centre: one simulated camera. This comment must survive provisioning.
schema_version: 1
site: {{id: test-centre, name: Test centre}}
model:
  path: {model}  # the production model
  image_size: 480
routes:
  - {{id: QL1, name: Q, markers: [{{km: 0, lat: 21, lon: 106}}, {{km: 10, lat: 21, lon: 106}}]}}
cameras:
  - id: cam-1
    name: Camera 1
    route: QL1
    km: 1
    lat: 21
    lon: 106
    streams: {{main: "sim://highway?seed=3"}}
{extra}"""
CENTRAL = "postgresql+psycopg://roadwatch:${RW_TEST_CENTRAL_PASSWORD}@127.0.0.1:5432/test"
ADMIN_PASSWORD = "correct horse battery"
CENTRAL_PASSWORD = "s3cret-central-pw"


def write_site(folder: Path, model: str = "models/prod.pt", extra: str = "") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    if model == "models/prod.pt":
        (folder / "models").mkdir(exist_ok=True)
        shutil.copy(DEMO_PT, folder / "models" / "prod.pt")
    path = folder / "site.yaml"
    path.write_text(SITE.format(model=model, extra=extra), encoding="utf-8")
    return path


def provision(*args: str | Path) -> int:
    return main(["provision", *map(str, args)])


def tree(root: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()
    }


@pytest.fixture(name="file_keyring")
def file_keyring_fixture(tmp_path: Path) -> Iterator[PlaintextKeyring]:
    """keyrings.alt's file backend: a real keyring where no desktop keyring runs."""
    previous = keyring.get_keyring()
    backend = PlaintextKeyring()
    backend.file_path = str(tmp_path / "keyring.cfg")
    keyring.set_keyring(backend)
    yield backend
    keyring.set_keyring(previous)


@pytest.fixture
def admin_password(monkeypatch: pytest.MonkeyPatch, planted_secrets: PlantedSecrets) -> str:
    """The administrator's password, in RW_TEST_ADMIN_PASSWORD; a planted secret."""
    return planted_secrets.setenv(monkeypatch, "RW_TEST_ADMIN_PASSWORD", ADMIN_PASSWORD)


def test_first_install_copies_site_and_model_and_points_the_site_at_them(tmp_path: Path) -> None:
    source = write_site(tmp_path / "from-it")
    root = tmp_path / "root"
    assert provision(source, "--root", root) == EXIT_OK
    layout = root_layout(root)
    installed = layout.site_file.read_text(encoding="utf-8")
    assert "# Test centre: one simulated camera. This comment must survive" in installed
    assert "path: models/prod.pt  # the production model" in installed
    assert (layout.models_dir / "prod.pt").read_bytes() == DEMO_PT.read_bytes()
    site = load_site(layout.site_file)
    assert site.storage.data_dir == root / "data"
    choice = choose_model(site.model.path, layout.config_dir)
    assert Path(choice.path) == layout.models_dir / "prod.pt" and not choice.is_demo
    assert (root / "data").is_dir()
    assert not list(layout.config_dir.glob("*.part")) and not layout.backups_dir.exists()


def test_a_model_folder_is_copied_whole(tmp_path: Path) -> None:
    folder = tmp_path / "from-it"
    shutil.copytree(bundled_demo_model(), folder / "prod_openvino_model")
    source = write_site(folder, model="prod_openvino_model")
    assert provision(source, "--root", tmp_path / "root") == EXIT_OK
    copied = root_layout(tmp_path / "root").models_dir / "prod_openvino_model"
    assert tree(copied) == tree(folder / "prod_openvino_model")
    site = load_site(root_layout(tmp_path / "root").site_file)
    assert choose_model(site.model.path, copied.parent.parent).backend == "openvino"


def test_rerun_upgrades_in_place_keeps_a_backup_and_never_touches_user_data(
    tmp_path: Path,
) -> None:
    root = tmp_path / "root"
    source = write_site(tmp_path / "v1")
    assert provision(source, "--root", root) == EXIT_OK
    layout = root_layout(root)
    first = layout.site_file.read_text(encoding="utf-8")
    with LocalStore.open(root / "data" / "roadwatch.sqlite", console_id="c1") as store:
        Accounts(store, AuditLog(store)).create_first_admin("chief", "a long enough password")
    (root / "data" / "evidence" / "ab").mkdir(parents=True)
    (root / "data" / "evidence" / "ab" / "clip.mp4").write_bytes(b"evidence bytes")
    (root / "data" / "recordings").mkdir()
    (root / "data" / "recordings" / "seg.mp4").write_bytes(b"recording bytes")
    user_data = tree(root / "data")

    assert provision(source, "--root", root) == EXIT_OK  # same file: nothing to back up
    assert not layout.backups_dir.exists()

    upgraded = write_site(tmp_path / "v2", extra="patrol_units: []\n")
    (tmp_path / "v2" / "models" / "prod.pt").write_bytes(DEMO_PT.read_bytes() + b"\0")
    assert provision(upgraded, "--root", root, "--admin", "other") == EXIT_OK
    assert "patrol_units: []" in layout.site_file.read_text(encoding="utf-8")
    [backup] = layout.backups_dir.glob("site-*.yaml")
    assert backup.read_text(encoding="utf-8") == first
    [old_model] = (layout.backups_dir / "models").iterdir()
    assert old_model.read_bytes() == DEMO_PT.read_bytes()
    assert (layout.models_dir / "prod.pt").read_bytes() == DEMO_PT.read_bytes() + b"\0"
    assert tree(root / "data") == user_data  # database, evidence and recordings as they were
    with LocalStore.open(root / "data" / "roadwatch.sqlite") as store:
        accounts = Accounts(store, AuditLog(store))
        assert accounts.count() == 1 and accounts.find("other") is None


def test_admin_is_created_from_an_environment_variable(
    tmp_path: Path, admin_password: str, capsys: pytest.CaptureFixture[str]
) -> None:
    source = write_site(tmp_path / "it")
    root = tmp_path / "root"
    args = ["--root", root, "--admin", "chief", "--admin-password-env", "RW_TEST_ADMIN_PASSWORD"]
    assert provision(source, *args) == EXIT_OK
    assert "administrator 'chief' created" in capsys.readouterr().out
    with LocalStore.open(root / "data" / "roadwatch.sqlite") as store:
        accounts = Accounts(store, AuditLog(store))
        assert accounts.authenticate("chief", admin_password).role is Role.ADMIN
    assert admin_password.encode() not in b"".join(tree(root / "config").values())


@pytest.mark.parametrize(
    ("site_args", "extra_args", "message"),
    [
        ({"extra": "cameras_typo: 1\n"}, [], "site.yaml:17: cameras_typo: unknown field"),
        ({"model": "missing/prod.onnx"}, [], "model.path 'missing/prod.onnx': no such file"),
        (
            {},
            ["--central-url", "postgresql://roadwatch:hunter2@db:5432/rw"],
            "password is written in clear text",
        ),
        ({}, ["--secret", "RW_NOT_IN_THE_SITE"], "does not refer to ${RW_NOT_IN_THE_SITE}"),
        ({}, ["--central-password-env", "RW_TEST_ADMIN_PASSWORD"], "has no central database"),
        (
            {},
            ["--admin", "chief", "--admin-password-env", "RW_TEST_SHORT_PASSWORD"],
            "administrator 'chief': ",
        ),
        ({}, ["--admin", "chief", "--admin-password-env", "RW_UNSET"], "RW_UNSET"),
        ({}, ["--admin", "bad name!"], "a user name is"),
    ],
)
def test_bad_input_is_refused_clearly_and_nothing_is_written(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    admin_password: str,
    capsys: pytest.CaptureFixture[str],
    site_args: dict[str, str],
    extra_args: list[str],
    message: str,
) -> None:
    monkeypatch.setenv("RW_TEST_SHORT_PASSWORD", "short")
    source = write_site(tmp_path / "it", **site_args)
    root = tmp_path / "root"
    assert provision(source, "--root", root, *extra_args) == EXIT_FAILURE
    err = capsys.readouterr().err
    assert message in err, err
    assert "Traceback" not in err
    assert not root.exists()


@pytest.mark.slow
def test_unattended_admin_without_a_password_source_fails_before_writing(tmp_path: Path) -> None:
    source = write_site(tmp_path / "it")
    root = tmp_path / "root"
    result = subprocess.run(
        [sys.executable, "-m", "console.cli.main", "provision", str(source), "--root", str(root)]
        + ["--admin", "chief"],
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == EXIT_FAILURE
    assert "no terminal to ask on; use --admin-password-env VAR" in result.stderr
    assert not root.exists()


def test_a_database_from_a_newer_roadwatch_stops_provisioning(
    tmp_path: Path, admin_password: str, capsys: pytest.CaptureFixture[str]
) -> None:
    database = tmp_path / "root" / "data" / "roadwatch.sqlite"
    LocalStore.open(database).close()
    with sqlite3.connect(database) as connection:
        connection.execute("UPDATE alembic_version SET version_num = '0999'")
    connection.close()
    before = database.read_bytes()
    source = write_site(tmp_path / "it")
    args = ["--admin", "chief", "--admin-password-env", "RW_TEST_ADMIN_PASSWORD"]
    assert provision(source, "--root", tmp_path / "root", *args) == EXIT_FAILURE
    assert "written by a newer RoadWatch (revision 0999)" in capsys.readouterr().err
    assert database.read_bytes() == before
    assert not (tmp_path / "root" / "config").exists()


def test_central_password_goes_to_the_keyring_under_the_urls_name(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    file_keyring: PlaintextKeyring,
    capsys: pytest.CaptureFixture[str],
    planted_secrets: PlantedSecrets,
) -> None:
    planted_secrets.setenv(monkeypatch, "RW_INSTALLER_DB_PASSWORD", CENTRAL_PASSWORD)
    monkeypatch.delenv("RW_TEST_CENTRAL_PASSWORD", raising=False)
    source = write_site(tmp_path / "it")
    root = tmp_path / "root"
    args = ["--central-url", CENTRAL, "--central-password-env", "RW_INSTALLER_DB_PASSWORD"]
    assert provision(source, "--root", root, *args) == EXIT_OK
    assert "stored in the OS keyring: RW_TEST_CENTRAL_PASSWORD" in capsys.readouterr().out
    assert file_keyring.get_password("roadwatch", "RW_TEST_CENTRAL_PASSWORD") == CENTRAL_PASSWORD
    assert lookup_secret("RW_TEST_CENTRAL_PASSWORD") == CENTRAL_PASSWORD
    site = load_site(root_layout(root).site_file)  # validates: the reference now resolves
    assert site.central is not None and site.central.url == CENTRAL
    assert CENTRAL_PASSWORD.encode() not in b"".join(tree(root).values())


def test_without_an_os_keyring_secrets_are_refused_before_writing(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    planted_secrets: PlantedSecrets,
) -> None:
    previous = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())  # what a headless Linux machine has
    try:
        planted_secrets.setenv(monkeypatch, "RW_TEST_CENTRAL_PASSWORD", CENTRAL_PASSWORD)
        source = write_site(tmp_path / "it")
        args = ["--central-url", CENTRAL, "--secret", "RW_TEST_CENTRAL_PASSWORD"]
        assert provision(source, "--root", tmp_path / "root", *args) == EXIT_FAILURE
    finally:
        keyring.set_keyring(previous)
    assert "no OS keyring is available" in capsys.readouterr().err
    assert not (tmp_path / "root").exists()


def test_owner_gets_the_data_folder_and_only_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, admin_password: str
) -> None:
    """Giving files to another account needs root; the test records the chown calls instead."""
    nobody = pwd.getpwnam("nobody")
    owner = ("nobody", grp.getgrgid(nobody.pw_gid).gr_name)
    given: dict[Path, tuple[str | None, str | None]] = {}

    def record_chown(path: Path, user: str | None = None, group: str | None = None) -> None:
        given[Path(path)] = (user, group)

    monkeypatch.setattr(shutil, "chown", record_chown)
    source = write_site(tmp_path / "it")
    root = tmp_path / "root"
    args = ["--admin", "chief", "--admin-password-env", "RW_TEST_ADMIN_PASSWORD"]
    assert provision(source, "--root", root, "--owner", ":".join(owner), *args) == EXIT_OK
    data = root / "data"
    assert (data / "roadwatch.sqlite").is_file()
    assert given == {path: owner for path in [data, *data.rglob("*")]}  # config stays the admin's


def test_owner_is_applied_for_real_to_the_running_account(tmp_path: Path) -> None:
    """The real chown call, with an owner any account may give its own files."""
    me = pwd.getpwuid(os.getuid()).pw_name
    group = grp.getgrgid(os.getgid()).gr_name
    source = write_site(tmp_path / "it")
    root = tmp_path / "root"
    assert provision(source, "--root", root, "--owner", f"{me}:{group}") == EXIT_OK
    owners = {(p.stat().st_uid, p.stat().st_gid) for p in [root / "data", *root.rglob("*")]}
    assert owners == {(os.getuid(), os.getgid())}


def test_commands_find_the_provisioned_site(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert site_to_use(None)[1] == "demo"
    source = write_site(tmp_path / "it")
    assert provision(source) == EXIT_OK  # per-user: ROADWATCH_CONFIG_DIR (set by conftest)
    found = installed_site()
    assert found is not None and found[1].kind == "user"
    assert site_to_use(None) == (found[0], "provisioned")
    assert site_to_use(source) == (source, "given")
    assert site_to_use(None, demo=True)[1] == "demo"
    monkeypatch.setenv(ROOT_VARIABLE, str(tmp_path / "empty-root"))
    assert installed_site() is None  # with a root set, only that root counts


def test_system_layout_uses_the_platform_folders() -> None:
    layout = system_layout()
    if sys.platform.startswith("linux"):
        assert layout.config_dir == Path("/etc/roadwatch")
        assert layout.data_dir == Path("/var/lib/roadwatch")
    assert layout.site_file.name == "site.yaml"
