"""Re-analysis: run a recording through tracker, rules and policy with other rule settings.

For tuning thresholds on real footage before deploying them: the supervisor changes a
camera's rules (a modified :class:`~console.config.site.Camera`) and sees which alerts the
new settings would have raised over a recorded range. Detections come either from the
model again (``model=...``, the real detector on the decoded frames) or, much faster, from
the boxes stored with the recording (the detector's output then, re-tracked now).
Nothing is stored: the alerts are returned, never raised.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

from console.alerts.policy import AlertPolicy
from console.config.site import Camera
from console.config.site_file import SiteConfig
from console.detect.detections import Detections
from console.detect.model import ROAD_USER_CLASS_IDS
from console.detect.worker import BatchModel
from console.domain.records import Alert
from console.recording.index import RecordingIndex
from console.replay.player import CameraPlayback
from console.rules.engine import RuleEngine
from console.track.tracker import CameraTracker


@dataclass
class ReanalysisResult:
    camera_id: str
    start_s: float
    end_s: float
    alerts: list[Alert] = field(default_factory=list)
    frames_analysed: int = 0
    frames_without_boxes: int = 0
    wall_seconds: float = 0.0


def reanalyse(
    index: RecordingIndex,
    camera: Camera,
    site: SiteConfig,
    start_s: float,
    end_s: float,
    *,
    model: BatchModel | None = None,
    detect_fps: float | None = None,
) -> ReanalysisResult:
    """Alerts ``camera``'s rules would have raised on its recording in [start_s, end_s).

    Args:
        index: the recording index holding the camera's segments.
        camera: the camera with the rule settings to try (its id selects the recording).
        site: the site (time zone, alert priorities, model confidence).
        start_s: range start, UTC epoch seconds.
        end_s: range end, UTC epoch seconds.
        model: re-detect with this model; None uses the boxes stored with the recording.
        detect_fps: analysis rate; default the camera's ``detect_fps``.
    """
    started = time.monotonic()
    fps = detect_fps or camera.detect_fps
    playback = CameraPlayback(index, camera.id)
    engine = RuleEngine(camera, site.site.timezone)
    tracker = CameraTracker(fps)
    policy = AlertPolicy(priorities=site.alert_priorities)
    confidence = camera.confidence or site.model.confidence
    class_ids = [ROAD_USER_CLASS_IDS[c] for c in camera.classes]
    result = ReanalysisResult(camera.id, start_s, end_s)
    next_due = start_s
    time_s: float | None = start_s if playback.frame_at(start_s) else playback.next_time(start_s)
    try:
        while time_s is not None and time_s < end_s:
            if time_s + 1e-6 >= next_due:
                next_due = max(next_due + 1.0 / fps, time_s)
                frame = playback.frame_at(time_s)
                if frame is not None:
                    if model is not None:
                        raw = model.predict([frame.image], confidence, class_ids)[0]
                    elif frame.detections is not None:
                        raw = _untracked(frame.detections)
                    else:
                        result.frames_without_boxes += 1
                        raw = Detections.empty()
                    tracked = tracker.update(raw, frame.time_s)
                    height, width = frame.image.shape[:2]
                    output = engine.process_detections(
                        tracked, frame.time_s, frame.image, width, height, raw
                    )
                    result.frames_analysed += 1
                    for event in output.events:
                        rule = next((r for r in engine.rules if r.rule_id == event.rule_id), None)
                        priority = rule.config.priority if rule is not None else None
                        alert = policy.consider(event, priority)
                        if alert is not None:
                            result.alerts.append(alert)
            time_s = playback.next_time(time_s)
    finally:
        playback.close()
    result.wall_seconds = time.monotonic() - started
    return result


def _untracked(detections: Detections) -> Detections:
    return Detections(
        detections.xyxy,
        detections.confidence,
        detections.class_id,
        None,
        detections.class_names,
    )
