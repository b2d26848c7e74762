"""Conversions between domain records and table rows (plain dicts, for Core statements)."""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from console.domain.plates import PlateColour, PlateRead, PlateSource
from console.domain.records import (
    Alert,
    AlertAction,
    AlertStatus,
    AlertType,
    Event,
    EvidenceRef,
    Severity,
    frozen_values,
)
from console.store.records import AuditEntry, HealthIncident, TrafficCount

Row = Mapping[Any, Any]  # also accepts SQLAlchemy RowMapping


def event_to_row(event: Event) -> dict[str, Any]:
    return {
        "id": event.id,
        "type": event.type.value,
        "camera_id": event.camera_id,
        "started_at": event.started_at,
        "ended_at": event.ended_at,
        "severity": event.severity.value,
        "track_id": event.track_id,
        "class_name": event.class_name,
        "box_xyxy": list(event.box_xyxy) if event.box_xyxy is not None else None,
        "values": dict(event.values),
        "rule_id": event.rule_id,
        "message": event.message,
    }


def alert_to_row(alert: Alert, origin_console: str) -> dict[str, Any]:
    return {
        "id": alert.id,
        "event_id": alert.event.id,
        "camera_id": alert.camera_id,
        "type": alert.type.value,
        "priority": alert.priority.value,
        "status": alert.status.value,
        "created_status": alert.status.value,
        "created_at": alert.created_at,
        "updated_at": alert.updated_at,
        "assigned_unit": alert.assigned_unit,
        "training": alert.training,
        "origin_console": origin_console,
    }


def evidence_to_rows(alert: Alert) -> list[dict[str, Any]]:
    return [
        {
            "id": uuid.uuid5(alert.id, f"{position}:{ref.sha256}"),  # stable across retries
            "alert_id": alert.id,
            "position": position,
            "kind": ref.kind,
            "sha256": ref.sha256,
            "size_bytes": ref.size_bytes,
            "local_path": ref.path or None,
            "central_state": "pending",
            "legal_hold": False,
            "created_at": alert.created_at,
            "pruned_at": None,
        }
        for position, ref in enumerate(alert.evidence)
    ]


def action_to_row(action: AlertAction) -> dict[str, Any]:
    return {
        "id": action.id,
        "alert_id": action.alert_id,
        "action": action.action,
        "actor": action.actor,
        "at": action.at,
        "note": action.note,
        "console_id": action.console_id,
        "unit": action.unit,
        "superseded": False,
        "conflict_reason": "",
    }


def count_to_row(count: TrafficCount) -> dict[str, Any]:
    return {
        "id": count.id,
        "camera_id": count.camera_id,
        "class_name": count.class_name,
        "lane": count.lane,
        "line_id": count.line_id,
        "direction": count.direction,
        "minute": count.minute.replace(second=0, microsecond=0),
        "count": count.count,
    }


def health_to_row(incident: HealthIncident) -> dict[str, Any]:
    return {
        "id": incident.id,
        "camera_id": incident.camera_id,
        "state": incident.state,
        "reason": incident.reason,
        "started_at": incident.started_at,
        "ended_at": incident.ended_at,
    }


def audit_to_row(entry: AuditEntry) -> dict[str, Any]:
    return {
        "id": entry.id,
        "at": entry.at,
        "user": entry.user,
        "console_id": entry.console_id,
        "action": entry.action,
        "details": dict(entry.details),
        "prev_hash": entry.prev_hash,
        "hash": entry.hash,
    }


def event_from_row(row: Row) -> Event:
    box = row["box_xyxy"]
    return Event(
        type=AlertType(row["type"]),
        camera_id=row["camera_id"],
        started_at=row["started_at"],
        ended_at=row["ended_at"],
        severity=Severity(row["severity"]),
        track_id=row["track_id"],
        class_name=row["class_name"],
        box_xyxy=(box[0], box[1], box[2], box[3]) if box is not None else None,
        values=frozen_values(row["values"]),
        rule_id=row["rule_id"],
        message=row["message"],
        id=row["id"],
    )


def evidence_from_row(row: Row) -> EvidenceRef:
    return EvidenceRef(
        kind=row["kind"],
        sha256=row["sha256"],
        path=row["local_path"] or "",
        size_bytes=row["size_bytes"],
    )


def alert_from_rows(alert: Row, event: Row, evidence: Sequence[Row]) -> Alert:
    return Alert(
        event=event_from_row(event),
        priority=Severity(alert["priority"]),
        status=AlertStatus(alert["status"]),
        created_at=alert["created_at"],
        updated_at=alert["updated_at"],
        assigned_unit=alert["assigned_unit"],
        evidence=tuple(evidence_from_row(e) for e in sorted(evidence, key=_position)),
        training=alert["training"],
        id=alert["id"],
    )


def _position(row: Row) -> int:
    position: int = row["position"]
    return position


def action_from_row(row: Row) -> AlertAction:
    return AlertAction(
        alert_id=row["alert_id"],
        action=row["action"],
        actor=row["actor"],
        at=row["at"],
        note=row["note"],
        console_id=row["console_id"],
        unit=row["unit"],
        id=row["id"],
    )


def count_from_row(row: Row) -> TrafficCount:
    return TrafficCount(
        camera_id=row["camera_id"],
        class_name=row["class_name"],
        minute=row["minute"],
        count=row["count"],
        lane=row["lane"],
        line_id=row["line_id"],
        direction=row["direction"],
        id=row["id"],
    )


def plate_to_row(alert_id: uuid.UUID, plate: PlateRead, actor: str, at: datetime) -> dict[str, Any]:
    return {
        "alert_id": alert_id,
        "text": plate.text,
        "key": plate.key,
        "colour": plate.colour.value,
        "confidence": plate.confidence,
        "lines": plate.lines,
        "valid": plate.valid,
        "source": plate.source.value,
        "frames": plate.frames,
        "updated_at": at,
        "updated_by": actor,
    }


def plate_from_row(row: Any) -> PlateRead:
    return PlateRead(
        text=row["text"],
        colour=PlateColour(row["colour"]),
        confidence=row["confidence"],
        lines=row["lines"],
        valid=row["valid"],
        source=PlateSource(row["source"]),
        frames=row["frames"],
    )
