"""Every scripted incident type happens as scripted and shows up in the ground truth."""

from __future__ import annotations

import cv2
import numpy as np
import pytest

from console.sim import IncidentType, SignalState, SimConfig, SimFrame, Simulator
from console.sim.scenario import SCENARIO_DIR
from console.sim.scenes import scene_geometry

WIDTH, HEIGHT, FPS = 480, 270, 10.0


def play(
    name: str, seconds: float, scene: str = "highway", fps: float = FPS
) -> tuple[Simulator, list[SimFrame]]:
    sim = Simulator(
        SimConfig(
            scene=scene, fps=fps, width=WIDTH, height=HEIGHT, scenario=SCENARIO_DIR / f"{name}.yaml"
        )
    )
    frames = [sim.next_frame() for _ in range(int(seconds * fps))]
    return sim, frames


def sightings(frames: list[SimFrame], track_id: int) -> list[tuple[SimFrame, object]]:
    return [(f, o) for f in frames for o in f.truth.objects if o.track_id == track_id]


def only_incident(sim: Simulator, kind: IncidentType):
    (incident,) = sim.incidents
    assert incident.type is kind
    assert incident.start_s is not None
    return incident


def test_normal_traffic_has_no_incidents() -> None:
    sim, frames = play("normal-traffic", 5)
    assert sim.incidents == ()
    assert all(f.truth.active_incident_ids == () for f in frames)


@pytest.mark.slow
def test_wrong_way_vehicle_drives_against_its_lane() -> None:
    sim, frames = play("wrong-way", 25)
    incident = only_incident(sim, IncidentType.WRONG_WAY)
    assert incident.start_s == pytest.approx(3.0)
    assert incident.end_s is not None and incident.end_s > incident.start_s + 10
    (track,) = incident.track_ids
    seen = sightings(frames, track)
    assert len(seen) > 50
    for frame, obj in seen:
        assert obj.lane_id == "away-1"
        assert obj.heading_deg == pytest.approx(-90.0)  # the lane runs at +90 degrees
        assert incident.start_s <= frame.timestamp_s <= incident.end_s
        assert incident.incident_id in frame.truth.active_incident_ids
    assert seen[-1][1].world_y_m < seen[0][1].world_y_m


@pytest.mark.slow
def test_stopped_vehicle_stands_still_in_the_emergency_lane() -> None:
    fps = 5.0
    sim, frames = play("stopped-vehicle", 45, fps=fps)
    incident = only_incident(sim, IncidentType.STOPPED_VEHICLE)
    assert incident.end_s == pytest.approx(incident.start_s + 30.0, abs=1 / fps + 0.01)
    (track,) = incident.track_ids
    lane = scene_geometry("highway", WIDTH, HEIGHT).emergency_lanes[0]
    polygon = np.array([(p.x * WIDTH, p.y * HEIGHT) for p in lane], np.float32)
    during = [
        (f, o)
        for f, o in sightings(frames, track)
        if incident.start_s <= f.timestamp_s < incident.end_s
    ]
    assert len(during) >= 29 * fps
    for _, obj in during:
        assert obj.speed_mps == 0.0
        assert obj.lane_id == "away-e"
        assert obj.class_name == "truck"
        foot = ((obj.box_xyxy[0] + obj.box_xyxy[2]) / 2, obj.box_xyxy[3] - 2)
        assert cv2.pointPolygonTest(polygon, foot, False) >= 0
    assert len({(o.world_x_m, o.world_y_m) for _, o in during}) == 1
    after = [o for f, o in sightings(frames, track) if f.timestamp_s > incident.end_s + 3]
    assert after and after[-1].speed_mps > 1.0  # it drives off again


def test_speeder_holds_exactly_its_scripted_speed() -> None:
    sim, frames = play("speeding", 12)
    incident = only_incident(sim, IncidentType.SPEEDING)
    (track,) = incident.track_ids
    seen = sightings(frames, track)
    assert len(seen) > 30
    for _, obj in seen:
        assert obj.speed_mps == pytest.approx(33.0, abs=1e-6)
        assert obj.lane_id == "away-1"
    # and the world positions agree: distance over time is the scripted speed
    (f0, a), (f1, b) = seen[0], seen[-1]
    travelled = b.world_y_m - a.world_y_m
    assert travelled / (f1.timestamp_s - f0.timestamp_s) == pytest.approx(33.0, rel=1e-3)


@pytest.mark.slow
def test_red_light_runner_crosses_the_stop_line_on_red() -> None:
    sim, frames = play("red-light", 30, scene="intersection")
    incident = only_incident(sim, IncidentType.RED_LIGHT)
    (track,) = incident.track_ids
    at_start = min(frames, key=lambda f: abs(f.timestamp_s - incident.start_s))
    assert at_start.truth.signal_state is SignalState.RED
    seen = sightings(frames, track)
    crossing = [
        (f, o)
        for (f, o), (_, prev) in zip(seen[1:], seen, strict=False)
        if prev.world_y_m < 25.5 <= o.world_y_m
    ]
    assert len(crossing) == 1
    frame, obj = crossing[0]
    assert frame.truth.signal_state is SignalState.RED
    assert obj.class_name == "motorcycle" and obj.lane_id == "north-2"
    # other road users in its lane waited: none crossed in the same red phase
    for f in frames:
        if f.truth.signal_state is SignalState.RED and f.truth.signal_remaining_s < 20:
            for o in f.truth.objects:
                if (
                    o.lane_id in ("north-1", "north-2")
                    and o.track_id != track
                    and o.rider_of is None
                    and 25.5 < o.world_y_m < 27.0
                ):
                    assert o.speed_mps < 0.5


@pytest.mark.slow
def test_congestion_fills_the_road_and_slows_it() -> None:
    sim, frames = play("congestion", 60, fps=5.0)
    incident = only_incident(sim, IncidentType.CONGESTION)
    assert (incident.start_s, incident.end_s) == (5.0, None)
    assert incident.incident_id in frames[-1].truth.active_incident_ids

    def away(frame: SimFrame) -> list:
        return [
            o
            for o in frame.truth.objects
            if o.lane_id and o.lane_id.startswith("away-") and o.rider_of is None
        ]

    before = [away(f) for f in frames if f.timestamp_s < 5.0]
    jam = [away(f) for f in frames if f.timestamp_s > 45.0]
    mean_speed_before = np.mean([o.speed_mps for objs in before for o in objs])
    mean_speed_jam = np.mean([o.speed_mps for objs in jam for o in objs])
    assert mean_speed_before > 10.0
    assert mean_speed_jam < 3.0
    assert np.mean([len(o) for o in jam]) > 1.5 * np.mean([len(o) for o in before])
    assert set(incident.track_ids) >= {o.track_id for o in jam[-1]}


@pytest.mark.slow
def test_pedestrian_walks_across_the_carriageway() -> None:
    sim, frames = play("pedestrian-on-road", 45, fps=5.0)
    incident = only_incident(sim, IncidentType.PEDESTRIAN_ON_ROAD)
    assert incident.end_s is not None
    (track,) = incident.track_ids
    seen = sightings(frames, track)
    on_road = [(f, o) for f, o in seen if incident.start_s <= f.timestamp_s < incident.end_s]
    assert on_road
    for _, obj in on_road:
        assert obj.class_name == "person" and obj.rider_of is None
        assert -15.0 <= obj.world_x_m <= 15.0
        assert obj.world_y_m == pytest.approx(70.0)
    lanes = {o.lane_id for _, o in on_road}
    assert {"away-1", "away-3", "toward-1", "toward-3"} <= lanes
    # traffic gives way: nobody runs the person over
    for frame, person in on_road:
        for o in frame.truth.objects:
            if o.track_id != track and o.rider_of is None:
                hit = (
                    abs(o.world_x_m - person.world_x_m) < 0.6
                    and abs(o.world_y_m - person.world_y_m) < 1.0
                )
                assert not hit, (frame.timestamp_s, o)


def test_lane_violation_puts_a_motorbike_in_the_car_lane() -> None:
    sim, frames = play("lane-violation", 10)
    incident = only_incident(sim, IncidentType.LANE_VIOLATION)
    (track,) = incident.track_ids
    seen = sightings(frames, track)
    assert seen
    allowed = scene_geometry("highway").lane("away-1").allowed_classes
    for _, obj in seen:
        assert obj.class_name == "motorcycle" and obj.lane_id == "away-1"
        assert obj.class_name not in allowed
