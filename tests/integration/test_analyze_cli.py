"""`roadwatch analyze`: headless run, events JSONL with evidence, clean stop on SIGTERM."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from ruamel.yaml import YAML

from console.config.site_file import demo_site_path, load_site
from console.sim.clip_cache import render_missing

pytestmark = [pytest.mark.integration, pytest.mark.slow]
RUNNING: list[subprocess.Popen[str]] = []


@pytest.fixture(autouse=True)
def no_run_left_behind() -> Iterator[None]:
    """A failed test must not leave an endless ``analyze --demo`` eating the machine."""
    yield
    while RUNNING:
        process = RUNNING.pop()
        if process.poll() is None:
            process.kill()
            process.wait(timeout=10)


@pytest.fixture(scope="module")
def demo_clips() -> None:
    """The demo's cameras rendered into the session's cache: these runs are later starts."""
    urls = [camera.streams.main for camera in load_site(demo_site_path(), environ={}).cameras]
    render_missing(urls)


def analyze(args: list[str], home: Path, **env_extra: str) -> subprocess.Popen[str]:
    env = {
        **os.environ,
        "ROADWATCH_DATA_DIR": str(home / "data"),
        "ROADWATCH_LOG_DIR": str(home / "log"),
        "COLUMNS": "200",
        **env_extra,
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "console.cli.main", "analyze", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    RUNNING.append(process)
    return process


def wrong_way_site(tmp_path: Path) -> Path:
    yaml = YAML()
    demo = yaml.load(demo_site_path().read_text(encoding="utf-8"))
    camera = next(c for c in demo["cameras"] if "wrong_way" in c["streams"]["main"])
    site = yaml.load((Path(__file__).parents[1] / "fixtures/sites/one-camera.yaml").read_text())
    site["cameras"] = [camera]
    path = tmp_path / "site.yaml"
    with path.open("w", encoding="utf-8") as handle:
        yaml.dump(site, handle)
    return path


def test_wrong_way_driver_becomes_a_json_line_with_evidence_files(tmp_path: Path) -> None:
    events = tmp_path / "events.jsonl"
    process = analyze(
        [str(wrong_way_site(tmp_path)), "--duration", "60", "--events-jsonl", str(events)],
        tmp_path,
    )
    # The scripted driver turns up within the first 40 s; the run is stopped once it is written.
    wrong_way = wait_for_event(events, "wrong_way", process, timeout_s=150)
    assert process.poll() is not None or seconds_to_stop_on_sigterm(process) <= 2.5
    out, err = process.communicate(timeout=10)
    assert process.returncode == 0, err[-2000:]
    assert wrong_way, (events.read_text() if events.exists() else "no events file", out[-2000:])
    line = wrong_way[0]
    assert line["camera_id"].startswith("ql1-km122")
    assert line["started_at"].endswith("+00:00") and line["ended_at"].endswith("+00:00")
    assert line["values"]["distance_against_m"] >= 15
    assert line["severity"] == "critical"
    for kind in ("snapshot", "crop", "clip"):
        assert Path(line["evidence"][kind]).is_file(), kind
    # ... and their rows are in the store: the stop waits for the evidence writer before
    # it closes the store (it used to wait 0.6 s, and rows of late alerts were lost).
    with sqlite3.connect(tmp_path / "data" / "roadwatch.sqlite") as db:
        kinds = {
            kind
            for (kind,) in db.execute(
                "SELECT e.kind FROM evidence_items e JOIN alerts a ON a.id = e.alert_id"
                " WHERE a.type = 'wrong_way'"
            )
        }
    assert {"snapshot", "crop", "clip"} <= kinds, kinds


def wait_for_log(home: Path, needle: str, count: int, timeout_s: float) -> bool:
    """Wait until the run's log holds ``needle`` at least ``count`` times."""
    log = home / "log" / "roadwatch.log"
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if log.is_file() and log.read_text(encoding="utf-8").count(needle) >= count:
            return True
        time.sleep(0.25)
    return False


def wait_for_event(
    events: Path, kind: str, process: subprocess.Popen[str], timeout_s: float
) -> list[dict[str, Any]]:
    """Wait until the events file holds a line of type ``kind`` (or the run ends)."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline and process.poll() is None:
        text = events.read_text(encoding="utf-8") if events.is_file() else ""
        # only whole lines: the writer may be half-way through the last one
        lines = [json.loads(line) for line in text.splitlines(keepends=True) if line.endswith("\n")]
        if found := [line for line in lines if line["type"] == kind]:
            return found
        time.sleep(0.5)
    text = events.read_text(encoding="utf-8") if events.is_file() else ""
    return [line for line in map(json.loads, text.splitlines()) if line["type"] == kind]


def seconds_to_stop_on_sigterm(process: subprocess.Popen[str]) -> float:
    """Send SIGTERM; the process must end cleanly (exit 0). Returns how long it took."""
    sent = time.monotonic()
    process.send_signal(signal.SIGTERM)
    process.wait(timeout=10)
    assert process.returncode == 0
    return time.monotonic() - sent


def test_demo_analysis_stops_within_two_seconds_of_sigterm(
    tmp_path: Path, demo_clips: None
) -> None:
    process = analyze(["--demo", "--status-interval", "1"], tmp_path)
    cameras = len(YAML(typ="safe").load(demo_site_path().read_text())["cameras"])
    # However loaded the machine, the model is in and every camera live before the signal.
    assert wait_for_log(tmp_path, ": live", cameras, timeout_s=120)
    time.sleep(2)  # a couple of status refreshes with analysis running
    assert process.poll() is None, process.stderr.read() if process.stderr else ""
    assert seconds_to_stop_on_sigterm(process) <= 2.5
    out = process.stdout.read() if process.stdout else ""
    assert "ql1-km122-nhu-nguyet" in out and "live" in out


def test_sigterm_while_the_model_loads_stops_at_once(tmp_path: Path, demo_clips: None) -> None:
    process = analyze(["--demo", "--status-interval", "1"], tmp_path)
    assert wait_for_log(tmp_path, "starting (analyze", 1, timeout_s=60)
    time.sleep(0.5)  # importing Ultralytics and loading the model take seconds
    assert process.poll() is None
    assert seconds_to_stop_on_sigterm(process) <= 2.5
    err = process.stderr.read() if process.stderr else ""
    assert "stopped while starting" in err and "Traceback" not in err, err


def test_sigterm_while_the_first_start_renders_the_demo_stops_at_once(tmp_path: Path) -> None:
    cache = tmp_path / "cache"  # a new user: nothing rendered yet
    process = analyze(["--demo"], tmp_path, ROADWATCH_CACHE_DIR=str(cache))
    clips = cache / "sim-clips"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and not any(clips.glob(".render-*")):
        time.sleep(0.2)
    assert any(clips.glob(".render-*")), "rendering never started"
    assert seconds_to_stop_on_sigterm(process) <= 2.5
    # The render workers end on their own at their next rendered second, tidying up.
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and any(clips.glob(".render-*")):
        time.sleep(0.2)
    assert not any(clips.glob(".render-*")), "a half-rendered clip was left behind"
    assert all(clip.stat().st_size > 0 for clip in clips.glob("*.mp4"))
