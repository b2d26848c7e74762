"""What rules know about each track: positions on the image and on the road, over time."""

from __future__ import annotations

from collections import Counter, deque
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from console.detect.detections import Detections
from console.domain.geometry import GroundPlane

VEHICLES = frozenset({"car", "motorcycle", "bus", "truck", "bicycle"})
# How far ground positions may scatter around the fitted line and still give a speed.
SPEED_FIT_TOLERANCE_M = 0.75
SPEED_FIT_TOLERANCE_SHARE = 0.1
# Faster than this sideways between two frames (beyond the fit tolerance) is no vehicle.
MAX_SIDEWAYS_MPS = 4.0
# A track unseen for longer than this and then seen again is not one continuous
# observation: the tracker may have given its id to another road user in between. When the
# camera is analysed less often, it is this many analysis periods instead (at 1 fps one
# missed frame is a 2 s gap, and every gap is at least a second).
MAX_GAP_S = 1.0
MAX_GAP_PERIODS = 2.5


@dataclass(frozen=True, slots=True)
class Position:
    time_s: float
    x: float  # bottom-centre, pixels
    y: float
    world: tuple[float, float] | None  # metres on the road, when calibrated
    box: tuple[float, float, float, float]
    # Cut by the image edge: the bottom-centre is then not where the vehicle touches the
    # road, and it slides as the vehicle leaves; such positions must not count as motion.
    at_border: bool = False
    class_name: str = ""  # as detected in this frame
    confidence: float = 1.0  # the detector's, for that class


@dataclass
class TrackState:
    track_id: int
    positions: deque[Position] = field(default_factory=lambda: deque(maxlen=400))
    class_votes: Counter[str] = field(default_factory=Counter)
    first_seen_s: float = 0.0
    last_seen_s: float = 0.0
    max_gap_s: float = MAX_GAP_S  # set by the TrackBook from the camera's analysis period
    # Rules ask for the majority class and the speed of every track on every frame: both are
    # kept up to date by record() rather than recomputed (they were most of a frame's cost).
    _majority: str = "unknown"
    _speeds: dict[float, tuple[float, float | None]] = field(default_factory=dict)

    def record(self, position: Position) -> None:
        """Add this frame's position (with its detected class)."""
        self.positions.append(position)
        self.last_seen_s = position.time_s
        class_name = position.class_name
        votes = self.class_votes
        votes[class_name] += 1
        leader = self._majority
        if leader not in votes or votes[class_name] > votes[leader]:
            self._majority = class_name
        elif votes[class_name] == votes[leader] and class_name != leader:
            order = list(votes)  # on a tie the class seen first wins, as Counter.most_common
            self._majority = min(class_name, leader, key=order.index)

    def record_earlier(self, position: Position) -> None:
        """Add a position from before every recorded one (a track's first sighting)."""
        self.positions.appendleft(position)
        self.first_seen_s = min(self.first_seen_s, position.time_s)
        self.class_votes[position.class_name] += 1
        self._majority = max(self.class_votes, key=self.class_votes.__getitem__)  # first of ties
        self._speeds.clear()

    @property
    def class_name(self) -> str:
        """Majority class: detectors flip between car and truck from frame to frame."""
        return self._majority

    @property
    def last(self) -> Position:
        return self.positions[-1]

    def since(self, time_s: float) -> list[Position]:
        """Positions at or after ``time_s``, oldest first (positions are in time order)."""
        recent = []
        for position in reversed(self.positions):
            if position.time_s < time_s:
                break
            recent.append(position)
        recent.reverse()
        return recent

    def unbroken_since(self, time_s: float) -> list[Position]:
        """Like :meth:`since`, but only back to the latest gap of over ``max_gap_s`` unseen."""
        recent = []
        later_s = self.last_seen_s
        for position in reversed(self.positions):
            if position.time_s < time_s or later_s - position.time_s > self.max_gap_s:
                break
            recent.append(position)
            later_s = position.time_s
        recent.reverse()
        return recent

    @property
    def resumed_after_gap(self) -> bool:
        """Seen in this frame after more than ``max_gap_s`` unseen."""
        positions = self.positions
        return len(positions) >= 2 and positions[-1].time_s - positions[-2].time_s > self.max_gap_s

    def sample_interval_s(self, last: int = 5) -> float:
        """The usual time between this track's recent positions (the analysis period)."""
        times = [p.time_s for p in list(self.positions)[-last:]]
        if len(times) < 2:
            return 0.0
        return float(np.median(np.diff(times)))

    def speed_mps(self, window_s: float = 1.5) -> float | None:
        """Ground speed by a least-squares line through the last ``window_s`` of positions."""
        cached = self._speeds.get(window_s)
        if cached is not None and cached[0] == self.last_seen_s:
            return cached[1]
        speed = self._fit_speed(window_s)
        self._speeds[window_s] = (self.last_seen_s, speed)
        return speed

    def speed_positions(self, window_s: float) -> list[Position]:
        """The positions a speed over ``window_s`` is fitted through.

        On the ground plane and not cut by the image edge (a cut box's bottom edge is not
        where the vehicle touches the road).
        """
        return [
            p
            for p in self.since(self.last_seen_s - window_s)
            if p.world is not None and not p.at_border
        ]

    def _fit_speed(self, window_s: float) -> float | None:
        recent = self.speed_positions(window_s)
        if len(recent) < 3 or recent[-1].time_s - recent[0].time_s < window_s * 0.5:
            return None
        times = np.array([p.time_s for p in recent]) - recent[0].time_s
        world = np.array([p.world for p in recent])
        # The least-squares line of each coordinate over time, in closed form
        centred = times - times.mean()
        slope = centred @ (world - world.mean(axis=0)) / float(centred @ centred)
        speed = float(np.hypot(slope[0], slope[1]))
        # Positions far off a straight, steady line are not one vehicle driving: a box that
        # jumped to a neighbour, or two motorbikes boxed as one and then apart. No speed then.
        residual = world - world.mean(axis=0) - np.outer(centred, slope)
        rms = float(np.sqrt(np.mean(np.sum(residual**2, axis=1))))
        travelled = speed * float(times[-1])
        if rms > max(SPEED_FIT_TOLERANCE_M, SPEED_FIT_TOLERANCE_SHARE * travelled):
            return None
        # Along the road a fast vehicle's positions scatter with its speed (a pixel of box
        # jitter spans metres far away), but sideways a vehicle stays on a smooth path. A
        # box that jumps to the vehicle ahead in the next lane moves a lane's width sideways
        # in one frame: a fit through both read 125 km/h on a 90 km/h car (ACCURACY, run 7).
        if speed > 0.0:
            sideways = np.abs(np.diff(world, axis=0) @ np.array([-slope[1], slope[0]]) / speed)
            allowed = SPEED_FIT_TOLERANCE_M + MAX_SIDEWAYS_MPS * np.diff(times)
            if bool(np.any(sideways > allowed)):
                return None
        return speed

    def median_step_speed(self, window_s: float, step_s: float = 0.4) -> float | None:
        """Median ground speed over steps of ``step_s`` within the last ``window_s``.

        Needs no straight, steady path, unlike :meth:`speed_mps`: a box that hops from one
        rider to the next along a stream of motorbikes has no line to fit and nets little
        displacement, yet most of its steps cover riding distance. Steps of two frames or
        more (not one) and the median keep a jittery box, whose bottom edge moves half a
        metre from frame to frame 70 m away, at walking speed.
        """
        points = [(p.time_s, p.world) for p in self.speed_positions(window_s) if p.world]
        steps = []
        end = 0
        for start, (time_s, (x, y)) in enumerate(points):
            end = max(end, start + 1)
            while end < len(points) and points[end][0] - time_s < step_s - 1e-6:
                end += 1
            if end == len(points):
                break
            end_s, (end_x, end_y) = points[end]
            steps.append(float(np.hypot(end_x - x, end_y - y)) / (end_s - time_s))
        return float(np.median(steps)) if len(steps) >= 3 else None

    def displacement(self, window_s: float, use_world: bool) -> np.ndarray | None:
        """Net movement over the last ``window_s`` (metres if ``use_world`` else pixels)."""
        recent = [p for p in self.since(self.last_seen_s - window_s) if not p.at_border]
        if len(recent) < 2:
            return None
        if use_world:
            if recent[0].world is None or recent[-1].world is None:
                return None
            return np.subtract(recent[-1].world, recent[0].world)
        return np.array([recent[-1].x - recent[0].x, recent[-1].y - recent[0].y])


class TrackBook:
    """Keeps :class:`TrackState` for the tracks of one camera; forgets stale ones."""

    def __init__(self, ground: GroundPlane | None, forget_after_s: float = 10.0) -> None:
        self.ground = ground
        self.forget_after_s = forget_after_s
        self.tracks: dict[int, TrackState] = {}
        self.forgotten: list[int] = []
        self.period_s = 0.0  # the camera's analysis period, as its frames arrive
        self._intervals: deque[float] = deque(maxlen=9)
        self._last_frame_s: float | None = None

    def update(
        self,
        detections: Detections,
        time_s: float,
        width: int = 0,
        height: int = 0,
        first_sightings: Sequence[tuple[float, Detections]] = (),
    ) -> list[TrackState]:
        """Record this frame's tracked boxes; returns the tracks seen in this frame.

        ``first_sightings``: where tracks confirmed in this frame were first seen (one frame
        earlier); each new track starts with that position.
        """
        self._note_frame(time_s)
        if detections.tracker_id is None or len(detections) == 0:
            self._forget(time_s)
            return []
        seen: list[TrackState] = []
        max_gap_s = max(MAX_GAP_S, MAX_GAP_PERIODS * self.period_s)
        for track_id, position in self._positions(detections, time_s, width, height):
            state = self.tracks.get(track_id)
            if state is None:
                state = TrackState(track_id, first_seen_s=time_s)
                self.tracks[track_id] = state
            state.max_gap_s = max_gap_s
            state.record(position)
            seen.append(state)
        for sighting_s, sighting in first_sightings:
            for track_id, position in self._positions(sighting, sighting_s, width, height):
                state = self.tracks.get(track_id)
                if state is not None and len(state.positions) == 1:
                    state.record_earlier(position)
        self._forget(time_s)
        return seen

    def _note_frame(self, time_s: float) -> None:
        """Keep the camera's analysis period: the median of its recent frame intervals."""
        if self._last_frame_s is not None and time_s > self._last_frame_s:
            self._intervals.append(time_s - self._last_frame_s)
            self.period_s = float(np.median(self._intervals))
        self._last_frame_s = time_s

    def _positions(
        self, detections: Detections, time_s: float, width: int, height: int
    ) -> list[tuple[int, Position]]:
        assert detections.tracker_id is not None
        bottoms = detections.centers_bottom
        worlds = self.ground.to_world(bottoms) if self.ground is not None else None
        positions = []
        for i, track_id in enumerate(detections.tracker_id.tolist()):
            x1, y1, x2, y2 = (float(v) for v in detections.xyxy[i])
            world = (float(worlds[i][0]), float(worlds[i][1])) if worlds is not None else None
            positions.append(
                (
                    int(track_id),
                    Position(
                        time_s,
                        float(bottoms[i][0]),
                        float(bottoms[i][1]),
                        world,
                        (x1, y1, x2, y2),
                        _touches_border(x1, x2, y2, width, height),
                        detections.class_name(i),
                        float(detections.confidence[i]),
                    ),
                )
            )
        return positions

    def _forget(self, time_s: float) -> None:
        stale = [t for t, s in self.tracks.items() if time_s - s.last_seen_s > self.forget_after_s]
        for track_id in stale:
            del self.tracks[track_id]
        self.forgotten.extend(stale)

    def take_forgotten(self) -> list[int]:
        """Ids of the tracks forgotten since the last call (rules drop their state for them)."""
        gone, self.forgotten = self.forgotten, []
        return gone


BORDER_PX = 2.0


def _touches_border(x1: float, x2: float, y2: float, width: int, height: int) -> bool:
    if not width or not height:
        return False
    return x1 <= BORDER_PX or x2 >= width - BORDER_PX or y2 >= height - BORDER_PX
