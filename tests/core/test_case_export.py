from __future__ import annotations

import base64
import hashlib
import json
import os
import zipfile
from pathlib import Path

import cv2
import numpy as np
import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from console.cli.main import main
from console.domain.records import Alert, AlertStatus
from console.evidence.case_export import CaseExporter, ExportError
from console.evidence.case_verify import verify_package
from console.evidence.watermark import STAMP_GREY
from console.evidence.writer import EvidenceFiles, EvidenceWriter
from console.security.accounts import Accounts
from console.security.audit import AuditAction, AuditLog
from console.security.roles import PermissionDeniedError, UserSession
from console.security.site_key import (
    SiteKeyError,
    fingerprint,
    key_path,
    load_or_create_site_key,
    load_site_key,
    public_pem,
)
from console.sources.buffers import FrameRing
from console.store.local import LocalStore
from tests.core.test_auth_support import (  # noqa: F401 (fixtures used by name)
    PASSWORDS,
    accounts_fixture,
    audit_actions,
    audit_fixture,
    sessions_fixture,
    store_fixture,
)
from tests.core.test_evidence import frames, make_request


def recorded_alert(evidence_dir: Path) -> Alert:
    """An alert with the evidence the real writer produces (snapshot, frame, crop, clip, JSON)."""
    ring = FrameRing(seconds=20, max_bytes=10**9, fps=0)
    clip_frames = frames(30, 1000.0)
    for frame in clip_frames:
        ring.add(frame)
    request = make_request(ring, clip_frames[-1])
    refs = EvidenceWriter(EvidenceFiles(evidence_dir), after_s=0.0).write(request)
    return request.alert.evolve(evidence=refs)


@pytest.fixture(scope="module")
def evidence_alert(tmp_path_factory: pytest.TempPathFactory) -> Alert:
    return recorded_alert(tmp_path_factory.mktemp("evidence"))


@pytest.fixture
def exporter(tmp_path: Path, audit: AuditLog) -> CaseExporter:
    return CaseExporter(load_or_create_site_key(tmp_path / "data"), "console-7", audit)


@pytest.fixture(scope="module")
def package(evidence_alert: Alert, tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("package")
    key = load_or_create_site_key(folder / "data")
    from console.security.roles import Role, User

    out = folder / "case.zip"
    CaseExporter(key, "console-7", None).export(User("op", Role.OPERATOR), [evidence_alert], out)
    return out


def rewritten(package: Path, target: Path, change: dict[str, bytes | None]) -> Path:
    """A copy of the package with members replaced (bytes), removed (None) or added."""
    with zipfile.ZipFile(package) as source, zipfile.ZipFile(target, "w") as copy:
        for info in source.infolist():
            if info.filename in change:
                data = change[info.filename]
                if data is not None:
                    copy.writestr(info, data)
            else:
                copy.writestr(info, source.read(info))
        for name, data in change.items():
            if name not in source.namelist() and data is not None:
                copy.writestr(name, data)
    return target


def test_operator_exports_a_signed_package_that_verifies(
    exporter: CaseExporter,
    evidence_alert: Alert,
    sessions: dict[str, UserSession],
    store: LocalStore,
    tmp_path: Path,
) -> None:
    result = exporter.export(sessions["op"], [evidence_alert], tmp_path / "case 1.zip")
    assert result.path.name == "case 1.zip" and result.alerts == 1
    report = verify_package(result.path)
    assert report.ok and report.signer == fingerprint(exporter.key.public_key())
    folder = f"alerts/{evidence_alert.id}"
    with zipfile.ZipFile(result.path) as archive:
        names = set(archive.namelist())
        manifest = json.loads(archive.read("manifest.json"))
        metadata = json.loads(archive.read(f"{folder}/metadata.json"))
        case = json.loads(archive.read("case.json"))
        assert archive.read("public_key.pem") == public_pem(exporter.key.public_key())
    assert {
        f"{folder}/{name}" for name in ("snapshot.jpg", "frame.jpg", "crop.jpg", "clip.mp4")
    } < names
    assert {entry["path"] for entry in manifest["files"]} == names - {
        "manifest.json",
        "manifest.sig",
        "public_key.pem",
    }
    assert report.files_checked == len(manifest["files"])
    place, time = metadata["place"], metadata["time"]
    assert place["route"] == "QL1" and {"km", "lat", "lon", "camera_id"} <= set(place)
    assert time["started_utc"].endswith("+00:00") and time["started_local"].endswith("+07:00")
    assert metadata["violation"]["values"] == {"stopped_s": 21.5}
    assert "plate" in metadata["vehicle"] and metadata["versions"]["model"] == "demo-model"
    originals = {source["sha256"] for source in metadata["source_files"]}
    assert originals == {ref.sha256 for ref in evidence_alert.evidence}
    assert case["exported_by"] == "op" and case["console_id"] == "console-7"
    details = audit_details(store, AuditAction.EVIDENCE_EXPORT)
    assert details == [
        {
            "alerts": [str(evidence_alert.id)],
            "package": "case 1.zip",
            "package_sha256": result.sha256,
            "files": len(names),
        }
    ]
    assert hashlib.sha256(result.path.read_bytes()).hexdigest() == result.sha256


def audit_details(store: LocalStore, action: str) -> list[dict[str, object]]:
    from sqlalchemy import select

    from console.store.models import AUDIT

    audit_actions(store)  # waits for pending writes
    with store.session() as session:
        rows = session.execute(select(AUDIT.c.details).where(AUDIT.c.action == action)).all()
    return [row.details for row in rows]


def test_watermark_is_on_the_images_and_every_clip_frame(
    package: Path, evidence_alert: Alert
) -> None:
    originals = {ref.kind: Path(ref.path) for ref in evidence_alert.evidence}
    folder = f"alerts/{evidence_alert.id}"
    with zipfile.ZipFile(package) as archive:
        exported = cv2.imdecode(
            np.frombuffer(archive.read(f"{folder}/snapshot.jpg"), np.uint8), cv2.IMREAD_COLOR
        )
        clip_bytes = archive.read(f"{folder}/clip.mp4")
    original = cv2.imread(str(originals["snapshot"]))
    assert_stamped_below(exported, original)
    clip_path = package.parent / "exported.mp4"
    clip_path.write_bytes(clip_bytes)
    marked, source = read_frames(clip_path), read_frames(originals["clip"])
    assert len(marked) == len(source) >= 10
    for mine, theirs in zip(marked, source, strict=True):
        assert_stamped_below(mine, theirs)


def assert_stamped_below(marked: np.ndarray, original: np.ndarray) -> None:
    """The stamp is on a grey strip under the original, whose evidence banner stays whole."""
    height, width = original.shape[:2]
    assert marked.shape[1] == width and marked.shape[0] > height + 12
    banner = slice(height - 40, height)  # the evidence banner's last lines: not covered
    assert np.abs(marked[banner].astype(int) - original[banner].astype(int)).mean() < 4
    stamp = marked[height:].astype(int)
    assert abs(np.median(stamp) - STAMP_GREY) < 8  # the stamp strip's grey, ...
    assert (stamp > 200).mean() > 0.01  # ... with white text on it


def read_frames(path: Path) -> list[np.ndarray]:
    capture = cv2.VideoCapture(str(path))
    out = []
    while True:
        ok, frame = capture.read()
        if not ok:
            break
        out.append(frame)
    capture.release()
    return out


@pytest.mark.parametrize("name", ["trainer", "admin"])
def test_roles_without_the_export_permission_are_refused(
    exporter: CaseExporter,
    evidence_alert: Alert,
    sessions: dict[str, UserSession],
    store: LocalStore,
    tmp_path: Path,
    name: str,
) -> None:
    with pytest.raises(PermissionDeniedError, match="may not export evidence"):
        exporter.export(sessions[name], [evidence_alert], tmp_path / "refused.zip")
    assert not (tmp_path / "refused.zip").exists()
    assert (name, AuditAction.PERMISSION_DENIED) in audit_actions(store)


def test_a_changed_byte_in_any_file_is_named(package: Path, tmp_path: Path) -> None:
    with zipfile.ZipFile(package) as archive:
        members = {name: archive.read(name) for name in archive.namelist()}
    for name, data in members.items():
        changed = bytearray(data)
        changed[len(changed) // 2] ^= 0x01
        copy = rewritten(
            package, tmp_path / f"{name.replace('/', '_')}.zip", {name: bytes(changed)}
        )
        report = verify_package(copy)
        assert not report.ok, name
        if name in ("manifest.json", "manifest.sig", "public_key.pem"):
            assert any("forged" in p or "public_key.pem" in p for p in report.problems), name
        else:
            assert report.problems == [report.problems[0]] and report.problems[0].startswith(
                f"{name}: content differs"
            ), name


def test_a_byte_flipped_in_the_raw_archive_is_caught(package: Path, tmp_path: Path) -> None:
    with zipfile.ZipFile(package) as archive:
        info = next(i for i in archive.infolist() if i.filename.endswith("clip.mp4"))
    raw = bytearray(package.read_bytes())
    raw[info.header_offset + 30 + len(info.filename) + 1000] ^= 0xFF
    damaged = tmp_path / "damaged.zip"
    damaged.write_bytes(bytes(raw))
    report = verify_package(damaged)
    assert not report.ok
    assert any(p.startswith(info.filename) for p in report.problems)


def test_a_forged_manifest_is_caught(package: Path, tmp_path: Path) -> None:
    with zipfile.ZipFile(package) as archive:
        manifest = json.loads(archive.read("manifest.json"))
        snapshot_name = next(n for n in archive.namelist() if n.endswith("snapshot.jpg"))
    # Swap the snapshot and update its hash in the manifest, without the site's key.
    fake = b"\xff\xd8 not the real picture"
    for entry in manifest["files"]:
        if entry["path"] == snapshot_name:
            entry.update(sha256=hashlib.sha256(fake).hexdigest(), size_bytes=len(fake))
    forged = json.dumps(manifest).encode()
    unsigned = rewritten(
        package, tmp_path / "unsigned.zip", {snapshot_name: fake, "manifest.json": forged}
    )
    report = verify_package(unsigned)
    assert not report.ok
    assert any("manifest.json or manifest.sig was changed or forged" in p for p in report.problems)
    # Re-signed with another key (and that key put in the package): only a pinned key tells.
    attacker = Ed25519PrivateKey.generate()
    manifest["signed_by"] = fingerprint(attacker.public_key())
    forged = json.dumps(manifest).encode()
    resigned = rewritten(
        package,
        tmp_path / "resigned.zip",
        {
            snapshot_name: fake,
            "manifest.json": forged,
            "manifest.sig": base64.b64encode(attacker.sign(forged)),
            "public_key.pem": public_pem(attacker.public_key()),
        },
    )
    site_key = load_site_key(key_path(package.parent / "data")).public_key()
    report = verify_package(resigned, trusted_key=site_key)
    assert not report.ok and report.key_trusted is False
    assert any("not the trusted site key" in p for p in report.problems)
    assert verify_package(package, trusted_key=site_key).ok


def test_an_added_or_removed_file_is_named(package: Path, tmp_path: Path) -> None:
    added = verify_package(rewritten(package, tmp_path / "added.zip", {"extra.txt": b"hi"}))
    assert added.problems == ["extra.txt: not listed in the manifest (added after signing)"]
    with zipfile.ZipFile(package) as archive:
        crop = next(n for n in archive.namelist() if n.endswith("crop.jpg"))
    removed = verify_package(rewritten(package, tmp_path / "removed.zip", {crop: None}))
    assert removed.problems == [f"{crop}: listed in the manifest but missing from the package"]


def test_evidence_changed_on_disk_stops_the_export(
    exporter: CaseExporter, sessions: dict[str, UserSession], tmp_path: Path
) -> None:
    alert = recorded_alert(tmp_path / "evidence")
    snapshot = next(Path(ref.path) for ref in alert.evidence if ref.kind == "snapshot")
    snapshot.write_bytes(snapshot.read_bytes() + b"tampered")
    with pytest.raises(ExportError, match="no longer matches its recorded SHA-256"):
        exporter.export(sessions["op"], [alert], tmp_path / "never.zip")
    assert not list(tmp_path.glob("*.zip")) and not list(tmp_path.glob(".export-*"))


def test_site_key_is_private_and_its_public_half_is_printable(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    key = load_or_create_site_key(tmp_path)
    path = key_path(tmp_path)
    assert path.stat().st_mode & 0o777 == 0o600 and path.parent.stat().st_mode & 0o777 == 0o700
    assert load_or_create_site_key(tmp_path).public_key() == key.public_key()
    os.chmod(path, 0o644)
    with pytest.raises(SiteKeyError, match="chmod 600"):
        load_site_key(path)
    os.chmod(path, 0o600)
    assert main(["evidence", "public-key"]) == 0
    printed = capsys.readouterr().out
    assert "BEGIN PUBLIC KEY" in printed and "fingerprint SHA256:" in printed


@pytest.mark.slow
def test_cli_exports_by_id_and_by_time_range_and_verifies(
    tmp_path: Path,
    accounts: Accounts,
    sessions: dict[str, UserSession],
    store: LocalStore,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    first = recorded_alert(tmp_path / "evidence")
    second = recorded_alert(tmp_path / "evidence").evolve(status=AlertStatus.NEW)
    for alert in (first, second):
        store.writer.save_alert(alert).result(10)
    db = str(store.path)
    monkeypatch.setenv("ROADWATCH_PASSWORD", PASSWORDS["op"])
    out = tmp_path / "one.zip"
    assert (
        main(["evidence", "export", str(first.id), "--out", str(out), "--user", "op", "--db", db])
        == 0
    )
    assert main(["evidence", "verify", str(out)]) == 0
    assert "VALID" in capsys.readouterr().out
    since = min(first.created_at, second.created_at).isoformat()
    args = ["evidence", "export", "--since", since, "--name", "range", "--dir", str(tmp_path)]
    assert main([*args, "--user", "op", "--db", db]) == 0
    with zipfile.ZipFile(tmp_path / "range.zip") as archive:
        exported = set(json.loads(archive.read("case.json"))["alerts"])
    assert exported == {str(first.id), str(second.id)}
    public = tmp_path / "site.pem"
    assert main(["evidence", "public-key"]) == 0
    public.write_text(capsys.readouterr().out.split("fingerprint")[0])
    assert (
        main(["evidence", "verify", str(tmp_path / "range.zip"), "--public-key", str(public)]) == 0
    )
    monkeypatch.setenv("ROADWATCH_PASSWORD", "wrong-password")
    assert (
        main(
            [
                "evidence",
                "export",
                str(first.id),
                "--out",
                str(tmp_path / "x.zip"),
                "--user",
                "op",
                "--db",
                db,
            ]
        )
        == 2  # not logged in (console/cli/acting.py)
    )
    assert "wrong user name or password" in capsys.readouterr().err
    assert not (tmp_path / "x.zip").exists()
    monkeypatch.setenv("ROADWATCH_PASSWORD", PASSWORDS["trainer"])
    assert (
        main(
            [
                "evidence",
                "export",
                str(first.id),
                "--out",
                str(tmp_path / "t.zip"),
                "--user",
                "trainer",
                "--db",
                db,
            ]
        )
        == 1
    )
    assert "may not export evidence" in capsys.readouterr().err
