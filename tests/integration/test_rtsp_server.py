"""The RTSP test camera works with OpenCV's FFmpeg backend as a real client."""

from __future__ import annotations

import os
import signal
import socket
import time
from collections.abc import Iterator
from pathlib import Path

import cv2
import numpy as np
import pytest

from tests.conftest import PlantedSecrets, require_shared
from tests.integration.conftest import RtspServerFactory, require_rtsp_support
from tests.integration.rtsp import (
    OPENCV_FFMPEG_RTSP_OPTIONS,
    RtspServer,
    RtspServerError,
    transcode_to_h264,
)

pytestmark = [pytest.mark.integration, pytest.mark.timeout(120)]

BRIDGE = "media/bridge-dense-day-1.mp4"  # 1280x720, 30 fps, 144 frames, key frame every 30
BRIDGE_FRAMES = 144
BRIDGE_SHAPE = (720, 1280, 3)
NIGHT = "media/night-dhaka-1.mp4"  # 898x506, 30 fps
NIGHT_SHAPE = (506, 898, 3)
CAPTURE_TIMEOUT_MS = 5000


@pytest.fixture(autouse=True)
def opencv_rtsp_over_tcp(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    # OpenCV reads this variable each time a capture opens.
    monkeypatch.setenv("OPENCV_FFMPEG_CAPTURE_OPTIONS", OPENCV_FFMPEG_RTSP_OPTIONS)
    yield


@pytest.fixture
def bridge() -> Path:
    return require_shared(BRIDGE)


def open_capture(url: str) -> cv2.VideoCapture:
    return cv2.VideoCapture(
        url,
        cv2.CAP_FFMPEG,
        [
            cv2.CAP_PROP_OPEN_TIMEOUT_MSEC,
            CAPTURE_TIMEOUT_MS,
            cv2.CAP_PROP_READ_TIMEOUT_MSEC,
            CAPTURE_TIMEOUT_MS,
        ],
    )


def read_frames(capture: cv2.VideoCapture, count: int) -> list[np.ndarray]:
    frames: list[np.ndarray] = []
    while len(frames) < count:
        ok, frame = capture.read()
        assert ok, f"the stream ended after {len(frames)} of {count} frames"
        frames.append(frame)
    return frames


def connection_refused(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.settimeout(2)
        try:
            probe.connect(("127.0.0.1", port))
        except ConnectionRefusedError:
            return True
        return False


def reads_fail_within(capture: cv2.VideoCapture, seconds: float) -> float | None:
    """Read until a read fails; how long that took, or None if reads still work after it."""
    began = time.monotonic()
    while time.monotonic() - began < seconds:
        ok, _frame = capture.read()
        if not ok:
            return time.monotonic() - began
    return None


@pytest.mark.slow
def test_serves_a_clip_that_opencv_reads(rtsp_server_factory: RtspServerFactory, bridge: Path):
    server = rtsp_server_factory({"/cam1": bridge})
    assert server.startup_seconds is not None and server.startup_seconds < 15
    capture = open_capture(server.url("/cam1"))
    try:
        assert capture.isOpened(), server.stderr_text()
        frames = read_frames(capture, 30)
    finally:
        capture.release()
    assert all(frame.shape == BRIDGE_SHAPE for frame in frames)
    assert len({frame.tobytes() for frame in frames[::10]}) > 1, "the picture never changes"


def test_mounts_serve_their_own_clips(rtsp_server_factory: RtspServerFactory, bridge: Path):
    server = rtsp_server_factory({"/cam1": bridge, "cam2": require_shared(NIGHT)})
    capture = open_capture(server.url("/cam2"))
    try:
        assert capture.isOpened(), server.stderr_text()
        assert read_frames(capture, 5)[-1].shape == NIGHT_SHAPE
    finally:
        capture.release()


@pytest.mark.slow
def test_clients_share_one_live_stream(rtsp_server_factory: RtspServerFactory, bridge: Path):
    server = rtsp_server_factory({"/cam1": bridge})
    first = open_capture(server.url("/cam1"))
    second: cv2.VideoCapture | None = None
    try:
        read_frames(first, 15)
        second = open_capture(server.url("/cam1"))  # joins later, while the first one reads
        assert second.isOpened(), server.stderr_text()
        for _ in range(20):
            read_frames(first, 1)
            assert read_frames(second, 1)[0].shape == BRIDGE_SHAPE
    finally:
        first.release()
        if second is not None:
            second.release()
    # One live media for both clients: the file was opened for streaming only once.
    assert server.stderr_text().count("/cam1: live media started") == 1

    # Once every client has left, the next one gets a fresh live stream.
    again = open_capture(server.url("/cam1"))
    try:
        assert again.isOpened(), server.stderr_text()
        assert read_frames(again, 5)[-1].shape == BRIDGE_SHAPE
    finally:
        again.release()


@pytest.mark.slow
def test_keeps_playing_past_the_end_of_the_clip(
    rtsp_server_factory: RtspServerFactory, bridge: Path
):
    server = rtsp_server_factory({"/cam1": bridge})
    capture = open_capture(server.url("/cam1"))
    try:
        assert capture.isOpened(), server.stderr_text()
        began = time.monotonic()
        frames = read_frames(capture, 200)
        elapsed = time.monotonic() - began
    finally:
        capture.release()
    assert len(frames) > BRIDGE_FRAMES
    assert all(frame.shape == BRIDGE_SHAPE for frame in frames)
    # Live pace (30 fps), not as fast as the file can be read: 200 frames take ~6.7 s.
    assert elapsed > 4.0


@pytest.mark.slow
def test_stop_ends_the_stream_and_refuses_connections(
    rtsp_server_factory: RtspServerFactory, bridge: Path
):
    server = rtsp_server_factory({"/cam1": bridge})
    capture = open_capture(server.url("/cam1"))
    try:
        read_frames(capture, 10)
        server.stop()
        assert not server.running
        assert server.exit_code == 0, server.stderr_text()  # a clean exit, even with a client
        assert reads_fail_within(capture, 5.0) is not None, "reads still work after stop()"
    finally:
        capture.release()
    assert connection_refused(server.port)
    began = time.monotonic()
    late = open_capture(server.url("/cam1"))
    try:
        assert not late.isOpened()
    finally:
        late.release()
    assert time.monotonic() - began < 5.0


@pytest.mark.slow
def test_restart_serves_again_on_the_same_port(
    rtsp_server_factory: RtspServerFactory, bridge: Path
):
    server = rtsp_server_factory({"/cam1": bridge})
    port, url = server.port, server.url("/cam1")
    server.restart()
    server.stop()
    assert connection_refused(port)
    server.restart()
    assert server.port == port and server.url("/cam1") == url
    capture = open_capture(url)
    try:
        assert capture.isOpened(), server.stderr_text()
        assert read_frames(capture, 10)[-1].shape == BRIDGE_SHAPE
    finally:
        capture.release()


def test_basic_auth(
    rtsp_server_factory: RtspServerFactory, bridge: Path, planted_secrets: PlantedSecrets
) -> None:
    password = planted_secrets.add("s3cret:/@")
    server = rtsp_server_factory({"/cam1": bridge}, auth=("operator", password))
    good = server.url("/cam1")
    assert good.startswith("rtsp://operator:s3cret%3A%2F%40@127.0.0.1:")
    for bad in (
        f"rtsp://operator:wrong@127.0.0.1:{server.port}/cam1",
        f"rtsp://127.0.0.1:{server.port}/cam1",
    ):
        capture = open_capture(bad)
        try:
            assert not capture.isOpened(), f"{bad} opened without the right credentials"
        finally:
            capture.release()
    capture = open_capture(good)
    try:
        assert capture.isOpened(), server.stderr_text()
        assert read_frames(capture, 5)[-1].shape == BRIDGE_SHAPE
    finally:
        capture.release()


@pytest.mark.slow
def test_a_stalled_server_times_out_reads(
    rtsp_server_factory: RtspServerFactory, bridge: Path, monkeypatch: pytest.MonkeyPatch
):
    # Proves the FFmpeg `timeout` option is honoured: a server that stops answering (but
    # keeps its socket open) makes reads fail after about that long instead of hanging.
    monkeypatch.setenv("OPENCV_FFMPEG_CAPTURE_OPTIONS", "rtsp_transport;tcp|timeout;1000000")
    server = rtsp_server_factory({"/cam1": bridge})
    capture = cv2.VideoCapture(server.url("/cam1"), cv2.CAP_FFMPEG)  # OpenCV's own: 30 s
    assert server.pid is not None
    try:
        read_frames(capture, 5)
        os.kill(server.pid, signal.SIGSTOP)
        try:
            failed_after = reads_fail_within(capture, 15.0)
        finally:
            os.kill(server.pid, signal.SIGCONT)
    finally:
        capture.release()
    assert failed_after is not None, "reads kept working while the server was frozen"


def test_missing_file_is_a_clear_error(tmp_path: Path):
    require_rtsp_support()
    missing = tmp_path / "absent.mp4"
    with pytest.raises(RtspServerError, match="absent.mp4: no such file"):
        RtspServer({"/cam1": missing}).start()


def test_unplayable_file_is_a_clear_error(tmp_path: Path):
    require_rtsp_support()
    junk = tmp_path / "junk.mp4"
    junk.write_bytes(b"\x00\x01 this is not a video " * 100)
    with pytest.raises(RtspServerError, match="junk.mp4: cannot be played"):
        RtspServer({"/cam1": junk}).start()


def test_context_manager_stops_the_server(bridge: Path):
    require_rtsp_support()
    with RtspServer({"/cam1": bridge}) as server:
        assert server.running
        assert not connection_refused(server.port)
    assert not server.running
    assert connection_refused(server.port)


@pytest.mark.slow
def test_a_transcoded_clip_is_h264_with_every_frame_and_passes_through(
    rtsp_server_factory: RtspServerFactory, tmp_path: Path
):
    """What bench/pipeline.py serves: cameras that cost the server no encoding."""
    source = tmp_path / "mpeg4.mp4"
    writer = cv2.VideoWriter(str(source), cv2.VideoWriter_fourcc(*"mp4v"), 25.0, (320, 240))
    for i in range(60):
        image = np.full((240, 320, 3), 30, np.uint8)
        cv2.rectangle(image, (i * 4, 100), (i * 4 + 30, 140), (0, 220, 255), -1)
        writer.write(image)
    writer.release()
    clip = transcode_to_h264(source, tmp_path / "h264.mp4", fps=25)
    check = cv2.VideoCapture(str(clip))
    fourcc = int(check.get(cv2.CAP_PROP_FOURCC)).to_bytes(4, "little").decode()
    frames = int(check.get(cv2.CAP_PROP_FRAME_COUNT))
    check.release()
    assert (fourcc, frames) == ("h264", 60)
    server = rtsp_server_factory({"/cam1": clip})
    capture = open_capture(server.url("/cam1"))
    try:
        assert capture.isOpened(), server.stderr_text()
        assert all(frame.shape == (240, 320, 3) for frame in read_frames(capture, 10))
    finally:
        capture.release()
    assert "live media started (H.264 passed through)" in server.stderr_text()


def test_transcoding_a_file_that_is_not_video_is_a_clear_error(tmp_path: Path):
    junk = tmp_path / "junk.mp4"
    junk.write_bytes(b"not a video at all" * 100)
    with pytest.raises(RtspServerError, match="junk.mp4: .*(type|stream)"):
        transcode_to_h264(junk, tmp_path / "out.mp4")
    assert not (tmp_path / "out.mp4").exists() and not (tmp_path / "out.mp4.part").exists()
