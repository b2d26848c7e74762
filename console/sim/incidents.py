"""Plays a scenario's scripted incidents and records what really happened (ground truth)."""

from __future__ import annotations

from dataclasses import dataclass, field

from console.sim.layout import SceneLayout, Walkway
from console.sim.records import IncidentTruth, IncidentType, SignalState
from console.sim.scenario import (
    Congestion,
    LaneViolation,
    PedestrianOnRoad,
    RedLight,
    Scenario,
    Speeding,
    StoppedVehicle,
    WrongWay,
    incident_id,
)
from console.sim.traffic import Actor, Traffic

# Lanes are kept clear of new arrivals around a scripted vehicle so that it can do exactly
# what the script says (a speeder never catches up with a slower leader, for instance).
CLEAR_BEFORE_S = 15.0
RED_LIGHT_CLEAR_BEFORE_S = 40.0
RED_LIGHT_MARGIN_S = 1.0  # the runner crosses this long after the onset of red
STOP_SETTLE_M = 4.0


@dataclass(slots=True)
class _Run:
    """Mutable progress of one incident."""

    incident_id: str
    spec: (
        WrongWay
        | StoppedVehicle
        | Speeding
        | RedLight
        | Congestion
        | PedestrianOnRoad
        | LaneViolation
    )
    spawn_at_s: float
    lane_id: str | None
    class_name: str | None
    scripted_speed_mps: float | None
    actor: Actor | None = None
    spawned: bool = False
    start_s: float | None = None
    end_s: float | None = None
    track_ids: list[int] = field(default_factory=list)
    suppress: tuple[float, float] | None = None


class IncidentDirector:
    def __init__(self, layout: SceneLayout, scenario: Scenario | None) -> None:
        self.layout = layout
        self.runs: list[_Run] = []
        self._traffic: Traffic | None = None
        for number, spec in enumerate(scenario.incidents if scenario else [], start=1):
            self.runs.append(self._plan(spec, incident_id(spec, number)))

    def _plan(
        self,
        spec: WrongWay
        | StoppedVehicle
        | Speeding
        | RedLight
        | Congestion
        | PedestrianOnRoad
        | LaneViolation,
        name: str,
    ) -> _Run:
        if isinstance(spec, Congestion):
            return _Run(name, spec, spec.start_s, None, None, spec.crawl_speed_mps)
        if isinstance(spec, PedestrianOnRoad):
            return _Run(name, spec, spec.start_s, None, "person", spec.speed_mps)
        lane = self.layout.lane(spec.lane)
        run = _Run(name, spec, spec.start_s, spec.lane, spec.vehicle_class, spec.speed_mps)
        if isinstance(spec, WrongWay):
            run.suppress = (
                spec.start_s - CLEAR_BEFORE_S,
                spec.start_s + lane.length_m / spec.speed_mps + 3.0,
            )
        elif isinstance(spec, Speeding):
            run.suppress = (spec.start_s - CLEAR_BEFORE_S, spec.start_s + 0.5)
        elif isinstance(spec, RedLight):
            assert self.layout.signal is not None and lane.signal_group is not None
            assert lane.stop_line_m is not None
            travel = lane.stop_line_m / spec.speed_mps
            onset = self.layout.signal.next_red_onset(lane.signal_group, spec.start_s + travel)
            run.spawn_at_s = onset + RED_LIGHT_MARGIN_S - travel
            run.suppress = (run.spawn_at_s - RED_LIGHT_CLEAR_BEFORE_S, run.spawn_at_s + 0.5)
        elif isinstance(spec, StoppedVehicle) and lane.kind != "emergency":
            run.suppress = (spec.start_s - CLEAR_BEFORE_S, spec.start_s + spec.duration_s + 20.0)
        return run

    def attach(self, traffic: Traffic) -> None:
        self._traffic = traffic

    # -- queries used by the traffic model --------------------------------------------------
    def lane_suppressed(self, lane_id: str, time_s: float) -> bool:
        return any(
            run.lane_id == lane_id
            and run.suppress is not None
            and run.suppress[0] <= time_s <= run.suppress[1]
            for run in self.runs
        )

    def arrival_factor(self, lane_id: str, time_s: float) -> float:
        factor = 1.0
        for run in self.runs:
            spec = run.spec
            if (
                isinstance(spec, Congestion)
                and lane_id in self._congested_lanes(spec)
                and spec.start_s <= time_s <= spec.start_s + spec.duration_s
            ):
                factor *= spec.arrival_factor
        return factor

    def _congested_lanes(self, spec: Congestion) -> list[str]:
        if spec.lanes:
            return spec.lanes
        prefix = "away-" if self.layout.name == "highway" else "north-"
        return [
            lane.lane_id
            for lane in self.layout.lanes
            if lane.lane_id.startswith(prefix) and lane.kind != "emergency"
        ]

    # -- stepping ---------------------------------------------------------------------------
    def before_step(self, time_s: float) -> None:
        traffic = self._traffic
        assert traffic is not None
        for run in self.runs:
            if isinstance(run.spec, Congestion):
                self._apply_congestion(run, run.spec, traffic, time_s)
            elif not run.spawned and time_s >= run.spawn_at_s:
                self._spawn(run, traffic, time_s)

    def _spawn(self, run: _Run, traffic: Traffic, time_s: float) -> None:
        spec = run.spec
        if isinstance(spec, PedestrianOnRoad):
            near, far = self.layout.carriageway_x_m
            walkway = Walkway(run.incident_id, far + 2.8, spec.at_m, near - 2.8, spec.at_m)
            actor = traffic.spawn_pedestrian(walkway, speed_mps=spec.speed_mps, lateral_m=0.0)
        else:
            assert run.lane_id is not None and run.class_name is not None
            lane = self.layout.lane(run.lane_id)
            reverse = isinstance(spec, WrongWay)
            exact = isinstance(spec, Speeding | RedLight)
            speed = spec.speed_mps if not isinstance(spec, Congestion) else None
            maybe = traffic.spawn_vehicle(
                run.class_name, lane, reverse=reverse, desired_speed_mps=speed, exact_speed=exact
            )
            if maybe is None:
                return  # entry blocked; try again next step
            actor = maybe
            if isinstance(spec, RedLight):
                actor.ignore_signal = True
            if isinstance(spec, StoppedVehicle):
                actor.hold_at_m = spec.stop_at_m
            if isinstance(spec, WrongWay | Speeding | LaneViolation):
                run.start_s = time_s
        actor.incident_id = run.incident_id
        run.actor = actor
        run.spawned = True
        run.track_ids = [actor.track_id]

    def _apply_congestion(
        self, run: _Run, spec: Congestion, traffic: Traffic, time_s: float
    ) -> None:
        end = spec.start_s + spec.duration_s
        if time_s < spec.start_s:
            return
        if spec.ramp_s > 0:
            into = min((time_s - spec.start_s) / spec.ramp_s, 1.0)
            out = min(max((time_s - end) / spec.ramp_s, 0.0), 1.0)
            severity = max(into - out, 0.0)
        else:
            severity = 1.0 if time_s <= end else 0.0
        active = spec.start_s <= time_s <= end
        if active and run.start_s is None:
            run.start_s = spec.start_s
        if not active and run.start_s is not None and run.end_s is None:
            run.end_s = end
        lanes = set(self._congested_lanes(spec))
        for actor in traffic.actors:
            if actor.lane_id in lanes and not actor.is_pedestrian:
                crawl = spec.crawl_speed_mps / max(actor.desired_speed_mps, 0.1)
                actor.congestion_factor = 1.0 + (min(crawl, 1.0) - 1.0) * severity
                if active and actor.track_id not in run.track_ids:
                    run.track_ids.append(actor.track_id)

    def after_step(self, time_s: float) -> None:
        traffic = self._traffic
        assert traffic is not None
        for run in self.runs:
            actor = run.actor
            if actor is None or run.end_s is not None:
                continue
            spec = run.spec
            if isinstance(spec, StoppedVehicle):
                self._track_stop(run, spec, actor, time_s)
            elif isinstance(spec, RedLight) and run.start_s is None:
                line = actor.stop_line_m
                plan = self.layout.signal
                if (
                    line is not None
                    and plan is not None
                    and actor.previous_front_m < line <= actor.front_m
                    and actor.signal_group is not None
                ):
                    state, _ = plan.state(actor.signal_group, time_s)
                    if state is SignalState.RED:
                        run.start_s = time_s
            elif isinstance(spec, PedestrianOnRoad):
                near, far = self.layout.carriageway_x_m
                on_road = near <= actor.x_m <= far
                if on_road and run.start_s is None:
                    run.start_s = time_s
                elif not on_road and run.start_s is not None:
                    run.end_s = time_s

    def _track_stop(self, run: _Run, spec: StoppedVehicle, actor: Actor, time_s: float) -> None:
        if actor.hold_at_m is None:
            return
        if actor.stopped_since_s is None:
            close = actor.hold_at_m - actor.front_m < STOP_SETTLE_M
            if close and actor.speed_mps < 0.6:
                actor.speed_mps = 0.0
                actor.stopped_since_s = time_s
                run.start_s = time_s
        elif time_s - actor.stopped_since_s >= spec.duration_s:
            actor.hold_at_m = None
            actor.stopped_since_s = None
            run.end_s = time_s

    def on_leave(self, actor: Actor, time_s: float) -> None:
        for run in self.runs:
            if run.actor is actor and run.end_s is None and run.start_s is not None:
                run.end_s = time_s

    # -- ground truth -----------------------------------------------------------------------
    def truths(self) -> tuple[IncidentTruth, ...]:
        return tuple(
            IncidentTruth(
                incident_id=run.incident_id,
                type=IncidentType(run.spec.type),
                start_s=_round(run.start_s),
                end_s=_round(run.end_s),
                track_ids=tuple(run.track_ids),
                lane_id=run.lane_id,
                class_name=run.class_name,
                scripted_speed_mps=run.scripted_speed_mps,
            )
            for run in self.runs
        )

    def active_ids(self) -> tuple[str, ...]:
        return tuple(
            run.incident_id for run in self.runs if run.start_s is not None and run.end_s is None
        )

    def riders_of(self, actor: Actor) -> tuple[int, ...]:
        return actor.rider_ids


def _round(value: float | None) -> float | None:
    # times come from summing 1/fps steps; round off the float dust for readable truth
    return None if value is None else round(value, 6)
