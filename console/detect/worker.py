"""The one detector worker: takes each camera's newest due frame, batches, infers, tracks.

All cameras share one model (one copy in memory, one inference at a time, as in Frigate).
A camera is due every ``1 / detect_fps`` seconds; when the model cannot keep up, the
oldest-served camera goes first and missed analysis slots are counted, never queued.
"""

from __future__ import annotations

import logging
import math
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Protocol

import numpy as np

from console.detect.detections import Detections
from console.detect.motion import MotionGate
from console.sources.base import Frame
from console.sources.buffers import LatestFrameSlot
from console.sources.capture import RateMeter
from console.track.tracker import CameraTracker

log = logging.getLogger(__name__)


class BatchModel(Protocol):
    """What the worker needs of a model: ``YoloModel`` has this shape."""

    names: dict[int, str]

    def predict(
        self,
        images: list[np.ndarray],
        confidence: float = 0.25,
        classes: list[int] | None = None,
        image_size: int | None = None,
    ) -> list[Detections]: ...


@dataclass(frozen=True, slots=True)
class AnalysisResult:
    """One analysed frame of one camera."""

    camera_id: str
    frame: Frame
    detections: Detections  # tracked: every row has a tracker_id
    inference_ms: float
    latency_ms: float  # from the frame leaving the decoder to these detections
    from_motion_gate: bool  # True when the model was skipped and the last boxes were kept
    raw_detections: Detections | None = None  # before tracking: every box the model saw


@dataclass
class CameraFeed:
    """The worker's state for one camera."""

    camera_id: str
    slot: LatestFrameSlot
    detect_fps: float
    tracker: CameraTracker
    confidence: float = 0.35
    class_ids: list[int] | None = None
    motion: MotionGate | None = None
    image_size: int | None = None  # detector input; None: the model's own
    seen_version: int = 0
    next_due_mono: float = 0.0
    analysed: int = 0
    skipped_by_motion: int = 0
    missed_slots: int = 0
    last_tracked: Detections | None = None
    meter: RateMeter = field(default_factory=RateMeter)

    @property
    def period_s(self) -> float:
        return 1.0 / self.detect_fps


class DetectorWorker(threading.Thread):
    def __init__(self, model: BatchModel, max_batch: int = 4) -> None:
        super().__init__(name="detector", daemon=True)
        self.model = model
        self.max_batch = max_batch
        self.feeds: dict[str, CameraFeed] = {}
        self.listeners: list[Callable[[AnalysisResult], None]] = []
        self._stop_event = threading.Event()
        self._feeds_lock = threading.Lock()
        self.inference_count = 0
        self.inference_seconds = 0.0
        self.last_error = ""

    def add_feed(self, feed: CameraFeed) -> None:
        with self._feeds_lock:
            self.feeds[feed.camera_id] = feed

    def remove_feed(self, camera_id: str) -> None:
        with self._feeds_lock:
            self.feeds.pop(camera_id, None)

    def stop(self) -> None:
        self._stop_event.set()

    def run(self) -> None:
        while not self._stop_event.is_set():
            batch = self._due_frames(time.monotonic())
            if not batch:
                self._stop_event.wait(0.004)
                continue
            try:
                self._analyse(batch)
            except Exception as error:  # keep serving the other cameras
                self.last_error = str(error)
                log.exception("detection failed for %s", [f.camera_id for f, _ in batch])
                self._stop_event.wait(0.5)

    def _due_frames(self, now: float) -> list[tuple[CameraFeed, Frame]]:
        with self._feeds_lock:
            feeds = list(self.feeds.values())
        due = [f for f in feeds if now >= f.next_due_mono]
        due.sort(key=lambda f: f.next_due_mono)
        batch: list[tuple[CameraFeed, Frame]] = []
        for feed in due:
            taken = feed.slot.take_newer(feed.seen_version)
            if taken is None:
                continue
            feed.seen_version, frame = taken
            if feed.next_due_mono:
                late = now - feed.next_due_mono
                if late > feed.period_s:
                    feed.missed_slots += math.floor(late / feed.period_s)
                feed.next_due_mono = max(
                    feed.next_due_mono + feed.period_s, now - feed.period_s / 2
                )
            else:
                feed.next_due_mono = now + feed.period_s
            batch.append((feed, frame))
            if len(batch) >= self.max_batch:
                break
        return batch

    def _analyse(self, batch: list[tuple[CameraFeed, Frame]]) -> None:
        to_infer: list[tuple[CameraFeed, Frame]] = []
        for feed, frame in batch:
            if (
                feed.motion is not None
                and feed.last_tracked is not None
                and not feed.motion.has_motion(frame.image)
            ):
                feed.skipped_by_motion += 1
                kept = feed.tracker.keep(feed.last_tracked, frame.captured_epoch)
                self._publish(feed, frame, kept, 0.0, True)
            else:
                if feed.motion is not None and feed.last_tracked is None:
                    feed.motion.has_motion(frame.image)  # prime the background
                to_infer.append((feed, frame))
        if not to_infer:
            return
        # One call per confidence/class/input-size setting keeps a batch usable by every
        # camera in it.
        groups: dict[
            tuple[float, tuple[int, ...] | None, int | None], list[tuple[CameraFeed, Frame]]
        ] = {}
        for feed, frame in to_infer:
            key = (
                feed.confidence,
                tuple(feed.class_ids) if feed.class_ids else None,
                feed.image_size,
            )
            groups.setdefault(key, []).append((feed, frame))
        for (confidence, classes, image_size), members in groups.items():
            started = time.perf_counter()
            results = self.model.predict(
                [frame.image for _, frame in members],
                confidence,
                list(classes) if classes else None,
                image_size,
            )
            elapsed = time.perf_counter() - started
            self.inference_count += len(members)
            self.inference_seconds += elapsed
            per_frame_ms = elapsed * 1000.0 / len(members)
            for (feed, frame), detections in zip(members, results, strict=True):
                tracked = feed.tracker.update(detections, frame.captured_epoch)
                self._publish(feed, frame, tracked, per_frame_ms, False, detections)

    def _publish(
        self,
        feed: CameraFeed,
        frame: Frame,
        tracked: Detections,
        inference_ms: float,
        gated: bool,
        raw: Detections | None = None,
    ) -> None:
        now = time.monotonic()
        feed.analysed += 1
        feed.last_tracked = tracked
        feed.meter.tick(now)
        result = AnalysisResult(
            feed.camera_id,
            frame,
            tracked,
            inference_ms,
            (now - frame.captured_mono) * 1000.0,
            gated,
        )
        for listener in list(self.listeners):
            try:
                listener(result)
            except Exception:
                log.exception("analysis listener %r failed", listener)
