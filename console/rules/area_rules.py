"""Rules about places: pedestrians on the carriageway, congestion, counts, the camera view."""

from __future__ import annotations

from collections import deque
from collections.abc import Collection
from dataclasses import dataclass

import cv2
import numpy as np

from console.config import geometry as cfg
from console.config.site import Camera
from console.domain.geometry import DirectedLine
from console.domain.records import AlertType, Event, Severity
from console.rules.base import FrameContext, Rule
from console.rules.tracks import VEHICLES, TrackState

TWO_WHEELERS = frozenset({"motorcycle", "bicycle"})


def is_riding(
    person_box: tuple[float, float, float, float], vehicle_boxes: list[np.ndarray]
) -> bool:
    """A person whose feet are on a two-wheeler's box is its rider, not a pedestrian."""
    x1, y1, x2, y2 = person_box
    feet_x, feet_y = (x1 + x2) / 2, y2
    height = y2 - y1
    for bx1, by1, bx2, by2 in vehicle_boxes:
        if bx1 <= feet_x <= bx2 and by1 - 0.1 * height <= feet_y <= by2 + 0.25 * height:
            return True
    return False


def feet_hidden(person_box: tuple[float, float, float, float], other_boxes: np.ndarray) -> bool:
    """The person's feet are behind a nearer road user: where they stand is not seen.

    In a queue of motorbikes a rider's own bike may be wholly hidden by the one in front,
    so only a head and shoulders show above it; such a "person" may be sitting on a bike.
    """
    x1, y1, x2, y2 = person_box
    height = y2 - y1
    centre, quarter = (x1 + x2) / 2, (x2 - x1) / 4
    for bx1, by1, bx2, by2 in other_boxes:
        nearer = by2 > y2 + 0.05 * height and by1 < y2  # lower in the image, over the feet
        overlaps = bx1 < centre + quarter and bx2 > centre - quarter
        itself = abs(by1 - y1) < 0.1 * height and abs(by2 - y2) < 0.1 * height
        if nearer and overlaps and not itself:
            return True
    return False


# Nobody walks faster than this on a carriageway; a "person" covering ground faster rides.
RIDING_MPS = 3.5


class PedestrianRule(Rule[cfg.PedestrianRule]):
    alert_type = AlertType.PEDESTRIAN
    PER_TRACK_STATE = ("inside_since", "frames", "sightings", "fired")
    # Detections of the person on the carriageway, feet in view, before an alert: at night
    # a headlight's glare is now and then boxed as a "person", twice in three seconds, and
    # in a queue a rider may show only above the motorbike in front (DECISIONS 11).
    MIN_SIGHTINGS = 5

    def setup(self) -> None:
        self.polygon = self.zone_polygon(self.config.zone)
        self.inside_since: dict[int, float] = {}
        self.frames: dict[int, list[bool]] = {}  # per track: riding or not, frame by frame
        self.sightings: dict[int, int] = {}  # per track: frames on the road with feet seen
        self.fired: set[int] = set()

    def evaluate(self, context: FrameContext) -> list[Event]:
        detections = context.all_detections  # a rider's bike may be a track not yet confirmed
        bikes = [
            detections.xyxy[i]
            for i in range(len(detections))
            if detections.class_name(i) in TWO_WHEELERS
        ]
        events = []
        for track in context.tracks:
            if track.class_name != "person" or track.track_id in self.fired:
                continue
            if not self.big_enough(track, context):
                continue
            riding = self.frames.setdefault(track.track_id, [])
            # Nobody walks at 13 km/h (RIDING_MPS): a fast 'person' is a rider whose bike box
            # was missed.
            # At night a rider's box jitters too much for a steady speed fit; the ground
            # covered in those 2 s tells the same.
            speed = track.speed_mps(2.0)
            if speed is None and (moved := track.displacement(2.0, use_world=True)) is not None:
                speed = float(np.hypot(*moved)) / 2.0
            # A box hopping from rider to rider along a stream of far motorbikes nets
            # nothing and fits no line, but it steps at riding speed from frame to frame.
            stepping = track.median_step_speed(2.0)
            riding.append(
                is_riding(track.last.box, bikes)
                or any(v is not None and v > RIDING_MPS for v in (speed, stepping))
            )
            if not self.polygon.contains(track.last.x, track.last.y):
                self.inside_since.pop(track.track_id, None)
                self.sightings.pop(track.track_id, None)
                continue
            if track.resumed_after_gap:
                # Unseen for over a second: the box now may well be someone else's (far
                # riders in a stream, each boxed now and then). The time on the road and
                # the sightings start again.
                self.inside_since.pop(track.track_id, None)
                self.sightings.pop(track.track_id, None)
            since = self.inside_since.setdefault(track.track_id, track.last.time_s)
            if not feet_hidden(track.last.box, detections.xyxy):
                self.sightings[track.track_id] = self.sightings.get(track.track_id, 0) + 1
            if track.last.time_s - since < self.config.min_duration_s:
                continue
            if self.sightings.get(track.track_id, 0) < self.MIN_SIGHTINGS:
                continue  # hardly seen, or never with the feet on the road: not sure
            if riding[-1] or sum(riding) / len(riding) >= 0.3:
                continue  # riding now, or a rider who sometimes separates from the bike box
            self.fired.add(track.track_id)
            events.append(
                self.event(
                    context,
                    started_s=since,
                    severity=Severity.HIGH,
                    track=track,
                    values={"on_road_s": round(track.last.time_s - since, 1)},
                    message="pedestrian on the carriageway",
                )
            )
        return events


class CongestionRule(Rule[cfg.CongestionRule]):
    """Mean occupancy over ``window_s`` above the threshold and mean speed below it."""

    alert_type = AlertType.CONGESTION
    MASK_SCALE = 0.25

    def setup(self) -> None:
        self.polygon = self.zone_polygon(self.config.zone)
        self.zone_mask = self.polygon.mask(self.width, self.height, self.MASK_SCALE).astype(bool)
        self.zone_pixels = max(1, int(self.zone_mask.sum()))
        self.use_speed = self.ground is not None
        self.samples: deque[tuple[float, float, float | None]] = deque()
        self.congested = False
        self.started_s = 0.0

    def occupancy(self, context: FrameContext) -> float:
        covered = np.zeros_like(self.zone_mask, dtype=np.uint8)
        detections = context.detections
        for i in range(len(detections)):
            if detections.class_name(i) not in VEHICLES:
                continue
            x1, y1, x2, y2 = (detections.xyxy[i] * self.MASK_SCALE).tolist()
            # the lower half of a box is the road it covers; the upper half is the vehicle body
            cv2.rectangle(covered, (int(x1), int((y1 + y2) / 2)), (int(x2), int(y2)), 1, -1)
        return float(np.count_nonzero(covered.astype(bool) & self.zone_mask)) / self.zone_pixels

    def evaluate(self, context: FrameContext) -> list[Event]:
        occupancy = self.occupancy(context)
        speeds = [
            s
            for t in context.tracks
            if t.class_name in VEHICLES
            and self.polygon.contains(t.last.x, t.last.y)
            and (s := t.speed_mps(2.0)) is not None
        ]
        mean_speed = float(np.mean(speeds)) * 3.6 if speeds else None
        now = context.time_s
        self.samples.append((now, occupancy, mean_speed))
        while self.samples and now - self.samples[0][0] > self.config.window_s:
            self.samples.popleft()
        if now - self.samples[0][0] < self.config.window_s * 0.8:
            return []
        mean_occupancy = float(np.mean([s[1] for s in self.samples]))
        window_speeds = [s[2] for s in self.samples if s[2] is not None]
        window_speed = float(np.mean(window_speeds)) if window_speeds else None
        slow = not self.use_speed or (
            window_speed is not None and window_speed <= self.config.mean_speed_kmh
        )
        if not self.congested and mean_occupancy >= self.config.occupancy and slow:
            self.congested = True
            values: dict[str, float | int | str | bool] = {"occupancy": round(mean_occupancy, 2)}
            if window_speed is not None:
                values["mean_speed_kmh"] = round(window_speed, 1)
            return [
                self.event(
                    context,
                    started_s=self.samples[0][0],
                    severity=Severity.MEDIUM,
                    values=values,
                    message="traffic congestion building up",
                )
            ]
        if self.congested and mean_occupancy < self.config.occupancy * 0.5:
            self.congested = False  # re-armed: a new jam later is a new alert
        return []


@dataclass(frozen=True, slots=True)
class CountRecord:
    camera_id: str
    line_id: str
    class_name: str
    direction: str  # forward | backward
    time_s: float


class LineCounter:
    """Counts tracks crossing a directed line, per class and direction (not an alert)."""

    def __init__(self, config: cfg.LineCountRule, camera: Camera, width: int, height: int) -> None:
        self.config = config
        self.camera = camera
        line = next(item for item in camera.lines if item.id == config.line)
        self.line = DirectedLine.from_normalized(line.points, width, height)
        self.counted: set[tuple[int, int]] = set()

    def forget(self, track_ids: Collection[int]) -> None:
        for track_id in track_ids:
            for direction in (1, -1):  # what DirectedLine.crossing returns for a crossing
                self.counted.discard((track_id, direction))

    def update(self, tracks: list[TrackState]) -> list[CountRecord]:
        records = []
        for track in tracks:
            if len(track.positions) < 2 or track.class_name not in self.config.classes:
                continue
            before, now = track.positions[-2], track.positions[-1]
            direction = self.line.crossing((before.x, before.y), (now.x, now.y))
            if direction and (track.track_id, direction) not in self.counted:
                self.counted.add((track.track_id, direction))
                records.append(
                    CountRecord(
                        self.camera.id,
                        self.config.line,
                        track.class_name,
                        "forward" if direction > 0 else "backward",
                        now.time_s,
                    )
                )
        return records


class CameraViewRule(Rule[cfg.CameraHealthRule]):
    """The view is blocked or the camera was turned: most of a small grey frame changed."""

    alert_type = AlertType.CAMERA_HEALTH
    HOLD_S = 3.0

    def setup(self) -> None:
        self.reference: np.ndarray | None = None
        self.changed_since: float | None = None
        self.alerted = False

    def evaluate(self, context: FrameContext) -> list[Event]:
        if context.image is None:
            return []
        small = cv2.cvtColor(
            cv2.resize(context.image, (64, 36), interpolation=cv2.INTER_AREA), cv2.COLOR_BGR2GRAY
        ).astype(np.float32)
        if self.reference is None:
            self.reference = small
            return []
        changed = float(np.mean(np.abs(small - self.reference) > 40))
        now = context.time_s
        if changed >= self.config.scene_change:
            self.changed_since = self.changed_since or now
            if not self.alerted and now - self.changed_since >= self.HOLD_S:
                self.alerted = True
                return [
                    self.event(
                        context,
                        started_s=self.changed_since,
                        severity=Severity.HIGH,
                        values={"changed_fraction": round(changed, 2)},
                        message="camera view blocked or moved",
                    )
                ]
        else:
            self.changed_since = None
            self.alerted = False
            cv2.accumulateWeighted(small, self.reference, 0.02)  # follows day/night slowly
        return []
