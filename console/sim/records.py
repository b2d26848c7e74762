"""Typed records the simulator hands out: its configuration, frames and ground truth."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path

import numpy as np

SCENES = ("highway", "intersection")


class Lighting(StrEnum):
    DAY = "day"
    DUSK = "dusk"
    NIGHT = "night"


class SignalState(StrEnum):
    GREEN = "green"
    AMBER = "amber"
    RED = "red"


class IncidentType(StrEnum):
    WRONG_WAY = "wrong_way"
    STOPPED_VEHICLE = "stopped_vehicle"
    SPEEDING = "speeding"
    RED_LIGHT = "red_light"
    CONGESTION = "congestion"
    PEDESTRIAN_ON_ROAD = "pedestrian_on_road"
    LANE_VIOLATION = "lane_violation"


@dataclass(frozen=True, slots=True)
class SimConfig:
    """What to simulate. Every field has a demo-friendly default.

    Attributes:
        scene: ``highway`` or ``intersection``.
        seed: Seeds every random choice; the same config gives bit-identical frames.
        width: Frame width in pixels.
        height: Frame height in pixels.
        fps: Frames per second; frame ``i`` is at ``i / fps`` seconds.
        lighting: Day, dusk or night.
        rain: Rain strength 0..1 (streaks, darker wet road, sensor noise).
        noise: Extra sensor noise 0..1 on top of what rain and night add.
        shake: Camera shake 0..1 (0 = rock steady, 1 = about 4 px at 720p).
        jpeg_quality: Re-encode each frame as JPEG at this quality (1..100), or None.
        scenario: Path of a scenario YAML with scripted incidents, or None.
        traffic_density: Multiplies the spawn rates of normal traffic (1.0 = typical).
        bicycle_share: Multiplies the share of bicycles among new two-wheelers (1.0 =
            typical, a few percent); training data raises it for the rarest class.
    """

    scene: str = "highway"
    seed: int = 0
    width: int = 1280
    height: int = 720
    fps: float = 25.0
    lighting: Lighting = Lighting.DAY
    rain: float = 0.0
    noise: float = 0.0
    shake: float = 0.0
    jpeg_quality: int | None = None
    scenario: Path | None = None
    traffic_density: float = 1.0
    bicycle_share: float = 1.0

    def __post_init__(self) -> None:
        if self.scene not in SCENES:
            raise ValueError(f"unknown scene {self.scene!r}; expected one of {', '.join(SCENES)}")
        if self.seed < 0:
            raise ValueError(f"seed must be >= 0, got {self.seed}")
        if not (64 <= self.width <= 7680 and 48 <= self.height <= 4320):
            raise ValueError(f"frame size {self.width}x{self.height} is outside 64x48..7680x4320")
        if not 1.0 <= self.fps <= 120.0:
            raise ValueError(f"fps must be within 1..120, got {self.fps}")
        for name in ("rain", "noise", "shake"):
            value = getattr(self, name)
            if not 0.0 <= value <= 1.0:
                raise ValueError(f"{name} must be within 0..1, got {value}")
        if self.jpeg_quality is not None and not 1 <= self.jpeg_quality <= 100:
            raise ValueError(f"jpeg_quality must be within 1..100 or None, got {self.jpeg_quality}")
        if not 0.0 <= self.traffic_density <= 5.0:
            raise ValueError(f"traffic_density must be within 0..5, got {self.traffic_density}")
        if not 0.0 <= self.bicycle_share <= 10.0:
            raise ValueError(f"bicycle_share must be within 0..10, got {self.bicycle_share}")
        if not isinstance(self.lighting, Lighting):
            object.__setattr__(self, "lighting", Lighting(self.lighting))


@dataclass(frozen=True, slots=True)
class TruthObject:
    """One road user as the camera sees it in one frame.

    Attributes:
        track_id: Stable id for the whole life of the object.
        class_name: COCO class name (person, bicycle, car, motorcycle, bus, truck).
        class_id: COCO class id (0, 1, 2, 3, 5, 7).
        box_xyxy: Pixel box (x1, y1, x2, y2), clipped to the frame.
        world_x_m: Ground-plane position across the road, metres.
        world_y_m: Ground-plane position along the road, metres.
        speed_mps: Speed over ground, metres per second.
        heading_deg: Direction of travel on the ground plane, degrees counter-clockwise
            from +x (so +y, "away from the camera" on the highway, is 90).
        lane_id: Lane the object occupies, or None off the carriageway.
        rider_of: For a rider, the track id of the motorcycle or bicycle it sits on.
        visible_fraction: Share of the unclipped box neither outside the frame nor hidden
            behind nearer objects (0..1, sampled).
    """

    track_id: int
    class_name: str
    class_id: int
    box_xyxy: tuple[float, float, float, float]
    world_x_m: float
    world_y_m: float
    speed_mps: float
    heading_deg: float
    lane_id: str | None
    rider_of: int | None
    visible_fraction: float


@dataclass(frozen=True, slots=True)
class IncidentTruth:
    """A scripted incident as it really happened in the simulation.

    ``start_s`` is when the offence began (the wrong-way vehicle entered, the vehicle came to
    a stop, the runner crossed the stop line on red...); ``end_s`` is when it ended, or None
    while it is still going on.
    """

    incident_id: str
    type: IncidentType
    start_s: float | None
    end_s: float | None
    track_ids: tuple[int, ...]
    lane_id: str | None
    class_name: str | None
    scripted_speed_mps: float | None


@dataclass(frozen=True, slots=True)
class FrameTruth:
    objects: tuple[TruthObject, ...]
    signal_state: SignalState | None
    signal_remaining_s: float | None
    active_incident_ids: tuple[str, ...] = field(default=())


@dataclass(frozen=True, slots=True)
class SimFrame:
    """One rendered frame.

    ``truth`` is built on first access: a demo camera that never looks at it does not pay
    for it (occlusion sampling costs as much as a render).
    """

    index: int
    timestamp_s: float
    image: np.ndarray
    truth_source: Callable[[], FrameTruth] = field(repr=False, compare=False)
    _truth: list[FrameTruth] = field(default_factory=list, repr=False, compare=False)

    @property
    def truth(self) -> FrameTruth:
        if not self._truth:
            self._truth.append(self.truth_source())
        return self._truth[0]

    @classmethod
    def with_truth(
        cls, index: int, timestamp_s: float, image: np.ndarray, truth: FrameTruth
    ) -> SimFrame:
        return cls(index, timestamp_s, image, lambda: truth)
