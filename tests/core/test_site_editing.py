from __future__ import annotations

from pathlib import Path

import pytest

from console.config.editing import (
    Shape,
    check_shapes,
    geometry_changes,
    prepare_camera_geometry,
    shapes_of,
)
from console.config.site_file import ConfigError, SiteConfig, load_site

CAMERA = "ql1-km122-nhu-nguyet"


def test_demo_geometry_has_no_problems(demo_site: SiteConfig) -> None:
    for camera in demo_site.cameras:
        assert check_shapes(shapes_of(camera)) == []


def test_problems_name_the_shape_and_the_fault() -> None:
    shapes = [
        Shape("zone", "bow", [(0.1, 0.1), (0.9, 0.9), (0.9, 0.1), (0.1, 0.9)]),
        Shape("zone", "edge", [(0.1, 0.1), (1.2, 0.1), (0.5, 0.8)]),
        Shape("line", "count", [(0.2, 0.5)]),
        Shape("line", "count", [(0.2, 0.5), (0.6, 0.5)]),
    ]
    problems = {(p.shape_id, p.message) for p in check_shapes(shapes)}
    assert ("bow", "polygon edges cross each other") in problems
    assert ("edge", "1 point(s) outside the frame") in problems
    assert ("count", "a line needs exactly 2 points") in problems
    assert ("count", "2 shapes share this id") in problems


def test_save_rewrites_one_camera_and_keeps_comments(demo_site_file: Path) -> None:
    path = demo_site_file
    before = path.read_text(encoding="utf-8")
    site = load_site(path, environ={})
    shapes = shapes_of(site.camera(CAMERA))
    shapes.append(
        Shape("zone", "no-parking", [(0.7, 0.7), (0.9, 0.7), (0.9, 0.9)], {"kind": "no_parking"})
    )
    edit = prepare_camera_geometry(path, CAMERA, shapes)
    assert path.read_text(encoding="utf-8") == before  # nothing written until write()
    assert edit.changes == {"added": ["zone:no-parking"], "removed": [], "changed": []}
    saved = edit.write()
    after = path.read_text(encoding="utf-8")
    assert "# RoadWatch demo site" in after and "# Every camera is synthetic" in after
    assert [z.id for z in saved.camera(CAMERA).zones][-1] == "no-parking"
    assert "polygon: [[0.7, 0.7], [0.9, 0.7], [0.9, 0.9]]" in after
    other = [c for c in site.cameras if c.id != CAMERA]
    assert [c.zones for c in saved.cameras if c.id != CAMERA] == [c.zones for c in other]
    assert len(after.splitlines()) == len(before.splitlines()) + 3


def test_invalid_geometry_is_not_written(demo_site_file: Path) -> None:
    path = demo_site_file
    before = path.read_text(encoding="utf-8")
    bad = [Shape("zone", "bow", [(0.1, 0.1), (0.9, 0.9), (0.9, 0.1), (0.1, 0.9)])]
    with pytest.raises(ConfigError):
        prepare_camera_geometry(path, CAMERA, bad)
    assert path.read_text(encoding="utf-8") == before


def test_changes_name_added_removed_and_moved_shapes(demo_site: SiteConfig) -> None:
    before = shapes_of(demo_site.camera(CAMERA))
    after = [Shape(s.kind, s.id, list(s.points), dict(s.attributes)) for s in before[1:]]
    after[0].points[0] = (after[0].points[0][0] + 0.01, after[0].points[0][1])
    after.append(Shape("line", "new-count", [(0.1, 0.5), (0.9, 0.5)]))
    changes = geometry_changes(before, after)
    assert changes["removed"] == [f"{before[0].kind}:{before[0].id}"]
    assert changes["changed"] == [f"{after[0].kind}:{after[0].id}"]
    assert changes["added"] == ["line:new-count"]
