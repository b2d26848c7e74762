"""Motion gate: skip the model when nothing in the view moved (a small grey frame, as Frigate)."""

from __future__ import annotations

import cv2
import numpy as np


class MotionGate:
    """Compares a 160-pixel-wide blurred grey copy with a running background."""

    def __init__(self, threshold: int = 18, min_changed_fraction: float = 0.002, width: int = 160):
        self.threshold = threshold
        self.min_changed_fraction = min_changed_fraction
        self.width = width
        self._background: np.ndarray | None = None
        self.last_changed_fraction = 1.0

    def has_motion(self, image: np.ndarray) -> bool:
        height = max(1, round(image.shape[0] * self.width / image.shape[1]))
        small = cv2.resize(image, (self.width, height), interpolation=cv2.INTER_AREA)
        grey = cv2.GaussianBlur(cv2.cvtColor(small, cv2.COLOR_BGR2GRAY), (5, 5), 0).astype(
            np.float32
        )
        if self._background is None or self._background.shape != grey.shape:
            self._background = grey
            self.last_changed_fraction = 1.0
            return True
        diff = cv2.absdiff(grey, self._background)
        cv2.accumulateWeighted(grey, self._background, 0.2)
        self.last_changed_fraction = float(np.count_nonzero(diff > self.threshold)) / diff.size
        return self.last_changed_fraction >= self.min_changed_fraction
