"""Explain a case's alerts: each alerted track, frame by frame, against the ground truth.

    .venv/bin/python tools/explain_alerts.py highway normal_traffic 41001 1200 [--all]
    .venv/bin/python tools/explain_alerts.py intersection - 41102 600 --night

Runs one accuracy case (console/accuracy.py) through the demo site's model, tracker, rules
and policy, then prints every false alert (every alert with ``--all``): its measured values,
and for each frame of its track the tracked box and the road user it overlaps most in the
simulator's truth (track id, class, lane, speed). A change of that road user along the track
is an id switch; a box that overlaps nothing is a detection of nothing.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from console.accuracy import CASE_EPOCH_S, Case, CaseResult, TrackedBox, run_case  # noqa: E402
from console.config.site_file import demo_site_path, load_site  # noqa: E402
from console.detect.model import YoloModel, choose_model  # noqa: E402
from console.domain.geometry import box_iou  # noqa: E402
from console.domain.records import Alert  # noqa: E402
from console.sim import Lighting  # noqa: E402

CONTEXT_S = 3.0  # frames shown after the alert


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("scene", choices=("highway", "intersection"))
    parser.add_argument("scenario", help="scenario name, or - for plain traffic")
    parser.add_argument("seed", type=int)
    parser.add_argument("seconds", type=float)
    parser.add_argument("--night", action="store_true")
    parser.add_argument("--all", action="store_true", help="every alert, not only false ones")
    args = parser.parse_args()
    case = Case(
        args.scene,
        None if args.scenario == "-" else args.scenario,
        args.seed,
        args.seconds,
        Lighting.NIGHT if args.night else Lighting.DAY,
    )
    site = load_site(demo_site_path(), environ={})
    model = YoloModel.from_settings(choose_model(site.model.path), site.model).load()
    result = run_case(case, site, model, keep_tracks=True)
    print(
        f"{case}: {len(result.alerts)} alerts, {len(result.matched)}/{len(result.incidents)} "
        f"incidents matched, {len(result.false_alerts)} false"
    )
    for alert in result.alerts if args.all else result.false_alerts:
        explain(result, alert)
    return 0


def explain(result: CaseResult, alert: Alert) -> None:
    event = alert.event
    at = event.ended_at.timestamp() - CASE_EPOCH_S
    since = event.started_at.timestamp() - CASE_EPOCH_S
    values = ", ".join(f"{k}={v}" for k, v in event.values.items())
    verdict = "false" if alert in result.false_alerts else "matched"
    print(
        f"\n{verdict} {alert.type.value} on track {event.track_id} ({event.class_name}) "
        f"{since:.1f}-{at:.1f} s: {values}"
    )
    if event.track_id is None:
        return
    for box in result.tracks.get(event.track_id, []):
        if box.time_s <= at + CONTEXT_S:
            print("  " + frame_line(result, box))


def frame_line(result: CaseResult, box: TrackedBox) -> str:
    x1, y1, x2, y2 = box.box_xyxy
    tracked = (
        f"{box.time_s:7.1f} s {box.class_name:<10} {box.confidence:.2f} "
        f"({x1:4.0f},{y1:4.0f})-({x2:4.0f},{y2:4.0f})"
    )
    scored = [(box_iou(box.box_xyxy, o.box_xyxy), o) for o in result.truth_near(box.time_s)]
    iou, truth = max(scored, key=lambda pair: pair[0], default=(0.0, None))
    if truth is None or iou == 0.0:
        return f"{tracked}  overlaps no road user"
    return (
        f"{tracked}  truth #{truth.track_id} {truth.class_name} iou {iou:.2f} "
        f"lane {truth.lane_id} {truth.speed_mps * 3.6:.0f} km/h "
        f"at ({truth.world_x_m:.1f}, {truth.world_y_m:.1f}) m"
    )


if __name__ == "__main__":
    raise SystemExit(main())
