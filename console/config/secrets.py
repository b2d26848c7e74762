"""Secret references (``${ENV_VAR}``) in site files, and masking for display and logs.

Site files never hold a password in clear text: a camera URL is written as
``rtsp://admin:${CAM_QL1_PASSWORD}@10.0.0.5/stream`` and the value is looked up in the
environment only when a connection is opened. Everything shown to a person or written
to a log goes through :func:`mask_url` / :func:`redact`.
"""

from __future__ import annotations

import os
import re
import threading
from collections.abc import Mapping
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from console.config.keyring_secrets import keyring_secret

ENV_REFERENCE = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)\}")
MASK = "***"
_SECRET_QUERY_KEYS = frozenset({"password", "passwd", "pwd", "pass", "token", "key", "secret"})
_URL_WITH_USERINFO = re.compile(
    r"(?P<scheme>[a-zA-Z][a-zA-Z0-9+.-]*://)(?P<user>[^:/@\s]*):(?P<pw>[^@\s]*)@"
)


class MissingSecretError(LookupError):
    """A ``${NAME}`` reference names an environment variable that is not set."""

    def __init__(self, name: str) -> None:
        super().__init__(f"environment variable {name} is not set (nor stored in the OS keyring)")
        self.name = name


def env_references(text: str) -> list[str]:
    """Names of the environment variables that ``text`` refers to, in order."""
    return ENV_REFERENCE.findall(text)


def lookup_secret(name: str, environ: Mapping[str, str] | None = None) -> str | None:
    """``environ``'s value of ``name``; without ``environ``: os.environ, then the OS keyring."""
    if environ is not None:
        return environ.get(name)
    value = os.environ.get(name)
    return value if value is not None else keyring_secret(name)


def expand_env(text: str, environ: Mapping[str, str] | None = None) -> str:
    """Replace every ``${NAME}`` with its value; the value is remembered for redaction.

    Values come from ``environ`` when given, else from the environment, then the OS keyring.
    """

    def substitute(match: re.Match[str]) -> str:
        name = match.group(1)
        value = lookup_secret(name, environ)
        if value is None:
            raise MissingSecretError(name)
        SECRET_VALUES.add(value)
        return value

    return ENV_REFERENCE.sub(substitute, text)


def has_clear_password(url: str) -> bool:
    """True when a URL's user-info password is written literally instead of ``${NAME}``."""
    match = _URL_WITH_USERINFO.match(url)
    if not match:
        return False
    password = match.group("pw")
    return bool(password) and ENV_REFERENCE.fullmatch(password) is None


def mask_url(url: str) -> str:
    """The URL as it may be shown: no password, no token, nothing from the environment."""
    masked = _URL_WITH_USERINFO.sub(lambda m: f"{m['scheme']}{m['user']}:{MASK}@", url)
    parts = urlsplit(masked)
    if parts.query:
        query = [
            (k, MASK if k.lower() in _SECRET_QUERY_KEYS else v)
            for k, v in parse_qsl(parts.query, keep_blank_values=True)
        ]
        masked = urlunsplit(parts._replace(query=urlencode(query, safe="/:*$")))
    return SECRET_VALUES.redact(masked)


class SecretValues:
    """The secret values this process has looked up, so logs can never print them."""

    _MIN_LENGTH = 4  # shorter values would redact ordinary words

    def __init__(self) -> None:
        self._values: set[str] = set()
        self._lock = threading.Lock()

    def add(self, value: str) -> None:
        if len(value) >= self._MIN_LENGTH:
            with self._lock:
                self._values.add(value)

    def redact(self, text: str) -> str:
        with self._lock:
            values = sorted(self._values, key=len, reverse=True)
        for value in values:
            text = text.replace(value, MASK)
        return text


SECRET_VALUES = SecretValues()


def redact(text: str) -> str:
    """Mask URL passwords and every known secret value inside free text."""
    text = _URL_WITH_USERINFO.sub(lambda m: f"{m['scheme']}{m['user']}:{MASK}@", text)
    return SECRET_VALUES.redact(text)
