"""Recall by object size on real frames: demo model, COCO model, COCO model with tiling.

Every labelled frame of tests/data/real/boxes/ (frames of the clips in ../shared/media)
goes through the live pipeline's detector step, ``CameraPipeline.detect`` of a camera
with ``detect_region: full`` (the clips have no zones) and the configuration's
``detect_tiles``, at the site's default confidence. A labelled box is found when a box of
its group (person; two-wheeler: bicycle, motorcycle; vehicle: car, bus, truck) overlaps it
with IoU >= ``--iou``. Recall is reported by the labelled box's height at the source
resolution; precision over all boxes; model ms per frame (median).

A person box lying mostly inside a two-wheeler box is a rider, not a pedestrian: neither a
labelled object nor a false alarm. Boxes centred in a clip's ``ignore`` rectangles count
neither way. Prints ONE JSON object. Run:
    python bench/recall_by_size.py [--configs demo coco coco-tiles] [--clips highway-day-1]
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path
from typing import Any

import cv2
import numpy as np

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from bench.support.machine import machine_description  # noqa: E402
from console.config.site_file import SiteConfig, load_site_text  # noqa: E402
from console.detect.detections import Detections  # noqa: E402
from console.detect.model import ModelChoice, YoloModel, choose_model  # noqa: E402
from console.pipeline.camera import CameraPipeline  # noqa: E402
from console.sources.base import Frame  # noqa: E402

LABELS = REPO / "tests" / "data" / "real" / "boxes"
MEDIA = REPO.parent / "shared" / "media"
COCO = REPO.parent / "shared" / "models" / "yolo11n_int8_openvino_model"
BUCKETS = ((0, 16, "<16"), (16, 32, "16-32"), (32, 96, "32-96"), (96, 10_000, ">96"))
GROUPS = {
    "person": "person",
    "bicycle": "two-wheeler",
    "motorcycle": "two-wheeler",
    "car": "vehicle",
    "bus": "vehicle",
    "truck": "vehicle",
}
RIDER_SHARE = 0.4  # of a person box inside a two-wheeler box: a rider

SITE = """\
schema_version: 1
site: {{id: bench, name: Recall by size}}
model: {{path: demo, image_size: {size}}}
routes:
  - {{id: QL1, name: Q, markers: [{{km: 0, lat: 21, lon: 106}}, {{km: 10, lat: 21, lon: 106}}]}}
cameras:
  - {{id: real, name: real, route: QL1, km: 1, lat: 21, lon: 106, streams: {{main: sim://x}},
     detect_region: full, detect_tiles: {tiles}}}
"""

CONFIGS: dict[str, tuple[str, str]] = {  # name: model, detect_tiles
    "demo": ("demo", "off"),
    "coco": ("coco", "off"),
    "coco-tiles": ("coco", "auto"),
    "coco-tiles-3": ("coco", "3"),
}


def clip_path(name: str) -> Path:
    for candidate in (MEDIA / name, MEDIA / "extra" / name):
        if candidate.exists():
            return candidate
    raise SystemExit(f"clip {name} is not in {MEDIA}")


def read_frame(clip: Path, index: int) -> np.ndarray:
    capture = cv2.VideoCapture(str(clip))
    capture.set(cv2.CAP_PROP_POS_FRAMES, index)
    ok, image = capture.read()
    capture.release()
    if not ok:
        raise SystemExit(f"cannot read frame {index} of {clip}")
    return image


def overlap(a: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """IoU and intersection over ``a``'s area, every box of ``a`` against every one of ``b``."""
    if not len(a) or not len(b):
        return np.zeros((len(a), len(b))), np.zeros((len(a), len(b)))
    ix = np.minimum(a[:, None, 2], b[None, :, 2]) - np.maximum(a[:, None, 0], b[None, :, 0])
    iy = np.minimum(a[:, None, 3], b[None, :, 3]) - np.maximum(a[:, None, 1], b[None, :, 1])
    inter = np.maximum(ix, 0) * np.maximum(iy, 0)
    area_a = (a[:, 2] - a[:, 0]) * (a[:, 3] - a[:, 1])
    area_b = (b[:, 2] - b[:, 0]) * (b[:, 3] - b[:, 1])
    union = area_a[:, None] + area_b[None, :] - inter
    return inter / np.maximum(union, 1e-9), inter / np.maximum(area_a[:, None], 1e-9)


def riders(boxes: np.ndarray, groups: list[str], two_wheelers: np.ndarray) -> np.ndarray:
    """Which boxes are persons mostly inside a two-wheeler box."""
    persons = np.array([g == "person" for g in groups], bool)
    if not persons.any() or not len(two_wheelers):
        return np.zeros(len(boxes), bool)
    _, inside = overlap(boxes, two_wheelers)
    return persons & (inside.max(axis=1) >= RIDER_SHARE)


def in_rectangles(boxes: np.ndarray, rectangles: list[list[float]]) -> np.ndarray:
    centre_x, centre_y = (boxes[:, 0] + boxes[:, 2]) / 2, (boxes[:, 1] + boxes[:, 3]) / 2
    hit = np.zeros(len(boxes), bool)
    for x0, y0, x1, y1 in rectangles:
        hit |= (centre_x >= x0) & (centre_x <= x1) & (centre_y >= y0) & (centre_y <= y1)
    return hit


def score_frame(
    truth: list[dict[str, Any]], found: Detections, ignore: list[list[float]], iou: float
) -> dict[str, Any]:
    """Matched and missed labelled boxes (with heights), true and false detections."""
    gt = np.array([t["box"] for t in truth], np.float64).reshape(-1, 4)
    gt_groups = [GROUPS[t["class"]] for t in truth]
    pred = found.xyxy.astype(np.float64)
    pred_groups = [GROUPS.get(found.class_name(i), "other") for i in range(len(found))]
    gt_wheels = gt[[g == "two-wheeler" for g in gt_groups]]
    pred_wheels = pred[[g == "two-wheeler" for g in pred_groups]]
    gt_counted = ~riders(gt, gt_groups, gt_wheels) & ~in_rectangles(gt, ignore)
    pred_counted = (
        ~riders(pred, pred_groups, np.concatenate([gt_wheels, pred_wheels]))
        & ~in_rectangles(pred, ignore)
        & np.array([g != "other" for g in pred_groups], bool)
    )
    ious, _ = overlap(gt, pred)
    matched_gt = np.zeros(len(gt), bool)
    used = np.zeros(len(pred), bool)
    pairs = sorted(
        ((ious[i, j], i, j) for i in range(len(gt)) for j in range(len(pred)) if ious[i, j] >= iou),
        reverse=True,
    )
    for _, i, j in pairs:
        if matched_gt[i] or used[j] or gt_groups[i] != pred_groups[j]:
            continue
        matched_gt[i] = used[j] = True
    heights = gt[:, 3] - gt[:, 1]
    return {
        "found": [
            (float(h), gt_groups[i])
            for i, h in enumerate(heights)
            if gt_counted[i] and matched_gt[i]
        ],
        "missed": [
            (float(h), gt_groups[i])
            for i, h in enumerate(heights)
            if gt_counted[i] and not matched_gt[i]
        ],
        "true": int((used & pred_counted).sum()),
        "false": int((~used & pred_counted).sum()),
    }


def reviewed(label: dict[str, Any]) -> str:
    return str(label.get("reviewed", "not reviewed"))


def pipeline_for(site: SiteConfig) -> CameraPipeline:
    return CameraPipeline(site.cameras[0], site, motion_gate=False)


def load_model(kind: str, size: int) -> YoloModel:
    choice = choose_model("demo") if kind == "demo" else ModelChoice(str(COCO), False)
    return YoloModel(choice, image_size=size).load()


def summarise(scores: list[dict[str, Any]], times_ms: list[float]) -> dict[str, Any]:
    found = [h for s in scores for h in s["found"]]
    missed = [h for s in scores for h in s["missed"]]
    buckets = {}
    for low, high, name in BUCKETS:
        hit = sum(low <= h < high for h, _ in found)
        total = hit + sum(low <= h < high for h, _ in missed)
        buckets[name] = {
            "found": hit,
            "labelled": total,
            "recall": round(hit / total, 3) if total else None,
        }
    groups = {}
    for group in ("person", "two-wheeler", "vehicle"):
        hit = sum(g == group for _, g in found)
        total = hit + sum(g == group for _, g in missed)
        groups[group] = {
            "found": hit,
            "labelled": total,
            "recall": round(hit / total, 3) if total else None,
        }
    true = sum(s["true"] for s in scores)
    false = sum(s["false"] for s in scores)
    return {
        "recall": round(len(found) / max(1, len(found) + len(missed)), 3),
        "precision": round(true / max(1, true + false), 3),
        "false_detections": false,
        "by_height_px": buckets,
        "by_group": groups,
        "model_ms_per_frame_p50": round(statistics.median(times_ms), 1) if times_ms else None,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--configs", nargs="+", default=["demo", "coco", "coco-tiles"], choices=CONFIGS
    )
    parser.add_argument("--clips", nargs="+", help="label files' names (default: all)")
    parser.add_argument("--image-size", type=int, default=640)
    parser.add_argument("--iou", type=float, default=0.5)
    parser.add_argument("--model", type=Path, help="a model to measure instead of the COCO one")
    parser.add_argument(
        "--reviewed-only", action="store_true", help="only clips whose labels were checked by eye"
    )
    args = parser.parse_args()
    global COCO
    if args.model:
        COCO = args.model
    files = sorted(LABELS.glob("*.json"))
    if args.clips:
        files = [f for f in files if f.stem in args.clips]
    labels = [json.loads(f.read_text(encoding="utf-8")) for f in files]
    if args.reviewed_only:
        labels = [label for label in labels if not reviewed(label).startswith("not reviewed")]
    frames = {
        (label["clip"], int(index)): read_frame(clip_path(label["clip"]), int(index))
        for label in labels
        for index in label["frames"]
    }
    models: dict[str, YoloModel] = {}
    results: dict[str, Any] = {}
    started = time.monotonic()
    for config in args.configs:
        kind, tiles = CONFIGS[config]
        model = models.get(kind) or load_model(kind, args.image_size)
        models[kind] = model
        site = load_site_text(SITE.format(size=args.image_size, tiles=tiles))
        per_clip: dict[str, Any] = {}
        all_scores: list[dict[str, Any]] = []
        all_times: list[float] = []
        passes = 1
        for label in labels:
            pipeline = pipeline_for(site)
            scores, times = [], []
            for index, truth in label["frames"].items():
                image = frames[(label["clip"], int(index))]
                frame = Frame(image, int(index), 0.0, 1_800_000_000.0 + int(index))
                began = time.perf_counter()
                found = pipeline.detect(model, [frame])[0]
                times.append((time.perf_counter() - began) * 1000.0)
                scores.append(score_frame(truth, found, label.get("ignore", []), args.iou))
            per_clip[label["clip"]] = {
                **summarise(scores, times),
                "passes_per_frame": pipeline.detector_passes,
                "reviewed_by_eye": not reviewed(label).startswith("not reviewed"),
            }
            passes = max(passes, pipeline.detector_passes)
            all_scores += scores
            all_times += times
        results[config] = {
            "model": Path(model.choice.path).name,
            "detect_tiles": tiles,
            **summarise(all_scores, all_times),
            "clips": per_clip,
        }
        print(f"{config}: recall {results[config]['recall']}", file=sys.stderr)
    print(
        json.dumps(
            {
                "bench": "recall_by_size",
                "machine": machine_description(),
                "image_size": args.image_size,
                "iou": args.iou,
                "frames": len(frames),
                "clips": [label["clip"] for label in labels],
                "seconds": round(time.monotonic() - started, 1),
                "results": results,
            }
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
