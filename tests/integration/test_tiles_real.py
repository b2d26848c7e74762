"""Tiling with the real COCO model on real frames: more small road users, the large kept."""

from __future__ import annotations

import json
from pathlib import Path

import cv2
import pytest

from console.config.site_file import load_site_text
from console.detect.model import ModelChoice, YoloModel
from console.domain.geometry import box_iou
from console.pipeline.camera import CameraPipeline
from console.sources.base import Frame
from tests.conftest import require_shared

pytestmark = pytest.mark.integration

LABELS = Path(__file__).resolve().parents[1] / "data" / "real" / "boxes" / "highway-day-1.json"
SITE = """\
schema_version: 1
site: {{id: t, name: Tiles}}
model: {{path: demo, image_size: 640}}
routes:
  - {{id: QL1, name: Q, markers: [{{km: 0, lat: 21, lon: 106}}, {{km: 10, lat: 21, lon: 106}}]}}
cameras:
  - {{id: hw, name: hw, route: QL1, km: 1, lat: 21, lon: 106, streams: {{main: sim://x}},
     detect_region: full, detect_tiles: {tiles}}}
"""


def found_labels(boxes: list[tuple[float, ...]], labels: list[dict[str, object]]) -> list[bool]:
    return [
        any(box_iou(tuple(label["box"]), box) >= 0.5 for box in boxes)  # type: ignore[arg-type]
        for label in labels
    ]


@pytest.mark.slow
def test_tiles_find_more_of_the_small_far_cars_and_keep_the_large_ones() -> None:
    clip = require_shared("media/highway-day-1.mp4")
    model_dir = require_shared("models/yolo11n_int8_openvino_model")
    model = YoloModel(ModelChoice(str(model_dir), False), image_size=640).load()
    labels = json.loads(LABELS.read_text(encoding="utf-8"))
    small = {"off": 0, "auto": 0}
    large = {"off": 0, "auto": 0}
    small_total = large_total = 0
    capture = cv2.VideoCapture(str(clip))
    for index, truth in sorted(labels["frames"].items(), key=lambda item: int(item[0]))[:4]:
        capture.set(cv2.CAP_PROP_POS_FRAMES, int(index))
        ok, image = capture.read()
        assert ok
        frame = Frame(image, int(index), 0.0, 1_800_000_000.0 + int(index))
        heights = [label["box"][3] - label["box"][1] for label in truth]
        small_total += sum(h < 32 for h in heights)
        large_total += sum(h >= 32 for h in heights)
        for tiles in ("off", "auto"):
            site = load_site_text(SITE.format(tiles=tiles))
            pipeline = CameraPipeline(site.cameras[0], site, motion_gate=False)
            found = pipeline.detect(model, [frame])[0]
            hits = found_labels([tuple(map(float, b)) for b in found.xyxy], truth)
            small[tiles] += sum(hit for hit, h in zip(hits, heights, strict=True) if h < 32)
            large[tiles] += sum(hit for hit, h in zip(hits, heights, strict=True) if h >= 32)
            assert pipeline.detector_passes == (4 if tiles == "auto" else 1)
    capture.release()
    assert small_total >= 10
    assert small["auto"] >= small["off"] + 0.2 * small_total, (small, small_total)
    assert large["auto"] >= large["off"] - 1, (large, large_total)
