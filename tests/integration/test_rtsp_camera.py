"""A camera on a real RTSP server: live, killed, back; bad addresses give clear reasons."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

import pytest

from console.config.site_file import load_site_text
from console.domain.health import StreamState
from console.pipeline.runtime import RuntimeOptions, SiteRuntime
from console.sim import SimConfig
from console.sim.export import export_clip
from console.sources.capture import ReconnectPolicy
from tests.conftest import PlantedSecrets
from tests.integration.conftest import RtspServerFactory, require_rtsp_support
from tests.integration.rtsp import free_port

pytestmark = pytest.mark.integration
STALL_S = 3.0

SITE = """
schema_version: 1
site: {{id: t, name: Test}}
routes:
  - {{id: QL1, name: Q, markers: [{{km: 0, lat: 21, lon: 106}}, {{km: 10, lat: 21, lon: 106}}]}}
cameras:
{cameras}
"""


@pytest.fixture(scope="module")
def sim_clip(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("clip")
    result = export_clip(
        SimConfig(scene="highway", seed=5, width=640, height=360, fps=25.0), 4.0, out
    )
    return result.video_path


def runtime_for(urls: dict[str, str]) -> SiteRuntime:
    cameras = "\n".join(
        f"  - {{id: {cid}, name: {cid}, route: QL1, km: 1, lat: 21, lon: 106, "
        f"streams: {{main: '{url}'}}}}"
        for cid, url in urls.items()
    )
    site = load_site_text(SITE.format(cameras=cameras))
    policy = ReconnectPolicy(initial_s=0.5, maximum_s=2.0, jitter=0.1, stall_timeout_s=STALL_S)
    return SiteRuntime(site, options=RuntimeOptions(reconnect=policy, analyse=False))


def wait_until(check: Callable[[], bool], timeout: float) -> float:
    """Seconds it took for ``check`` to hold; fails the test after ``timeout``."""
    started = time.monotonic()
    while time.monotonic() - started < timeout:
        if check():
            return time.monotonic() - started
        time.sleep(0.1)
    raise AssertionError(f"condition not met within {timeout} s")


@pytest.mark.slow
def test_camera_goes_offline_when_the_server_dies_and_comes_back(
    rtsp_server_factory: RtspServerFactory, sim_clip: Path
) -> None:
    require_rtsp_support()
    server = rtsp_server_factory({"/cam": sim_clip})
    runtime = runtime_for({"live": server.url("/cam")})
    runtime.start()
    try:
        state = lambda: runtime.health_of("live").state  # noqa: E731
        wait_until(lambda: state() is StreamState.LIVE, 20)
        frame = runtime.latest_frame("live")[1]
        assert frame is not None and frame.image.shape == (360, 640, 3)

        server.stop()
        took = wait_until(
            lambda: state() in (StreamState.OFFLINE, StreamState.STALLED), STALL_S + 8
        )
        assert took <= STALL_S + 8
        reason = runtime.health_of("live").reason
        assert reason, "an offline camera must say why"
        wait_until(
            lambda: (
                state() is StreamState.OFFLINE and "refused" in runtime.health_of("live").reason
            ),
            15,
        )

        server.restart()
        wait_until(lambda: state() is StreamState.LIVE, 20)
        version_before, _ = runtime.latest_frame("live")
        time.sleep(1.0)
        assert runtime.latest_frame("live")[0] > version_before  # frames flow again
    finally:
        runtime.stop()


@pytest.mark.slow
def test_wrong_path_closed_port_and_bad_password_have_clear_reasons(
    rtsp_server_factory: RtspServerFactory,
    sim_clip: Path,
    monkeypatch: pytest.MonkeyPatch,
    planted_secrets: PlantedSecrets,
) -> None:
    require_rtsp_support()
    server = rtsp_server_factory({"/cam": sim_clip})
    locked = rtsp_server_factory(
        {"/cam": sim_clip}, auth=("operator", planted_secrets.add("correct-horse"))
    )
    good_url = server.url("/cam")
    # passwords come from the environment
    planted_secrets.setenv(monkeypatch, "RW_TEST_CAM_PASSWORD", "wrong-pass")
    bad_password = locked.url("/cam").replace("correct-horse", "${RW_TEST_CAM_PASSWORD}")
    runtime = runtime_for(
        {
            "good": good_url,
            "wrong-path": good_url.replace("/cam", "/nope"),
            "closed-port": f"rtsp://127.0.0.1:{free_port()}/cam",
            "bad-password": bad_password,
        }
    )
    runtime.start()
    try:

        def settled() -> bool:
            states = {
                c: runtime.health_of(c) for c in ("wrong-path", "closed-port", "bad-password")
            }
            return all(
                h is not None and h.state in (StreamState.ERROR, StreamState.OFFLINE)
                for h in states.values()
            )

        wait_until(settled, 30)
        wait_until(lambda: runtime.health_of("good").state is StreamState.LIVE, 20)
        assert "404" in runtime.health_of("wrong-path").reason
        assert "refused" in runtime.health_of("closed-port").reason
        assert "401" in runtime.health_of("bad-password").reason
        assert "wrong-pass" not in runtime.health_of("bad-password").reason
        # unaffected by its neighbours: the clip's 25 fps keep flowing
        wait_until(lambda: runtime.health_of("good").input_fps > 15, 10)
    finally:
        runtime.stop()
