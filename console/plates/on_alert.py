"""The plate of an alert's vehicle, read from the frames its evidence is made of.

The evidence writer calls :class:`AlertPlates` before it draws the snapshot, so the plate
goes on the banner, the metadata and the alert. It reads the vehicle's box in up to
:data:`MAX_FRAMES` frames of the track (the largest boxes: the vehicle nearest the
camera), at the resolution the frame ring keeps (the main stream when there is one), and
votes across them. Alerts without a vehicle (pedestrians, congestion, camera health)
are not read.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

import numpy as np

from console.domain.classes import VEHICLE_CLASSES
from console.domain.plates import PlateRead
from console.domain.records import Alert, AlertType
from console.plates.reader import PlateReader
from console.plates.vote import vote
from console.sources.base import Frame
from console.sources.buffers import FrameRing

log = logging.getLogger(__name__)

MAX_FRAMES = 3
MATCH_S = 0.06  # a ring frame is the track's frame when captured this close to it
MARGIN = 0.08  # of the box, on each side: plates sit at the box's edge
NOT_READ = frozenset({AlertType.PEDESTRIAN, AlertType.CONGESTION, AlertType.CAMERA_HEALTH})

Box = tuple[float, float, float, float]


class PlateSource(Protocol):
    """What the plate of an alert is read from (an ``EvidenceRequest`` has it all)."""

    @property
    def alert(self) -> Alert: ...

    @property
    def frame(self) -> Frame: ...

    @property
    def box(self) -> Box | None: ...

    @property
    def track_boxes(self) -> Sequence[tuple[float, Box]]: ...

    @property
    def ring(self) -> FrameRing | None: ...


def wants_plate(alert: Alert) -> bool:
    return (
        alert.type not in NOT_READ
        and alert.event.class_name in VEHICLE_CLASSES
        and alert.event.box_xyxy is not None
    )


@dataclass(frozen=True, slots=True)
class _View:
    image: np.ndarray
    box: Box

    @property
    def area(self) -> float:
        x1, y1, x2, y2 = self.box
        return max(0.0, x2 - x1) * max(0.0, y2 - y1)


class AlertPlates:
    """Reads the plate for an alert's evidence; a failure is logged, never raised."""

    def __init__(self, reader: PlateReader | None = None, max_frames: int = MAX_FRAMES) -> None:
        self.reader = reader or PlateReader()
        self.max_frames = max_frames

    def __call__(self, source: PlateSource) -> PlateRead | None:
        if not wants_plate(source.alert) or source.box is None:
            return None
        try:
            views = sorted(_views(source), key=lambda view: view.area, reverse=True)
            reads = []
            for view in views[: self.max_frames]:
                read = self.reader.read(crop_with_margin(view.image, view.box))
                if read is not None:
                    reads.append(read)
            return vote(reads)
        except Exception:  # a plate is a bonus: the evidence must be written regardless
            log.exception("plate of alert %s could not be read", source.alert.id)
            return None

    def read_images(self, images: Sequence[np.ndarray]) -> PlateRead | None:
        """The voted plate of vehicle crops (an operator's 'read plate' on stored evidence)."""
        reads = [read for image in images if (read := self.reader.read(image)) is not None]
        return vote(reads)


def crop_with_margin(image: np.ndarray, box: Box, margin: float = MARGIN) -> np.ndarray:
    height, width = image.shape[:2]
    x1, y1, x2, y2 = box
    pad_x, pad_y = (x2 - x1) * margin, (y2 - y1) * margin
    left, top = max(0, int(x1 - pad_x)), max(0, int(y1 - pad_y))
    right, bottom = min(width, int(x2 + pad_x + 1)), min(height, int(y2 + pad_y + 1))
    return image[top:bottom, left:right]


def _views(source: PlateSource) -> list[_View]:
    """The alert frame's box, and the track's boxes in the ring's frames (scaled to them)."""
    assert source.box is not None
    analysed = source.frame.image
    views = [_View(analysed, source.box)]
    ring = source.ring
    if ring is None or not source.track_boxes:
        return views
    frame = source.frame
    offset = frame.captured_mono - frame.captured_epoch  # epoch times to the ring's clock
    times = [t for t, _ in source.track_boxes]
    frames = ring.between(min(times) + offset - MATCH_S, max(times) + offset + MATCH_S)
    for time_s, box in source.track_boxes:
        match = min(frames, key=lambda f: abs(f.captured_mono - (time_s + offset)), default=None)
        if match is None or abs(match.captured_mono - (time_s + offset)) > MATCH_S:
            continue
        sy = match.image.shape[0] / analysed.shape[0]
        sx = match.image.shape[1] / analysed.shape[1]
        x1, y1, x2, y2 = box
        scaled = (x1 * sx, y1 * sy, x2 * sx, y2 * sy)
        if sx > 1.0 or abs(time_s - frame.captured_epoch) > MATCH_S:
            views.append(_View(match.image, scaled))
    return views
