from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from PySide6.QtCore import QPointF, Qt
from pytestqt.qtbot import QtBot

from console.config.site_file import load_site
from console.security.audit import AuditLog
from console.security.roles import Role, User
from console.sources.base import Frame
from console.store.local import LocalStore
from tests.conftest import load_demo_site
from ui.admin.zone_editor import ZoneEditor

CAMERA = "ql1-km122-nhu-nguyet"


def frozen_frame(camera_id: str) -> tuple[int, Frame | None]:
    image = np.full((360, 640, 3), 90, np.uint8)
    return 1, Frame(image, 1, 0.0, 0.0)


def editor_for(
    qtbot: QtBot, site_file: Path, supervisor: bool = True, audit: AuditLog | None = None
) -> ZoneEditor:
    """An editor on ``site_file``, a copy of the demo site (fixture demo_site_file)."""
    site = load_demo_site()  # parsed once; the same text as site_file
    user = User("giamsat", Role.SUPERVISOR) if supervisor else User("op", Role.OPERATOR)
    editor = ZoneEditor(site, lambda: user, audit, frozen_frame, None, site_path=site_file)
    qtbot.addWidget(editor)
    editor.show()
    qtbot.waitExposed(editor)
    editor.load_camera(CAMERA)
    return editor


def test_loads_the_cameras_geometry_on_a_frozen_frame(qtbot: QtBot, demo_site_file: Path) -> None:
    editor = editor_for(qtbot, demo_site_file)
    kinds = [s.kind for s in editor.shapes]
    assert kinds.count("zone") == 2 and kinds.count("line") == 1 and kinds.count("lane") == 6
    assert kinds.count("calibration") == 1
    assert editor.canvas.image is not None and editor.canvas.image.width() == 640
    assert editor.problems == [] and editor.save_button.isEnabled()


def test_point_dragged_outside_the_frame_is_reported(qtbot: QtBot, demo_site_file: Path) -> None:
    editor = editor_for(qtbot, demo_site_file)
    editor.select_shape("line", "count")
    canvas = editor.canvas
    start = canvas.to_widget(editor.shapes[canvas.selected].points[0]).toPoint()
    outside = canvas.frame_rect().topLeft() - QPointF(12, 12)
    qtbot.mousePress(canvas, Qt.MouseButton.LeftButton, pos=start)
    qtbot.mouseMove(canvas, outside.toPoint())
    qtbot.mouseRelease(canvas, Qt.MouseButton.LeftButton, pos=outside.toPoint())
    assert [(p.shape_id, p.code) for p in editor.problems] == [("count", "outside")]
    assert not editor.save_button.isEnabled()
    assert editor.problem_list.count() == 1
    assert "ngoài khung hình" in editor.problem_list.item(0).text() or "outside" in (
        editor.problem_list.item(0).text()
    )


def test_drawing_a_self_intersecting_zone_is_refused(qtbot: QtBot, demo_site_file: Path) -> None:
    editor = editor_for(qtbot, demo_site_file)
    editor.new_shape("zone")
    canvas = editor.canvas
    for x, y in ((0.1, 0.1), (0.4, 0.4), (0.4, 0.1), (0.1, 0.4)):
        qtbot.mouseClick(canvas, Qt.MouseButton.LeftButton, pos=canvas.to_widget((x, y)).toPoint())
    assert len(editor.shapes[-1].points) == 4
    assert ("zone-1", "self_intersecting") in [(p.shape_id, p.code) for p in editor.problems]
    assert not editor.save() and not editor.saved
    canvas.move_point(len(editor.shapes) - 1, 1, (0.4, 0.1))
    canvas.move_point(len(editor.shapes) - 1, 2, (0.4, 0.4))
    assert editor.problems == []


def audit_entries(store: LocalStore) -> list[tuple[str, str, dict[str, object]]]:
    from sqlalchemy import select

    from console.store.audit_chain import STORAGE_ORDER
    from console.store.models import AUDIT

    store.writer.submit(lambda connection: None).result(10)
    with store.session() as session:
        rows = session.execute(
            select(AUDIT.c.user, AUDIT.c.action, AUDIT.c.details).order_by(STORAGE_ORDER)
        ).all()
    return [(row.user, row.action, dict(row.details or {})) for row in rows]


@pytest.mark.slow
def test_supervisor_saves_into_the_site_file_and_the_change_is_audited(
    qtbot: QtBot, demo_site_file: Path, tmp_path: Path
) -> None:
    with LocalStore.open(tmp_path / "db.sqlite") as store:
        editor = editor_for(qtbot, demo_site_file, audit=AuditLog(store, "console-1"))
        editor.new_shape("zone")
        for point in ((0.7, 0.7), (0.9, 0.7), (0.9, 0.9)):
            editor.shapes[-1].points.append(point)
        editor.canvas.shapes_edited.emit()
        assert editor.save()
        saved = load_site(editor.site_path, environ={})
        assert [z.id for z in saved.camera(CAMERA).zones][-1] == "zone-1"
        assert "# RoadWatch demo site" in editor.site_path.read_text(encoding="utf-8")
        [(user, action, details)] = audit_entries(store)
    assert (user, action) == ("giamsat", "config.change")
    assert details["camera_id"] == CAMERA and details["added"] == ["zone:zone-1"]


def test_an_operator_cannot_save_and_the_core_refuses_and_audits(
    qtbot: QtBot, demo_site_file: Path, tmp_path: Path
) -> None:
    before = demo_site_file.read_text(encoding="utf-8")
    with LocalStore.open(tmp_path / "db.sqlite") as store:
        audit = AuditLog(store, "console-1")
        editor = editor_for(qtbot, demo_site_file, supervisor=False, audit=audit)
        assert not editor.save_button.isEnabled()  # the UI offers nothing ...
        assert editor.status_label.text().startswith(("Vai trò của bạn", "Your role may not"))
        assert not editor.save()  # ... and the core refuses a save asked for anyway
        assert "may not change the geometry" in editor.status_label.text()
        refusals = [(u, d["permission"]) for u, a, d in audit_entries(store) if a != "login"]
    assert refusals == [("op", "change_config")]
    assert demo_site_file.read_text(encoding="utf-8") == before
