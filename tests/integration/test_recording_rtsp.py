"""Recording a real RTSP camera: the timeline shows an offline gap while the server is down."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

import pytest

from console.config.site_file import load_site_text
from console.domain.health import StreamState
from console.pipeline.runtime import RuntimeOptions, SiteRuntime
from console.recording import RecordingOptions, SiteRecorder
from console.replay import CameraPlayback, build_timeline
from console.sim import SimConfig
from console.sim.export import export_clip
from console.sources.capture import ReconnectPolicy
from tests.integration.conftest import RtspServerFactory, require_rtsp_support

pytestmark = pytest.mark.integration

SITE = """
schema_version: 1
site: {{id: t, name: Test}}
routes:
  - {{id: QL1, name: Q, markers: [{{km: 0, lat: 21, lon: 106}}, {{km: 10, lat: 21, lon: 106}}]}}
cameras:
  - {{id: cam, name: cam, route: QL1, km: 1, lat: 21, lon: 106, record: true,
     streams: {{main: '{url}'}}}}
"""


def wait_until(check: Callable[[], bool], timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.1)
    raise AssertionError(f"condition not met within {timeout} s")


@pytest.mark.slow
def test_the_timeline_shows_where_the_rtsp_server_was_stopped(
    rtsp_server_factory: RtspServerFactory, tmp_path: Path
) -> None:
    require_rtsp_support()
    clip = export_clip(
        SimConfig(scene="highway", seed=5, width=640, height=360, fps=10.0), 4.0, tmp_path / "clip"
    ).video_path
    server = rtsp_server_factory({"/cam": clip}, reencode=True)
    site = load_site_text(SITE.format(url=server.url("/cam")))
    policy = ReconnectPolicy(initial_s=0.5, maximum_s=1.0, jitter=0.1, stall_timeout_s=3.0)
    runtime = SiteRuntime(site, options=RuntimeOptions(reconnect=policy, analyse=False))
    recorder = SiteRecorder(
        site, tmp_path / "recordings", options=RecordingOptions(segment_s=2.0, gap_s=2.0)
    )
    recorder.attach(runtime)
    recorder.start()
    runtime.start()
    state = lambda: runtime.health_of("cam").state  # noqa: E731
    try:
        wait_until(lambda: state() is StreamState.LIVE, 20)
        time.sleep(5)
        stopped_at = time.time()
        server.stop()
        wait_until(lambda: state() in (StreamState.OFFLINE, StreamState.STALLED), 12)
        time.sleep(3)
        server.start()
        restarted_at = time.time()
        wait_until(lambda: state() is StreamState.LIVE, 20)
        time.sleep(5)
    finally:
        runtime.stop()
        recorder.stop()

    segments = recorder.index.segments("cam")
    assert len(segments) >= 4
    timeline = build_timeline(
        recorder.index, "cam", segments[0].start_s, segments[-1].end_s, join_s=1.0
    )
    assert len(timeline.coverage) == 2, timeline
    (gap,) = timeline.gaps
    assert gap.reason == "offline" and gap.detail
    assert stopped_at - 1.5 <= gap.start_s <= stopped_at + 0.5
    assert stopped_at + 2 <= gap.end_s <= restarted_at + 15
    assert timeline.coverage[0].seconds >= 4 and timeline.coverage[1].seconds >= 4

    playback = CameraPlayback(recorder.index, "cam")
    assert playback.frame_at(gap.start_s + gap.seconds / 2) is None  # nothing in the gap
    before = playback.frame_at(stopped_at - 2)
    assert before is not None and before.image.shape == (360, 640, 3)
    playback.close()
