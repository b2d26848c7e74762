"""The site's Ed25519 signing key for case packages, kept in the data directory (mode 0600).

The private key never leaves this machine; the public key goes into every package and is
printed by ``roadwatch evidence public-key`` so the receiving office can pin it.
"""

from __future__ import annotations

import base64
import hashlib
import os
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

KEY_DIR_NAME = "keys"
KEY_FILE_NAME = "site_ed25519.pem"


class SiteKeyError(RuntimeError):
    """The key file exists but cannot be used (unreadable, not Ed25519, too open)."""


def key_path(data_dir: Path) -> Path:
    return data_dir / KEY_DIR_NAME / KEY_FILE_NAME


def load_or_create_site_key(data_dir: Path) -> Ed25519PrivateKey:
    """The site key; made on first use with permissions 0600 in a 0700 folder."""
    path = key_path(data_dir)
    if path.exists():
        return load_site_key(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    os.chmod(path.parent, 0o700)
    key = Ed25519PrivateKey.generate()
    pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    # O_EXCL: two processes starting at once never overwrite each other's key.
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return load_site_key(path)
    with os.fdopen(descriptor, "wb") as file:
        file.write(pem)
        file.flush()
        os.fsync(file.fileno())
    return key


def load_site_key(path: Path) -> Ed25519PrivateKey:
    if os.name == "posix" and path.stat().st_mode & 0o077:
        raise SiteKeyError(
            f"{path} can be read by other users (mode {path.stat().st_mode & 0o777:o}); "
            f"run: chmod 600 {path}"
        )
    try:
        key = serialization.load_pem_private_key(path.read_bytes(), password=None)
    except (ValueError, TypeError) as exc:
        raise SiteKeyError(f"{path} is not a usable private key: {exc}") from exc
    if not isinstance(key, Ed25519PrivateKey):
        raise SiteKeyError(f"{path} is not an Ed25519 key")
    return key


def public_pem(key: Ed25519PublicKey) -> bytes:
    return key.public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )


def fingerprint(key: Ed25519PublicKey) -> str:
    """``SHA256:<base64>`` of the raw public key, as ssh prints fingerprints."""
    raw = key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    digest = base64.b64encode(hashlib.sha256(raw).digest()).decode().rstrip("=")
    return f"SHA256:{digest}"


def load_public_pem(data: bytes) -> Ed25519PublicKey:
    try:
        key = serialization.load_pem_public_key(data)
    except (ValueError, TypeError) as exc:
        raise SiteKeyError(f"not a PEM public key: {exc}") from exc
    if not isinstance(key, Ed25519PublicKey):
        raise SiteKeyError("the public key is not an Ed25519 key")
    return key
