"""Scene geometry in normalized image coordinates, for site files and rule tests.

Every point is (x, y) in 0..1 of the frame width and height, so one description fits any
resolution of the same aspect ratio; ``scene_geometry`` takes the size to get that right.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from console.sim.camera import PinholeCamera
from console.sim.layout import SceneLayout, scene_layout


@dataclass(frozen=True, slots=True)
class ImagePoint:
    x: float
    y: float


@dataclass(frozen=True, slots=True)
class ImageLine:
    start: ImagePoint
    end: ImagePoint


@dataclass(frozen=True, slots=True)
class ImageBox:
    x1: float
    y1: float
    x2: float
    y2: float


@dataclass(frozen=True, slots=True)
class LaneZone:
    """One lane as the camera sees it.

    Attributes:
        lane_id: Matches ``TruthObject.lane_id``.
        polygon: Lane area, clipped to the frame and to the useful range.
        direction: Unit vector (in pixel space) of the signed direction of travel.
        allowed_classes: COCO classes the lane is signed for (empty: emergency lane).
        kind: ``car``, ``motorbike``, ``mixed`` or ``emergency``.
        speed_limit_mps: Posted limit.
    """

    lane_id: str
    polygon: tuple[ImagePoint, ...]
    direction: ImagePoint
    allowed_classes: tuple[str, ...]
    kind: str
    speed_limit_mps: float


@dataclass(frozen=True, slots=True)
class CalibrationPair:
    image: ImagePoint
    ground_x_m: float
    ground_y_m: float


@dataclass(frozen=True, slots=True)
class SceneGeometry:
    """Zones of a simulated scene; see the module docstring for coordinates."""

    scene: str
    width: int
    height: int
    lanes: tuple[LaneZone, ...]
    carriageway: tuple[ImagePoint, ...]
    emergency_lanes: tuple[tuple[ImagePoint, ...], ...]
    stop_line: ImageLine | None
    signal_roi: ImageBox | None
    crosswalk: tuple[ImagePoint, ...] | None
    counting_line: ImageLine
    calibration: tuple[CalibrationPair, ...]

    def lane(self, lane_id: str) -> LaneZone:
        for lane in self.lanes:
            if lane.lane_id == lane_id:
                return lane
        raise KeyError(lane_id)


def _clip_to_frame(polygon: np.ndarray, width: int, height: int) -> np.ndarray:
    """Sutherland-Hodgman clip of a pixel polygon to the frame rectangle."""
    points = [tuple(p) for p in polygon]
    edges = ((0, 0.0, 1), (0, float(width), -1), (1, 0.0, 1), (1, float(height), -1))
    for axis, limit, sign in edges:
        if not points:
            break
        kept = []
        for i, current in enumerate(points):
            following = points[(i + 1) % len(points)]
            current_in = sign * (current[axis] - limit) >= 0
            following_in = sign * (following[axis] - limit) >= 0
            if current_in:
                kept.append(current)
            if current_in != following_in:
                t = (limit - current[axis]) / (following[axis] - current[axis])
                kept.append(
                    (
                        current[0] + t * (following[0] - current[0]),
                        current[1] + t * (following[1] - current[1]),
                    )
                )
        points = kept
    return np.array(points, dtype=np.float64).reshape(-1, 2)


class _Projector:
    def __init__(self, layout: SceneLayout, width: int, height: int) -> None:
        self.camera = PinholeCamera(layout.camera, width, height)
        self.width = width
        self.height = height

    def point(self, x: float, y: float, z: float = 0.0) -> ImagePoint:
        u, v = self.camera.project(np.array([x, y, z]))
        return ImagePoint(round(float(u) / self.width, 5), round(float(v) / self.height, 5))

    def polygon(self, ground: list[tuple[float, float]]) -> tuple[ImagePoint, ...]:
        world = np.array([(x, y, 0.0) for x, y in ground])
        clipped = _clip_to_frame(self.camera.clip_polygon(world), self.width, self.height)
        return tuple(
            ImagePoint(round(float(u) / self.width, 5), round(float(v) / self.height, 5))
            for u, v in clipped
        )


def scene_geometry(scene: str, width: int = 1280, height: int = 720) -> SceneGeometry:
    """Zones, lines and calibration of ``scene`` as seen at ``width`` x ``height``."""
    layout = scene_layout(scene)
    proj = _Projector(layout, width, height)
    far = layout.view_far_m
    lanes = []
    for lane in layout.lanes:
        along_y = abs(lane.direction[1]) > 0.5
        if along_y:
            lo = max(min(lane.start_y_m, lane.end_y_m), 0.0)
            hi = min(max(lane.start_y_m, lane.end_y_m), far)
            x0, x1 = lane.start_x_m - lane.width_m / 2, lane.start_x_m + lane.width_m / 2
            ground = [(x0, lo), (x1, lo), (x1, hi), (x0, hi)]
            mid = (lane.start_x_m, (lo + hi) / 3)
        else:
            half = lane.width_m / 2
            ground = [
                (-60.0, lane.start_y_m - half),
                (60.0, lane.start_y_m - half),
                (60.0, lane.start_y_m + half),
                (-60.0, lane.start_y_m + half),
            ]
            mid = (0.0, lane.start_y_m)
        a = proj.camera.project(np.array([mid[0], mid[1], 0.0]))
        b = proj.camera.project(
            np.array([mid[0] + lane.direction[0], mid[1] + lane.direction[1], 0.0])
        )
        vector = b - a
        vector = vector / max(float(np.linalg.norm(vector)), 1e-9)
        lanes.append(
            LaneZone(
                lane_id=lane.lane_id,
                polygon=proj.polygon(ground),
                direction=ImagePoint(round(float(vector[0]), 5), round(float(vector[1]), 5)),
                allowed_classes=lane.allowed_classes,
                kind=lane.kind,
                speed_limit_mps=lane.speed_limit_mps,
            )
        )
    near, far_x = layout.carriageway_x_m
    carriageway = proj.polygon([(near, 0.0), (far_x, 0.0), (far_x, far), (near, far)])
    emergency = tuple(
        proj.polygon(
            [
                (lane.start_x_m - lane.width_m / 2, 0.0),
                (lane.start_x_m + lane.width_m / 2, 0.0),
                (lane.start_x_m + lane.width_m / 2, far),
                (lane.start_x_m - lane.width_m / 2, far),
            ]
        )
        for lane in layout.lanes
        if lane.kind == "emergency"
    )
    stop_line = crosswalk = signal_roi = None
    if layout.stop_line_y_m is not None:
        stop_line = ImageLine(
            proj.point(0.0, layout.stop_line_y_m), proj.point(far_x, layout.stop_line_y_m)
        )
    if layout.crosswalk_y_m is not None:
        y0, y1 = layout.crosswalk_y_m
        crosswalk = proj.polygon([(near, y0), (far_x, y0), (far_x, y1), (near, y1)])
    if layout.signal_head_xyz_m is not None:
        from console.sim.render import SignalLamps  # the lamps know their own housing

        lamps = SignalLamps(proj.camera, layout.signal_head_xyz_m)
        x1, y1, x2, y2 = (float(v) for v in lamps.roi())
        signal_roi = ImageBox(
            round(x1 / width, 5), round(y1 / height, 5), round(x2 / width, 5), round(y2 / height, 5)
        )
    count_y = layout.counting_line_y_m
    counting = ImageLine(proj.point(near, count_y), proj.point(far_x, count_y))
    calibration = tuple(
        CalibrationPair(proj.point(x, y), x, y)
        for x, y in (
            (near + 1.0, 25.0),
            (far_x - 1.0, 25.0),
            (near + 1.0, 70.0),
            (far_x - 1.0, 70.0),
            (0.0, 45.0),
        )
    )
    return SceneGeometry(
        scene=scene,
        width=width,
        height=height,
        lanes=tuple(lanes),
        carriageway=carriageway,
        emergency_lanes=emergency,
        stop_line=stop_line,
        signal_roi=signal_roi,
        crosswalk=crosswalk,
        counting_line=counting,
        calibration=calibration,
    )
