"""The core must run where Qt is not installed (analytics machines)."""

from __future__ import annotations

import pkgutil
import subprocess
import sys
from pathlib import Path

import pytest

import console

REPO = Path(__file__).resolve().parents[2]

BLOCK_QT = """
import importlib.abc, sys
class BlockQt(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name.split('.')[0] in {'PySide6', 'shiboken6', 'pyqtgraph', 'PyQt5', 'PyQt6', 'ui'}:
            raise ImportError(f'{name} is blocked: the core must not import Qt or the UI')
sys.meta_path.insert(0, BlockQt())
import importlib
for name in sys.argv[1:]:
    importlib.import_module(name)
print('imported', len(sys.argv) - 1)
"""


def core_modules() -> list[str]:
    return sorted(
        info.name
        for info in pkgutil.walk_packages(console.__path__, "console.")
        if ".migrations" not in info.name
    )


@pytest.mark.slow
def test_every_core_module_imports_with_qt_absent() -> None:
    modules = core_modules()
    assert "console.config.site_file" in modules and "console.cli.main" in modules
    result = subprocess.run(
        [sys.executable, "-c", BLOCK_QT, *modules],
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert f"imported {len(modules)}" in result.stdout


@pytest.mark.slow
def test_import_linter_contract_holds() -> None:
    lint_imports = Path(sys.executable).parent / "lint-imports"
    result = subprocess.run(
        [str(lint_imports)], capture_output=True, text=True, cwd=REPO, timeout=300, check=False
    )
    assert result.returncode == 0, result.stdout[-3000:]
    assert "3 kept, 0 broken" in result.stdout
