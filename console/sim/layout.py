"""World layout of each scene: lanes in metres, the pole camera, the signal plan."""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cache

from console.sim.camera import CameraPose
from console.sim.records import SignalState

CAR_CLASSES = ("car", "bus", "truck")
MOTORBIKE_CLASSES = ("motorcycle", "bicycle")
ALL_VEHICLE_CLASSES = ("car", "bus", "truck", "motorcycle", "bicycle")


@dataclass(frozen=True, slots=True)
class Lane:
    """A straight lane; traffic enters at ``start`` and leaves at ``end``.

    Attributes:
        lane_id: Stable name used in truth records and site files.
        start_x_m, start_y_m, end_x_m, end_y_m: Centre line, in the direction of travel.
        width_m: Lane width.
        kind: ``car``, ``motorbike``, ``mixed`` or ``emergency``.
        allowed_classes: COCO classes the lane is signed for.
        speed_limit_mps: Posted limit; normal drivers aim a little below or around it.
        stop_line_m: Distance from ``start`` to the stop line, or None without a signal.
        signal_group: Which signal phase governs the stop line.
        spawn_rate_per_s: Normal arrivals per second at traffic density 1.
    """

    lane_id: str
    start_x_m: float
    start_y_m: float
    end_x_m: float
    end_y_m: float
    width_m: float
    kind: str
    allowed_classes: tuple[str, ...]
    speed_limit_mps: float
    stop_line_m: float | None = None
    signal_group: str | None = None
    spawn_rate_per_s: float = 0.0

    @property
    def length_m(self) -> float:
        return math.hypot(self.end_x_m - self.start_x_m, self.end_y_m - self.start_y_m)

    @property
    def direction(self) -> tuple[float, float]:
        length = self.length_m
        return (
            (self.end_x_m - self.start_x_m) / length,
            (self.end_y_m - self.start_y_m) / length,
        )

    @property
    def heading_deg(self) -> float:
        dx, dy = self.direction
        return math.degrees(math.atan2(dy, dx))

    def point_at(self, distance_m: float, lateral_m: float = 0.0) -> tuple[float, float]:
        """World point ``distance_m`` along the lane, ``lateral_m`` to the right of its centre."""
        dx, dy = self.direction
        return (
            self.start_x_m + dx * distance_m + dy * lateral_m,
            self.start_y_m + dy * distance_m - dx * lateral_m,
        )

    def corners(self, from_m: float, to_m: float) -> list[tuple[float, float]]:
        half = self.width_m / 2.0
        return [
            self.point_at(from_m, -half),
            self.point_at(to_m, -half),
            self.point_at(to_m, half),
            self.point_at(from_m, half),
        ]


@dataclass(frozen=True, slots=True)
class SignalPlan:
    """Fixed-time two-phase plan: the ``main`` road, then the ``cross`` road."""

    main_green_s: float = 20.0
    amber_s: float = 3.0
    all_red_s: float = 2.0
    cross_green_s: float = 15.0
    offset_s: float = 5.0  # seconds of main green already elapsed at t = 0

    @property
    def cycle_s(self) -> float:
        return self.main_green_s + self.cross_green_s + 2 * (self.amber_s + self.all_red_s)

    def state(self, group: str, time_s: float) -> tuple[SignalState, float]:
        """Signal state of ``group`` at ``time_s`` and the seconds until it changes."""
        t = (time_s + self.offset_s) % self.cycle_s
        main_end = self.main_green_s
        main_amber_end = main_end + self.amber_s
        cross_start = main_amber_end + self.all_red_s
        cross_end = cross_start + self.cross_green_s
        cross_amber_end = cross_end + self.amber_s
        if group == "main":
            if t < main_end:
                return SignalState.GREEN, main_end - t
            if t < main_amber_end:
                return SignalState.AMBER, main_amber_end - t
            return SignalState.RED, self.cycle_s - t
        if t < main_amber_end + self.all_red_s:
            return SignalState.RED, cross_start - t
        if t < cross_end:
            return SignalState.GREEN, cross_end - t
        if t < cross_amber_end:
            return SignalState.AMBER, cross_amber_end - t
        return SignalState.RED, self.cycle_s - t + cross_start

    def next_red_onset(self, group: str, after_s: float) -> float:
        """First time >= ``after_s`` at which ``group`` turns red."""
        onset_in_cycle = (
            self.main_green_s + self.amber_s
            if group == "main"
            else self.main_green_s + 2 * self.amber_s + self.all_red_s + self.cross_green_s
        )
        cycle_start = after_s - ((after_s + self.offset_s) % self.cycle_s)
        onset = cycle_start + onset_in_cycle
        while onset < after_s:
            onset += self.cycle_s
        return onset


@dataclass(frozen=True, slots=True)
class Walkway:
    """A straight path pedestrians use (sidewalk, verge or crosswalk)."""

    walkway_id: str
    start_x_m: float
    start_y_m: float
    end_x_m: float
    end_y_m: float
    on_carriageway: bool = False


@dataclass(frozen=True, slots=True)
class Occluder:
    """A static solid (a block of houses) that hides road users behind it."""

    x0_m: float
    x1_m: float
    y0_m: float
    y1_m: float
    height_m: float


@dataclass(frozen=True, slots=True)
class SceneLayout:
    name: str
    camera: CameraPose
    lanes: tuple[Lane, ...]
    walkways: tuple[Walkway, ...]
    carriageway_x_m: tuple[float, float]  # paved extent across the main road
    view_far_m: float  # zones end here; farther is too small to matter
    signal: SignalPlan | None = None
    stop_line_y_m: float | None = None
    crosswalk_y_m: tuple[float, float] | None = None
    signal_head_xyz_m: tuple[float, float, float] | None = None
    counting_line_y_m: float = 40.0
    occluders: tuple[Occluder, ...] = ()

    def lane(self, lane_id: str) -> Lane:
        for lane in self.lanes:
            if lane.lane_id == lane_id:
                return lane
        known = ", ".join(lane.lane_id for lane in self.lanes)
        raise ValueError(f"scene {self.name!r} has no lane {lane_id!r}; lanes: {known}")


def _highway() -> SceneLayout:
    far = 260.0
    lanes: list[Lane] = []
    # (suffix, inner edge, outer edge, kind, classes, limit, spawn rate); x grows outward.
    spec = (
        ("1", 1.5, 5.25, "car", CAR_CLASSES, 24.0, 0.22),
        ("2", 5.25, 9.0, "car", CAR_CLASSES, 21.0, 0.22),
        ("3", 9.0, 12.5, "motorbike", MOTORBIKE_CLASSES, 14.0, 0.75),
        ("e", 12.5, 15.0, "emergency", (), 10.0, 0.0),
    )
    for suffix, inner, outer, kind, classes, limit, rate in spec:
        centre = (inner + outer) / 2.0
        lanes.append(
            Lane(
                f"away-{suffix}",
                centre,
                -2.0,
                centre,
                far,
                outer - inner,
                kind,
                classes,
                limit,
                spawn_rate_per_s=rate,
            )
        )
        lanes.append(
            Lane(
                f"toward-{suffix}",
                -centre,
                far,
                -centre,
                -2.0,
                outer - inner,
                kind,
                classes,
                limit,
                spawn_rate_per_s=rate,
            )
        )
    walkways = (
        Walkway("verge-right", 17.8, 5.0, 17.8, 120.0),
        Walkway("verge-left", -17.8, 120.0, -17.8, 5.0),
    )
    return SceneLayout(
        name="highway",
        camera=CameraPose(
            x_m=18.5, y_m=0.0, height_m=11.0, yaw_deg=13.0, pitch_deg=12.5, hfov_deg=62.0
        ),
        lanes=tuple(lanes),
        walkways=walkways,
        carriageway_x_m=(-15.0, 15.0),
        view_far_m=150.0,
        counting_line_y_m=45.0,
    )


def _intersection() -> SceneLayout:
    lanes = (
        Lane(
            "north-1",
            2.0,
            -4.0,
            2.0,
            200.0,
            3.5,
            "car",
            CAR_CLASSES,
            12.0,
            stop_line_m=29.5,
            signal_group="main",
            spawn_rate_per_s=0.16,
        ),
        Lane(
            "north-2",
            5.9,
            -4.0,
            5.9,
            200.0,
            4.2,
            "motorbike",
            MOTORBIKE_CLASSES,
            10.0,
            stop_line_m=29.5,
            signal_group="main",
            spawn_rate_per_s=0.5,
        ),
        Lane(
            "south-1",
            -2.0,
            200.0,
            -2.0,
            -4.0,
            3.5,
            "car",
            CAR_CLASSES,
            12.0,
            stop_line_m=151.5,
            signal_group="main",
            spawn_rate_per_s=0.14,
        ),
        Lane(
            "south-2",
            -5.9,
            200.0,
            -5.9,
            -4.0,
            4.2,
            "motorbike",
            MOTORBIKE_CLASSES,
            10.0,
            stop_line_m=151.5,
            signal_group="main",
            spawn_rate_per_s=0.45,
        ),
        Lane(
            "east-1",
            -90.0,
            34.5,
            90.0,
            34.5,
            5.0,
            "mixed",
            ALL_VEHICLE_CLASSES,
            10.0,
            stop_line_m=76.0,
            signal_group="cross",
            spawn_rate_per_s=0.3,
        ),
        Lane(
            "west-1",
            90.0,
            39.5,
            -90.0,
            39.5,
            5.0,
            "mixed",
            ALL_VEHICLE_CLASSES,
            10.0,
            stop_line_m=76.0,
            signal_group="cross",
            spawn_rate_per_s=0.3,
        ),
    )
    walkways = (
        Walkway("sidewalk-east", 10.0, 2.0, 10.0, 26.0),
        Walkway("sidewalk-west", -10.0, 26.0, -10.0, 2.0),
        Walkway("sidewalk-east-far", 10.0, 48.0, 10.0, 120.0),
        Walkway("sidewalk-west-far", -10.0, 120.0, -10.0, 48.0),
        Walkway("crosswalk-near", 9.5, 29.0, -9.5, 29.0, on_carriageway=True),
        Walkway("crosswalk-near-back", -9.5, 29.5, 9.5, 29.5, on_carriageway=True),
    )
    return SceneLayout(
        name="intersection",
        camera=CameraPose(
            x_m=10.5, y_m=0.0, height_m=7.5, yaw_deg=9.0, pitch_deg=11.0, hfov_deg=64.0
        ),
        lanes=lanes,
        walkways=walkways,
        carriageway_x_m=(-8.0, 8.0),
        view_far_m=120.0,
        signal=SignalPlan(),
        stop_line_y_m=25.5,
        crosswalk_y_m=(27.0, 31.0),
        signal_head_xyz_m=(8.6, 26.5, 3.6),
        counting_line_y_m=20.0,
        # the corner blocks hide the side street beyond them (houses are 8-18 m tall)
        occluders=(Occluder(13.0, 80.0, -5.0, 31.0, 8.0), Occluder(-80.0, -13.0, -5.0, 31.0, 8.0)),
    )


@cache
def scene_layout(scene: str) -> SceneLayout:
    if scene == "highway":
        return _highway()
    if scene == "intersection":
        return _intersection()
    raise ValueError(f"unknown scene {scene!r}; expected highway or intersection")
