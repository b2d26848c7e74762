"""One camera's analysis chain, the only one: every entry point runs this class.

    frame -> motion gate -> detector -> tracker -> rules -> alert policy -> AnalysisResult

Live analysis (the detector worker of :class:`~console.pipeline.runtime.SiteRuntime`, in
the console and in ``roadwatch analyze``), re-analysis of recordings, training runs, the
accuracy harness and the benchmarks all feed frames to a :class:`CameraPipeline`, so what
they measure is what runs. The detector worker batches several cameras' frames into one
model call, so the chain is split at the model: :meth:`CameraPipeline.needs_detection`
before it, :meth:`CameraPipeline.step` after it; :meth:`CameraPipeline.analyse` does both
for one frame (offline callers).
"""

from __future__ import annotations

import time

import numpy as np

from console.config.site import Camera
from console.config.site_file import SiteConfig
from console.detect.detections import Detections
from console.detect.model import BatchModel
from console.detect.motion import MotionGate
from console.domain.classes import ROAD_USER_CLASS_IDS
from console.domain.health import CameraHealth
from console.domain.records import Alert
from console.pipeline.policy import AlertPolicy
from console.pipeline.records import AnalysisResult, RaisedAlert
from console.rules.engine import RuleEngine
from console.sources.base import Frame
from console.track.tracker import CameraTracker

# In a still view, the model still looks this often (seconds of capture time).
RECHECK_S = 2.0


class CameraPipeline:
    """Motion gate, tracker, rules and alert policy of one camera, with its detector settings.

    Args:
        camera: the camera (its rules, detect rate, confidence, classes, input size).
        site: the site (time zone, alert priorities, the model's default confidence).
        motion_gate: skip the model on frames where nothing moved (the live default).
        detect_fps: the analysis rate the tracker is tuned for; default the camera's.
    """

    def __init__(
        self,
        camera: Camera,
        site: SiteConfig,
        *,
        motion_gate: bool = True,
        detect_fps: float | None = None,
    ) -> None:
        self.camera = camera
        self.camera_id = camera.id
        self.detect_fps = detect_fps or camera.detect_fps  # what the camera asks for
        self.rate_fps = self.detect_fps  # what the detector budget gives it now
        self.confidence = camera.confidence or site.model.confidence
        self.class_ids = [ROAD_USER_CLASS_IDS[name] for name in camera.classes]
        self.image_size = camera.image_size  # None: the model's own
        self.motion = MotionGate() if motion_gate else None
        self.rules = RuleEngine(camera, site.site.timezone)
        self.policy = AlertPolicy(priorities=site.alert_priorities)
        self._tracker: CameraTracker | None = None  # built on first use: it imports Ultralytics
        self.last_tracked: Detections | None = None
        self.last_detected_s = float("-inf")  # capture time of the last frame the model saw
        self.analysed = 0
        self.skipped_by_motion = 0

    @property
    def tracker(self) -> CameraTracker:
        if self._tracker is None:
            self._tracker = CameraTracker(self.detect_fps)
            if self.rate_fps != self.detect_fps:
                self._tracker.set_rate(self.rate_fps)
        return self._tracker

    def set_rate(self, fps: float) -> None:
        """The detector budget now gives this camera ``fps``: the tracker follows it."""
        if abs(self.rate_fps - fps) > 0.05:
            self.rate_fps = fps
            if self._tracker is not None:
                self._tracker.set_rate(fps)

    @property
    def busy(self) -> bool:
        """Road users are tracked now, or one of this camera's alerts is open."""
        tracked = self.last_tracked is not None and len(self.last_tracked) > 0
        return tracked or bool(list(self.policy.open_alerts()))

    @property
    def detector_settings(self) -> tuple[float, tuple[int, ...] | None, int | None]:
        """Confidence, classes and input size: frames with equal settings share a model call."""
        return self.confidence, tuple(self.class_ids) or None, self.image_size

    def needs_detection(self, frame: Frame) -> bool:
        """False when the motion gate finds nothing moved since boxes were last found.

        Even in a still view the detector looks again every ``RECHECK_S``: a car that
        stopped stays seen (its dwell goes on from real boxes), and a person who walked in
        too slowly for the gate is still found.
        """
        if self.motion is None:
            return True
        moved = self.motion.has_motion(frame.image)  # also keeps the background current
        due = frame.captured_epoch - self.last_detected_s >= RECHECK_S
        return moved or due or self.last_tracked is None

    def detect(self, model: BatchModel, frames: list[Frame]) -> list[Detections]:
        """The model's boxes for frames of this camera (or of cameras with equal settings)."""
        return model.predict(
            [frame.image for frame in frames],
            self.confidence,
            list(self.class_ids) or None,
            self.image_size,
        )

    def step(
        self, frame: Frame, raw: Detections | None, inference_ms: float = 0.0
    ) -> AnalysisResult:
        """Track, apply the rules and the alert policy to one frame's boxes.

        ``raw`` is the detector's output for ``frame``, or None when the motion gate kept
        the last boxes (a stopped car keeps dwelling).
        """
        time_s = frame.captured_epoch
        if raw is None:
            self.skipped_by_motion += 1
            tracked = self.tracker.keep(self.last_tracked or _no_tracks(), time_s)
        else:
            self.last_detected_s = time_s
            tracked = self.tracker.update(raw, time_s)
        self.last_tracked = tracked
        self.analysed += 1
        height, width = frame.image.shape[:2]
        output = self.rules.process_detections(tracked, time_s, frame.image, width, height, raw)
        raised = []
        for event in output.events:
            alert = self.policy.consider(event, self.rules.priority_of(event))
            if alert is not None:
                raised.append(RaisedAlert(alert, self._track_path(alert)))
        return AnalysisResult(
            self.camera_id,
            frame,
            tracked,
            inference_ms,
            (time.monotonic() - frame.captured_mono) * 1000.0,
            raw is None,
            raw,
            tuple(output.events),
            tuple(raised),
            tuple(output.counts),
        )

    def analyse(self, frame: Frame, model: BatchModel) -> AnalysisResult:
        """The whole chain for one frame, on the caller's thread (offline entry points)."""
        if not self.needs_detection(frame):
            return self.step(frame, None)
        started = time.perf_counter()
        raw = self.detect(model, [frame])[0]
        return self.step(frame, raw, (time.perf_counter() - started) * 1000.0)

    def on_health(self, health: CameraHealth, now_s: float) -> Alert | None:
        """A camera-health alert when the camera stayed down past the grace period."""
        event = self.rules.on_health(health, now_s)
        return self.policy.consider(event) if event is not None else None

    def closed(self, alert: Alert) -> None:
        """An operator closed ``alert``: the policy may alert on its cause again."""
        self.policy.closed(alert)

    def _track_path(self, alert: Alert) -> tuple[tuple[float, float], ...]:
        track_id = alert.event.track_id
        track = self.rules.tracks.tracks.get(track_id) if track_id is not None else None
        return tuple((p.x, p.y) for p in track.positions) if track is not None else ()


def _no_tracks() -> Detections:
    return Detections.empty().with_tracker_ids(np.zeros(0, np.int64))
