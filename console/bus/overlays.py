"""Nodes' boxes for the frames a display console shows: matched by capture time.

A display console decodes the camera itself and receives each analysed frame's boxes from
the node that holds the camera. The node analyses a few frames a second and its result
arrives some hundred milliseconds after the frame was captured. So the console shows its
frames ``delay_s`` late, long enough for the node's results on both sides of the shown
frame to have arrived (the delay follows the measured arrival lag and analysis period),
and draws each track's box interpolated between them at the shown frame's capture time
(both machines stamp a frame with the wall-clock time it was decoded; NTP keeps them within
milliseconds). Boxes are scaled from the node's frame size (its detect stream) to the
shown frame's.
"""

from __future__ import annotations

import bisect
import threading
import time
from collections import deque
from dataclasses import dataclass, field

import numpy as np

from console.bus.messages import BoxJson, TracksMessage
from console.detect.detections import Detections
from console.pipeline.records import AnalysisResult
from console.sources.base import Frame

KEPT_RESULTS = 64  # per camera: over 10 s at 5 fps
KEPT_FRAMES_S = 2.5
MIN_DELAY_S, MAX_DELAY_S = 0.2, 2.0
LAG_SAMPLES = 200


@dataclass
class _CameraTracks:
    results: deque[TracksMessage] = field(default_factory=lambda: deque(maxlen=KEPT_RESULTS))
    epoch: int = -1
    frames: deque[Frame] = field(default_factory=deque)
    # The last result handed out, for the same message and frame: the same object, so a
    # tile redrawn at the display rate does not rebuild (or extend trails) every time.
    made: tuple[TracksMessage, TracksMessage | None, int, AnalysisResult] | None = None


class OverlayMatcher:
    """Per camera: the nodes' recent results and this console's recent frames."""

    def __init__(self, delay_s: float | None = None, tolerance_s: float | None = None) -> None:
        self.fixed_delay_s = delay_s  # None: follow the measured lag (``delay_s``)
        self.tolerance_s = tolerance_s  # None: 0.75 x the gap between the node's results
        self._lags: deque[float] = deque(maxlen=LAG_SAMPLES)
        self._periods: deque[float] = deque(maxlen=LAG_SAMPLES)
        self._lock = threading.Lock()
        self._cameras: dict[str, _CameraTracks] = {}
        self._class_ids: dict[str, int] = {}
        self.stale_dropped = 0

    # ---- in ----------------------------------------------------------------------------

    @property
    def delay_s(self) -> float:
        """How late frames are shown: the nodes' arrival lag (90th percentile) plus a period.

        Both results around a shown frame have then arrived.
        """
        if self.fixed_delay_s is not None:
            return self.fixed_delay_s
        with self._lock:
            lags, periods = list(self._lags), list(self._periods)
        if not lags:
            return MIN_DELAY_S
        lag = float(np.percentile(lags, 90))
        period = float(np.median(periods)) if periods else 0.0
        return min(MAX_DELAY_S, max(MIN_DELAY_S, lag + period))

    def add_result(self, message: TracksMessage, arrived_epoch: float | None = None) -> None:
        """A node's result; one under an older lease epoch than seen is dropped."""
        arrived = time.time() if arrived_epoch is None else arrived_epoch
        with self._lock:
            camera = self._cameras.setdefault(message.camera_id, _CameraTracks())
            if message.epoch < camera.epoch:
                self.stale_dropped += 1
                return
            if message.epoch > camera.epoch:  # a new owner: its predecessor's results go
                camera.results.clear()
                camera.epoch = message.epoch
            if camera.results and message.captured_at > camera.results[-1].captured_at:
                self._periods.append(message.captured_at - camera.results[-1].captured_at)
            self._lags.append(max(0.0, arrived - message.captured_at))
            camera.results.append(message)

    def add_frame(self, camera_id: str, frame: Frame) -> None:
        """A frame this console decoded (called on the camera's capture thread)."""
        with self._lock:
            camera = self._cameras.setdefault(camera_id, _CameraTracks())
            camera.frames.append(frame)
            while camera.frames and frame.captured_epoch - camera.frames[0].captured_epoch > (
                KEPT_FRAMES_S
            ):
                camera.frames.popleft()

    # ---- out ---------------------------------------------------------------------------

    def frame_to_show(self, camera_id: str, now_epoch: float) -> Frame | None:
        """The newest frame at least ``delay_s`` old (the newest one while none is)."""
        delay = self.delay_s
        with self._lock:
            camera = self._cameras.get(camera_id)
            if camera is None or not camera.frames:
                return None
            wanted = now_epoch - delay
            chosen = camera.frames[0]
            for frame in camera.frames:
                if frame.captured_epoch <= wanted:
                    chosen = frame
                else:
                    break
            return chosen

    def result_for(self, camera_id: str, frame: Frame) -> AnalysisResult | None:
        """The node's boxes at the frame's capture time, scaled to the frame.

        Between two results each track's box is interpolated; a track in only one of them is
        drawn from the nearer one. Past the newest result, or with only an older one, the
        nearest result within the tolerance is drawn as it is.
        """
        with self._lock:
            camera = self._cameras.get(camera_id)
            if camera is None or not camera.results:
                return None
            results = list(camera.results)
        at = frame.captured_epoch
        times = [r.captured_at for r in results]
        index = bisect.bisect_right(times, at)
        before = results[index - 1] if index > 0 else None
        after = results[index] if index < len(results) else None
        tolerance = self.tolerance_s
        if tolerance is None:
            gaps = np.diff(times[-8:]) if len(times) > 1 else np.array([1.0])
            tolerance = max(0.1, float(np.median(gaps)) * 0.75)
        pair: tuple[TracksMessage, TracksMessage | None]
        if before is not None and after is not None and after.captured_at - at <= 2 * tolerance:
            pair = (before, after) if at > before.captured_at else (before, None)
        else:
            nearest = min(
                (r for r in (before, after) if r is not None), key=lambda r: abs(r.captured_at - at)
            )
            if abs(nearest.captured_at - at) > tolerance:
                return None
            pair = (nearest, None)
        made = camera.made
        if (
            made is not None
            and made[0] is pair[0]
            and made[1] is pair[1]
            and made[2] == frame.index
        ):
            return made[3]
        result = self._as_result(pair[0], pair[1], frame)
        camera.made = (pair[0], pair[1], frame.index, result)
        return result

    def matched(self, camera_id: str) -> TracksMessage | None:
        """The node's message of the result last handed out for the camera."""
        with self._lock:
            camera = self._cameras.get(camera_id)
            return camera.made[0] if camera is not None and camera.made is not None else None

    def _as_result(
        self, message: TracksMessage, later: TracksMessage | None, frame: Frame
    ) -> AnalysisResult:
        height, width = frame.image.shape[:2]
        boxes = _boxes_at(message, later, frame.captured_epoch)
        sx, sy = width / message.width, height / message.height
        ids = [self._class_id(box.class_name) for box in boxes]
        names = {class_id: name for name, class_id in self._class_ids.items()}
        xyxy = [
            (box.xyxy[0] * sx, box.xyxy[1] * sy, box.xyxy[2] * sx, box.xyxy[3] * sy)
            for box in boxes
        ]
        detections = Detections.from_arrays(
            xyxy,
            [box.confidence for box in boxes],
            ids,
            [box.track_id if box.track_id is not None else -1 for box in boxes],
            names,
        )
        return AnalysisResult(
            camera_id=message.camera_id,
            frame=frame,
            detections=detections,
            inference_ms=0.0,
            latency_ms=0.0,
            from_motion_gate=message.from_motion_gate,
        )

    def _class_id(self, name: str) -> int:
        with self._lock:
            if name not in self._class_ids:
                self._class_ids[name] = len(self._class_ids)
            return self._class_ids[name]


def _boxes_at(earlier: TracksMessage, later: TracksMessage | None, at: float) -> list[BoxJson]:
    """Each track's box at ``at``: interpolated between the two results, else the nearer."""
    if later is None or later.captured_at <= earlier.captured_at:
        return list(earlier.boxes)
    weight = min(
        1.0, max(0.0, (at - earlier.captured_at) / (later.captured_at - earlier.captured_at))
    )
    following = {box.track_id: box for box in later.boxes if box.track_id is not None}
    boxes: list[BoxJson] = []
    for box in earlier.boxes:
        after = following.pop(box.track_id, None) if box.track_id is not None else None
        if after is not None:
            xyxy = tuple(a + (b - a) * weight for a, b in zip(box.xyxy, after.xyxy, strict=True))
            boxes.append(box.model_copy(update={"xyxy": xyxy}))
        elif weight < 0.5:
            boxes.append(box)  # gone by the later result: drawn while nearer the earlier
    if weight >= 0.5:
        boxes.extend(following.values())  # new in the later result
        boxes.extend(b for b in later.boxes if b.track_id is None)
    return boxes
