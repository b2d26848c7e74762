"""Plates on alerts: read from the evidence frames, stored, searched, corrected, watched."""

from __future__ import annotations

import json
import threading
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
from sqlalchemy import select

from console.domain.plates import PlateColour, PlateRead, PlateSource
from console.domain.records import Alert, AlertType, EvidenceRef, utc_now
from console.evidence.writer import EvidenceFiles, EvidenceRequest, EvidenceWriter
from console.plates.on_alert import AlertPlates, wants_plate
from console.plates.watchlist import WatchlistMonitor
from console.sources.base import Frame
from console.sources.buffers import FrameRing
from console.store import plate_jobs, queries
from console.store.local import LocalStore
from console.store.models import AUDIT, OUTBOX
from console.store.sink import StoreSink
from tests.conftest import require
from tests.core.plate_images import FONT, drawn_plate
from tests.core.test_evidence import make_request
from tests.core.test_store_support import make_alert

PLATE = PlateRead("30E-123.45", PlateColour.WHITE, 0.93, 1, True)


def vehicle_frames(count: int, start_mono: float, plate: list[str]) -> list[Frame]:
    """A grey road with a 'vehicle' carrying a drawn plate, driving right 4 px a frame."""
    vehicle = drawn_plate(plate, size=30)
    frames = []
    for i in range(count):
        image = np.full((720, 1280, 3), 60, np.uint8)
        h, w = vehicle.shape[:2]
        image[300 : 300 + h, 500 + 4 * i : 500 + 4 * i + w] = vehicle
        frames.append(Frame(image, i, start_mono + i / 10, 1_800_000_000 + i / 10))
    return frames


def request_for(frames: list[Frame], at: int, ring: FrameRing) -> EvidenceRequest:
    vehicle_h, vehicle_w = drawn_plate(["30E-123.45"], size=30).shape[:2]

    def box(i: int) -> tuple[float, float, float, float]:
        return (500.0 + 4 * i, 300.0, 500.0 + 4 * i + vehicle_w, 300.0 + vehicle_h)

    request = make_request(ring, frames[at])
    event = replace(request.alert.event, box_xyxy=box(at), class_name="car")
    return replace(
        request,
        alert=request.alert.evolve(event=event),
        box=box(at),
        track_boxes=[(frames[i].captured_epoch, box(i)) for i in range(at - 6, at + 1)],
    )


@pytest.fixture(scope="module")
def plates() -> AlertPlates:
    require(FONT.exists(), f"{FONT} (Debian fonts-noto-core, installed by make system-deps)")
    return AlertPlates()


def test_evidence_writer_reads_the_plate_onto_alert_banner_and_record(
    tmp_path: Path, plates: AlertPlates
) -> None:
    ring = FrameRing(seconds=20, max_bytes=10**9, fps=0)
    frames = vehicle_frames(30, 1000.0, ["30E-123.45"])
    for frame in frames:
        ring.add(frame)
    request = request_for(frames, 20, ring)
    writer = EvidenceWriter(EvidenceFiles(tmp_path), after_s=0.0, plates=plates)
    writer.start()
    done = threading.Event()
    results: list[tuple[Alert, tuple[EvidenceRef, ...]]] = []
    writer.submit(request, lambda alert, refs: (results.append((alert, refs)), done.set()))
    assert done.wait(60)
    writer.stop()
    writer.join(5)
    alert, refs = results[0]
    assert alert.plate is not None
    assert alert.plate.text == "30E-123.45" and alert.plate.colour is PlateColour.WHITE
    assert alert.plate.frames == 3  # the largest views of the track, voted on
    metadata = json.loads(Path(next(r for r in refs if r.kind == "metadata").path).read_text())
    assert metadata["vehicle"]["plate"]["text"] == "30E-123.45"


def test_alerts_without_a_vehicle_are_not_read(plates: AlertPlates) -> None:
    ring = FrameRing(seconds=20, max_bytes=10**9, fps=0)
    frames = vehicle_frames(10, 1000.0, ["30E-123.45"])
    request = request_for(frames, 8, ring)
    pedestrian = replace(request.alert.event, type=AlertType.PEDESTRIAN, class_name="person")
    request = replace(request, alert=request.alert.evolve(event=pedestrian))
    assert not wants_plate(request.alert)
    assert plates(request) is None


def test_plates_are_stored_with_evidence_searched_and_never_overwrite_a_correction(
    store: LocalStore,
) -> None:
    alert = make_alert()
    store.writer.save_alert(alert).result(10)
    sink = StoreSink(store)
    sink.evidence_ready(alert.evolve(plate=PLATE), ())
    store.writer.flush().result(10)
    with store.session() as session:
        found = queries.list_alerts(session, plate="30e 123")
        assert [a.id for a in found] == [alert.id]
        assert found[0].plate == PLATE
        assert queries.list_alerts(session, plate="30E-128") == []
        assert queries.list_alerts(session, plate="3 0-e.1.2.3 4 5")[0].id == alert.id
    corrected = PlateRead("30E-128.45", PlateColour.YELLOW, 1.0, 1, True, PlateSource.OPERATOR)
    previous = store.writer.correct_plate(
        alert.id, corrected, actor="supervisor1", at=utc_now()
    ).result(10)
    assert previous is not None and previous.text == "30E-123.45"
    store.writer.save_plate(alert.evolve(plate=PLATE), utc_now()).result(10)  # reader again
    with store.session() as session:
        stored = queries.get_alert(session, alert.id)
        assert stored is not None and stored.plate == corrected
        audit = session.execute(select(AUDIT).where(AUDIT.c.action == "plate.corrected"))
        entry = audit.mappings().one()
        assert entry["user"] == "supervisor1"
        assert entry["details"]["previous"] == "30E-123.45"
        assert entry["details"]["plate"] == "30E-128.45"
        kinds = session.execute(select(OUTBOX.c.kind)).scalars().all()
        assert kinds.count("alert") >= 2  # the correction goes to central too


def test_watchlist_raises_one_priority_alert_per_vehicle_and_is_audited(
    store: LocalStore,
) -> None:
    at = utc_now()
    store.writer.watch_plate("30e-123.45", "stolen 2026-12-01", actor="sup", at=at).result(10)
    with store.session() as session:
        listed = plate_jobs.watchlist(session)
    assert [(w.key, w.reason) for w in listed] == [("30E12345", "stolen 2026-12-01")]
    raised: list[Alert] = []
    monitor = WatchlistMonitor(store, raised.append)
    seen = make_alert().evolve(plate=PLATE)
    monitor(seen)
    monitor(seen.evolve(id=make_alert().id))  # a second alert on the same vehicle
    monitor(make_alert().evolve(plate=PlateRead("29-B1 123.45", lines=2, valid=True)))
    assert len(raised) == 1
    watch = raised[0]
    assert watch.type is AlertType.WATCHLIST and watch.priority.value == "critical"
    assert watch.plate == PLATE and watch.camera_id == seen.camera_id
    assert watch.event.values["reason"] == "stolen 2026-12-01"
    assert watch.event.values["seen_in_alert"] == str(seen.id)
    assert store.writer.unwatch_plate("30E12345", actor="sup", at=at).result(10)
    assert not store.writer.unwatch_plate("30E12345", actor="sup", at=at).result(10)
    with store.session() as session:
        actions = session.execute(select(AUDIT.c.action)).scalars().all()
    assert actions.count("watchlist.added") == 1 and actions.count("watchlist.removed") == 1
    with pytest.raises(ValueError, match="not a plate"):
        store.writer.watch_plate("--", "", actor="sup", at=at).result(10)
