"""Cost of everything after the detector: ``CameraPipeline.step`` (tracker, rules, policy).

Each demo camera's live pipeline (``CameraPipeline`` with its real rules and the live
default motion gate) analyses simulated traffic at the camera's detect rate, with the
simulator's ground truth as the detector (``console.accuracy.TruthDetector``), so the
model's speed does not enter: every frame goes through ``pipeline.analyse(frame, oracle)``,
the same call the accuracy harness makes and the same ``step`` the detector worker runs.

What is timed: the whole ``analyse`` call, and inside it the pipeline's own calls, each
wrapped on the instance in place (the code is the pipeline's, only a clock around it):
``needs_detection`` (motion gate), ``detect`` (the oracle), ``step`` and, inside ``step``,
its tracker (``update``, or ``keep`` when the gate kept the last boxes) and its rule
engine's ``process_detections``; what is left of ``step`` is the alert policy and the
result. ``cameras_per_core`` is how many cameras one core's ``step`` keeps up with at the
camera's live detect rate. Prints one line per camera, then ONE JSON object on the last
line. Run:
    python bench/rules.py [--seconds S]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.sim_render import percentiles  # noqa: E402
from bench.support.machine import machine_description  # noqa: E402
from console.accuracy import (  # noqa: E402
    ANALYSIS_FPS,
    Case,
    TruthDetector,
    camera_for,
    sim_frame_record,
    simulator_for,
)
from console.config.site_file import demo_site_path, load_site  # noqa: E402
from console.pipeline.camera import CameraPipeline  # noqa: E402


class Clock:
    """Seconds spent in wrapped calls since the last :meth:`take`."""

    def __init__(self) -> None:
        self.spent = 0.0

    def wrap(self, call: Callable[..., Any]) -> Callable[..., Any]:
        def timed(*args: Any, **kwargs: Any) -> Any:
            started = time.perf_counter()
            try:
                return call(*args, **kwargs)
            finally:
                self.spent += time.perf_counter() - started

        return timed

    def take(self) -> float:
        spent, self.spent = self.spent, 0.0
        return spent


def timed_pipeline(pipeline: CameraPipeline) -> dict[str, Clock]:
    """Put a clock around the pipeline's own calls, on this instance only."""
    clocks = {name: Clock() for name in ("gate", "detect", "step", "tracker", "rules")}
    pipeline.needs_detection = clocks["gate"].wrap(pipeline.needs_detection)  # type: ignore[method-assign]
    pipeline.detect = clocks["detect"].wrap(pipeline.detect)  # type: ignore[method-assign]
    pipeline.step = clocks["step"].wrap(pipeline.step)  # type: ignore[method-assign]
    tracker = pipeline.tracker  # built now, so the first frame does not pay the import
    tracker.update = clocks["tracker"].wrap(tracker.update)  # type: ignore[method-assign]
    tracker.keep = clocks["tracker"].wrap(tracker.keep)  # type: ignore[method-assign]
    pipeline.rules.process_detections = clocks["rules"].wrap(  # type: ignore[method-assign]
        pipeline.rules.process_detections
    )
    return clocks


def measure(case: Case, site_path: Path) -> dict[str, object]:
    site = load_site(site_path, environ={})
    simulator = simulator_for(case)
    camera = camera_for(site, case.scene)
    pipeline = CameraPipeline(camera, site, detect_fps=ANALYSIS_FPS)  # live default: gate on
    clocks = timed_pipeline(pipeline)
    oracle = TruthDetector()
    samples: dict[str, list[float]] = {
        name: [] for name in ("analyse", "gate", "oracle", "step", "tracker", "rules", "policy")
    }
    tracks, alerts = [], 0
    for _ in range(int(case.seconds * ANALYSIS_FPS)):
        sim_frame = simulator.next_frame()
        oracle.show(sim_frame)
        frame = sim_frame_record(sim_frame)
        started = time.perf_counter()
        result = pipeline.analyse(frame, oracle)
        samples["analyse"].append(time.perf_counter() - started)
        spent = {name: clock.take() for name, clock in clocks.items()}
        samples["gate"].append(spent["gate"])
        samples["oracle"].append(spent["detect"])
        samples["step"].append(spent["step"])
        samples["tracker"].append(spent["tracker"])
        samples["rules"].append(spent["rules"])
        samples["policy"].append(spent["step"] - spent["tracker"] - spent["rules"])
        tracks.append(len(result.detections))
        alerts += len(result.raised)
    ms = {name: percentiles(values) for name, values in samples.items()}
    live_fps = pipeline.detect_fps
    return {
        "camera": camera.id,
        "scene": case.scene,
        "rules": len(camera.rules),
        "frames": len(tracks),
        "frames_kept_by_motion_gate": pipeline.skipped_by_motion,
        "tracks_per_frame": round(float(np.mean(tracks)), 1),
        "alerts_raised": alerts,
        "step_ms": ms["step"],
        "tracker_ms": ms["tracker"],
        "rules_ms": ms["rules"],
        "policy_ms": ms["policy"],
        "motion_gate_ms": ms["gate"],
        "oracle_ms": ms["oracle"],
        "analyse_ms": ms["analyse"],
        "rules_over_tracker": round(ms["rules"]["mean"] / ms["tracker"]["mean"], 2),
        "live_detect_fps": live_fps,
        # how many cameras one core's step (everything after the detector) keeps up with
        "cameras_per_core": round(1000.0 / (live_fps * ms["step"]["mean"]), 1),
        # the same with the motion gate, which also runs on every analysed frame
        "cameras_per_core_with_gate": round(
            1000.0 / (live_fps * (ms["step"]["mean"] + ms["gate"]["mean"])), 1
        ),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=float, default=60.0, help="simulated per camera")
    args = parser.parse_args()
    results = []
    for scene, scenario, seed in (
        ("highway", "normal_traffic", 49_001),
        ("intersection", None, 49_002),
    ):
        result = measure(Case(scene, scenario, seed, args.seconds), demo_site_path())
        step, tracker, rules = result["step_ms"], result["tracker_ms"], result["rules_ms"]
        print(
            f"{result['camera']:28s} {result['rules']} rules, {result['tracks_per_frame']} "
            f"tracks/frame: step p50 {step['p50']:.2f} ms p95 {step['p95']:.2f} ms "  # type: ignore[index]
            f"(tracker mean {tracker['mean']:.2f}, rules mean {rules['mean']:.2f}), "  # type: ignore[index]
            f"{result['cameras_per_core']} cameras per core at {result['live_detect_fps']} fps"
        )
        results.append(result)
    print(
        json.dumps(
            {
                "benchmark": "rules",
                "measures": "CameraPipeline.analyse with the ground truth as detector",
                "seconds_per_camera": args.seconds,
                "cameras": results,
                "machine": machine_description(),
            }
        )
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
