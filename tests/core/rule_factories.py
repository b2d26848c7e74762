"""Small factories for rule tests: a calibrated test camera and scripted tracks."""

from __future__ import annotations

from collections.abc import Callable, Mapping

import numpy as np

from console.config.site import Camera
from console.config.site_file import load_site_text
from console.detect.detections import Detections
from console.domain.classes import ROAD_USER_CLASS_IDS, ROAD_USER_NAMES
from console.domain.records import Event
from console.rules.area_rules import CountRecord
from console.rules.engine import RuleEngine

WIDTH, HEIGHT = 1280, 720
NAMES = ROAD_USER_NAMES  # what a COCO model reports
CLASS_IDS = ROAD_USER_CLASS_IDS
# The test ground plane: the whole image is 40 m wide and 100 m deep, linearly.
CALIBRATION = """
    calibration:
      image_points: [[0, 0], [1, 0], [1, 1], [0, 1]]
      world_points_m: [[0, 0], [40, 0], [40, 100], [0, 100]]
"""
SITE = """
schema_version: 1
site: {{id: t, name: Test}}
routes:
  - {{id: QL1, name: Q, markers: [{{km: 0, lat: 21, lon: 106}}, {{km: 10, lat: 21, lon: 106}}]}}
cameras:
  - id: cam
    name: Test camera
    route: QL1
    km: 1
    lat: 21
    lon: 106
    streams: {{main: "sim://highway"}}
    zones:
      - id: shoulder
        kind: emergency_lane
        polygon: [[0.0, 0.0], [0.2, 0.0], [0.2, 1.0], [0.0, 1.0]]
      - {{id: road, kind: carriageway, polygon: [[0.2, 0.0], [1.0, 0.0], [1.0, 1.0], [0.2, 1.0]]}}
    lanes:
      - id: southbound
        polygon: [[0.5, 0.0], [1.0, 0.0], [1.0, 1.0], [0.5, 1.0]]
        direction: [[0.75, 0.1], [0.75, 0.9]]
        allowed_classes: [car, bus, truck]
      - id: moto
        polygon: [[0.2, 0.0], [0.5, 0.0], [0.5, 1.0], [0.2, 1.0]]
        direction: [[0.35, 0.9], [0.35, 0.1]]
        allowed_classes: [motorcycle, bicycle]
    lines:
      # traffic going down the image crosses forwards
      - {{id: stop, points: [[0.2, 0.5], [1.0, 0.5]]}}
{calibration}
    rules:
{rules}
"""

Path = Callable[[float], tuple[float, float]]  # time -> normalized bottom-centre


def camera_with(rules: str, calibrated: bool = True) -> Camera:
    text = SITE.format(rules=rules, calibration=CALIBRATION if calibrated else "")
    return load_site_text(text).cameras[0]


def box_at(x_norm: float, y_norm: float, class_name: str) -> list[float]:
    w, h = {"person": (20, 50), "motorcycle": (24, 40), "bicycle": (24, 40)}.get(
        class_name, (60, 40)
    )
    x, y = x_norm * WIDTH, y_norm * HEIGHT
    return [x - w / 2, y - h, x + w / 2, y]


def run(
    engine: RuleEngine,
    # id -> (class, or class by time: None where the detector missed it; path, from_s, to_s)
    tracks: Mapping[int, tuple[str | Callable[[float], str | None], Path, float, float]],
    duration_s: float,
    fps: float = 5.0,
    start_s: float = 1_800_000_000.0,
    on_frame: Callable[[RuleEngine, float], None] | None = None,
    confidence: float | Mapping[str, float] = 0.9,
) -> tuple[list[Event], list[CountRecord]]:
    """Feed scripted tracks to ``engine`` frame by frame (``confidence``: or per class)."""
    events: list[Event] = []
    counts: list[CountRecord] = []
    for step in range(int(duration_s * fps) + 1):
        t = step / fps
        seen = [
            (tid, cls(t) if callable(cls) else cls, path(t))
            for tid, (cls, path, t0, t1) in tracks.items()
            if t0 <= t <= t1
        ]
        rows = [(tid, cls, at) for tid, cls, at in seen if cls is not None]
        detections = Detections.from_arrays(
            [box_at(x, y, cls) for _, cls, (x, y) in rows] or np.zeros((0, 4)),
            [
                confidence if isinstance(confidence, float) else confidence[cls]
                for _, cls, _ in rows
            ],
            [CLASS_IDS[cls] for _, cls, _ in rows],
            [tid for tid, _, _ in rows],
            NAMES,
        )
        if on_frame is not None:
            on_frame(engine, t)
        output = engine.process_detections(detections, start_s + t, None, WIDTH, HEIGHT)
        events.extend(output.events)
        counts.extend(output.counts)
    return events, counts


def moving(x: float, y0: float, speed_mps: float, depth_m: float = 100.0) -> Path:
    """A straight path down the image (towards larger y) at ``speed_mps`` on the test plane."""
    return lambda t: (x, y0 + speed_mps * t / depth_m)


def still(x: float, y: float) -> Path:
    return lambda t: (x, y)
