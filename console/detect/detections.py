"""``Detections``: the one record of boxes that flows through every stage (after supervision)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float32]
IntArray = npt.NDArray[np.int64]


def _check(name: str, array: np.ndarray, shape: tuple[int | None, ...]) -> None:
    if array.ndim != len(shape) or any(
        s is not None and a != s for a, s in zip(array.shape, shape, strict=True)
    ):
        parts = ["N" if s is None else str(s) for s in shape]
        expected = f"({parts[0]},)" if len(parts) == 1 else "(" + ", ".join(parts) + ")"
        raise ValueError(f"{name} must have shape {expected}, got {array.shape}")


@dataclass(frozen=True, slots=True)
class Detections:
    """Boxes of one frame: ``xyxy`` pixels, ``confidence``, ``class_id``, maybe ``tracker_id``."""

    xyxy: FloatArray
    confidence: FloatArray
    class_id: IntArray
    tracker_id: IntArray | None = None
    class_names: Mapping[int, str] = field(default_factory=dict, compare=False)

    def __post_init__(self) -> None:
        _check("xyxy", self.xyxy, (None, 4))
        n = len(self.xyxy)
        _check("confidence", self.confidence, (n,))
        _check("class_id", self.class_id, (n,))
        if self.tracker_id is not None:
            _check("tracker_id", self.tracker_id, (n,))

    @classmethod
    def empty(cls, class_names: Mapping[int, str] | None = None) -> Detections:
        return cls(
            np.zeros((0, 4), np.float32),
            np.zeros(0, np.float32),
            np.zeros(0, np.int64),
            None,
            class_names or {},
        )

    @classmethod
    def from_arrays(
        cls,
        xyxy: Any,
        confidence: Any,
        class_id: Any,
        tracker_id: Any = None,
        class_names: Mapping[int, str] | None = None,
    ) -> Detections:
        return cls(
            np.asarray(xyxy, np.float32).reshape(-1, 4),
            np.asarray(confidence, np.float32).reshape(-1),
            np.asarray(class_id, np.int64).reshape(-1),
            None if tracker_id is None else np.asarray(tracker_id, np.int64).reshape(-1),
            class_names or {},
        )

    def __len__(self) -> int:
        return len(self.xyxy)

    def __getitem__(
        self, selector: npt.NDArray[np.bool_] | npt.NDArray[np.int64] | slice
    ) -> Detections:
        return Detections(
            self.xyxy[selector],
            self.confidence[selector],
            self.class_id[selector],
            None if self.tracker_id is None else self.tracker_id[selector],
            self.class_names,
        )

    def with_tracker_ids(self, tracker_id: IntArray) -> Detections:
        return Detections(self.xyxy, self.confidence, self.class_id, tracker_id, self.class_names)

    def shifted(self, dx: float, dy: float) -> Detections:
        """The same boxes moved by (dx, dy) pixels: a crop's boxes in the full frame."""
        if not dx and not dy:
            return self
        offset = np.array([dx, dy, dx, dy], np.float32)
        return Detections(
            self.xyxy + offset, self.confidence, self.class_id, self.tracker_id, self.class_names
        )

    def clipped_to(
        self, x0: float, y0: float, x1: float, y1: float, min_visible: float = 0.4
    ) -> Detections:
        """The boxes a detector looking only at (x0, y0)-(x1, y1) would report.

        A box keeps its part inside the rectangle; a box with less than ``min_visible`` of
        its area inside is dropped (the detector would not find it).
        """
        if not len(self):
            return self
        clipped = self.xyxy.copy()
        clipped[:, [0, 2]] = np.clip(clipped[:, [0, 2]], x0, x1)
        clipped[:, [1, 3]] = np.clip(clipped[:, [1, 3]], y0, y1)
        area = (self.xyxy[:, 2] - self.xyxy[:, 0]) * (self.xyxy[:, 3] - self.xyxy[:, 1])
        inside = (clipped[:, 2] - clipped[:, 0]) * (clipped[:, 3] - clipped[:, 1])
        keep = inside >= min_visible * np.maximum(area, 1e-6)
        return Detections(
            clipped[keep],
            self.confidence[keep],
            self.class_id[keep],
            None if self.tracker_id is None else self.tracker_id[keep],
            self.class_names,
        )

    def class_name(self, index: int) -> str:
        class_id = int(self.class_id[index])
        return self.class_names.get(class_id, str(class_id))

    @property
    def centers_bottom(self) -> FloatArray:
        """Bottom-centre of each box: where a vehicle touches the road."""
        x = (self.xyxy[:, 0] + self.xyxy[:, 2]) / 2
        return np.stack([x, self.xyxy[:, 3]], axis=1).astype(np.float32)


def from_ultralytics(result: Any) -> Detections:
    """Convert one Ultralytics ``Results`` object without importing Ultralytics."""
    boxes = result.boxes
    if boxes is None or len(boxes) == 0:
        return Detections.empty(dict(result.names))

    def as_numpy(value: Any) -> np.ndarray:
        return np.asarray(value.cpu().numpy() if hasattr(value, "cpu") else value)

    tracker_id = as_numpy(boxes.id) if getattr(boxes, "id", None) is not None else None
    return Detections.from_arrays(
        as_numpy(boxes.xyxy),
        as_numpy(boxes.conf),
        as_numpy(boxes.cls),
        tracker_id,
        dict(result.names),
    )
