from __future__ import annotations

import random
import time
from pathlib import Path

import cv2
import numpy as np
import pytest

from console.config.site_file import load_site_text
from console.domain.health import StreamState
from console.pipeline.runtime import RuntimeOptions, SiteRuntime
from console.sources.capture import ReconnectPolicy
from console.sources.opencv_source import OpenCvSource

SITE = """
schema_version: 1
site: {{id: t, name: Test}}
routes:
  - {{id: QL1, name: Q, markers: [{{km: 0, lat: 21, lon: 106}}, {{km: 10, lat: 21, lon: 106}}]}}
cameras:
{cameras}
"""


def write_clip(path: Path, frames: int = 50, fps: float = 25.0) -> Path:
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*"mp4v"), fps, (320, 240))
    for i in range(frames):
        image = np.full((240, 320, 3), 40, np.uint8)
        cv2.rectangle(image, (i * 5 % 300, 100), (i * 5 % 300 + 20, 130), (0, 200, 255), -1)
        writer.write(image)
    writer.release()
    return path


def site_with(files: dict[str, Path]) -> str:
    cameras = "\n".join(
        f"  - {{id: {cid}, name: {cid}, route: QL1, km: 1, lat: 21, lon: 106, "
        f"streams: {{main: '{path}'}}}}"
        for cid, path in files.items()
    )
    return SITE.format(cameras=cameras)


def wait_for(predicate, timeout: float = 10.0) -> bool:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.05)
    return False


def test_bad_files_get_clear_errors_and_do_not_affect_the_good_camera(tmp_path: Path) -> None:
    good = write_clip(tmp_path / "good.mp4")
    empty = tmp_path / "empty.mp4"
    empty.write_bytes(b"")
    noise = tmp_path / "noise.mp4"
    noise.write_bytes(random.Random(1).randbytes(200_000))
    truncated = tmp_path / "truncated.mp4"
    truncated.write_bytes(good.read_bytes()[:1500])
    site = load_site_text(
        site_with(
            {
                "good": good,
                "missing": tmp_path / "absent.mp4",
                "empty": empty,
                "noise": noise,
                "truncated": truncated,
            }
        )
    )
    runtime = SiteRuntime(site, options=RuntimeOptions(analyse=False))
    runtime.start()
    try:
        assert wait_for(
            lambda: all(
                (h := runtime.health_of(c)) is not None and h.state is StreamState.ERROR
                for c in ("missing", "empty", "noise", "truncated")
            )
        )
        assert wait_for(lambda: runtime.health_of("good").state is StreamState.LIVE)
        reasons = {
            c: runtime.health_of(c).reason for c in ("missing", "empty", "noise", "truncated")
        }
        assert "file not found" in reasons["missing"]
        assert "empty (0 bytes)" in reasons["empty"]
        assert "corrupt or unsupported" in reasons["noise"]
        assert (
            "corrupt or unsupported" in reasons["truncated"]
            or "no readable" in reasons["truncated"]
        )
        assert runtime.health_of("missing").retry_in_s is not None  # it keeps retrying
        version, frame = runtime.latest_frame("good")
        assert frame is not None and frame.image.shape == (240, 320, 3)
        assert wait_for(
            lambda: runtime.health_of("good").input_fps > 15
        )  # paced at the file's 25 fps
    finally:
        started = time.monotonic()
        runtime.stop(timeout_s=2.0)
        assert time.monotonic() - started < 2.5
    assert not any(c.capture.is_alive() for c in runtime.cameras.values())


def test_file_loops_by_default_and_ends_when_asked(tmp_path: Path) -> None:
    clip = write_clip(tmp_path / "short.mp4", frames=10)
    source = OpenCvSource(str(clip), loop=True)
    source.open()
    indices = [source.read().index for _ in range(25)]
    assert indices == list(range(25))
    source.close()
    once = OpenCvSource(str(clip), loop=False)
    once.open()
    for _ in range(10):
        once.read()
    from console.sources.base import EndOfStreamError

    with pytest.raises(EndOfStreamError):
        once.read()
    once.close()


def test_backoff_grows_to_the_cap_with_jitter() -> None:
    policy = ReconnectPolicy(initial_s=1, maximum_s=30, jitter=0.2)
    rng = random.Random(3)
    delays = [policy.delay(attempt, rng) for attempt in range(1, 10)]
    assert 0.8 <= delays[0] <= 1.2
    assert 1.6 <= delays[1] <= 2.4
    assert all(24 <= d <= 36 for d in delays[5:])
    assert len({round(d, 3) for d in delays[5:]}) > 1  # jittered, not in lock-step


def write_small_clip(path: Path, frames: int = 50) -> Path:
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*"mp4v"), 25.0, (160, 120))
    for _ in range(frames):
        writer.write(np.full((120, 160, 3), 90, np.uint8))
    writer.release()
    return path


@pytest.mark.parametrize(
    ("display", "evidence", "main_decoded", "ring_width"),
    [
        (False, "detect", False, 160),  # headless node, clips from the sub-stream
        (False, "main", True, 320),  # headless node, full-resolution clips
        (True, "detect", True, 160),  # the console shows the main stream on its tile
        (False, None, False, 320),  # no detect stream: the one stream feeds everything
    ],
)
def test_a_headless_node_decodes_the_main_stream_only_when_something_needs_it(
    tmp_path: Path, display: bool, evidence: str | None, main_decoded: bool, ring_width: int
) -> None:
    main = write_clip(tmp_path / "main.mp4")
    detect = write_small_clip(tmp_path / "detect.mp4")
    streams = f"main: '{main}', detect: '{detect}', evidence: {evidence}"
    if evidence is None:
        streams = f"main: '{main}'"
    cameras = (
        f"  - {{id: cam, name: cam, route: QL1, km: 1, lat: 21, lon: 106, streams: {{{streams}}}}}"
    )
    site = load_site_text(SITE.format(cameras=cameras))
    runtime = SiteRuntime(site, options=RuntimeOptions(analyse=False, display=display))
    runtime.start()
    try:
        camera = runtime.cameras["cam"]
        assert (camera.display_capture is not None) is main_decoded
        assert wait_for(lambda: len(camera.ring) > 3)
        assert {f.image.shape[1] for f in camera.ring.between(0, time.monotonic())} == {ring_width}
        shown = 320 if main_decoded or evidence is None else 160
        assert wait_for(lambda: runtime.latest_frame("cam")[1] is not None)
        assert runtime.latest_frame("cam")[1].image.shape[1] == shown
    finally:
        runtime.stop()


def test_a_display_console_shows_the_sub_stream_and_the_main_one_when_maximised(
    tmp_path: Path,
) -> None:
    main = write_clip(tmp_path / "main.mp4")
    detect = write_small_clip(tmp_path / "detect.mp4")
    cameras = (
        "  - {id: cam, name: cam, route: QL1, km: 1, lat: 21, lon: 106, "
        f"streams: {{main: '{main}', detect: '{detect}'}}}}"
    )
    site = load_site_text(SITE.format(cameras=cameras))
    options = RuntimeOptions(analyse=False, start_cameras=False, sub_streams_on_tiles=True)
    runtime = SiteRuntime(site, options=options)
    runtime.start()
    try:
        runtime.add_camera("cam")  # on a small tile
        assert runtime.cameras["cam"].display_capture is None
        assert wait_for(lambda: runtime.latest_frame("cam")[1] is not None)
        assert runtime.latest_frame("cam")[1].image.shape[1] == 160
        runtime.show_main_stream({"cam"})  # the tile is maximised
        assert runtime.cameras["cam"].display_capture is not None
        assert wait_for(
            lambda: (
                (frame := runtime.latest_frame("cam")[1]) is not None
                and frame.image.shape[1] == 320
            )
        )
        runtime.remove_camera("cam", reason="not shown on this console")
        assert "cam" not in runtime.cameras
    finally:
        runtime.stop()
