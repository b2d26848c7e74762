"""The region of interest: the part of a camera's frame the detector looks at.

The rules judge road users by the bottom-centre of their box inside the camera's zones,
lanes and lines, so the sky and the verges are pixels the model need not see. A camera's
region is the bounding box of those shapes (a signal lamp is read from the frame by the
red-light rule, not detected, so its zone does not count), widened so that every box whose
bottom-centre is inside a shape is whole in it:

* above each corner, room for a tall vehicle standing there. On a flat road a vertical
  object of height h standing at image row y is ``(y - y_horizon) * h / camera_height``
  pixels tall; with the horizon at or below the top of the image (``y_horizon >= 0``), a
  4 m truck under a camera at least 8 m up is at most ``TALL_SHARE * y`` pixels tall;
* beside each corner, half that (a box as wide as the truck is tall, centred on it);
* everywhere, at least ``MARGIN`` of the frame (boxes jitter, a shape is drawn by hand).

The model then runs on the crop at an input size that keeps the frame's pixels per metre:
``image_size * longest side of the crop / longest side of the frame``, rounded up to a
multiple of 32 and at least ``MIN_CROP_SIZE`` (never above the size asked for). Boxes are
shifted back to full-frame coordinates before anything else sees them.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np

from console.config.site import Camera
from console.detect.detections import Detections

TALL_SHARE = 0.5  # a tall vehicle's pixel height as a share of its row below the image top
MARGIN = 0.06  # of the frame's width and height, on every side
MIN_CROP_SIZE = 320  # below this the model finds little, whatever the crop
# A crop this large (share of the frame's area) saves too little to be worth the copy.
FULL_FRAME_SHARE = 0.9

Point = tuple[float, float]


@dataclass(frozen=True, slots=True)
class DetectRegion:
    """A crop of a ``width`` x ``height`` frame: columns x0..x1, rows y0..y1 (pixels)."""

    x0: int
    y0: int
    x1: int
    y1: int
    width: int
    height: int

    @property
    def share(self) -> float:
        """The crop's share of the frame's pixels."""
        return (self.x1 - self.x0) * (self.y1 - self.y0) / float(self.width * self.height)

    @property
    def side_ratio(self) -> float:
        """The crop's longest side over the frame's longest side."""
        return max(self.x1 - self.x0, self.y1 - self.y0) / float(max(self.width, self.height))

    def input_size(self, image_size: int) -> int:
        """The model input for the crop that keeps the pixels per metre of ``image_size``."""
        scaled = math.ceil(image_size * self.side_ratio / 32) * 32
        return min(image_size, max(MIN_CROP_SIZE, scaled))

    def crop(self, image: np.ndarray) -> np.ndarray:
        """The region of ``image`` (a view: no copy)."""
        return image[self.y0 : self.y1, self.x0 : self.x1]

    def to_frame(self, detections: Detections) -> Detections:
        """Boxes found on the crop, in the full frame's coordinates."""
        return detections.shifted(self.x0, self.y0)

    def seen(self, detections: Detections) -> Detections:
        """Full-frame boxes as a detector looking at the crop only would report them."""
        return detections.clipped_to(self.x0, self.y0, self.x1, self.y1)


def region_shapes(camera: Camera) -> list[list[Point]]:
    """The shapes the camera's rules judge road users in (normalised corners)."""
    shapes: list[list[Point]] = [list(z.polygon) for z in camera.zones if z.kind != "signal_lamp"]
    shapes += [list(lane.polygon) for lane in camera.lanes]
    shapes += [list(line.points) for line in camera.lines]
    return shapes


def normalised_region(
    shapes: Iterable[list[Point]], aspect: float = 9 / 16
) -> tuple[float, float, float, float] | None:
    """The region (x0, y0, x1, y1 as fractions of the frame) around ``shapes``; None: none.

    ``aspect`` is the frame's height over its width (the room beside a corner is half a
    tall vehicle's height in pixels, so a smaller fraction of a wide frame's width).
    """
    corners = np.array([p for shape in shapes for p in shape], np.float64).reshape(-1, 2)
    if not len(corners):
        return None
    x, y = corners[:, 0], corners[:, 1]
    up = TALL_SHARE * y
    side = up * aspect / 2
    x0 = float(np.min(x - np.maximum(side, MARGIN)))
    x1 = float(np.max(x + np.maximum(side, MARGIN)))
    y0 = float(np.min(y - np.maximum(up, MARGIN)))
    y1 = float(np.max(y + MARGIN))
    return max(0.0, x0), max(0.0, y0), min(1.0, x1), min(1.0, y1)


def detect_region(camera: Camera, width: int, height: int) -> DetectRegion | None:
    """The crop the detector sees for ``camera``'s frames; None: the whole frame.

    The whole frame when the camera asks for it (``detect_region: full``), has no zones,
    lanes or lines, or when the crop would be nearly the whole frame anyway.
    """
    if camera.detect_region == "full":
        return None
    bounds = normalised_region(region_shapes(camera), height / width)
    if bounds is None:
        return None
    nx0, ny0, nx1, ny1 = bounds
    region = DetectRegion(
        math.floor(nx0 * width),
        math.floor(ny0 * height),
        math.ceil(nx1 * width),
        math.ceil(ny1 * height),
        width,
        height,
    )
    if region.share >= FULL_FRAME_SHARE or region.x1 <= region.x0 or region.y1 <= region.y0:
        return None
    return region
