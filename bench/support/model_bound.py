"""What the model alone manages on the open site: the detector worker paused, everything else
running, each camera's newest frame handed to its pipeline's own ``detect`` call."""

from __future__ import annotations

import itertools
import statistics
import time
from dataclasses import dataclass, field

import numpy as np

from console.detect.model import YoloModel
from console.pipeline.camera import CameraPipeline
from console.pipeline.runtime import SiteRuntime


@dataclass
class ModelBound:
    """Frames per second through the model alone, and each call's milliseconds per frame."""

    fps: float
    per_frame_ms: list[float] = field(default_factory=list)

    @property
    def one_inference_ms(self) -> float:
        """The median time of one frame through the model (the single-frame time)."""
        return statistics.median(self.per_frame_ms) if self.per_frame_ms else float("nan")

    @property
    def p95_ms(self) -> float:
        """How slow the model alone gets on this machine now (its jitter)."""
        return float(np.percentile(self.per_frame_ms, 95)) if self.per_frame_ms else float("nan")


def model_bound(runtime: SiteRuntime, model: YoloModel, seconds: float, batch: int) -> ModelBound:
    """Frames per second the model manages through the cameras' own ``detect`` calls."""
    groups: dict[object, list[CameraPipeline]] = {}
    for camera_id in runtime.cameras:
        pipeline = runtime.pipelines[camera_id]
        groups.setdefault(pipeline.detector_settings, []).append(pipeline)
    chunks = [
        members[start : start + batch]
        for members in groups.values()
        for start in range(0, len(members), batch)
    ]
    done = 0
    per_frame_ms: list[float] = []
    started = time.monotonic()
    deadline = started + seconds
    for chunk in itertools.cycle(chunks):
        if time.monotonic() >= deadline:
            break
        frames = [runtime.cameras[p.camera_id].slot.latest()[1] for p in chunk]
        present = [frame for frame in frames if frame is not None]
        if not present:
            time.sleep(0.01)
            continue
        called = time.perf_counter()
        chunk[0].detect(model, present)  # the worker's call, with this group's settings
        per_frame_ms.append((time.perf_counter() - called) * 1000.0 / len(present))
        done += len(present)
    return ModelBound(done / (time.monotonic() - started), per_frame_ms)


def model_bound_during(runtime: SiteRuntime, model: YoloModel, seconds: float) -> ModelBound:
    """Pause the detector worker and drive the model directly, everything else running."""
    detector = runtime.detector
    assert detector is not None
    feeds = dict(detector.feeds)
    for camera_id in feeds:
        detector.remove_feed(camera_id)
    time.sleep(0.5)
    bound = model_bound(runtime, model, seconds, detector.max_batch)
    for feed in feeds.values():
        feed.next_due_mono = 0.0
        detector.add_feed(feed)
    time.sleep(2.0)
    return bound
