"""The ``roadwatch`` command: no subcommand opens the console; subcommands work headless."""

from __future__ import annotations

import argparse
import importlib
import logging
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from console import APP_NAME, __version__
from console.cli.commands import Handler
from console.config.site_file import ConfigError, load_site
from console.install.layout import site_to_use
from console.logs import setup_logging

log = logging.getLogger(__name__)

EXIT_OK = 0
EXIT_FAILURE = 1
EXIT_USAGE = 2
EXIT_NO_DISPLAY = 3

# Each module has register(commands) and follows console/cli/commands.py.
COMMAND_MODULES = (
    "console.cli.check_config",
    "console.cli.analyze",
    "console.cli.evaluate",
    "console.detect.demo_model",
    "console.cli.dataset",
    "console.cli.sim",
    "console.cli.sync",
    "console.cli.security",
    "console.cli.audit",
    "console.cli.evidence",
    "console.cli.plates",
    "console.cli.provision",
    "console.cli.node",
    "console.cli.cluster",
    "console.cli.demo_cluster",
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="roadwatch",
        description=f"{APP_NAME} traffic operator console. Without a command it opens the console.",
    )
    parser.add_argument("--version", action="version", version=f"{APP_NAME} {__version__}")
    parser.add_argument("-v", "--verbose", action="store_true", help="log debug messages")
    site = parser.add_mutually_exclusive_group()
    site.add_argument("--site", type=Path, help="site file to open (YAML)")
    site.add_argument("--demo", action="store_true", help="open the built-in demo site")
    _add_self_check_options(parser)
    parser.set_defaults(handler=run_gui)
    commands = parser.add_subparsers(title="commands", metavar="COMMAND")
    for module_name in COMMAND_MODULES:
        try:
            module = importlib.import_module(module_name)
        except ImportError as exc:  # a partial install must not break the other commands
            log.debug("command module %s unavailable: %s", module_name, exc)
            continue
        module.register(commands)
    return parser


def _add_self_check_options(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group(
        "self-check", "check this machine for its site (--site, else the provisioned one)"
    )
    group.add_argument(
        "--self-check",
        action="store_true",
        help="check model, cameras, central database, clock and disk; exit 1 on any failure",
    )
    group.add_argument("--json", action="store_true", help="self-check report as one JSON object")
    group.add_argument(
        "--min-free-gb", type=float, default=1.0, help="free GiB needed for evidence (1)"
    )
    group.add_argument(
        "--max-clock-offset", type=float, default=2.0, help="seconds allowed vs central (2)"
    )
    group.add_argument(
        "--camera-timeout", type=float, default=3.0, help="seconds per camera probe (3)"
    )


def run_self_check(args: argparse.Namespace) -> int:
    from console.install.self_check import SelfCheckOptions, print_report
    from console.install.self_check import run_self_check as check

    site_path, origin = site_to_use(args.site, demo=args.demo)
    options = SelfCheckOptions(args.min_free_gb, args.max_clock_offset, args.camera_timeout)
    report = check(site_path, origin, options)
    if hasattr(sys.stdout, "reconfigure"):  # a legacy Windows code page must not crash it
        sys.stdout.reconfigure(errors="replace")
    print_report(report, args.json, print)
    return EXIT_OK if report.ok else EXIT_FAILURE


def display_problem() -> str | None:
    """Why a window cannot open here, or None when it can."""
    platform = os.environ.get("QT_QPA_PLATFORM", "")
    if sys.platform.startswith("linux") and not platform:
        if not os.environ.get("DISPLAY") and not os.environ.get("WAYLAND_DISPLAY"):
            return "no display found (neither DISPLAY nor WAYLAND_DISPLAY is set)"
    return None


def headless_hint(parser_commands: Sequence[str]) -> str:
    lines = ["The operator console needs a graphical desktop. On a machine without one:"]
    if "analyze" in parser_commands:
        lines.append("  roadwatch analyze --demo          analyse the demo site headless")
    lines += [
        "  roadwatch check-config FILE       validate a site file",
        "  xvfb-run -a roadwatch --demo      run the console on a virtual screen",
    ]
    return "\n".join(lines)


def run_gui(args: argparse.Namespace) -> int:
    problem = display_problem()
    if problem:
        print(f"{APP_NAME}: cannot open the console: {problem}.", file=sys.stderr)
        print(headless_hint(args.command_names), file=sys.stderr)
        return EXIT_NO_DISPLAY
    site_path, _origin = site_to_use(args.site, demo=args.demo)
    refusal = newer_database_refusal(site_path)
    if refusal:
        log.error("%s", refusal)
        print(f"{APP_NAME}: {refusal}", file=sys.stderr)
        return EXIT_FAILURE
    try:
        # The UI is loaded by name: the core must stay importable where Qt is not installed.
        ui_app = importlib.import_module("ui.app")
    except ImportError as exc:
        print(f"{APP_NAME}: the desktop interface is not installed ({exc}).", file=sys.stderr)
        return EXIT_FAILURE
    result: int = ui_app.run(site_path)
    return result


def newer_database_refusal(site_path: Path) -> str | None:
    """Why the console must not open this site's local database, checked without writing."""
    from console.paths import data_dir
    from console.store.local import default_store_path
    from console.store.migrate import SchemaTooNewError, refuse_unknown_revision

    try:
        site = load_site(site_path)
    except ConfigError:
        return None  # the window shows the site file's problems itself
    database = default_store_path(site.storage.data_dir or data_dir(create=False))
    try:
        if database.exists():
            refuse_unknown_revision(database)
    except SchemaTooNewError as exc:
        return str(exc)
    return None


def main(argv: Sequence[str] | None = None) -> int:
    # Ultralytics prints to stdout when it first writes its settings file: that would
    # break `--self-check --json` and `analyze` output on a new machine. Our log has it all.
    os.environ.setdefault("YOLO_VERBOSE", "False")
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.self_check:
        if args.handler is not run_gui:
            parser.error("--self-check runs on its own, without a command")
        args.handler = run_self_check
    elif args.json:
        parser.error("--json goes with --self-check")
    args.command_names = sorted(_command_names(parser))
    log_file = setup_logging(verbose=args.verbose)
    log.info("%s %s starting (%s), log %s", APP_NAME, __version__, " ".join(sys.argv[1:]), log_file)
    handler: Handler = args.handler
    try:
        return handler(args)
    except KeyboardInterrupt:
        return 130


def _command_names(parser: argparse.ArgumentParser) -> list[str]:
    for action in parser._subparsers._group_actions if parser._subparsers else []:
        if isinstance(action, argparse._SubParsersAction):
            return list(action.choices)
    return []


if __name__ == "__main__":
    sys.exit(main())
