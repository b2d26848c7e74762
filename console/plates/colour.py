"""The background colour of a plate, from its pixels (white, yellow, blue or red)."""

from __future__ import annotations

import cv2
import numpy as np

from console.domain.plates import PlateColour

# OpenCV hue is 0-179. Saturated, not dark pixels only: glyphs and shadows do not vote.
_HUES = (
    (PlateColour.YELLOW, 14, 38),
    (PlateColour.BLUE, 90, 135),
    (PlateColour.RED, 0, 8),
    (PlateColour.RED, 168, 180),
)
_SHARE = 0.30  # of the plate's pixels: the background covers more than the glyphs


def plate_colour(region: np.ndarray) -> PlateColour:
    """White unless a saturated hue covers a large share; UNKNOWN when too dark or empty."""
    if region.size == 0 or region.ndim != 3:
        return PlateColour.UNKNOWN
    hsv = cv2.cvtColor(region, cv2.COLOR_BGR2HSV).reshape(-1, 3).astype(np.int32)
    hue, saturation, value = hsv[:, 0], hsv[:, 1], hsv[:, 2]
    vivid = (saturation >= 70) & (value >= 60)
    shares: dict[PlateColour, float] = {}
    for colour, low, high in _HUES:
        share = float(np.mean(vivid & (hue >= low) & (hue < high)))
        shares[colour] = shares.get(colour, 0.0) + share
    colour, share = max(shares.items(), key=lambda item: item[1])
    if share >= _SHARE:
        return colour
    bright = float(np.mean((value >= 120) & (saturation < 70)))
    return PlateColour.WHITE if bright >= _SHARE else PlateColour.UNKNOWN
