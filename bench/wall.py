"""Video-wall paint cost: 16 tiles of 1280x720 at 25 fps each, offscreen.

A producer thread publishes a new 1280x720 frame (and ~12 tracked detections) for each of
16 cameras every 40 ms, as capture threads do; the wall refreshes on a 25 Hz timer like the
console. Each refresh (collect the newest composed pictures, paint all tiles synchronously)
is timed on the GUI thread; composing (scale + overlays) runs on the wall's compositor thread.
Prints a human line, then ONE JSON object on the last line. Run:
    QT_QPA_PLATFORM=offscreen python bench/wall.py [--seconds 10]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import threading
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import numpy as np  # noqa: E402
from PySide6.QtCore import QTimer  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from console.config.site_file import demo_site_path, load_site  # noqa: E402
from console.detect.detections import Detections  # noqa: E402
from console.domain.classes import ROAD_USER_NAMES  # noqa: E402
from console.domain.health import CameraHealth, StreamState  # noqa: E402
from console.pipeline.worker import AnalysisResult  # noqa: E402
from console.sources.base import Frame  # noqa: E402
from ui.app import prepare_gui_process  # noqa: E402
from ui.theme import apply_theme  # noqa: E402
from ui.wall.video_wall import VideoWall  # noqa: E402

WIDTH, HEIGHT, FPS, TILES, DETECT_FPS = 1280, 720, 25, 16, 5


class SyntheticFeeds:
    """Stands in for the bridge: newest frame and result per camera, replaced at 25 fps."""

    def __init__(self, camera_ids: list[str]) -> None:
        rng = np.random.default_rng(7)
        self.images = [rng.integers(0, 255, (HEIGHT, WIDTH, 3), np.uint8) for _ in range(4)]
        self.camera_ids = camera_ids
        self.lock = threading.Lock()
        self.frames: dict[str, tuple[int, Frame]] = {}
        self.results: dict[str, AnalysisResult] = {}
        self.stop_event = threading.Event()
        self.thread = threading.Thread(target=self.run, name="bench-producer", daemon=True)

    def run(self) -> None:
        index = 0
        next_at = time.perf_counter()
        while not self.stop_event.is_set():
            index += 1
            for number, camera_id in enumerate(self.camera_ids):
                image = self.images[(index + number) % len(self.images)]
                frame = Frame(image, index, time.monotonic(), time.time())
                x = (index * 6 + np.arange(12) * 90) % (WIDTH - 120)
                boxes = np.stack([x, np.full(12, 300.0), x + 110, np.full(12, 380.0)], axis=1)
                detections = Detections.from_arrays(
                    boxes, np.full(12, 0.8), np.full(12, 2), np.arange(12), ROAD_USER_NAMES
                )
                with self.lock:
                    self.frames[camera_id] = (index, frame)
                if index % (FPS // DETECT_FPS) == 0:  # analysis runs at 5 fps per camera
                    result = AnalysisResult(camera_id, frame, detections, 10.0, 40.0, False)
                    with self.lock:
                        self.results[camera_id] = result
            next_at += 1 / FPS
            self.stop_event.wait(max(0.0, next_at - time.perf_counter()))

    def latest_frame(self, camera_id: str) -> tuple[int, Frame | None]:
        with self.lock:
            return self.frames.get(camera_id, (0, None))

    def latest_result(self, camera_id: str) -> AnalysisResult | None:
        with self.lock:
            return self.results.get(camera_id)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--warmup", type=float, default=1.0)
    args = parser.parse_args()
    prepare_gui_process()  # GIL switch interval, no Qt fill thread pool: as the console
    app = QApplication.instance() or QApplication(sys.argv)
    assert isinstance(app, QApplication)
    apply_theme(app)
    site = load_site(demo_site_path(), environ={})
    cameras = [site.cameras[i % len(site.cameras)] for i in range(TILES)]
    distinct = [c.model_copy(update={"id": f"{c.id}-{i}"}) for i, c in enumerate(cameras)]
    feeds = SyntheticFeeds([c.id for c in distinct])
    # The feeds offer the same two methods the wall pulls from the bridge.
    wall = VideoWall(site.site.timezone, feeds, None, distinct)  # type: ignore[arg-type]
    wall._pump.stop()  # the bench drives refreshes itself, to time each one
    wall.resize(1920, 1080)
    wall.set_layout("4x4")
    wall.show_cameras(distinct)
    wall.show()
    for camera in distinct:
        wall.set_health(CameraHealth(camera.id, StreamState.LIVE, input_fps=25.0))
    app.processEvents()
    feeds.thread.start()

    paint_ms: list[float] = []
    shown = {c.id: 0 for c in distinct}
    started = time.perf_counter()
    measure_from = started + args.warmup
    measured_start_versions: dict[str, int] = {}

    def refresh() -> None:
        now = time.perf_counter()
        before = {t.camera.id: t.frame_version for t in wall.visible_tiles() if t.camera}
        t0 = time.perf_counter()
        wall.pull_frames()
        wall.repaint()
        elapsed = (time.perf_counter() - t0) * 1000.0
        if now >= measure_from:
            if not measured_start_versions:
                measured_start_versions.update(before)
            paint_ms.append(elapsed)
            for tile in wall.visible_tiles():
                if tile.camera and tile.frame_version != before[tile.camera.id]:
                    shown[tile.camera.id] += 1
        if now - started >= args.warmup + args.seconds:
            app.quit()

    timer = QTimer()
    timer.setInterval(1000 // FPS)
    timer.timeout.connect(refresh)
    timer.start()
    app.exec()
    timer.stop()
    compositor_ms = list(wall.compositor.pass_ms) if wall.compositor else [0.0]
    wall.stop()
    feeds.stop_event.set()
    feeds.thread.join(2)

    values = np.array(paint_ms)
    fps_per_tile = [count / args.seconds for count in shown.values()]
    result = {
        "bench": "wall",
        "tiles": TILES,
        "source": f"{WIDTH}x{HEIGHT}@{FPS}",
        "wall_size": "1920x1080",
        "refreshes": len(paint_ms),
        "paint_ms_p50": round(float(np.percentile(values, 50)), 2),
        "paint_ms_p95": round(float(np.percentile(values, 95)), 2),
        "paint_ms_max": round(float(values.max()), 2),
        "compositor_ms_p50_per_pass": round(float(np.percentile(compositor_ms, 50)), 2),
        "display_fps_per_tile": round(float(np.mean(fps_per_tile)), 2),
        "display_fps_per_tile_min": round(float(np.min(fps_per_tile)), 2),
        "utc": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "load_avg_1m": round(os.getloadavg()[0], 2),
        "platform": platform.platform(),
        "cpus": os.cpu_count(),
        "qpa": os.environ.get("QT_QPA_PLATFORM", ""),
    }
    print(
        f"wall 4x4 of {WIDTH}x{HEIGHT}@{FPS}: paint p50 {result['paint_ms_p50']} ms, "
        f"p95 {result['paint_ms_p95']} ms, {result['display_fps_per_tile']} fps per tile"
    )
    print(json.dumps(result))


if __name__ == "__main__":
    main()
