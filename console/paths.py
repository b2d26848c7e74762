"""Where RoadWatch keeps its files on this machine (overridable for tests and kiosks)."""

from __future__ import annotations

import os
from pathlib import Path

from platformdirs import PlatformDirs

_DIRS = PlatformDirs(appname="roadwatch", appauthor=False)


def _override(variable: str, default: str, *, create: bool = True) -> Path:
    path = Path(os.environ.get(variable) or default)
    if create:
        path.mkdir(parents=True, exist_ok=True)
    return path


def data_dir(*, create: bool = True) -> Path:
    """Local database, evidence and recordings (``ROADWATCH_DATA_DIR`` overrides)."""
    return _override("ROADWATCH_DATA_DIR", _DIRS.user_data_dir, create=create)


def log_dir() -> Path:
    """Rotating log files (``ROADWATCH_LOG_DIR`` overrides)."""
    return _override("ROADWATCH_LOG_DIR", _DIRS.user_log_dir)


def settings_dir() -> Path:
    """Per-user interface settings (``ROADWATCH_CONFIG_DIR`` overrides)."""
    return _override("ROADWATCH_CONFIG_DIR", _DIRS.user_config_dir)


def cache_dir() -> Path:
    """Files RoadWatch can make again, e.g. rendered demo clips (``ROADWATCH_CACHE_DIR``)."""
    return _override("ROADWATCH_CACHE_DIR", _DIRS.user_cache_dir)
