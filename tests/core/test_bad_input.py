"""Hostile or malformed input: one clear message, and nothing changed or written."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from console.cli.main import main
from console.config.site_file import demo_site_path
from console.evidence.case_export import ExportError, package_path, safe_package_name
from console.evidence.case_verify import PackageError, verify_package
from console.security.provisioned_users import ProvisioningError, provision_users
from tests.core.test_auth_support import (  # noqa: F401 (fixtures used by name)
    accounts_fixture,
    audit_fixture,
    store_fixture,
)


def files_under(folder: Path) -> set[Path]:
    return {path for path in folder.rglob("*")}


def test_site_file_with_a_10_mb_string_is_refused_before_parsing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    site = tmp_path / "site.yaml"
    demo = demo_site_path().read_text(encoding="utf-8")
    site.write_text(
        demo.replace("schema_version: 1", f"schema_version: 1\nx: '{'A' * 10_000_000}'")
    )
    before = files_under(tmp_path)
    assert main(["check-config", str(site)]) == 1
    assert "a site file may be at most 2 MB" in capsys.readouterr().err
    assert files_under(tmp_path) == before


def test_site_file_with_invalid_utf8_names_the_byte(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    site = tmp_path / "site.yaml"
    site.write_bytes(b"schema_version: 1\nsite: {id: t, name: \xc3\x28bad}\n")
    assert main(["check-config", str(site)]) == 1
    err = capsys.readouterr().err
    assert "not UTF-8 text (byte 0xc3 at offset" in err and ":2:" in err


@pytest.mark.parametrize(
    "name",
    [
        "../evil",
        "../../etc/cron.d/x",
        "/etc/passwd",
        "a/b",
        "..\\..\\win",
        "x\x00y",
        "",
        " ",
        ".hidden",
        "CON",
        "nul.zip",
        "c:evil",
        "bell\x07",
    ],
)
def test_export_names_with_paths_or_control_characters_are_refused(name: str) -> None:
    with pytest.raises(ExportError):
        safe_package_name(name)


def test_a_good_export_name_stays_inside_the_folder(tmp_path: Path) -> None:
    assert package_path(tmp_path, "Vụ việc 12-QL1") == (tmp_path / "Vụ việc 12-QL1.zip").resolve()
    with pytest.raises(ExportError, match="plain file name"):
        package_path(tmp_path, "../outside")


def test_cli_export_with_a_traversal_name_writes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "exports"
    target.mkdir()
    before = files_under(tmp_path)
    code = main(
        ["evidence", "export", "--name", "../../escaped", "--dir", str(target), "--user", "op"]
    )
    assert code == 1
    assert "must be a plain file name" in capsys.readouterr().err
    assert files_under(tmp_path) == before


def zip_bomb(path: Path, megabytes: int = 64) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("alerts/a/clip.mp4", bytes(megabytes * 1024 * 1024))
        archive.writestr("manifest.json", b"{}")
        archive.writestr("manifest.sig", b"")
        archive.writestr("public_key.pem", b"")
    return path


def test_a_zip_bomb_is_refused_without_inflating_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bomb = zip_bomb(tmp_path / "bomb.zip")
    assert bomb.stat().st_size < 1024 * 1024
    with pytest.raises(PackageError, match="refused as a ZIP bomb"):
        verify_package(bomb)
    before = files_under(tmp_path)
    assert main(["evidence", "verify", str(bomb)]) == 2
    assert "ZIP bomb" in capsys.readouterr().err
    assert files_under(tmp_path) == before


@pytest.mark.parametrize("hostile", ["../../etc/passwd", "/abs/path", "a\\..\\b"])
def test_hostile_member_names_are_refused(tmp_path: Path, hostile: str) -> None:
    package = tmp_path / "hostile.zip"
    with zipfile.ZipFile(package, "w") as archive:
        archive.writestr(hostile, b"x")
    with pytest.raises(PackageError, match="hostile file name"):
        verify_package(package)


def test_duplicate_members_are_refused(tmp_path: Path) -> None:
    package = tmp_path / "dup.zip"
    with pytest.warns(UserWarning), zipfile.ZipFile(package, "w") as archive:
        archive.writestr("manifest.json", b"{}")
        archive.writestr("manifest.json", b"{}")
    with pytest.raises(PackageError, match="more than once"):
        verify_package(package)


def test_not_a_zip_and_invalid_utf8_manifest(tmp_path: Path) -> None:
    junk = tmp_path / "junk.zip"
    junk.write_bytes(b"\xff\xfe\x00 definitely not a zip")
    with pytest.raises(PackageError, match="not a ZIP file"):
        verify_package(junk)
    package = tmp_path / "badutf8.zip"
    with zipfile.ZipFile(package, "w") as archive:
        archive.writestr("manifest.json", b"\xc3\x28")
        archive.writestr("manifest.sig", b"AAAA")
        archive.writestr("public_key.pem", b"-----BEGIN PUBLIC KEY-----\n")
    report = verify_package(package)
    assert not report.ok
    assert any("not valid UTF-8 JSON" in problem for problem in report.problems)


def test_provisioning_refuses_clear_passwords_bad_utf8_and_oversize(
    tmp_path: Path, accounts: object
) -> None:
    from console.security.accounts import Accounts

    assert isinstance(accounts, Accounts)
    clear = tmp_path / "clear.yaml"
    clear.write_text("users:\n  - {username: admin, role: admin, password: hunter2hunter2}\n")
    with pytest.raises(ProvisioningError, match="unknown field 'password'"):
        provision_users(accounts, clear, None)
    bad = tmp_path / "bad.yaml"
    bad.write_bytes(b"users:\n  - {username: \xff}\n")
    with pytest.raises(ProvisioningError, match="not UTF-8"):
        provision_users(accounts, bad, None)
    huge = tmp_path / "huge.yaml"
    huge.write_bytes(b"users: []\n#" + b"x" * (3 * 1024 * 1024))
    with pytest.raises(ProvisioningError, match="at most 2 MB"):
        provision_users(accounts, huge, None)
    assert accounts.count() == 0
