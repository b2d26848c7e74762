"""Re-analysis: run a recording through a camera's pipeline with other rule settings.

For tuning thresholds on real footage before deploying them: the supervisor changes a
camera's rules (a modified :class:`~console.config.site.Camera`) and sees which alerts the
new settings would have raised over a recorded range. The frames go through the same
:class:`~console.pipeline.camera.CameraPipeline` live analysis runs (motion gate, tracker,
rules, policy). Detections come either from the model again (``model=...``, the real
detector on the decoded frames, at the camera's input size) or, much faster, from what the
detector gave when the recording was analysed (kept beside its tracked boxes), tracked now.
Nothing is stored: the alerts are returned, never raised.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

from console.config.site import Camera
from console.config.site_file import SiteConfig
from console.detect.model import BatchModel
from console.domain.records import Alert
from console.pipeline.camera import CameraPipeline
from console.recording.index import RecordingIndex
from console.replay.player import CameraPlayback, ReplayFrame
from console.sources.base import Frame


@dataclass
class ReanalysisResult:
    camera_id: str
    start_s: float
    end_s: float
    alerts: list[Alert] = field(default_factory=list)
    frames_analysed: int = 0
    frames_without_boxes: int = 0  # recorded frames never analysed: skipped
    frames_from_tracked_boxes: int = 0  # older recordings: tracked boxes stand in for raw
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
        model: re-detect with this model; None uses the detector output kept with the
            recording, and only the frames that were analysed then.
        detect_fps: analysis rate; default the camera's ``detect_fps``.
    """
    started = time.monotonic()
    fps = detect_fps or camera.detect_fps
    playback = CameraPlayback(index, camera.id)
    pipeline = CameraPipeline(camera, site, detect_fps=fps)
    result = ReanalysisResult(camera.id, start_s, end_s)
    next_due = start_s
    time_s: float | None = start_s if playback.frame_at(start_s) else playback.next_time(start_s)
    try:
        while time_s is not None and time_s < end_s:
            if time_s + 1e-6 >= next_due:
                recorded = playback.frame_at(time_s)
                if recorded is not None and _analyse(pipeline, recorded, model, result):
                    next_due = max(next_due + 1.0 / fps, time_s)
            time_s = playback.next_time(time_s)
    finally:
        playback.close()
    result.wall_seconds = time.monotonic() - started
    return result


def _analyse(
    pipeline: CameraPipeline,
    recorded: ReplayFrame,
    model: BatchModel | None,
    result: ReanalysisResult,
) -> bool:
    """One recorded frame through the pipeline; False when there is nothing to analyse."""
    frame = Frame(recorded.image, recorded.frame_index, time.monotonic(), recorded.time_s)
    if model is not None:
        analysis = pipeline.analyse(frame, model)
    else:
        output = recorded.detector_output
        if output is None:
            result.frames_without_boxes += 1
            return False
        result.frames_from_tracked_boxes += output.from_tracked_boxes
        analysis = pipeline.step(frame, output.raw)
    result.frames_analysed += 1
    result.alerts.extend(analysis.alerts)
    return True
