"""Atomic writes: the old file stays whole when a write fails, and no temporary is left."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from console.atomic_files import write_bytes_atomic, write_text_atomic


def test_write_replaces_the_file_with_the_given_mode(tmp_path: Path) -> None:
    target = tmp_path / "site.yaml"
    target.write_text("old", encoding="utf-8")
    write_text_atomic(target, "nouveau: Bắc Ninh\n", mode=0o644)
    assert target.read_text(encoding="utf-8") == "nouveau: Bắc Ninh\n"
    assert stat.S_IMODE(target.stat().st_mode) == 0o644
    assert list(tmp_path.iterdir()) == [target]


def test_failed_write_keeps_the_old_file_and_leaves_no_temporary(tmp_path: Path) -> None:
    target = tmp_path / "report.json"
    target.write_bytes(b"old report")
    with pytest.raises(TypeError):
        write_bytes_atomic(target, "not bytes")  # type: ignore[arg-type]
    assert target.read_bytes() == b"old report"
    assert list(tmp_path.iterdir()) == [target]
