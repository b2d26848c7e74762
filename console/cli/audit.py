"""``roadwatch audit verify | list``: check and read the hash-chained audit trail.

Both act as a logged-in user with ``view_audit`` (console/cli/acting.py); the reading
itself is audited (console/security/audit_reading.py).
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from console.cli.acting import EXIT_FAILURE, EXIT_OK, add_user_argument, run_as_user
from console.cli.commands import Commands, add_group
from console.cli.security import database_path, fail
from console.security.audit import AuditDatabaseError, AuditLog, read_entries
from console.security.audit_reading import read_audit, verify_audit
from console.security.roles import UserSession
from console.store.local import LocalStore

EXIT_UNUSABLE = 2


def register(commands: Commands) -> None:
    audit = add_group(commands, "audit", "read and check the hash-chained audit trail")
    verify = audit.add_parser("verify", help="detect edited, removed or moved entries")
    verify.add_argument("--db", type=Path, help="database file (default: this console's)")
    add_user_argument(verify, "verifying (needs view_audit)")
    verify.set_defaults(handler=run_audit_verify)
    listing = audit.add_parser("list", help="print the newest audit entries")
    listing.add_argument("--db", type=Path, help="database file (default: this console's)")
    add_user_argument(listing, "reading (needs view_audit)")
    listing.add_argument("--limit", type=int, default=50, help="entries to print (50)")
    listing.set_defaults(handler=run_audit_list)


def run_audit_verify(args: argparse.Namespace) -> int:
    """Verify as a user with ``view_audit``; exit 0 intact, 1 damaged or refused, 2 unusable."""
    path = database_path(args)
    try:
        read_entries(path)  # unreadable or not ours: exit 2 before asking for a password
    except AuditDatabaseError as exc:
        return fail(str(exc), EXIT_UNUSABLE)

    def verify(store: LocalStore, audit: AuditLog, session: UserSession) -> int:
        try:
            report = verify_audit(session, audit, path)
        except AuditDatabaseError as exc:
            return fail(str(exc), EXIT_UNUSABLE)
        if report.intact:
            print(f"{path}: audit trail intact - {report.entries} entries, head {report.head_hash}")
            return EXIT_OK
        print(
            f"{path}: audit trail DAMAGED - {len(report.problems)} problem(s) "
            f"in {report.entries} entries:"
        )
        for problem in report.problems:
            print(f"  [{problem.kind}] {problem.message}")
        return EXIT_FAILURE

    return run_as_user(path, args.user, verify)


def run_audit_list(args: argparse.Namespace) -> int:

    path = database_path(args)

    def listing(store: LocalStore, audit: AuditLog, session: UserSession) -> int:
        try:
            shown = read_audit(session, audit, path, limit=args.limit)
        except AuditDatabaseError as exc:
            return fail(str(exc), EXIT_UNUSABLE)
        for item in shown:
            entry = item.entry
            details = json.dumps(
                dict(entry.details), ensure_ascii=False, sort_keys=True, default=str
            )
            print(
                f"#{item.position:<6} {entry.at:%Y-%m-%d %H:%M:%S}Z {entry.user:16} "
                f"{entry.action:20} {details}"
            )
        return EXIT_OK

    return run_as_user(path, args.user, listing)
