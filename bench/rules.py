"""Rule engine cost: ms per analysed frame with every rule of a demo camera.

The simulator's ground truth stands in for the detector (so the model's speed does not
enter); each frame is tracked, then goes through the camera's rule engine, each step
timed alone: the tracker's own cost on the same frames, in the same run, is the
yardstick. Prints one line per camera, then ONE JSON object on the last line. Run:
    python bench/rules.py [--seconds S]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.sim_render import percentiles  # noqa: E402
from bench.support.machine import machine_description  # noqa: E402
from console.accuracy import (  # noqa: E402
    ANALYSIS_FPS,
    Case,
    camera_for,
    simulator_for,
    truth_detections,
)
from console.config.site_file import demo_site_path, load_site  # noqa: E402
from console.rules.engine import RuleEngine  # noqa: E402
from console.track.tracker import CameraTracker  # noqa: E402

EPOCH0 = 1_800_000_000.0


def measure(case: Case, site_path: Path) -> dict[str, object]:
    site = load_site(site_path, environ={})
    simulator = simulator_for(case)
    camera = camera_for(site, case.scene)
    engine = RuleEngine(camera, site.site.timezone)
    tracker = CameraTracker(ANALYSIS_FPS)
    tracking, rules, tracks = [], [], []
    for _ in range(int(case.seconds * ANALYSIS_FPS)):
        frame = simulator.next_frame()
        raw = truth_detections(frame)
        time_s = EPOCH0 + frame.timestamp_s
        height, width = frame.image.shape[:2]
        start = time.perf_counter()
        detections = tracker.update(raw, time_s)
        tracked_at = time.perf_counter()
        engine.process_detections(detections, time_s, frame.image, width, height, raw)
        rules.append(time.perf_counter() - tracked_at)
        tracking.append(tracked_at - start)
        tracks.append(len(detections))
    rules_ms, tracking_ms = percentiles(rules), percentiles(tracking)
    return {
        "camera": camera.id,
        "scene": case.scene,
        "rules": len(camera.rules),
        "frames": len(rules),
        "tracks_per_frame": round(float(np.mean(tracks)), 1),
        "rules_ms": rules_ms,
        "tracker_ms": tracking_ms,
        "rules_over_tracker": round(rules_ms["mean"] / tracking_ms["mean"], 2),
        # analysed at 5 fps, how many cameras one core's rule engine keeps up with
        "cameras_per_core_at_5fps": round(1000.0 / (ANALYSIS_FPS * rules_ms["mean"]), 1),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=float, default=60.0, help="simulated per camera")
    args = parser.parse_args()
    results = []
    for scene, scenario, seed in (
        ("highway", "normal_traffic", 49_001),
        ("intersection", None, 49_002),
    ):
        result = measure(Case(scene, scenario, seed, args.seconds), demo_site_path())
        print(
            f"{result['camera']:28s} {result['rules']} rules, {result['tracks_per_frame']} tracks"
            f"/frame: rules p50 {result['rules_ms']['p50']:.2f} ms "  # type: ignore[index]
            f"p95 {result['rules_ms']['p95']:.2f} ms, tracker mean "  # type: ignore[index]
            f"{result['tracker_ms']['mean']:.2f} ms"  # type: ignore[index]
        )
        results.append(result)
    print(
        json.dumps(
            {
                "benchmark": "rules",
                "analysis_fps": ANALYSIS_FPS,
                "seconds_per_camera": args.seconds,
                "cameras": results,
                "machine": machine_description(),
            }
        )
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
