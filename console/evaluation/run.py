"""Run a labelled recording through the live per-camera pipeline and score it.

The recording is played as a file camera (console/accuracy.py's :func:`clip_frames`), and
the frames the live detector would take at the analysis rate go through the camera's
:class:`~console.pipeline.camera.CameraPipeline`: the motion gate, the detector on the
region of interest, tracker, rules and alert policy, the code that runs live. The rate is
what this machine reaches live on the camera (measured by running it as ``roadwatch
analyze`` would, :func:`measure_live_fps`) unless one is given.
"""

from __future__ import annotations

import os
import platform
import statistics
import time
from dataclasses import dataclass, field
from pathlib import Path

from console.accuracy import CASE_EPOCH_S, clip_frames
from console.config.site import Camera
from console.config.site_file import ConfigError, SiteConfig, load_site
from console.detect.model import BatchModel
from console.domain.records import Alert
from console.evaluation.truth import GroundTruth, TruthFileError, load_truth, sha256_of
from console.pipeline.camera import CameraPipeline
from console.pipeline.runtime import SiteRuntime
from console.rules.area_rules import CountRecord

EARLY_S = 3.0  # an alert may come a little before the labelled start (track onset)
LATE_S = 25.0  # ...and after it (dwell times), as in the simulator's harness


@dataclass(frozen=True, slots=True)
class ClipSetup:
    """A ground-truth file with the site, camera and recording it refers to."""

    truth_path: Path
    truth: GroundTruth
    site: SiteConfig
    site_dir: Path
    camera: Camera
    clip: Path


def prepare(truth_path: Path, clip: Path | None = None) -> ClipSetup:
    """Load the labels, their site and camera; check the recording is the labelled one.

    ``clip`` overrides where the recording is (by default the camera's stream, relative to
    the site file). Raises :class:`TruthFileError` with a clear message on any mismatch.
    """
    truth = load_truth(truth_path)
    site_path = (truth_path.parent / truth.site).resolve()
    try:
        site = load_site(site_path, environ={})
    except ConfigError as exc:
        raise TruthFileError(f"{truth_path}: its site file {site_path} is invalid: {exc}") from exc
    camera = next((c for c in site.cameras if c.id == truth.camera), None)
    if camera is None:
        ids = ", ".join(c.id for c in site.cameras)
        raise TruthFileError(
            f"{truth_path}: camera '{truth.camera}' is not in {site_path} (it has: {ids})"
        )
    _check_lines(truth_path, truth, camera)
    recording = clip or (site_path.parent / camera.streams.main)
    if not recording.is_file():
        raise TruthFileError(f"{truth_path}: the recording {recording} does not exist")
    if recording.name != truth.clip:
        raise TruthFileError(
            f"{truth_path}: labels are for '{truth.clip}', the recording is '{recording.name}'"
        )
    digest = sha256_of(recording)
    if digest != truth.sha256:
        raise TruthFileError(
            f"{truth_path}: {recording} is not the labelled recording (SHA-256 {digest[:12]}..., "
            f"labels are for {truth.sha256[:12]}...)"
        )
    return ClipSetup(truth_path, truth, site, site_path.parent, camera, recording.resolve())


def _check_lines(truth_path: Path, truth: GroundTruth, camera: Camera) -> None:
    counted = {rule.line for rule in camera.rules if rule.type == "line_count" and rule.enabled}
    for index, count in enumerate(truth.counts):
        if count.line not in counted:
            raise TruthFileError(
                f"{truth_path}: counts[{index}]: camera '{camera.id}' has no line_count rule "
                f"on a line '{count.line}' (counted lines: {sorted(counted) or 'none'})"
            )


def one_camera_site(setup: ClipSetup) -> SiteConfig:
    """The site with only the evaluated camera: the detector's whole budget is for it."""
    return setup.site.model_copy(update={"cameras": [setup.camera]})


def load_model(setup: ClipSetup) -> tuple[SiteRuntime, BatchModel]:
    """The site's model loaded as the live runtime loads it (input size resolved alike)."""
    runtime = SiteRuntime(one_camera_site(setup), base_dir=setup.site_dir)
    return runtime, runtime.load_model()


def measure_live_fps(setup: ClipSetup, seconds: float) -> tuple[float, BatchModel, str]:
    """The analysis rate the camera reaches live here: the median of its reported rates.

    The camera runs alone as ``roadwatch analyze`` runs it (the clip looping on its own
    clock, the detector worker, motion gate); returns the rate, the loaded model and the
    model's path.
    """
    runtime = SiteRuntime(one_camera_site(setup), base_dir=setup.site_dir)
    model = runtime.load_model()
    rates: list[float] = []
    runtime.start()
    try:
        deadline = time.monotonic() + seconds
        warm_up = time.monotonic() + min(5.0, seconds / 3)
        while time.monotonic() < deadline:
            time.sleep(0.5)
            health = runtime.health_of(setup.camera.id)
            if time.monotonic() >= warm_up and health is not None and health.analysis_fps > 0:
                rates.append(health.analysis_fps)
    finally:
        runtime.stop()
    if not rates:
        raise RuntimeError(f"camera {setup.camera.id} reported no analysis rate in {seconds:g} s")
    return float(statistics.median(rates)), model, model_name(runtime)


def model_name(runtime: SiteRuntime) -> str:
    model = runtime.model
    choice = getattr(model, "choice", None)
    name = Path(choice.path).name if choice is not None else type(model).__name__
    if choice is not None and choice.is_demo:
        name += " (the bundled demo model: " + (choice.notice or "synthetic scenes only") + ")"
    return name


@dataclass
class ClipRun:
    """What the pipeline produced on one recording."""

    alerts: list[Alert] = field(default_factory=list)
    counts: list[CountRecord] = field(default_factory=list)
    frames_read: int = 0
    frames_analysed: int = 0
    model_calls: int = 0
    model_ms: float = 0.0
    wall_s: float = 0.0
    frame_size: tuple[int, int] = (0, 0)  # width, height


def run_clip(setup: ClipSetup, model: BatchModel, fps: float) -> ClipRun:
    """Every frame the live detector would take at ``fps`` through the camera's pipeline.

    As live: the pipeline is built for the camera's own rate and told the rate it gets
    (:meth:`CameraPipeline.set_rate`, what the detector budget does); frames are taken at
    ``fps`` of the file's own clock, the others are dropped as a busy detector drops them.
    """
    started = time.monotonic()
    pipeline = CameraPipeline(setup.camera, setup.site)
    pipeline.set_rate(fps)
    pipeline.use_model(model)
    run = ClipRun()
    period = 1.0 / fps
    next_due = None
    for frame in clip_frames(setup.clip, CASE_EPOCH_S):
        run.frames_read += 1
        run.frame_size = (frame.image.shape[1], frame.image.shape[0])
        at = frame.captured_epoch
        if next_due is not None and at < next_due - 1e-6:
            continue
        next_due = (next_due if next_due is not None else at) + period
        next_due = max(next_due, at + period / 2)
        analysis = pipeline.analyse(frame, model)
        run.frames_analysed += 1
        if not analysis.from_motion_gate:
            run.model_calls += 1
            run.model_ms += analysis.inference_ms
        run.alerts.extend(analysis.alerts)
        run.counts.extend(analysis.counts)
    run.wall_s = time.monotonic() - started
    return run


def machine() -> str:
    load = "/".join(f"{v:.1f}" for v in os.getloadavg())
    return (
        f"{platform.machine()}, {os.cpu_count()} CPUs, {platform.system()}; "
        f"load average {load} (1/5/15 min)"
    )


def alert_time_s(alert: Alert) -> float:
    """Seconds from the clip's start when the alert was raised."""
    return alert.event.ended_at.timestamp() - CASE_EPOCH_S


def in_area(
    alert: Alert, area: tuple[float, float, float, float] | None, size: tuple[int, int]
) -> bool:
    """The alert's box centre lies in the labelled area (normalized); no area: anywhere."""
    box = alert.event.box_xyxy
    if area is None or box is None:
        return True
    width, height = size
    x = (box[0] + box[2]) / 2 / width
    y = (box[1] + box[3]) / 2 / height
    return area[0] <= x <= area[2] and area[1] <= y <= area[3]
