"""Fine-tune a detector on a centre's own frames: YOLO dataset -> Ultralytics -> model card.

    # 1. the frames: operators' decisions, or hand-labelled boxes of real clips
    roadwatch export-dataset --since 2026-01-01 --out exported/ --user NAME
    python tools/fine_tune.py --dataset exported/ --weights yolo11n.pt --out models/ft/
    python tools/fine_tune.py --boxes tests/data/real/boxes --media ../shared/media
        --weights resources/models/roadwatch-demo-yolo11n.pt --out /tmp/ft

Every ``--holdout-every``-th image (by name; for ``--boxes``, the last frames of each clip)
is held out: never trained on, used to measure the starting and the fine-tuned model alike
(mAP50, precision, recall). Training runs on the CPU with Ultralytics from ``--weights``
(a .pt: an INT8 OpenVINO export cannot be trained; start from the same model's .pt), keeps
the starting model's class names (label lines of other classes are dropped, counted), then
exports OpenVINO (FP16, dynamic input: it runs at any camera's input size) and writes the
model card (``README.md`` and ``model-card.json``) beside it: data, epochs, minutes, and
the before/after metrics on the held-out images. Set ``model.path`` to the exported folder.
Nothing is downloaded: Ultralytics runs with ``YOLO_OFFLINE=1``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import sys
import time
from pathlib import Path
from typing import Any

import cv2

REPO = Path(__file__).resolve().parents[1]
IMAGE_SUFFIXES = (".jpg", ".jpeg", ".png")


def split_dataset(source: Path, work: Path, holdout_every: int) -> tuple[list[Path], list[Path]]:
    """Images of a YOLO dataset (``images/**``, ``labels/**``) split into train and held-out."""
    images = sorted(p for p in (source / "images").rglob("*") if p.suffix.lower() in IMAGE_SUFFIXES)
    if len(images) < 2:
        raise SystemExit(f"{source}: need at least 2 images under images/, found {len(images)}")
    pairs = []
    for image in images:
        label = source / "labels" / image.relative_to(source / "images").with_suffix(".txt")
        pairs.append((image, label))
    held = [pair for i, pair in enumerate(pairs) if i % holdout_every == holdout_every - 1]
    train = [pair for pair in pairs if pair not in held]
    return _copy(train, work / "train"), _copy(held, work / "holdout")


def _copy(pairs: list[tuple[Path, Path]], folder: Path) -> list[Path]:
    (folder / "images").mkdir(parents=True, exist_ok=True)
    (folder / "labels").mkdir(parents=True, exist_ok=True)
    copied = []
    for image, label in pairs:
        target = folder / "images" / image.name
        shutil.copy(image, target)
        text = label.read_text(encoding="utf-8") if label.exists() else ""
        (folder / "labels" / f"{image.stem}.txt").write_text(text, encoding="utf-8")
        copied.append(target)
    return copied


def boxes_dataset(boxes: Path, media: Path, work: Path, holdout_frames: int) -> dict[str, int]:
    """tests/data/real/boxes-style labels as a YOLO dataset; each clip's last frames held out."""
    from console.domain.classes import ROAD_USER_CLASS_IDS

    counts = {"train": 0, "holdout": 0}
    for labels_file in sorted(boxes.glob("*.json")):
        labels = json.loads(labels_file.read_text(encoding="utf-8"))
        clip = next(
            (p for p in (media / labels["clip"], media / "extra" / labels["clip"]) if p.exists()),
            None,
        )
        if clip is None:
            raise SystemExit(f"clip {labels['clip']} of {labels_file} is not under {media}")
        indices = sorted(labels["frames"], key=int)
        for position, index in enumerate(indices):
            split = "holdout" if position >= len(indices) - holdout_frames else "train"
            capture = cv2.VideoCapture(str(clip))
            capture.set(cv2.CAP_PROP_POS_FRAMES, int(index))
            ok, image = capture.read()
            capture.release()
            if not ok:
                raise SystemExit(f"cannot read frame {index} of {clip}")
            height, width = image.shape[:2]
            stem = f"{labels_file.stem}-{int(index):05d}"
            (work / split / "images").mkdir(parents=True, exist_ok=True)
            (work / split / "labels").mkdir(parents=True, exist_ok=True)
            cv2.imwrite(str(work / split / "images" / f"{stem}.jpg"), image)
            lines = []
            for box in labels["frames"][index]:
                x0, y0, x1, y1 = box["box"]
                lines.append(
                    f"{ROAD_USER_CLASS_IDS[box['class']]} {(x0 + x1) / 2 / width:.6f} "
                    f"{(y0 + y1) / 2 / height:.6f} {(x1 - x0) / width:.6f} {(y1 - y0) / height:.6f}"
                )
            (work / split / "labels" / f"{stem}.txt").write_text("\n".join(lines) + "\n", "utf-8")
            counts[split] += 1
    if not counts["train"] or not counts["holdout"]:
        raise SystemExit(f"{boxes}: no frames to train on or to hold out ({counts})")
    return counts


def keep_known_classes(work: Path, names: dict[int, str]) -> int:
    """Drop label lines of classes the starting model does not have; how many were dropped."""
    dropped = 0
    for label in work.rglob("labels/*.txt"):
        lines = label.read_text(encoding="utf-8").splitlines()
        kept = [line for line in lines if line.strip() and int(line.split()[0]) in names]
        dropped += sum(bool(line.strip()) for line in lines) - len(kept)
        label.write_text("".join(f"{line}\n" for line in kept), encoding="utf-8")
    return dropped


def write_data_yaml(work: Path, names: dict[int, str]) -> Path:
    listed = "\n".join(f"  {k}: {v}" for k, v in sorted(names.items()))
    path = work / "data.yaml"
    path.write_text(
        f"path: {work.resolve()}\ntrain: train/images\nval: holdout/images\nnames:\n{listed}\n",
        encoding="utf-8",
    )
    return path


def measure(weights: Path | str, data: Path, image_size: int) -> dict[str, float]:
    """mAP50, mAP50-95, precision and recall on the held-out images."""
    from ultralytics import YOLO

    metrics = YOLO(str(weights), task="detect").val(
        data=str(data), imgsz=image_size, batch=1, device="cpu", plots=False, verbose=False
    )
    box = metrics.box
    return {
        "map50": round(float(box.map50), 4),
        "map50_95": round(float(box.map), 4),
        "precision": round(float(box.mp), 4),
        "recall": round(float(box.mr), 4),
    }


def card_markdown(card: dict[str, Any]) -> str:
    before, after = card["holdout_before"], card["holdout_after"]
    rows = "\n".join(
        f"| {name} | {before[name]} | {after[name]} |"
        for name in ("map50", "map50_95", "precision", "recall")
    )
    return f"""# Fine-tuned detector (model card)

| | |
|---|---|
| Started from | `{card["weights"]}` |
| Data | {card["data"]} |
| Images | {card["train_images"]} trained on, {card["holdout_images"]} held out (never trained on) |
| Label lines dropped (class not in the model) | {card["dropped_labels"]} |
| Training | {card["epochs"]} epochs, {card["image_size"]} px, batch {card["batch"]}, CPU |
| Minutes (data, training, measuring, export) | {card["minutes"]} |
| Machine | {card["machine"]} |
| Exported | `{card["openvino"]}` (OpenVINO FP16, dynamic input) |

## Held-out images, before and after (Ultralytics val at {card["image_size"]} px)

| metric | before | after |
|---|---|---|
{rows}

Set `model.path` in the site file to the exported folder; check it with
`roadwatch --self-check`. Licence: trained with Ultralytics YOLO (AGPL-3.0).
"""


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    data = parser.add_mutually_exclusive_group(required=True)
    data.add_argument("--dataset", type=Path, help="a YOLO dataset (roadwatch export-dataset)")
    data.add_argument("--boxes", type=Path, help="labelled real-clip boxes (tests/data/real/boxes)")
    parser.add_argument("--media", type=Path, default=REPO.parent / "shared" / "media")
    parser.add_argument("--weights", type=Path, required=True, help="the .pt to start from")
    parser.add_argument("--out", type=Path, required=True, help="folder for weights and card")
    parser.add_argument("--epochs", type=int, default=5)
    parser.add_argument("--image-size", type=int, default=640)
    parser.add_argument("--batch", type=int, default=4)
    parser.add_argument("--holdout-every", type=int, default=4, help="--dataset: every Nth image")
    parser.add_argument("--holdout-frames", type=int, default=2, help="--boxes: last N per clip")
    parser.add_argument("--no-export", action="store_true", help="skip the OpenVINO export")
    args = parser.parse_args()
    if args.weights.suffix != ".pt" or not args.weights.is_file():
        raise SystemExit(
            f"--weights {args.weights}: a .pt file is needed (an OpenVINO or ONNX export "
            "cannot be trained; use the .pt it was exported from)"
        )
    os.environ.setdefault("YOLO_OFFLINE", "1")
    sys.path.insert(0, str(REPO))
    from ultralytics import YOLO

    from console.detect.model import quiet_ultralytics

    quiet_ultralytics()
    started = time.monotonic()
    args.out.mkdir(parents=True, exist_ok=True)
    work = args.out / "work"
    if work.exists():
        shutil.rmtree(work)
    start = YOLO(str(args.weights), task="detect")
    names = {int(k): str(v) for k, v in start.names.items()}
    if args.dataset:
        train, held = split_dataset(args.dataset, work, args.holdout_every)
        counts = {"train": len(train), "holdout": len(held)}
        described = f"YOLO dataset {args.dataset} (every {args.holdout_every}th image held out)"
    else:
        counts = boxes_dataset(args.boxes, args.media, work, args.holdout_frames)
        described = (
            f"labelled frames of real clips ({args.boxes}), the last {args.holdout_frames} "
            "frames of each clip held out"
        )
    dropped = keep_known_classes(work, names)
    data_yaml = write_data_yaml(work, names)
    before = measure(args.weights, data_yaml, args.image_size)
    start.train(
        data=str(data_yaml),
        epochs=args.epochs,
        imgsz=args.image_size,
        batch=args.batch,
        workers=0,
        device="cpu",
        project=str((work / "runs").resolve()),
        name="train",
        exist_ok=True,
        plots=False,
        amp=False,
        val=False,
        seed=0,
        deterministic=True,
        warmup_epochs=0,  # warm-up knocks a trained model back (DECISIONS 12)
        verbose=False,
    )
    trainer = start.trainer
    assert trainer is not None, "Ultralytics returned without a trainer"
    last = Path(trainer.save_dir) / "weights" / "last.pt"
    pt_path = args.out / "fine-tuned.pt"
    shutil.copy(last, pt_path)
    after = measure(pt_path, data_yaml, args.image_size)
    openvino = "not exported (--no-export)"
    if not args.no_export:
        exported = Path(
            YOLO(str(pt_path)).export(
                format="openvino", imgsz=args.image_size, half=True, dynamic=True
            )
        )
        openvino = str(exported)
    card = {
        "weights": str(args.weights),
        "data": described,
        "train_images": counts["train"],
        "holdout_images": counts["holdout"],
        "dropped_labels": dropped,
        "epochs": args.epochs,
        "image_size": args.image_size,
        "batch": args.batch,
        "minutes": round((time.monotonic() - started) / 60, 1),
        "machine": f"{platform.machine()}, {os.cpu_count()} CPUs, Python "
        f"{platform.python_version()}",
        "openvino": openvino,
        "holdout_before": before,
        "holdout_after": after,
    }
    (args.out / "model-card.json").write_text(json.dumps(card, indent=2) + "\n", "utf-8")
    (args.out / "README.md").write_text(card_markdown(card), encoding="utf-8")
    print(json.dumps(card))
    return 0


if __name__ == "__main__":
    sys.exit(main())
