"""Rules about one vehicle at a time: wrong way, stopped, speeding, lane misuse."""

from __future__ import annotations

import math
import statistics

import numpy as np

from console.config import geometry as cfg
from console.config.site import Camera
from console.domain.geometry import PixelPolygon, to_pixels
from console.domain.records import AlertType, Event, Severity
from console.rules.area_rules import TWO_WHEELERS, is_riding
from console.rules.base import FrameContext, Rule
from console.rules.tracks import VEHICLES, Position, TrackState


def _diagonal(width: int, height: int) -> float:
    return math.hypot(width, height)


class WrongWayRule(Rule[cfg.WrongWayRule]):
    """A vehicle moving against its lane's direction for ``min_distance_m`` and ``min_duration_s``.

    Without a calibration, distance is judged in pixels: each metre counts as half a percent
    of the image diagonal (15 m -> 7.5 % of the diagonal).
    """

    alert_type = AlertType.WRONG_WAY
    PER_TRACK_STATE = ("fired",)

    def setup(self) -> None:
        lane = self.lane_config(self.config.lane)
        self.polygon = PixelPolygon.from_normalized(lane.polygon, self.width, self.height)
        direction_px = to_pixels(lane.direction, self.width, self.height)
        self.use_world = self.ground is not None
        ends = self.ground.to_world(direction_px) if self.ground is not None else direction_px
        vector = np.asarray(ends[1] - ends[0], np.float64)
        self.unit = vector / np.linalg.norm(vector)
        self.min_distance = (
            self.config.min_distance_m
            if self.use_world
            else (self.config.min_distance_m * 0.005 * _diagonal(self.width, self.height))
        )
        self.fired: set[int] = set()

    def evaluate(self, context: FrameContext) -> list[Event]:
        events = []
        for track in context.tracks:
            if track.track_id in self.fired or not self.applies_to(track):
                continue
            if not self.polygon.contains(track.last.x, track.last.y):
                continue
            if not self.big_enough(track, context):
                continue
            window = self._inside_run(track)
            if not window or track.last_seen_s - window[0].time_s < self.config.min_duration_s:
                continue
            moved = self._moved(window)
            if moved is None:
                continue
            length = float(np.linalg.norm(moved))
            along = float(np.dot(moved, self.unit))
            if (
                along <= -self.min_distance
                and length > 0
                and along / length < -0.7
                and self._steadily_against(window)
            ):
                self.fired.add(track.track_id)
                values = {
                    "distance_against_m" if self.use_world else "distance_against_px": round(
                        -along, 1
                    )
                }
                events.append(
                    self.event(
                        context,
                        started_s=window[0].time_s,
                        severity=Severity.CRITICAL,
                        track=track,
                        values=values,
                        message="vehicle driving against the lane direction",
                    )
                )
        return events

    def _moved(self, window: list[Position]) -> np.ndarray | None:
        first, last = window[0], window[-1]
        if not self.use_world:
            return np.array([last.x - first.x, last.y - first.y])
        if first.world is None or last.world is None:
            return None
        return np.subtract(last.world, first.world)

    def _inside_run(self, track: TrackState) -> list[Position]:
        """The latest positions spent in this lane without a break (edge-cut ones left out).

        A gap of more than ``max_gap_s`` unseen is a break too: a far car's id kept over
        three seconds came back on another car 50 m nearer, "against" the lane.
        """
        horizon = track.last_seen_s - max(self.config.min_duration_s, 1.0) * 3
        run: list[Position] = []
        for position in reversed(track.unbroken_since(horizon)):
            if not self.polygon.contains(position.x, position.y):
                break
            if not position.at_border:
                run.append(position)
        return run[::-1]

    def _steadily_against(self, window: list[Position]) -> bool:
        """Most steps go against the lane: not a jitter or a tracker jump between vehicles."""
        steps = 0
        against = 0
        for before, after in zip(window, window[1:], strict=False):
            if self.use_world:
                if before.world is None or after.world is None:
                    continue
                step = np.subtract(after.world, before.world)
            else:
                step = np.array([after.x - before.x, after.y - before.y])
            steps += 1
            against += float(np.dot(step, self.unit)) < 0
        return steps >= 3 and against / steps >= 0.7


class StoppedVehicleRule(Rule[cfg.StoppedVehicleRule]):
    """A vehicle standing in a zone (e.g. the emergency lane) for longer than ``dwell_s``.

    A tracker may give a parked car a new id (occlusion by a passing truck); the new id
    inherits the stop time of a lost stationary track at the same place.
    """

    alert_type = AlertType.STOPPED_VEHICLE
    PER_TRACK_STATE = ("stopped_since", "last_box", "fired")
    MOVING_MPS = 1.0

    def setup(self) -> None:
        self.polygon = self.zone_polygon(self.config.zone)
        self.moving_px_per_s = 0.01 * _diagonal(self.width, self.height)
        self.use_world = self.ground is not None
        self.stopped_since: dict[int, float] = {}
        self.last_box: dict[int, tuple[tuple[float, float, float, float], float, float]] = {}
        self.fired: set[int] = set()

    def _is_stationary(self, track: TrackState) -> bool:
        if self.use_world:
            speed = track.speed_mps(2.0)
            return speed is not None and speed < self.MOVING_MPS
        moved = track.displacement(2.0, False)
        recent = track.since(track.last_seen_s - 2.0)
        span = recent[-1].time_s - recent[0].time_s if len(recent) > 1 else 0.0
        return (
            moved is not None
            and span >= 1.0
            and float(np.linalg.norm(moved)) / span < self.moving_px_per_s
        )

    def evaluate(self, context: FrameContext) -> list[Event]:
        events = []
        now = context.time_s
        present = set()
        for track in context.tracks:
            if not self.applies_to(track) or not self.polygon.contains(track.last.x, track.last.y):
                self.stopped_since.pop(track.track_id, None)
                continue
            present.add(track.track_id)
            if not self._is_stationary(track):
                self.stopped_since.pop(track.track_id, None)
                continue
            since = self.stopped_since.get(track.track_id)
            if since is None:
                since = self._inherited_start(track, now) or track.since(now - 2.0)[0].time_s
                self.stopped_since[track.track_id] = since
            self.last_box[track.track_id] = (track.last.box, since, now)
            if now - since >= self.config.dwell_s and track.track_id not in self.fired:
                self.fired.add(track.track_id)
                events.append(
                    self.event(
                        context,
                        started_s=since,
                        severity=Severity.HIGH,
                        track=track,
                        values={"stopped_s": round(now - since, 1)},
                        message="vehicle stopped in the zone",
                    )
                )
        for track_id in [t for t, (_, _, seen) in self.last_box.items() if now - seen > 30.0]:
            del self.last_box[track_id]
        return events

    def _inherited_start(self, track: TrackState, now: float) -> float | None:
        from console.domain.geometry import box_iou

        for old_id, (box, since, seen) in list(self.last_box.items()):
            if (
                old_id != track.track_id
                and now - seen < 10.0
                and box_iou(box, track.last.box) > 0.5
            ):
                if old_id in self.fired:
                    self.fired.add(track.track_id)  # the same car: do not alert twice
                del self.last_box[old_id]
                return since
        return None


PLAUSIBLE_CLASS_SHARE = 0.2  # a class seen on a fifth of a track's frames may be the true one


class SpeedingRule(Rule[cfg.SpeedingRule]):
    """Ground speed over the class limit (+ tolerance) in consecutive measurements.

    Each measurement is a least-squares fit over the last second of ground positions; a
    fast vehicle crosses a pole camera's useful view in two or three seconds. The
    measurements over the limit must span half a window (the last fit shares less than
    half its positions with the first): fits a few frames apart share most of theirs, so
    one box that slid onto a faster car in the next lane read as a speeder three times
    within 0.4 s (ACCURACY, model run 8, seed 41001; DECISIONS 11). A whole window was
    too much: at 640x360 the scripted speeder is measurable for 0.8 s.

    Speed is only measured where the camera resolves the road finely enough: near the
    horizon one pixel of the box's bottom edge spans metres (2 m at 150 m on the demo
    highway), so the usual jitter of a detector's box would read as tens of km/h. A
    measurement counts when an error of ``BOX_JITTER_PX`` at its coarsest position would
    change the speed by at most ``MAX_JITTER_SHARE`` of the limit; farther away, the
    vehicle is judged once it comes nearer (speed cameras have a measuring zone for this).
    """

    alert_type = AlertType.SPEEDING
    PER_TRACK_STATE = ("measurements", "fired")
    CONFIRMATIONS = 2
    ONE_FIT_INTERVAL_S = 0.75  # from about 1 fps, one fit is enough (see _confirmed)
    WINDOW_S = 1.0  # at least; the measurements over the limit span half a window
    BOX_JITTER_PX = 2.0
    MAX_JITTER_SHARE = 0.1

    def setup(self) -> None:
        self.polygon = self.zone_polygon(self.config.zone) if self.config.zone else None
        # per track: (time, km/h) of the measurements over the limit since the last one under
        self.measurements: dict[int, list[tuple[float, float]]] = {}
        self.fired: set[int] = set()

    def evaluate(self, context: FrameContext) -> list[Event]:
        events = []
        for track in context.tracks:
            limit = self._limit_for(track)
            if limit is None or track.track_id in self.fired or not self.applies_to(track):
                continue
            if self.polygon is not None and not self.polygon.contains(track.last.x, track.last.y):
                continue
            if not self.big_enough(track, context):
                continue
            window_s = self._window_s(track)
            speed = track.speed_mps(window_s)
            if speed is None or not self._resolved_finely(track, limit, window_s):
                continue
            kmh = speed * 3.6
            over = self.measurements.setdefault(track.track_id, [])
            if kmh <= limit + self.config.tolerance_kmh:
                over.clear()
                continue
            over.append((track.last_seen_s, kmh))
            if self._confirmed(over, track, window_s):
                self.fired.add(track.track_id)
                measured = statistics.median(kmh for _, kmh in over)
                severity = Severity.HIGH if measured > limit * 1.5 else Severity.MEDIUM
                events.append(
                    self.event(
                        context,
                        started_s=track.since(track.last_seen_s - 1.5)[0].time_s,
                        severity=severity,
                        track=track,
                        values={"speed_kmh": round(measured, 1), "limit_kmh": limit},
                        message=f"{measured:.0f} km/h where {limit:.0f} km/h is allowed",
                    )
                )
        return events

    def _confirmed(
        self, over: list[tuple[float, float]], track: TrackState, window_s: float
    ) -> bool:
        """Enough measurements over the limit to alert.

        At a second or more between frames, one fit is the evidence: its three positions
        span two seconds, as two fits do at 5 fps, and a fit through positions off a
        straight, steady line gives no speed (TrackState.speed_mps). A speeder is near
        enough to measure for about three frames at 1 fps: a second fit never comes. Every
        position of that fit must then be near enough to judge, not only the last: far
        away the boxes of a dense stream are too small to tell apart by colour, and a track
        that moved on to the vehicle ahead there read 90-140 km/h on motorbikes in slow
        traffic (tuning seed 50005).
        """
        if track.sample_interval_s() >= self.ONE_FIT_INTERVAL_S:
            floor = self.config.min_box_height * self.height
            return all(p.box[3] - p.box[1] >= floor for p in track.speed_positions(window_s))
        return len(over) >= self.CONFIRMATIONS and over[-1][0] - over[0][0] >= window_s / 2

    def _window_s(self, track: TrackState) -> float:
        """The fit's window: one second, or three positions when analysed less often.

        At 1 fps a second holds two positions, no line to check a fit against.
        """
        return max(self.WINDOW_S, 2.0 * track.sample_interval_s())

    def _resolved_finely(self, track: TrackState, limit_kmh: float, window_s: float) -> bool:
        """Box jitter at the window's coarsest position moves the speed by little enough.

        Over the positions the speed was fitted through and the time they really span: a
        young track's fit, or one whose first positions were cut by the image edge, covers
        less than the window, and the same jitter then reads as a larger speed.
        """
        if self.ground is None:
            return False
        window = track.speed_positions(window_s)
        span_s = window[-1].time_s - window[0].time_s if window else 0.0
        if span_s <= 0.0:
            return False
        points = np.array([(p.x, p.y + dy) for p in window for dy in (0.0, 1.0)], np.float64)
        world = self.ground.to_world(points)
        metres_per_px = np.linalg.norm(world[1::2] - world[0::2], axis=1)
        speed_error_mps = float(metres_per_px.max()) * self.BOX_JITTER_PX / span_s
        return speed_error_mps <= self.MAX_JITTER_SHARE * limit_kmh / 3.6

    def _limit_for(self, track: TrackState) -> float | None:
        """The class limit; when the detector wavers (car or truck?), the more lenient one."""
        limits: dict[str, float] = {str(name): v for name, v in self.config.limit_kmh.items()}
        if track.class_name not in limits:
            return None
        total = sum(track.class_votes.values())
        plausible = [
            limits[name]
            for name, votes in track.class_votes.items()
            if name in limits and votes >= PLAUSIBLE_CLASS_SHARE * total
        ]
        return max(plausible, default=limits[track.class_name])


class LaneViolationRule(Rule[cfg.LaneViolationRule]):
    """A vehicle class not allowed in the lane, or a crossing of the lane's solid border."""

    alert_type = AlertType.LANE_VIOLATION
    PER_TRACK_STATE = ("inside_since", "riders", "fired")
    # A two-wheeler is big enough to judge its class for about two seconds near the
    # camera. At 1 fps only the road-plane linking (console/track/ground_matching.py, a
    # calibrated camera) keeps those two frames on one track; on the image it needs 2 fps.
    UNCALIBRATED_MIN_RATE_FPS = 2.0
    MIN_INSIDE_S = 1.0
    MIN_STANDING_S = 3.0
    # A class violation needs a class the detector is sure of over the track's life: two
    # motorbikes side by side, or one seen from behind, are sometimes boxed as one "car".
    # Judged in time, not frames, so that it holds at any analysis rate: at 5 fps this is
    # the five frames it was tuned as; at 2 fps a motorbike is big enough to judge for
    # about a second near the camera, three frames.
    MIN_CLASS_FRAMES = 3
    MIN_CLASS_SPAN_S = 0.8
    MIN_CLASS_SHARE = 0.8
    SURE_CONFIDENCE = 0.65  # a frame's class counts when the detector was at least this sure
    # ... and its box at least this share of the image height (36 px at 720p): a car and two
    # motorbikes abreast at night are both a pair of lights in a 20-30 px box.
    MIN_CLASS_BOX_HEIGHT = 0.05

    def setup(self) -> None:
        self.lane = self.lane_config(self.config.lane)
        self.polygon = PixelPolygon.from_normalized(self.lane.polygon, self.width, self.height)
        ends = to_pixels(self.lane.direction, self.width, self.height)
        self.axis_origin = ends[0]
        self.axis = (ends[1] - ends[0]) / float(np.linalg.norm(ends[1] - ends[0]))
        projections = [float(np.dot(p - ends[0], self.axis)) for p in self.polygon.points]
        self.axis_range = (min(projections), max(projections))
        self.inside_since: dict[int, float] = {}
        # per two-wheeler track: time -> (top of its rider's box, the rider's confidence)
        self.riders: dict[int, dict[float, tuple[float, float]]] = {}
        self.fired: set[int] = set()

    @classmethod
    def min_rate_fps(cls, camera: Camera) -> float:
        return cls.MIN_RATE_FPS if camera.calibration is not None else cls.UNCALIBRATED_MIN_RATE_FPS

    def applies_to(self, track: TrackState) -> bool:
        return track.class_name in VEHICLES and track.class_name in self.config.classes

    def evaluate(self, context: FrameContext) -> list[Event]:
        events = []
        for track in context.tracks:
            if track.track_id in self.fired or not self.applies_to(track):
                continue
            self._note_rider(track, context)
            # Far away a lane is a few pixels wide and a box's foot jitters across it; and a
            # far group of motorbikes is boxed as one "car". Neither can be judged there.
            if not self.big_enough(track, context):
                continue
            inside = self.polygon.contains(track.last.x, track.last.y)
            since = self.inside_since.get(track.track_id)
            if inside:
                since = since if since is not None else self._inside_from(track, context)
                self.inside_since[track.track_id] = since
                if (
                    self._surely_not_allowed(track, context)
                    and track.last.time_s - since >= self.MIN_INSIDE_S
                ):
                    self.fired.add(track.track_id)
                    events.append(
                        self.event(
                            context,
                            started_s=since,
                            severity=Severity.LOW,
                            track=track,
                            values={"lane": self.lane.id, "class": track.class_name},
                            message=f"{track.class_name} in a lane for "
                            + ", ".join(self.lane.allowed_classes),
                        )
                    )
            elif since is not None:
                del self.inside_since[track.track_id]
                if (
                    self.lane.solid_borders
                    and track.last.time_s - since >= 0.5
                    and self._left_through_side(track.last.x, track.last.y)
                ):
                    self.fired.add(track.track_id)
                    events.append(
                        self.event(
                            context,
                            started_s=track.last.time_s,
                            severity=Severity.LOW,
                            track=track,
                            values={"lane": self.lane.id, "crossed": "solid line"},
                            message="vehicle crossed a solid lane line",
                        )
                    )
        return events

    def _inside_from(self, track: TrackState, context: FrameContext) -> float:
        """When the track's latest unbroken run in the lane, near enough to judge, began.

        From its positions, not from the first frame this rule judged it: the tracker
        hands a new track's first sighting over with its second, and at 1 fps that first
        sighting is a second of a motorbike's two near the camera (tuning seed 50507).
        """
        floor = self.config.min_box_height * context.height
        since = track.last.time_s
        for position in reversed(track.positions):
            x1, y1, x2, y2 = position.box
            near = not position.at_border and y2 - y1 >= floor
            if not (near and self.polygon.contains(position.x, position.y)):
                break
            since = position.time_s
        return since

    def _note_rider(self, track: TrackState, context: FrameContext) -> None:
        """Remember the person riding a two-wheeler track in this frame, if one is seen.

        A rider is part of the road user: a motorbike is boxed without its rider (two
        thirds of the height), and the rider is often the surer detection of the two.
        """
        if track.class_name not in TWO_WHEELERS:
            return
        detections = context.all_detections
        bike = [np.asarray(track.last.box)]
        riders = [
            (float(detections.xyxy[i][1]), float(detections.confidence[i]))
            for i in range(len(detections))
            if detections.class_name(i) == "person"
            and is_riding(tuple(float(v) for v in detections.xyxy[i]), bike)  # type: ignore[arg-type]
        ]
        if riders:
            top, confidence = min(riders)  # the tallest rider box on it
            self.riders.setdefault(track.track_id, {})[track.last.time_s] = (top, confidence)

    def _surely_not_allowed(self, track: TrackState, context: FrameContext) -> bool:
        """The detector is sure of a class the lane forbids, seen where it could judge.

        Only frames where the road user was big enough and the detector sure count: far
        away, and at night where two motorbikes side by side show a car's pair of
        headlights, a group of riders is boxed as one "car", mostly at a confidence below
        0.65 (DECISIONS 11). A two-wheeler's extent and sureness include its rider's.
        """
        allowed = {str(name) for name in self.lane.allowed_classes}
        if track.class_name in allowed:  # the common case: no need to look at the history
            return False
        floor = max(self.config.min_box_height, self.MIN_CLASS_BOX_HEIGHT) * context.height
        riders = self.riders.get(track.track_id, {})
        judged = []
        for p in track.positions:
            top, confidence = p.box[1], p.confidence
            if (rider := riders.get(p.time_s)) is not None:
                top, confidence = min(top, rider[0]), max(confidence, rider[1])
            if not p.at_border and p.box[3] - top >= floor and confidence >= self.SURE_CONFIDENCE:
                judged.append(p)
        if len(judged) < self._min_class_frames(track):
            return False
        if judged[-1].time_s - judged[0].time_s < self.MIN_CLASS_SPAN_S - 1e-6:
            return False
        forbidden = sum(p.class_name not in allowed for p in judged)
        return forbidden >= self.MIN_CLASS_SHARE * len(judged)

    def _min_class_frames(self, track: TrackState) -> int:
        """MIN_CLASS_FRAMES, or fewer when frames come so seldom that fewer span the time.

        At 1 fps two frames span the MIN_CLASS_SPAN_S that three do at 5 fps; a motorbike
        is big enough to judge for about two frames near the camera (tuning seed 50007).
        """
        interval = track.sample_interval_s()
        if interval <= 0.0:
            return self.MIN_CLASS_FRAMES
        return min(self.MIN_CLASS_FRAMES, 1 + math.ceil(self.MIN_CLASS_SPAN_S / interval - 1e-6))

    def _travels_along(self, track: TrackState, inside_s: float) -> bool:
        """Moving along the lane (either way), or standing in it for a while.

        Crossing traffic at a junction passes through the lane without using it.
        """
        moved = track.displacement(1.0, False)
        if moved is None:
            return False
        length = float(np.linalg.norm(moved))
        if length < 4.0:  # standing still: in the lane if it stays there
            return inside_s >= self.MIN_STANDING_S
        return abs(float(np.dot(moved, self.axis))) / length >= 0.7

    def _left_through_side(self, x: float, y: float) -> bool:
        along = float(np.dot(np.array([x, y]) - self.axis_origin, self.axis))
        low, high = self.axis_range
        margin = 0.1 * (high - low)
        return low + margin < along < high - margin
