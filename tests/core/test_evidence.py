from __future__ import annotations

import hashlib
import json
import threading
import time
from datetime import UTC, datetime
from pathlib import Path

import cv2
import numpy as np

from console.domain.records import Alert, AlertType, Event, EvidenceRef, Severity, frozen_values
from console.evidence.writer import EvidenceFiles, EvidenceRequest, EvidenceWriter
from console.sources.base import Frame
from console.sources.buffers import FrameRing
from tests.conftest import load_demo_site


def make_request(ring: FrameRing, frame: Frame) -> EvidenceRequest:
    site = load_demo_site()
    camera = site.cameras[0]
    moment = datetime.fromtimestamp(frame.captured_epoch, UTC)
    event = Event(
        AlertType.STOPPED_VEHICLE,
        camera.id,
        moment,
        moment,
        Severity.HIGH,
        track_id=4,
        class_name="truck",
        box_xyxy=(600.0, 300.0, 700.0, 380.0),
        values=frozen_values({"stopped_s": 21.5}),
        rule_id="r1",
        message="stopped",
    )
    return EvidenceRequest(
        Alert(event=event, priority=Severity.HIGH),
        camera,
        "Quốc lộ 1",
        "Asia/Ho_Chi_Minh",
        frame,
        event.box_xyxy,
        [(650, 380), (652, 381)],
        ring,
        "demo-model",
        "stopped_vehicle",
    )


def frames(count: int, start_mono: float, fps: float = 10.0) -> list[Frame]:
    out = []
    for i in range(count):
        image = np.full((720, 1280, 3), 60, np.uint8)
        cv2.rectangle(image, (600 + i, 300), (700 + i, 380), (0, 0, 255), -1)
        out.append(Frame(image, i, start_mono + i / fps, 1_800_000_000 + i / fps))
    return out


def test_content_addressed_store_is_idempotent_and_verifiable(tmp_path: Path) -> None:
    files = EvidenceFiles(tmp_path)
    first = files.put(b"evidence bytes", "snapshot", "jpg")
    again = files.put(b"evidence bytes", "snapshot", "jpg")
    assert first == again
    assert first.sha256 == hashlib.sha256(b"evidence bytes").hexdigest()
    assert Path(first.path).name == f"{first.sha256}.jpg"
    assert files.verify(first)
    Path(first.path).write_bytes(b"tampered")
    assert not files.verify(first)


def test_writer_produces_snapshot_crop_clip_and_metadata(tmp_path: Path) -> None:
    ring = FrameRing(seconds=20, max_bytes=10**9, fps=0)
    clip_frames = frames(100, 1000.0)  # 10 s at 10 fps
    for frame in clip_frames:
        ring.add(frame)
    request = make_request(ring, clip_frames[50])  # the alert fired in the middle
    writer = EvidenceWriter(EvidenceFiles(tmp_path), after_s=0.0)
    writer.start()
    done = threading.Event()
    results: list[tuple[EvidenceRef, ...]] = []
    writer.submit(request, lambda alert, refs: (results.append(refs), done.set()))
    assert done.wait(30)
    writer.stop()
    writer.join(5)
    refs = {r.kind: r for r in results[0]}
    assert set(refs) == {"snapshot", "frame", "crop", "clip", "metadata"}
    for ref in refs.values():
        assert Path(ref.path).exists()
        assert hashlib.sha256(Path(ref.path).read_bytes()).hexdigest() == ref.sha256
    clip = cv2.VideoCapture(refs["clip"].path)
    assert 40 <= int(clip.get(cv2.CAP_PROP_FRAME_COUNT)) <= 60  # 5 s before, 0 s after at 10 fps
    clip.release()
    crop = cv2.imread(refs["crop"].path)
    assert min(crop.shape[:2]) >= 160
    meta = json.loads(Path(refs["metadata"].path).read_text())
    assert meta["place"]["route"] == "QL1" and meta["place"]["km"] == request.camera.km
    assert meta["time"]["started_utc"].endswith("+00:00")
    assert meta["time"]["started_local"].endswith("+07:00")
    assert meta["violation"]["values"] == {"stopped_s": 21.5}
    assert {f["kind"] for f in meta["files"]} == {"snapshot", "frame", "crop", "clip"}


def test_submit_never_blocks_and_counts_drops(tmp_path: Path) -> None:
    ring = FrameRing(seconds=5, fps=0)
    frame = frames(1, 0.0)[0]
    ring.add(frame)
    writer = EvidenceWriter(EvidenceFiles(tmp_path), max_pending=1, after_s=60)  # not started
    first, second = make_request(ring, frame), make_request(ring, frame)
    started = time.monotonic()
    assert writer.submit(first, lambda a, r: None)
    assert not writer.submit(second, lambda a, r: None)
    assert time.monotonic() - started < 0.1
    assert writer.dropped == 1
