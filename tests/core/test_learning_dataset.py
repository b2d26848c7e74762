"""Operators' decisions become a YOLO dataset: confirmed boxes kept, false positives dropped."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path

from console.detect.learning_dataset import export_dataset
from console.domain.records import AlertStatus
from console.evidence.writer import EvidenceFiles, EvidenceWriter
from console.store.local import LocalStore
from console.store.sink import StoreSink
from tests.core.test_alerting import feed_stopped_car, service


def alert_with_evidence(tmp_path: Path, store: LocalStore, decision: AlertStatus) -> str:
    alerts = service()
    alerts.sink = StoreSink(store)
    writer = EvidenceWriter(EvidenceFiles(tmp_path / "evidence"), after_s=0.0)
    writer.start()
    alerts.evidence = writer
    done = threading.Event()
    alerts.evidence_listeners.append(lambda alert, refs: done.set())
    feed_stopped_car(alerts)
    assert done.wait(20)
    writer.stop()
    writer.join(5)
    [alert] = alerts.open_alerts()
    if decision is AlertStatus.FALSE_POSITIVE:
        alerts.act(alert.id, decision, actor="op1", note="bóng cây, không có xe")
    else:
        alerts.act(alert.id, AlertStatus.ACKNOWLEDGED, actor="op1")
        alerts.act(alert.id, AlertStatus.RESOLVED, actor="op1", note="xe đã rời đi")
    return str(alert.id)


def test_confirmed_and_false_positive_alerts_are_exported_with_the_right_labels(
    tmp_path: Path,
) -> None:
    store = LocalStore.open(tmp_path / "local.sqlite3")
    try:
        confirmed_id = alert_with_evidence(tmp_path, store, AlertStatus.RESOLVED)
        false_id = alert_with_evidence(tmp_path, store, AlertStatus.FALSE_POSITIVE)
        store.writer.close()
        out = tmp_path / "dataset"
        summary = export_dataset(store, datetime.now(UTC) - timedelta(days=1), out)
    finally:
        store.close()
    assert (summary.confirmed, summary.false_positives, summary.skipped) == (1, 1, 0)
    confirmed_labels = next((out / "labels" / "train").glob(f"*{confirmed_id}.txt")).read_text()
    false_labels = next((out / "labels" / "train").glob(f"*{false_id}.txt")).read_text()
    assert confirmed_labels.startswith("2 ")  # the car (COCO id 2) stays labelled
    assert false_labels == ""  # the only box was the false alarm: the frame is background
    assert (out / "images" / "train").is_dir() and len(
        list((out / "images" / "train").iterdir())
    ) == 2
    assert "names:" in (out / "data.yaml").read_text()
    assert "false_positive" in (out / "decisions.csv").read_text()
