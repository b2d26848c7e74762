"""Runs a whole site: a capture thread per camera, one detector worker, a watchdog.

The UI and the headless ``roadwatch analyze`` both drive this class and only observe it:
health and analysis results arrive through listeners; frames are pulled from each
camera's latest-frame slot at whatever rate the viewer wants.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

from console.config.site import Camera
from console.config.site_file import SiteConfig
from console.detect.model import BatchModel, YoloModel, choose_model, input_sizes
from console.domain.health import CameraHealth, StreamState
from console.pipeline.camera import CameraPipeline
from console.pipeline.input_size import InputSizeChoice, resolve_image_size
from console.pipeline.records import AnalysisResult
from console.pipeline.worker import CameraFeed, DetectorWorker
from console.sources.base import Frame
from console.sources.buffers import FrameRing, LatestFrameSlot
from console.sources.capture import CaptureWorker, ReconnectPolicy
from console.sources.factory import make_source

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class RuntimeOptions:
    reconnect: ReconnectPolicy = field(default_factory=ReconnectPolicy)
    # Frames per model call; None: 1 on the CPU, 4 on a GPU. On the CPU a batch runs no
    # faster per frame than single frames, and every frame in it waits for the whole
    # batch (9 RTSP cameras, 2 cores: p95 frame-to-detections 674 ms at 4, 222 ms at 1,
    # same analysed rate; docs/BENCHMARKS.md).
    max_batch: int | None = None
    motion_gate: bool = True
    evidence_seconds: float = 8.0
    evidence_fps: float = 10.0
    evidence_max_bytes: int = 192 * 1024 * 1024
    analyse: bool = True
    # Frames are shown (the console): each camera's main stream is decoded for its tile.
    # Headless (``roadwatch analyze``), a camera with a detect stream decodes its main
    # stream only for what needs it: recording, or evidence clips cut from it.
    display: bool = True
    # A recording analysed as fast as the analysis goes, on the file's own clock starting at
    # this epoch: file cameras are read in lockstep with their pipeline, no frame skipped.
    lockstep_epoch_s: float | None = None
    # Start every enabled camera with the runtime. An analytics node starts none and adds
    # the cameras it holds a lease for (``add_camera`` / ``remove_camera``).
    start_cameras: bool = True
    # File and simulated cameras play on the wall clock, as live cameras (a site bus: the
    # node analysing a camera and the consoles showing it see the same frame at once).
    files_on_wall_clock: bool = False
    # A display-only console (site bus): small tiles show a camera's detect stream, only the
    # cameras in ``SiteRuntime.main_streams`` (the maximised tile) decode the main one.
    sub_streams_on_tiles: bool = False
    # ``image_size: auto`` sizes the model for this many of the site's enabled cameras
    # (an analytics node: its capacity); None: all of them.
    sized_for: int | None = None


@dataclass
class CameraRuntime:
    """Everything the runtime keeps for one camera."""

    camera: Camera
    slot: LatestFrameSlot
    ring: FrameRing
    capture: CaptureWorker
    display_slot: LatestFrameSlot
    display_capture: CaptureWorker | None = None
    health: CameraHealth | None = None


class SiteRuntime:
    def __init__(
        self,
        site: SiteConfig,
        *,
        base_dir: Path | None = None,
        model: BatchModel | None = None,
        options: RuntimeOptions | None = None,
    ) -> None:
        self.site = site
        self.base_dir = base_dir
        self.options = options or RuntimeOptions()
        self.model = model
        self.cameras: dict[str, CameraRuntime] = {}
        # One analysis chain per enabled camera, whether or not the model runs here: camera
        # health alerts go through the same policy.
        self.pipelines = {
            camera.id: CameraPipeline(camera, site, motion_gate=self.options.motion_gate)
            for camera in site.cameras
            if camera.enabled
        }
        self.health_listeners: list[Callable[[CameraHealth], None]] = []
        self.result_listeners: list[Callable[[AnalysisResult], None]] = []
        # Per camera id: called on the capture thread with every frame of the display
        # stream (the recorder); may be filled before start().
        self.frame_listeners: dict[str, list[Callable[[Frame], None]]] = {}
        self.detector: DetectorWorker | None = None
        # The model's input size and why (``image_size: auto`` is resolved when it loads).
        self.input_size: InputSizeChoice | None = None
        self._cameras_lock = threading.RLock()
        self.main_streams: set[str] = set()  # display-only console: maximised cameras
        self._watchdog_stop = threading.Event()
        self._watchdog = threading.Thread(target=self._watch, name="watchdog", daemon=True)
        self._started = False

    def load_model(self) -> BatchModel:
        if self.model is None:
            settings = self.site.model
            choice = choose_model(settings.path, self.base_dir)
            cameras = [camera for camera in self.site.cameras if camera.enabled]
            if self.options.sized_for is not None:
                cameras = cameras[: self.options.sized_for]
            # A recording read in lockstep has no live stream decoding beside the model.
            live = 0 if self.options.lockstep_epoch_s is not None else len(cameras)
            model = YoloModel.from_settings(choice, settings, live_cameras=live).load()
            self.input_size = resolve_image_size(
                settings, cameras, model, fixed_size=model.fixed_input_size
            )
            model.image_size = self.input_size.size
            model.prepare_sizes(input_sizes(settings, self.site.cameras, model.image_size))
            self.model = model
        for pipeline in self.pipelines.values():
            pipeline.use_model(self.model)
        return self.model

    def start(self) -> None:
        if self._started:
            return
        self._started = True
        if self.options.analyse:
            model = self.load_model()
            self.detector = DetectorWorker(model, self.options.max_batch or _batch_for(model))
            self.detector.listeners = self.result_listeners  # shared: listeners may attach early
            choice = self.input_size
            if choice is not None and choice.auto and not choice.fixed:
                self.detector.smaller_sizes = sorted(
                    (size for size in choice.costs_ms if size < choice.size), reverse=True
                )
                self.detector.size_listeners.append(self._stepped_down)
        for camera in self.site.cameras:
            if camera.enabled:
                if self.options.start_cameras:
                    self._start_camera(camera)
            else:
                self._set_health(
                    CameraHealth(camera.id, StreamState.DISABLED, "disabled in the site file")
                )
        if self.detector is not None:
            self.detector.start()
        self._watchdog.start()

    def _start_camera(self, camera: Camera) -> None:
        slot = LatestFrameSlot()
        ring = FrameRing(
            self.options.evidence_seconds,
            self.options.evidence_max_bytes,
            self.options.evidence_fps,
        )
        analysis_url = camera.streams.detect or camera.streams.main
        main_decoded = self._decodes_main(camera)
        # The evidence ring is fed by the stream its clips are cut from: the only one, the
        # detect stream when the main one is not decoded here, or the one the site chose.
        ring_on_analysis = (
            camera.streams.detect is None or not main_decoded or camera.streams.evidence == "detect"
        )
        timeout_s = self.options.reconnect.stall_timeout_s
        capture = CaptureWorker(
            camera.id,
            partial(
                make_source,
                analysis_url,
                base_dir=self.base_dir,
                timeout_s=timeout_s,
                loop_files=self.options.lockstep_epoch_s is None,  # a recording ends once
            ),
            slot,
            ring if ring_on_analysis else None,
            self._set_health,
            self.options.reconnect,
        )
        capture.files_on_wall_clock = self.options.files_on_wall_clock
        runtime = CameraRuntime(camera, slot, ring, capture, slot)
        if main_decoded and camera.streams.detect is not None:
            runtime.display_slot = LatestFrameSlot()
            runtime.display_capture = CaptureWorker(
                f"{camera.id}-display",
                partial(
                    make_source, camera.streams.main, base_dir=self.base_dir, timeout_s=timeout_s
                ),
                runtime.display_slot,
                None if ring_on_analysis else ring,
                lambda health: None,
                self.options.reconnect,
            )
        if runtime.display_capture is not None:
            runtime.display_capture.files_on_wall_clock = self.options.files_on_wall_clock
        display_worker = runtime.display_capture or capture
        display_worker.frame_listeners = self.frame_listeners.setdefault(camera.id, [])
        self.cameras[camera.id] = runtime
        if self.options.lockstep_epoch_s is not None:
            capture.lockstep_epoch_s = self.options.lockstep_epoch_s
        if self.detector is not None:
            self.detector.add_feed(
                CameraFeed(
                    self.pipelines[camera.id],
                    slot,
                    every_frame=self.options.lockstep_epoch_s is not None,
                )
            )
        capture.start()
        if runtime.display_capture is not None:
            runtime.display_capture.start()

    def add_camera(
        self, camera_id: str, prepare: Callable[[CameraPipeline], None] | None = None
    ) -> None:
        """Start one enabled camera (an analytics node took its lease); no-op if running.

        Its pipeline starts afresh (new tracks, rules' state and policy); ``prepare`` sees
        it before its first frame (a node adopts the alerts another node raised on it).
        """
        with self._cameras_lock:
            if camera_id in self.cameras:
                return
            camera = self.site.camera(camera_id)
            if not camera.enabled:
                raise ValueError(f"camera {camera_id} is disabled in the site file")
            pipeline = CameraPipeline(camera, self.site, motion_gate=self.options.motion_gate)
            if self.model is not None:
                pipeline.use_model(self.model)
            if prepare is not None:
                prepare(pipeline)
            self.pipelines[camera_id] = pipeline
            self._start_camera(camera)

    def remove_camera(
        self, camera_id: str, reason: str = "analysed by another node", timeout_s: float = 1.0
    ) -> None:
        """Stop analysing and decoding one camera at once (its lease moved; not shown)."""
        with self._cameras_lock:
            runtime = self.cameras.pop(camera_id, None)
            if runtime is None:
                return
            if self.detector is not None:
                self.detector.remove_feed(camera_id)
            workers = [runtime.capture, runtime.display_capture]
            for worker in workers:
                if worker is not None:
                    worker.stop()
        for worker in workers:
            if worker is not None and worker.is_alive():
                worker.join(timeout_s)
        self._set_health(CameraHealth(camera_id, StreamState.DISABLED, reason))

    def _stepped_down(self, before: int, after: int) -> None:
        if self.input_size is not None:
            self.input_size = self.input_size.stepped_down(after)

    def _decodes_main(self, camera: Camera) -> bool:
        """Whether the camera's main stream is decoded here (always, without a detect one).

        A display-only console (no analysis here) shows a camera's low-resolution stream on
        small tiles and decodes the main one only for the cameras in ``main_streams`` (the
        maximised tile).
        """
        if camera.streams.detect is None:
            return True
        if camera.record:
            return True
        if self.options.sub_streams_on_tiles:
            return camera.id in self.main_streams
        return self.options.display or camera.streams.evidence == "main"

    def show_main_stream(self, camera_ids: set[str]) -> None:
        """A display-only console: decode these cameras' main streams, the others' low ones.

        Cameras running with the other stream are restarted (a second's reconnect).
        """
        with self._cameras_lock:
            changed = (self.main_streams ^ camera_ids) & set(self.cameras)
            self.main_streams = set(camera_ids)
            for camera_id in sorted(changed):
                camera = self.site.camera(camera_id)
                if camera.streams.detect is None:
                    continue
                self.remove_camera(camera_id, reason="switching stream")
                self.add_camera(camera_id)

    def _set_health(self, health: CameraHealth) -> None:
        runtime = self.cameras.get(health.camera_id)
        if runtime is not None:
            feed = self.detector.feeds.get(health.camera_id) if self.detector else None
            if feed is not None:
                health = CameraHealth(
                    health.camera_id,
                    health.state,
                    health.reason,
                    health.retry_in_s,
                    health.input_fps,
                    feed.meter.rate(time.monotonic()),
                    feed.missed_slots,
                    feed.target_fps,
                    feed.rate_fps,
                    int(feed.skipped_by_budget),
                    feed.pipeline.skipped_by_motion,
                )
            runtime.health = health
        for listener in list(self.health_listeners):
            try:
                listener(health)
            except Exception:
                log.exception("health listener failed")

    def latest_frame(self, camera_id: str) -> tuple[int, Frame | None]:
        runtime = self.cameras.get(camera_id)
        return runtime.display_slot.latest() if runtime else (0, None)

    def health_of(self, camera_id: str) -> CameraHealth | None:
        runtime = self.cameras.get(camera_id)
        return runtime.health if runtime else None

    def _watch(self) -> None:
        while not self._watchdog_stop.wait(1.0):
            now = time.monotonic()
            for runtime in list(self.cameras.values()):
                runtime.capture.check_stalled(now)

    def stop(self, timeout_s: float = 2.0) -> None:
        """Stop every thread; returns within about ``timeout_s``."""
        deadline = time.monotonic() + timeout_s
        self._watchdog_stop.set()
        workers: list[threading.Thread] = []
        for runtime in self.cameras.values():
            runtime.capture.stop()
            workers.append(runtime.capture)
            if runtime.display_capture is not None:
                runtime.display_capture.stop()
                workers.append(runtime.display_capture)
        if self.detector is not None:
            self.detector.stop()
            workers.append(self.detector)
        if self._watchdog.is_alive():
            workers.append(self._watchdog)
        for worker in workers:
            if worker.is_alive():
                worker.join(max(0.0, deadline - time.monotonic()))
        alive = [w.name for w in workers if w.is_alive()]
        if alive:
            # Capture threads blocked inside FFmpeg return at its read timeout; they are
            # daemons and hold no data that could be lost.
            log.warning("threads still finishing after stop: %s", ", ".join(alive))


def _batch_for(model: BatchModel) -> int:
    """Frames per model call when the options leave it open: 4 on a GPU, else 1."""
    return 4 if str(getattr(model, "device", "cpu")).startswith("cuda") else 1
