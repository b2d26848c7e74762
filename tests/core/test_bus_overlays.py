"""Overlays on a display console: the nodes' boxes at the shown frame's capture time."""

from __future__ import annotations

import numpy as np

from console.bus.messages import BoxJson, TracksMessage
from console.bus.overlays import OverlayMatcher
from console.sources.base import Frame


def result(at: float, x: float, *, epoch: int = 1, track: int = 7) -> TracksMessage:
    box = BoxJson(track_id=track, class_name="car", confidence=0.9, xyxy=(x, 10, x + 20, 30))
    return TracksMessage(
        site="s",
        node="n",
        camera_id="cam",
        epoch=epoch,
        captured_at=at,
        frame_index=0,
        width=640,
        height=360,
        boxes=[box],
    )


def frame(at: float, index: int = 1, width: int = 640) -> Frame:
    return Frame(np.zeros((width * 9 // 16, width, 3), np.uint8), index, 0.0, at)


def test_boxes_are_interpolated_between_the_results_around_the_shown_frame() -> None:
    matcher = OverlayMatcher()
    matcher.add_result(result(100.0, 0.0), arrived_epoch=100.3)
    matcher.add_result(result(100.4, 40.0), arrived_epoch=100.7)
    drawn = matcher.result_for("cam", frame(100.1))
    assert drawn is not None
    assert np.allclose(drawn.detections.xyxy[0], (10.0, 10.0, 30.0, 30.0))
    assert drawn is matcher.result_for("cam", frame(100.1))  # same frame: the same object


def test_boxes_scale_to_the_shown_stream_and_far_results_are_not_drawn() -> None:
    matcher = OverlayMatcher()
    matcher.add_result(result(100.0, 0.0), arrived_epoch=100.2)
    matcher.add_result(result(100.4, 40.0), arrived_epoch=100.6)
    main = matcher.result_for("cam", frame(100.4, width=1280))
    assert main is not None and np.allclose(main.detections.xyxy[0], (80, 20, 120, 60))
    assert matcher.result_for("cam", frame(103.0)) is None  # nothing analysed near then


def test_the_delay_follows_the_arrival_lag_and_period() -> None:
    matcher = OverlayMatcher()
    for n in range(20):
        at = 100.0 + 0.4 * n
        matcher.add_result(result(at, float(n)), arrived_epoch=at + 0.25)
    assert abs(matcher.delay_s - 0.65) < 0.01  # 0.25 s late + 0.4 s between results


def test_a_stale_epoch_is_dropped_and_a_new_owner_replaces_the_old() -> None:
    matcher = OverlayMatcher()
    matcher.add_result(result(100.0, 0.0, epoch=5), arrived_epoch=100.2)
    matcher.add_result(result(100.4, 50.0, epoch=4), arrived_epoch=100.6)
    assert matcher.stale_dropped == 1
    matcher.add_result(result(100.8, 90.0, epoch=9), arrived_epoch=101.0)
    drawn = matcher.result_for("cam", frame(100.8))
    assert drawn is not None and drawn.detections.xyxy[0][0] == 90.0
    assert len(matcher._cameras["cam"].results) == 1  # the old owner's results are gone
