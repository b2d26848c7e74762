"""What rules read of a track: its majority class and its ground speed, kept up to date."""

from __future__ import annotations

import numpy as np
import pytest

from console.detect.detections import Detections
from console.rules.tracks import Position, TrackBook, TrackState
from console.track.tracker import CameraTracker


def at(time_s: float, metres: float, class_name: str = "car", across: float = 0.0) -> Position:
    world = (across, metres)
    return Position(time_s, 0.0, 0.0, world, (0.0, 0.0, 1.0, 1.0), False, class_name)


def test_majority_class_follows_the_votes_and_a_tie_goes_to_the_class_seen_first() -> None:
    track = TrackState(1)
    assert track.class_name == "unknown"
    seen = []
    for time_s, name in enumerate(["car", "truck", "truck", "car", "car", "bus"]):
        track.record(at(float(time_s), 0.0, name))
        seen.append(track.class_name)
    # car 1; truck 1 (tie: car first); truck 2; car 2 (tie: car first); car 3; bus 1
    assert seen == ["car", "car", "truck", "car", "car", "car"]
    assert track.class_votes == {"car": 3, "truck": 2, "bus": 1}


def test_speed_is_refitted_when_the_track_moves_on() -> None:
    track = TrackState(1)
    for step in range(10):  # 10 m/s for 2 s, at 5 fps
        track.record(at(step * 0.2, step * 2.0))
    assert track.speed_mps(1.5) == pytest.approx(10.0)
    for step in range(10, 20):  # then 20 m/s
        track.record(at(step * 0.2, 18.0 + (step - 9) * 4.0))
    assert track.speed_mps(1.5) == pytest.approx(20.0)
    assert track.speed_mps(1.5) == pytest.approx(20.0)  # asked again on the same frame


def test_positions_off_a_steady_line_give_no_speed() -> None:
    track = TrackState(1)
    for step, metres in enumerate([0.0, 2.0, 9.0, 1.0, 8.0, 2.0, 10.0, 3.0]):
        track.record(at(step * 0.2, metres))
    assert track.speed_mps(1.5) is None
    assert [p.time_s for p in track.since(1.0)] == pytest.approx([1.0, 1.2, 1.4])


def test_a_box_that_jumps_to_the_next_lane_gives_no_speed_but_a_lane_change_does() -> None:
    # 25 m/s (90 km/h); at 0.6 s the id passes to the car 6 m ahead, one lane (3.5 m) over
    switched = TrackState(1)
    for step in range(6):
        jumped = step >= 3
        metres = step * 5.0 + (6.0 if jumped else 0.0)
        switched.record(at(step * 0.2, metres, across=3.5 if jumped else 0.0))
    assert switched.speed_mps(1.0) is None
    # the same car moving over by a lane in that second keeps its speed
    changing = TrackState(2)
    for step in range(6):
        changing.record(at(step * 0.2, step * 5.0, across=3.5 * step / 5))
    assert changing.speed_mps(1.0) == pytest.approx(np.hypot(25.0, 3.5), rel=0.01)


def _boxes(*rows: tuple[float, float, float, float]) -> Detections:
    return Detections(
        np.array(rows, np.float32).reshape(-1, 4),
        np.full(len(rows), 0.9, np.float32),
        np.full(len(rows), 3, np.int64),  # motorcycle
    )


def test_a_confirmed_track_keeps_the_box_it_was_first_seen_in() -> None:
    # ByteTrack confirms a new track on its second sighting; at 1-2 fps the first one is
    # a large share of a short track, so rules get it too (one frame earlier).
    tracker = CameraTracker(detect_fps=2.0)
    tracker.update(_boxes((100, 100, 140, 180)), 0.0)  # frame 1: ByteTrack's first frame
    first = tracker.update(_boxes((400, 400, 440, 480)), 0.5)  # a newcomer elsewhere
    assert len(first) == 0  # not confirmed yet
    assert tracker.take_first_sightings() == []
    confirmed = tracker.update(_boxes((410, 395, 450, 475)), 1.0)
    assert confirmed.tracker_id is not None and len(confirmed) == 1
    [(seen_s, sighting)] = tracker.take_first_sightings()
    assert seen_s == 0.5
    assert sighting.xyxy.tolist() == [[400, 400, 440, 480]]
    assert sighting.tracker_id is not None
    assert sighting.tracker_id.tolist() == confirmed.tracker_id.tolist()

    book = TrackBook(ground=None)
    [state] = book.update(confirmed, 1.0, 1280, 720, [(seen_s, sighting)])
    assert [p.time_s for p in state.positions] == [0.5, 1.0]
    assert state.first_seen_s == 0.5
    assert tracker.take_first_sightings() == []  # taken once


def _seen_after_gap(period_s: float, frames_missed: int) -> bool:
    """A track seen on every frame, then missed on ``frames_missed``, then seen again."""
    book = TrackBook(ground=None)
    nobody = _boxes().with_tracker_ids(np.zeros(0, np.int64))
    car = _boxes((100, 100, 140, 180)).with_tracker_ids(np.array([7], np.int64))
    frame = 0
    for _ in range(6):
        book.update(car, frame * period_s, 1280, 720)
        frame += 1
    for _ in range(frames_missed):
        book.update(nobody, frame * period_s, 1280, 720)
        frame += 1
    [state] = book.update(car, frame * period_s, 1280, 720)
    return state.resumed_after_gap


def test_a_gap_is_judged_against_the_cameras_analysis_period() -> None:
    # At 5 fps a track unseen for over a second has broken (the id may be someone else's
    # now); at 1 fps one missed frame is a 2 s gap and no break, two missed frames are.
    assert _seen_after_gap(0.2, frames_missed=6)
    assert not _seen_after_gap(0.2, frames_missed=3)
    assert not _seen_after_gap(1.0, frames_missed=1)
    assert _seen_after_gap(1.0, frames_missed=2)
