"""``roadwatch sim ...`` subcommands (argparse), wired in by console/cli/main.py."""

from __future__ import annotations

import argparse
import sys

from console.sim.records import SCENES, Lighting, SimConfig
from console.sim.scenario import ScenarioError, load_scenario, resolve_scenario_path


def register(subparsers: argparse._SubParsersAction) -> argparse.ArgumentParser:
    """Add the ``sim`` command to a parent parser's subparsers; returns its parser."""
    sim = subparsers.add_parser(
        "sim", help="synthetic traffic camera tools", description="Synthetic traffic camera tools."
    )
    sim.set_defaults(func=run)
    commands = sim.add_subparsers(dest="sim_command", metavar="COMMAND")
    export = commands.add_parser(
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
    return sim


def run(args: argparse.Namespace) -> int:
    """Run a parsed ``sim`` command; returns the process exit code."""
    if getattr(args, "sim_command", None) != "export":
        print(
            "usage: roadwatch sim export SCENARIO --out DIR [--seconds S] [--seed N]",
            file=sys.stderr,
        )
        return 2
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


def main(argv: list[str] | None = None) -> int:
    """Stand-alone entry point: ``python -m console.cli.sim export ...``."""
    parser = argparse.ArgumentParser(prog="roadwatch")
    register(parser.add_subparsers(dest="command"))
    args = parser.parse_args(["sim", *(argv if argv is not None else sys.argv[1:])])
    return run(args)


if __name__ == "__main__":
    raise SystemExit(main())
