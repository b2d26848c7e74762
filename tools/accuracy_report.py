"""Rerunnable accuracy report: writes docs/ACCURACY.md.

    .venv/bin/python tools/accuracy_report.py [--normal-minutes 30] [--fps F] [--seeds tuning]

First measures the analysis rate this machine reaches live: the demo site opened as
``roadwatch analyze`` opens it (every camera, the motion gate on) for ``--measure-seconds``,
the median analysed fps over its cameras. Then runs every scripted incident scenario (seeds
never used in training) and stretches of normal traffic at that rate through the live
per-camera pipeline (motion gate, demo model, tracker, rules, alert policy;
console/accuracy.py). ``--fps`` skips the measurement.

The seeds are the held-out ones of tests/data/heldout_seeds.yaml (never tuned on);
``--seeds tuning`` reruns the seeds the rules were tuned on instead. Only the simulator part
of docs/ACCURACY.md is rewritten (between its ``simulator`` markers); the real-footage part
is ``tools/accuracy_real.py``'s.
"""

from __future__ import annotations

import argparse
import datetime
import os
import platform
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from console.accuracy import (  # noqa: E402
    CASE_EPOCH_S,
    CaseResult,
    camera_for,
    run_case,
    speed_error,
)
from console.app.open_site import Role, open_site  # noqa: E402
from console.config.site_file import SiteConfig, demo_site_path, load_site  # noqa: E402
from console.detect.model import YoloModel, choose_model, input_sizes  # noqa: E402
from console.evaluation.markdown import replace_section  # noqa: E402
from console.evaluation.seeds import load_seed_file  # noqa: E402
from console.pipeline.input_size import resolve_image_size  # noqa: E402
from console.sim.clip_cache import render_missing  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "docs" / "ACCURACY.md"
SEED_FILE = ROOT / "tests" / "data" / "heldout_seeds.yaml"
# Each seed set has its own part of docs/ACCURACY.md.
SECTIONS = {"held_out": "simulator", "tuning": "simulator-tuning-seeds"}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--normal-minutes", type=float, default=30.0, help="per normal case")
    parser.add_argument("--fps", type=float, default=None, help="analysis rate (else measured)")
    parser.add_argument("--measure-seconds", type=float, default=60.0)
    parser.add_argument(
        "--out", type=Path, default=OUT, help="Markdown file to write the part into (ACCURACY.md)"
    )
    parser.add_argument(
        "--image-size",
        type=int,
        default=None,
        help="detector input in px (with --fps: to repeat another run's settings)",
    )
    parser.add_argument(
        "--seeds",
        choices=("held_out", "tuning"),
        default="held_out",
        help="seed set of tests/data/heldout_seeds.yaml (held_out: never tuned on)",
    )
    args = parser.parse_args()
    seeds = load_seed_file(SEED_FILE)
    seed_set = seeds.held_out if args.seeds == "held_out" else seeds.tuning
    load_before = os.getloadavg()
    site = load_site(demo_site_path(), environ={})
    live_size: int | None = None
    if args.fps:
        measured = args.fps
    else:
        measured, live_size = measure_live_fps(site, args.measure_seconds)
    # The simulator renders at 1 fps at least; below that the report says it ran faster.
    fps = max(1.0, measured)
    print(f"analysis rate: {measured:.2f} fps measured, {fps:.2f} fps used", flush=True)
    model = YoloModel.from_settings(choose_model(site.model.path), site.model).load()
    # The input size the live run chose for ``image_size: auto`` (else chosen here, alike).
    if args.image_size:
        live_size = args.image_size
    if live_size is None:
        live_size = resolve_image_size(site.model, site.cameras, model).size
    model.image_size = live_size
    print(f"detector input: {live_size} px", flush=True)
    model.prepare_sizes(input_sizes(site.model, site.cameras, live_size))
    incident_results = [run_case(case, site, model, fps=fps) for case in seed_set.incident_cases()]
    normal_results = [
        run_case(case, site, model, fps=fps) for case in seed_set.normal_cases(args.normal_minutes)
    ]
    sizes = {
        scene: camera_for(site, scene).image_size or model.image_size
        for scene in ("highway", "intersection")
    }
    run = RunFacts(args.seeds, measured, fps, load_before, os.getloadavg(), bool(args.fps))
    text = render(incident_results, normal_results, model, sizes, run)
    section = SECTIONS[args.seeds]
    replace_section(args.out, section, text)
    print(f"wrote the {section} part of {args.out}")
    return 0


@dataclass(frozen=True, slots=True)
class RunFacts:
    """How the report ran: seed set, rates, and the machine's load around it."""

    seeds: str
    measured_fps: float
    fps: float
    load_before: tuple[float, float, float]
    load_after: tuple[float, float, float]
    rate_given: bool  # --fps: not measured in this run


def measure_live_fps(site: SiteConfig, seconds: float) -> tuple[float, int | None]:
    """Median analysed fps per camera of the demo site run live, and its input size.

    The site runs as ``roadwatch analyze`` runs it.
    """
    # As `roadwatch analyze` does: the simulated cameras play rendered clips, not renderers.
    render_missing([camera.streams.main for camera in site.cameras if camera.enabled])
    with tempfile.TemporaryDirectory() as folder:
        storage = site.storage.model_copy(update={"data_dir": Path(folder)})
        opened = open_site(
            site.model_copy(update={"storage": storage}),
            role=Role.ANALYZE,
            base_dir=demo_site_path().parent,
            console_id="accuracy-report",
        )
        try:
            opened.start_analysis()
            opened.start_services()
            time.sleep(seconds)
            chosen = opened.runtime.input_size
            rates = [
                health.analysis_fps
                for camera_id in opened.runtime.cameras
                if (health := opened.runtime.health_of(camera_id)) is not None
            ]
        finally:
            opened.stop()
    if not rates:
        raise RuntimeError("no camera of the demo site reported an analysis rate")
    return float(statistics.median(rates)), chosen.size if chosen else None


def render(
    incidents: list[CaseResult],
    normal: list[CaseResult],
    model: YoloModel,
    sizes: dict[str, int],
    run: RunFacts,
) -> str:
    """The simulator part; ``sizes`` is the detector input of each scene's camera."""
    total = sum(len(r.incidents) for r in incidents)
    found = sum(len(r.matched) for r in incidents)
    held_out = run.seeds == "held_out"
    seeds_text = (
        "held-out seeds (tests/data/heldout_seeds.yaml: no threshold was tuned on them)"
        if held_out
        else "the seeds the rules were tuned on (tests/data/heldout_seeds.yaml, `tuning`)"
    )
    load = "/".join(f"{v:.1f}" for v in run.load_before)
    load_after = "/".join(f"{v:.1f}" for v in run.load_after)
    rate_text = (
        f"{run.fps:.2f} fps (given with --fps: the rate a measured run reached)"
        if run.rate_given
        else f"{run.fps:.2f} fps ({run.measured_fps:.2f} fps measured: the median rate this "
        "machine reached live on the demo site, every camera, when the report ran)"
    )
    heading = (
        f"## Simulator (held-out seeds, achieved fps {run.fps:.2f}, motion gate on)"
        if held_out
        else f"### The tuning seeds at the same settings ({run.fps:.2f} fps, for comparison)"
    )
    sub = "###" if held_out else "####"
    lines = [
        heading,
        "",
        f"Generated by `tools/accuracy_report.py` on {datetime.date.today()} "
        f"({platform.processor() or platform.machine()}, {os.cpu_count()} CPUs, shared with "
        f"other work: load average {load} (1/5/15 min) at the start, {load_after} at the end). "
        f"Model: `{Path(model.choice.path).name}`, detector input "
        + ", ".join(f"{size} px on the {scene}" for scene, size in sizes.items())
        + f"; analysis at {rate_text}, through the live per-camera pipeline with the motion "
        "gate on; rules and geometry of the demo site's cameras; "
        f"{seeds_text}; none of these seeds was used in training.",
        "",
        f"{sub} Incidents",
        "",
        "| scenario | scene | seed | incidents | alerted | alert delay s | measured "
        "| false alerts |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for result in incidents:
        delays = []
        for incident in result.incidents:
            alert = result.matched.get(incident.incident_id)
            if alert is not None and incident.start_s is not None:
                delays.append(alert.event.ended_at.timestamp() - CASE_EPOCH_S - incident.start_s)
        measured = ", ".join(
            f"{k}={v}" for a in result.matched.values() for k, v in a.event.values.items()
        )
        error = speed_error(result)
        if error is not None:
            measured += f" (speed error {error:.1%})"
        delay_text = ", ".join(f"{d:.1f}" for d in delays) or "-"
        case = result.case
        lines.append(
            f"| {case.scenario} | {case.scene} | {case.seed} | {len(result.incidents)} "
            f"| {len(result.matched)} | {delay_text} | {measured or '-'} "
            f"| {len(result.false_alerts)} |"
        )
    lines += [
        "",
        f"**Recall: {found}/{total} = {found / total:.2f}** (target >= 0.95)",
        "",
        f"{sub} Normal traffic (no scripted incident)",
        "",
        "| scene | lighting | seed | minutes | alerts | false alerts per camera-hour |",
        "|---|---|---|---|---|---|",
    ]
    hours = 0.0
    false_total = 0
    for result in normal:
        hours += result.seconds / 3600
        false_total += len(result.false_alerts)
        rate = len(result.false_alerts) / (result.seconds / 3600)
        kinds = ", ".join(sorted({a.type.value for a in result.false_alerts})) or "none"
        lines.append(
            f"| {result.case.scene} | {result.case.lighting.value} | {result.case.seed} "
            f"| {result.seconds / 60:.0f} | {len(result.false_alerts)} ({kinds}) | {rate:.2f} |"
        )
    lines += [
        "",
        f"**False alerts: {false_total} in {hours:.2f} camera-hours = "
        f"{false_total / hours:.2f} per camera-hour** (target <= 1)",
        "",
    ]
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
