"""Pinhole pole camera over a flat ground plane (x across, y along the road, z up; metres)."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

# Points closer than this in front of the lens are clipped away, so polygons that pass
# beside or behind the camera still project sensibly.
NEAR_PLANE_M = 0.5


@dataclass(frozen=True, slots=True)
class CameraPose:
    x_m: float
    y_m: float
    height_m: float
    yaw_deg: float  # 0 looks along +y; positive turns toward -x (to the left)
    pitch_deg: float  # positive looks down
    hfov_deg: float


class PinholeCamera:
    """Projects world points to pixels for one frame size."""

    def __init__(self, pose: CameraPose, width: int, height: int, margin_px: int = 0) -> None:
        """Camera for a ``width`` x ``height`` frame.

        ``margin_px`` widens the image on every side without changing the view, so a
        background rendered with a margin can be cropped at an offset to shake the camera.
        """
        self.pose = pose
        self.width = width + 2 * margin_px
        self.height = height + 2 * margin_px
        self.focal_px = (width / 2.0) / math.tan(math.radians(pose.hfov_deg) / 2.0)
        self.cx = width / 2.0 + margin_px
        self.cy = height / 2.0 + margin_px
        yaw = math.radians(pose.yaw_deg)
        pitch = math.radians(pose.pitch_deg)
        forward = np.array(
            [-math.sin(yaw) * math.cos(pitch), math.cos(yaw) * math.cos(pitch), -math.sin(pitch)]
        )
        right = np.array([math.cos(yaw), math.sin(yaw), 0.0])
        down = np.cross(forward, right)
        self.rotation = np.stack([right, down, forward])  # rows: camera x, y, z axes in world
        self.position = np.array([pose.x_m, pose.y_m, pose.height_m])

    @property
    def horizon_v(self) -> float:
        return self.cy - self.focal_px * math.tan(math.radians(self.pose.pitch_deg))

    def to_camera(self, points: np.ndarray) -> np.ndarray:
        """World points (..., 3) to camera coordinates (..., 3), z = depth."""
        return (points - self.position) @ self.rotation.T

    def project(self, points: np.ndarray) -> np.ndarray:
        """World points (..., 3) to pixel coordinates (..., 2).

        Depth is clamped to the near plane so the call never divides by zero (clip polygons
        first where it matters).
        """
        cam = self.to_camera(points)
        depth = np.maximum(cam[..., 2], NEAR_PLANE_M)
        u = self.focal_px * cam[..., 0] / depth + self.cx
        v = self.focal_px * cam[..., 1] / depth + self.cy
        return np.stack([u, v], axis=-1)

    def depth(self, points: np.ndarray) -> np.ndarray:
        return self.to_camera(points)[..., 2]

    def project_ground(self, x_m: float, y_m: float) -> tuple[float, float]:
        u, v = self.project(np.array([x_m, y_m, 0.0]))
        return float(u), float(v)

    def ground_depth_by_row(self) -> np.ndarray:
        """Camera depth of the ground seen in each image row (inf at and above the horizon).

        With no roll, every pixel of a row sees the ground at the same depth.
        """
        rows = np.arange(self.height, dtype=np.float64)
        down_z, forward_z = self.rotation[1, 2], self.rotation[2, 2]
        ray_z = down_z * (rows - self.cy) / self.focal_px + forward_z
        with np.errstate(divide="ignore"):
            depth = np.where(ray_z < -1e-6, -self.pose.height_m / ray_z, np.inf)
        return depth

    def pixels_per_metre(self, depth_m: float) -> float:
        return self.focal_px / max(depth_m, NEAR_PLANE_M)

    def clip_polygon(self, polygon: np.ndarray) -> np.ndarray:
        """Clip a world polygon (n, 3) against the near plane and project it to pixels.

        Returns an (m, 2) float array; m == 0 when the polygon lies entirely behind the lens.
        """
        cam = self.to_camera(polygon)
        kept: list[np.ndarray] = []
        count = len(cam)
        for i in range(count):
            current, following = cam[i], cam[(i + 1) % count]
            current_in = current[2] >= NEAR_PLANE_M
            following_in = following[2] >= NEAR_PLANE_M
            if current_in:
                kept.append(current)
            if current_in != following_in:
                t = (NEAR_PLANE_M - current[2]) / (following[2] - current[2])
                kept.append(current + t * (following - current))
        if not kept:
            return np.zeros((0, 2))
        clipped = np.array(kept)
        u = self.focal_px * clipped[:, 0] / clipped[:, 2] + self.cx
        v = self.focal_px * clipped[:, 1] / clipped[:, 2] + self.cy
        return np.stack([u, v], axis=-1)

    def ground_homography(self) -> np.ndarray:
        """3x3 matrix mapping ground metres (x, y, 1) to pixels (u, v, w)."""
        intrinsics = np.array(
            [[self.focal_px, 0.0, self.cx], [0.0, self.focal_px, self.cy], [0.0, 0.0, 1.0]]
        )
        translation = -self.rotation @ self.position
        extrinsic = np.column_stack([self.rotation[:, 0], self.rotation[:, 1], translation])
        return intrinsics @ extrinsic
