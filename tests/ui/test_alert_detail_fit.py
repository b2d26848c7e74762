"""The alert detail's snapshot always fits its label: the banner at its bottom is never cut."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from pytestqt.qtbot import QtBot

from tests.ui.factories import console_session
from ui.alerts.detail import AlertDetail
from ui.alerts.triage import TriageController
from ui.clip_player import pixmap_from_bgr


def test_the_snapshot_is_refitted_when_the_layout_alone_resizes_its_label(
    qtbot: QtBot, tmp_path: Path
) -> None:
    with console_session(tmp_path) as session:
        triage = TriageController(session.alerts, lambda: "op-hoa", lambda *a: None)
        detail = AlertDetail(session.site, triage, session.store)
        qtbot.addWidget(detail)
        detail.resize(1100, 1000)
        detail.show()
        # A 1280x818 snapshot: 720 rows of scene and the evidence banner strip below them.
        detail._images["snapshot"] = pixmap_from_bgr(np.full((818, 1280, 3), 90, np.uint8))
        detail._fit_images()
        label = detail.snapshot
        for height in (label.height() - 40, label.height() + 25, label.height() - 60):
            label.resize(label.width(), height)  # as when the measurements or history grow
            pixmap = label.pixmap()
            assert pixmap.height() <= label.contentsRect().height()
            assert pixmap.width() <= label.contentsRect().width()
