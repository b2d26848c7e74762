"""Case packages: one or more alerts' evidence in a signed ZIP an officer can check.

Layout of a package::

    alerts/<alert id>/metadata.json   the record: place (route, km, camera, device id), time
                                      (UTC and local with offset), violation, vehicle type,
                                      plate (text, colour, confidence, source), detecting
                                      unit, model and rule versions, history, source hashes
    alerts/<alert id>/snapshot.jpg    watermarked copies of the stored evidence
    alerts/<alert id>/crop.jpg
    alerts/<alert id>/clip.mp4        re-encoded with the watermark on every frame
    case.json                         who exported what, when, from which console
    README.txt                        how to check the package
    manifest.json                     SHA-256 and size of every file above
    manifest.sig                      Ed25519 signature of manifest.json (base64)
    public_key.pem                    the site's public key

Each stored file's hash is checked before it is used; a changed evidence file stops the
export. The watermarked copies differ from the originals, so the metadata also lists the
SHA-256 of each original (the name it has in local and central evidence storage).
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import re
import tempfile
import unicodedata
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from console import __version__
from console.config.secrets import redact
from console.domain.records import Alert, AlertAction, EvidenceRef, utc_now
from console.evidence.record import plate_record, utc_offset
from console.evidence.watermark import watermark_clip, watermark_jpeg
from console.security.audit import AuditAction, AuditLog
from console.security.guard import checked
from console.security.roles import Actor, Permission
from console.security.site_key import fingerprint, public_pem

PACKAGE_FORMAT = "roadwatch-case-package/1"
MANIFEST = "manifest.json"
SIGNATURE = "manifest.sig"
PUBLIC_KEY = "public_key.pem"
UNSIGNED_FILES = frozenset({MANIFEST, SIGNATURE, PUBLIC_KEY})
_EXTENSIONS = {"snapshot": "jpg", "frame": "jpg", "crop": "jpg", "clip": "mp4", "metadata": "json"}
_WINDOWS_RESERVED = re.compile(r"(con|prn|aux|nul|com\d|lpt\d)(\..*)?", re.IGNORECASE)
README = """RoadWatch case package ({format})

alerts/<alert id>/metadata.json is the record of each alert: place (route, km, camera and
device id), time (UTC and local with its offset), violation, vehicle type, plate with its
colour, confidence and source, and the detecting unit. snapshot.jpg and clip.mp4 show them
on a strip below the picture; the export stamp is on the grey strip under it.

Every file except manifest.json, manifest.sig and public_key.pem is listed in manifest.json
with its SHA-256. manifest.sig is the Ed25519 signature of manifest.json made with the
site's key; public_key.pem is that key (fingerprint {fingerprint}). Compare the fingerprint
with the one the site published, then run:

    roadwatch evidence verify THIS_FILE.zip --public-key SITE_KEY.pem
"""


class ExportError(RuntimeError):
    """The package cannot be made (bad name, missing or changed evidence, ...)."""


@dataclass(frozen=True, slots=True)
class ExportResult:
    path: Path
    sha256: str
    files: int
    alerts: int


def safe_package_name(name: str) -> str:
    """A file name for a package, or ExportError: no folders, no '..', no control characters."""
    cleaned = unicodedata.normalize("NFKC", name).strip()
    if not cleaned:
        raise ExportError("the export name is empty")
    if any(separator in cleaned for separator in ("/", "\\", "\0")) or ".." in cleaned:
        raise ExportError(f"the export name {name[:80]!r} must be a plain file name, not a path")
    if any(unicodedata.category(ch).startswith("C") for ch in cleaned) or ":" in cleaned:
        raise ExportError(f"the export name {name[:80]!r} contains characters files cannot have")
    if cleaned.startswith(".") or _WINDOWS_RESERVED.fullmatch(cleaned):
        raise ExportError(f"the export name {name[:80]!r} is reserved or hidden")
    if len(cleaned.encode()) > 200:
        raise ExportError("the export name is longer than 200 bytes")
    return cleaned if cleaned.lower().endswith(".zip") else f"{cleaned}.zip"


def package_path(directory: Path, name: str) -> Path:
    """Where a package named ``name`` goes inside ``directory`` (never outside it)."""
    path = (directory / safe_package_name(name)).resolve()
    if path.parent != directory.resolve():
        raise ExportError(f"the export name {name[:80]!r} leads outside {directory}")
    return path


class CaseExporter:
    """Builds signed case packages with one site key, on behalf of a logged-in user."""

    def __init__(self, key: Ed25519PrivateKey, console_id: str, audit: AuditLog | None) -> None:
        self.key = key
        self.console_id = console_id
        self.audit = audit

    def export(
        self,
        actor: Actor,
        alerts: Sequence[Alert],
        out: Path,
        history: Callable[[Alert], Sequence[AlertAction]] = lambda _alert: (),
        timezone: str | None = None,
    ) -> ExportResult:
        """Write the package to ``out`` (refusing to overwrite), audit it, return its hash."""
        what = f"export evidence of {len(alerts)} alert(s)"
        user = checked(actor, Permission.EXPORT_EVIDENCE, self.audit, what)
        if not alerts:
            raise ExportError("no alerts to export")
        out = out.parent.resolve() / safe_package_name(out.name)
        if out.exists():
            raise ExportError(f"{out} exists already; choose another name")
        if not out.parent.is_dir():
            raise ExportError(f"the folder {out.parent} does not exist")
        exported_at = utc_now()
        stamp = f"{self.console_id} | {user.username} | exported {exported_at:%Y-%m-%d %H:%M:%S}Z"
        files: dict[str, bytes] = {}
        with tempfile.TemporaryDirectory(prefix="roadwatch-export-") as scratch:
            for alert in alerts:
                folder = f"alerts/{alert.id}"
                files.update(
                    _alert_files(alert, folder, stamp, Path(scratch), history(alert), timezone)
                )
        case = {
            "format": PACKAGE_FORMAT,
            "exported_utc": exported_at.isoformat(),
            "exported_by": user.username,
            "role": user.role.value,
            "console_id": self.console_id,
            "roadwatch_version": __version__,
            "alerts": [str(alert.id) for alert in alerts],
        }
        files["case.json"] = _json_bytes(case)
        files["README.txt"] = README.format(
            format=PACKAGE_FORMAT, fingerprint=fingerprint(self.key.public_key())
        ).encode()
        manifest = self._manifest(files, exported_at)
        files[MANIFEST] = manifest
        files[SIGNATURE] = base64.b64encode(self.key.sign(manifest)) + b"\n"
        files[PUBLIC_KEY] = public_pem(self.key.public_key())
        digest = _write_zip(out, files, exported_at)
        if self.audit is not None:
            details = {
                "alerts": [str(alert.id) for alert in alerts],
                "package": out.name,
                "package_sha256": digest,
                "files": len(files),
            }
            self.audit.record_and_wait(user.username, AuditAction.EVIDENCE_EXPORT, details)
        return ExportResult(out, digest, len(files), len(alerts))

    def _manifest(self, files: dict[str, bytes], at: datetime) -> bytes:
        entries = [
            {"path": name, "sha256": hashlib.sha256(data).hexdigest(), "size_bytes": len(data)}
            for name, data in sorted(files.items())
        ]
        manifest = {
            "format": PACKAGE_FORMAT,
            "created_utc": at.isoformat(),
            "signed_by": fingerprint(self.key.public_key()),
            "files": entries,
        }
        return _json_bytes(manifest)


def _json_bytes(value: Any) -> bytes:
    return (json.dumps(value, ensure_ascii=False, indent=2, sort_keys=True) + "\n").encode()


def _read_verified(ref: EvidenceRef) -> bytes | None:
    """The stored file's bytes, None when not kept locally; ExportError when it changed."""
    if not ref.path or not Path(ref.path).is_file():
        return None
    data = Path(ref.path).read_bytes()
    if hashlib.sha256(data).hexdigest() != ref.sha256:
        raise ExportError(
            f"evidence file {ref.path} ({ref.kind}) no longer matches its recorded SHA-256; "
            "it was changed after it was stored. Nothing was exported."
        )
    return data


def _alert_files(
    alert: Alert,
    folder: str,
    stamp: str,
    scratch: Path,
    history: Sequence[AlertAction],
    timezone: str | None,
) -> dict[str, bytes]:
    files: dict[str, bytes] = {}
    stored_metadata: dict[str, Any] = {}
    sources: list[dict[str, Any]] = []
    for ref in alert.evidence:
        data = _read_verified(ref)
        source = {"kind": ref.kind, "sha256": ref.sha256, "size_bytes": ref.size_bytes}
        if data is None:
            sources.append({**source, "included": False, "why": "not kept on this console"})
            continue
        name = _member_name(folder, ref, files)
        extension = name.rsplit(".", 1)[1]
        if ref.kind == "metadata":
            stored_metadata = json.loads(data)
            sources.append({**source, "included": True, "file": "metadata.json (merged)"})
            continue
        if extension == "jpg":
            files[name] = watermark_jpeg(data, stamp)
        elif extension == "mp4":
            files[name] = watermark_clip(data, stamp, scratch)
        else:
            files[name] = data
        sources.append({**source, "included": True, "file": name.rsplit("/", 1)[1]})
    metadata = _metadata(alert, stored_metadata, timezone)
    metadata["source_files"] = sources
    metadata["history"] = [_action(action) for action in history]
    metadata["watermark"] = stamp
    files[f"{folder}/metadata.json"] = _json_bytes(metadata)
    return files


def _member_name(folder: str, ref: EvidenceRef, taken: dict[str, bytes]) -> str:
    """``<folder>/<kind>.<ext>``; both parts reduced to safe characters, never a clash."""
    kind = re.sub(r"[^a-z0-9_]", "_", ref.kind.lower())[:16] or "evidence"
    suffix = Path(ref.path).suffix.lstrip(".").lower()
    extension = suffix if re.fullmatch(r"[a-z0-9]{1,5}", suffix) else _EXTENSIONS.get(kind, "bin")
    name, number = f"{folder}/{kind}.{extension}", 1
    while name in taken:
        number += 1
        name = f"{folder}/{kind}-{number}.{extension}"
    return name


def _metadata(alert: Alert, stored: dict[str, Any], timezone: str | None) -> dict[str, Any]:
    """The evidence writer's metadata where it exists, completed from the alert itself."""
    event = alert.event
    zone_name = timezone or stored.get("time", {}).get("timezone") or "UTC"
    zone = ZoneInfo(zone_name)
    metadata = {key: value for key, value in stored.items() if key != "files"}
    metadata.update(
        alert_id=str(alert.id),
        event_id=str(event.id),
        type=event.type.value,
        severity=event.severity.value,
        priority=alert.priority.value,
        status=alert.status.value,
        training=alert.training,
    )
    # Records written before version 2 lack these: present, and null (not recorded then).
    metadata.setdefault("record_format", "roadwatch-evidence-record/1")
    metadata.setdefault("detecting_unit", None)
    place = dict(metadata.get("place") or {"camera_id": event.camera_id})
    place.setdefault("device_id", None)
    metadata["place"] = place
    started_local = event.started_at.astimezone(zone)
    metadata["time"] = {
        **(metadata.get("time") or {}),
        "started_utc": event.started_at.isoformat(),
        "ended_utc": event.ended_at.isoformat(),
        "started_local": started_local.isoformat(),
        "ended_local": event.ended_at.astimezone(zone).isoformat(),
        "timezone": zone_name,
        "utc_offset": utc_offset(started_local),
    }
    metadata["violation"] = {
        **(metadata.get("violation") or {}),
        "rule_id": event.rule_id,
        "type": event.type.value,
        "message": redact(event.message),
        "values": dict(event.values),
    }
    vehicle = dict(metadata.get("vehicle") or {})
    # The plate as it stands now (an operator's correction included, see the history);
    # the one printed on the snapshot stays under plate_at_capture when it differs.
    captured = vehicle.get("plate")
    current = plate_record(alert.plate)
    if captured is not None and captured != current:
        vehicle["plate_at_capture"] = captured
    vehicle.update(track_id=event.track_id, box_xyxy=event.box_xyxy, plate=current)
    vehicle["class"] = event.class_name
    metadata["vehicle"] = vehicle
    metadata.setdefault("versions", {"roadwatch": __version__, "model": "", "rules": ""})
    return metadata


def _action(action: AlertAction) -> dict[str, Any]:
    return {
        "action": action.action,
        "actor": action.actor,
        "at_utc": action.at.isoformat(),
        "note": redact(action.note),
        "unit": action.unit,
        "console_id": action.console_id,
    }


def _write_zip(out: Path, files: dict[str, bytes], at: datetime) -> str:
    stamp = (at.year, at.month, at.day, at.hour, at.minute, at.second)
    descriptor, temp_name = tempfile.mkstemp(dir=out.parent, prefix=".export-", suffix=".part")
    try:
        with os.fdopen(descriptor, "wb") as raw, zipfile.ZipFile(raw, "w") as package:
            for name, data in files.items():
                packed = name.endswith((".jpg", ".mp4"))  # already compressed
                method = zipfile.ZIP_STORED if packed else zipfile.ZIP_DEFLATED
                package.writestr(zipfile.ZipInfo(name, stamp), data, method)
        with open(temp_name, "rb") as written:
            digest = hashlib.file_digest(written, "sha256").hexdigest()
        os.replace(temp_name, out)
    except BaseException:
        Path(temp_name).unlink(missing_ok=True)
        raise
    return digest
