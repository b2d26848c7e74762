"""``roadwatch sync``: push this machine's outbox and pull other consoles' changes."""

from __future__ import annotations

import argparse
import logging
import socket
import sys
from datetime import timedelta
from pathlib import Path

from console.cli.commands import Commands
from console.cli.security import PASSWORD_VARIABLE, login_as
from console.config.secrets import MissingSecretError
from console.config.site_file import ConfigError, load_site
from console.domain.records import utc_now
from console.paths import data_dir
from console.retention.store import prune_local
from console.security.accounts import Accounts, AuthenticationError
from console.security.audit import AuditLog
from console.security.roles import UserSession
from console.store.local import LocalStore, default_store_path
from console.store.migrate import SchemaTooNewError
from console.sync.central import CentralDb
from console.sync.worker import SyncWorker, describe_error, sync_once

log = logging.getLogger(__name__)


def register(commands: Commands) -> None:
    parser = commands.add_parser(
        "sync", help="sync the local cache with central storage (PostgreSQL)"
    )
    parser.add_argument("--once", action="store_true", help="one round, then exit")
    parser.add_argument(
        "--site", dest="sync_site", type=Path, metavar="FILE", help="site file (YAML)"
    )
    parser.add_argument(
        "--prune",
        action="store_true",
        help="then prune local evidence per the site's storage (needs --user with delete_data)",
    )
    parser.add_argument(
        "--user", help=f"user pruning (password asked for, or read from {PASSWORD_VARIABLE})"
    )
    parser.set_defaults(handler=run_sync)


def run_sync(args: argparse.Namespace) -> int:
    site_path = args.sync_site or args.site
    if site_path is None:
        print("roadwatch sync: give the site file with --site FILE", file=sys.stderr)
        return 2
    try:
        site = load_site(site_path)
    except ConfigError as exc:
        print(exc, file=sys.stderr)
        return 1
    if site.central is None:
        print(f"{site_path}: no 'central' storage configured; nothing to sync", file=sys.stderr)
        return 1
    if args.prune and not args.user:
        print("roadwatch sync: --prune deletes data: give the user with --user", file=sys.stderr)
        return 2
    try:
        db = CentralDb.from_settings(site.central)
        store = LocalStore.open(
            default_store_path(site.storage.data_dir or data_dir()),
            console_id=socket.gethostname(),
        )
    except (MissingSecretError, SchemaTooNewError) as exc:
        print(f"roadwatch sync: {exc}", file=sys.stderr)
        return 1
    accounts = Accounts(store, AuditLog(store, store.console_id))
    pruner: UserSession | None = None
    if args.prune:  # logged in before anything is synced or deleted
        try:
            pruner = login_as(accounts, args.user)
        except (AuthenticationError, EOFError) as exc:
            store.close()
            db.dispose()
            reason = str(exc) or f"no password (terminal or {PASSWORD_VARIABLE})"
            print(f"roadwatch sync: not logged in: {reason}", file=sys.stderr)
            return 2
    try:
        if args.once:
            try:
                report = sync_once(store, db)
            except Exception as exc:  # reported in one line; the outbox keeps everything
                print(f"roadwatch sync: {describe_error(exc)}", file=sys.stderr)
                return 1
            print(
                f"pushed {report.pushed}, uploaded {report.uploaded} evidence files, "
                f"pulled {report.pulled} changes; backlog {store.backlog()}"
            )
        else:
            worker = SyncWorker(store, db, on_status=lambda s: log.info("sync: %s", s))
            worker.start()
            try:
                while True:
                    worker.wait_stopped(3600)
            except KeyboardInterrupt:
                worker.stop()
        if pruner is not None:
            try:
                pruned = prune_local(
                    store,
                    now=utc_now(),
                    max_age=timedelta(days=site.storage.retention_days),
                    budget_bytes=int(site.storage.evidence_budget_gb * 1e9),
                    actor=pruner,
                )
            except PermissionError as exc:  # refused by the core, and audited
                print(f"roadwatch sync: {exc}", file=sys.stderr)
                return 1
            print(
                f"pruned {pruned.evidence_pruned} evidence files ({pruned.bytes_freed} bytes), "
                f"{pruned.alerts_pruned} alerts; {pruned.kept_on_hold} evidence files past "
                "the retention period kept: on legal hold"
            )
    finally:
        if pruner is not None:
            accounts.logout(pruner)
        store.close()
        db.dispose()
    return 0
