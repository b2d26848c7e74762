"""Console load: CPU of a display-only console on a site bus against a standalone console,
16 tiles of the same site; and how well the nodes' boxes sit on the frames it shows.

Each console runs in its own process (``--role standalone`` / ``--role display``, spawned by
this script), offscreen, the real ``ConsoleSession`` and ``MainWindow`` on a 4x4 wall of
``--cameras`` simulated cameras (the demo site's cameras dealt over ``cam-01``...). The
standalone console decodes and analyses every camera itself; the display console has a
``bus:`` section: a local ``nats-server -js`` and ``--nodes`` real ``roadwatch node``
processes analyse the cameras, the console decodes the 16 tiles and draws the nodes' boxes.
After the cameras are live and ``--warmup`` seconds, the console process's CPU time is taken
over ``--seconds`` (cores used = CPU seconds / wall seconds; the nodes are not counted).
Goal: the display console uses at least 4 x less CPU.

Overlay alignment (display console): every 0.25 s, for each of ``--iou-cameras`` cameras, the
frame the tile shows and the boxes drawn on it are compared with the simulator's ground truth
of that frame (the clip is rendered again with its truth, ``console.sim.export``): each drawn
box is matched to the truth box of highest IoU (road users at least 12 px tall). Goal:
median IoU >= 0.8.
Prints one JSON object on its last line. Run: python bench/console_load.py [--seconds 60]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import psutil  # noqa: E402

from bench.support.machine import machine_description  # noqa: E402
from console.bus.local_server import LocalNatsServer  # noqa: E402
from console.domain.geometry import box_iou  # noqa: E402
from console.sim.clip_cache import CLIP_FPS  # noqa: E402
from tests.integration.bus_support import NodeProcess, bus_site_file  # noqa: E402

SITE_ID = "console-load-bench"
DEMO_CAMERAS = [
    "ql1-km122-nhu-nguyet",
    "ql1-km129-dai-phuc",
    "ql1-km133-lim",
    "ql1-km141-tu-son",
    "ql1-km147-dinh-bang",
    "ql18-km12-yen-phong",
    "ql18-km19-kcn-yen-phong",
    "ql18-km28-vu-ninh",
]
MIN_TRUTH_HEIGHT_PX = 12


# ---- the console process ------------------------------------------------------------------


def truth_by_index(url: str, folder: Path) -> dict[int, list[tuple[float, float, float, float]]]:
    """The simulated camera's ground-truth boxes per frame index (rendered again, as cached)."""
    from dataclasses import replace

    from console.sim.export import export_clip
    from console.sim.scenario import load_scenario
    from console.sim.url import parse_sim_url

    config = parse_sim_url(url)
    config = replace(config, fps=min(config.fps, CLIP_FPS))
    seconds = load_scenario(config.scenario).duration_s if config.scenario else 60.0
    result = export_clip(config, seconds, folder)
    truth = json.loads(result.truth_path.read_text(encoding="utf-8"))
    frames = truth["frames"]
    boxes: dict[int, list[tuple[float, float, float, float]]] = {}
    for frame in frames:
        boxes[int(frame["index"])] = [
            tuple(obj["box_xyxy"])  # type: ignore[misc]
            for obj in frame["objects"]
            if obj["box_xyxy"][3] - obj["box_xyxy"][1] >= MIN_TRUTH_HEIGHT_PX
        ]
    return boxes


def console_process(args: argparse.Namespace) -> dict[str, Any]:
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication

    from console.config.site_file import load_site
    from console.domain.health import StreamState
    from ui.app import application
    from ui.main_window import MainWindow
    from ui.screenshots import wait_for
    from ui.session import ConsoleSession

    work = Path(args.work)
    os.environ["ROADWATCH_CONFIG_DIR"] = str(work / f"config-{args.role}")
    site_path = Path(args.site)
    site = load_site(site_path)
    app = application()
    session = ConsoleSession(site, base_dir=site_path.parent, database=work / f"{args.role}.db")
    session.role = lambda: "operator"
    settings = QSettings(str(work / f"ui-{args.role}.ini"), QSettings.Format.IniFormat)
    window = MainWindow(site, settings, session, sound_player=lambda alert: None)
    window.resize(1920, 1080)
    window.show()
    window.wall.set_layout("4x4")
    window.wall.show_cameras([c for c in site.cameras if c.enabled][:16])
    session.start()
    live = wait_for(
        app,
        lambda: (
            sum(window.camera_tree.state_of(c.id) is StreamState.LIVE for c in site.cameras)
            >= min(16, len(site.cameras))
        ),
        180,
    )
    wait_for(app, lambda: False, args.warmup)
    truths: dict[str, dict[int, list[tuple[float, float, float, float]]]] = {}
    if args.role == "display":
        for camera in site.cameras[: args.iou_cameras]:
            shown_url = camera.streams.detect or camera.streams.main  # small tiles: sub-stream
            truths[camera.id] = truth_by_index(shown_url, work / f"truth-{camera.id}")
    process = psutil.Process()
    before, started = process.cpu_times(), time.monotonic()
    ious: list[float] = []
    ious_at_analysed: list[float] = []  # the same boxes against their own frame's truth
    offsets: list[int] = []  # shown frame index - analysed frame index
    drawn_frames = 0
    shown_frames = 0
    while time.monotonic() - started < args.seconds:
        wait_for(app, lambda: False, 0.25)
        for camera_id, truth in truths.items():
            _version, frame = window.bridge.latest_frame(camera_id)
            result = window.bridge.latest_result(camera_id)
            if frame is None or frame.position_s is None:
                continue
            shown_frames += 1
            if result is None or not len(result.detections):
                continue
            drawn_frames += 1
            index = int(round(frame.position_s * CLIP_FPS))  # the clip's frame shown
            wanted = truth.get(index) or []
            made = session.bus_link.overlays.matched(camera_id) if session.bus_link else None
            analysed_index = (
                int(round((made.captured_at % (len(truth) / CLIP_FPS)) * CLIP_FPS)) % len(truth)
                if made is not None
                else index
            )
            offsets.append(index - analysed_index)
            own = truth.get(analysed_index) or []
            for box in result.detections.xyxy.tolist():
                if wanted:
                    ious.append(max(box_iou(tuple(box), t) for t in wanted))  # type: ignore[arg-type]
            if made is not None and own:  # the detector's own boxes on the frame it analysed
                sx = frame.image.shape[1] / made.width
                sy = frame.image.shape[0] / made.height
                for node_box in made.boxes:
                    x1, y1, x2, y2 = node_box.xyxy
                    scaled = (x1 * sx, y1 * sy, x2 * sx, y2 * sy)
                    ious_at_analysed.append(max(box_iou(scaled, t) for t in own))  # type: ignore[arg-type]
    after, ended = process.cpu_times(), time.monotonic()
    cpu_s = (after.user - before.user) + (after.system - before.system)
    wall_s = ended - started
    alerts = len(window.alert_service.alerts)
    session.stop()
    window.close()
    QApplication.processEvents()
    return {
        "role": args.role,
        "cameras_live": live,
        "tiles": 16,
        "cpu_cores": round(cpu_s / wall_s, 3),
        "cpu_s": round(cpu_s, 1),
        "wall_s": round(wall_s, 1),
        "alerts_in_queue": alerts,
        "overlay_iou_p50": round(statistics.median(ious), 3) if ious else None,
        "overlay_iou_p25": round(sorted(ious)[len(ious) // 4], 3) if ious else None,
        "overlay_boxes": len(ious),
        "overlay_iou_p50_at_analysed_frame": (
            round(statistics.median(ious_at_analysed), 3) if ious_at_analysed else None
        ),
        "frame_offset_shown_minus_analysed": dict(sorted(Counter(offsets).items())),
        "frames_sampled": shown_frames,
        "frames_with_boxes": drawn_frames,
    }


# ---- the driver -----------------------------------------------------------------------------


def run_console(role: str, site: Path, work: Path, args: argparse.Namespace) -> dict[str, Any]:
    command = [
        sys.executable,
        __file__,
        "--role",
        role,
        "--site",
        str(site),
        "--work",
        str(work),
        "--seconds",
        str(args.seconds),
        "--warmup",
        str(args.warmup),
        "--iou-cameras",
        str(args.iou_cameras),
    ]
    done = subprocess.run(command, capture_output=True, text=True, timeout=1800, check=False)
    lines = done.stdout.strip().splitlines()
    if done.returncode != 0 or not lines:
        raise SystemExit(f"{role} console failed:\n{done.stderr[-3000:]}")
    return dict(json.loads(lines[-1]))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--cameras", type=int, default=16)
    parser.add_argument("--nodes", type=int, default=2)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--warmup", type=float, default=15.0)
    parser.add_argument("--iou-cameras", type=int, default=2)
    parser.add_argument(
        "--sub-streams",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="cameras have a 640x360 detect stream (small tiles show it on a bus console)",
    )
    parser.add_argument("--role", choices=("standalone", "display"), default=None)
    parser.add_argument("--site", default=None)
    parser.add_argument("--work", default=None)
    args = parser.parse_args()
    if args.role is not None:
        print(json.dumps(console_process(args)))
        return
    with tempfile.TemporaryDirectory(prefix="rw-console-load-") as temp:
        work = Path(temp)
        server = LocalNatsServer(work / "nats")
        server.start()
        try:
            common = {
                "repeat_to": args.cameras,
                "site_id": SITE_ID,
                "image_size": 480,
                "sub_streams": args.sub_streams,
            }
            bus_site = bus_site_file(work / "bus", server.url, DEMO_CAMERAS, **common)  # type: ignore[arg-type]
            standalone_site = work / "standalone" / "site.yaml"
            standalone_site.parent.mkdir()
            text = bus_site.read_text(encoding="utf-8")
            standalone_site.write_text(text.split("\nbus:")[0] + "\n", encoding="utf-8")
            standalone = run_console("standalone", standalone_site, work, args)
            nodes = [
                NodeProcess(bus_site, f"node-{i + 1}", work / f"node-{i + 1}", capacity=16)
                for i in range(args.nodes)
            ]
            for node in nodes:
                node.start()
            try:
                display = run_console("display", bus_site, work, args)
            finally:
                for node in nodes:
                    node.stop()
        finally:
            server.stop()
    ratio = standalone["cpu_cores"] / display["cpu_cores"] if display["cpu_cores"] else None
    iou = display.get("overlay_iou_p50")
    result = {
        "benchmark": "console_load",
        "machine": machine_description(),
        "standalone": standalone,
        "display": display,
        "cpu_ratio_standalone_to_display": round(ratio, 2) if ratio else None,
        "goal_cpu_4x_less": bool(ratio and ratio >= 4.0),
        "goal_overlay_iou_p50_0_8": bool(iou is not None and iou >= 0.8),
    }
    print(json.dumps(result))


if __name__ == "__main__":
    main()
