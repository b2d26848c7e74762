"""Fixtures shared by the core tests."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from console.store.local import LocalStore


@pytest.fixture
def store(tmp_path: Path) -> Iterator[LocalStore]:
    """A fresh local store (SQLite file, its writer thread) closed after the test."""
    local = LocalStore.open(tmp_path / "roadwatch.sqlite", console_id="console-1")
    yield local
    local.close()
