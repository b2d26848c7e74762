"""Simulator frames: determinism, boxes, tracks, riders, traffic behaviour, signal."""

from __future__ import annotations

import hashlib
from collections import Counter, defaultdict

import numpy as np
import pytest

from console.domain.classes import COCO_NAMES
from console.sim import Lighting, SignalState, SimConfig, Simulator
from console.sim.scenes import scene_geometry

SMALL = {"width": 480, "height": 270}
# smallest length and width per class, so overlap checks never blame a legal pair
MIN_DIMS = {
    "car": (4.2, 1.72),
    "bus": (9.5, 2.5),
    "truck": (6.7, 2.4),
    "motorcycle": (1.8, 0.68),
    "bicycle": (1.75, 0.45),
}


def frame_hashes(config: SimConfig, count: int) -> list[str]:
    sim = Simulator(config)
    return [hashlib.sha256(sim.next_frame().image.tobytes()).hexdigest() for _ in range(count)]


def run(config: SimConfig, count: int) -> list:
    sim = Simulator(config)
    return [sim.next_frame() for _ in range(count)]


@pytest.mark.parametrize("scene", ["highway", "intersection"])
def test_same_seed_gives_identical_frames_and_truth(scene: str) -> None:
    config = SimConfig(scene=scene, seed=5, shake=0.5, rain=0.3, noise=0.2, **SMALL)
    first, second = run(config, 15), run(config, 15)
    for a, b in zip(first, second, strict=True):
        assert np.array_equal(a.image, b.image)
        assert a.truth == b.truth


def test_different_seed_gives_different_frames() -> None:
    a = frame_hashes(SimConfig(seed=1, **SMALL), 5)
    b = frame_hashes(SimConfig(seed=2, **SMALL), 5)
    assert not set(a) & set(b)


def test_frames_have_requested_size_type_and_timestamps() -> None:
    frames = run(SimConfig(width=320, height=200, fps=10), 4)
    for index, frame in enumerate(frames):
        assert frame.image.shape == (200, 320, 3)
        assert frame.image.dtype == np.uint8
        assert frame.index == index
        assert frame.timestamp_s == pytest.approx(index / 10)


@pytest.mark.parametrize("scene", ["highway", "intersection"])
@pytest.mark.parametrize("lighting", [Lighting.DAY, Lighting.NIGHT])
def test_truth_boxes_lie_inside_the_frame_with_coco_ids(scene: str, lighting: Lighting) -> None:
    frames = run(SimConfig(scene=scene, lighting=lighting, shake=1.0, **SMALL), 10)
    seen = 0
    for frame in frames:
        for obj in frame.truth.objects:
            x1, y1, x2, y2 = obj.box_xyxy
            assert 0 <= x1 < x2 <= SMALL["width"] and 0 <= y1 < y2 <= SMALL["height"]
            assert COCO_NAMES[obj.class_id] == obj.class_name
            assert 0.0 < obj.visible_fraction <= 1.0
            seen += 1
    assert seen > 50


def test_night_is_darker_than_day_but_has_bright_lights() -> None:
    day = run(SimConfig(lighting=Lighting.DAY), 1)[0].image
    night = run(SimConfig(lighting=Lighting.NIGHT), 1)[0].image
    assert night.mean() < 0.5 * day.mean()
    assert (night.max(axis=2) > 230).sum() > 20  # headlights, lamps


def test_track_ids_are_stable_and_motion_is_continuous() -> None:
    fps = 25.0
    frames = run(SimConfig(fps=fps, **SMALL), 40)
    history: dict[int, list] = defaultdict(list)
    for frame in frames:
        ids = [obj.track_id for obj in frame.truth.objects]
        assert len(ids) == len(set(ids))
        for obj in frame.truth.objects:
            history[obj.track_id].append((frame.index, obj))
    moved = 0
    for entries in history.values():
        assert len({obj.class_name for _, obj in entries}) == 1
        for (i0, a), (i1, b) in zip(entries, entries[1:], strict=False):
            if i1 != i0 + 1 or a.rider_of is not None:
                continue
            step = np.hypot(b.world_x_m - a.world_x_m, b.world_y_m - a.world_y_m)
            # one frame of travel at the speeds before and after (plus rounding)
            assert step <= max(a.speed_mps, b.speed_mps) / fps + 0.01
            moved += step > 0
    assert moved > 100


def test_riders_sit_on_their_two_wheelers() -> None:
    frames = run(SimConfig(**SMALL), 10)
    riders = 0
    for frame in frames:
        by_id = {obj.track_id: obj for obj in frame.truth.objects}
        for obj in frame.truth.objects:
            if obj.rider_of is None:
                continue
            riders += 1
            assert obj.class_name == "person"
            bike = by_id.get(obj.rider_of)
            if bike is None:  # the bike can be cropped out while the rider is not
                continue
            assert bike.class_name in ("motorcycle", "bicycle")
            ix = min(obj.box_xyxy[2], bike.box_xyxy[2]) - max(obj.box_xyxy[0], bike.box_xyxy[0])
            iy = min(obj.box_xyxy[3], bike.box_xyxy[3]) - max(obj.box_xyxy[1], bike.box_xyxy[1])
            assert ix > 0 and iy > 0
            # the rider sits above the bike: its box centre is higher in the image
            assert obj.box_xyxy[1] + obj.box_xyxy[3] < bike.box_xyxy[1] + bike.box_xyxy[3]
    assert riders > 20


def test_motorbikes_are_the_majority_of_road_users() -> None:
    frames = run(SimConfig(fps=5, **SMALL), 60)
    classes: dict[int, str] = {}
    for frame in frames:
        for obj in frame.truth.objects:
            if obj.rider_of is None and obj.class_name != "person":
                classes[obj.track_id] = obj.class_name
    counts = Counter(classes.values())
    share = counts["motorcycle"] / sum(counts.values())
    assert 0.45 <= share <= 0.8, counts
    assert counts["car"] and (counts["truck"] or counts["bus"])


@pytest.mark.parametrize("scene", ["highway", "intersection"])
def test_vehicles_in_a_lane_never_overlap(scene: str) -> None:
    frames = run(SimConfig(scene=scene, fps=5, traffic_density=1.5, **SMALL), 120)
    pairs = 0
    for frame in frames:
        vehicles = [o for o in frame.truth.objects if o.class_name in MIN_DIMS and o.lane_id]
        for i, a in enumerate(vehicles):
            for b in vehicles[i + 1 :]:
                if a.lane_id != b.lane_id:
                    continue
                pairs += 1
                la, wa = MIN_DIMS[a.class_name]
                lb, wb = MIN_DIMS[b.class_name]
                along_y = abs(np.sin(np.radians(a.heading_deg))) > 0.5
                dx, dy = abs(a.world_x_m - b.world_x_m), abs(a.world_y_m - b.world_y_m)
                along, across = (dy, dx) if along_y else (dx, dy)
                overlap = along < (la + lb) / 2 - 0.05 and across < (wa + wb) / 2 - 0.05
                assert not overlap, (frame.index, a, b)
    assert pairs > 100


@pytest.mark.slow
def test_signal_cycles_with_known_timing_and_lamp_shows_it() -> None:
    config = SimConfig(scene="intersection", fps=5, width=640, height=360)
    sim = Simulator(config)
    roi = scene_geometry("intersection", 640, 360).signal_roi
    assert roi is not None
    states = {}
    lamp_colour = {}
    for _ in range(5 * 46):
        frame = sim.next_frame()
        state = frame.truth.signal_state
        states[round(frame.timestamp_s, 1)] = state
        crop = frame.image[
            int(roi.y1 * 360) : int(roi.y2 * 360) + 1, int(roi.x1 * 640) : int(roi.x2 * 640) + 1
        ].astype(int)
        red = ((crop[..., 2] > 200) & (crop[..., 1] < 120)).sum()
        green = ((crop[..., 1] > 200) & (crop[..., 2] < 200)).sum()
        lamp_colour.setdefault(state, []).append((red, green))
    # plan: 5 s of main green already elapsed at t=0, green 20, amber 3, then 22 s of red
    assert states[0.0] is SignalState.GREEN and states[14.8] is SignalState.GREEN
    assert states[15.0] is SignalState.AMBER and states[17.8] is SignalState.AMBER
    assert states[18.0] is SignalState.RED and states[39.8] is SignalState.RED
    assert states[40.0] is SignalState.GREEN
    assert all(red > 0 and green == 0 for red, green in lamp_colour[SignalState.RED])
    assert all(green > 0 and red == 0 for red, green in lamp_colour[SignalState.GREEN])


@pytest.mark.slow
def test_normal_traffic_stops_at_red() -> None:
    stop_line_y = 25.5
    fps = 10.0
    sim = Simulator(SimConfig(scene="intersection", fps=fps, **SMALL))
    last_y: dict[int, float] = {}
    stopped_at_line = 0
    for _ in range(int(50 * fps)):
        frame = sim.next_frame()
        red_for = None
        if frame.truth.signal_state is SignalState.RED:
            red_for = frame.truth.signal_remaining_s
        for obj in frame.truth.objects:
            if obj.lane_id not in ("north-1", "north-2") or obj.rider_of is not None:
                continue
            before = last_y.get(obj.track_id)
            last_y[obj.track_id] = obj.world_y_m
            # centres cross the line up to ~2 s after the front did on amber
            if before is not None and red_for is not None and red_for < 20.0:
                assert not (before < stop_line_y <= obj.world_y_m), (frame.timestamp_s, obj)
            if red_for is not None and obj.speed_mps == 0.0 and 15 < obj.world_y_m < 25.5:
                stopped_at_line += 1
    assert stopped_at_line > 0


def test_scene_geometry_is_normalized_and_calibrated() -> None:
    import cv2

    for scene in ("highway", "intersection"):
        geometry = scene_geometry(scene, 1280, 720)
        points = [p for lane in geometry.lanes for p in lane.polygon] + list(geometry.carriageway)
        assert all(0.0 <= p.x <= 1.0 and 0.0 <= p.y <= 1.0 for p in points)
        assert len(geometry.calibration) >= 4
        image = np.array([(c.image.x * 1280, c.image.y * 720) for c in geometry.calibration])
        ground = np.array([(c.ground_x_m, c.ground_y_m) for c in geometry.calibration])
        homography, _ = cv2.findHomography(image, ground)
        # a truth object's ground point maps back to its world position through it
        frame = run(SimConfig(scene=scene), 1)[0]
        sim_camera = Simulator(SimConfig(scene=scene)).camera
        obj = max(frame.truth.objects, key=lambda o: o.box_xyxy[3] - o.box_xyxy[1])
        u, v = sim_camera.project_ground(obj.world_x_m, obj.world_y_m)
        mapped = cv2.perspectiveTransform(np.array([[[u, v]]]), homography)[0, 0]
        assert mapped == pytest.approx([obj.world_x_m, obj.world_y_m], abs=0.05)
    highway = scene_geometry("highway", 1280, 720)
    assert len(highway.emergency_lanes) == 2
    assert "motorcycle" not in highway.lane("away-1").allowed_classes
    assert highway.lane("away-1").direction.y < 0 < highway.lane("toward-1").direction.y
    crossing = scene_geometry("intersection", 1280, 720)
    assert crossing.stop_line is not None and crossing.crosswalk is not None
