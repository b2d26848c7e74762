"""Road users moving through a scene: arrivals, IDM car-following, signals, incidents."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Protocol

import numpy as np

from console.sim.actors import ActorModel, build_model
from console.sim.layout import Lane, SceneLayout, Walkway
from console.sim.records import SignalState

WARMUP_S = 30.0
WARMUP_STEP_S = 0.1
LOOKAHEAD_M = 120.0
CROSSING_LOOKAHEAD_M = 15.0
PEDESTRIAN_CAUTION_M = 2.0  # drivers give a person on the road this much extra room


@dataclass(frozen=True, slots=True)
class DriverProfile:
    """Intelligent Driver Model parameters for one class."""

    max_accel: float
    comfort_decel: float
    min_gap_m: float
    headway_s: float


PROFILES = {
    "car": DriverProfile(1.6, 2.5, 2.0, 1.2),
    "bus": DriverProfile(0.9, 2.0, 2.5, 1.5),
    "truck": DriverProfile(0.8, 2.0, 2.5, 1.6),
    "motorcycle": DriverProfile(2.0, 3.0, 1.0, 0.7),
    "bicycle": DriverProfile(0.8, 2.0, 1.0, 0.8),
    "person": DriverProfile(1.0, 2.0, 0.5, 0.5),
}
LANE_MIX = {
    "car": (("car", 0.7), ("truck", 0.2), ("bus", 0.1)),
    "motorbike": (("motorcycle", 0.93), ("bicycle", 0.07)),
    "mixed": (
        ("motorcycle", 0.66),
        ("car", 0.22),
        ("truck", 0.06),
        ("bus", 0.02),
        ("bicycle", 0.04),
    ),
}


def _more_bicycles(factor: float) -> dict[str, tuple[tuple[str, float], ...]]:
    """LANE_MIX with the bicycles' share multiplied by ``factor`` (the others scaled down)."""
    mix = {}
    for kind, shares in LANE_MIX.items():
        weighted = [(n, share * factor if n == "bicycle" else share) for n, share in shares]
        total = sum(share for _, share in weighted)
        mix[kind] = tuple((n, share / total) for n, share in weighted)
    return mix


@dataclass(slots=True)
class Actor:
    """Mutable simulation state of one road user moving along a straight path."""

    track_id: int
    class_name: str
    model: ActorModel
    rider_ids: tuple[int, ...]
    origin: tuple[float, float]
    direction: tuple[float, float]
    path_length_m: float
    lateral_m: float
    lane_id: str | None
    distance_m: float = 0.0
    speed_mps: float = 0.0
    desired_speed_mps: float = 10.0
    stop_line_m: float | None = None
    signal_group: str | None = None
    ignore_signal: bool = False
    hold_at_m: float | None = None  # scripted stop point (front bumper)
    stopped_since_s: float | None = None
    incident_id: str | None = None
    congestion_factor: float = 1.0
    previous_front_m: float = field(default=0.0)

    @property
    def is_pedestrian(self) -> bool:
        return self.class_name == "person"

    @property
    def x_m(self) -> float:
        dx, dy = self.direction
        return self.origin[0] + dx * self.distance_m + dy * self.lateral_m

    @property
    def y_m(self) -> float:
        dx, dy = self.direction
        return self.origin[1] + dy * self.distance_m - dx * self.lateral_m

    @property
    def front_m(self) -> float:
        return self.distance_m + self.model.length_m / 2

    @property
    def heading_rad(self) -> float:
        return math.atan2(self.direction[1], self.direction[0])


class TrafficDirector(Protocol):
    """The script the traffic plays (``console.sim.incidents.IncidentDirector``).

    The traffic asks it where arrivals are held back and tells it each step and each road
    user that leaves; the director spawns and steers its scripted road users through the
    ``Traffic`` it is attached to.
    """

    def attach(self, traffic: Traffic) -> None: ...

    def lane_suppressed(self, lane_id: str, time_s: float) -> bool: ...

    def arrival_factor(self, lane_id: str, time_s: float) -> float: ...

    def before_step(self, time_s: float) -> None: ...

    def after_step(self, time_s: float) -> None: ...

    def on_leave(self, actor: Actor, time_s: float) -> None: ...


class Traffic:
    """All road users of one scene, stepped in fixed time steps."""

    def __init__(
        self,
        layout: SceneLayout,
        seed: int,
        density: float,
        director: TrafficDirector,
        bicycle_share: float = 1.0,
    ) -> None:
        self.layout = layout
        self.lane_mix = LANE_MIX if bicycle_share == 1.0 else _more_bicycles(bicycle_share)
        streams = np.random.SeedSequence([seed, 7]).spawn(2)
        self.arrival_rng = np.random.default_rng(streams[0])
        self.model_rng = np.random.default_rng(streams[1])
        self.density = density
        self.director = director
        self.actors: list[Actor] = []
        self.time_s = -WARMUP_S
        self._next_id = 1
        self._next_arrival: dict[str, float] = {}
        for lane in layout.lanes:
            self._next_arrival[lane.lane_id] = self._draw_arrival(lane.lane_id, self.time_s)
        for walkway in layout.walkways:
            self._next_arrival[walkway.walkway_id] = self._draw_arrival(
                walkway.walkway_id, self.time_s
            )
        director.attach(self)
        steps = round(WARMUP_S / WARMUP_STEP_S)
        for _ in range(steps):
            self.step(WARMUP_STEP_S)
        self.time_s = 0.0

    # -- arrivals ---------------------------------------------------------------------------
    def _rate(self, path_id: str, time_s: float) -> float:
        for lane in self.layout.lanes:
            if lane.lane_id == path_id:
                factor = self.director.arrival_factor(path_id, time_s)
                return lane.spawn_rate_per_s * self.density * factor
        walkway = next(w for w in self.layout.walkways if w.walkway_id == path_id)
        if walkway.on_carriageway:
            return 0.25 * self.density
        return (0.03 if self.layout.signal is None else 0.06) * self.density

    def _draw_arrival(self, path_id: str, after_s: float) -> float:
        rate = self._rate(path_id, after_s)
        if rate <= 0:
            return after_s + 1.0  # look again in a second (congestion may start)
        return after_s + float(self.arrival_rng.exponential(1.0 / rate))

    def new_track_id(self) -> int:
        track_id = self._next_id
        self._next_id += 1
        return track_id

    def _spawn_arrivals(self) -> None:
        for lane in self.layout.lanes:
            due = self._next_arrival[lane.lane_id]
            if due > self.time_s:
                continue
            if lane.spawn_rate_per_s <= 0 or self.director.lane_suppressed(
                lane.lane_id, self.time_s
            ):
                self._next_arrival[lane.lane_id] = self._draw_arrival(lane.lane_id, self.time_s)
                continue
            class_name = self._pick_class(lane.kind)
            actor = self.spawn_vehicle(class_name, lane, reverse=False)
            if actor is not None:
                self._next_arrival[lane.lane_id] = self._draw_arrival(lane.lane_id, self.time_s)
        for walkway in self.layout.walkways:
            due = self._next_arrival[walkway.walkway_id]
            if due > self.time_s:
                continue
            self._next_arrival[walkway.walkway_id] = self._draw_arrival(
                walkway.walkway_id, self.time_s
            )
            if walkway.on_carriageway and not self._crossing_allowed():
                continue
            self.spawn_pedestrian(walkway)

    def _crossing_allowed(self) -> bool:
        plan = self.layout.signal
        if plan is None:
            return False
        state, remaining = plan.state("cross", self.time_s)
        return state is SignalState.GREEN and remaining > 10.0

    def _pick_class(self, lane_kind: str) -> str:
        mix = self.lane_mix[lane_kind]
        draw = self.arrival_rng.random()
        total = 0.0
        for class_name, share in mix:
            total += share
            if draw < total:
                return class_name
        return mix[-1][0]

    def spawn_vehicle(
        self,
        class_name: str,
        lane: Lane,
        *,
        reverse: bool,
        desired_speed_mps: float | None = None,
        exact_speed: bool = False,
    ) -> Actor | None:
        """Put a vehicle at the entry of ``lane`` if there is room; None when blocked."""
        model = build_model(class_name, self.model_rng)
        if lane.kind in ("motorbike", "mixed") and class_name in ("motorcycle", "bicycle"):
            spread = max(lane.width_m / 2 - 0.55, 0.0)
            lateral = float(self.arrival_rng.uniform(-spread, spread))
        else:
            lateral = float(np.clip(self.arrival_rng.normal(0.0, 0.12), -0.3, 0.3))
        if reverse:
            origin = (lane.end_x_m, lane.end_y_m)
            direction = (-lane.direction[0], -lane.direction[1])
            lateral = -lateral
        else:
            origin = (lane.start_x_m, lane.start_y_m)
            direction = lane.direction
        if desired_speed_mps is None:
            factor = 0.85 if class_name in ("bus", "truck") else 1.0
            if class_name == "bicycle":
                factor = 0.35
            desired_speed_mps = (
                lane.speed_limit_mps * factor * float(self.arrival_rng.uniform(0.82, 1.08))
            )
        profile = PROFILES[class_name]
        start = model.length_m / 2
        gap, leader_speed = self._entry_gap(origin, direction, lateral, model, start)
        if gap < profile.min_gap_m + 0.4 * desired_speed_mps * profile.headway_s:
            return None
        speed = desired_speed_mps if exact_speed else min(desired_speed_mps, leader_speed + 2.0)
        actor = Actor(
            track_id=self.new_track_id(),
            class_name=class_name,
            model=model,
            rider_ids=(),
            origin=origin,
            direction=direction,
            path_length_m=lane.length_m,
            lateral_m=lateral,
            lane_id=lane.lane_id,
            distance_m=start,
            speed_mps=max(speed, 0.0),
            desired_speed_mps=desired_speed_mps,
            stop_line_m=None if reverse else lane.stop_line_m,
            signal_group=None if reverse else lane.signal_group,
        )
        riders = int(model.rider_index.max()) + 1 if len(model.rider_index) else 0
        actor.rider_ids = tuple(self.new_track_id() for _ in range(riders))
        actor.previous_front_m = actor.front_m
        self.actors.append(actor)
        return actor

    def _entry_gap(
        self,
        origin: tuple[float, float],
        direction: tuple[float, float],
        lateral: float,
        model: ActorModel,
        start: float,
    ) -> tuple[float, float]:
        best, speed = math.inf, math.inf
        for other in self.actors:
            dx, dy = other.x_m - origin[0], other.y_m - origin[1]
            along = dx * direction[0] + dy * direction[1]
            across = dx * direction[1] - dy * direction[0]
            reach = (model.width_m + other.model.width_m) / 2 + 0.3
            if abs(across - lateral) > reach or along < -other.model.length_m:
                continue
            gap = along - other.model.length_m / 2 - (start + model.length_m / 2)
            if gap < best:
                best, speed = gap, other.speed_mps
        return best, speed if math.isfinite(speed) else 50.0

    def spawn_pedestrian(
        self, walkway: Walkway, speed_mps: float | None = None, lateral_m: float | None = None
    ) -> Actor:
        dx, dy = walkway.end_x_m - walkway.start_x_m, walkway.end_y_m - walkway.start_y_m
        length = math.hypot(dx, dy)
        speed = speed_mps if speed_mps is not None else float(self.arrival_rng.uniform(1.0, 1.5))
        lateral = lateral_m if lateral_m is not None else float(self.arrival_rng.uniform(-0.8, 0.8))
        actor = Actor(
            track_id=self.new_track_id(),
            class_name="person",
            model=build_model("person", self.model_rng),
            rider_ids=(),
            origin=(walkway.start_x_m, walkway.start_y_m),
            direction=(dx / length, dy / length),
            path_length_m=length,
            lateral_m=lateral,
            lane_id=None,
            speed_mps=speed,
            desired_speed_mps=speed,
        )
        self.actors.append(actor)
        return actor

    # -- motion -----------------------------------------------------------------------------
    def step(self, dt: float, end_time_s: float | None = None) -> None:
        """Advance by ``dt``; ``end_time_s`` pins the clock to an exact frame time."""
        self._spawn_arrivals()
        self.director.before_step(self.time_s)
        if self.actors:
            self._move(dt)
        self.time_s = end_time_s if end_time_s is not None else self.time_s + dt
        self.director.after_step(self.time_s)
        survivors = []
        for actor in self.actors:
            if actor.distance_m - actor.model.length_m / 2 > actor.path_length_m:
                self.director.on_leave(actor, self.time_s)
            else:
                survivors.append(actor)
        self.actors = survivors

    def _move(self, dt: float) -> None:
        actors = self.actors
        n = len(actors)
        pos = np.array([(a.x_m, a.y_m) for a in actors])
        heading = np.array([a.direction for a in actors])
        length = np.array([a.model.length_m for a in actors])
        width = np.array([a.model.width_m for a in actors])
        speed = np.array([a.speed_mps for a in actors])
        walker = np.array([a.is_pedestrian for a in actors])

        rel = pos[None, :, :] - pos[:, None, :]  # rel[i, j] = j seen from i
        along = rel[..., 0] * heading[:, None, 0] + rel[..., 1] * heading[:, None, 1]
        across = np.abs(rel[..., 0] * heading[:, None, 1] - rel[..., 1] * heading[:, None, 0])
        cos = heading @ heading.T
        sin = np.abs(
            heading[:, None, 0] * heading[None, :, 1] - heading[:, None, 1] * heading[None, :, 0]
        )
        reach_along = np.abs(cos) * length[None, :] + sin * width[None, :]
        reach_across = sin * length[None, :] + np.abs(cos) * width[None, :]
        reach_across = reach_across + np.where(walker, PEDESTRIAN_CAUTION_M, 0.0)[None, :]
        gap = along - length[:, None] / 2 - reach_along / 2
        lookahead = np.where(sin > 0.5, CROSSING_LOOKAHEAD_M, LOOKAHEAD_M)
        ahead = (along > 0) & (across < (width[:, None] + reach_across) / 2 + 0.25)
        ahead &= gap < lookahead
        # a person already level with a vehicle is beside it, not in its way: the vehicle
        # drives on and the person waits (else each would wait for the other forever)
        ahead &= ~(walker[None, :] & (gap < 0.0))
        np.fill_diagonal(ahead, False)
        gap = np.where(ahead, gap, np.inf)
        leader = np.argmin(gap, axis=1)
        leader_gap = gap[np.arange(n), leader]
        leader_speed = np.where(
            np.isfinite(leader_gap), speed[leader] * cos[np.arange(n), leader], 0.0
        )

        for i, actor in enumerate(actors):
            if actor.is_pedestrian:
                # people wait for a vehicle already across their path, then walk on
                blocked = leader_gap[i] < 1.0
                actor.speed_mps = 0.0 if blocked else actor.desired_speed_mps
                actor.distance_m += actor.speed_mps * dt
                continue
            if actor.hold_at_m is not None and actor.stopped_since_s is not None:
                actor.speed_mps = 0.0  # parked until the director releases it
                continue
            gap_i = float(leader_gap[i])
            lead_v = float(leader_speed[i])
            virtual = self._virtual_stop_gap(actor)
            if virtual < gap_i:
                gap_i, lead_v = virtual, 0.0
            self._idm_update(actor, gap_i, lead_v, dt)

    def _virtual_stop_gap(self, actor: Actor) -> float:
        gap = math.inf
        front = actor.front_m
        if actor.hold_at_m is not None:
            gap = actor.hold_at_m - front
        plan = self.layout.signal
        if (
            plan is not None
            and actor.stop_line_m is not None
            and actor.signal_group
            and not actor.ignore_signal
            and front < actor.stop_line_m + 0.5
        ):
            state, _ = plan.state(actor.signal_group, self.time_s)
            to_line = actor.stop_line_m - front
            must_stop = state is SignalState.RED or (
                state is SignalState.AMBER and to_line > actor.speed_mps**2 / (2 * 4.0) + 1.0
            )
            if must_stop and to_line > -0.5:
                gap = min(gap, to_line)
        return gap

    def _idm_update(self, actor: Actor, gap: float, leader_speed: float, dt: float) -> None:
        profile = PROFILES[actor.class_name]
        v = actor.speed_mps
        v0 = max(actor.desired_speed_mps * actor.congestion_factor, 0.1)
        free = 1.0 - (v / v0) ** 4
        if math.isfinite(gap):
            closing = v - leader_speed
            desired = profile.min_gap_m + max(
                0.0,
                v * profile.headway_s
                + v * closing / (2 * math.sqrt(profile.max_accel * profile.comfort_decel)),
            )
            interaction = (desired / max(gap, 0.05)) ** 2
        else:
            interaction = 0.0
        accel = profile.max_accel * (free - interaction)
        accel = min(max(accel, -9.0), profile.max_accel)
        new_v = max(v + accel * dt, 0.0)
        advance = (v + new_v) / 2 * dt
        if math.isfinite(gap) and advance > gap - 0.3:
            # the model under-brakes at very short gaps; never drive through the leader
            advance = max(gap - 0.3, 0.0)
            new_v = min(new_v, max(leader_speed, 0.0), advance / dt)
        actor.previous_front_m = actor.front_m
        actor.distance_m += advance
        actor.speed_mps = new_v
