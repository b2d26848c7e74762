"""Checking a case package: hostile-ZIP limits first, then signature, then every file's hash.

Nothing is extracted: members are hashed while they are read from the archive, with the
sizes the archive declares checked before any decompression and again while reading, so
a ZIP bomb is refused without inflating it and nothing is written to disk.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import zipfile
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from console.evidence.case_export import (
    MANIFEST,
    PACKAGE_FORMAT,
    PUBLIC_KEY,
    SIGNATURE,
    UNSIGNED_FILES,
)
from console.security.site_key import SiteKeyError, fingerprint, load_public_pem

MAX_PACKAGE_BYTES = 4 * 1024**3
MAX_MEMBERS = 5000
MAX_TOTAL_UNCOMPRESSED = 4 * 1024**3
MAX_RATIO = 200  # deflate tops out near 1000:1; evidence (JPEG, MP4, JSON) is far below
RATIO_CHECK_ABOVE = 1024 * 1024  # tiny files may compress well; they cannot be a bomb
MAX_SMALL_FILE = 16 * 1024 * 1024  # manifest, signature, key
_CHUNK = 1024 * 1024


class PackageError(ValueError):
    """The file cannot be checked at all: not a ZIP, hostile, or not a case package."""


@dataclass
class VerifyReport:
    package: Path
    files_checked: int = 0
    signer: str = ""
    key_trusted: bool | None = None  # None: no trusted key was given to compare with
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems and self.key_trusted is not False


def check_archive_safety(archive: zipfile.ZipFile, package: Path) -> None:
    """Refuse path tricks, duplicate names and decompression bombs before reading anything."""
    members = archive.infolist()
    if len(members) > MAX_MEMBERS:
        raise PackageError(f"{package}: {len(members)} files; a case package has fewer")
    duplicates = [name for name, n in Counter(m.filename for m in members).items() if n > 1]
    if duplicates:
        raise PackageError(f"{package}: the file {duplicates[0]!r} appears more than once")
    total = 0
    for member in members:
        name = member.filename
        parts = PurePosixPath(name).parts
        if name.startswith("/") or "\\" in name or ".." in parts or ":" in name:
            raise PackageError(f"{package}: hostile file name {name!r} (absolute path or '..')")
        ratio = member.file_size / max(1, member.compress_size)
        if member.file_size > RATIO_CHECK_ABOVE and ratio > MAX_RATIO:
            raise PackageError(
                f"{package}: {name!r} would expand {ratio:.0f} times "
                f"({member.compress_size} -> {member.file_size} bytes): refused as a ZIP bomb"
            )
        total += member.file_size
    if total > MAX_TOTAL_UNCOMPRESSED:
        raise PackageError(
            f"{package}: the files would expand to {total} bytes "
            f"(limit {MAX_TOTAL_UNCOMPRESSED}): refused as a ZIP bomb"
        )


def _hash_member(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> tuple[str, int]:
    digest = hashlib.sha256()
    size = 0
    with archive.open(info) as stream:
        while chunk := stream.read(_CHUNK):
            size += len(chunk)
            if size > info.file_size:  # the header lied about the size
                raise PackageError(f"{info.filename!r} is larger than its header says")
            digest.update(chunk)
    return digest.hexdigest(), size


def _small(archive: zipfile.ZipFile, name: str) -> bytes:
    info = archive.getinfo(name)
    if info.file_size > MAX_SMALL_FILE:
        raise PackageError(f"{name} is {info.file_size} bytes; too large for a {name}")
    return archive.read(info)


def verify_package(path: Path, trusted_key: Ed25519PublicKey | None = None) -> VerifyReport:
    """Check a package; problems are listed in the report, PackageError if it is unusable."""
    if not path.is_file():
        raise PackageError(f"{path}: no such file")
    if path.stat().st_size > MAX_PACKAGE_BYTES:
        raise PackageError(f"{path}: {path.stat().st_size} bytes is too large for a package")
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as exc:
        raise PackageError(f"{path}: not a ZIP file or damaged ({exc})") from exc
    with archive:
        check_archive_safety(archive, path)
        names = set(archive.namelist())
        missing = [name for name in (MANIFEST, SIGNATURE, PUBLIC_KEY) if name not in names]
        if missing:
            raise PackageError(f"{path}: not a case package (no {', '.join(missing)})")
        report = VerifyReport(path)
        manifest_bytes = _small(archive, MANIFEST)
        key = _check_signature(archive, manifest_bytes, report)
        if key is not None and trusted_key is not None:
            report.key_trusted = fingerprint(key) == fingerprint(trusted_key)
            if not report.key_trusted:
                report.problems.append(
                    f"signed with key {fingerprint(key)}, not the trusted site key "
                    f"{fingerprint(trusted_key)}: the package was re-signed by someone else"
                )
        manifest = _parse_manifest(manifest_bytes, report)
        if key is not None and manifest.get("signed_by") not in (None, fingerprint(key)):
            report.problems.append(
                "manifest.json names a different signing key than the package holds"
            )
        _check_files(archive, manifest.get("files", []), names, report)
    return report


def _check_signature(
    archive: zipfile.ZipFile, manifest: bytes, report: VerifyReport
) -> Ed25519PublicKey | None:
    try:
        key = load_public_pem(_small(archive, PUBLIC_KEY))
    except SiteKeyError as exc:
        report.problems.append(f"{PUBLIC_KEY}: {exc}")
        return None
    report.signer = fingerprint(key)
    try:
        signature = base64.b64decode(_small(archive, SIGNATURE).strip(), validate=True)
        key.verify(signature, manifest)
    except (InvalidSignature, binascii.Error, ValueError):
        report.problems.append(
            f"{MANIFEST} or {SIGNATURE} was changed or forged: the signature does not match "
            f"the manifest for key {report.signer}"
        )
    return key


def _parse_manifest(data: bytes, report: VerifyReport) -> dict[str, Any]:
    try:
        manifest = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        report.problems.append(f"{MANIFEST} is not valid UTF-8 JSON: {exc}")
        return {}
    if not isinstance(manifest, dict) or manifest.get("format") != PACKAGE_FORMAT:
        report.problems.append(f"{MANIFEST} is not a {PACKAGE_FORMAT} manifest")
        return {}
    return manifest


def _check_files(
    archive: zipfile.ZipFile, entries: Any, names: set[str], report: VerifyReport
) -> None:
    listed: set[str] = set()
    for entry in entries if isinstance(entries, list) else []:
        name = str(entry.get("path", "")) if isinstance(entry, dict) else ""
        listed.add(name)
        if name not in names:
            report.problems.append(f"{name}: listed in the manifest but missing from the package")
            continue
        try:
            digest, size = _hash_member(archive, archive.getinfo(name))
        except (zipfile.BadZipFile, OSError, EOFError, PackageError) as exc:
            report.problems.append(f"{name}: damaged inside the ZIP ({exc})")
            continue
        report.files_checked += 1
        if digest != entry.get("sha256") or size != entry.get("size_bytes"):
            report.problems.append(
                f"{name}: content differs from the manifest "
                f"(SHA-256 {digest[:16]}..., manifest says {str(entry.get('sha256'))[:16]}...)"
            )
    for name in sorted(names - listed - UNSIGNED_FILES):
        if not name.endswith("/"):
            report.problems.append(f"{name}: not listed in the manifest (added after signing)")
