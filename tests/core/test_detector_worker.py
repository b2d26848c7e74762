"""The detector worker batches due frames by the settings a model call takes."""

from __future__ import annotations

import logging
import time

import numpy as np
import pytest

from console.config.site_file import load_site_text
from console.detect.detections import Detections
from console.pipeline.camera import CameraPipeline
from console.pipeline.scheduler import ABOVE_FLOOR_UTILISATION
from console.pipeline.worker import AnalysisResult, CameraFeed, DetectorWorker
from console.sources.base import Frame
from console.sources.buffers import LatestFrameSlot
from tests.core.rule_factories import SITE

NAMES = {0: "person", 2: "car"}


class RecordingModel:
    """Answers every image with no boxes and remembers how it was called."""

    names = NAMES

    def __init__(self) -> None:
        self.calls: list[tuple[int, float, int | None]] = []

    def predict(
        self,
        images: list[np.ndarray],
        confidence: float = 0.25,
        classes: list[int] | None = None,
        image_size: int | None = None,
    ) -> list[Detections]:
        self.calls.append((len(images), confidence, image_size))
        return [Detections.empty(NAMES) for _ in images]


def feed_with_frame(camera_id: str, image_size: int | None) -> CameraFeed:
    rules = "      - {type: congestion, zone: road}"
    site = load_site_text(SITE.format(rules=rules, calibration=""))
    camera = site.cameras[0].model_copy(
        update={"id": camera_id, "image_size": image_size, "confidence": 0.35}
    )
    slot = LatestFrameSlot()
    slot.put(Frame(np.zeros((72, 128, 3), np.uint8), 0, 0.0, 1_800_000_000.0))
    return CameraFeed(CameraPipeline(camera, site), slot)


def test_each_camera_is_analysed_at_its_own_input_size() -> None:
    model = RecordingModel()
    worker = DetectorWorker(model, max_batch=4)
    for camera_id, size in (("far-1", 800), ("near", None), ("far-2", 800), ("mid", 640)):
        worker.add_feed(feed_with_frame(camera_id, size))
    published: list[AnalysisResult] = []
    worker.listeners.append(published.append)

    worker._analyse(worker._due_frames(now=1.0))

    # One call per size: the two far cameras share a batch, the others go alone.
    assert sorted(model.calls, key=lambda call: call[2] or 0) == [
        (1, 0.35, None),
        (1, 0.35, 640),
        (2, 0.35, 800),
    ]
    assert sorted(r.camera_id for r in published) == ["far-1", "far-2", "mid", "near"]


def test_an_overloaded_detector_lowers_every_camera_fairly_and_favours_the_maximised_one() -> None:
    worker = DetectorWorker(RecordingModel())
    for index in range(6):
        worker.add_feed(feed_with_frame(f"cam{index}", None))
    worker.plan(now=100.0)  # nothing measured yet: every camera at its target
    assert [f.rate_fps for f in worker.feeds.values()] == [5.0] * 6
    assert not worker.overloaded

    worker.cost.add(0.05, 1)  # 50 ms a frame: about 17 frames a second, 30 asked for
    worker.plan(now=101.0)
    rates = [f.rate_fps for f in worker.feeds.values()]
    assert worker.overloaded
    # The floors (6 fps) fit; above them the plan fills the detector to 70 %, not 85 %.
    assert sum(rates) == pytest.approx(worker.cost.capacity_fps(ABOVE_FLOOR_UTILISATION))
    assert sum(rates) < worker.capacity_fps
    assert max(rates) - min(rates) < 1e-6 and min(rates) >= 1.0
    # The tracker follows the rate it gets: a lost track is kept for seconds, not frames.
    feed = worker.feeds["cam0"]
    assert feed.pipeline.tracker._tracker.max_frames_lost == round(3.0 * rates[0])

    worker.set_focus("cam3")
    worker.plan(now=102.0)
    focused = worker.feeds["cam3"].rate_fps
    others = [f.rate_fps for f in worker.feeds.values() if f.camera_id != "cam3"]
    assert focused > max(others)
    # What the budget refused is counted per camera, for the status and health records:
    # the second from 101 to 102 ran at the shared rate.
    assert worker.feeds["cam0"].skipped_by_budget == pytest.approx(5.0 - rates[0])


def test_too_many_cameras_share_the_capacity_below_the_floor_and_the_worker_says_so(
    caplog: pytest.LogCaptureFixture,
) -> None:
    worker = DetectorWorker(RecordingModel())
    for index in range(16):
        worker.add_feed(feed_with_frame(f"cam{index}", None))
    worker.cost.add(0.25, 1)  # 250 ms a frame: 3.4 frames a second for 16 cameras
    with caplog.at_level(logging.WARNING, logger="console.pipeline.worker"):
        worker.plan(now=100.0)
        worker.plan(now=101.0)
    rates = [f.rate_fps for f in worker.feeds.values()]
    assert not worker.floor_fits
    assert sum(rates) == pytest.approx(worker.capacity_fps)  # the plan fits the detector
    assert max(rates) - min(rates) < 1e-6 and max(rates) < 1.0
    overloaded = [r for r in caplog.records if "detector overloaded" in r.message]
    assert len(overloaded) == 1  # once, not every plan
    assert "16 cameras need 16.0 fps" in overloaded[0].message
    assert "each gets 21 % of its minimum" in overloaded[0].message

    fast, slow = type(worker.cost)(), worker.cost
    fast.add(0.02, 1)  # the machine freed up: 42 frames a second
    worker.cost = fast
    worker.plan(now=102.0)
    assert worker.floor_fits
    assert min(f.rate_fps for f in worker.feeds.values()) >= 1.0

    # A capacity hovering around the floor does not fill the log: again after a minute.
    with caplog.at_level(logging.WARNING, logger="console.pipeline.worker"):
        for now, cost in ((103.0, slow), (104.0, fast), (105.0, slow), (170.0, fast)):
            worker.cost = cost
            worker.plan(now=now)
        worker.cost = slow
        worker.plan(now=171.0)
    overloaded = [r for r in caplog.records if "detector overloaded" in r.message]
    assert len(overloaded) == 2


def test_the_worker_notes_when_it_took_each_frame_and_how_long_the_camera_waited() -> None:
    worker = DetectorWorker(RecordingModel())
    feed = feed_with_frame("cam", None)  # a frame captured at 0.0
    worker.add_feed(feed)
    feed.next_due_mono = 10.0
    taken = worker._due_frames(now=10.3)  # due at 10.0 with a frame already there
    assert [f.camera_id for f, _ in taken] == ["cam"]
    assert feed.taken_mono == 10.3
    assert feed.waited_s == pytest.approx(0.3)

    feed.slot.put(Frame(np.zeros((72, 128, 3), np.uint8), 1, 12.25, 1_800_000_002.0))
    due = feed.next_due_mono
    assert due < 12.25
    worker._due_frames(now=12.3)  # due before the frame arrived: it waited from its arrival
    assert feed.waited_s == pytest.approx(0.05)


def test_cameras_that_fall_due_together_are_spread_over_the_period_and_keep_their_rate() -> None:
    worker = DetectorWorker(RecordingModel(), max_batch=1)
    feeds = [feed_with_frame(f"cam{i}", None) for i in range(4)]
    for feed in feeds:
        feed.pipeline.set_rate(1.0)
        worker.add_feed(feed)
    worker.cost.add(0.05, 1)  # 50 ms of detector time a frame: the period holds 20
    now = 100.0
    for feed in feeds:  # all due at once, e.g. cameras that started together
        feed.next_due_mono = now
    takes: dict[str, list[float]] = {feed.camera_id: [] for feed in feeds}
    for _ in range(2000):  # 10 s in steps of 5 ms; each take costs the detector 50 ms
        for feed in feeds:
            feed.slot.put(Frame(np.zeros((72, 128, 3), np.uint8), 0, now, 1_800_000_000.0))
        batch = worker._due_frames(now)
        for feed, _ in batch:
            takes[feed.camera_id].append(now)
        now += 0.05 if batch else 0.005
    # after the first turn the four turns lie a quarter of the period apart...
    last_turns = sorted(times[-1] % 1.0 for times in takes.values())
    gaps = np.diff(last_turns + [last_turns[0] + 1.0])
    assert min(gaps) >= 0.2, last_turns
    # ...and each camera still gets its 1 fps
    for times in takes.values():
        assert len(times) >= 9
        assert np.diff(times[2:]) == pytest.approx(1.0, abs=0.06)  # once moved, then steady


class SizedModel(RecordingModel):
    """A model whose own input size ``image_size: auto`` resolved (``YoloModel.image_size``)."""

    def __init__(self, image_size: int) -> None:
        super().__init__()
        self.image_size = image_size


def test_auto_input_steps_down_when_the_floors_stay_unmet_with_the_cameras_running(
    caplog: pytest.LogCaptureFixture,
) -> None:
    model = SizedModel(800)
    worker = DetectorWorker(model)
    worker.smaller_sizes = [640, 480]
    steps: list[tuple[int, int]] = []
    worker.size_listeners.append(lambda before, after: steps.append((before, after)))
    for index in range(16):
        feed = feed_with_frame(f"cam{index}", None)
        feed.pipeline.use_model(model)
        worker.add_feed(feed)
    worker.cost.add(0.1, 1)  # 8.5 frames a second for 16 cameras: floors unmet
    with caplog.at_level(logging.WARNING, logger="console.pipeline.worker"):
        for second in range(15):  # a passing overload: the input stays
            worker.plan(now=100.0 + second)
        assert model.image_size == 800 and not steps
        worker.plan(now=115.0)  # unmet for 15 s: one size smaller
    assert model.image_size == 640 and steps == [(800, 640)]
    assert all(f.pipeline.model_image_size == 640 for f in worker.feeds.values())
    assert any("detector input 800 -> 640 px" in r.message for r in caplog.records)

    worker.cost = type(worker.cost)()
    worker.cost.add(0.01, 1)  # now they fit: no further step, and the count starts again
    for second in range(30):
        worker.plan(now=120.0 + second)
    assert model.image_size == 640 and worker.smaller_sizes == [480]


def test_the_idle_worker_sleeps_until_the_next_camera_is_due() -> None:
    worker = DetectorWorker(RecordingModel())
    early, late = feed_with_frame("early", None), feed_with_frame("late", None)
    worker.add_feed(early)
    worker.add_feed(late)
    early.next_due_mono, late.next_due_mono = 10.0015, 10.3
    assert worker._idle_s(now=10.0) == pytest.approx(0.0015)
    assert worker._idle_s(now=9.0) == 0.004  # never longer: a re-plan may bring a turn forward
    early.next_due_mono = 9.99  # due, its next frame not yet here: look again soon
    assert worker._idle_s(now=10.0) == 0.001


def test_an_idle_detector_takes_the_camera_due_next_a_little_early_and_its_rate_stays() -> None:
    worker = DetectorWorker(RecordingModel())
    soon, later = feed_with_frame("soon", None), feed_with_frame("later", None)
    for feed in (soon, later):
        feed.pipeline.set_rate(2.0)
        worker.add_feed(feed)
    worker.cost.add(0.03, 1)  # 30 ms a frame
    soon.next_due_mono = soon.grid_due_mono = 10.02  # within one frame's work
    later.next_due_mono = later.grid_due_mono = 10.2
    taken = worker._due_frames(now=10.0)
    assert [f.camera_id for f, _ in taken] == ["soon"]
    assert soon.waited_s == 0.0
    assert soon.grid_due_mono == pytest.approx(10.52)  # one period after its own turn
    assert worker._due_frames(now=10.01) == []  # "later" is 190 ms away: the detector waits


class SlowModel(RecordingModel):
    """Takes a known time per call, so the moment its boxes come out can be checked."""

    def predict(
        self,
        images: list[np.ndarray],
        confidence: float = 0.25,
        classes: list[int] | None = None,
        image_size: int | None = None,
    ) -> list[Detections]:
        time.sleep(0.05)
        return super().predict(images, confidence, classes, image_size)


def test_the_worker_notes_when_the_model_gave_the_boxes_before_tracker_and_rules() -> None:
    worker = DetectorWorker(SlowModel())
    feed = feed_with_frame("cam", None)
    worker.add_feed(feed)
    seen_at: list[float] = []  # the listener runs after tracker and rules
    worker.listeners.append(lambda _result: seen_at.append(time.monotonic()))
    taken_at = time.monotonic()

    worker._analyse(worker._due_frames(now=taken_at))

    assert feed.taken_mono == taken_at
    assert feed.detected_mono - taken_at >= 0.05  # after the model's call
    assert feed.detected_mono <= seen_at[0]  # and before the result was published
