"""What the motion gate and the region of interest save, and what recall they keep.

Every scripted incident scenario of the accuracy harness and a stretch of normal traffic on
each demo scene run through the live per-camera pipeline (``CameraPipeline`` of the demo
camera of that scene, the bundled model) four ways on the same rendered frames: no gate and
no region (the model on every whole frame), the motion gate only, the region of interest
only, both (the live default). For each: model calls, model ms per call and in total,
incidents alerted, false alerts. Seeds are the accuracy report's plus ``SEED_OFFSET``
(held out, as tests/core/test_rules_at_rates.py): nothing is tuned on the reported seeds.

The four pipelines take each frame in turn (each first in turn), so a change in the
machine's load falls on all of them; each has its own instance of the model. Prints one
line per case, then ONE JSON object on the last line. Run:
    python bench/gating.py [--fps 5] [--normal-seconds 120] [--image-size 800]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.support.machine import machine_description  # noqa: E402
from console.accuracy import (  # noqa: E402
    DAY_NORMAL_CASES,
    INCIDENT_CASES,
    Case,
    CaseResult,
    Variant,
    run_case_variants,
)
from console.config.site_file import demo_site_path, load_site  # noqa: E402
from console.detect.model import YoloModel, choose_model, input_sizes  # noqa: E402

SEED_OFFSET = 20_000  # held out: the accuracy report's seeds + 20000
VARIANTS = {
    "neither": Variant(motion_gate=False, region=False),
    "gate": Variant(motion_gate=True, region=False),
    "region": Variant(motion_gate=False, region=True),
    "both": Variant(motion_gate=True, region=True),
}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--fps", type=float, default=5.0, help="analysis rate (default 5)")
    parser.add_argument("--normal-seconds", type=float, default=120.0, help="per scene")
    parser.add_argument(
        "--image-size", type=int, default=None, help="model input (default: the site's largest)"
    )
    args = parser.parse_args()
    site = load_site(demo_site_path(), environ={})
    size = args.image_size or site.model.nominal_image_size
    # One model instance per variant: a model alternating between the whole frame's and a
    # crop's input shape pays for each change, which would burden whichever variant follows
    # another's shape (live, each camera's crop has its own shape: see BENCHMARKS.md).
    models = {}
    for name in VARIANTS:
        model = YoloModel.from_settings(choose_model(site.model.path), site.model, size).load()
        model.prepare_sizes(input_sizes(site.model, site.cameras, size))
        models[name] = model
    incidents = [replace(c, seed=c.seed + SEED_OFFSET) for c in INCIDENT_CASES]
    normal = [
        replace(c, seed=c.seed + SEED_OFFSET, seconds=args.normal_seconds) for c in DAY_NORMAL_CASES
    ]
    started = time.monotonic()
    load_start = machine_description()["load_avg"]
    totals = {name: Totals() for name in VARIANTS}
    cases = []
    for case in [*incidents, *normal]:
        results = run_case_variants(case, site, model, VARIANTS, fps=args.fps, models=models)
        row = {"case": label(case), "frames": results["neither"].frames}
        for name, result in results.items():
            totals[name].add(result, normal=case in normal)
            row[name] = {
                "model_calls": result.model_calls,
                "model_ms": round(result.model_ms, 1),
                "alerted": len(result.matched),
                "incidents": len(result.incidents),
                "false_alerts": len(result.false_alerts),
            }
        cases.append(row)
        print(
            f"{label(case):40s} "
            + "  ".join(
                f"{n}: {r.model_calls} calls {r.model_ms / max(1, r.model_calls):.0f} ms "
                f"{len(r.matched)}/{len(r.incidents)} fa={len(r.false_alerts)}"
                for n, r in results.items()
            ),
            flush=True,
        )
    summary = {name: total.summary() for name, total in totals.items()}
    base = totals["neither"]
    for name, total in totals.items():
        summary[name]["calls_saved"] = round(1 - total.calls / base.calls, 3)
        summary[name]["model_time_saved"] = round(1 - total.model_ms / base.model_ms, 3)
    machine = machine_description()
    machine["load_avg_start"] = load_start
    print(
        json.dumps(
            {
                "benchmark": "gating",
                "fps": args.fps,
                "image_size": size,
                "model": Path(model.choice.path).name,
                "seed_offset": SEED_OFFSET,
                "normal_seconds_per_scene": args.normal_seconds,
                "variants": summary,
                "cases": cases,
                "wall_seconds": round(time.monotonic() - started, 1),
                "machine": machine,
            }
        )
    )
    return 0


class Totals:
    def __init__(self) -> None:
        self.frames = self.calls = self.incidents = self.alerted = 0
        self.false_alerts = self.normal_false_alerts = 0
        self.normal_seconds = 0.0
        self.model_ms = 0.0

    def add(self, result: CaseResult, *, normal: bool) -> None:
        self.frames += result.frames
        self.calls += result.model_calls
        self.model_ms += result.model_ms
        self.incidents += len(result.incidents)
        self.alerted += len(result.matched)
        self.false_alerts += len(result.false_alerts)
        if normal:
            self.normal_false_alerts += len(result.false_alerts)
            self.normal_seconds += result.seconds

    def summary(self) -> dict[str, float | int]:
        hours = self.normal_seconds / 3600.0
        return {
            "frames": self.frames,
            "model_calls": self.calls,
            "model_ms_per_call": round(self.model_ms / max(1, self.calls), 1),
            "model_s_total": round(self.model_ms / 1000.0, 1),
            "incidents": self.incidents,
            "alerted": self.alerted,
            "recall": round(self.alerted / max(1, self.incidents), 3),
            "false_alerts": self.false_alerts,
            "false_alerts_per_camera_hour_normal": round(self.normal_false_alerts / hours, 2)
            if hours
            else 0.0,
        }


def label(case: Case) -> str:
    return f"{case.scene}/{case.scenario or 'traffic'}/{case.seed}"


if __name__ == "__main__":
    raise SystemExit(main())
