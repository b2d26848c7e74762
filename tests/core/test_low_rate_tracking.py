"""Linking boxes a second apart: on the road plane, by the boxes' colours (under 2 fps)."""

from __future__ import annotations

import numpy as np
import pytest

from console.config.site_file import SiteConfig
from console.detect.detections import Detections
from console.domain.geometry import GroundPlane
from console.track.appearance import (
    colour_descriptors,
    colour_likeness,
    colour_likeness_matrix,
)
from console.track.ground_matching import GroundTracks
from console.track.tracker import CameraTracker

WIDTH, HEIGHT = 1280, 720
ROAD_GREY = (110, 110, 110)
RED, BLUE, WHITE, GREEN = (30, 30, 200), (200, 60, 30), (235, 235, 232), (40, 170, 40)


@pytest.fixture
def ground(demo_site: SiteConfig) -> GroundPlane:
    highway = next(c for c in demo_site.cameras if c.calibration is not None)
    assert highway.calibration is not None
    return GroundPlane(highway.calibration, WIDTH, HEIGHT)


def box_on_road(ground: GroundPlane, across_m: float, along_m: float) -> np.ndarray:
    """The xyxy box of a car (1.8 m wide, 1.5 m high on the image) standing there."""
    tracks = GroundTracks(ground)
    foot = tracks.to_image(np.array([across_m, along_m]))[0]
    scale = float(tracks.scale_at(np.array([across_m, along_m]))[0])
    half_width, height = 0.9 * scale, 1.5 * scale
    return np.array([foot[0] - half_width, foot[1] - height, foot[0] + half_width, foot[1]])


def frame_with(cars: list[tuple[np.ndarray, tuple[int, int, int]]]) -> np.ndarray:
    image = np.full((HEIGHT, WIDTH, 3), ROAD_GREY, np.uint8)
    for box, colour in cars:
        x1, y1, x2, y2 = box.round().astype(int)
        image[y1:y2, x1:x2] = colour
    return image


def cars_as_detections(boxes: list[np.ndarray]) -> Detections:
    count = len(boxes)
    return Detections(
        np.array(boxes, np.float32).reshape(-1, 4),
        np.full(count, 0.9, np.float32),
        np.full(count, 2, np.int64),  # COCO car
        class_names={2: "car"},
    )


def test_a_stream_of_cars_a_second_apart_keeps_each_car_on_its_own_track(
    ground: GroundPlane,
) -> None:
    # Three cars 25 m apart at 25 m/s: a second later each stands where the one ahead
    # was, so on motion alone a new track may as well take the car behind it.
    colours = [RED, BLUE, WHITE]
    tracker = CameraTracker(detect_fps=1.0)
    tracker.use_ground(ground)
    ids_by_colour: dict[tuple[int, int, int], set[int]] = {c: set() for c in colours}
    for second in range(4):
        fronts = [20.0 + 25.0 * second - 25.0 * i for i in range(3)]
        cars = [
            (box_on_road(ground, 3.5, front), colour)
            for front, colour in zip(fronts, colours, strict=True)
            if front >= 12.0
        ]
        detections = cars_as_detections([box for box, _ in cars])
        tracked = tracker.update(detections, 100.0 + second, frame_with(cars))
        assert tracked.tracker_id is not None
        for i, track_id in enumerate(tracked.tracker_id.tolist()):
            box = tracked.xyxy[i]
            colour = next(c for b, c in cars if np.allclose(b, box, atol=1.0))
            ids_by_colour[colour].add(track_id)
    assert all(len(ids) == 1 for ids in ids_by_colour.values()), ids_by_colour
    assert len(set().union(*ids_by_colour.values())) == 3


def test_a_speeder_leaving_the_camera_keeps_its_track_at_one_fps(ground: GroundPlane) -> None:
    # 120 km/h away from the camera: 33 m a second, its box halving in height each time;
    # on the image neither its step nor its change of size lets a box-space tracker link it.
    tracker = CameraTracker(detect_fps=1.0)
    tracker.use_ground(ground)
    ids = []
    for second, along in enumerate((20.0, 53.0, 86.0, 119.0)):
        cars = [(box_on_road(ground, 3.5, along), RED), (box_on_road(ground, -7.0, 40.0), GREEN)]
        tracked = tracker.update(
            cars_as_detections([b for b, _ in cars]), 100.0 + second, frame_with(cars)
        )
        assert tracked.tracker_id is not None
        ids += [
            int(t)
            for t, box in zip(tracked.tracker_id, tracked.xyxy, strict=True)
            if np.allclose(box, cars[0][0], atol=1.0)
        ]
    assert len(ids) == 4 and len(set(ids)) == 1


def test_the_prediction_is_judged_at_the_size_the_box_should_have_there(
    ground: GroundPlane,
) -> None:
    tracks = GroundTracks(ground)
    tracks.fps = 1.0
    for frame_id, along in ((1, 30.0), (2, 63.0)):
        tracks.begin_frame(frame_id, box_on_road(ground, 3.5, along)[None], [None])
        tracks.remember([7], [0])
    predicted = box_on_road(ground, 3.5, 96.0)
    behind = box_on_road(ground, 3.5, 70.0)
    too_big = predicted.copy()
    too_big[1] -= 2 * (predicted[3] - predicted[1])  # three times the height it should have
    tracks.begin_frame(3, np.stack([predicted, behind, too_big]), [None, None, None])
    scores = tracks.similarity([7, 99], [0, 1, 2])
    assert scores[0, 0] > 0.9
    # 26 m short of the prediction: allowed for (speed changes), but well below it
    assert scores[0, 1] < scores[0, 0] - 0.25
    assert scores[0, 2] == 0.0
    assert not scores[1].any()  # a track never seen on the road: box overlap decides


def test_a_point_behind_the_camera_is_not_on_the_road_it_sees(ground: GroundPlane) -> None:
    tracks = GroundTracks(ground)
    seen = np.array([0.0, 30.0])
    assert tracks.in_front(np.array([0.0, 150.0]), seen)
    assert not tracks.in_front(np.array([0.0, -1000.0]), seen)


def test_colours_tell_cars_apart_and_survive_a_change_of_size() -> None:
    cars = [
        (np.array([100.0, 100.0, 180.0, 160.0]), RED),
        (np.array([300.0, 100.0, 340.0, 130.0]), RED),  # the same red car, half the size
        (np.array([500.0, 100.0, 580.0, 160.0]), BLUE),
        (np.array([700.0, 100.0, 708.0, 106.0]), WHITE),  # too small to say anything
    ]
    near, far, blue, tiny = colour_descriptors(frame_with(cars), np.stack([b for b, _ in cars]))
    assert tiny is None
    assert colour_likeness(near, far) == pytest.approx(1.0)
    assert colour_likeness(near, blue) == 0.0
    assert colour_likeness(near, tiny) == 1.0  # unknown colours neither help nor hurt


def test_the_likeness_matrix_agrees_with_opencv_pair_by_pair() -> None:
    """Every track against every box at once gives what ``cv2.compareHist`` gives per pair."""
    rng = np.random.default_rng(7)
    image = rng.integers(0, 256, (240, 320, 3), dtype=np.uint8)
    image[:, 160:] = (image[:, 160:] // 4) + np.array(BLUE, np.uint8) // 2
    boxes = np.array(
        [[10, 10, 60, 60], [170, 20, 230, 90], [100, 100, 140, 200], [0, 0, 8, 8]], float
    )
    descriptors = colour_descriptors(image, boxes)
    assert descriptors[3] is None  # too small to have a colour
    rows, columns = descriptors[:3] + [None], list(reversed(descriptors))
    matrix = colour_likeness_matrix(rows, columns)
    pairwise = np.array([[colour_likeness(a, b) for b in columns] for a in rows])
    assert np.allclose(matrix, pairwise, atol=1e-6)
    assert 0.0 <= matrix.min() < 0.5 and matrix.max() == 1.0  # unlike pairs exist here
