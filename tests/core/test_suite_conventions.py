"""Rules of the test suite itself: one way to depend on a missing service, and it fails in CI."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import tests.conftest
from tests.conftest import require

TESTS = Path(__file__).resolve().parents[1]
SKIPPING = re.compile(r"pytest\.(skip|importorskip)\(|mark\.(skip|skipif)\b")


def test_tests_skip_only_through_require() -> None:
    allowed = {TESTS / "conftest.py", Path(__file__).resolve()}
    offenders = [
        f"{path.relative_to(TESTS)}:{number}: {line.strip()}"
        for path in sorted(TESTS.rglob("*.py"))
        if path not in allowed
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if SKIPPING.search(line)
    ]
    assert offenders == [], "use tests.conftest.require(condition, reason) instead"


def test_require_skips_locally_and_fails_under_ci(monkeypatch: pytest.MonkeyPatch) -> None:
    require(True, "never raised")
    monkeypatch.setattr(tests.conftest, "IN_CI", False)
    with pytest.raises(pytest.skip.Exception, match="no server"):
        require(False, "no server")
    monkeypatch.setattr(tests.conftest, "IN_CI", True)
    with pytest.raises(pytest.fail.Exception, match=r"no server \(CI=true"):
        require(False, "no server")
