"""``roadwatch export-dataset``: operators' decisions as a YOLO dataset, exported by a person.

The frames are evidence: the command logs the user in (console/cli/acting.py) and the core
checks ``export_evidence`` and audits the export (console/evidence/dataset_export.py).
"""

from __future__ import annotations

import argparse
from datetime import UTC, date, datetime
from pathlib import Path

from console.cli.acting import add_user_argument, run_as_user
from console.cli.commands import Commands
from console.evidence.dataset_export import export_training_dataset
from console.paths import data_dir
from console.security.audit import AuditLog
from console.security.roles import UserSession
from console.store.local import LocalStore, default_store_path


def register(commands: Commands) -> None:
    parser = commands.add_parser(
        "export-dataset", help="export operator-labelled alert frames as a YOLO dataset"
    )
    parser.add_argument("--since", type=date.fromisoformat, required=True, help="YYYY-MM-DD (UTC)")
    parser.add_argument("--out", type=Path, required=True, help="dataset folder to create")
    parser.add_argument("--db", type=Path, default=None, help="local database (default: user data)")
    add_user_argument(parser, "exporting (needs export_evidence)")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    database = args.db or default_store_path(data_dir())
    since = datetime.combine(args.since, datetime.min.time(), UTC)

    def export(store: LocalStore, audit: AuditLog, session: UserSession) -> int:
        summary = export_training_dataset(session, audit, store, since, args.out)
        print(
            f"{args.out}: {summary.images} images ({summary.confirmed} confirmed, "
            f"{summary.false_positives} false positives, {summary.skipped} without a frame)"
        )
        return 0

    return run_as_user(database, args.user, export)
