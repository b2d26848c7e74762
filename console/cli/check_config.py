"""``roadwatch check-config FILE``: validate a site file and list its problems with lines."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from console.cli.commands import Commands
from console.config.site_file import ConfigError, load_site

EXIT_OK, EXIT_FAILURE = 0, 1


def register(commands: Commands) -> None:
    parser = commands.add_parser("check-config", help="validate a site file and list its problems")
    parser.add_argument("file", type=Path, help="site file (YAML)")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    try:
        site = load_site(args.file)
    except ConfigError as exc:
        print(exc, file=sys.stderr)
        return EXIT_FAILURE
    enabled = sum(1 for camera in site.cameras if camera.enabled)
    print(
        f"{args.file}: OK - site '{site.site.name}', {len(site.routes)} routes, "
        f"{len(site.cameras)} cameras ({enabled} enabled)"
    )
    return EXIT_OK
