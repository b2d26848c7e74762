"""``roadwatch plates search | watch | unwatch | watchlist``: number plates, headless.

Every command logs in (``--user``; console/cli/acting.py): searching needs
``view_evidence`` (plates are personal data; each search is audited), the watch-list
``manage_watchlist``. Searching ignores case, spaces, dots, dashes and diacritics.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from console.alerts.plate_desk import search_plates, unwatch_plate, watch_plate
from console.cli.acting import add_user_argument, run_as_user
from console.cli.commands import Commands, add_group
from console.cli.security import database_path, fail
from console.security.audit import AuditLog
from console.security.guard import checked
from console.security.roles import Permission, UserSession
from console.store import plate_jobs
from console.store.local import LocalStore


def register(commands: Commands) -> None:
    plates = add_group(commands, "plates", "search alerts by number plate; the plate watch-list")
    search = plates.add_parser("search", help="alerts whose plate contains TEXT")
    search.add_argument("text", metavar="TEXT", help='part of a plate, e.g. "30e123" or 29-B1')
    search.add_argument("--limit", type=int, default=200)
    search.add_argument("--json", dest="as_json", action="store_true", help="one JSON document")
    watch = plates.add_parser("watch", help="raise a priority alert whenever PLATE is read")
    watch.add_argument("plate", metavar="PLATE")
    watch.add_argument("--reason", required=True, help="why (reported stolen, case number)")
    unwatch = plates.add_parser("unwatch", help="take PLATE off the watch-list")
    unwatch.add_argument("plate", metavar="PLATE")
    listing = plates.add_parser("watchlist", help="the plates on the watch-list")
    for parser, what, handler in (
        (search, "searching (needs view_evidence)", run_search),
        (watch, "adding (needs manage_watchlist)", run_watch),
        (unwatch, "removing (needs manage_watchlist)", run_unwatch),
        (listing, "reading the list (needs view_live)", run_watchlist),
    ):
        add_user_argument(parser, what)
        parser.add_argument("--db", type=Path, help="database file (default: this console's)")
        parser.set_defaults(handler=handler)


def run_search(args: argparse.Namespace) -> int:
    def search(store: LocalStore, audit: AuditLog, session: UserSession) -> int:
        found = search_plates(session, store, audit, args.text, args.limit)
        rows = [
            {
                "alert_id": str(alert.id),
                "created_at": alert.created_at.isoformat(),
                "camera_id": alert.camera_id,
                "type": alert.type.value,
                "status": alert.status.value,
                "plate": alert.plate.text if alert.plate else None,
                "plate_colour": alert.plate.colour.value if alert.plate else None,
                "plate_source": alert.plate.source.value if alert.plate else None,
            }
            for alert in found
        ]
        if args.as_json:
            print(json.dumps({"query": args.text, "alerts": rows}, ensure_ascii=False))
        else:
            for row in rows:
                print(
                    f"{row['created_at']}  {row['plate']:<14} {row['camera_id']:<24} "
                    f"{row['type']:<16} {row['status']:<14} {row['alert_id']}"
                )
            print(f"{len(rows)} alert(s) with a plate containing '{args.text}'")
        return 0

    return run_as_user(database_path(args), args.user, search)


def run_watch(args: argparse.Namespace) -> int:
    def watch(store: LocalStore, audit: AuditLog, session: UserSession) -> int:
        try:
            key = watch_plate(session, store, audit, args.plate, args.reason).result(30)
        except ValueError as exc:
            return fail(str(exc))
        print(f"{args.plate} ({key}) is on the watch-list: {args.reason}")
        return 0

    return run_as_user(database_path(args), args.user, watch)


def run_unwatch(args: argparse.Namespace) -> int:
    def unwatch(store: LocalStore, audit: AuditLog, session: UserSession) -> int:
        if not unwatch_plate(session, store, audit, args.plate).result(30):
            return fail(f"{args.plate} is not on the watch-list")
        print(f"{args.plate} is off the watch-list")
        return 0

    return run_as_user(database_path(args), args.user, unwatch)


def run_watchlist(args: argparse.Namespace) -> int:
    def listing(store: LocalStore, audit: AuditLog, session: UserSession) -> int:
        checked(session, Permission.VIEW_LIVE, audit, "read the watch-list")
        with store.session() as reads:
            watched = plate_jobs.watchlist(reads)
        for entry in watched:
            added = f"{entry.added_at:%Y-%m-%d %H:%M}"
            print(f"{entry.text:<14} {added} {entry.added_by:<12} {entry.reason}")
        print(f"{len(watched)} plate(s) on the watch-list")
        return 0

    return run_as_user(database_path(args), args.user, listing)
