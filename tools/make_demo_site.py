"""Write the cameras' geometry and rules into resources/sites/demo.yaml from the simulator.

The demo cameras are synthetic, so their zones, lanes, lines and calibration come from the
simulator's own scene geometry (the ground truth); this script keeps the two in step.
Run: .venv/bin/python tools/make_demo_site.py   (tests/core/test_demo_site.py checks it)
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq

from console.sim.scenes import SceneGeometry, scene_geometry

DEMO = Path(__file__).resolve().parents[1] / "resources" / "sites" / "demo.yaml"
ROUND = 4


def point(x: float, y: float) -> CommentedSeq:
    seq = CommentedSeq([round(min(1.0, max(0.0, x)), ROUND), round(min(1.0, max(0.0, y)), ROUND)])
    seq.fa.set_flow_style()
    return seq


def flow(items: list[Any]) -> CommentedSeq:
    seq = CommentedSeq(items)
    seq.fa.set_flow_style()
    return seq


def polygon(points: Any) -> CommentedSeq:
    return flow([point(p.x, p.y) for p in points])


def clip_below(points: Any, y_min: float | None) -> list[Any]:
    """The part of a polygon below the horizontal y = y_min (Sutherland-Hodgman, one edge)."""
    if y_min is None:
        return list(points)
    from console.sim.scenes import ImagePoint

    out: list[Any] = []
    ring = list(points)
    for current, following in zip(ring, ring[1:] + ring[:1], strict=True):
        inside_a, inside_b = current.y >= y_min, following.y >= y_min
        if inside_a:
            out.append(current)
        if inside_a != inside_b:
            t = (y_min - current.y) / (following.y - current.y)
            out.append(ImagePoint(current.x + t * (following.x - current.x), y_min))
    return out


def lane_direction(lane: Any) -> CommentedSeq:
    xs = [p.x for p in lane.polygon]
    ys = [p.y for p in lane.polygon]
    cx, cy = sum(xs) / len(xs), sum(ys) / len(ys)
    # the simulator's direction is a unit vector in pixels; step 60 px each way of the centre
    dx, dy = lane.direction.x * 60 / 1280, lane.direction.y * 60 / 720
    start = (cx - dx, cy - dy)
    end = (cx + dx, cy + dy)
    return flow([point(*start), point(*end)])


def geometry_for(scene: str) -> dict[str, Any]:
    g: SceneGeometry = scene_geometry(scene, 1280, 720)
    driving = [lane for lane in g.lanes if lane.kind != "emergency"]
    zones = [{"id": "carriageway", "kind": "carriageway", "polygon": polygon(g.carriageway)}]
    lines = [
        {
            "id": "count",
            "points": flow(
                [
                    point(g.counting_line.start.x, g.counting_line.start.y),
                    point(g.counting_line.end.x, g.counting_line.end.y),
                ]
            ),
        }
    ]
    rules: list[dict[str, Any]] = [{"type": "line_count", "line": "count"}]
    if g.emergency_lanes:
        zones.append(
            {
                "id": "emergency-lane",
                "kind": "emergency_lane",
                "polygon": polygon(g.emergency_lanes[0]),
            }
        )
        rules.append({"type": "stopped_vehicle", "zone": "emergency-lane", "dwell_s": 15})
    approach_end = None
    if g.stop_line is not None:  # junction approaches end at the stop line: the box beyond
        approach_end = max(g.stop_line.start.y, g.stop_line.end.y)  # belongs to no lane
    lanes = [
        {
            "id": lane.lane_id,
            "polygon": polygon(
                clip_below(lane.polygon, approach_end)
                if lane.lane_id.startswith("north")
                else lane.polygon
            ),
            "direction": lane_direction(lane),
            "allowed_classes": flow(list(lane.allowed_classes)),
        }
        for lane in driving
    ]
    calibration = [c for c in g.calibration if 0 <= c.image.x <= 1 and 0 <= c.image.y <= 1]
    if scene == "highway":
        # QL1 outside towns: 90 km/h for cars is the posted limit; alerts leave a margin.
        limits = {"car": 100.0, "bus": 90.0, "truck": 90.0, "motorcycle": 70.0}
        rules += [
            {"type": "wrong_way", "lane": lane.lane_id, "min_distance_m": 15, "min_duration_s": 2}
            for lane in driving
        ]
        rules.append(
            {"type": "speeding", "limit_kmh": limits, "tolerance_kmh": 5, "min_box_height": 0.025}
        )
        rules.append({"type": "pedestrian", "zone": "carriageway", "min_duration_s": 2})
        rules.append(
            {
                "type": "congestion",
                "zone": "carriageway",
                "occupancy": 0.12,
                "mean_speed_kmh": 20,
                "window_s": 20,
            }
        )
    if g.stop_line is not None and g.signal_roi is not None:
        box = g.signal_roi
        zones.append(
            {
                "id": "signal",
                "kind": "signal_lamp",
                "polygon": flow(
                    [
                        point(box.x1, box.y1),
                        point(box.x2, box.y1),
                        point(box.x2, box.y2),
                        point(box.x1, box.y2),
                    ]
                ),
            }
        )
        # reversed so that traffic moving up the image (northbound) crosses 'forwards'
        lines.append(
            {
                "id": "stop-line",
                "points": flow(
                    [
                        point(g.stop_line.end.x, g.stop_line.end.y),
                        point(g.stop_line.start.x, g.stop_line.start.y),
                    ]
                ),
            }
        )
        rules.append({"type": "red_light", "stop_line": "stop-line", "signal_zone": "signal"})
    # At a junction only the approach the camera faces is judged: crossing traffic and the
    # far side are seen from too far or at the wrong angle.
    judged = [lane for lane in driving if scene == "highway" or lane.lane_id.startswith("north")]
    rules += [{"type": "lane_violation", "lane": lane.lane_id} for lane in judged]
    rules.append({"type": "camera_health"})
    return {
        "zones": zones,
        "lines": lines,
        "lanes": lanes,
        "calibration": {
            "image_points": flow([point(c.image.x, c.image.y) for c in calibration]),
            "world_points_m": flow([flow([c.ground_x_m, c.ground_y_m]) for c in calibration]),
        },
        "rules": [_flow_map(r) for r in rules],
    }


def _flow_map(rule: dict[str, Any]) -> CommentedMap:
    mapping = CommentedMap(rule)
    mapping.fa.set_flow_style()
    return mapping


def updated_document(text: str) -> Any:
    yaml = YAML(typ="rt")
    document = yaml.load(text)
    for camera in document["cameras"]:
        scene = camera["streams"]["main"].split("://", 1)[1].split("?", 1)[0]
        for key, value in geometry_for(scene).items():
            camera[key] = value
    return document


def render(document: Any) -> str:
    import io

    yaml = YAML(typ="rt")
    yaml.width = 4096
    yaml.indent(mapping=2, sequence=4, offset=2)
    out = io.StringIO()
    yaml.dump(document, out)
    return out.getvalue()


def main() -> int:
    DEMO.write_text(render(updated_document(DEMO.read_text(encoding="utf-8"))), encoding="utf-8")
    print(f"wrote {DEMO}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
