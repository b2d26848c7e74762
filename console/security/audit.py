"""The audit trail: who did what, when, from which console; hash-chained and verifiable.

Entries are appended through the local store's single writer, which links each one to the
entry stored before it (:mod:`console.store.audit_chain`). :func:`verify_database` walks
the chain in storage order and names every entry that was edited, removed or moved.

What the chain cannot see on its own: the newest entries cut off together (nothing follows
them to notice). The count and head hash printed by ``roadwatch audit verify`` and the copy
already synced to central storage are the anchors for that; see docs/SECURITY.md.
"""

from __future__ import annotations

import logging
import socket
from collections.abc import Mapping
from concurrent.futures import Future
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any, Protocol

from sqlalchemy import create_engine, inspect, select
from sqlalchemy.exc import DatabaseError

from console.config.secrets import redact
from console.domain.records import Alert, AlertAction, utc_now
from console.store.audit_chain import GENESIS_HASH, STORAGE_ORDER, entry_hash
from console.store.models import AUDIT
from console.store.records import AuditEntry

log = logging.getLogger(__name__)


class AuditAction(StrEnum):
    """The kinds of audit entries this package writes (the store adds ``*.pruned``)."""

    LOGIN = "login"
    LOGIN_FAILED = "login.failed"
    LOGOUT = "logout"
    SESSION_LOCKED = "session.locked"
    SESSION_UNLOCKED = "session.unlocked"
    PERMISSION_DENIED = "permission.denied"
    ALERT_ACTION = "alert.action"
    ALERT_NOTE = "alert.note"
    EVIDENCE_VIEW = "evidence.view"
    EVIDENCE_EXPORT = "evidence.export"
    PLAYBACK = "playback"
    CONFIG_CHANGE = "config.change"
    USER_CREATED = "user.created"
    USER_CHANGED = "user.changed"
    DELETION = "deletion"
    LEGAL_HOLD_SET = "legal_hold.set"
    LEGAL_HOLD_LIFTED = "legal_hold.lifted"
    AUDIT_READ = "audit.read"
    AUDIT_VERIFY = "audit.verify"
    TRAINING_SCENARIO = "training.scenario"


class AuditWriter(Protocol):
    def append_audit(self, entry: AuditEntry) -> Future[None]: ...


class HasWriter(Protocol):
    @property
    def writer(self) -> AuditWriter: ...


class AlertChanges(Protocol):
    """What :meth:`AuditLog.watch_alerts` needs of an AlertService."""

    @property
    def change_listeners(self) -> list[Any]: ...


class AuditLog:
    """Appends audit entries for one console; details are redacted of secrets first."""

    def __init__(self, store: HasWriter, console_id: str | None = None) -> None:
        self.store = store
        self.console_id = console_id if console_id is not None else socket.gethostname()

    def record(
        self, user: str, action: str, details: Mapping[str, Any] | None = None
    ) -> Future[None]:
        """Queue an entry; the future completes once it is committed (chained) to SQLite."""
        entry = AuditEntry(
            at=utc_now(),
            user=user,
            action=str(action),
            details=AuditEntry.details_of(_redacted(details or {})),
            console_id=self.console_id,
        )
        return self.store.writer.append_audit(entry)

    def record_and_wait(
        self, user: str, action: str, details: Mapping[str, Any] | None = None
    ) -> None:
        """Record and wait for the commit: for actions that must not happen unaudited."""
        self.record(user, action, details).result(timeout=30)

    def watch_alerts(self, service: AlertChanges) -> None:
        """Audit every status change and note the alert service applies, whoever made it."""
        service.change_listeners.append(self.on_alert_change)

    def on_alert_change(self, alert: Alert, action: AlertAction) -> None:
        is_note = action.action == "note"
        details: dict[str, Any] = {"alert_id": str(alert.id), "camera_id": alert.camera_id}
        if is_note:
            details["note"] = action.note
        else:
            details.update(to=action.action, note=action.note, unit=action.unit)
        if alert.training:
            details["training"] = True
        kind = AuditAction.ALERT_NOTE if is_note else AuditAction.ALERT_ACTION
        self.record(action.actor, kind, details)


def _redacted(details: Mapping[str, Any]) -> dict[str, Any]:
    def clean(value: Any) -> Any:
        if isinstance(value, str):
            return redact(value)
        if isinstance(value, Mapping):
            return {str(k): clean(v) for k, v in value.items()}
        if isinstance(value, list | tuple):
            return [clean(v) for v in value]
        return value

    return {str(key): clean(value) for key, value in details.items()}


# ---- verification ------------------------------------------------------------------------


class AuditDatabaseError(RuntimeError):
    """The file cannot be read as a RoadWatch database."""


@dataclass(frozen=True, slots=True)
class StoredEntry:
    """An audit entry and its 1-based position in storage order."""

    position: int
    entry: AuditEntry

    @property
    def label(self) -> str:
        entry = self.entry
        return f"entry #{self.position} ({entry.id}, {entry.action} by '{entry.user}')"


@dataclass(frozen=True, slots=True)
class ChainProblem:
    position: int
    entry_id: str
    kind: str  # edited | removed | reordered
    message: str


@dataclass(frozen=True, slots=True)
class ChainReport:
    entries: int
    head_hash: str
    problems: tuple[ChainProblem, ...]

    @property
    def intact(self) -> bool:
        return not self.problems


def verify_entries(stored: list[StoredEntry]) -> ChainReport:
    """Check each entry's own hash and its link to the entry stored before it."""
    by_hash = {item.entry.hash: item for item in stored if item.entry.hash}
    problems: list[ChainProblem] = []
    expected_prev = GENESIS_HASH
    previous: StoredEntry | None = None
    for item in stored:
        entry = item.entry
        computed = entry_hash(entry)
        if computed != entry.hash:
            problems.append(
                ChainProblem(
                    item.position,
                    str(entry.id),
                    "edited",
                    f"{item.label} was edited: its content no longer matches its hash "
                    f"(stored {entry.hash[:16]}..., computed {computed[:16]}...)",
                )
            )
        if entry.prev_hash != expected_prev:
            problems.append(_link_problem(item, previous, by_hash.get(entry.prev_hash)))
        expected_prev = entry.hash
        previous = item
    head = stored[-1].entry.hash if stored else GENESIS_HASH
    return ChainReport(len(stored), head, tuple(problems))


def _link_problem(
    item: StoredEntry, previous: StoredEntry | None, chained_after: StoredEntry | None
) -> ChainProblem:
    after = previous.label if previous is not None else "the start of the log"
    if chained_after is not None:
        return ChainProblem(
            item.position,
            str(item.entry.id),
            "reordered",
            f"{item.label} is out of order: it was written right after "
            f"{chained_after.label}, but is stored after {after}",
        )
    return ChainProblem(
        item.position,
        str(item.entry.id),
        "removed",
        f"the chain is broken before {item.label}: the entry it was written after is gone "
        f"(removed, or edited and re-hashed); it is stored after {after}",
    )


def read_entries(path: Path) -> list[StoredEntry]:
    """Every audit entry of a database file, in storage order; opens the file read-only."""
    if not path.is_file():
        raise AuditDatabaseError(f"{path}: no such database file")
    engine = create_engine(f"sqlite+pysqlite:///file:{path.resolve()}?mode=ro&uri=true")
    try:
        with engine.connect() as connection:
            if not inspect(connection).has_table(AUDIT.name):
                raise AuditDatabaseError(f"{path}: not a RoadWatch database (no audit table)")
            rows = connection.execute(select(AUDIT).order_by(STORAGE_ORDER)).mappings().all()
    except DatabaseError as exc:
        raise AuditDatabaseError(f"{path}: cannot read the database ({exc.orig})") from exc
    finally:
        engine.dispose()
    return [
        StoredEntry(
            position,
            AuditEntry(
                at=row["at"],
                user=row["user"],
                action=row["action"],
                details=AuditEntry.details_of(row["details"] or {}),
                console_id=row["console_id"],
                prev_hash=row["prev_hash"],
                hash=row["hash"],
                id=row["id"],
            ),
        )
        for position, row in enumerate(rows, start=1)
    ]


def verify_database(path: Path) -> ChainReport:
    """Verify the audit chain of the database file at ``path`` without changing it."""
    return verify_entries(read_entries(path))
