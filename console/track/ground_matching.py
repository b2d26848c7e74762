"""Linking a track's boxes on the road when frames are a second apart (about 1 fps).

On the image, perspective bends every motion: a car leaving the camera at 120 km/h covers
270 px in its first second and 40 px in its fourth, and halves in size each time. Neither
the image-space constant-velocity prediction nor a size-ratio check can follow it at 1 fps,
and widening the search on the image links neighbours instead. On the road plane (the
camera's ground calibration) the same car moves 33 m a second, every second: a
constant-velocity prediction holds there. The prediction is projected back onto the image
and judged there, against the size the box should have at that place (its last size
scaled by the perspective), so a far box's pixel of jitter, metres on the road, counts as
the pixel it is. A track seen once has no velocity: it looks along the road (an axis learnt
from the tracks' motion) within 50 m/s, little across it. Motion alone cannot tell the
vehicles of an evenly spaced stream apart a second apart, so their colours weigh in
(console/track/appearance.py). Used by the tracker only when a camera is calibrated and
analysed at under 2 fps (console/track/tracker.py).
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass

import cv2
import numpy as np

from console.domain.geometry import GroundPlane
from console.track.appearance import colour_likeness_matrix

MAX_SPEED_MPS = 50.0  # 180 km/h: how far a new track may have gone by the next frame
# How far from the projected prediction a box may sit: a share of the size the box should
# have there, plus a share of the predicted step (speed changes, foot jitter in the velocity).
PREDICTED_SIGMA_SIZE = 0.5
PREDICTED_SIGMA_STEP = 0.2
# A new track's score falls linearly with the distance along the road, so the nearest
# plausible box wins, and is below a predicted track's best.
YOUNG_WEIGHT = 0.7
# Across the road a new track may drift this much a second (a lane change, a pedestrian
# crossing); the road's axis is learnt from the tracks' own motion.
ACROSS_SIGMA_M = 1.0
ACROSS_SIGMA_MPS = 1.0
AXIS_MIN_SPEED_MPS = 3.0  # slower motion says little about the road's direction
AXIS_MIN_SAMPLES = 5
# How much unlike colours lower a link's score (to 1 - COLOUR_WEIGHT at most): the same
# car seen at 30 m and at 60 m differs in colour too (more road and shade in a far box).
COLOUR_WEIGHT = 0.8
# A box's height, against the height the track's last box would have at its place.
SIZE_RATIO_LIMIT = 1.6


@dataclass(frozen=True, slots=True)
class GroundSighting:
    frame_id: int
    position: np.ndarray  # metres on the road (x, y) of the box's bottom centre
    height_px: float
    scale: float  # image pixels per metre across the road at ``position``
    colours: np.ndarray | None  # console/track/appearance.py; None for a small box


@dataclass(frozen=True, slots=True)
class FrameBoxes:
    """One frame's detections as the matching needs them."""

    frame_id: int
    feet: np.ndarray  # (N, 2) image pixels
    positions: np.ndarray  # (N, 2) metres
    scales: np.ndarray  # (N,)
    heights: np.ndarray  # (N,)
    colours: list[np.ndarray | None]


class GroundTracks:
    """The last road-plane sightings of each track of one camera's tracker."""

    def __init__(self, ground: GroundPlane) -> None:
        self.ground = ground
        self.inverse = np.linalg.inv(ground.matrix)
        self.fps = 1.0  # the analysis rate (the tracker sets it)
        self.sightings: dict[int, deque[GroundSighting]] = {}
        self.frame: FrameBoxes | None = None
        # sum of the outer products of the unit directions tracks moved in: its main
        # eigenvector is the road's axis (the sign of a direction does not matter)
        self._motion = np.zeros((2, 2), np.float64)
        self._motion_samples = 0

    def begin_frame(
        self, frame_id: int, boxes: np.ndarray, colours: list[np.ndarray | None]
    ) -> None:
        """The detections of the frame the tracker is about to match."""
        boxes = np.asarray(boxes, np.float64).reshape(-1, 4)
        feet = feet_of(boxes)
        positions = self.ground.to_world(feet) if len(boxes) else np.zeros((0, 2))
        self.frame = FrameBoxes(
            frame_id,
            feet,
            positions,
            self.scale_at(positions) if len(boxes) else np.zeros(0),
            np.maximum(boxes[:, 3] - boxes[:, 1], 1.0),
            colours,
        )

    def remember(self, track_ids: list[int], indices: list[int]) -> None:
        """Tracks ``track_ids`` were seen at detections ``indices`` of the current frame."""
        frame = self.frame
        if frame is None:
            return
        for track_id, index in zip(track_ids, indices, strict=True):
            history = self.sightings.setdefault(track_id, deque(maxlen=2))
            position = frame.positions[index]
            if history:
                self._learn_axis(history[-1], frame.frame_id, position)
            history.append(
                GroundSighting(
                    frame.frame_id,
                    position,
                    float(frame.heights[index]),
                    float(frame.scales[index]),
                    frame.colours[index],
                )
            )

    def forget_all_but(self, track_ids: set[int]) -> None:
        for track_id in [t for t in self.sightings if t not in track_ids]:
            del self.sightings[track_id]

    def road_axis(self) -> np.ndarray | None:
        """The unit direction road users mostly move along, once enough have moved."""
        if self._motion_samples < AXIS_MIN_SAMPLES:
            return None
        values, vectors = np.linalg.eigh(self._motion)
        return vectors[:, int(np.argmax(values))]

    def similarity(
        self, track_ids: list[int], indices: list[int], colours: np.ndarray | None = None
    ) -> np.ndarray:
        """Tracks x detections (``indices`` of the current frame) in 0..1.

        How well each box continues each track. Tracks never seen on the road score 0 (box
        overlap still links them). ``colours``: :meth:`colour_factor` of the same tracks and
        boxes, when the caller has it already.
        """
        scores = np.zeros((len(track_ids), len(indices)), np.float64)
        frame = self.frame
        if frame is None or not track_ids or not indices:
            return scores
        feet = frame.feet[indices]
        positions = frame.positions[indices]
        scales = frame.scales[indices]
        heights = frame.heights[indices]
        for row, track_id in enumerate(track_ids):
            history = self.sightings.get(track_id)
            if not history:
                continue
            last = history[-1]
            expected = last.height_px * scales / last.scale  # its height at each box's place
            ratio = heights / expected
            same_size = (ratio < SIZE_RATIO_LIMIT) & (ratio > 1 / SIZE_RATIO_LIMIT)
            frames = max(frame.frame_id - last.frame_id, 1)
            if len(history) == 2:
                score = self._predicted_score(history, frames, feet)
            else:
                score = self._young_score(last, positions, frames / self.fps)
            scores[row] = score * same_size
        if colours is None:
            colours = self.colour_factor(track_ids, indices)
        return scores * colours

    def colour_factor(self, track_ids: list[int], indices: list[int]) -> np.ndarray:
        """Tracks x detections: 1 for alike colours down to 1 - COLOUR_WEIGHT for unlike."""
        frame = self.frame
        if frame is None:
            return np.ones((len(track_ids), len(indices)), np.float64)
        track_colours = []
        for track_id in track_ids:
            history = self.sightings.get(track_id)
            track_colours.append(history[-1].colours if history else None)
        likeness = colour_likeness_matrix(track_colours, [frame.colours[i] for i in indices])
        return 1.0 - COLOUR_WEIGHT * (1.0 - likeness)

    def _predicted_score(
        self, history: deque[GroundSighting], frames: int, feet: np.ndarray
    ) -> np.ndarray:
        first, last = history
        step = (last.position - first.position) / (last.frame_id - first.frame_id) * frames
        predicted = last.position + step
        if not self.in_front(predicted, last.position):
            return np.zeros(len(feet))  # the prediction has left the road the camera sees
        scale = float(self.scale_at(predicted)[0])
        at = self.to_image(predicted)[0]
        sigma = (
            PREDICTED_SIGMA_SIZE * last.height_px * scale / last.scale
            + PREDICTED_SIGMA_STEP * float(np.linalg.norm(step)) * scale
        )
        distance2 = ((feet - at) ** 2).sum(axis=1)
        return np.exp(-distance2 / (2 * max(sigma, 1.0) ** 2))

    def _young_score(self, last: GroundSighting, positions: np.ndarray, gap_s: float) -> np.ndarray:
        """A track seen once: the nearest box along the road within reach, little across."""
        moved = positions - last.position
        reach = MAX_SPEED_MPS * gap_s
        axis = self.road_axis()
        if axis is None:
            along = np.linalg.norm(moved, axis=1)
            across_score = np.ones(len(positions))
        else:
            along = np.abs(moved @ axis)
            across = np.abs(moved @ np.array([-axis[1], axis[0]]))
            sigma = ACROSS_SIGMA_M + ACROSS_SIGMA_MPS * gap_s
            across_score = np.exp(-(across**2) / (2 * sigma**2))
        return YOUNG_WEIGHT * np.clip(1.0 - (along / reach) ** 2, 0.0, 1.0) * across_score

    def _learn_axis(self, last: GroundSighting, frame_id: int, position: np.ndarray) -> None:
        moved = position - last.position
        distance = float(np.linalg.norm(moved))
        if distance < AXIS_MIN_SPEED_MPS * (frame_id - last.frame_id) / self.fps:
            return
        direction = moved / distance
        self._motion += np.outer(direction, direction)
        self._motion_samples += 1

    def in_front(self, world: np.ndarray, seen: np.ndarray) -> bool:
        """Whether road point ``world`` is on the camera's side of the horizon, as ``seen`` is.

        A homography maps points behind the camera or past the horizon into the image too
        (mirrored); the sign of the homogeneous coordinate tells them apart.
        """
        w = self.inverse[2] @ np.array([[*world, 1.0], [*seen, 1.0]]).T
        return bool(w[0] * w[1] > 0)

    def to_image(self, world: np.ndarray) -> np.ndarray:
        points = np.asarray(world, np.float64).reshape(-1, 1, 2)
        return cv2.perspectiveTransform(points, self.inverse).reshape(-1, 2)

    def scale_at(self, world: np.ndarray) -> np.ndarray:
        """Image pixels per metre across the road at road ``world`` points."""
        world = np.asarray(world, np.float64).reshape(-1, 2)
        pixels = self.to_image(np.concatenate([world, world + [1.0, 0.0]]))
        count = len(world)
        return np.maximum(np.linalg.norm(pixels[count:] - pixels[:count], axis=1), 1e-6)


def feet_of(boxes: np.ndarray) -> np.ndarray:
    """Bottom centres of xyxy boxes: where a road user stands on the road."""
    return np.stack([(boxes[:, 0] + boxes[:, 2]) / 2, boxes[:, 3]], axis=1)
