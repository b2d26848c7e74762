"""Small factories shared by the store and sync tests (this module holds no tests)."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime, timedelta
from pathlib import Path

from console.domain.records import (
    Alert,
    AlertType,
    Event,
    EvidenceRef,
    Severity,
    frozen_values,
)

T0 = datetime(2026, 5, 1, 8, 0, tzinfo=UTC)


def make_event(camera_id: str = "ql1-km1510", at: datetime = T0, **changes: object) -> Event:
    values = {
        "type": AlertType.WRONG_WAY,
        "camera_id": camera_id,
        "started_at": at,
        "ended_at": at + timedelta(seconds=2),
        "severity": Severity.HIGH,
        "track_id": 7,
        "class_name": "car",
        "box_xyxy": (10.0, 20.0, 110.0, 220.0),
        "values": frozen_values({"speed_kmh": 42.5, "lane": "2"}),
        "rule_id": "ww-1",
        "message": "xe đi ngược chiều",
    }
    values.update(changes)
    return Event(**values)  # type: ignore[arg-type]


def write_evidence(folder: Path, content: bytes, kind: str = "snapshot") -> EvidenceRef:
    digest = hashlib.sha256(content).hexdigest()
    path = folder / f"{digest}.bin"
    path.write_bytes(content)
    return EvidenceRef(kind=kind, sha256=digest, path=str(path), size_bytes=len(content))


def make_alert(
    camera_id: str = "ql1-km1510",
    at: datetime = T0,
    evidence: tuple[EvidenceRef, ...] = (),
    **changes: object,
) -> Alert:
    return Alert(
        event=make_event(camera_id, at),
        priority=Severity.CRITICAL,
        created_at=at,
        updated_at=at,
        evidence=evidence,
        **changes,  # type: ignore[arg-type]
    )
