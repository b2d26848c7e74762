"""Operators' decisions as a YOLO dataset to fine-tune on (``roadwatch export-dataset``).

For every alert an operator confirmed (dispatched or resolved) or marked as a false
positive since a date, the unmarked frame is exported with the boxes the model saw in it.
A false positive's box is left out, so the fine-tuned model learns that spot is
background; a confirmed alert keeps its box. ``decisions.csv`` lists each image's alert.
The command (console/cli/dataset.py) goes through console/evidence/dataset_export.py,
which checks ``export_evidence`` and audits the export.
"""

from __future__ import annotations

import csv
import json
import shutil
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import cv2

from console.domain.classes import COCO_NAMES
from console.domain.records import Alert, AlertStatus
from console.store.local import LocalStore
from console.store.queries import list_alerts

CONFIRMED = (AlertStatus.DISPATCHED, AlertStatus.RESOLVED)


@dataclass(frozen=True, slots=True)
class ExportSummary:
    images: int
    confirmed: int
    false_positives: int
    skipped: int


def export_dataset(store: LocalStore, since: datetime, out: Path) -> ExportSummary:
    with store.session() as session:
        alerts = list_alerts(
            session, statuses=[*CONFIRMED, AlertStatus.FALSE_POSITIVE], since=since, limit=1_000_000
        )
    images = out / "images" / "train"
    labels = out / "labels" / "train"
    images.mkdir(parents=True, exist_ok=True)
    labels.mkdir(parents=True, exist_ok=True)
    confirmed = false_positives = skipped = 0
    with (out / "decisions.csv").open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["image", "alert_id", "type", "camera_id", "decision", "boxes"])
        for alert in alerts:
            lines = _label_lines(alert)
            frame = _evidence_path(alert, "frame")
            if lines is None or frame is None:
                skipped += 1
                continue
            stem = f"{alert.camera_id}-{alert.id}"
            shutil.copy(frame, images / f"{stem}.jpg")
            (labels / f"{stem}.txt").write_text("".join(f"{line}\n" for line in lines), "utf-8")
            decision = (
                "false_positive" if alert.status is AlertStatus.FALSE_POSITIVE else "confirmed"
            )
            confirmed += decision == "confirmed"
            false_positives += decision == "false_positive"
            writer.writerow(
                [f"{stem}.jpg", alert.id, alert.type.value, alert.camera_id, decision, len(lines)]
            )
    names = "\n".join(f"  {k}: {v}" for k, v in COCO_NAMES.items())
    (out / "data.yaml").write_text(
        f"path: {out.resolve()}\ntrain: images/train\nval: images/train\nnames:\n{names}\n", "utf-8"
    )
    return ExportSummary(confirmed + false_positives, confirmed, false_positives, skipped)


def _evidence_path(alert: Alert, kind: str) -> Path | None:
    for ref in alert.evidence:
        if ref.kind == kind and ref.path and Path(ref.path).exists():
            return Path(ref.path)
    return None


def _label_lines(alert: Alert) -> list[str] | None:
    """YOLO label lines for the alert's frame; None when its metadata is missing."""
    metadata_path = _evidence_path(alert, "metadata")
    frame_path = _evidence_path(alert, "frame")
    if metadata_path is None or frame_path is None:
        return None
    metadata: dict[str, Any] = json.loads(metadata_path.read_text(encoding="utf-8"))
    image = cv2.imread(str(frame_path))
    if image is None:
        return None
    height, width = image.shape[:2]
    alert_box = alert.event.box_xyxy
    lines = []
    for detection in metadata.get("frame_detections", []):
        box = detection["box_xyxy"]
        is_alert_box = alert_box is not None and all(
            abs(a - b) < 1.0 for a, b in zip(box, alert_box, strict=True)
        )
        if is_alert_box and alert.status is AlertStatus.FALSE_POSITIVE:
            continue  # the operator said nothing is there: teach the model background
        x1, y1, x2, y2 = box
        lines.append(
            f"{detection['class_id']} {(x1 + x2) / 2 / width:.6f} {(y1 + y2) / 2 / height:.6f} "
            f"{(x2 - x1) / width:.6f} {(y2 - y1) / height:.6f}"
        )
    return lines
