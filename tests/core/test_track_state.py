"""What rules read of a track: its majority class and its ground speed, kept up to date."""

from __future__ import annotations

import pytest

from console.rules.tracks import Position, TrackState


def at(time_s: float, metres: float, class_name: str = "car") -> Position:
    return Position(time_s, 0.0, 0.0, (0.0, metres), (0.0, 0.0, 1.0, 1.0), False, class_name)


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
