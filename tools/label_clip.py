"""Labelling helper for real clips: contact sheets to look at, and ground-truth files.

    .venv/bin/python tools/label_clip.py sheets --camera highway-day [--step 0.5] [--out DIR]
        [--region x1,y1,x2,y2] [--start S] [--end S]
    .venv/bin/python tools/label_clip.py strip --camera highway-day [--line count] [--band 3]
    .venv/bin/python tools/label_clip.py init --camera highway-day > tests/data/real/X.truth.yaml
    .venv/bin/python tools/label_clip.py check tests/data/real/*.truth.yaml

``sheets`` writes PNG contact sheets of a camera's clip (site file: tests/data/real/site.yaml
unless --site): one tile every ``--step`` seconds, each stamped with its time in the clip,
the camera's zones (thin) and lines (thick, with the id and an arrow to the 'forward' side)
drawn on it; ``--region`` zooms into part of the frame (normalized), for small road users.
A person counts the crossings of each line tile by tile (a road user is counted when its
bottom-centre, where it touches the road, passes the line) and notes every rule-relevant
event with its times. ``strip`` stacks, frame under frame, the pixels along a line (a
time-slice: time runs down, one band of rows per frame, a tick every second): each road
user crossing the line leaves one blob in its lane, which makes dense traffic countable.
``init`` prints a ground-truth skeleton (clip name, SHA-256, duration, the counted lines)
for that person to fill in; ``check`` validates files as ``roadwatch eval`` reads them. The
format is documented in docs/ACCURACY.md.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import cv2
import numpy as np
import yaml

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from console.accuracy import clip_frames  # noqa: E402
from console.config.site import Camera  # noqa: E402
from console.config.site_file import load_site  # noqa: E402
from console.evaluation.run import prepare  # noqa: E402
from console.evaluation.truth import TruthFileError, sha256_of  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_SITE = ROOT / "tests" / "data" / "real" / "site.yaml"
ZONE_COLOUR = (0, 200, 255)
LINE_COLOUR = (255, 0, 255)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    sheets = commands.add_parser("sheets", help="contact sheets of a camera's clip")
    sheets.add_argument("--site", type=Path, default=DEFAULT_SITE)
    sheets.add_argument("--camera", required=True)
    sheets.add_argument("--step", type=float, default=0.5, help="seconds between tiles")
    sheets.add_argument("--start", type=float, default=0.0)
    sheets.add_argument("--end", type=float, default=None)
    sheets.add_argument("--columns", type=int, default=3)
    sheets.add_argument("--rows", type=int, default=3)
    sheets.add_argument("--tile-width", type=int, default=640)
    sheets.add_argument("--region", default=None, help="zoom: x1,y1,x2,y2 (0..1)")
    sheets.add_argument("--out", type=Path, default=Path("/tmp/label-sheets"))
    strip = commands.add_parser("strip", help="time-slice image along a counting line")
    strip.add_argument("--site", type=Path, default=DEFAULT_SITE)
    strip.add_argument("--camera", required=True)
    strip.add_argument("--line", default=None, help="line id (default: the first)")
    strip.add_argument("--band", type=int, default=3, help="rows per frame")
    strip.add_argument("--out", type=Path, default=Path("/tmp/label-sheets"))
    init = commands.add_parser("init", help="print a ground-truth skeleton")
    init.add_argument("--site", type=Path, default=DEFAULT_SITE)
    init.add_argument("--camera", required=True)
    check = commands.add_parser("check", help="validate ground-truth files")
    check.add_argument("files", type=Path, nargs="+")
    args = parser.parse_args()
    if args.command == "sheets":
        return write_sheets(args)
    if args.command == "strip":
        return write_strip(args)
    if args.command == "init":
        return print_skeleton(args.site, args.camera)
    return check_files(args.files)


def camera_and_clip(site_path: Path, camera_id: str) -> tuple[Camera, Path]:
    site = load_site(site_path, environ={})
    camera = next((c for c in site.cameras if c.id == camera_id), None)
    if camera is None:
        raise SystemExit(f"no camera '{camera_id}' in {site_path}")
    return camera, (site_path.parent / camera.streams.main).resolve()


def write_sheets(args: argparse.Namespace) -> int:
    camera, clip = camera_and_clip(args.site, args.camera)
    region = tuple(float(v) for v in args.region.split(",")) if args.region else None
    per_sheet = args.columns * args.rows
    tiles: list[np.ndarray] = []
    written = 0
    next_s = args.start
    args.out.mkdir(parents=True, exist_ok=True)
    for frame in clip_frames(clip, 0.0):
        at = frame.captured_epoch
        if at + 1e-6 < next_s or (args.end is not None and at > args.end):
            continue
        next_s += args.step
        tiles.append(tile(frame.image, camera, at, frame.index, region, args.tile_width))
        if len(tiles) == per_sheet:
            written += save_sheet(tiles, args, written)
            tiles = []
    if tiles:
        written += save_sheet(tiles, args, written)
    print(f"{written} sheets in {args.out}")
    return 0


def tile(
    image: np.ndarray,
    camera: Camera,
    at: float,
    index: int,
    region: tuple[float, ...] | None,
    width: int,
) -> np.ndarray:
    drawn = image.copy()
    height_px, width_px = drawn.shape[:2]
    thickness = max(1, width_px // 640)

    def px(point: tuple[float, float]) -> tuple[int, int]:
        return int(point[0] * width_px), int(point[1] * height_px)

    for zone in camera.zones:
        points = np.array([px(p) for p in zone.polygon], np.int32)
        cv2.polylines(drawn, [points], True, ZONE_COLOUR, thickness)
    for line in camera.lines:
        start, end = px(line.points[0]), px(line.points[1])
        cv2.line(drawn, start, end, LINE_COLOUR, thickness * 2)
        # 'forward' is crossing from the line's left to its right: the arrow points right.
        middle = ((start[0] + end[0]) // 2, (start[1] + end[1]) // 2)
        dx, dy = end[0] - start[0], end[1] - start[1]
        norm = max(1.0, float(np.hypot(dx, dy)))
        right = (
            int(middle[0] - dy / norm * 40 * thickness),
            int(middle[1] + dx / norm * 40 * thickness),
        )
        cv2.arrowedLine(drawn, middle, right, LINE_COLOUR, thickness * 2)
        cv2.putText(
            drawn, line.id, start, cv2.FONT_HERSHEY_SIMPLEX, thickness, LINE_COLOUR, thickness * 2
        )
    if region is not None:
        x1, y1, x2, y2 = region
        drawn = drawn[
            int(y1 * height_px) : int(y2 * height_px), int(x1 * width_px) : int(x2 * width_px)
        ]
    scale = width / drawn.shape[1]
    drawn = cv2.resize(drawn, (width, int(drawn.shape[0] * scale)), interpolation=cv2.INTER_AREA)
    stamp = f"t={at:5.2f}s  frame {index}"
    cv2.rectangle(drawn, (0, 0), (230, 26), (0, 0, 0), -1)
    cv2.putText(drawn, stamp, (4, 19), cv2.FONT_HERSHEY_SIMPLEX, 0.6, (255, 255, 255), 1)
    return drawn


def write_strip(args: argparse.Namespace) -> int:
    camera, clip = camera_and_clip(args.site, args.camera)
    line = next((item for item in camera.lines if args.line in (None, item.id)), None)
    if line is None:
        raise SystemExit(f"camera '{camera.id}' has no line '{args.line}'")
    rows: list[np.ndarray] = []
    ticks: list[int] = []
    next_tick = 0.0
    for frame in clip_frames(clip, 0.0):
        height, width = frame.image.shape[:2]
        (x1, y1), (x2, y2) = line.points
        start = np.array([x1 * width, y1 * height])
        end = np.array([x2 * width, y2 * height])
        length = int(np.linalg.norm(end - start))
        along = np.linspace(0.0, 1.0, length)[None, :, None]
        normal = np.array([-(end - start)[1], (end - start)[0]]) / max(1.0, length)
        offsets = np.arange(args.band)[:, None, None] - args.band // 2
        points = start + along * (end - start) + offsets * normal
        band = cv2.remap(
            frame.image,
            points[..., 0].astype(np.float32),
            points[..., 1].astype(np.float32),
            cv2.INTER_LINEAR,
        )
        if frame.captured_epoch + 1e-6 >= next_tick:
            ticks.append(len(rows) * args.band)
            next_tick += 1.0
        rows.append(band)
    image = np.vstack(rows)
    margin = np.zeros((image.shape[0], 48, 3), np.uint8)
    for second, y in enumerate(ticks):
        cv2.line(margin, (36, y), (47, y), (255, 255, 255), 1)
        cv2.putText(margin, f"{second}s", (0, y + 12), cv2.FONT_HERSHEY_SIMPLEX, 0.4, (255,) * 3, 1)
    path = args.out / f"{camera.id}-{line.id}-strip.png"
    args.out.mkdir(parents=True, exist_ok=True)
    cv2.imwrite(str(path), np.hstack([margin, image]))
    print(f"{path}: {len(rows)} frames, {args.band} rows each, time runs down")
    return 0


def save_sheet(tiles: list[np.ndarray], args: argparse.Namespace, number: int) -> int:
    height, width = tiles[0].shape[:2]
    sheet = np.zeros((height * args.rows, width * args.columns, 3), np.uint8)
    for i, image in enumerate(tiles):
        row, column = divmod(i, args.columns)
        sheet[row * height : (row + 1) * height, column * width : (column + 1) * width] = image
    used_rows = (len(tiles) + args.columns - 1) // args.columns
    path = args.out / f"{args.camera}-{number:02d}.png"
    cv2.imwrite(str(path), sheet[: used_rows * height])
    return 1


def print_skeleton(site_path: Path, camera_id: str) -> int:
    camera, clip = camera_and_clip(site_path, camera_id)
    frames = list(clip_frames(clip, 0.0))
    last = frames[-1].captured_epoch if frames else 0.0
    # the last frame lasts one frame period too
    duration = last + last / (len(frames) - 1) if len(frames) > 1 else last
    counted = [r.line for r in camera.rules if r.type == "line_count"]
    skeleton = {
        "clip": clip.name,
        "sha256": sha256_of(clip),
        "site": "site.yaml",
        "camera": camera.id,
        "duration_s": round(duration, 2),
        "labelled_by": "NAME, how (e.g. contact sheets every 0.5 s from tools/label_clip.py)",
        "events": [],
        "counts": [
            {"line": line, "classes": "vehicles", "direction": "any", "count": None}
            for line in counted
        ],
        "notes": "",
    }
    print("# Fill in every count and event (events: [] only if there is none), then:")
    print("#   .venv/bin/python tools/label_clip.py check THIS_FILE")
    print(yaml.safe_dump(skeleton, sort_keys=False, allow_unicode=True), end="")
    return 0


def check_files(files: list[Path]) -> int:
    failed = 0
    for path in files:
        try:
            setup = prepare(path)
        except TruthFileError as exc:
            print(f"FAIL {exc}")
            failed += 1
            continue
        truth = setup.truth
        counts = ", ".join(f"{c.label}={c.count}" for c in truth.counts) or "no counts"
        print(f"OK   {path}: {truth.clip}, {len(truth.events)} events, {counts}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
