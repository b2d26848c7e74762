"""``roadwatch user`` and ``secret`` commands (``audit``: audit.py, ``evidence``: evidence.py).

Headless tools act as a user given with ``--user NAME``; the password is asked for on the
terminal, or read from ``ROADWATCH_PASSWORD`` for scripted runs (see docs/SECURITY.md).
"""

from __future__ import annotations

import argparse
import getpass
import os
import socket
import sys
from collections.abc import Callable
from pathlib import Path

from console.cli.commands import Commands, Handler, add_group
from console.config.keyring_secrets import KeyringUnavailableError, store_keyring_secret
from console.config.secrets import env_references, lookup_secret
from console.config.yaml_lines import YamlFileError, load_yaml_file
from console.paths import data_dir
from console.security.accounts import AccountError, Accounts, AuthenticationError
from console.security.audit import AuditLog
from console.security.provisioned_users import ProvisioningError, provision_users
from console.security.roles import PermissionDeniedError, Role, UserSession
from console.store.local import LocalStore, default_store_path

PASSWORD_VARIABLE = "ROADWATCH_PASSWORD"
EXIT_OK, EXIT_FAILURE, EXIT_USAGE = 0, 1, 2


def register(commands: Commands) -> None:
    _register_user(commands)
    _register_secret(commands)


def _register_user(commands: Commands) -> None:
    user = add_group(commands, "user", "manage console users (first run: create-admin)")

    def command(name: str, help_text: str, handler: Handler) -> argparse.ArgumentParser:
        parser = user.add_parser(name, help=help_text)
        parser.add_argument("--db", type=Path, help="database file (default: this console's)")
        parser.set_defaults(handler=handler)
        return parser

    first = command(
        "create-admin", "create the first administrator (asks the password)", run_create_admin
    )
    first.add_argument("--username", default="admin")
    add = command("add", "add a user (as an administrator given with --user)", run_add_user)
    add.add_argument("username")
    add.add_argument("--role", required=True, choices=[role.value for role in Role])
    role = command("set-role", "change a user's role", run_set_role)
    role.add_argument("username")
    role.add_argument("role", choices=[role.value for role in Role])
    reset = command("reset-password", "set a new password for a user", run_reset_password)
    reset.add_argument("username")
    unlock = command("unlock", "clear a lockout after failed logins", run_unlock)
    unlock.add_argument("username")
    command("list", "list users, roles and lockouts", run_list_users)
    provision = command("provision", "create users from a provisioning file", run_provision)
    provision.add_argument("file", type=Path)
    command("hash-password", "print an Argon2 hash for a provisioning file", run_hash_password)
    for parser in (add, role, reset, unlock, user.choices["list"]):
        parser.add_argument("--user", required=True, help="administrator acting")
    provision.add_argument("--user", help="administrator acting (not needed on first run)")


def _register_secret(commands: Commands) -> None:
    secret = add_group(commands, "secret", "camera and database secrets (OS keyring)")
    store = secret.add_parser("set", help="store a secret in the OS keyring (asks the value)")
    store.add_argument("name", help="the name a site file refers to as ${NAME}")
    store.set_defaults(handler=run_secret_set)
    check = secret.add_parser("check", help="list a site file's secrets and where each is found")
    check.add_argument("file", type=Path)
    check.set_defaults(handler=run_secret_check)


# ---- helpers shared with evidence.py -------------------------------------------------------


def fail(message: str, code: int = EXIT_FAILURE) -> int:
    print(f"roadwatch: {message}", file=sys.stderr)
    return code


def database_path(args: argparse.Namespace) -> Path:
    return args.db or default_store_path(data_dir())


def open_accounts(args: argparse.Namespace) -> tuple[LocalStore, AuditLog, Accounts]:
    store = LocalStore.open(database_path(args), console_id=socket.gethostname())
    audit = AuditLog(store, store.console_id)
    return store, audit, Accounts(store, audit)


def ask_password(prompt: str) -> str:
    from_environment = os.environ.get(PASSWORD_VARIABLE)
    return from_environment if from_environment is not None else getpass.getpass(prompt)


def login_as(accounts: Accounts, username: str) -> UserSession:
    return accounts.login(username, ask_password(f"Password for {username}: "))


def ask_new_password(username: str) -> str:
    first = getpass.getpass(f"New password for {username}: ")
    if getpass.getpass("Repeat the password: ") != first:
        raise AccountError("the two passwords differ")
    return first


def _as_admin(args: argparse.Namespace, action: Callable[[Accounts, UserSession], str]) -> int:
    try:
        store, _audit, accounts = open_accounts(args)
    except Exception as exc:  # a damaged or newer database: say so, change nothing
        return fail(f"cannot open {database_path(args)}: {exc}")
    with store:
        try:
            session = login_as(accounts, args.user)
            try:
                print(action(accounts, session))
            finally:
                accounts.logout(session)
        except (AuthenticationError, PermissionDeniedError, AccountError) as exc:
            return fail(str(exc))
    return EXIT_OK


# ---- handlers --------------------------------------------------------------------------------


def run_create_admin(args: argparse.Namespace) -> int:
    store, _audit, accounts = open_accounts(args)
    with store:
        if accounts.count() > 0:
            return fail(
                "users exist already; an administrator adds users with `roadwatch user add`"
            )
        try:
            user = accounts.create_first_admin(args.username, ask_new_password(args.username))
        except AccountError as exc:
            return fail(str(exc))
    print(f"administrator '{user.username}' created in {database_path(args)}")
    return EXIT_OK


def run_add_user(args: argparse.Namespace) -> int:
    def add(accounts: Accounts, session: UserSession) -> str:
        password = ask_new_password(args.username)
        user = accounts.create_user(session, args.username, password, Role(args.role))
        return f"user '{user.username}' ({user.role.value}) created"

    return _as_admin(args, add)


def run_set_role(args: argparse.Namespace) -> int:
    def change(accounts: Accounts, session: UserSession) -> str:
        accounts.set_role(session, args.username, Role(args.role))
        return f"user '{args.username}' is now {args.role}"

    return _as_admin(args, change)


def run_reset_password(args: argparse.Namespace) -> int:
    def reset(accounts: Accounts, session: UserSession) -> str:
        accounts.set_password(session, args.username, ask_new_password(args.username))
        return f"password of '{args.username}' changed"

    return _as_admin(args, reset)


def run_unlock(args: argparse.Namespace) -> int:
    def unlock(accounts: Accounts, session: UserSession) -> str:
        accounts.unlock_account(session, args.username)
        return f"user '{args.username}' unlocked"

    return _as_admin(args, unlock)


def run_list_users(args: argparse.Namespace) -> int:
    def listing(accounts: Accounts, session: UserSession) -> str:
        lines = []
        for account in accounts.all_accounts(session):
            locked = (
                f"  locked until {account.locked_until:%Y-%m-%d %H:%M}Z"
                if account.locked_until
                else ""
            )
            lines.append(f"{account.user.username:24} {account.user.role.value:10}{locked}")
        return "\n".join(lines)

    return _as_admin(args, listing)


def run_provision(args: argparse.Namespace) -> int:
    store, _audit, accounts = open_accounts(args)
    with store:
        session = None
        try:
            if args.user:
                session = login_as(accounts, args.user)
            created = provision_users(accounts, args.file, session)
        except (ProvisioningError, AuthenticationError, PermissionDeniedError, AccountError) as exc:
            return fail(str(exc))
        finally:
            if session is not None:
                accounts.logout(session)
    print(f"{len(created)} user(s) created: {', '.join(created) or '-'}")
    return EXIT_OK


def run_hash_password(args: argparse.Namespace) -> int:
    from argon2 import PasswordHasher

    try:
        password = ask_new_password("the provisioning file")
    except AccountError as exc:
        return fail(str(exc))
    print(PasswordHasher().hash(password))
    return EXIT_OK


def run_secret_set(args: argparse.Namespace) -> int:
    value = getpass.getpass(f"Value of {args.name} (not shown): ")
    try:
        store_keyring_secret(args.name, value)
    except KeyringUnavailableError as exc:
        return fail(str(exc))
    print(f"{args.name} stored in the OS keyring (service 'roadwatch')")
    return EXIT_OK


def run_secret_check(args: argparse.Namespace) -> int:
    try:
        load_yaml_file(args.file)  # size, encoding and syntax checked before reading
        text = args.file.read_text(encoding="utf-8")
    except (OSError, YamlFileError) as exc:
        return fail(str(exc))
    names = sorted(set(env_references(text)))
    missing = 0
    for name in names:
        where = "environment" if name in os.environ else None
        if where is None and lookup_secret(name) is not None:
            where = "OS keyring"
        missing += where is None
        print(f"  {name:32} {where or 'MISSING'}")
    print(f"{len(names)} secret(s) referenced, {missing} missing")
    return EXIT_FAILURE if missing else EXIT_OK
