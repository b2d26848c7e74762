"""Every ``roadwatch`` command follows console/cli/commands.py: the parser tree is checked."""

from __future__ import annotations

import argparse
import importlib
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from console.cli.commands import EXIT_USAGE, ShowUsage
from console.cli.main import COMMAND_MODULES, build_parser, main, run_gui

README = Path(__file__).resolve().parents[2] / "README.md"


def command_tree(
    parser: argparse.ArgumentParser, path: tuple[str, ...] = ()
) -> Iterator[tuple[tuple[str, ...], argparse.ArgumentParser, bool]]:
    """(command words, parser, is a group) for the root and every command below it."""
    groups = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    yield path, parser, bool(groups)
    for action in groups:
        for name, child in action.choices.items():
            yield from command_tree(child, (*path, name))


def leaf_commands() -> list[tuple[str, ...]]:
    return [path for path, _parser, is_group in command_tree(build_parser()) if not is_group]


def test_every_command_has_a_handler_and_every_group_shows_its_usage() -> None:
    wrong = []
    for path, parser, is_group in command_tree(build_parser()):
        handler = parser.get_default("handler")
        if not path:
            expected_ok = handler is run_gui
        elif is_group:
            expected_ok = handler == ShowUsage(parser)
        else:
            expected_ok = callable(handler) and handler is not run_gui
            expected_ok &= not isinstance(handler, ShowUsage)
        if not expected_ok:
            wrong.append(f"roadwatch {' '.join(path)}: handler {handler!r}")
    assert not wrong, "\n".join(wrong)


def test_the_walk_sees_nested_commands() -> None:
    leaves = leaf_commands()
    assert ("sim", "export") in leaves and ("user", "create-admin") in leaves
    assert ("check-config",) in leaves and ("sim",) not in leaves


@pytest.mark.parametrize("module_name", COMMAND_MODULES)
def test_every_command_module_imports(module_name: str) -> None:
    # build_parser skips a module that fails to import (a partial install): here it must not.
    assert callable(importlib.import_module(module_name).register)


def test_a_nested_command_runs_its_own_handler_not_the_console() -> None:
    args = build_parser().parse_args(["sim", "export", "congestion", "--out", "x"])
    assert args.handler.__module__ == "console.cli.sim"


@pytest.mark.parametrize(
    "group", [path[0] for path, _p, is_group in command_tree(build_parser()) if is_group and path]
)
def test_a_group_without_its_command_prints_its_usage_and_exits_2(
    group: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main([group]) == EXIT_USAGE
    err = capsys.readouterr().err
    assert err.startswith(f"usage: roadwatch {group}")
    actions = [path[1] for path in leaf_commands() if path[0] == group]
    assert actions and all(action in err for action in actions)


def readme_commands() -> set[str]:
    """First word after ``roadwatch`` in each row of README's "Running" table."""
    table = README.read_text(encoding="utf-8").split("## Running", 1)[1].split("\n\n", 1)[0]
    return {m for m in re.findall(r"^\| `roadwatch ([^` ]+)", table, re.MULTILINE)}


def test_readme_running_table_lists_every_command_and_nothing_else() -> None:
    parser = build_parser()
    top_level = {path[0] for path, _p, _g in command_tree(parser) if len(path) == 1}
    listed = readme_commands()
    options = {s for action in parser._actions for s in action.option_strings}
    assert {word for word in listed if not word.startswith("-")} == top_level
    assert {word for word in listed if word.startswith("-")} <= options
