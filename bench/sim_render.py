"""Simulator render speed: ms per 1280x720 frame, per scene and lighting.

Prints one line per case, then ONE JSON object on the last line. ``render`` is what a demo
camera pays (image only); ``with_truth`` also builds the ground truth. Run:
    python bench/sim_render.py [--frames N] [--warmup N]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.support.machine import machine_description  # noqa: E402
from console.sim import Lighting, SimConfig, Simulator  # noqa: E402


def percentiles(samples: list[float]) -> dict[str, float]:
    values = np.array(samples) * 1000.0
    return {
        "p50": round(float(np.percentile(values, 50)), 3),
        "p95": round(float(np.percentile(values, 95)), 3),
        "mean": round(float(values.mean()), 3),
    }


def measure(config: SimConfig, frames: int, warmup: int, truth: bool) -> list[float]:
    simulator = Simulator(config)
    for _ in range(warmup):
        simulator.next_frame()
    samples = []
    for _ in range(frames):
        start = time.perf_counter()
        frame = simulator.next_frame()
        if truth:
            _ = frame.truth
        samples.append(time.perf_counter() - start)
    return samples


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--frames", type=int, default=250)
    parser.add_argument("--warmup", type=int, default=25)
    args = parser.parse_args()
    cases = []
    for scene in ("highway", "intersection"):
        for lighting in Lighting:
            config = SimConfig(scene=scene, lighting=lighting, seed=1)
            start = time.perf_counter()
            Simulator(config)
            setup_s = time.perf_counter() - start
            render = percentiles(measure(config, args.frames, args.warmup, truth=False))
            with_truth = percentiles(measure(config, args.frames, args.warmup, truth=True))
            case = {
                "scene": scene,
                "lighting": lighting.value,
                "render_ms": render,
                "with_truth_ms": with_truth,
                "setup_s": round(setup_s, 3),
            }
            print(
                f"{scene:12s} {lighting.value:5s} render p50 {render['p50']:.2f} ms "
                f"p95 {render['p95']:.2f} ms | with truth p50 {with_truth['p50']:.2f} ms"
            )
            cases.append(case)
    extras = {}
    for name, config in (
        ("rain+noise", SimConfig(rain=0.6, noise=0.3, seed=1)),
        ("jpeg q70", SimConfig(jpeg_quality=70, seed=1)),
    ):
        extras[name] = percentiles(measure(config, args.frames // 2, args.warmup, truth=False))
        print(f"highway day {name}: p50 {extras[name]['p50']:.2f} ms")
    result = {
        "benchmark": "sim_render",
        "resolution": "1280x720",
        "frames_measured": args.frames,
        "cases": cases,
        "extras_highway_day": extras,
        "machine": machine_description(),
    }
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
