"""Write an Ultralytics YOLO detection dataset from simulator frames."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np

from console.domain.classes import COCO_NAMES
from console.sim.records import Lighting, SimConfig, SimFrame
from console.sim.simulator import Simulator
from console.sim.training_incidents import training_incident_scenario

MIN_BOX_PX = 6.0
MIN_VISIBLE = 0.4
# A person, bicycle or motorbike seen end-on is a thin upright box: at 1280 px a person
# 70 m away is 5.5 x 26 px. Such a box is in scope when it is this many times the minimum
# tall and at least this share of the minimum wide.
THIN_MIN_HEIGHT_FACTOR = 1.75
THIN_MIN_WIDTH_FACTOR = 1 / 3


def in_label_scope(
    width_px: float, height_px: float, min_box_px: float, thin_upright: bool = True
) -> bool:
    """Whether a box is big enough to be labelled (and so, to be detected).

    Either both sides reach ``min_box_px``, or (with ``thin_upright``) it is a thin upright
    box: at least 1.75x the minimum tall and a third of it wide. With the demo model's 12 px at
    1280 that is 21 px tall, just under the 3 % of a 720-line image from which the
    pedestrian rule judges people, so everything that rule looks at is in scope.
    """
    if min(width_px, height_px) >= min_box_px:
        return True
    return (
        thin_upright
        and height_px >= THIN_MIN_HEIGHT_FACTOR * min_box_px
        and width_px >= THIN_MIN_WIDTH_FACTOR * min_box_px
    )


@dataclass(frozen=True, slots=True)
class DatasetResult:
    root: Path
    data_yaml: Path
    train_images: int
    val_images: int
    labels: int


def yolo_lines(
    frame: SimFrame,
    min_box_px: float = MIN_BOX_PX,
    min_visible: float = MIN_VISIBLE,
    thin_upright: bool = True,
    riders_need_vehicle: bool = True,
) -> list[str]:
    """``class cx cy w h`` lines (normalized) for the frame's visible, big-enough objects.

    With ``riders_need_vehicle`` a rider is labelled only when its two-wheeler is: a far
    rider's box is a thin upright one like a pedestrian's while the bike under it is
    too small, and a model taught to box such riders raises false pedestrians (model
    run 9, DECISIONS 12).
    """
    height, width = frame.image.shape[:2]
    in_scope = {
        obj.track_id
        for obj in frame.truth.objects
        if obj.visible_fraction >= min_visible
        and in_label_scope(
            obj.box_xyxy[2] - obj.box_xyxy[0],
            obj.box_xyxy[3] - obj.box_xyxy[1],
            min_box_px,
            thin_upright,
        )
    }
    lines = []
    for obj in frame.truth.objects:
        if obj.track_id not in in_scope:
            continue
        if riders_need_vehicle and obj.rider_of is not None and obj.rider_of not in in_scope:
            continue
        x1, y1, x2, y2 = obj.box_xyxy
        cx, cy = (x1 + x2) / 2 / width, (y1 + y2) / 2 / height
        lines.append(
            f"{obj.class_id} {cx:.6f} {cy:.6f} {(x2 - x1) / width:.6f} {(y2 - y1) / height:.6f}"
        )
    return lines


def _variant(seed: int) -> SimConfig:
    """Scene, lighting and weather drawn from the seed, so every seed is a new camera day."""
    rng = np.random.default_rng([seed, 97])
    scene = ("highway", "intersection")[int(rng.integers(2))]
    lighting = (Lighting.DAY, Lighting.DAY, Lighting.DUSK, Lighting.NIGHT)[int(rng.integers(4))]
    rain = float(rng.choice([0.0, 0.0, 0.3, 0.7]))
    jpeg = int(rng.choice([0, 45, 70, 90]))
    return SimConfig(
        scene=scene,
        seed=seed,
        lighting=lighting,
        rain=rain,
        noise=float(rng.uniform(0.0, 0.4)),
        shake=float(rng.uniform(0.0, 0.6)),
        jpeg_quality=jpeg or None,
        traffic_density=float(rng.uniform(0.6, 1.6)),
    )


def write_yolo_dataset(
    out_dir: str | Path,
    train_seeds: Sequence[int],
    val_seeds: Sequence[int],
    frames_per_seed: int,
    *,
    frame_stride: int = 12,
    width: int = 1280,
    height: int = 720,
    min_box_px: float = MIN_BOX_PX,
    train_bicycle_share: float = 1.0,
    incident_seeds: Sequence[int] = (),
    incident_frame_stride: int = 65,
    thin_upright: bool = True,
    riders_need_vehicle: bool = True,
) -> DatasetResult:
    """Render a YOLO dataset: images/{train,val}, labels/{train,val} and data.yaml.

    Each seed is its own camera day (scene, lighting, rain, compression drawn from it);
    ``frames_per_seed`` frames are taken ``frame_stride`` frames apart. The training
    split may have more bicycles (``train_bicycle_share``); validation keeps the usual mix.
    ``incident_seeds`` add highway camera days to the training split with vehicles stopping
    on the shoulders and a pedestrian crossing (``training_incident_scenario``), their
    frames ``incident_frame_stride`` apart so that they show the stop and the crossing.
    ``thin_upright`` and ``riders_need_vehicle`` decide the label scope (``yolo_lines``).
    """
    root = Path(out_dir)
    counts = {"train": 0, "val": 0}
    labels = 0
    days = [("train", seed, False) for seed in train_seeds]
    days += [("train", seed, True) for seed in incident_seeds]
    days += [("val", seed, False) for seed in val_seeds]
    for split in ("train", "val"):
        (root / "images" / split).mkdir(parents=True, exist_ok=True)
        (root / "labels" / split).mkdir(parents=True, exist_ok=True)
    for split, seed, with_incidents in days:
        base = _variant(seed)
        config = SimConfig(
            **{
                **{f: getattr(base, f) for f in base.__slots__},
                "scene": "highway" if with_incidents else base.scene,
                "width": width,
                "height": height,
                "bicycle_share": train_bicycle_share if split == "train" else 1.0,
            }
        )
        scenario = training_incident_scenario(seed) if with_incidents else None
        simulator = Simulator(config, scenario)
        stride = incident_frame_stride if with_incidents else frame_stride
        for shot in range(frames_per_seed):
            frame = simulator.next_frame()
            for _ in range(stride - 1 if shot < frames_per_seed - 1 else 0):
                simulator.next_frame()
            stem = f"{config.scene}-{seed:05d}-{frame.index:05d}"
            cv2.imwrite(
                str(root / "images" / split / f"{stem}.jpg"),
                frame.image,
                [cv2.IMWRITE_JPEG_QUALITY, 92],
            )
            lines = yolo_lines(
                frame,
                min_box_px,
                thin_upright=thin_upright,
                riders_need_vehicle=riders_need_vehicle,
            )
            (root / "labels" / split / f"{stem}.txt").write_text(
                "\n".join(lines) + ("\n" if lines else ""), encoding="utf-8"
            )
            counts[split] += 1
            labels += len(lines)
    data_yaml = root / "data.yaml"
    # by COCO id, so a model trained here names its classes exactly like a COCO model
    names = "\n".join(f"  {k}: {v}" for k, v in COCO_NAMES.items())
    data_yaml.write_text(
        f"path: {root.resolve()}\ntrain: images/train\nval: images/val\nnames:\n{names}\n",
        encoding="utf-8",
    )
    return DatasetResult(root, data_yaml, counts["train"], counts["val"], labels)
