"""``roadwatch eval``: a labelled recording through the live pipeline, scored per rule.

    roadwatch eval tests/data/real/highway-day-1.truth.yaml [--clip FILE] [--fps F] [--json]
    roadwatch eval --all tests/data/real [--markdown docs/ACCURACY.md]

The ground-truth file names its site file and camera (zones, lines, rules, model) and the
recording (file name and SHA-256). Without ``--fps`` each clip first runs live for
``--measure-seconds`` to measure the analysis rate this machine reaches on it.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from console.cli.commands import Commands
from console.evaluation.truth import TruthFileError

EXIT_OK, EXIT_FAILURE, EXIT_USAGE = 0, 1, 2
SECTION = "real-footage"


def register(commands: Commands) -> None:
    parser = commands.add_parser(
        "eval",
        help="score a labelled recording: recall, false alerts, counts, alert delay",
        description="Run labelled recordings through the live per-camera pipeline and report, "
        "per rule, recall, false alerts per camera-hour and alert delay, and the count error "
        "per counting line. Ground-truth format: docs/ACCURACY.md.",
    )
    parser.add_argument("truth", type=Path, nargs="*", help="ground-truth file(s) (YAML)")
    parser.add_argument(
        "--all", type=Path, metavar="DIR", help="every *.truth.yaml in DIR, in name order"
    )
    parser.add_argument(
        "--clip", type=Path, help="the recording, if not where the camera's stream says"
    )
    parser.add_argument(
        "--fps", type=float, help="analysis rate to use (default: measured live on each clip)"
    )
    parser.add_argument(
        "--measure-seconds",
        type=float,
        default=20.0,
        help="how long to run each clip live to measure its rate (20)",
    )
    parser.add_argument(
        "--compare-fps",
        default="",
        metavar="F,F",
        help="also run each clip at these analysis rates (e.g. 2.5,10) to show how the "
        "results depend on the rate",
    )
    parser.add_argument(
        "--json", dest="as_json", action="store_true", help="the report as one JSON object"
    )
    parser.add_argument(
        "--markdown",
        type=Path,
        metavar="FILE",
        help="also write the report into FILE's real-footage part (docs/ACCURACY.md)",
    )
    parser.add_argument(
        "--sources",
        default="../shared/media/SOURCES.md",
        help="where the clips' sources are described (named in the Markdown report)",
    )
    parser.set_defaults(handler=run)


def truth_files(args: argparse.Namespace) -> list[Path]:
    files = list(args.truth)
    if args.all is not None:
        if not args.all.is_dir():
            raise TruthFileError(f"--all {args.all}: not a folder")
        found = sorted(args.all.glob("*.truth.yaml"))
        if not found:
            raise TruthFileError(f"--all {args.all}: no *.truth.yaml file in it")
        files += found
    return files


def run(args: argparse.Namespace) -> int:
    # Loaded here: the detector stack is heavy and other commands must start fast.
    from console.evaluation.markdown import replace_section
    from console.evaluation.report import ReportFacts, as_json, as_markdown, as_text
    from console.evaluation.run import (
        load_model,
        machine,
        measure_live_fps,
        model_name,
        prepare,
        run_clip,
    )
    from console.evaluation.score import score

    try:
        others = [float(v) for v in args.compare_fps.split(",") if v.strip()]
    except ValueError:
        print("roadwatch eval: --compare-fps takes rates like 2.5,10", file=sys.stderr)
        return EXIT_USAGE
    for rate in [args.fps, *others]:
        if rate is not None and not 0 < rate <= 30:
            print("roadwatch eval: a rate must be above 0 and at most 30 fps", file=sys.stderr)
            return EXIT_USAGE
    try:
        files = truth_files(args)
        if not files:
            print("roadwatch eval: give a ground-truth file or --all DIR", file=sys.stderr)
            return EXIT_USAGE
        if args.clip is not None and len(files) != 1:
            print("roadwatch eval: --clip goes with exactly one ground-truth file", file=sys.stderr)
            return EXIT_USAGE
        setups = [prepare(path, args.clip) for path in files]  # every file checked first
    except TruthFileError as exc:
        print(f"roadwatch eval: {exc}", file=sys.stderr)
        return EXIT_FAILURE
    scores = []
    for setup in setups:
        if args.fps is None:
            fps, model, name = measure_live_fps(setup, args.measure_seconds)
            source = "measured"
        else:
            runtime, model = load_model(setup)
            fps, name, source = args.fps, model_name(runtime), "given"
        if not args.as_json:
            print(f"{setup.truth.clip}: {fps:.2f} fps ({source})", file=sys.stderr, flush=True)
        result = score(setup, run_clip(setup, model, fps), fps, source, name)
        for rate in others:
            result.other_rates.append(
                score(setup, run_clip(setup, model, rate), rate, "compared", name)
            )
        scores.append(result)
    command = "roadwatch eval " + " ".join(
        [f"--all {args.all}"] if args.all else [str(p) for p in args.truth]
    )
    facts = ReportFacts(machine(), args.sources, command.strip())
    if args.as_json:
        print(json.dumps(as_json(scores, facts), indent=2))
    else:
        print(as_text(scores, facts))
    if args.markdown is not None:
        replace_section(args.markdown, SECTION, as_markdown(scores, facts))
        if not args.as_json:
            print(f"wrote the real-footage part of {args.markdown}", file=sys.stderr)
    return EXIT_OK
