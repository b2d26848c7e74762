"""Headless commands that act as a person: ``--user NAME``, password from the terminal or env.

Commands that touch evidence, the audit trail or deletion (``evidence export|hold|release``,
``export-dataset``, ``sync --prune``, ``audit verify|list``) log in first, like the ``user``
commands: the password is asked for on the terminal, or read from ``ROADWATCH_PASSWORD``
for scripted runs, and never printed. Without valid credentials the command says why and
exits 2 before touching anything; a role without the permission is refused by the core
(and audited) and the command exits 1.
"""

from __future__ import annotations

import argparse
import socket
from collections.abc import Callable
from pathlib import Path

from console.cli.security import PASSWORD_VARIABLE, fail, login_as
from console.security.accounts import Accounts, AuthenticationError
from console.security.audit import AuditLog
from console.security.roles import UserSession
from console.store.local import LocalStore

EXIT_OK, EXIT_FAILURE, EXIT_NOT_LOGGED_IN = 0, 1, 2

Action = Callable[[LocalStore, AuditLog, UserSession], int]


def add_user_argument(parser: argparse.ArgumentParser, what: str) -> None:
    parser.add_argument(
        "--user",
        required=True,
        help=f"user {what} (password asked for, or read from {PASSWORD_VARIABLE})",
    )


def run_as_user(database: Path, username: str, action: Action) -> int:
    """Open ``database``, log ``username`` in, run ``action``, log out; the exit code.

    A missing database is an error (exit 1): acting on evidence never creates one.
    """
    if not database.is_file():
        return fail(f"no local database at {database}")
    try:
        store = LocalStore.open(database, console_id=socket.gethostname())
    except Exception as exc:  # a damaged or newer database: say so, change nothing
        return fail(f"cannot open {database}: {exc}")
    with store:
        audit = AuditLog(store, store.console_id)
        accounts = Accounts(store, audit)
        try:
            session = login_as(accounts, username)
        except AuthenticationError as exc:
            return fail(f"not logged in: {exc}", EXIT_NOT_LOGGED_IN)
        except EOFError:  # no terminal to ask on and no password in the environment
            return fail(
                f"not logged in: no password for '{username}' (give it on a terminal "
                f"or in {PASSWORD_VARIABLE})",
                EXIT_NOT_LOGGED_IN,
            )
        try:
            return action(store, audit, session)
        except PermissionError as exc:  # the core refused and audited it
            return fail(str(exc))
        finally:
            accounts.logout(session)
