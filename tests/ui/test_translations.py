"""Every visible string of the UI is translated to Vietnamese, and the .qm is up to date."""

from __future__ import annotations

import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
TS = REPO / "resources" / "translations" / "roadwatch_vi.ts"
QM = TS.with_suffix(".qm")


def sources_of(ts: Path) -> set[tuple[str, str]]:
    tree = ET.parse(ts)
    return {
        (context.findtext("name") or "", message.findtext("source") or "")
        for context in tree.iter("context")
        for message in context.iter("message")
        if message.find("translation") is None
        or message.find("translation").get("type") != "vanished"
    }


def test_committed_ts_has_every_string_of_the_source(tmp_path: Path) -> None:
    fresh = tmp_path / "fresh.ts"
    shutil.copy(TS, fresh)
    lupdate = Path(sys.executable).parent / "pyside6-lupdate"
    subprocess.run(
        [
            str(lupdate),
            *map(str, sorted((REPO / "ui").rglob("*.py"))),
            "-ts",
            str(fresh),
            "-no-obsolete",
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )
    assert sources_of(fresh) == sources_of(TS), "run `make translations` and translate new strings"


def test_every_message_is_translated() -> None:
    tree = ET.parse(TS)
    unfinished = [
        m.findtext("source")
        for m in tree.iter("message")
        if m.find("translation").get("type") == "unfinished"
        or not "".join(m.find("translation").itertext()).strip()
    ]
    assert not unfinished


def test_qm_is_compiled_from_the_ts(tmp_path: Path) -> None:
    lrelease = Path(sys.executable).parent / "pyside6-lrelease"
    rebuilt = tmp_path / "check.qm"
    subprocess.run(
        [str(lrelease), str(TS), "-qm", str(rebuilt)], check=True, capture_output=True, timeout=120
    )
    assert rebuilt.read_bytes() == QM.read_bytes(), "run `make translations`"


def test_qt_standard_buttons_speak_vietnamese(qtbot) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QApplication, QDialogButtonBox

    from ui.i18n import install_translator

    app = QApplication.instance()
    assert isinstance(app, QApplication)
    install_translator(app, "vi")
    try:
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        qtbot.addWidget(buttons)
        ok = buttons.button(QDialogButtonBox.StandardButton.Ok)
        cancel = buttons.button(QDialogButtonBox.StandardButton.Cancel)
        assert (ok.text(), cancel.text()) == ("Đồng ý", "Hủy")
    finally:
        install_translator(app, "en")
