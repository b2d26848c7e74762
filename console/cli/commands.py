"""The one convention every ``roadwatch`` command follows (docs/DECISIONS.md, "CLI").

A command module has ``register(commands)``: it adds its parsers to ``commands`` (the
sub-parsers of ``roadwatch``) and gives every command that runs something
``parser.set_defaults(handler=...)``, a function of the parsed arguments that returns the
exit code. A group of commands (``user``, ``sim``, ...) is made with :func:`add_group`: run
without one of its commands it prints its help to stderr and exits 2. ``main`` calls
``args.handler`` and nothing else; tests/core/test_cli_commands.py walks the parser tree
and fails on a command without a handler.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeAlias

Commands: TypeAlias = "argparse._SubParsersAction[argparse.ArgumentParser]"
Handler = Callable[[argparse.Namespace], int]
EXIT_USAGE = 2


@dataclass(frozen=True, slots=True)
class ShowUsage:
    """Handler of a command group given none of its commands: help on stderr, exit 2."""

    parser: argparse.ArgumentParser

    def __call__(self, args: argparse.Namespace) -> int:
        del args
        self.parser.print_help(sys.stderr)
        return EXIT_USAGE


def add_group(
    commands: Commands, name: str, help_text: str, description: str | None = None
) -> Commands:
    """Add the command group ``name``; returns the sub-parsers its commands go in."""
    group = commands.add_parser(name, help=help_text, description=description or help_text)
    group.set_defaults(handler=ShowUsage(group))
    return group.add_subparsers(title=f"{name} commands", metavar="ACTION")
