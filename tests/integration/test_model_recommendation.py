"""`roadwatch --self-check` warns when real cameras are analysed by the bundled demo model.

Run through the installed ``roadwatch`` entry point, with the real demo model, a real clip
from ../shared/media as the camera and, for the remedy, the real COCO YOLO11n export.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from console.config.site_file import load_site_text
from console.install.self_check_checks import real_camera_ids
from tests.conftest import require_shared

pytestmark = pytest.mark.integration

ROADWATCH = Path(sys.executable).parent / "roadwatch"

SITE = """\
schema_version: 1
site: {{id: t, name: Model check}}
model: {{path: "{model}", image_size: 640}}
storage: {{data_dir: "{data}"}}
routes:
  - {{id: QL1, name: Q, markers: [{{km: 0, lat: 21, lon: 106}}, {{km: 10, lat: 21, lon: 106}}]}}
cameras:
{cameras}
"""


def camera_line(camera_id: str, url: str, enabled: bool = True) -> str:
    return (
        f"  - {{id: {camera_id}, name: {camera_id}, route: QL1, km: 1, lat: 21, lon: 106, "
        f"enabled: {str(enabled).lower()}, streams: {{main: '{url}'}}}}"
    )


def write_site(folder: Path, model: str, cameras: list[str]) -> Path:
    path = folder / "site.yaml"
    text = SITE.format(model=model, data=folder / "data", cameras="\n".join(cameras))
    path.write_text(text, encoding="utf-8")
    return path


def self_check(site: Path) -> tuple[int, dict[str, Any]]:
    environment = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY")}
    result = subprocess.run(
        [str(ROADWATCH), "--self-check", "--json", "--site", str(site)],
        capture_output=True,
        text=True,
        env=environment,
        timeout=240,
        check=False,
    )
    return result.returncode, json.loads(result.stdout)


def model_check(report: dict[str, Any]) -> dict[str, Any]:
    checks = [check for check in report["checks"] if check["name"] == "model"]
    assert len(checks) == 1, report
    return checks[0]


def test_real_cameras_are_those_whose_streams_are_not_the_simulator(tmp_path: Path) -> None:
    cameras = [
        camera_line("sim-1", "sim://highway?seed=1"),
        camera_line("rtsp-1", "rtsp://10.0.0.5/stream"),
        camera_line("clip-1", "/data/clips/ql1.mp4"),
        camera_line("off-1", "rtsp://10.0.0.6/stream", enabled=False),
    ]
    text = SITE.format(model="demo", data=tmp_path, cameras="\n".join(cameras))
    site = load_site_text(text)
    assert real_camera_ids(site.cameras) == ["rtsp-1", "clip-1"]


@pytest.mark.slow
def test_self_check_warns_about_the_demo_model_on_a_real_camera_and_names_the_remedy(
    tmp_path: Path,
) -> None:
    clip = require_shared("media/highway-day-1.mp4")
    site = write_site(tmp_path, "demo", [camera_line("hw-real", str(clip))])
    code, report = self_check(site)
    check = model_check(report)
    assert check["status"] == "warn", check
    assert check["demo"] is True and check["real_cameras"] == ["hw-real"]
    assert "WARNING" in check["detail"] and "hw-real" in check["detail"]
    assert "model.path" in check["detail"] and "YOLO11n" in check["detail"]
    # A warning tells the operator; it does not fail the machine's check.
    assert code == 0 and report["ok"] is True, report


@pytest.mark.slow
def test_self_check_does_not_warn_on_a_simulated_site_or_with_the_real_model(
    tmp_path: Path,
) -> None:
    clip = require_shared("media/highway-day-1.mp4")
    coco = require_shared("models/yolo11n_int8_openvino_model")
    simulated = write_site(tmp_path, "demo", [camera_line("sim-1", "sim://highway?seed=3")])
    _, report = self_check(simulated)
    assert model_check(report)["status"] == "ok", report
    (tmp_path / "real").mkdir()
    real = write_site(tmp_path / "real", str(coco), [camera_line("hw-real", str(clip))])
    code, report = self_check(real)
    check = model_check(report)
    assert check["status"] == "ok" and check["demo"] is False, check
    assert "WARNING" not in check["detail"]
    assert code == 0, report


def test_the_text_report_shows_a_warning_and_counts_it_without_failing(tmp_path: Path) -> None:
    from console.install.self_check import SelfCheckReport
    from console.install.self_check_checks import CheckResult

    report = SelfCheckReport(tmp_path / "site.yaml", "given")
    report.checks = [
        CheckResult("version", "ok", "RoadWatch"),
        CheckResult("model", "warn", "WARNING: real cameras (hw) are analysed by the demo"),
        CheckResult("bus", "skip", "not configured"),
    ]
    lines = report.text().splitlines()
    assert lines[2].startswith("WARN  model") and "WARNING: real cameras" in lines[2]
    assert lines[-1].startswith("OK: 0 failed, 1 warnings, 1 ok, 1 skipped")
    assert report.ok and report.as_json()["checks"][1]["status"] == "warn"
