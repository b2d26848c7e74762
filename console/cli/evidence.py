"""``roadwatch evidence export | hold | release | verify | public-key``, headless.

``export`` writes signed case packages; ``hold`` and ``release`` put an alert's evidence on
legal hold or lift it. Those three act as a logged-in user (console/cli/acting.py).
"""

from __future__ import annotations

import argparse
import sys
import uuid
from datetime import datetime
from functools import partial
from pathlib import Path
from typing import Any

from console.cli.acting import add_user_argument, run_as_user
from console.cli.commands import Commands, add_group
from console.config.site_file import ConfigError, load_site
from console.domain.records import Alert
from console.evidence.case_export import CaseExporter, ExportError, package_path
from console.evidence.case_verify import PackageError, verify_package
from console.evidence.legal_hold import NoEvidenceError, UnknownAlertError, set_legal_hold
from console.paths import data_dir
from console.security.audit import AuditLog
from console.security.roles import UserSession
from console.security.site_key import (
    SiteKeyError,
    fingerprint,
    key_path,
    load_or_create_site_key,
    load_public_pem,
    public_pem,
)
from console.store import queries
from console.store.local import LocalStore

MAX_RANGE_ALERTS = 1000


def register(commands: Commands) -> None:
    evidence = add_group(commands, "evidence", "export and verify signed case packages")
    export = evidence.add_parser("export", help="export alerts to a signed case package (ZIP)")
    export.add_argument("alert_ids", nargs="*", metavar="ALERT_ID")
    export.add_argument("--since", help="first alert time, ISO 8601 with zone (range export)")
    export.add_argument("--until", help="end of the range (exclusive), ISO 8601 with zone")
    target = export.add_mutually_exclusive_group(required=True)
    target.add_argument("--out", type=Path, help="package file to write (.zip)")
    target.add_argument("--name", help="package name, written into --dir")
    export.add_argument("--dir", type=Path, default=Path("."), help="folder for --name")
    add_user_argument(export, "exporting")
    export.add_argument("--db", type=Path, help="database file (default: this console's)")
    export.add_argument("--site", dest="export_site", type=Path, help="site file (time zone)")
    export.set_defaults(handler=run_export)

    for name, held, help_text in (
        ("hold", True, "put an alert's evidence on legal hold (kept from pruning and deletion)"),
        ("release", False, "lift the legal hold on an alert's evidence"),
    ):
        command = evidence.add_parser(name, help=help_text)
        command.add_argument("alert_id", metavar="ALERT_ID")
        add_user_argument(command, "deciding (needs set_legal_hold)")
        command.add_argument("--db", type=Path, help="database file (default: this console's)")
        command.set_defaults(handler=partial(run_hold, held=held))

    verify = evidence.add_parser("verify", help="check a package's hashes and signature")
    verify.add_argument("package", type=Path)
    verify.add_argument("--public-key", type=Path, help="the site's published key (PEM) to trust")
    verify.set_defaults(handler=run_verify)

    key = evidence.add_parser("public-key", help="print this site's package-signing public key")
    key.set_defaults(handler=run_public_key)


def _time(text: str | None) -> datetime | None:
    if text is None:
        return None
    moment = datetime.fromisoformat(text)
    if moment.tzinfo is None:
        raise ValueError(f"{text!r} has no time zone; write e.g. {text}+07:00")
    return moment


def _alerts(args: argparse.Namespace, store: Any) -> list[Alert]:
    since, until = _time(args.since), _time(args.until)
    with store.session() as session:
        alerts = []
        for text in args.alert_ids:
            alert = queries.get_alert(session, uuid.UUID(text))
            if alert is None:
                raise ExportError(f"no alert {text} in {store.path}")
            alerts.append(alert)
        if since is not None or until is not None:
            found = queries.list_alerts(session, since=since, until=until, limit=MAX_RANGE_ALERTS)
            alerts += [alert for alert in reversed(found) if alert not in alerts]
    if not alerts:
        raise ExportError("no alerts selected: give ALERT_ID(s) or --since/--until")
    return alerts


def run_export(args: argparse.Namespace) -> int:
    from console.cli.security import database_path, fail

    try:
        out = package_path(args.dir, args.name) if args.name else args.out
        timezone = load_site(args.export_site).site.timezone if args.export_site else None
    except (ExportError, ConfigError) as exc:
        return fail(str(exc))

    def export(store: LocalStore, audit: AuditLog, session: UserSession) -> int:
        try:
            alerts = _alerts(args, store)
            exporter = CaseExporter(load_or_create_site_key(data_dir()), store.console_id, audit)
            with store.session() as reads:
                result = exporter.export(
                    session,
                    alerts,
                    out,
                    history=lambda alert: queries.alert_history(reads, alert.id),
                    timezone=timezone,
                )
        except (ExportError, SiteKeyError) as exc:
            return fail(str(exc))
        except ValueError as exc:  # a malformed alert id or time
            return fail(f"invalid input: {exc}")
        print(
            f"{result.path}: {result.alerts} alert(s), {result.files} files, "
            f"SHA-256 {result.sha256}"
        )
        return 0

    return run_as_user(database_path(args), args.user, export)


def run_hold(args: argparse.Namespace, held: bool) -> int:
    from console.cli.security import database_path, fail

    try:
        alert_id = uuid.UUID(args.alert_id)
    except ValueError:
        return fail(f"invalid alert id {args.alert_id!r}: expected a UUID", 2)

    def hold(store: LocalStore, audit: AuditLog, session: UserSession) -> int:
        try:
            files = set_legal_hold(store, session, alert_id, held, audit).result(timeout=30)
        except (UnknownAlertError, NoEvidenceError) as exc:
            return fail(str(exc))
        if held:
            print(f"alert {alert_id}: {files} evidence file(s) on legal hold")
        else:
            print(f"alert {alert_id}: legal hold lifted from {files} evidence file(s)")
        return 0

    return run_as_user(database_path(args), args.user, hold)


def run_verify(args: argparse.Namespace) -> int:
    try:
        trusted = load_public_pem(args.public_key.read_bytes()) if args.public_key else None
        report = verify_package(args.package, trusted)
    except (OSError, SiteKeyError, PackageError) as exc:
        print(f"roadwatch: {exc}", file=sys.stderr)
        return 2
    print(f"{args.package}: {report.files_checked} files checked, signed by {report.signer}")
    if report.key_trusted is None:
        print("  no --public-key given: compare the signer with the key the site published")
    for problem in report.problems:
        print(f"  FAILED: {problem}")
    print("  VALID" if report.ok else "  NOT VALID")
    return 0 if report.ok else 1


def run_public_key(args: argparse.Namespace) -> int:
    try:
        key = load_or_create_site_key(data_dir()).public_key()
    except SiteKeyError as exc:
        print(f"roadwatch: {exc}", file=sys.stderr)
        return 1
    sys.stdout.write(public_pem(key).decode())
    print(f"fingerprint {fingerprint(key)}  (private key: {key_path(data_dir())})")
    return 0
