"""The one detector worker: takes each camera's newest due frame, batches, runs its pipeline.

All cameras share one model (one copy in memory, one inference at a time, as in Frigate).
A camera is due every ``1 / rate`` seconds, where the rate is its ``detect_fps`` while the
detector can serve every camera, and its fair share of the measured capacity when it
cannot (console/pipeline/scheduler.py): frames are skipped by plan, never queued, so the
latency stays near one inference. Missed slots and skipped frames are counted with their
reason.
Everything after the model (tracker, rules, alert policy) is the camera's
:class:`~console.pipeline.camera.CameraPipeline`, the same code every other entry point runs.
"""

from __future__ import annotations

import logging
import math
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from console.detect.model import BatchModel
from console.pipeline.camera import CameraPipeline
from console.pipeline.records import AnalysisResult
from console.pipeline.scheduler import (
    ABOVE_FLOOR_UTILISATION,
    BUSY_WEIGHT,
    FLOOR_FPS,
    FOCUS_WEIGHT,
    CameraDemand,
    CostMeter,
    fair_shares,
    floor_fits,
)
from console.sources.base import Frame
from console.sources.buffers import LatestFrameSlot
from console.sources.capture import RateMeter

log = logging.getLogger(__name__)
FLOOR_WARNING_EVERY_S = 60.0
# ``image_size: auto`` is chosen at start from the model's time alone; when, with the
# cameras decoding, their minimum rates still do not fit for this long, the input steps
# down to the next smaller size measured at start.
STEP_DOWN_AFTER_S = 15.0
IDLE_POLL_S, IDLE_MAX_S = 0.001, 0.004  # the idle worker's sleep: a frame due, none due

__all__ = ["AnalysisResult", "BatchModel", "CameraFeed", "DetectorWorker"]


@dataclass
class CameraFeed:
    """The worker's scheduling state for one camera; the analysis is its ``pipeline``."""

    pipeline: CameraPipeline
    slot: LatestFrameSlot
    # Every frame put in the slot is analysed (a file read in lockstep), none by the clock.
    every_frame: bool = False
    seen_version: int = 0
    next_due_mono: float = 0.0
    grid_due_mono: float = 0.0  # next_due_mono before _spaced moved it
    missed_slots: int = 0
    skipped_by_budget: float = 0.0  # analyses the camera asked for that the budget refused
    meter: RateMeter = field(default_factory=lambda: RateMeter(window_s=10.0))
    # The frame being analysed: when the worker took it, and how long this camera had been
    # due with a frame waiting before the detector got to it (its wait behind the others).
    # Result listeners run on the worker thread, so they read the values of their result.
    taken_mono: float = 0.0
    waited_s: float = 0.0
    # When the frame's boxes came out of the model (or the motion gate kept the last ones),
    # before the tracker and rules: the frame -> detections part of its latency.
    detected_mono: float = 0.0

    @property
    def camera_id(self) -> str:
        return self.pipeline.camera_id

    @property
    def target_fps(self) -> float:
        return self.pipeline.detect_fps

    @property
    def rate_fps(self) -> float:
        return self.pipeline.rate_fps

    @property
    def period_s(self) -> float:
        return 1.0 / self.pipeline.rate_fps


class DetectorWorker(threading.Thread):
    def __init__(
        self,
        model: BatchModel,
        max_batch: int = 4,
        *,
        budget: bool = True,
        floor_fps: float = FLOOR_FPS,
        plan_every_s: float = 1.0,
    ) -> None:
        super().__init__(name="detector", daemon=True)
        self.model = model
        self.max_batch = max_batch
        self.budget = budget
        self.floor_fps = floor_fps
        self.plan_every_s = plan_every_s
        self.cost = CostMeter()
        self.focus: str | None = None  # the camera on the operator's maximised tile
        self._planned_mono = 0.0
        self._replan = False
        # False while the cameras are too many for the detector to give each the floor.
        self.floor_fits = True
        self._floor_warned_mono: float | None = None
        self.feeds: dict[str, CameraFeed] = {}
        # image_size: auto: the smaller input sizes it may step down to, largest first, and
        # who hears of a step (the size before, the size after).
        self.smaller_sizes: list[int] = []
        self.size_listeners: list[Callable[[int, int], None]] = []
        self._floors_missed_since: float | None = None
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

    def set_focus(self, camera_id: str | None) -> None:
        """The operator maximised this camera's tile (None: back to the wall)."""
        self.focus = camera_id
        self._replan = True

    @property
    def capacity_fps(self) -> float | None:
        """Frames per second the detector thread can analyse, as measured."""
        return self.cost.capacity_fps()

    @property
    def overloaded(self) -> bool:
        """The cameras ask for more than the detector can analyse."""
        with self._feeds_lock:
            return any(f.rate_fps < f.target_fps - 1e-6 for f in self.feeds.values())

    def plan(self, now: float) -> None:
        """Share the measured capacity among the cameras (each camera's rate)."""
        elapsed = now - self._planned_mono if self._planned_mono else 0.0
        self._planned_mono = now
        self._replan = False
        with self._feeds_lock:  # a recording read in lockstep takes every frame: no budget
            feeds = [feed for feed in self.feeds.values() if not feed.every_frame]
        capacity = self.cost.capacity_fps() if self.budget else None
        if capacity is None:
            rates = {feed.camera_id: feed.target_fps for feed in feeds}
        else:
            demands = [
                CameraDemand(
                    f.camera_id,
                    f.target_fps,
                    self._weight(f),
                    f.pipeline.min_rate_fps,
                    f.pipeline.detector_passes,
                )
                for f in feeds
            ]
            above_floors = self.cost.capacity_fps(ABOVE_FLOOR_UTILISATION)
            rates = fair_shares(demands, capacity, self.floor_fps, above_floors)
            fits = floor_fits(demands, capacity, self.floor_fps)
            floors = sum(d.floor(self.floor_fps) for d in demands)
            self._note_floor(now, fits, len(feeds), floors, capacity)
            self._step_down_if_starved(now, fits)
        for feed in feeds:
            if elapsed:
                feed.skipped_by_budget += max(0.0, feed.target_fps - feed.rate_fps) * elapsed
            feed.pipeline.set_rate(rates[feed.camera_id])

    def _note_floor(
        self, now: float, fits: bool, cameras: int, floors: float, capacity: float
    ) -> None:
        """Log when the floors stop fitting the capacity (at most every minute)."""
        if fits == self.floor_fits:
            return
        self.floor_fits = fits
        if fits:
            log.info("detector: every camera gets its minimum rate again")
            return
        last = self._floor_warned_mono
        if last is None or now - last >= FLOOR_WARNING_EVERY_S:
            self._floor_warned_mono = now
            log.warning(
                "detector overloaded: %d cameras need %.1f fps at their minimum rates (%.1f "
                "fps, or what their rules need), the detector analyses %.1f fps; each gets "
                "%.0f %% of its minimum. Analyse fewer cameras on this computer (another "
                "analytics node) or give it more cores",
                cameras,
                floors,
                self.floor_fps,
                capacity,
                100.0 * capacity / floors,
            )

    def _step_down_if_starved(self, now: float, fits: bool) -> None:
        """A smaller ``auto`` input when the floors have not fitted for ``STEP_DOWN_AFTER_S``."""
        size = getattr(self.model, "image_size", None)
        if fits or not self.smaller_sizes or not isinstance(size, int):
            self._floors_missed_since = None
            return
        if self._floors_missed_since is None:
            self._floors_missed_since = now
            return
        if now - self._floors_missed_since < STEP_DOWN_AFTER_S:
            return
        self._floors_missed_since = None
        smaller = self.smaller_sizes.pop(0)
        self.model.image_size = smaller  # type: ignore[attr-defined]
        with self._feeds_lock:
            for feed in self.feeds.values():
                feed.pipeline.use_model(self.model)
        log.warning(
            "detector input %d -> %d px (image_size: auto): with the cameras running, their "
            "minimum rates did not fit at %d px for %.0f s",
            size,
            smaller,
            size,
            STEP_DOWN_AFTER_S,
        )
        for listener in list(self.size_listeners):
            try:
                listener(size, smaller)
            except Exception:
                log.exception("input size listener %r failed", listener)

    def _weight(self, feed: CameraFeed) -> float:
        if feed.camera_id == self.focus:
            return FOCUS_WEIGHT
        return BUSY_WEIGHT if feed.pipeline.busy else 1.0

    def run(self) -> None:
        while not self._stop_event.is_set():
            now = time.monotonic()
            if self._replan or now - self._planned_mono >= self.plan_every_s:
                self.plan(now)
            batch = self._due_frames(now)
            if not batch:
                self._stop_event.wait(self._idle_s(now))
                continue
            try:
                self._analyse(batch)
            except Exception as error:  # keep serving the other cameras
                self.last_error = str(error)
                log.exception("detection failed for %s", [f.camera_id for f, _ in batch])
                self._stop_event.wait(0.5)

    def _idle_s(self, now: float) -> float:
        """How long the idle worker sleeps before it looks again.

        Until the next camera falls due (a fixed 4 ms poll added up to 4 ms to every
        camera's wait), or 1 ms while a due camera's next frame is on its way.
        """
        with self._feeds_lock:
            dues = [f.next_due_mono for f in self.feeds.values() if not f.every_frame]
        upcoming = [due - now for due in dues if due > now]
        if len(upcoming) < len(dues):  # a camera is due and waits for its next frame
            return IDLE_POLL_S
        return min([IDLE_MAX_S, *upcoming])

    def _due_frames(self, now: float) -> list[tuple[CameraFeed, Frame]]:
        with self._feeds_lock:
            feeds = list(self.feeds.values())
        due = [f for f in feeds if f.every_frame or now >= f.next_due_mono]
        if not due and self.budget:
            due = self._next_soon(now, feeds)
        due.sort(key=lambda f: f.next_due_mono)
        batch: list[tuple[CameraFeed, Frame]] = []
        for feed in due:
            taken = feed.slot.take_newer(feed.seen_version)
            if taken is None:
                continue
            feed.seen_version, frame = taken
            feed.taken_mono = now
            waiting_since = frame.captured_mono
            if not feed.every_frame:
                waiting_since = max(waiting_since, feed.next_due_mono)
            feed.waited_s = max(0.0, now - waiting_since)
            if feed.every_frame:
                feed.next_due_mono = now
            elif feed.next_due_mono:
                late = now - feed.next_due_mono
                if late > feed.period_s:
                    feed.missed_slots += math.floor(late / feed.period_s)
                # The camera's own grid advances by its period; its turn may sit a little
                # later (spaced), and that delay never carries over: the rate is the plan's.
                feed.grid_due_mono = max(
                    feed.grid_due_mono + feed.period_s, now - feed.period_s / 2
                )
                feed.next_due_mono = self._spaced(feed, feed.grid_due_mono, feeds)
            else:  # its first turn sets where its grid lies, apart from the others'
                feed.next_due_mono = self._spaced(feed, now + feed.period_s, feeds)
                feed.grid_due_mono = feed.next_due_mono
            batch.append((feed, frame))
            if len(batch) >= self.max_batch:
                break
        return batch

    def _next_soon(self, now: float, feeds: list[CameraFeed]) -> list[CameraFeed]:
        """With the detector idle, the camera whose turn comes within one frame's work.

        Analysed now, on its newest frame, its turn no longer finds the detector busy with
        the camera due just before it: the idle moment absorbs the collision instead. Its
        grid does not move, so its rate stays the plan's.
        """
        cost = self.cost.seconds_per_frame
        if not cost:
            return []
        soon = [
            f
            for f in feeds
            if not f.every_frame
            and f.next_due_mono
            and f.next_due_mono - now <= min(cost, f.period_s / 4)
        ]
        return sorted(soon, key=lambda f: f.next_due_mono)[:1]

    def _spaced(self, feed: CameraFeed, due: float, feeds: list[CameraFeed]) -> float:
        """``due``, or a little later so that no other camera falls due at about that time.

        Cameras that fall due together wait behind each other: the last of N waits N
        frames. So a camera's next turn keeps a gap from every other camera's: their share
        of the period (``period / N``), at least one frame's work as measured, moved later
        by at most half a period (never earlier: the camera's rate stays). Once apart they
        stay apart, each turn one period after the last.
        """
        cost = self.cost.seconds_per_frame
        clocked = [f for f in feeds if f is not feed and not f.every_frame and f.next_due_mono]
        if not cost or not clocked or feed.every_frame:
            return due
        gap = max(cost, feed.period_s / (len(clocked) + 1))
        latest = due + feed.period_s / 2
        candidate = due
        for other in sorted(f.next_due_mono for f in clocked):
            if other + gap <= candidate:
                continue  # well before
            if other >= candidate + gap:
                break  # well after, and so are the rest
            candidate = other + gap
        return candidate if candidate <= latest else due

    def _analyse(self, batch: list[tuple[CameraFeed, Frame]]) -> None:
        started = time.perf_counter()
        passes = len(batch)
        try:
            passes = self._analyse_batch(batch)
        finally:
            self.cost.add(time.perf_counter() - started, passes)

    def _analyse_batch(self, batch: list[tuple[CameraFeed, Frame]]) -> int:
        """Analyse ``batch``; the model passes it cost (a tiled frame counts its tiles).

        A frame the motion gate spared counts as one pass, as before tiling.
        """
        passes = 0
        to_infer: list[tuple[CameraFeed, Frame]] = []
        for feed, frame in batch:
            if feed.pipeline.needs_detection(frame):
                to_infer.append((feed, frame))
            else:
                passes += 1
                feed.detected_mono = time.monotonic()
                self._publish(feed, feed.pipeline.step(frame, None))
        # One call per confidence/class/input-size setting keeps a batch usable by every
        # camera in it.
        groups: dict[tuple[object, ...], list[tuple[CameraFeed, Frame]]] = {}
        for feed, frame in to_infer:
            groups.setdefault(feed.pipeline.detector_settings, []).append((feed, frame))
        for members in groups.values():
            started = time.perf_counter()
            results = members[0][0].pipeline.detect(self.model, [frame for _, frame in members])
            elapsed = time.perf_counter() - started
            detected = time.monotonic()
            for feed, _ in members:
                feed.detected_mono = detected
            self.inference_count += len(members)
            self.inference_seconds += elapsed
            per_frame_ms = elapsed * 1000.0 / len(members)
            passes += len(members) * members[0][0].pipeline.detector_passes
            for (feed, frame), detections in zip(members, results, strict=True):
                self._publish(feed, feed.pipeline.step(frame, detections, per_frame_ms))
        return passes

    def _publish(self, feed: CameraFeed, result: AnalysisResult) -> None:
        feed.meter.tick(time.monotonic())
        for listener in list(self.listeners):
            try:
                listener(result)
            except Exception:
                log.exception("analysis listener %r failed", listener)
