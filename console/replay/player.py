"""Reading recordings back by time: one camera's segments, or any video file.

A :class:`Playback` answers "which frame was on screen at UTC time t" and decodes it; the
clock and the widgets decide which times to ask for. Decoding stays sequential while
playing forward (one ``read`` per frame) and seeks only on jumps.
"""

from __future__ import annotations

import bisect
import logging
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

import cv2
import numpy as np

from console.detect.detections import Detections
from console.recording.index import RecordingIndex, Segment
from console.recording.metadata import DetectorOutput, SegmentMetadata

log = logging.getLogger(__name__)
OVERLAY_MAX_AGE_S = 1.0  # analysis runs at a few fps: boxes stay up to a second


@dataclass(frozen=True, slots=True)
class ReplayFrame:
    """A decoded recorded frame, when it was captured, and the boxes analysed nearest it."""

    source_id: str
    time_s: float
    image: np.ndarray
    frame_index: int
    detections: Detections | None = None
    # What the detector gave on this very frame, when it was analysed (re-analysis).
    detector_output: DetectorOutput | None = None


class Playback(Protocol):
    source_id: str

    @property
    def start_s(self) -> float: ...

    @property
    def end_s(self) -> float: ...

    def frame_at(self, time_s: float) -> ReplayFrame | None: ...

    def next_time(self, after_s: float) -> float | None: ...

    def previous_time(self, before_s: float) -> float | None: ...

    def close(self) -> None: ...


class _SegmentReader:
    """One open MP4 and its metadata."""

    def __init__(self, path: Path, meta: SegmentMetadata, fps: float, start_s: float) -> None:
        self.path = path
        self.meta = meta
        self.fps = fps
        self.start_s = start_s
        self.capture = cv2.VideoCapture(str(path), cv2.CAP_FFMPEG)
        self.next_index = 0
        self.frame_count = int(self.capture.get(cv2.CAP_PROP_FRAME_COUNT) or 0)
        self.last: tuple[int, np.ndarray] | None = None

    @property
    def frame_times(self) -> list[float]:
        if not self.meta.frame_times:  # a file without metadata: its nominal frame rate
            self.meta.frame_times = [self.start_s + i / self.fps for i in range(self.frame_count)]
        return self.meta.frame_times

    def read(self, index: int) -> np.ndarray | None:
        if self.last is not None and self.last[0] == index:
            return self.last[1]
        if index != self.next_index:
            self.capture.set(cv2.CAP_PROP_POS_FRAMES, index)
        ok, image = self.capture.read()
        if not ok or image is None:
            self.next_index = -1
            return None
        self.next_index = index + 1
        self.last = (index, image)
        return image

    def close(self) -> None:
        self.capture.release()


class CameraPlayback:
    """A recorded camera over its indexed segments; gaps return no frame."""

    def __init__(
        self,
        index: RecordingIndex,
        camera_id: str,
        start_s: float | None = None,
        end_s: float | None = None,
        cache_segments: int = 3,
    ) -> None:
        self.index = index
        self.source_id = camera_id
        self._range = (start_s, end_s)  # months of segments need not all be listed
        self.segments: list[Segment] = []
        self._starts: list[float] = []
        self._readers: OrderedDict[int, _SegmentReader] = OrderedDict()
        self._cache = cache_segments
        self.refresh()

    def refresh(self) -> None:
        """Pick up segments closed since opening (recording goes on while replaying)."""
        self.segments = self.index.segments(self.source_id, *self._range)
        self._starts = [segment.start_s for segment in self.segments]

    @property
    def start_s(self) -> float:
        return self.segments[0].start_s if self.segments else 0.0

    @property
    def end_s(self) -> float:
        return self.segments[-1].end_s if self.segments else 0.0

    def _segment_at(self, time_s: float) -> Segment | None:
        position = bisect.bisect_right(self._starts, time_s) - 1
        if position >= 0 and time_s < self.segments[position].end_s:
            return self.segments[position]
        return None

    def _reader(self, segment: Segment) -> _SegmentReader:
        reader = self._readers.get(segment.id)
        if reader is None:
            meta = SegmentMetadata.read(segment.meta_path)
            reader = _SegmentReader(segment.path, meta, segment.fps, segment.start_s)
            self._readers[segment.id] = reader
            while len(self._readers) > self._cache:
                _, oldest = self._readers.popitem(last=False)
                oldest.close()
        else:
            self._readers.move_to_end(segment.id)
        return reader

    def frame_at(self, time_s: float) -> ReplayFrame | None:
        segment = self._segment_at(time_s)
        if segment is None:
            return None
        reader = self._reader(segment)
        times = reader.frame_times
        if not times:
            return None
        frame_index = reader.meta.frame_index_at(time_s)
        image = reader.read(frame_index)
        if image is None:
            return None
        captured = times[frame_index]
        return ReplayFrame(
            self.source_id,
            captured,
            image,
            frame_index,
            reader.meta.detections_at(captured, OVERLAY_MAX_AGE_S),
            reader.meta.detector_output_at(captured),
        )

    def frame_times(self, segment: Segment) -> list[float]:
        return self._reader(segment).frame_times

    def next_time(self, after_s: float) -> float | None:
        """Capture time of the first frame after ``after_s`` (across gaps)."""
        first = max(0, bisect.bisect_right(self._starts, after_s) - 1)
        for segment in self.segments[first:]:
            if segment.end_s <= after_s:
                continue
            times = self.frame_times(segment)
            position = bisect.bisect_right(times, after_s + 1e-6)
            if position < len(times):
                return times[position]
        return None

    def previous_time(self, before_s: float) -> float | None:
        last = bisect.bisect_left(self._starts, before_s)
        for segment in reversed(self.segments[:last]):
            times = self.frame_times(segment)
            position = bisect.bisect_left(times, before_s - 1e-6)
            if position > 0:
                return times[position - 1]
        return None

    def close(self) -> None:
        for reader in self._readers.values():
            reader.close()
        self._readers.clear()


class FilePlayback:
    """Any video file as a recording starting at ``start_s`` (its own metadata if beside it)."""

    def __init__(self, path: Path, start_s: float = 0.0) -> None:
        self.path = Path(path)
        self.source_id = self.path.name
        capture = cv2.VideoCapture(str(self.path), cv2.CAP_FFMPEG)
        if not capture.isOpened():
            capture.release()
            raise ValueError(f"not a video OpenCV can decode: {self.path.name}")
        fps = capture.get(cv2.CAP_PROP_FPS)
        capture.release()
        meta_path = self.path.with_suffix(".jsonl")
        meta = SegmentMetadata.read(meta_path) if meta_path.exists() else SegmentMetadata()
        self.fps = float(fps) if fps and 1 <= fps <= 240 else 25.0
        self._reader = _SegmentReader(self.path, meta, self.fps, start_s)
        if not self._reader.frame_times:
            raise ValueError(f"the file has no readable video frames: {self.path.name}")
        self._start = self._reader.frame_times[0]

    @property
    def start_s(self) -> float:
        return self._start

    @property
    def end_s(self) -> float:
        return self._reader.frame_times[-1] + 1.0 / self.fps

    def frame_at(self, time_s: float) -> ReplayFrame | None:
        if not self.start_s <= time_s < self.end_s:
            return None
        times = self._reader.frame_times
        index = self._reader.meta.frame_index_at(time_s)
        image = self._reader.read(index)
        if image is None:
            return None
        return ReplayFrame(
            self.source_id,
            times[index],
            image,
            index,
            self._reader.meta.detections_at(times[index], OVERLAY_MAX_AGE_S),
            self._reader.meta.detector_output_at(times[index]),
        )

    def next_time(self, after_s: float) -> float | None:
        times = self._reader.frame_times
        position = bisect.bisect_right(times, after_s + 1e-6)
        return times[position] if position < len(times) else None

    def previous_time(self, before_s: float) -> float | None:
        times = self._reader.frame_times
        position = bisect.bisect_left(times, before_s - 1e-6)
        return times[position - 1] if position > 0 else None

    def close(self) -> None:
        self._reader.close()
