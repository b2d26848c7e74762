"""Nodes' boxes for the frames a display console shows: matched by capture time.

A display console decodes the camera itself and receives each analysed frame's boxes from
the node that holds the camera. The node's result arrives some hundred milliseconds after
its frame was captured, so the console shows its frames that much later (``delay_s``) and
draws the result whose capture time is nearest the shown frame's (both machines stamp a
frame with the wall-clock time it was decoded; NTP keeps them within milliseconds). Boxes
are scaled from the node's frame size (its detect stream) to the shown frame's.
"""

from __future__ import annotations

import bisect
import threading
from collections import deque
from dataclasses import dataclass, field

import numpy as np

from console.bus.messages import TracksMessage
from console.detect.detections import Detections
from console.pipeline.records import AnalysisResult
from console.sources.base import Frame

KEPT_RESULTS = 64  # per camera: over 10 s at 5 fps
KEPT_FRAMES_S = 1.5


@dataclass
class _CameraTracks:
    results: deque[TracksMessage] = field(default_factory=lambda: deque(maxlen=KEPT_RESULTS))
    epoch: int = -1
    frames: deque[Frame] = field(default_factory=deque)
    # The last result handed out, for the same message and frame: the same object, so a
    # tile redrawn at the display rate does not rebuild (or extend trails) every time.
    made: tuple[TracksMessage, int, AnalysisResult] | None = None


class OverlayMatcher:
    """Per camera: the nodes' recent results and this console's recent frames."""

    def __init__(self, delay_s: float = 0.4, tolerance_s: float | None = None) -> None:
        self.delay_s = delay_s
        self.tolerance_s = tolerance_s  # None: half the gap between the node's results
        self._lock = threading.Lock()
        self._cameras: dict[str, _CameraTracks] = {}
        self._class_ids: dict[str, int] = {}
        self.stale_dropped = 0

    # ---- in ----------------------------------------------------------------------------

    def add_result(self, message: TracksMessage) -> None:
        """A node's result; one under an older lease epoch than seen is dropped."""
        with self._lock:
            camera = self._cameras.setdefault(message.camera_id, _CameraTracks())
            if message.epoch < camera.epoch:
                self.stale_dropped += 1
                return
            if message.epoch > camera.epoch:  # a new owner: its predecessor's results go
                camera.results.clear()
                camera.epoch = message.epoch
            camera.results.append(message)

    def add_frame(self, camera_id: str, frame: Frame) -> None:
        """A frame this console decoded (called on the camera's capture thread)."""
        with self._lock:
            camera = self._cameras.setdefault(camera_id, _CameraTracks())
            camera.frames.append(frame)
            while camera.frames and frame.captured_epoch - camera.frames[0].captured_epoch > (
                max(KEPT_FRAMES_S, self.delay_s + 0.5)
            ):
                camera.frames.popleft()

    # ---- out ---------------------------------------------------------------------------

    def frame_to_show(self, camera_id: str, now_epoch: float) -> Frame | None:
        """The newest frame at least ``delay_s`` old (the newest one while none is)."""
        with self._lock:
            camera = self._cameras.get(camera_id)
            if camera is None or not camera.frames:
                return None
            wanted = now_epoch - self.delay_s
            chosen = camera.frames[0]
            for frame in camera.frames:
                if frame.captured_epoch <= wanted:
                    chosen = frame
                else:
                    break
            return chosen

    def result_for(self, camera_id: str, frame: Frame) -> AnalysisResult | None:
        """The node's result nearest the frame's capture time, scaled to the frame."""
        with self._lock:
            camera = self._cameras.get(camera_id)
            if camera is None or not camera.results:
                return None
            results = list(camera.results)
        times = [r.captured_at for r in results]
        index = bisect.bisect_left(times, frame.captured_epoch)
        candidates = [results[i] for i in (index - 1, index) if 0 <= i < len(results)]
        best = min(candidates, key=lambda r: abs(r.captured_at - frame.captured_epoch))
        tolerance = self.tolerance_s
        if tolerance is None:
            gaps = np.diff(times[-8:]) if len(times) > 1 else np.array([1.0])
            tolerance = max(0.1, float(np.median(gaps)) * 0.75)
        if abs(best.captured_at - frame.captured_epoch) > tolerance:
            return None
        made = camera.made
        if made is not None and made[0] is best and made[1] == frame.index:
            return made[2]
        result = self._as_result(best, frame)
        camera.made = (best, frame.index, result)
        return result

    def _as_result(self, message: TracksMessage, frame: Frame) -> AnalysisResult:
        height, width = frame.image.shape[:2]
        sx, sy = width / message.width, height / message.height
        ids = [self._class_id(box.class_name) for box in message.boxes]
        names = {class_id: name for name, class_id in self._class_ids.items()}
        xyxy = [
            (box.xyxy[0] * sx, box.xyxy[1] * sy, box.xyxy[2] * sx, box.xyxy[3] * sy)
            for box in message.boxes
        ]
        detections = Detections.from_arrays(
            xyxy,
            [box.confidence for box in message.boxes],
            ids,
            [box.track_id if box.track_id is not None else -1 for box in message.boxes],
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
