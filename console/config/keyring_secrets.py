"""Secrets from the OS keyring (Windows Credential Manager, macOS Keychain, Secret Service).

Looked up by the name a site file refers to (``${CAM_QL1_PASSWORD}``) under the service
name ``roadwatch``, after the environment. On a machine without a keyring backend (a
headless Linux analytics PC) lookups say so once in the log and fall back to environment
variables; storing a secret fails with a message that says what to do instead.
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Iterator, Mapping

log = logging.getLogger(__name__)

SERVICE = "roadwatch"
_NO_BACKEND_HINT = (
    "no OS keyring is available on this machine (keyring found no backend); "
    "set the secret as an environment variable instead, e.g. in the service's "
    "environment file readable only by the RoadWatch account"
)
_warned = threading.Event()


class KeyringUnavailableError(RuntimeError):
    """The OS keyring cannot be used here."""


def _backend_usable() -> bool:
    try:
        import keyring
        from keyring.backends import fail
    except ImportError:
        return False
    return not isinstance(keyring.get_keyring(), fail.Keyring)


def keyring_available() -> bool:
    """True when an OS keyring backend can store and return secrets on this machine."""
    return _backend_usable()


def keyring_secret(name: str) -> str | None:
    """The keyring's value for ``name``, or None (not stored, or no keyring here)."""
    if not _backend_usable():
        if not _warned.is_set():
            _warned.set()
            log.info("%s", _NO_BACKEND_HINT)
        return None
    import keyring
    from keyring.errors import KeyringError

    try:
        return keyring.get_password(SERVICE, name)
    except KeyringError as exc:
        log.warning("the OS keyring could not be read for %s: %s", name, exc)
        return None


def store_keyring_secret(name: str, value: str) -> None:
    """Store ``value`` under ``name``; KeyringUnavailableError when there is no keyring."""
    if not _backend_usable():
        raise KeyringUnavailableError(_NO_BACKEND_HINT)
    import keyring
    from keyring.errors import KeyringError

    try:
        keyring.set_password(SERVICE, name, value)
    except KeyringError as exc:
        raise KeyringUnavailableError(f"the OS keyring refused to store {name}: {exc}") from exc


class EnvironmentAndKeyring(Mapping[str, str]):
    """``os.environ`` with the OS keyring behind it: where ``${NAME}`` references resolve."""

    def __getitem__(self, name: str) -> str:
        value = os.environ.get(name)
        if value is None:
            value = keyring_secret(name)
        if value is None:
            raise KeyError(name)
        return value

    def __iter__(self) -> Iterator[str]:
        return iter(os.environ)  # keyring entries cannot be listed portably

    def __len__(self) -> int:
        return len(os.environ)
