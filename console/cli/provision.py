"""``roadwatch provision SITE.yaml``: the command installers and IT run on each machine.

Passwords never come from the command line (process lists and shell histories show it):
options name an environment variable to read, otherwise the terminal asks.
"""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from collections.abc import Callable
from functools import partial
from pathlib import Path

from console.cli.commands import Commands
from console.install.layout import ROOT_VARIABLE, chosen_layout
from console.install.provision import ProvisionError, ProvisionRequest, provision

EXIT_OK, EXIT_FAILURE = 0, 1


def register(commands: Commands) -> None:
    parser = commands.add_parser(
        "provision",
        help="install a site file and its model on this machine (re-run to upgrade)",
        description=(
            "Validate SITE, copy it and the model it names into this machine's RoadWatch "
            "folders (the previous site file is kept in backups/), store secrets in the OS "
            "keyring and create the first administrator. Local data is never replaced."
        ),
    )
    parser.add_argument("site_file", type=Path, metavar="SITE", help="site file (YAML)")
    where = parser.add_mutually_exclusive_group()
    where.add_argument(
        "--root",
        type=Path,
        help=f"install under ROOT/config and ROOT/data ({ROOT_VARIABLE} does the same)",
    )
    where.add_argument(
        "--system",
        action="store_true",
        help="install for every account (Linux /etc/roadwatch + /var/lib/roadwatch, "
        r"Windows %%ProgramData%%\RoadWatch); default: this account only",
    )
    parser.add_argument("--central-url", help="central PostgreSQL URL, password as ${NAME}")
    parser.add_argument(
        "--central-password-env",
        metavar="VAR",
        help="store the central password, read from environment variable VAR, in the OS "
        "keyring under the ${NAME} the central URL refers to",
    )
    parser.add_argument(
        "--secret",
        action="append",
        default=[],
        metavar="NAME[=VAR]",
        help="store the site's secret ${NAME} in the OS keyring, read from environment "
        "variable VAR (default NAME) or asked on the terminal; repeatable",
    )
    parser.add_argument("--admin", metavar="NAME", help="create the first administrator")
    parser.add_argument(
        "--admin-password-env",
        metavar="VAR",
        help="read the administrator's password from environment variable VAR "
        "(default: ask on the terminal)",
    )
    parser.add_argument(
        "--owner",
        metavar="USER[:GROUP]",
        help="Linux: hand the data folder to the account that runs RoadWatch",
    )
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    layout = chosen_layout(args.root, system=args.system)
    try:
        request = ProvisionRequest(
            site_file=args.site_file,
            layout=layout,
            central_url=args.central_url,
            central_password=(
                partial(_from_environment, args.central_password_env, "the central password")
                if args.central_password_env
                else None
            ),
            secrets=dict(_secret(spec) for spec in args.secret),
            admin=args.admin,
            admin_password=lambda: _admin_password(args),
            owner=args.owner,
        )
        report = provision(request)
    except ProvisionError as exc:
        print(f"roadwatch provision: {exc}", file=sys.stderr)
        return EXIT_FAILURE
    print(f"RoadWatch provisioned ({layout.kind} installation, {layout.config_dir})")
    for line in report.lines():
        print(f"  {line}")
    print(f"Check this machine with: roadwatch --self-check --site {report.site_file}")
    return EXIT_OK


def _from_environment(variable: str, what: str) -> str:
    value = os.environ.get(variable)
    if not value:
        raise ProvisionError(f"environment variable {variable} ({what}) is not set or empty")
    return value


def _secret(spec: str) -> tuple[str, Callable[[], str]]:
    name, _, variable = spec.partition("=")
    variable = variable or name
    if variable in os.environ:
        return name, partial(_from_environment, variable, f"secret {name}")
    return name, partial(_ask, f"Value of {name} (not shown): ", f"--secret {name}=VAR")


def _admin_password(args: argparse.Namespace) -> str:
    if args.admin_password_env:
        return _from_environment(args.admin_password_env, f"password of {args.admin}")
    first = _ask(f"Password for the administrator {args.admin}: ", "--admin-password-env VAR")
    if getpass.getpass("Repeat the password: ") != first:
        raise ProvisionError("the two passwords differ")
    return first


def _ask(prompt: str, alternative: str) -> str:
    if not sys.stdin.isatty():
        raise ProvisionError(f"no terminal to ask on; use {alternative} in unattended installs")
    value = getpass.getpass(prompt)
    if not value:
        raise ProvisionError("an empty value was given")
    return value
