"""``roadwatch sim export``: render a synthetic scene to an MP4 with its ground truth."""

from __future__ import annotations

import argparse
import sys

from console.cli.commands import Commands, add_group
from console.sim.records import SCENES, Lighting, SimConfig
from console.sim.scenario import ScenarioError, load_scenario, resolve_scenario_path


def register(commands: Commands) -> None:
    sim = add_group(commands, "sim", "synthetic traffic camera tools")
    export = sim.add_parser(
        "export",
        help="render a scenario to an MP4 with ground truth",
        description="Render SCENARIO (a YAML path or a bundled name such as 'speeding') to "
        "DIR/clip.mp4 and DIR/truth.json.",
    )
    export.add_argument("scenario", metavar="SCENARIO")
    export.add_argument("--out", required=True, metavar="DIR", help="output directory")
    export.add_argument(
        "--seconds",
        type=float,
        default=None,
        help="clip length (default: the scenario's duration_s)",
    )
    export.add_argument("--seed", type=int, default=0)
    export.add_argument(
        "--scene", choices=SCENES, default=None, help="scene (default: the scenario's)"
    )
    export.add_argument("--lighting", choices=[item.value for item in Lighting], default="day")
    export.add_argument("--fps", type=float, default=25.0)
    export.add_argument("--width", type=int, default=1280)
    export.add_argument("--height", type=int, default=720)
    export.add_argument("--rain", type=float, default=0.0)
    export.add_argument("--jpeg-quality", type=int, default=None)
    export.set_defaults(handler=run_export)


def run_export(args: argparse.Namespace) -> int:
    from console.sim.export import export_clip

    try:
        path = resolve_scenario_path(args.scenario)
        scenario = load_scenario(path)
        config = SimConfig(
            scene=args.scene or scenario.scene,
            seed=args.seed,
            width=args.width,
            height=args.height,
            fps=args.fps,
            lighting=Lighting(args.lighting),
            rain=args.rain,
            jpeg_quality=args.jpeg_quality,
            scenario=path,
        )
        seconds = args.seconds if args.seconds is not None else scenario.duration_s
        result = export_clip(config, seconds, args.out)
    except (ScenarioError, ValueError, RuntimeError, OSError) as error:
        print(f"roadwatch sim export: {error}", file=sys.stderr)
        return 1
    print(
        f"wrote {result.video_path} ({result.frames} frames, {result.codec}) "
        f"and {result.truth_path}"
    )
    for incident in result.incidents:
        print(
            f"  {incident.incident_id}: {incident.type.value} "
            f"{incident.start_s}..{incident.end_s} s, tracks {list(incident.track_ids)}"
        )
    return 0
