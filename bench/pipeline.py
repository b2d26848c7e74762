"""Live pipeline throughput and latency against the model's own limit and a naive loop.

Three phases on the same N cameras (1280x720, 25 fps): the demo site's simulator scenes,
served by a real RTSP server in its own process (``--source rtsp``, the default, as real
cameras are) or rendered in this process (``--source sim``; see bench/support/cameras.py):
  1. model-bound: the cameras run; a tight loop feeds their newest frames to the model in
     batches, as fast as it goes: the most any scheduler could get out of this model here.
     Measured just before and just after phase 2 (same process, same renderers running) and
     averaged, so a change of machine load during the run biases neither side of the ratio.
  2. RoadWatch: the real runtime (capture threads, one detector worker, trackers), every
     camera asking for analysis at --detect-fps (default 25: saturate the model).
  3. naive: what a user writes first: one thread and one model per camera, reading every
     frame in order and calling ``model.track(frame, persist=True)``. Over RTSP the frames
     wait in the socket; from the simulator in an unbounded queue. Either way the loop
     falls behind reality: its latency is "now" minus the time the frame was live.
Prints one JSON object on its last line. Run: python bench/pipeline.py --cameras 9 --seconds 30
RSS growth over a long run: python bench/pipeline.py --seconds 600 --skip-naive
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import queue
import statistics
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import cv2
import numpy as np
import psutil

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.support.cameras import camera_urls  # noqa: E402
from console.config.site_file import SiteConfig, demo_site_path, load_site  # noqa: E402
from console.detect.model import (  # noqa: E402
    ROAD_USER_CLASS_IDS,
    YoloModel,
    choose_model,
    input_sizes,
)
from console.pipeline.runtime import RuntimeOptions, SiteRuntime  # noqa: E402
from console.pipeline.worker import AnalysisResult  # noqa: E402
from console.sim import Simulator  # noqa: E402
from console.sim.url import parse_sim_url  # noqa: E402

ROAD_USER_IDS = sorted(ROAD_USER_CLASS_IDS.values())


def p95(values: list[float]) -> float:
    return round(float(np.percentile(values, 95)), 1) if values else float("nan")


def rss_mb() -> float:
    return round(psutil.Process().memory_info().rss / 2**20, 1)


def demo_sim_urls(cameras: int) -> list[str]:
    demo = load_site(demo_site_path(), environ={})
    return [c.streams.main for c in (demo.cameras * 2)[:cameras]]


def bench_site(urls: list[str], detect_fps: float) -> SiteConfig:
    """The demo site with one camera per URL, no rules, analysed at ``detect_fps``."""
    demo = load_site(demo_site_path(), environ={})
    chosen = [
        c.model_copy(
            update={
                "id": f"{c.id}-{i}",
                "detect_fps": detect_fps,
                "rules": [],
                "streams": c.streams.model_copy(update={"main": url}),
            }
        )
        for i, (c, url) in enumerate(zip((demo.cameras * 2)[: len(urls)], urls, strict=True))
    ]
    return demo.model_copy(update={"cameras": chosen})


def model_bound(runtime: SiteRuntime, model: YoloModel, seconds: float, batch: int) -> float:
    """Frames per second the model manages on the cameras' newest frames, each camera at
    its own input size (as the worker runs it), ``batch`` cameras of one size per call."""
    ids = list(runtime.cameras)
    sizes = {i: runtime.cameras[i].camera.image_size or model.image_size for i in ids}
    done = 0
    deadline = time.monotonic() + seconds
    index = 0
    while time.monotonic() < deadline:
        size = sizes[ids[index % len(ids)]]
        images = []
        for _ in range(batch):
            if sizes[ids[index % len(ids)]] != size:
                break
            frame = runtime.latest_frame(ids[index % len(ids)])[1]
            index += 1
            if frame is not None:
                images.append(frame.image)
        if not images:
            time.sleep(0.01)
            continue
        model.predict(images, 0.35, ROAD_USER_IDS, size)  # the same settings as the worker
        done += len(images)
    return done / seconds


def roadwatch_phase(
    site: SiteConfig, model: YoloModel, seconds: float, batch: int, bound_seconds: float
) -> dict[str, float]:
    runtime = SiteRuntime(
        site, model=model, options=RuntimeOptions(max_batch=batch, motion_gate=False)
    )
    latencies: list[float] = []
    lock = threading.Lock()
    counting = threading.Event()

    def collect(result: AnalysisResult) -> None:
        if counting.is_set():
            with lock:
                latencies.append(result.latency_ms)

    runtime.result_listeners.append(collect)
    runtime.start()
    time.sleep(5.0)  # cameras connect, renderers warm up
    assert runtime.model is model
    bound_before = model_bound_during(runtime, model, bound_seconds, batch)
    rss_start = rss_mb()  # after warm-up: rings full, renderers and model loaded
    counting.set()
    missed_before = (
        sum(f.missed_slots for f in runtime.detector.feeds.values()) if runtime.detector else 0
    )
    started = time.monotonic()
    time.sleep(seconds)
    counting.clear()
    elapsed = time.monotonic() - started
    missed = sum(f.missed_slots for f in runtime.detector.feeds.values()) if runtime.detector else 0
    rss_end = rss_mb()
    bound_after = model_bound_during(runtime, model, bound_seconds, batch)
    runtime.stop()
    bound = (bound_before + bound_after) / 2
    return {
        "analyzed_fps_total": round(len(latencies) / elapsed, 2),
        "model_bound_fps": round(bound, 2),
        "model_bound_fps_before": round(bound_before, 2),
        "model_bound_fps_after": round(bound_after, 2),
        "p95_frame_to_detections_ms": p95(latencies),
        "p50_frame_to_detections_ms": round(statistics.median(latencies), 1) if latencies else 0,
        "dropped_frames": missed - missed_before,
        "rss_mb_start": rss_start,
        "rss_mb_end": rss_end,
    }


def model_bound_during(runtime: SiteRuntime, model: YoloModel, seconds: float, batch: int) -> float:
    """Pause the detector worker and drive the model directly, cameras still running."""
    assert runtime.detector is not None
    feeds = dict(runtime.detector.feeds)
    for camera_id in feeds:
        runtime.detector.remove_feed(camera_id)
    time.sleep(0.5)
    bound = model_bound(runtime, model, seconds, batch)
    for feed in feeds.values():
        feed.next_due_mono = 0.0
        runtime.detector.add_feed(feed)
    time.sleep(2.0)
    return bound


def naive_phase(
    urls: list[str], seconds: float, model_path: str, image_size: int, fps: float
) -> dict[str, float]:
    from ultralytics import YOLO

    stop = threading.Event()
    measuring = threading.Event()
    latencies: list[float] = []
    analysed = [0]
    lock = threading.Lock()

    def simulated_camera(url: str) -> Iterator[tuple[float, np.ndarray]]:
        """Render in real time into an unbounded queue; yield (time it was live, frame)."""
        frames: queue.Queue[tuple[float, np.ndarray]] = queue.Queue()

        def render() -> None:
            simulator = Simulator(parse_sim_url(url))
            next_due = time.monotonic()
            while not stop.is_set():
                frames.put((time.monotonic(), simulator.next_frame().image))
                next_due += 1.0 / fps
                time.sleep(max(0.0, next_due - time.monotonic()))

        threading.Thread(target=render, daemon=True).start()
        while not stop.is_set():
            try:
                yield frames.get(timeout=0.5)
            except queue.Empty:
                continue

    def network_camera(url: str) -> Iterator[tuple[float, np.ndarray]]:
        """Read every frame in order; frame n was live at (first frame's arrival + n/fps)."""
        capture = cv2.VideoCapture(url, cv2.CAP_FFMPEG)
        first: float | None = None
        count = 0
        while not stop.is_set():
            ok, image = capture.read()
            if not ok:
                time.sleep(0.05)
                continue
            first = time.monotonic() if first is None else first
            yield first + count / fps, image
            count += 1
        capture.release()

    def user_loop(url: str) -> None:
        model = YOLO(model_path, task="detect")
        frames = simulated_camera(url) if url.startswith("sim://") else network_camera(url)
        for live_at, image in frames:
            model.track(image, persist=True, imgsz=image_size, verbose=False)
            if measuring.is_set():
                with lock:
                    latencies.append((time.monotonic() - live_at) * 1000)
                    analysed[0] += 1

    threads = [threading.Thread(target=user_loop, args=(url,), daemon=True) for url in urls]
    for thread in threads:
        thread.start()
    time.sleep(5.0)
    measuring.set()
    started = time.monotonic()
    time.sleep(seconds)
    measuring.clear()
    elapsed = time.monotonic() - started
    stop.set()
    for thread in threads:
        thread.join(timeout=10)
    return {
        "naive_analyzed_fps_total": round(analysed[0] / elapsed, 2),
        "naive_p95_frame_to_detections_ms": p95(latencies),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--cameras", type=int, default=9)
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--detect-fps", type=float, default=25.0)
    parser.add_argument(
        "--batch", type=int, default=1, help="frames per model call (the runtime uses 1 on a CPU)"
    )
    parser.add_argument(
        "--bound-seconds", type=float, default=None, help="each model-bound phase (S/2, max 30)"
    )
    parser.add_argument("--skip-naive", action="store_true")
    parser.add_argument(
        "--source", choices=("rtsp", "sim"), default="rtsp", help="where the cameras come from"
    )
    parser.add_argument(
        "--clip-seconds", type=float, default=20.0, help="RTSP: length of each looping clip"
    )
    args = parser.parse_args()
    os.environ.setdefault("YOLO_OFFLINE", "1")
    sim_urls = demo_sim_urls(args.cameras)
    with camera_urls(sim_urls, args.source, args.clip_seconds) as urls:
        result = run(args, urls, parse_sim_url(sim_urls[0]).fps)
    print(json.dumps(result))
    return 0


def run(args: argparse.Namespace, urls: list[str], fps: float) -> dict[str, object]:
    site = bench_site(urls, args.detect_fps)
    choice = choose_model(site.model.path)
    model = YoloModel.from_settings(choice, site.model).load()
    model.prepare_sizes(input_sizes(site.model, site.cameras))
    result: dict[str, object] = {
        "cameras": args.cameras,
        "source": args.source,
        "seconds": args.seconds,
        "detect_fps_requested": args.detect_fps,
        "model": Path(choice.path).name,
        "image_size": site.model.image_size,
        "camera_image_sizes": sorted(c.image_size or site.model.image_size for c in site.cameras),
    }
    bound_seconds = args.bound_seconds or min(args.seconds / 2, 30.0)
    result.update(roadwatch_phase(site, model, args.seconds, args.batch, bound_seconds))
    result["efficiency"] = round(result["analyzed_fps_total"] / result["model_bound_fps"], 3)  # type: ignore[operator]
    if not args.skip_naive:
        result.update(naive_phase(urls, args.seconds, choice.path, site.model.image_size, fps))
    result["machine"] = {
        "cpu": platform.processor() or platform.machine(),
        "cores": os.cpu_count(),
        "python": platform.python_version(),
        "load_avg_1m": round(os.getloadavg()[0], 2),
    }
    return result


if __name__ == "__main__":
    sys.exit(main())
