"""One tracker per camera: Ultralytics' ByteTrack plus a bounded history of each track."""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass
from types import SimpleNamespace
from typing import Any

import numpy as np

from console.detect.detections import Detections
from console.domain.geometry import GroundPlane
from console.track.appearance import colour_descriptors
from console.track.ground_matching import GroundTracks


@dataclass(frozen=True, slots=True)
class TrackPoint:
    """Where a track was at one moment: bottom-centre of its box, in pixels."""

    time_s: float
    x: float
    y: float
    box: tuple[float, float, float, float]


# A track's first box (one row, with its id) and its time: seen one update before ByteTrack
# confirmed the track.
FirstSighting = tuple[float, Detections]


class TrackHistory:
    """Positions of one track, bounded by age and count."""

    def __init__(self, track_id: int, class_id: int, max_points: int = 600) -> None:
        self.track_id = track_id
        self.class_id = class_id
        self.points: deque[TrackPoint] = deque(maxlen=max_points)

    @property
    def last_seen_s(self) -> float:
        return self.points[-1].time_s if self.points else 0.0


class _TrackerInput:
    """The Boxes-like view ByteTrack reads: ``conf``, ``cls``, ``xywh``, boolean indexing."""

    def __init__(self, xyxy: np.ndarray, conf: np.ndarray, cls: np.ndarray) -> None:
        self.xyxy = xyxy
        self.conf = conf
        self.cls = cls

    @property
    def xywh(self) -> np.ndarray:
        xywh = self.xyxy.copy()
        xywh[:, 2:] = self.xyxy[:, 2:] - self.xyxy[:, :2]
        xywh[:, :2] = self.xyxy[:, :2] + xywh[:, 2:] / 2
        return xywh

    def __len__(self) -> int:
        return len(self.conf)

    def __getitem__(self, mask: Any) -> _TrackerInput:
        return _TrackerInput(self.xyxy[mask], self.conf[mask], self.cls[mask])


# COCO ids: person; bicycle and motorcycle; car, bus and truck (detectors mix these up).
CLASS_GROUP = {0: 0, 1: 1, 3: 1, 2: 2, 5: 2, 7: 2}


def _byte_tracker_class() -> type:
    """Ultralytics' ByteTrack, tuned for analysis at a few frames per second.

    At 5 fps a motorbike close to the camera moves more than its own height between two
    frames, so box overlap (IoU) alone cannot link its first sightings and ByteTrack never
    confirms it (new tracks need IoU >= 0.3). Two changes: similarity is the larger of IoU
    and a centre-distance score scaled by the box size (what the Kalman prediction gives
    confirmed tracks anyway), and new tracks are matched with the same threshold as the
    others.
    """
    from ultralytics.trackers.basetrack import TrackState
    from ultralytics.trackers.byte_tracker import BYTETracker
    from ultralytics.trackers.utils import matching

    class FewFpsByteTracker(BYTETracker):
        gap_scale = 1.0  # frame interval / the 0.2 s the matching was tuned at (>= 1)
        # Set for a calibrated camera analysed below GROUND_MATCHING_BELOW_FPS.
        ground_tracks: GroundTracks | None = None

        def get_dists(self, tracks: list[Any], detections: list[Any]) -> np.ndarray:
            dists = np.asarray(super().get_dists(tracks, detections), dtype=np.float64)
            if not tracks or not detections:
                return dists
            if self.ground_tracks is not None:
                dists = self._ground_dists(dists, tracks, detections)
            else:
                dists = self._image_dists(dists, tracks, detections)
            # A rider's box sits on its motorbike's, and a motorbike may pass close to a bus:
            # a track never changes between people, two-wheelers and four-wheelers.
            t_group = np.array([CLASS_GROUP.get(int(track.cls), 3) for track in tracks])
            d_group = np.array([CLASS_GROUP.get(int(det.cls), 3) for det in detections])
            dists[t_group[:, None] != d_group[None, :]] = 1.0
            return dists

        def _ground_dists(
            self, dists: np.ndarray, tracks: list[Any], detections: list[Any]
        ) -> np.ndarray:
            assert self.ground_tracks is not None
            track_ids = [int(track.track_id) for track in tracks]
            indices = [int(det.idx) for det in detections]
            colours = self.ground_tracks.colour_factor(track_ids, indices)
            similarity = self.ground_tracks.similarity(track_ids, indices, colours)
            # Box overlap with the track's Kalman prediction: a stopped vehicle's link. A
            # second apart, a new track (predicted not to move) also overlaps the vehicle
            # behind it, which now stands where it stood; their colours tell them apart.
            overlap = (1.0 - dists) * colours
            dists = 1.0 - np.maximum(overlap, similarity)
            # ByteTrack drops a track lost too long from its lost list one update after
            # marking it removed; at 1 fps that update is a second, in which a far track
            # came back on a motorbike 70 m away (tuning seed 50507).
            removed = np.array([track.state == TrackState.Removed for track in tracks])
            dists[removed] = 1.0
            return dists

        def _image_dists(
            self, dists: np.ndarray, tracks: list[Any], detections: list[Any]
        ) -> np.ndarray:
            t = np.array([track.xyxy for track in tracks], np.float64)
            d = np.array([det.xyxy for det in detections], np.float64)
            tc = (t[:, :2] + t[:, 2:]) / 2
            dc = (d[:, :2] + d[:, 2:]) / 2
            size = np.sqrt(np.prod(np.maximum(t[:, 2:] - t[:, :2], 1.0), axis=1))
            distance2 = ((tc[:, None, :] - dc[None, :, :]) ** 2).sum(axis=2)
            # Young: born in the last two frames (a re-found lost track is not young again).
            young = np.array([self.frame_id - track.start_frame < 3 for track in tracks])
            # A new track has no velocity yet: let it look about one box size around itself;
            # a confirmed one three quarters of it (perspective makes approaching vehicles
            # speed up on the image, ahead of the constant-velocity prediction).
            # Tuned at 5 fps; frames further apart let a vehicle move further between them.
            sigma = np.where(young, 1.0, 0.75)[:, None] * size[:, None] * self.gap_scale
            centre = np.exp(-distance2 / (2 * sigma**2))
            scores = np.array([det.score for det in detections])[None, :]
            # Perspective makes vehicles speed up and grow on the image as they approach;
            # the constant-velocity prediction lags and overlap alone loses them. A box of
            # similar size near the prediction is the same vehicle.
            t_size = np.maximum(t[:, 2:] - t[:, :2], 1.0)
            d_size = np.maximum(d[:, 2:] - d[:, :2], 1.0)
            ratio = t_size[:, None, 1] / d_size[None, :, 1]
            similar_size = (ratio > 0.6) & (ratio < 1.67)
            weight = np.where(young[:, None], 0.8, 0.6)
            centre_similarity = (
                weight * centre * similar_size * (scores if self.args.fuse_score else 1.0)
            )
            return np.minimum(dists, 1.0 - centre_similarity)

        def _unconfirmed_association(
            self,
            unconfirmed: list[Any],
            u_detection: list[int],
            detections: list[Any],
            activated: list[Any],
            removed: list[Any],
        ) -> tuple[list[int], list[Any]]:
            detections = [detections[i] for i in u_detection]
            if not unconfirmed:
                return list(range(len(detections))), detections
            dists = self.get_dists(unconfirmed, detections)
            matches, u_unconfirmed, u_left = matching.linear_assignment(
                dists, thresh=self.args.match_thresh
            )
            for itracked, idet in matches:
                unconfirmed[itracked].update(detections[idet], self.frame_id)
                activated.append(unconfirmed[itracked])
            for it in u_unconfirmed:
                unconfirmed[it].mark_removed()
                removed.append(unconfirmed[it])
            return u_left, detections

    return FewFpsByteTracker


class CameraTracker:
    """Assigns stable ids to one camera's detections; forgets tracks unseen for ``lost_s``."""

    def __init__(self, detect_fps: float, lost_s: float = 3.0, history_s: float = 60.0) -> None:
        self.detect_fps = detect_fps
        args = SimpleNamespace(
            tracker_type="bytetrack",
            track_high_thresh=0.25,
            track_low_thresh=0.1,
            new_track_thresh=0.25,
            track_buffer=max(1, round(lost_s * detect_fps)),
            match_thresh=0.8,
            # Not weighting similarity by the detection's confidence: a small model's
            # confident-enough boxes (0.35-0.5) then failed to match their own track, and
            # came back as new ids (ids kept 79 % -> 88 % on the demo model's highway).
            fuse_score=False,
        )
        self._tracker = _byte_tracker_class()(args)  # its buffer counts our frames, at detect_fps
        self._tracker.gap_scale = _gap_scale(detect_fps)
        self.lost_s = lost_s
        self.history_s = history_s
        self.histories: dict[int, TrackHistory] = {}
        self._births: dict[int, FirstSighting] = {}  # tracks born by the last update
        self._first_sightings: list[FirstSighting] = []
        self._max_points = max(10, round(history_s * detect_fps))
        self._ground: GroundPlane | None = None
        self._ground_tracks: GroundTracks | None = None

    def use_ground(self, ground: GroundPlane | None) -> None:
        """The camera's road plane: below GROUND_MATCHING_BELOW_FPS boxes are linked on it."""
        if ground is self._ground:
            return
        self._ground = ground
        self._ground_tracks = GroundTracks(ground) if ground is not None else None
        self._choose_matching()

    def set_rate(self, fps: float) -> None:
        """Frames now arrive at ``fps``: a lost track is still kept for ``lost_s`` seconds."""
        self.detect_fps = fps
        self._tracker.max_frames_lost = max(1, round(self.lost_s * fps))
        self._tracker.gap_scale = _gap_scale(fps)
        self._choose_matching()

    def _choose_matching(self) -> None:
        low_rate = 0 < self.detect_fps < GROUND_MATCHING_BELOW_FPS
        self._tracker.ground_tracks = self._ground_tracks if low_rate else None
        if self._ground_tracks is not None:
            self._ground_tracks.fps = self.detect_fps
            if not low_rate:
                self._ground_tracks.forget_all_but(set())  # stale when the rate falls again

    def update(
        self, detections: Detections, time_s: float, image: np.ndarray | None = None
    ) -> Detections:
        """Tracked detections (with ``tracker_id``); unmatched new boxes are left out.

        ``image``: the frame, whose colours help link boxes a second apart (under 2 fps).
        """
        boxes = _TrackerInput(
            detections.xyxy.astype(np.float32),
            detections.confidence,
            detections.class_id.astype(np.float32),
        )
        ground_tracks = self._tracker.ground_tracks
        if ground_tracks is not None:
            colours = (
                colour_descriptors(image, detections.xyxy)
                if image is not None
                else [None] * len(detections)
            )
            ground_tracks.begin_frame(self._tracker.frame_id + 1, detections.xyxy, colours)
        output = self._tracker.update(boxes)
        if ground_tracks is not None:
            self._remember_on_road(ground_tracks)
        if len(output) == 0:
            tracked = Detections.empty(detections.class_names).with_tracker_ids(
                np.zeros(0, np.int64)
            )
        else:
            # The detector's own box, not the Kalman estimate: the estimate lags behind
            # vehicles that speed up on the image as they approach, and would bias speeds.
            index = output[:, 7].astype(np.int64)
            tracked = detections[index].with_tracker_ids(output[:, 4].astype(np.int64))
        self._first_sightings = self._confirmed_births(tracked)
        self._births = self._new_births(detections, time_s)
        self._remember(tracked, time_s)
        return tracked

    def _remember_on_road(self, ground_tracks: GroundTracks) -> None:
        """Road positions of the tracks this update saw (new ones too) for the next match."""
        tracker = self._tracker
        seen = [t for t in tracker.tracked_stracks if t.frame_id == tracker.frame_id]
        ground_tracks.remember([int(t.track_id) for t in seen], [int(t.idx) for t in seen])
        alive = {int(t.track_id) for t in (*tracker.tracked_stracks, *tracker.lost_stracks)}
        ground_tracks.forget_all_but(alive)

    def take_first_sightings(self) -> list[FirstSighting]:
        """Where the tracks confirmed by the last update were first seen.

        ByteTrack confirms a new track on its second sighting and outputs it from then on:
        the first sighting is lost, and at 1-2 fps it is a large share of a short track (a
        motorbike is big enough to judge its class for about a second near the camera).
        """
        sightings, self._first_sightings = self._first_sightings, []
        return sightings

    def _new_births(self, detections: Detections, time_s: float) -> dict[int, FirstSighting]:
        births = {}
        frame_id = self._tracker.frame_id
        for track in self._tracker.tracked_stracks:
            if track.is_activated or track.start_frame != frame_id:
                continue
            index = int(track.idx)
            row = detections[np.array([index])]
            births[int(track.track_id)] = (
                time_s,
                row.with_tracker_ids(np.array([track.track_id], np.int64)),
            )
        return births

    def _confirmed_births(self, tracked: Detections) -> list[FirstSighting]:
        if not self._births or tracked.tracker_id is None:
            return []
        return [
            self._births[track_id]
            for track_id in tracked.tracker_id.tolist()
            if track_id in self._births and track_id not in self.histories
        ]

    def keep(self, tracked: Detections, time_s: float) -> Detections:
        """Nothing moved: the same boxes stand at a later time (a stopped car keeps dwelling)."""
        self._remember(tracked, time_s)
        return tracked

    def _remember(self, tracked: Detections, time_s: float) -> None:
        assert tracked.tracker_id is not None
        for i, track_id in enumerate(tracked.tracker_id.tolist()):
            history = self.histories.get(track_id)
            if history is None:
                history = TrackHistory(track_id, int(tracked.class_id[i]), self._max_points)
                self.histories[track_id] = history
            x1, y1, x2, y2 = (float(v) for v in tracked.xyxy[i])
            history.points.append(TrackPoint(time_s, (x1 + x2) / 2, y2, (x1, y1, x2, y2)))
        forget_before = time_s - max(self.lost_s * 2, 5.0)
        for track_id in [t for t, h in self.histories.items() if h.last_seen_s < forget_before]:
            del self.histories[track_id]


TUNED_FPS = 5.0  # the rate the matching thresholds were tuned at (DECISIONS 10)
# Below this rate a calibrated camera's boxes are linked on the road plane, not the image
# (console/track/ground_matching.py).
GROUND_MATCHING_BELOW_FPS = 2.0


def _gap_scale(fps: float) -> float:
    return max(1.0, TUNED_FPS / fps) if fps > 0 else 1.0
