"""Continuous recording of each camera's display stream in short MP4 segments.

The capture thread only hands each frame to :meth:`CameraRecorder.offer_frame`, which
appends it to a bounded queue (the oldest is dropped and counted when the recorder falls
behind) and returns. The recorder's own thread encodes (OpenCV cannot copy a stream without
decoding it, see docs/DECISIONS.md), writes the frame times and analysed boxes beside each
segment and indexes every closed segment. A pause in the frames longer than ``gap_s``
closes the segment, so the index shows exactly when the camera delivered nothing.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import IO

import cv2

from console.config.site_file import SiteConfig
from console.domain.health import CameraHealth
from console.pipeline.records import AnalysisResult
from console.pipeline.runtime import SiteRuntime
from console.recording.index import HealthChange, RecordingIndex, Segment
from console.recording.metadata import AnalysedBoxes, detection_line, frame_line, write_line
from console.recording.retention import (
    RecordingPruneReport,
    held_windows,
    prune_recordings,
)
from console.security.audit import AuditLog
from console.sources.base import Frame
from console.store.local import LocalStore
from console.video import open_mp4_writer

log = logging.getLogger(__name__)
FAILURE_PAUSE_S = 5.0


@dataclass(frozen=True, slots=True)
class RecordingOptions:
    segment_s: float = 60.0
    gap_s: float = 3.0  # no frame for this long closes the segment (camera offline)
    queue_frames: int = 150
    queue_bytes: int = 128 * 1024 * 1024  # about 2 s of 720p at 25 fps, 0.6 s of 1080p
    default_fps: float = 25.0


@dataclass
class _OpenSegment:
    start_s: float
    last_s: float
    path: Path
    meta_path: Path
    writer: cv2.VideoWriter
    meta: IO[str]
    codec: str
    fps: float
    size: tuple[int, int]
    frames: int = 0


def recordings_folder(data_dir: Path) -> Path:
    """Where a console keeps its recordings: ``<data dir>/recordings`` (index inside)."""
    return Path(data_dir) / "recordings"


def segment_name(camera_id: str, start_s: float) -> str:
    moment = datetime.fromtimestamp(start_s, UTC)
    return f"{camera_id}-{moment:%Y%m%dT%H%M%S}.{moment.microsecond // 1000:03d}Z"


class CameraRecorder(threading.Thread):
    """Writes one camera's frames into segments on its own thread."""

    def __init__(
        self,
        camera_id: str,
        folder: Path,
        index: RecordingIndex,
        options: RecordingOptions | None = None,
        on_segment: Callable[[Segment], None] | None = None,
    ) -> None:
        super().__init__(name=f"recorder-{camera_id}", daemon=True)
        self.camera_id = camera_id
        self.folder = Path(folder)
        self.index = index
        self.options = options or RecordingOptions()
        self.on_segment = on_segment
        self.dropped_frames = 0
        self.recorded_frames = 0
        self.failures = 0
        self._items: deque[tuple[str, float, Frame | AnalysedBoxes]] = deque()
        self._condition = threading.Condition()
        self._stop_event = threading.Event()
        self._current: _OpenSegment | None = None
        self._previous_meta: tuple[float, Path] | None = None
        self._pending: Frame | None = None  # first frame, held until the rate is known
        self._interval_s: float | None = None
        self._last_arrival: float | None = None
        self._early: list[tuple[float, AnalysedBoxes]] = []
        self._paused_until = 0.0
        self._queued_frames = 0
        self._queued_bytes = 0

    # ---- called on other threads: never block -----------------------------------------

    def offer_frame(self, frame: Frame) -> None:
        self._offer(("frame", frame.captured_epoch, frame), frame.nbytes)

    def offer_detections(self, time_s: float, boxes: AnalysedBoxes) -> None:
        self._offer(("det", time_s, boxes), 0)

    def _offer(self, item: tuple[str, float, Frame | AnalysedBoxes], nbytes: int) -> None:
        """Queue an item; a frame beyond the count or byte bound drops the oldest frame."""
        options = self.options
        with self._condition:
            if nbytes:
                while self._queued_frames and (
                    self._queued_frames >= options.queue_frames
                    or self._queued_bytes + nbytes > options.queue_bytes
                ):
                    self._drop_oldest_frame()
                self._queued_frames += 1
                self._queued_bytes += nbytes
            self._items.append(item)
            self._condition.notify()

    def _drop_oldest_frame(self) -> None:
        for position, (kind, _, payload) in enumerate(self._items):
            if kind == "frame":
                del self._items[position]
                self._dequeued(payload)
                self.dropped_frames += 1
                return

    def _dequeued(self, payload: Frame | AnalysedBoxes) -> None:
        if isinstance(payload, Frame):
            self._queued_frames -= 1
            self._queued_bytes -= payload.nbytes

    def stop(self) -> None:
        self._stop_event.set()
        with self._condition:
            self._condition.notify()

    # ---- the recorder thread ----------------------------------------------------------

    def run(self) -> None:
        try:
            while True:
                with self._condition:
                    if not self._items and not self._stop_event.is_set():
                        self._condition.wait(0.25)
                    item = self._items.popleft() if self._items else None
                    if item is not None:
                        self._dequeued(item[2])
                if item is None:
                    if self._stop_event.is_set():
                        break
                    self._close_if_quiet()
                    continue
                if time.monotonic() < self._paused_until:
                    continue  # after a failure: no retry (and no log line) per frame
                try:
                    self._handle(item)
                except Exception:  # a full disk or codec failure must not end recording
                    self.failures += 1
                    log.exception(
                        "camera %s: recording failed; retrying in %.0f s",
                        self.camera_id,
                        FAILURE_PAUSE_S,
                    )
                    self._paused_until = time.monotonic() + FAILURE_PAUSE_S
                    try:
                        self._close_segment()
                    except Exception:
                        log.exception("camera %s: the failed segment could not be closed",
                                      self.camera_id)  # fmt: skip
        finally:
            self._close_segment()

    def _handle(self, item: tuple[str, float, Frame | AnalysedBoxes]) -> None:
        kind, time_s, payload = item
        if kind == "det":
            assert isinstance(payload, AnalysedBoxes)
            self._write_detections(time_s, payload)
            return
        assert isinstance(payload, Frame)
        self._last_arrival = time.monotonic()
        current = self._current
        if current is not None:
            height, width = payload.image.shape[:2]
            if time_s - current.last_s > self.options.gap_s:
                self._close_segment()
            elif (
                time_s - current.start_s >= self.options.segment_s
                or (width, height) != current.size
            ):
                # The last frame stays on screen until this one: segments meet exactly.
                self._close_segment(end_s=time_s)
        if self._current is None:
            if self._pending is None or time_s - self._pending.captured_epoch > self.options.gap_s:
                self._pending = payload
                self._early = []
                return
            first, self._pending = self._pending, None
            self._learn_interval(time_s - first.captured_epoch)
            self._open_segment(first)
            self._write_frame(first)
            early, self._early = self._early, []
            for det_time, detections in early:
                self._write_detections(det_time, detections)
        else:
            self._learn_interval(time_s - self._current.last_s)
        self._write_frame(payload)

    def _learn_interval(self, interval_s: float) -> None:
        if interval_s <= 0:
            return
        previous = self._interval_s
        self._interval_s = interval_s if previous is None else 0.9 * previous + 0.1 * interval_s

    def _close_if_quiet(self) -> None:
        last = self._last_arrival
        if last is not None and time.monotonic() - last > self.options.gap_s:
            self._close_segment()
            self._pending = None

    def _open_segment(self, frame: Frame) -> None:
        height, width = frame.image.shape[:2]
        fps = 1.0 / self._interval_s if self._interval_s else self.options.default_fps
        fps = float(round(min(60.0, max(1.0, fps)), 2))
        moment = datetime.fromtimestamp(frame.captured_epoch, UTC)
        folder = self.folder / self.camera_id / f"{moment:%Y-%m-%d}"
        folder.mkdir(parents=True, exist_ok=True)
        name = segment_name(self.camera_id, frame.captured_epoch)
        path = folder / f"{name}.mp4"
        meta_path = folder / f"{name}.jsonl"
        writer, codec = open_mp4_writer(path, fps, (width, height))
        meta = meta_path.open("a", encoding="utf-8")
        self._current = _OpenSegment(
            frame.captured_epoch,
            frame.captured_epoch,
            path,
            meta_path,
            writer,
            meta,
            codec,
            fps,
            (width, height),
        )

    def _write_frame(self, frame: Frame) -> None:
        current = self._current
        assert current is not None
        current.writer.write(frame.image)
        write_line(current.meta, frame_line(current.frames, frame.captured_epoch))
        current.frames += 1
        current.last_s = frame.captured_epoch
        self.recorded_frames += 1

    def _write_detections(self, time_s: float, detections: AnalysedBoxes) -> None:
        current = self._current
        if current is not None and time_s >= current.start_s:
            write_line(current.meta, detection_line(time_s, detections))
            return
        if current is None and self._pending is not None:
            self._early.append((time_s, detections))  # written once the segment opens
            return
        # Analysis lags capture: boxes of a frame may arrive after its segment closed.
        if self._previous_meta is not None and time_s >= self._previous_meta[0]:
            with self._previous_meta[1].open("a", encoding="utf-8") as meta:
                write_line(meta, detection_line(time_s, detections))

    def _close_segment(self, end_s: float | None = None) -> None:
        current, self._current = self._current, None
        if current is None:
            return
        current.writer.release()
        current.meta.close()
        self._previous_meta = (current.start_s, current.meta_path)
        if current.frames == 0:
            current.path.unlink(missing_ok=True)
            return
        if end_s is None:
            end_s = current.last_s + (self._interval_s or 1.0 / current.fps)
        segment = self.index.add(
            Segment(
                self.camera_id,
                current.start_s,
                end_s,
                current.path,
                current.meta_path,
                current.frames,
                current.fps,
                current.size[0],
                current.size[1],
                current.path.stat().st_size,
                current.codec,
            )
        )
        if self.on_segment is not None:
            self.on_segment(segment)


class SiteRecorder:
    """Recorders for the site's cameras with ``record: true``, attached to a runtime."""

    def __init__(
        self,
        site: SiteConfig,
        folder: Path,
        index: RecordingIndex | None = None,
        options: RecordingOptions | None = None,
    ) -> None:
        self.site = site
        self.folder = Path(folder)
        self.index = index or RecordingIndex.in_folder(self.folder)
        self.options = options or RecordingOptions()
        self.recorders: dict[str, CameraRecorder] = {
            camera.id: CameraRecorder(camera.id, self.folder, self.index, self.options)
            for camera in site.cameras
            if camera.record and camera.enabled
        }
        self._health: dict[str, str] = {}

    def attach(self, runtime: SiteRuntime) -> None:
        """Receive the runtime's frames, analyses and health (call before ``runtime.start``)."""
        for camera_id, recorder in self.recorders.items():
            runtime.frame_listeners.setdefault(camera_id, []).append(recorder.offer_frame)
        runtime.result_listeners.append(self.on_result)
        runtime.health_listeners.append(self.on_health)

    def on_result(self, result: AnalysisResult) -> None:
        recorder = self.recorders.get(result.camera_id)
        if recorder is not None:
            recorder.offer_detections(
                result.frame.captured_epoch,
                AnalysedBoxes(result.detections, result.raw_detections, result.from_motion_gate),
            )

    def on_health(self, health: CameraHealth) -> None:
        if health.camera_id not in self.recorders:
            return
        if self._health.get(health.camera_id) == health.state.value:
            return
        self._health[health.camera_id] = health.state.value
        self.index.add_health(
            HealthChange(health.camera_id, time.time(), health.state.value, health.reason)
        )

    def start(self) -> None:
        for recorder in self.recorders.values():
            recorder.start()

    def prune(
        self,
        *,
        store: LocalStore | None = None,
        audit: AuditLog | None = None,
        budget_bytes: int | None = None,
        now: datetime | None = None,
    ) -> RecordingPruneReport:
        """Apply the site's retention days (and a disk budget) to the recordings.

        Segments overlapping alerts whose evidence is on legal hold in ``store`` are kept.
        """
        return prune_recordings(
            self.index,
            now=now or datetime.now(UTC),
            max_age=timedelta(days=self.site.storage.retention_days),
            budget_bytes=budget_bytes,
            held=held_windows(store) if store is not None else (),
            audit=audit,
        )

    def stop(self, timeout_s: float = 5.0) -> None:
        """Close the open segments (they are indexed) and stop the threads."""
        deadline = time.monotonic() + timeout_s
        for recorder in self.recorders.values():
            recorder.stop()
        for recorder in self.recorders.values():
            if recorder.is_alive():
                recorder.join(max(0.0, deadline - time.monotonic()))
