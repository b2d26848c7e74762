"""Live pipeline throughput, latency and memory: the site as it runs live, against the model's
own limit and a naive loop.

The site is the demo site's cameras (dealt in turn, N of them) with their real rules,
recording on (``record: true``, as a centre records), opened through
``open_site(role=Role.ANALYZE)`` exactly as ``roadwatch analyze`` opens it: capture
threads, the one detector worker running each camera's ``CameraPipeline`` (motion gate on,
the live default), the alert service with the local store and the evidence writer, the
recorder, the outage log, the audit trail; its data folder is a temporary one. The cameras:
  ``--source media`` (default): the real clips of ../shared/media over RTSP from the
    integration tests' GStreamer server in its own process (skipped when the clips or the
    server are missing, a failure under CI=true);
  ``--source rtsp``: the demo cameras' simulator scenes over RTSP the same way;
  ``--source sim``: the scenes rendered in this process (see bench/support/cameras.py).
Three phases on the same cameras:
  1. model-bound: the detector worker is paused while everything else runs; a tight loop
     hands each camera's newest frame to its pipeline's ``detect`` (the worker's own call:
     its confidence, classes and input size, cameras of equal settings batched as the
     worker batches) as fast as the model goes. Measured just before and just after phase 2
     and averaged, so a change of machine load biases neither side of the ratio.
  2. RoadWatch: the open site, each camera asking for analysis at its own detect rate
     (``--detect-fps`` overrides it); when they ask for more than the detector gives, the
     worker's budget (console/pipeline/scheduler.py) plans each camera's share:
     ``skipped_by_budget`` counts the analyses planned out, ``dropped_frames`` the slots
     missed beyond the plan.
  3. naive (unless ``--skip-naive``): one thread and one model per camera, reading every
     frame in order and calling ``model.track(frame, persist=True)``; its latency is "now"
     minus the time the frame was live, and it falls behind reality.
Latency, rates and memory are measured over ``--seconds`` of phase 2; what the site wrote
(alerts, evidence files, recorded frames, store rows) is counted over the whole time it was
open (``site_open_s``: warm-up, both model-bound phases and phase 2). Prints one JSON object
on its last line. Run: python bench/pipeline.py --cameras 9 --seconds 30
RSS growth over a long run: python bench/pipeline.py --seconds 600 --skip-naive
What the recorder costs: the same with --no-record (the demo site's own setting).
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import platform
import queue
import sqlite3
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import cv2
import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.support.cameras import (  # noqa: E402
    SHARED_MEDIA,
    SOURCES,
    BenchCamera,
    CamerasUnavailableError,
    bench_cameras,
    report_unavailable,
)
from bench.support.model_bound import model_bound_during  # noqa: E402
from bench.support.site import (  # noqa: E402
    bench_site,
    demo_sim_urls,
    load_bench_model,
    p50,
    p95,
    rss_mb,
)
from console.app.open_site import OpenSite, Role, open_site  # noqa: E402
from console.config.site_file import SiteConfig  # noqa: E402
from console.detect.model import YoloModel  # noqa: E402
from console.pipeline.records import AnalysisResult  # noqa: E402
from console.pipeline.runtime import RuntimeOptions  # noqa: E402
from console.sim import Simulator  # noqa: E402
from console.sim.url import parse_sim_url  # noqa: E402


class ResultCounter:
    """The runtime's analysis results: latencies while measuring, alerts all the time."""

    def __init__(self) -> None:
        self.measuring = threading.Event()
        self.lock = threading.Lock()
        self.latencies: list[float] = []  # every result, the model's or the motion gate's
        self.model_latencies: list[float] = []  # results the model ran on
        self.tracks = 0
        self.alerts_raised = 0

    def __call__(self, result: AnalysisResult) -> None:
        with self.lock:
            self.alerts_raised += len(result.raised)
            if not self.measuring.is_set():
                return
            self.latencies.append(result.latency_ms)
            if not result.from_motion_gate:
                self.model_latencies.append(result.latency_ms)
            self.tracks += len(result.detections)


def roadwatch_phase(
    site: SiteConfig, model: YoloModel, args: argparse.Namespace, bound_seconds: float
) -> dict[str, object]:
    options = RuntimeOptions(max_batch=args.batch) if args.batch else None
    opened_at = time.monotonic()
    opened = open_site(
        site, role=Role.ANALYZE, model=model, options=options, console_id="bench-pipeline"
    )
    runtime = opened.runtime
    counter = ResultCounter()
    runtime.result_listeners.append(counter)
    opened.start_analysis()  # the order of `roadwatch analyze`
    opened.start_services()
    time.sleep(5.0)  # cameras connect, rings fill
    assert runtime.model is model and runtime.detector is not None
    bound_before = model_bound_during(runtime, model, bound_seconds).fps
    rss_start = rss_mb()  # after warm-up: rings full, model loaded
    feeds = runtime.detector.feeds.values()
    missed_before = sum(f.missed_slots for f in feeds)
    refused_before = sum(f.skipped_by_budget for f in feeds)
    counter.measuring.set()
    started = time.monotonic()
    time.sleep(args.seconds)
    counter.measuring.clear()
    elapsed = time.monotonic() - started
    missed = sum(f.missed_slots for f in feeds) - missed_before
    refused = sum(f.skipped_by_budget for f in feeds) - refused_before
    capacity = runtime.detector.capacity_fps  # what the worker measured and plans with
    rates = sorted(round(f.rate_fps, 2) for f in feeds)
    rss_end = rss_mb()
    bound_after = model_bound_during(runtime, model, bound_seconds).fps
    opened.stop()  # as `roadwatch analyze` stops: evidence still queued is written...
    busy_at_close = opened.evidence.is_alive()  # ...but the store may close before it is
    opened.evidence.join(timeout=60.0)  # count every file it writes, then remove the folder
    written = what_the_site_wrote(opened)
    written["evidence_writer_busy_at_close"] = busy_at_close
    written["site_open_s"] = round(time.monotonic() - opened_at, 1)
    bound = (bound_before + bound_after) / 2
    with counter.lock:
        results, model_results = len(counter.latencies), len(counter.model_latencies)
        return {
            "batch": runtime.detector.max_batch,
            "motion_gate": runtime.options.motion_gate,
            "analyzed_fps_total": round(results / elapsed, 2),
            "model_fps_total": round(model_results / elapsed, 2),
            "kept_by_motion_gate": results - model_results,
            "model_bound_fps": round(bound, 2),
            "model_bound_fps_before": round(bound_before, 2),
            "model_bound_fps_after": round(bound_after, 2),
            # the frames the model ran on, against what it manages alone
            "efficiency": round(model_results / elapsed / bound, 3) if bound else None,
            "p95_frame_to_detections_ms": p95(counter.latencies),
            "p50_frame_to_detections_ms": p50(counter.latencies),
            "p95_model_frame_to_detections_ms": p95(counter.model_latencies),
            "tracks_per_frame": round(counter.tracks / results, 1) if results else 0.0,
            "dropped_frames": missed,
            # analyses the cameras asked for that the detector budget planned out
            "skipped_by_budget": round(refused),
            "detector_capacity_fps": round(capacity, 2) if capacity else None,
            "camera_rates_fps": rates,
            "rss_mb_start": rss_start,
            "rss_mb_end": rss_end,
            "alerts_raised": counter.alerts_raised,
            **written,
        }


def what_the_site_wrote(opened: OpenSite) -> dict[str, object]:
    """Evidence files, recorded frames and store rows, counted once the site is closed."""
    evidence = [p for p in opened.paths.evidence.rglob("*") if p.is_file()]
    recordings = [p for p in opened.paths.recordings.rglob("*") if p.is_file()]
    recorders = opened.recorder.recorders.values() if opened.recorder else []
    with sqlite3.connect(f"file:{opened.paths.store}?mode=ro", uri=True) as db:
        tables = [
            name
            for (name,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
            if not name.startswith(("sqlite_", "alembic_"))
        ]
        rows = {name: db.execute(f'SELECT COUNT(*) FROM "{name}"').fetchone()[0] for name in tables}
    db.close()
    return {
        "evidence_files": len(evidence),
        "evidence_mb": round(sum(p.stat().st_size for p in evidence) / 2**20, 1),
        "evidence_dropped": opened.evidence.dropped,
        "evidence_failed": opened.evidence.failed,
        "recorder_frames": sum(r.recorded_frames for r in recorders),
        "recorder_dropped_frames": sum(r.dropped_frames for r in recorders),
        "recording_mb": round(sum(p.stat().st_size for p in recordings) / 2**20, 1),
        "store_rows": sum(rows.values()),
        "store_rows_by_table": {name: count for name, count in sorted(rows.items()) if count},
    }


def naive_phase(
    cameras: list[BenchCamera], seconds: float, model_path: str, image_size: int
) -> dict[str, float]:
    from ultralytics import YOLO

    stop = threading.Event()
    measuring = threading.Event()
    latencies: list[float] = []
    analysed = [0]
    lock = threading.Lock()

    def simulated_camera(url: str, fps: float) -> Iterator[tuple[float, np.ndarray]]:
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

    def network_camera(url: str, fps: float) -> Iterator[tuple[float, np.ndarray]]:
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

    def user_loop(camera: BenchCamera) -> None:
        model = YOLO(model_path, task="detect")
        read = simulated_camera if camera.url.startswith("sim://") else network_camera
        for live_at, image in read(camera.url, camera.fps):
            model.track(image, persist=True, imgsz=image_size, verbose=False)
            if measuring.is_set():
                with lock:
                    latencies.append((time.monotonic() - live_at) * 1000)
                    analysed[0] += 1

    threads = [threading.Thread(target=user_loop, args=(c,), daemon=True) for c in cameras]
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
    parser.add_argument(
        "--detect-fps",
        type=float,
        default=None,
        help="analyses per camera per second (default: each camera's own detect_fps, as live)",
    )
    parser.add_argument(
        "--batch", type=int, default=None, help="frames per model call (default: the runtime's)"
    )
    parser.add_argument(
        "--bound-seconds", type=float, default=None, help="each model-bound phase (S/2, max 30)"
    )
    parser.add_argument("--skip-naive", action="store_true")
    parser.add_argument(
        "--no-record",
        action="store_true",
        help="leave recording off (the demo site's own setting), to see what the recorder costs",
    )
    parser.add_argument(
        "--source", choices=SOURCES, default="media", help="where the cameras come from"
    )
    parser.add_argument("--media", type=Path, default=SHARED_MEDIA, help="--source media: clips")
    parser.add_argument(
        "--clip-seconds", type=float, default=20.0, help="--source rtsp: length of each clip"
    )
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    os.environ.setdefault("YOLO_OFFLINE", "1")
    sim_urls = demo_sim_urls(args.cameras)
    try:
        with bench_cameras(sim_urls, args.source, args.clip_seconds, args.media) as cameras:
            result = run(args, cameras)
    except CamerasUnavailableError as error:
        return report_unavailable("pipeline", error)
    print(json.dumps(result))
    return 0


def run(args: argparse.Namespace, cameras: list[BenchCamera]) -> dict[str, object]:
    with tempfile.TemporaryDirectory(
        prefix="roadwatch-bench-", ignore_cleanup_errors=True
    ) as data_dir:
        site = bench_site(cameras, args.detect_fps, Path(data_dir), record=not args.no_record)
        site, choice, model = load_bench_model(site)
        rates = sorted({c.detect_fps for c in site.cameras})
        result: dict[str, object] = {
            "bench": "pipeline",
            "cameras": args.cameras,
            "source": args.source,
            "clips": sorted(set(c.clip.rsplit("/", 1)[-1] for c in cameras)),
            "seconds": args.seconds,
            "detect_fps_requested": rates[0] if len(rates) == 1 else rates,
            "rules": sum(len(c.rules) for c in site.cameras),
            "recording_cameras": sum(c.record for c in site.cameras),
            "model": Path(choice.path).name,
            "image_size": site.model.image_size,
            "camera_image_sizes": sorted(
                c.image_size or site.model.image_size for c in site.cameras
            ),
        }
        bound_seconds = args.bound_seconds or min(args.seconds / 2, 30.0)
        result.update(roadwatch_phase(site, model, args, bound_seconds))
    if not args.skip_naive:
        result.update(naive_phase(cameras, args.seconds, choice.path, site.model.image_size))
    result["machine"] = {
        "cpu": platform.processor() or platform.machine(),
        "cores": os.cpu_count(),
        "python": platform.python_version(),
        "load_avg_1m": round(os.getloadavg()[0], 2),
    }
    return result


if __name__ == "__main__":
    sys.exit(main())
