"""One camera's analysis chain, the only one: every entry point runs this class.

    frame -> motion gate -> detector -> tracker -> rules -> alert policy -> AnalysisResult

Live analysis (the detector worker of :class:`~console.pipeline.runtime.SiteRuntime`, in
the console and in ``roadwatch analyze``), re-analysis of recordings, training runs, the
accuracy harness and the benchmarks all feed frames to a :class:`CameraPipeline`, so what
they measure is what runs. The detector worker batches several cameras' frames into one
model call, so the chain is split at the model: :meth:`CameraPipeline.needs_detection`
before it, :meth:`CameraPipeline.step` after it; :meth:`CameraPipeline.analyse` does both
for one frame (offline callers).

The detector sees the camera's region of interest (console/pipeline/region.py): the frame
cropped to its zones, at an input size that keeps the pixels per metre; boxes come back in
full-frame coordinates, so the tracker, rules, recordings and evidence never see the crop.
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
from console.pipeline.region import DetectRegion, detect_region
from console.pipeline.tiles import Tile, merge_tiles, plan_tiles
from console.rules.engine import RuleEngine
from console.sources.base import Frame
from console.track.tracker import CameraTracker

# In a still view, the model still looks this often (seconds of capture time).
RECHECK_S = 2.0
TRACK_BOXES_S = 8.0  # of the track handed to the plate reader (the clip ring keeps 8 s)


class CameraPipeline:
    """Motion gate, tracker, rules and alert policy of one camera, with its detector settings.

    Args:
        camera: the camera (its rules, detect rate, confidence, classes, input size).
        site: the site (time zone, alert priorities, the model's default confidence).
        motion_gate: skip the model on frames where nothing moved (the live default).
        detect_fps: the analysis rate the tracker is tuned for; default the camera's.
        region: crop the frame to the camera's region of interest before the model
            (the live default; the camera's ``detect_region: full`` turns it off).
    """

    def __init__(
        self,
        camera: Camera,
        site: SiteConfig,
        *,
        motion_gate: bool = True,
        detect_fps: float | None = None,
        region: bool = True,
    ) -> None:
        self.camera = camera
        self.camera_id = camera.id
        self.detect_fps = detect_fps or camera.detect_fps  # what the camera asks for
        self.rate_fps = self.detect_fps  # what the detector budget gives it now
        self.confidence = camera.confidence or site.model.confidence
        self.class_ids = [ROAD_USER_CLASS_IDS[name] for name in camera.classes]
        self.image_size = camera.image_size  # None: the model's own
        # The model's own input size (``image_size: auto`` resolved), learnt from the model.
        self.model_image_size: int | None = None
        self.fixed_input_size: int | None = None  # a fixed-size export runs at nothing else
        self.use_region = region
        self._region_for: tuple[int, int] | None = None  # the frame size it was made for
        self._region: DetectRegion | None = None
        self.detect_tiles = camera.detect_tiles
        self.nms_iou = site.model.nms_iou
        self._tiles_for: tuple[int, int, int] | None = None  # crop size and input planned for
        self._tiles: tuple[Tile, ...] = ()
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
    def min_rate_fps(self) -> float:
        """The lowest analysis rate at which every rule of this camera works."""
        return min(self.rules.min_rate_fps, self.detect_fps)

    @property
    def busy(self) -> bool:
        """Road users are tracked now, or one of this camera's alerts is open."""
        tracked = self.last_tracked is not None and len(self.last_tracked) > 0
        return tracked or bool(list(self.policy.open_alerts()))

    @property
    def detector_settings(
        self,
    ) -> tuple[float, tuple[int, ...] | None, int | None, DetectRegion | None, object]:
        """Confidence, classes, input size, crop and tiling: equal settings share a call.

        The input size is the one the crop runs at (known once the model's own size is, see
        :meth:`use_model`); cameras share a batch only when they crop and tile alike.
        """
        return (
            self.confidence,
            tuple(self.class_ids) or None,
            self.input_size,
            self._region,
            self.detect_tiles,
        )

    def use_model(self, model: BatchModel) -> None:
        """Learn the model's own input size (what ``image_size: auto`` resolved to)."""
        size = getattr(model, "image_size", None)
        self.model_image_size = size if isinstance(size, int) else None
        fixed = getattr(model, "fixed_input_size", None)
        self.fixed_input_size = fixed if isinstance(fixed, int) else None

    @property
    def input_size(self) -> int | None:
        """The model input for this camera's frames; None: the model's own.

        A fixed-size export runs the crop at its own size (finer, no cheaper).
        """
        size = self.image_size or self.model_image_size
        if size is None or self._region is None or self.fixed_input_size is not None:
            return self.image_size
        return self._region.input_size(size)

    def region(self, image: np.ndarray) -> DetectRegion | None:
        """The crop the detector sees of frames like ``image``; None: the whole frame."""
        height, width = image.shape[:2]
        if self._region_for != (width, height):
            self._region_for = (width, height)
            self._region = detect_region(self.camera, width, height) if self.use_region else None
        return self._region

    def needs_detection(self, frame: Frame) -> bool:
        """False when the motion gate finds nothing moved since boxes were last found.

        Even in a still view the detector looks again every ``RECHECK_S``: a car that
        stopped stays seen (its dwell goes on from real boxes), and a person who walked in
        too slowly for the gate is still found.
        """
        region = self.region(frame.image)
        if self.motion is None:
            return True
        # Motion where the detector looks; also keeps the background current.
        moved = self.motion.has_motion(region.crop(frame.image) if region else frame.image)
        due = frame.captured_epoch - self.last_detected_s >= RECHECK_S
        return moved or due or self.last_tracked is None

    def detect(self, model: BatchModel, frames: list[Frame]) -> list[Detections]:
        """The model's boxes for frames of this camera (or of cameras with equal settings).

        On the camera's region of interest when it has one, at the crop's input size; the
        boxes are always in full-frame coordinates. A model that does not look at pixels
        (``looks_at_pixels = False``: the simulator's truth) gets the whole frame, and its
        boxes are cut to the region as a detector on the crop would have seen them.
        """
        if not frames:
            return []
        if self.model_image_size is None:
            self.use_model(model)
        region = self.region(frames[0].image)
        classes = list(self.class_ids) or None
        if not getattr(model, "looks_at_pixels", True):
            if region is None:
                images = [frame.image for frame in frames]
                return model.predict(images, self.confidence, classes, self.image_size)
            found = model.predict(
                [frame.image for frame in frames], self.confidence, classes, self.input_size
            )
            return [region.seen(boxes) for boxes in found]
        if region is None:
            return self._predict_tiled(model, [frame.image for frame in frames], classes)
        crops = [region.crop(frame.image) for frame in frames]
        found = self._predict_tiled(model, crops, classes)
        return [region.to_frame(boxes) for boxes in found]

    @property
    def tile_input_size(self) -> int | None:
        """The input a tile runs at: the model's own size (the crop's may be smaller)."""
        return self.fixed_input_size or self.image_size or self.model_image_size

    def tiles(self, image: np.ndarray) -> tuple[Tile, ...]:
        """The tiles (console/pipeline/tiles.py) of ``image``, the crop the detector sees."""
        size = self.tile_input_size
        if self.detect_tiles == "off" or size is None:
            return ()
        height, width = image.shape[:2]
        if self._tiles_for != (width, height, size):
            self._tiles_for = (width, height, size)
            self._tiles = plan_tiles(self.detect_tiles, width, height, size)
        return self._tiles

    @property
    def detector_passes(self) -> int:
        """Model passes per analysed frame: the whole region plus its tiles."""
        return 1 + len(self._tiles)

    def _predict_tiled(
        self, model: BatchModel, images: list[np.ndarray], classes: list[int] | None
    ) -> list[Detections]:
        """The model's boxes on ``images`` (crops or whole frames) and on their tiles, merged.

        Two batched calls: the whole images at the crop's input size, then every tile of
        every image at the model's own size (one call when those are equal).
        """
        tiles = self.tiles(images[0])
        if not tiles:
            return model.predict(images, self.confidence, classes, self.input_size)
        pieces = [tile.crop(image) for image in images for tile in tiles]
        if (self.input_size or self.model_image_size) == self.tile_input_size:
            found = model.predict([*images, *pieces], self.confidence, classes, self.input_size)
            wholes, tiled = found[: len(images)], found[len(images) :]
        else:
            wholes = model.predict(images, self.confidence, classes, self.input_size)
            tiled = model.predict(pieces, self.confidence, classes, self.tile_input_size)
        height, width = images[0].shape[:2]
        return [
            merge_tiles(
                whole,
                tiles,
                tiled[i * len(tiles) : (i + 1) * len(tiles)],
                width,
                height,
                self.nms_iou,
            )
            for i, whole in enumerate(wholes)
        ]

    def step(
        self, frame: Frame, raw: Detections | None, inference_ms: float = 0.0
    ) -> AnalysisResult:
        """Track, apply the rules and the alert policy to one frame's boxes.

        ``raw`` is the detector's output for ``frame``, or None when the motion gate kept
        the last boxes (a stopped car keeps dwelling).
        """
        time_s = frame.captured_epoch
        height, width = frame.image.shape[:2]
        self.rules.prepare(width, height)
        self.tracker.use_ground(self.rules.ground)
        if raw is None:
            self.skipped_by_motion += 1
            tracked = self.tracker.keep(self.last_tracked or _no_tracks(), time_s)
        else:
            self.last_detected_s = time_s
            tracked = self.tracker.update(raw, time_s, frame.image)
        self.last_tracked = tracked
        self.analysed += 1
        output = self.rules.process_detections(
            tracked,
            time_s,
            frame.image,
            width,
            height,
            raw,
            self.tracker.take_first_sightings() if raw is not None else (),
        )
        raised = []
        for event in output.events:
            alert = self.policy.consider(event, self.rules.priority_of(event))
            if alert is not None:
                raised.append(RaisedAlert(alert, self._track_path(alert), self._track_boxes(alert)))
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

    def _track_boxes(
        self, alert: Alert, seconds: float = TRACK_BOXES_S
    ) -> tuple[tuple[float, tuple[float, float, float, float]], ...]:
        track_id = alert.event.track_id
        history = self.tracker.histories.get(track_id) if track_id is not None else None
        if history is None or not history.points:
            return ()
        since = history.points[-1].time_s - seconds
        return tuple((p.time_s, p.box) for p in history.points if p.time_s >= since)

    def _track_path(self, alert: Alert) -> tuple[tuple[float, float], ...]:
        track_id = alert.event.track_id
        track = self.rules.tracks.tracks.get(track_id) if track_id is not None else None
        return tuple((p.x, p.y) for p in track.positions) if track is not None else ()


def _no_tracks() -> Detections:
    return Detections.empty().with_tracker_ids(np.zeros(0, np.int64))
