"""Labelling helper for ground-truth boxes on frames of real clips (tests/data/real/boxes/).

    python tools/label_boxes.py propose CLIP --frames 8 --out tests/data/real/boxes/NAME.json
    python tools/label_boxes.py render LABELS.json FRAME --out frame.png [--zoom X0 Y0 X1 Y1]

``propose`` picks ``--frames`` frames spread over the clip and writes the COCO model's boxes
on them as a first draft, found as finely as this machine can afford: the whole frame plus
a grid of overlapping tiles over the WHOLE frame at twice the frame's resolution, and the
far band (top 45 %) at four times (finer than any setting the benchmark compares). The
draft is then corrected by eye: ``render`` draws the labelled boxes with their index and a
coordinate grid every 50 px (every 10 px on a zoomed crop) so that missing road users can
be read off and added, and wrong boxes removed, by editing the JSON. The labels' README
says what was changed by eye.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

import cv2
import numpy as np

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from console.detect.detections import Detections  # noqa: E402
from console.domain.classes import ROAD_USER_CLASS_IDS, ROAD_USER_NAMES  # noqa: E402
from console.pipeline.tiles import Tile, merge_tiles  # noqa: E402

COLOURS = {
    "person": (0, 0, 255),
    "bicycle": (255, 0, 255),
    "motorcycle": (0, 200, 255),
    "car": (0, 255, 0),
    "bus": (255, 128, 0),
    "truck": (255, 255, 0),
}


def read_frame(clip: Path, index: int) -> np.ndarray:
    capture = cv2.VideoCapture(str(clip))
    capture.set(cv2.CAP_PROP_POS_FRAMES, index)
    ok, image = capture.read()
    capture.release()
    if not ok:
        raise SystemExit(f"cannot read frame {index} of {clip}")
    return image


def grid_tiles(width: int, height: int, side: int) -> tuple[Tile, ...]:
    """Tiles of ``side`` px over the whole frame, overlapping by a quarter."""
    stride = side * 3 // 4

    def starts(length: int) -> list[int]:
        if length <= side:
            return [0]
        values = list(range(0, length - side, stride))
        return [*values, length - side]

    return tuple(
        Tile(x, y, x + min(side, width), y + min(side, height))
        for y in starts(height)
        for x in starts(width)
    )


def propose(args: argparse.Namespace) -> int:
    from console.detect.model import ModelChoice, YoloModel

    model = YoloModel(ModelChoice(str(args.model), False), image_size=640).load()
    capture = cv2.VideoCapture(str(args.clip))
    count = int(capture.get(cv2.CAP_PROP_FRAME_COUNT))
    width = int(capture.get(cv2.CAP_PROP_FRAME_WIDTH))
    height = int(capture.get(cv2.CAP_PROP_FRAME_HEIGHT))
    capture.release()
    step = (count - 20) // args.frames
    indices = [10 + step * i + step // 2 for i in range(args.frames)]
    classes = sorted(ROAD_USER_CLASS_IDS.values())
    tiles = grid_tiles(width, height, 320)
    frames: dict[str, list[dict[str, Any]]] = {}
    for index in indices:
        image = read_frame(args.clip, index)
        whole = model.predict([image], args.confidence, classes, 640)[0]
        pieces = model.predict([t.crop(image) for t in tiles], args.confidence, classes, 640)
        merged: Detections = merge_tiles(whole, tiles, pieces, width, height, 0.5)
        # The far band once more at four times the frame's resolution, a little less sure:
        # cars at the horizon are 8-12 px, below what even the 2x tiles find.
        far = tuple(t for t in grid_tiles(width, height, 160) if t.y1 <= 0.45 * height + 160)
        finer = model.predict([t.crop(image) for t in far], args.confidence * 0.7, classes, 640)
        merged = merge_tiles(merged, far, finer, width, height, 0.5)
        frames[str(index)] = [
            {
                "class": ROAD_USER_NAMES[int(c)],
                "box": [round(float(v)) for v in box],
            }
            for box, c in zip(merged.xyxy, merged.class_id, strict=True)
        ]
        print(f"frame {index}: {len(frames[str(index)])} boxes", file=sys.stderr)
    labels = {
        "clip": args.clip.name,
        "width": width,
        "height": height,
        "drafted_with": (
            f"{args.model.name} conf {args.confidence}: whole frame + 320 px tiles, "
            "far band 160 px tiles"
        ),
        "frames": frames,
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(labels, indent=1) + "\n", encoding="utf-8")
    return 0


def render(args: argparse.Namespace) -> int:
    labels = json.loads(args.labels.read_text(encoding="utf-8"))
    clip = args.media / labels["clip"]
    image = read_frame(clip, args.frame)
    boxes = labels["frames"][str(args.frame)]
    x0, y0, x1, y1 = args.zoom or (0, 0, image.shape[1], image.shape[0])
    scale = args.scale or max(1.0, 1200 / (x1 - x0))
    view = cv2.resize(image[y0:y1, x0:x1], None, fx=scale, fy=scale)
    step = 10 if (x1 - x0) <= 400 else 50
    for x in range((x0 // step + 1) * step, x1, step):
        px = int((x - x0) * scale)
        cv2.line(view, (px, 0), (px, view.shape[0]), (90, 90, 90), 1)
        if x % (step * 2) == 0:
            cv2.putText(view, str(x), (px + 2, 12), 0, 0.4, (255, 255, 255), 1)
    for y in range((y0 // step + 1) * step, y1, step):
        py = int((y - y0) * scale)
        cv2.line(view, (0, py), (view.shape[1], py), (90, 90, 90), 1)
        if y % (step * 2) == 0:
            cv2.putText(view, str(y), (2, py - 2), 0, 0.4, (255, 255, 255), 1)
    for number, label in enumerate(boxes):
        bx0, by0, bx1, by1 = label["box"]
        p0 = (int((bx0 - x0) * scale), int((by0 - y0) * scale))
        p1 = (int((bx1 - x0) * scale), int((by1 - y0) * scale))
        colour = COLOURS.get(label["class"], (255, 255, 255))
        cv2.rectangle(view, p0, p1, colour, 1)
        cv2.putText(view, str(number), (p0[0], p0[1] - 2), 0, 0.4, colour, 1)
    cv2.imwrite(str(args.out), view)
    print(f"{args.out}: {len(boxes)} boxes, {view.shape[1]}x{view.shape[0]}")
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(required=True)
    draft = commands.add_parser("propose", help="draft labels from the COCO model")
    draft.add_argument("clip", type=Path)
    draft.add_argument("--out", type=Path, required=True)
    draft.add_argument("--frames", type=int, default=8)
    draft.add_argument("--confidence", type=float, default=0.3)
    draft.add_argument(
        "--model", type=Path, default=REPO.parent / "shared/models/yolo11n_int8_openvino_model"
    )
    draft.set_defaults(handler=propose)
    show = commands.add_parser("render", help="draw a frame's labels with a coordinate grid")
    show.add_argument("labels", type=Path)
    show.add_argument("frame", type=int)
    show.add_argument("--out", type=Path, required=True)
    show.add_argument("--media", type=Path, default=REPO.parent / "shared/media")
    show.add_argument("--zoom", type=int, nargs=4, metavar=("X0", "Y0", "X1", "Y1"))
    show.add_argument("--scale", type=float)
    show.set_defaults(handler=render)
    args = parser.parse_args()
    handler: Any = args.handler
    return int(handler(args))


if __name__ == "__main__":
    sys.exit(main())
