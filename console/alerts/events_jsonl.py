"""``--events-jsonl``: one JSON object per alert, written once its evidence files exist."""

from __future__ import annotations

import json
import threading
from pathlib import Path
from typing import Any, TextIO

from console.domain.records import Alert, EvidenceRef


def alert_json(alert: Alert, refs: tuple[EvidenceRef, ...]) -> dict[str, Any]:
    event = alert.event
    evidence = {ref.kind: str(Path(ref.path).resolve()) for ref in refs}
    return {
        "id": str(alert.id),
        "type": event.type.value,
        "camera_id": event.camera_id,
        "started_at": event.started_at.isoformat(),
        "ended_at": event.ended_at.isoformat(),
        "severity": alert.priority.value,
        "track_id": event.track_id,
        "class": event.class_name,
        "message": event.message,
        "values": dict(event.values),
        "evidence": {kind: evidence.get(kind) for kind in ("snapshot", "crop", "clip", "metadata")},
    }


class EventsJsonl:
    """Appends lines to a file; flushed per line so a tail -f sees each alert at once."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self._file: TextIO = path.open("a", encoding="utf-8")
        self._lock = threading.Lock()
        self.written = 0

    def __call__(self, alert: Alert, refs: tuple[EvidenceRef, ...]) -> None:
        line = json.dumps(alert_json(alert, refs), ensure_ascii=False)
        with self._lock:
            self._file.write(line + "\n")
            self._file.flush()
            self.written += 1

    def close(self) -> None:
        with self._lock:
            self._file.close()
