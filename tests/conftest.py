"""Shared test set-up: isolated user directories, and where the ../shared material lives."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"
IN_CI = os.environ.get("CI", "").lower() == "true"


@pytest.fixture(autouse=True)
def isolated_user_dirs(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Path]:
    """Every test gets its own data, log and settings directories."""
    home = tmp_path_factory.mktemp("user")
    for variable, sub in (
        ("ROADWATCH_DATA_DIR", "data"),
        ("ROADWATCH_LOG_DIR", "log"),
        ("ROADWATCH_CONFIG_DIR", "config"),
    ):
        monkeypatch.setenv(variable, str(home / sub))
    yield home


def require_shared(relative: str) -> Path:
    """Path inside ../shared; skip when absent, but fail under CI=true."""
    path = SHARED / relative
    if not path.exists():
        message = f"test material {path} is missing"
        if IN_CI:
            pytest.fail(message + " (CI=true: missing material is a failure)")
        pytest.skip(message)
    return path
