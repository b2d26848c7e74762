"""Image and ground-plane geometry for rules: polygons, directed lines, homography."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

import cv2
import numpy as np

Point = tuple[float, float]


class CalibrationPoints(Protocol):
    """Image points (normalized) and where they lie on the road (metres), in pairs.

    The site file's ``Calibration`` (console.config.geometry) is one.
    """

    @property
    def image_points(self) -> Sequence[Point]: ...

    @property
    def world_points_m(self) -> Sequence[Point]: ...


def to_pixels(points: Sequence[Point], width: int, height: int) -> np.ndarray:
    """Normalized (0..1) points to pixel coordinates, shape (N, 2) float32."""
    array = np.asarray(points, np.float32).reshape(-1, 2)
    return array * np.array([width, height], np.float32)


@dataclass(frozen=True, slots=True)
class PixelPolygon:
    points: np.ndarray  # (N, 2) pixels

    @classmethod
    def from_normalized(cls, points: Sequence[Point], width: int, height: int) -> PixelPolygon:
        return cls(to_pixels(points, width, height))

    def contains(self, x: float, y: float) -> bool:
        return cv2.pointPolygonTest(self.points.reshape(-1, 1, 2), (float(x), float(y)), False) >= 0

    @property
    def area(self) -> float:
        return float(cv2.contourArea(self.points.reshape(-1, 1, 2)))

    def mask(self, width: int, height: int, scale: float = 1.0) -> np.ndarray:
        out = np.zeros((max(1, round(height * scale)), max(1, round(width * scale))), np.uint8)
        cv2.fillPoly(out, [np.round(self.points * scale).astype(np.int32)], 1)
        return out


@dataclass(frozen=True, slots=True)
class DirectedLine:
    """Segment a->b. Crossing from its left side to its right side is 'forward'."""

    a: np.ndarray
    b: np.ndarray

    @classmethod
    def from_normalized(cls, points: Sequence[Point], width: int, height: int) -> DirectedLine:
        pixels = to_pixels(points, width, height)
        return cls(pixels[0], pixels[1])

    def side(self, x: float, y: float) -> float:
        """> 0 on the right of a->b (image y points down), < 0 on the left."""
        return float(
            (self.b[0] - self.a[0]) * (y - self.a[1]) - (self.b[1] - self.a[1]) * (x - self.a[0])
        )

    def crossing(self, p: Point, q: Point) -> int:
        """+1 when the move p->q crosses the segment left-to-right, -1 right-to-left, else 0."""
        left_before = self.side(*p) < 0
        left_after = self.side(*q) < 0
        if left_before == left_after:
            return 0
        d1, d2 = _orient(p, q, self.a), _orient(p, q, self.b)
        if d1 * d2 > 0:  # both end points on one side of the move: it passed beside the segment
            return 0
        return 1 if left_before else -1


def _orient(p: Point, q: Point, r: np.ndarray) -> float:
    return float((q[0] - p[0]) * (r[1] - p[1]) - (q[1] - p[1]) * (r[0] - p[0]))


class GroundPlane:
    """Image pixels to metres on the road through a homography from 4+ calibration points.

    A single metres-per-pixel scale is wrong under perspective: a far car covers fewer
    pixels per metre than a near one. The homography gets both right.
    """

    def __init__(self, calibration: CalibrationPoints, width: int, height: int) -> None:
        image = to_pixels(calibration.image_points, width, height)
        world = np.asarray(calibration.world_points_m, np.float32)
        if len(image) == 4:
            matrix = cv2.getPerspectiveTransform(image, world)
        else:
            matrix, _ = cv2.findHomography(image, world, 0)
        if matrix is None:
            raise ValueError("calibration points do not define a ground plane")
        self.matrix = matrix.astype(np.float64)

    def to_world(self, points: np.ndarray) -> np.ndarray:
        pts = np.asarray(points, np.float64).reshape(-1, 1, 2)
        return cv2.perspectiveTransform(pts, self.matrix).reshape(-1, 2)

    def point_to_world(self, x: float, y: float) -> Point:
        wx, wy = self.to_world(np.array([[x, y]]))[0]
        return float(wx), float(wy)


def box_iou(a: tuple[float, float, float, float], b: tuple[float, float, float, float]) -> float:
    ix = max(0.0, min(a[2], b[2]) - max(a[0], b[0]))
    iy = max(0.0, min(a[3], b[3]) - max(a[1], b[1]))
    inter = ix * iy
    union = (a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - inter
    return inter / union if union > 0 else 0.0
