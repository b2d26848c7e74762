"""Replay: seeks land within one frame, one clock for several cameras, timeline, export."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from console.domain.records import Alert, AlertType, Event, Severity, utc_from_epoch
from console.recording import HealthChange
from console.replay import (
    SPEEDS,
    CameraPlayback,
    FilePlayback,
    PlaybackClock,
    SyncedReplay,
    build_timeline,
)
from console.replay.export import NothingRecordedError, export_range
from console.security.audit import AuditAction, AuditLog
from console.security.roles import PermissionDeniedError, Role, User
from console.store.local import LocalStore
from console.store.records import AuditEntry
from tests.core.test_recording_support import decoded_index, record, steady_frames

T0 = 1_800_000_000.0
FPS = 25.0


@pytest.fixture(scope="module")
def recorded(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[float]]:
    folder = tmp_path_factory.mktemp("rec")
    frames = steady_frames(T0, 8.0, FPS, jitter_s=0.012)  # a live camera's uneven arrivals
    record(folder, frames, segment_s=3.0)
    return folder, [f.captured_epoch for f in frames]


def test_seek_lands_within_one_frame_of_the_requested_time(
    recorded: tuple[Path, list[float]],
) -> None:
    from console.recording import RecordingIndex

    folder, times = recorded
    playback = CameraPlayback(RecordingIndex.in_folder(folder), "cam")
    rng = np.random.default_rng(3)
    requests = [*rng.uniform(times[0], times[-1], 40), times[0], times[-1], T0 + 3.0]
    for requested in sorted(requests, reverse=True):  # backwards: every one is a real seek
        frame = playback.frame_at(float(requested))
        assert frame is not None
        expected = max(i for i, t in enumerate(times) if t <= requested + 1e-6)
        assert decoded_index(frame.image) == expected  # the decoded picture, not a guess
        assert -1e-5 <= requested - frame.time_s < 1.0 / FPS + 0.025  # times kept to 1 µs
    playback.close()


def test_stepping_walks_every_frame_across_segments(recorded: tuple[Path, list[float]]) -> None:
    from console.recording import RecordingIndex

    folder, times = recorded
    replay = SyncedReplay([CameraPlayback(RecordingIndex.in_folder(folder), "cam")])
    replay.seek(times[70])
    for expected in range(71, 80):  # crosses the segment boundary at 3 s (frame 75)
        position = replay.step(1)
        (frame,) = replay.frames()
        assert frame is not None and decoded_index(frame.image) == expected
        assert position == pytest.approx(times[expected])
    replay.step(-3)
    (frame,) = replay.frames()
    assert frame is not None and decoded_index(frame.image) == 76
    replay.close()


def test_clock_speeds_and_pause() -> None:
    now = [100.0]
    clock = PlaybackClock(T0, clock=lambda: now[0])
    assert SPEEDS[0] == 0.25 and SPEEDS[-1] == 16.0
    clock.play()
    now[0] += 2.0
    assert clock.position_s == pytest.approx(T0 + 2.0)
    clock.set_speed(16.0)
    now[0] += 1.0
    assert clock.position_s == pytest.approx(T0 + 18.0)
    clock.set_speed(0.25)
    now[0] += 4.0
    assert clock.position_s == pytest.approx(T0 + 19.0)
    clock.pause()
    now[0] += 10.0
    assert clock.position_s == pytest.approx(T0 + 19.0)
    with pytest.raises(ValueError, match="speed"):
        clock.set_speed(3.0)


def test_four_cameras_share_one_clock(tmp_path: Path) -> None:
    from console.recording import RecordingIndex

    index = RecordingIndex.in_folder(tmp_path)
    for number, offset in enumerate((0.0, 0.5, 1.0, 1.5)):
        frames = steady_frames(T0 + offset, 3.0, 10.0 + number * 5)
        record(tmp_path, frames, camera_id=f"cam{number}", segment_s=60.0, index=index)
    replay = SyncedReplay([CameraPlayback(index, f"cam{n}") for n in range(4)])
    replay.seek(T0 + 2.0)
    frames = replay.frames()
    assert all(f is not None for f in frames)
    for frame in frames:
        assert frame is not None and abs(frame.time_s - (T0 + 2.0)) <= 0.1 + 1e-6
    replay.seek(T0 + 0.2)
    assert [f is not None for f in replay.frames()] == [True, False, False, False]
    with pytest.raises(ValueError):
        SyncedReplay([CameraPlayback(index, "cam0")] * 5)
    replay.close()


def test_timeline_shows_coverage_gaps_and_alerts(tmp_path: Path) -> None:
    from console.recording import RecordingIndex

    index = RecordingIndex.in_folder(tmp_path)
    record(tmp_path, steady_frames(T0, 4.0, FPS), segment_s=1.0, index=index)
    later = steady_frames(T0 + 10, 4.0, FPS)
    index.add_health(HealthChange("cam", T0 + 4.5, "offline", "connection refused"))
    index.add_health(HealthChange("cam", T0 + 9.8, "live"))
    record(tmp_path, later, segment_s=1.0, index=index)
    record(tmp_path, steady_frames(T0 + 20, 2.0, FPS), segment_s=1.0, index=index)
    at = utc_from_epoch(T0 + 11)
    alert = Alert(Event(AlertType.WRONG_WAY, "cam", at, at, Severity.CRITICAL), Severity.CRITICAL)
    timeline = build_timeline(index, "cam", T0, T0 + 24, [alert])
    assert len(timeline.coverage) == 3  # 1 s segments join into continuous coverage
    assert timeline.coverage[0].start_s == T0 and timeline.coverage[0].end_s == pytest.approx(
        T0 + 4, abs=0.05
    )
    offline, unrecorded, tail = timeline.gaps
    assert offline.reason == "offline" and offline.detail == "connection refused"
    assert offline.start_s == pytest.approx(T0 + 4, abs=0.05) and offline.end_s == T0 + 10
    assert unrecorded.reason == "not_recorded"
    assert tail.end_s == T0 + 24
    assert [m.alert_id for m in timeline.alerts] == [alert.id]
    assert timeline.gap_at(T0 + 6) == offline and timeline.covered_at(T0 + 11)


def test_export_a_range_as_an_audited_clip(
    recorded: tuple[Path, list[float]], tmp_path: Path
) -> None:
    from console.recording import RecordingIndex

    folder, times = recorded
    index = RecordingIndex.in_folder(folder)
    with LocalStore.open(tmp_path / "db.sqlite") as store:
        audit = AuditLog(store, "console-1")
        clip = export_range(
            index,
            "cam",
            T0 + 2.0,
            T0 + 4.0,
            tmp_path / "out" / "clip.mp4",
            actor=User("lan", Role.OPERATOR),
            audit=audit,
        )
        assert abs(clip.frames - 50) <= 1
        exported = FilePlayback(clip.path)
        first = exported.frame_at(exported.start_s)
        assert first is not None and decoded_index(first.image) == round((clip.start_s - T0) * FPS)
        assert exported.start_s == pytest.approx(clip.start_s)  # its own frame times
        exported.close()
        with pytest.raises(PermissionDeniedError):
            export_range(
                index,
                "cam",
                T0,
                T0 + 1,
                tmp_path / "x.mp4",
                actor=User("tam", Role.TRAINER),
                audit=audit,
            )
        with pytest.raises(NothingRecordedError):
            export_range(index, "cam", T0 + 100, T0 + 101, tmp_path / "y.mp4")
        store.writer.submit(lambda c: None).result()
        from sqlalchemy import select

        from console.store.models import AUDIT

        with store.session() as session:
            actions = [row.action for row in session.execute(select(AUDIT))]
    assert AuditAction.EVIDENCE_EXPORT.value in actions
    assert AuditAction.PERMISSION_DENIED.value in actions
    assert AuditEntry is not None


def test_any_video_file_plays_by_its_frame_rate(tmp_path: Path) -> None:
    from console.sim import SimConfig
    from console.sim.export import export_clip

    result = export_clip(SimConfig(seed=2, width=320, height=180, fps=10.0), 2.0, tmp_path)
    playback = FilePlayback(result.video_path)
    assert playback.start_s == 0.0 and playback.end_s == pytest.approx(2.0)
    frame = playback.frame_at(1.05)
    assert frame is not None and frame.frame_index == 10
    assert playback.next_time(1.0) == pytest.approx(1.1)
    playback.close()
