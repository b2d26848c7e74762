"""`roadwatch analyze` status: one header per value, 80 columns, plain lines off a terminal."""

from __future__ import annotations

import io
import re
from datetime import datetime
from types import SimpleNamespace

import pytest
from rich.console import Console

from console.cli.analyze_status import (
    LatencyStats,
    StatusDisplay,
    camera_statuses,
    status_lines,
    status_table,
)
from console.config.site_file import SiteConfig
from console.domain.health import CameraHealth, StreamState
from tests.conftest import load_demo_site
from tests.core.test_store_support import make_alert

PLAIN_LINE = re.compile(
    r"^\d\d:\d\d:\d\d (?P<camera>\S+) (?P<state>[a-z]+) in=(\S+) fps ana=(\S+) fps "
    r"p95=(\S+)ms obj=(?P<objects>\S+) alerts=(?P<alerts>\d+) skipped=budget:(\S+),motion:(\S+) "
    r"drops=(\S+)( reason: .+?)?( WARNING: .+)?$"
)


class FakeRuntime:
    """The two things the status reads: the model, and each camera's health."""

    def __init__(self, site: SiteConfig) -> None:
        self.model = SimpleNamespace(choice=SimpleNamespace(path="/m/demo.onnx"), is_demo=True)
        self.health = {
            camera.id: CameraHealth(
                camera.id,
                StreamState.LIVE,
                input_fps=25.0,
                analysis_fps=5.0,
                dropped_frames=2,
                target_fps=5.0,
                budget_fps=5.0,
                skipped_by_budget=0,
                skipped_by_motion=7,
            )
            for camera in site.cameras
        }

    def health_of(self, camera_id: str) -> CameraHealth | None:
        return self.health.get(camera_id)


@pytest.fixture(scope="module")
def site() -> SiteConfig:
    return load_demo_site()


@pytest.fixture
def runtime(site: SiteConfig) -> FakeRuntime:
    runtime = FakeRuntime(site)
    second = site.cameras[1].id
    runtime.health[second] = CameraHealth(
        second, StreamState.OFFLINE, reason="connection refused; retry in 4 s"
    )
    return runtime


@pytest.fixture
def stats(site: SiteConfig) -> LatencyStats:
    stats = LatencyStats()
    camera = site.cameras[0].id
    for latency in range(100, 120):
        stats(SimpleNamespace(camera_id=camera, latency_ms=float(latency), detections=[1, 2, 3]))
    for _ in range(2):
        stats.count_alert(make_alert(camera_id=camera))
    return stats


def rendered(table: object, width: int) -> str:
    console = Console(file=io.StringIO(), width=width, force_terminal=True, color_system=None)
    console.print(table)
    assert isinstance(console.file, io.StringIO)
    return console.file.getvalue()


@pytest.mark.parametrize("width", [80, 140])
def test_every_value_has_its_own_header_and_alert_counts_are_labelled_alerts(
    site: SiteConfig, runtime: FakeRuntime, stats: LatencyStats, width: int
) -> None:
    table = status_table(site, runtime, stats, 3.0, width)
    assert all(len(list(column.cells)) == len(site.cameras) for column in table.columns)
    first_row = {str(column.header): list(column.cells)[0] for column in table.columns}
    assert len(first_row) == len(table.columns)  # no header twice
    assert first_row["alerts"] == "2" and first_row["obj"] == "3" and first_row["drops"] == "2"
    assert first_row["p95\nms"] == "119" and first_row["in\nfps"] == "25.0"


def test_the_table_fits_80_columns_with_every_header_whole(
    site: SiteConfig, runtime: FakeRuntime, stats: LatencyStats
) -> None:
    text = rendered(status_table(site, runtime, stats, 3.0, 80), 80)
    lines = text.splitlines()
    assert max(len(line) for line in lines) <= 80
    header = next(i for i, line in enumerate(lines) if line.startswith("camera"))
    assert "…" not in lines[header - 1] + lines[header]
    for word in ("state", "fps", "ms", "obj", "alerts", "drops"):
        assert word in lines[header - 1] + lines[header]
    assert all(camera.id in text for camera in site.cameras)
    # the reason column is left out at 80: the reason is written under the table
    assert f"{site.cameras[1].id}: connection refused; retry in 4 s" in text


def test_a_wide_console_also_shows_place_and_reason_or_source(
    site: SiteConfig, runtime: FakeRuntime, stats: LatencyStats
) -> None:
    table = status_table(site, runtime, stats, 3.0, 160)
    headers = [str(column.header) for column in table.columns]
    assert "place" in headers and "reason / source" in headers
    assert "connection refused; retry in 4 s" in rendered(table, 160)


def test_plain_lines_are_one_per_camera_in_the_documented_form(
    site: SiteConfig, runtime: FakeRuntime, stats: LatencyStats
) -> None:
    lines = status_lines(camera_statuses(site, runtime, stats), datetime(2026, 5, 1, 12, 0, 3))
    assert len(lines) == len(site.cameras)
    assert all(PLAIN_LINE.match(line) for line in lines), lines
    first = site.cameras[0].id
    assert lines[0] == (
        f"12:00:03 {first} live in=25.0 fps ana=5.0/5 fps p95=119ms obj=3 alerts=2 "
        "skipped=budget:0,motion:7 drops=2"
    )
    assert lines[1].endswith(
        "offline in=0.0 fps ana=0.0 fps p95=-ms obj=- alerts=0 skipped=budget:0,motion:0 "
        "drops=0 reason: connection refused; retry in 4 s"
    )


def test_a_camera_at_the_floor_is_flagged_with_the_remedy(
    site: SiteConfig, runtime: FakeRuntime, stats: LatencyStats
) -> None:
    camera_id = site.cameras[2].id
    runtime.health[camera_id] = CameraHealth(
        camera_id,
        StreamState.LIVE,
        input_fps=25.0,
        analysis_fps=0.9,
        target_fps=5.0,
        budget_fps=1.0,
        skipped_by_budget=120,
        skipped_by_motion=3,
    )
    try:
        rows = camera_statuses(site, runtime, stats)
        [line] = [x for x in status_lines(rows, datetime(2026, 5, 1, 12, 0, 3)) if camera_id in x]
        assert PLAIN_LINE.match(line), line
        assert "ana=0.9/5 fps" in line and "skipped=budget:120,motion:3" in line
        assert "WARNING: analysed at 0.9 of 5 fps" in line and "analytics node" in line
        text = rendered(status_table(site, runtime, stats, 3.0, 80), 80)
        assert "at the minimum rate" in text
    finally:
        del runtime.health[camera_id]


def test_off_a_terminal_each_update_prints_one_line_per_camera(
    site: SiteConfig, runtime: FakeRuntime, stats: LatencyStats
) -> None:
    out = io.StringIO()
    console = Console(file=out, width=80)
    assert not console.is_terminal
    with StatusDisplay(console, site, runtime, stats) as display:
        assert display.live is None
        display.update(1.0)
        display.update(2.0)
    lines = out.getvalue().splitlines()
    assert lines[0].startswith("RoadWatch analyze: site ") and "DEMO MODEL" in lines[0]
    assert len(lines) == 1 + 2 * len(site.cameras)
    assert all(PLAIN_LINE.match(line) for line in lines[1:]), lines
    assert "\x1b" not in out.getvalue()


def test_on_a_terminal_the_table_is_redrawn_in_place(
    site: SiteConfig, runtime: FakeRuntime, stats: LatencyStats
) -> None:
    out = io.StringIO()
    console = Console(file=out, width=80, force_terminal=True, color_system=None)
    with StatusDisplay(console, site, runtime, stats) as display:
        assert display.live is not None
        display.update(1.0)
    text = out.getvalue()
    assert "alerts" in text and "\x1b[" in text  # cursor movement: a live redraw
    assert not any(PLAIN_LINE.match(line) for line in text.splitlines())
