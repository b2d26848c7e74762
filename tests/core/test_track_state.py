"""What rules read of a track: its majority class and its ground speed, kept up to date."""

from __future__ import annotations

import numpy as np
import pytest

from console.rules.tracks import Position, TrackState


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
