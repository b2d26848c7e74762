"""Recording: segments cover the recorded time, metadata aligns, retention keeps held time."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np
import pytest

from console.config.site_file import load_site_text
from console.detect.detections import Detections
from console.pipeline.runtime import RuntimeOptions, SiteRuntime
from console.recording import CameraRecorder, RecordingIndex, RecordingOptions, SegmentMetadata
from console.recording.metadata import AnalysedBoxes
from console.recording.recorder import SiteRecorder
from console.recording.retention import HeldWindow, prune_recordings
from console.sources.base import Frame
from tests.core.test_recording_support import coded_image, record, steady_frames

T0 = 1_800_000_000.0
FPS = 25.0


def test_segments_cover_a_steady_stream_without_gaps(tmp_path: Path) -> None:
    frames = steady_frames(T0, 10.0, FPS)
    index = record(tmp_path, frames, segment_s=2.0)
    segments = index.segments("cam")
    assert 5 <= len(segments) <= 6
    assert sum(s.frames for s in segments) == len(frames)
    assert segments[0].start_s == T0
    assert segments[-1].end_s >= frames[-1].captured_epoch
    for before, after in zip(segments, segments[1:], strict=False):
        assert after.start_s - before.end_s <= 1.0 / FPS + 1e-6  # no gap beyond one frame
        assert before.end_s - before.start_s <= 2.0 + 1.0 / FPS
    for segment in segments:
        assert segment.path.stat().st_size > 0 and segment.size_bytes > 0
        meta = SegmentMetadata.read(segment.meta_path)
        assert len(meta.frame_times) == segment.frames


def test_a_pause_in_the_frames_closes_the_segment(tmp_path: Path) -> None:
    frames = steady_frames(T0, 4.0, FPS) + [
        Frame(f.image, f.index, f.captured_mono + 10, f.captured_epoch + 10)
        for f in steady_frames(T0, 4.0, FPS)
    ]
    index = record(tmp_path, frames, segment_s=60.0)
    segments = index.segments("cam")
    assert len(segments) == 2
    assert segments[0].end_s < T0 + 4.1 and segments[1].start_s == T0 + 10


def test_detections_are_stored_beside_their_frames(tmp_path: Path) -> None:
    index = RecordingIndex.in_folder(tmp_path)
    recorder = CameraRecorder("cam", tmp_path, index, RecordingOptions(segment_s=60))
    recorder.start()
    frames = steady_frames(T0, 2.0, FPS)
    boxes = Detections.from_arrays([[10, 20, 50, 60]], [0.9], [2], [7], {2: "car"})
    raw = Detections.from_arrays([[10, 20, 50, 60], [90, 20, 99, 30]], [0.9, 0.2], [2, 0], None)
    for frame in frames:
        recorder.offer_frame(frame)
        if frame.index % 5 == 0:
            gated = frame.index % 10 == 5
            recorder.offer_detections(
                frame.captured_epoch, AnalysedBoxes(boxes, None if gated else raw, gated)
            )
    recorder.stop()
    recorder.join(10)
    (segment,) = index.segments("cam")
    meta = SegmentMetadata.read(segment.meta_path)
    assert len(meta.detection_times) == 10
    found = meta.detections_at(T0 + 0.5)
    assert found is not None and found.tracker_id is not None and found.tracker_id[0] == 7
    assert found.class_names[2] == "car"
    # What the detector gave is kept too, for re-analysis without the model: every box it
    # saw on a detected frame, and on a frame the motion gate skipped, that it was skipped.
    detected = meta.detector_output_at(frames[0].captured_epoch)
    assert detected is not None and detected.raw is not None
    assert len(detected.raw) == 2 and not detected.from_tracked_boxes
    gated = meta.detector_output_at(frames[5].captured_epoch)
    assert gated is not None and gated.raw is None
    assert meta.detector_output_at(frames[1].captured_epoch) is None  # not analysed
    np.testing.assert_allclose(found.xyxy[0], [10, 20, 50, 60])
    assert meta.detections_at(T0 + 5.0) is None  # too old to overlay


def test_a_full_queue_drops_the_oldest_frame_and_counts_it(tmp_path: Path) -> None:
    index = RecordingIndex.in_folder(tmp_path)
    recorder = CameraRecorder("cam", tmp_path, index, RecordingOptions(queue_frames=10))
    started = time.perf_counter()
    for frame in steady_frames(T0, 1.0, FPS):  # the thread is not running: nothing drains
        recorder.offer_frame(frame)
    assert time.perf_counter() - started < 0.5  # never blocks the capture thread
    assert recorder.dropped_frames == 15


def test_retention_by_age_and_budget_keeps_segments_on_legal_hold(tmp_path: Path) -> None:
    frames = steady_frames(T0, 8.0, FPS)
    index = record(tmp_path, frames, segment_s=2.0)
    segments = index.segments("cam")
    held = HeldWindow("cam", segments[0].start_s + 0.5, segments[0].start_s + 1.0)
    now = datetime.fromtimestamp(T0, UTC) + timedelta(days=40)
    report = prune_recordings(index, now=now, max_age=timedelta(days=30), held=[held])
    assert report.kept_on_hold == 1
    left = index.segments("cam")
    assert [s.id for s in left] == [segments[0].id]
    assert segments[0].path.exists() and not segments[1].path.exists()


def test_retention_by_disk_budget_removes_the_oldest_first(tmp_path: Path) -> None:
    index = record(tmp_path, steady_frames(T0, 8.0, FPS), segment_s=2.0)
    segments = index.segments("cam")
    budget = sum(s.size_bytes for s in segments[-2:])
    now = datetime.fromtimestamp(T0, UTC)
    report = prune_recordings(index, now=now, max_age=timedelta(days=30), budget_bytes=budget)
    assert [s.id for s in report.removed] == [s.id for s in segments[:-2]]
    assert index.total_bytes() <= budget


SITE = """
schema_version: 1
site: {id: t, name: Test}
routes:
  - {id: QL1, name: Q, markers: [{km: 0, lat: 21, lon: 106}, {km: 10, lat: 21, lon: 106}]}
cameras:
  - id: rec
    name: recorded
    route: QL1
    km: 1
    lat: 21
    lon: 106
    record: true
    streams: {main: 'sim://highway?seed=3&width=320&height=180&fps=10'}
  - {id: plain, name: not recorded, route: QL1, km: 2, lat: 21, lon: 106,
     streams: {main: 'sim://highway?seed=4&width=320&height=180&fps=10'}}
"""


@pytest.mark.slow
def test_the_runtime_hands_every_captured_frame_to_the_recorder(tmp_path: Path) -> None:
    site = load_site_text(SITE)
    runtime = SiteRuntime(site, options=RuntimeOptions(analyse=False))
    recorder = SiteRecorder(site, tmp_path, options=RecordingOptions(segment_s=1.0))
    assert list(recorder.recorders) == ["rec"]
    recorder.attach(runtime)
    recorder.start()
    runtime.start()
    time.sleep(3.5)
    runtime.stop()
    recorder.stop()
    captured = runtime.cameras["rec"].capture.frames_read
    segments = recorder.index.segments("rec")
    assert len(segments) >= 2
    assert abs(sum(s.frames for s in segments) - captured) <= 1
    for before, after in zip(segments, segments[1:], strict=False):
        assert after.start_s - before.end_s <= 0.2
    assert recorder.index.segments("plain") == []
    assert coded_image(0).shape == (112, 192, 3)


def test_legal_hold_in_the_store_keeps_the_recording_of_the_alert(tmp_path: Path) -> None:
    from console.domain.records import (
        Alert,
        AlertType,
        Event,
        EvidenceRef,
        Severity,
        utc_from_epoch,
    )
    from console.recording.retention import held_windows
    from console.store.local import LocalStore

    index = record(tmp_path / "rec", steady_frames(T0, 8.0, FPS), segment_s=2.0)
    at = utc_from_epoch(T0 + 5.0)
    event = Event(AlertType.WRONG_WAY, "cam", at, at, Severity.CRITICAL)
    alert = Alert(
        event,
        Severity.CRITICAL,
        created_at=at,
        updated_at=at,
        evidence=(EvidenceRef("snapshot", "ab" * 32, str(tmp_path / "s.jpg"), 10),),
    )
    site = load_site_text(SITE)
    recorder = SiteRecorder(site, tmp_path / "rec", index=index)
    with LocalStore.open(tmp_path / "db.sqlite") as store:
        store.writer.save_alert(alert).result()
        later = datetime.fromtimestamp(T0, UTC) + timedelta(days=400)
        store.writer.set_legal_hold(alert.id, True, actor="sup", at=later).result()
        (window,) = held_windows(store)
        assert window.camera_id == "cam" and window.start_s <= T0 + 5.0 <= window.end_s
        report = recorder.prune(store=store, now=later)
    assert report.kept_on_hold == 4  # 5 s ± 30 s covers every segment
    assert len(index.segments("cam")) == 4
    report = recorder.prune(now=later)  # without the store nothing is held
    assert len(report.removed) == 4 and index.segments("cam") == []


def test_a_failing_disk_pauses_recording_instead_of_failing_every_frame(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import console.recording.recorder as recorder_module

    def broken_writer(*_args: object) -> object:
        raise RuntimeError("disk full")

    monkeypatch.setattr(recorder_module, "open_mp4_writer", broken_writer)
    index = RecordingIndex.in_folder(tmp_path)
    recorder = CameraRecorder("cam", tmp_path, index, RecordingOptions(queue_frames=1000))
    recorder.start()
    for frame in steady_frames(T0, 2.0, FPS):
        recorder.offer_frame(frame)
    recorder.stop()
    recorder.join(10)
    assert not recorder.is_alive()
    assert recorder.failures == 1 and index.segments() == []


def test_the_queue_is_bounded_in_bytes_too(tmp_path: Path) -> None:
    index = RecordingIndex.in_folder(tmp_path)
    frame_bytes = steady_frames(T0, 0.04, FPS)[0].nbytes
    options = RecordingOptions(queue_frames=1000, queue_bytes=frame_bytes * 4)
    recorder = CameraRecorder("cam", tmp_path, index, options)
    for frame in steady_frames(T0, 1.0, FPS):
        recorder.offer_frame(frame)
    assert recorder.dropped_frames == 21
