"""Re-analysis dialog: a speeder on a recording, with the site's rules and with relaxed ones."""

from __future__ import annotations

from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from console.config.site_file import SiteConfig, demo_site_path
from console.domain.records import AlertType
from tests.core.test_replay_reanalysis import T0, record_speeding_scene
from ui.replay.reanalysis import ReanalysisDialog
from ui.replay.window import ReplayWindow

CAMERA = "ql1-km122-nhu-nguyet"


@pytest.mark.slow
def test_reanalysis_lists_the_alerts_other_rules_would_raise(
    demo_site: SiteConfig, qtbot: QtBot, tmp_path: Path
) -> None:
    index = record_speeding_scene(tmp_path / "rec")
    site = demo_site
    window = ReplayWindow(site, index)
    qtbot.addWidget(window)
    window.open_cameras([CAMERA], T0, T0 + 20)
    dialog = window.open_reanalysis()
    assert isinstance(dialog, ReanalysisDialog)
    with qtbot.waitSignal(dialog.finished_run, timeout=60_000) as finished:
        dialog.start()
    dialog.wait()
    assert AlertType.SPEEDING in [a.type for a in finished.args[0].alerts]
    assert dialog.table.rowCount() == len(finished.args[0].alerts)

    relaxed = tmp_path / "relaxed.yaml"
    text = demo_site_path().read_text(encoding="utf-8")
    relaxed.write_text(
        text.replace("limit_kmh: {car: 100.0,", "limit_kmh: {car: 200.0,"), encoding="utf-8"
    )
    assert dialog.choose_site_file(relaxed)
    with qtbot.waitSignal(dialog.finished_run, timeout=60_000) as finished:
        dialog.start()
    dialog.wait()
    assert AlertType.SPEEDING not in [a.type for a in finished.args[0].alerts]
    assert not dialog.choose_site_file(tmp_path / "missing.yaml")
    dialog.close()
    window.close_replay()
    index.close()
