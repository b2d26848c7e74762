"""Camera geometry as editable shapes, their checks, and saving them into the site file.

The zone editor works on :class:`Shape` lists; saving rewrites only the edited camera's
``zones``, ``lines``, ``lanes`` and ``calibration`` through ruamel.yaml's round-trip mode,
so comments and the rest of the file stay as the author wrote them. The new text is
validated as a whole site before it replaces the file (atomically). Saving is a
configuration change, checked and audited in ``console.security.config_changes``.
"""

from __future__ import annotations

import io
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq

from console.atomic_files import write_text_atomic
from console.config.geometry_checks import polygon_area, polygon_self_intersects
from console.config.site import Camera
from console.config.site_file import SiteConfig, load_site_text

Point = tuple[float, float]
ShapeKind = Literal["zone", "line", "lane", "calibration"]
POLYGON_KINDS = ("zone", "lane")
DECIMALS = 4


@dataclass
class Shape:
    """One editable figure; ``attributes`` keeps what the editor does not change."""

    kind: ShapeKind
    id: str
    points: list[Point]
    attributes: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class ShapeProblem:
    """``code`` names the fault for translated messages; ``message`` is the English text."""

    kind: ShapeKind
    shape_id: str
    code: str
    message: str
    number: int = 0


class _AnyEnvironment(dict[str, str]):
    """Saving geometry must not depend on this PC having the cameras' secrets set."""

    def __contains__(self, key: object) -> bool:
        return True


def shapes_of(camera: Camera) -> list[Shape]:
    shapes = [Shape("zone", z.id, list(z.polygon), {"kind": z.kind}) for z in camera.zones]
    shapes += [Shape("line", line.id, list(line.points)) for line in camera.lines]
    shapes += [
        Shape(
            "lane",
            lane.id,
            list(lane.polygon),
            {
                "direction": list(lane.direction),
                "allowed_classes": list(lane.allowed_classes),
                "solid_borders": lane.solid_borders,
            },
        )
        for lane in camera.lanes
    ]
    if camera.calibration is not None:
        shapes.append(
            Shape(
                "calibration",
                "calibration",
                list(camera.calibration.image_points),
                {"world_points_m": list(camera.calibration.world_points_m)},
            )
        )
    return shapes


def check_shapes(shapes: Sequence[Shape]) -> list[ShapeProblem]:
    """Everything that would make the site file invalid, said so an editor can fix it."""
    problems: list[ShapeProblem] = []
    ids = Counter((s.kind, s.id) for s in shapes)
    for (kind, shape_id), count in ids.items():
        if count > 1:
            problems.append(
                ShapeProblem(kind, shape_id, "duplicate_id", f"{count} shapes share this id", count)
            )
    for shape in shapes:

        def say(code: str, message: str, number: int = 0, shape: Shape = shape) -> None:
            problems.append(ShapeProblem(shape.kind, shape.id, code, message, number))

        outside = [p for p in shape.points if not (0 <= p[0] <= 1 and 0 <= p[1] <= 1)]
        if outside:
            say("outside", f"{len(outside)} point(s) outside the frame", len(outside))
        if shape.kind in POLYGON_KINDS:
            if len(shape.points) < 3:
                say("too_few_points", "a polygon needs at least 3 points", 3)
            elif polygon_self_intersects(shape.points):
                say("self_intersecting", "polygon edges cross each other")
            elif polygon_area(shape.points) < 1e-5:
                say("no_area", "polygon has no area")
        elif shape.kind == "line":
            if len(shape.points) != 2:
                say("line_points", "a line needs exactly 2 points", 2)
            else:
                (x1, y1), (x2, y2) = shape.points
                if abs(x1 - x2) + abs(y1 - y2) < 1e-3:
                    say("line_same", "the two points of the line are the same")
        elif shape.kind == "calibration":
            world = shape.attributes.get("world_points_m", [])
            if len(shape.points) < 4:
                say("too_few_points", "calibration needs at least 4 points", 4)
            elif len(world) != len(shape.points):
                say(
                    "calibration_pairs",
                    f"{len(shape.points)} image points but {len(world)} ground points",
                    len(world),
                )
            elif polygon_area(shape.points[:4]) < 1e-4:
                say("collinear", "the first four calibration points lie on one line")
    return problems


def _flow(items: Sequence[Any]) -> CommentedSeq:
    seq = CommentedSeq(items)
    seq.fa.set_flow_style()
    return seq


def _points(points: Sequence[Sequence[float]]) -> CommentedSeq:
    return _flow([_flow([round(float(x), DECIMALS), round(float(y), DECIMALS)]) for x, y in points])


def geometry_yaml(shapes: Sequence[Shape]) -> dict[str, Any]:
    """The camera's geometry keys as round-trip YAML nodes (flow-style point lists)."""
    zones = CommentedSeq()
    lines = CommentedSeq()
    lanes = CommentedSeq()
    calibration: CommentedMap | None = None
    for shape in shapes:
        node = CommentedMap()
        if shape.kind == "zone":
            node["id"] = shape.id
            node["kind"] = shape.attributes.get("kind", "other")
            node["polygon"] = _points(shape.points)
            zones.append(node)
        elif shape.kind == "line":
            node["id"] = shape.id
            node["points"] = _points(shape.points)
            lines.append(node)
        elif shape.kind == "lane":
            node["id"] = shape.id
            node["polygon"] = _points(shape.points)
            node["direction"] = _points(shape.attributes["direction"])
            node["allowed_classes"] = _flow(list(shape.attributes.get("allowed_classes", [])))
            if shape.attributes.get("solid_borders"):
                node["solid_borders"] = True
            lanes.append(node)
        else:
            calibration = CommentedMap()
            calibration["image_points"] = _points(shape.points)
            calibration["world_points_m"] = _points(shape.attributes["world_points_m"])
    return {"zones": zones, "lines": lines, "lanes": lanes, "calibration": calibration}


def updated_site_text(text: str, camera_id: str, shapes: Sequence[Shape]) -> str:
    """The site file's text with one camera's geometry replaced; comments are kept."""
    yaml = YAML(typ="rt")
    yaml.preserve_quotes = True
    yaml.width = 4096
    yaml.indent(mapping=2, sequence=4, offset=2)
    data = yaml.load(text)
    camera = next((c for c in data["cameras"] if c.get("id") == camera_id), None)
    if camera is None:
        raise KeyError(f"camera {camera_id} is not in the site file")
    for key, value in geometry_yaml(shapes).items():
        if value is None or (isinstance(value, list) and not value):
            camera.pop(key, None)
        else:
            camera[key] = value
    out = io.StringIO()
    yaml.dump(data, out)
    return out.getvalue()


def geometry_changes(before: Sequence[Shape], after: Sequence[Shape]) -> dict[str, list[str]]:
    """Which shapes were added, removed or changed, as ``kind:id`` names (for the audit)."""
    old = {f"{s.kind}:{s.id}": s for s in before}
    new = {f"{s.kind}:{s.id}": s for s in after}
    return {
        "added": sorted(new.keys() - old.keys()),
        "removed": sorted(old.keys() - new.keys()),
        "changed": sorted(
            name for name in new.keys() & old.keys() if _rounded(new[name]) != _rounded(old[name])
        ),
    }


def _rounded(shape: Shape) -> tuple[Any, ...]:
    points = tuple((round(x, DECIMALS), round(y, DECIMALS)) for x, y in shape.points)
    return points, repr(sorted(shape.attributes.items()))


@dataclass(frozen=True, slots=True)
class GeometryEdit:
    """A camera's new geometry, validated as a whole site and ready to replace the file."""

    path: Path
    camera_id: str
    text: str
    site: SiteConfig
    changes: dict[str, list[str]]

    def write(self) -> SiteConfig:
        write_text_atomic(self.path, self.text)
        return self.site


def prepare_camera_geometry(path: Path, camera_id: str, shapes: Sequence[Shape]) -> GeometryEdit:
    """The site file with the camera's new geometry, validated; nothing is written yet.

    Saving is a configuration change: callers go through
    ``console.security.config_changes.save_camera_geometry`` (checked and audited).

    Raises:
        ConfigError: the result would not be a valid site file.
    """
    original = path.read_text(encoding="utf-8")
    text = updated_site_text(original, camera_id, shapes)
    site = load_site_text(text, environ=_AnyEnvironment())
    before = load_site_text(original, environ=_AnyEnvironment()).camera(camera_id)
    return GeometryEdit(path, camera_id, text, site, geometry_changes(shapes_of(before), shapes))
