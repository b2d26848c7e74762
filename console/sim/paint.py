"""Drawing world geometry through the camera with OpenCV (sub-pixel, anti-aliased)."""

from __future__ import annotations

import cv2
import numpy as np

from console.sim.camera import PinholeCamera

SUBPIXEL_BITS = 3
SUBPIXEL = float(1 << SUBPIXEL_BITS)
Colour = tuple[int, int, int]


def shade(colour: Colour, factor: float) -> Colour:
    return (
        min(int(colour[0] * factor), 255),
        min(int(colour[1] * factor), 255),
        min(int(colour[2] * factor), 255),
    )


class Painter:
    """Draws ground polygons, boxes and lines given in world metres onto ``image``."""

    def __init__(self, image: np.ndarray, camera: PinholeCamera) -> None:
        self.image = image
        self.camera = camera
        self._boxes: list[tuple[float, np.ndarray, Colour, Colour | None, float]] = []
        self.haze_colour: Colour | None = None
        self.haze_distance_m = 420.0

    def hazed(self, colour: Colour, depth_m: float) -> Colour:
        """``colour`` seen through ``depth_m`` of air (after ``haze_ground``)."""
        if self.haze_colour is None:
            return colour
        k = 1.0 - float(np.exp(-max(depth_m, 0.0) / self.haze_distance_m))
        return (
            int(colour[0] * (1 - k) + self.haze_colour[0] * k),
            int(colour[1] * (1 - k) + self.haze_colour[1] * k),
            int(colour[2] * (1 - k) + self.haze_colour[2] * k),
        )

    def haze_ground(self, haze_colour: Colour) -> None:
        """Fade the ground drawn so far by distance, row by row.

        Everything drawn after this is faded by its own distance instead: fading by row
        would band tall objects at the horizon.
        """
        camera = self.camera
        depth = camera.ground_depth_by_row()
        horizon_row = int(np.clip(camera.horizon_v, 0, camera.height - 1))
        amount = 1.0 - np.exp(-np.nan_to_num(depth, posinf=1e6) / self.haze_distance_m)
        amount[: horizon_row + 1] = 0.0
        a = amount[horizon_row:, None, None].astype(np.float32)
        rows = self.image[horizon_row:].astype(np.float32)
        haze = np.array(haze_colour, np.float32)
        self.image[horizon_row:] = (rows * (1 - a) + haze * a).astype(np.uint8)
        self.haze_colour = haze_colour

    def polygon(
        self, points: list[tuple[float, float, float]] | np.ndarray, colour: Colour
    ) -> None:
        pixels = self.camera.clip_polygon(np.asarray(points, dtype=np.float64))
        if len(pixels) < 3:
            return
        pts = np.round(pixels * SUBPIXEL).astype(np.int32)
        cv2.fillPoly(self.image, [pts], colour, cv2.LINE_AA, SUBPIXEL_BITS)

    def ground(self, points: list[tuple[float, float]], colour: Colour, z: float = 0.0) -> None:
        self.polygon([(x, y, z) for x, y in points], colour)

    def strip(
        self, x0: float, x1: float, y0: float, y1: float, colour: Colour, z: float = 0.0
    ) -> None:
        """Axis-aligned ground rectangle."""
        self.ground([(x0, y0), (x1, y0), (x1, y1), (x0, y1)], colour, z)

    def dashes(
        self, x: float, width: float, y0: float, y1: float, dash: float, gap: float, colour: Colour
    ) -> None:
        y = y0
        while y < y1:
            self.strip(x - width / 2, x + width / 2, y, min(y + dash, y1), colour)
            y += dash + gap

    def line(
        self,
        p0: tuple[float, float, float],
        p1: tuple[float, float, float],
        colour: Colour,
        thickness_m: float,
    ) -> None:
        segment = self.camera.clip_polygon(np.array([p0, p1, p1], dtype=np.float64))
        if len(segment) < 2:
            return
        depth = max(float(self.camera.depth(np.array(p0))), float(self.camera.depth(np.array(p1))))
        px = max(1, round(self.camera.pixels_per_metre(depth) * thickness_m))
        colour = self.hazed(colour, depth)
        a = tuple(int(v) for v in np.round(segment[0] * SUBPIXEL))
        b = tuple(int(v) for v in np.round(segment[1] * SUBPIXEL))
        cv2.line(self.image, a, b, colour, px, cv2.LINE_AA, SUBPIXEL_BITS)

    def queue_box(
        self,
        centre_x: float,
        centre_y: float,
        size: tuple[float, float, float],
        colour: Colour,
        top: Colour | None = None,
        z0: float = 0.0,
    ) -> None:
        """Queue an axis-aligned box standing at ``z0``; ``flush_boxes`` draws far to near."""
        sx, sy, sz = size
        corners = np.array(
            [
                [centre_x + dx * sx / 2, centre_y + dy * sy / 2, z0 + dz * sz]
                for dz in (0, 1)
                for dy in (-1, 1)
                for dx in (-1, 1)
            ]
        )
        depth = float(np.linalg.norm(np.array([centre_x, centre_y, z0]) - self.camera.position))
        self._boxes.append((depth, corners, colour, top, z0))

    def flush_boxes(self) -> None:
        cam = self.camera.position
        for depth, c, base, top_base, _ in sorted(self._boxes, key=lambda item: -item[0]):
            colour = self.hazed(base, depth)
            top = None if top_base is None else self.hazed(top_base, depth)
            x0, x1 = c[0, 0], c[1, 0]
            y0, y1 = c[0, 1], c[2, 1]
            faces: list[tuple[list[int], Colour]] = []
            if cam[1] < y0:
                faces.append(([0, 1, 5, 4], shade(colour, 0.8)))
            if cam[1] > y1:
                faces.append(([2, 3, 7, 6], shade(colour, 0.8)))
            if cam[0] < x0:
                faces.append(([0, 2, 6, 4], shade(colour, 0.65)))
            if cam[0] > x1:
                faces.append(([1, 3, 7, 5], shade(colour, 0.9)))
            if cam[2] > c[4, 2]:
                faces.append(([4, 5, 7, 6], top or colour))
            for index, face_colour in faces:
                self.polygon(c[index], face_colour)
        self._boxes.clear()

    def ellipse_at(
        self,
        point: tuple[float, float, float],
        radius_m: float,
        colour: Colour,
        squash: float = 1.0,
    ) -> None:
        p = np.array(point, dtype=np.float64)
        depth = float(self.camera.depth(p))
        if depth < 1.0:
            return
        u, v = self.camera.project(p)
        r = self.camera.pixels_per_metre(depth) * radius_m
        if r < 0.5:
            return
        centre = (int(round(u * SUBPIXEL)), int(round(v * SUBPIXEL)))
        axes = (int(round(r * SUBPIXEL)), int(round(r * squash * SUBPIXEL)))
        colour = self.hazed(colour, depth)
        cv2.ellipse(self.image, centre, axes, 0, 0, 360, colour, -1, cv2.LINE_AA, SUBPIXEL_BITS)
