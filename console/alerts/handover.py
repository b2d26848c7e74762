"""Shift handover report: what the next operator must know (no Qt; the UI renders it).

Contents: alerts of the shift by type and state, alerts still open with their notes,
camera outages, and the operator's free text. Saved as JSON in the data folder
(``handover/<UTC time>.json``); the next console start shows the newest one.
"""

from __future__ import annotations

import json
import uuid
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from datetime import datetime
from pathlib import Path

from console.alerts.outages import Outage, OutageLog
from console.atomic_files import write_text_atomic
from console.domain.records import Alert, AlertAction

__all__ = ["HandoverReport", "Outage", "OutageLog", "build_report", "latest_report", "save_report"]


@dataclass(frozen=True, slots=True)
class NoteLine:
    at: datetime
    actor: str
    text: str


@dataclass(frozen=True, slots=True)
class OpenAlertSummary:
    alert_id: str
    type: str
    priority: str
    status: str
    camera_id: str
    created_at: datetime
    message: str
    unit: str | None = None
    notes: tuple[NoteLine, ...] = ()


@dataclass(frozen=True, slots=True)
class HandoverReport:
    author: str
    created_at: datetime
    shift_start: datetime
    counts: tuple[tuple[str, str, int], ...]  # (alert type, status, number)
    open_alerts: tuple[OpenAlertSummary, ...]
    outages: tuple[Outage, ...]
    notes: str = ""
    site_id: str = ""
    training: bool = False
    extra: Mapping[str, str] = field(default_factory=dict)

    def count(self, alert_type: str, status: str) -> int:
        return sum(n for t, s, n in self.counts if t == alert_type and s == status)


def build_report(
    *,
    alerts: Iterable[Alert],
    histories: Mapping[uuid.UUID, Sequence[AlertAction]],
    outages: Iterable[Outage],
    author: str,
    shift_start: datetime,
    now: datetime,
    notes: str = "",
    site_id: str = "",
    training: bool = False,
) -> HandoverReport:
    """The report for alerts raised since ``shift_start`` plus every alert still open."""
    alerts = list(alerts)
    of_shift = [a for a in alerts if a.created_at >= shift_start]
    counts = Counter((a.type.value, a.status.value) for a in of_shift)
    still_open = sorted(
        (a for a in alerts if not a.status.is_terminal),
        key=lambda a: (a.priority.rank, a.created_at),
    )
    summaries = tuple(
        OpenAlertSummary(
            alert_id=str(a.id),
            type=a.type.value,
            priority=a.priority.value,
            status=a.status.value,
            camera_id=a.camera_id,
            created_at=a.created_at,
            message=a.event.message,
            unit=a.assigned_unit,
            notes=tuple(
                NoteLine(action.at, action.actor, action.note)
                for action in histories.get(a.id, ())
                if action.note
            ),
        )
        for a in still_open
    )
    return HandoverReport(
        author=author,
        created_at=now,
        shift_start=shift_start,
        counts=tuple(sorted((t, s, n) for (t, s), n in counts.items())),
        open_alerts=summaries,
        outages=tuple(outages),
        notes=notes.strip(),
        site_id=site_id,
        training=training,
    )


def _encode(value: object) -> object:
    if isinstance(value, datetime):
        return value.isoformat()
    raise TypeError(f"cannot store {type(value).__name__} in a handover report")


def _time(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


def report_to_json(report: HandoverReport) -> str:
    return json.dumps(asdict(report), default=_encode, ensure_ascii=False, indent=1)


def report_from_json(text: str) -> HandoverReport:
    data = json.loads(text)
    return HandoverReport(
        author=data["author"],
        created_at=datetime.fromisoformat(data["created_at"]),
        shift_start=datetime.fromisoformat(data["shift_start"]),
        counts=tuple((str(t), str(s), int(n)) for t, s, n in data["counts"]),
        open_alerts=tuple(
            OpenAlertSummary(
                **{
                    **item,
                    "created_at": datetime.fromisoformat(item["created_at"]),
                    "notes": tuple(
                        NoteLine(datetime.fromisoformat(n["at"]), n["actor"], n["text"])
                        for n in item["notes"]
                    ),
                }
            )
            for item in data["open_alerts"]
        ),
        outages=tuple(
            Outage(
                o["camera_id"],
                o["state"],
                o["reason"],
                datetime.fromisoformat(o["started_at"]),
                _time(o["ended_at"]),
            )
            for o in data["outages"]
        ),
        notes=data.get("notes", ""),
        site_id=data.get("site_id", ""),
        training=bool(data.get("training", False)),
        extra=dict(data.get("extra", {})),
    )


def save_report(folder: Path, report: HandoverReport) -> Path:
    """Write atomically as ``<folder>/<UTC time>.json``; returns the path."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{report.created_at.strftime('%Y%m%dT%H%M%S%fZ')}.json"
    write_text_atomic(path, report_to_json(report))
    return path


def latest_report(folder: Path) -> HandoverReport | None:
    """The newest readable report in ``folder`` (damaged files are skipped)."""
    for path in sorted(folder.glob("*.json"), reverse=True):
        try:
            return report_from_json(path.read_text(encoding="utf-8"))
        except (OSError, ValueError, KeyError, TypeError):
            continue
    return None
