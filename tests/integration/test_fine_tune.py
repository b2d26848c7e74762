"""tools/fine_tune.py: an export-dataset-style YOLO folder -> Ultralytics on the CPU -> card.

Cheap on purpose (4 images, 1 epoch at 64 px): it proves the path runs end to end offline
(split, training from the bundled .pt, OpenVINO export that the console loads, model card
with the held-out metrics before and after), not that the model gets better.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import cv2
import numpy as np
import pytest

from console.detect.model import ModelChoice, YoloModel, bundled_demo_model

pytestmark = pytest.mark.integration

REPO = Path(__file__).resolve().parents[2]
TOOL = REPO / "tools" / "fine_tune.py"
DEMO_PT = REPO / "resources" / "models" / "roadwatch-demo-yolo11n.pt"


def exported_dataset(folder: Path, images: int = 4) -> Path:
    """The layout ``roadwatch export-dataset`` writes: images/train, labels/train, data.yaml."""
    (folder / "images" / "train").mkdir(parents=True)
    (folder / "labels" / "train").mkdir(parents=True)
    for index in range(images):
        image = np.full((180, 320, 3), 90, np.uint8)
        x = 40 + 50 * index
        cv2.rectangle(image, (x, 60), (x + 60, 100), (30, 30, 200), -1)  # a "car"
        cv2.imwrite(str(folder / "images" / "train" / f"cam-{index}.jpg"), image)
        line = f"2 {(x + 30) / 320:.6f} {80 / 180:.6f} {60 / 320:.6f} {40 / 180:.6f}\n"
        extra = "14 0.5 0.5 0.1 0.1\n"  # a class (bird) the starting model does not have
        (folder / "labels" / "train" / f"cam-{index}.txt").write_text(line + extra, "utf-8")
    (folder / "data.yaml").write_text("train: images/train\nval: images/train\n", "utf-8")
    return folder


def run_tool(*args: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(TOOL), *map(str, args)],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
        cwd=REPO,
    )


@pytest.mark.slow
def test_fine_tune_trains_exports_and_writes_a_card_with_held_out_metrics(
    tmp_path: Path,
) -> None:
    dataset = exported_dataset(tmp_path / "exported")
    out = tmp_path / "ft"
    result = run_tool(
        "--dataset", dataset, "--weights", DEMO_PT, "--out", out,
        "--epochs", "1", "--image-size", "64", "--batch", "2", "--holdout-every", "4",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr[-3000:]
    card = json.loads((out / "model-card.json").read_text(encoding="utf-8"))
    assert card["train_images"] == 3 and card["holdout_images"] == 1
    assert card["dropped_labels"] == 4  # the bird lines: one per image
    assert card["epochs"] == 1 and card["image_size"] == 64
    for metrics in (card["holdout_before"], card["holdout_after"]):
        assert set(metrics) == {"map50", "map50_95", "precision", "recall"}
        assert all(0.0 <= value <= 1.0 for value in metrics.values())
    readme = (out / "README.md").read_text(encoding="utf-8")
    assert "before" in readme and str(DEMO_PT) in readme
    exported = Path(card["openvino"])
    assert exported.name.endswith("_openvino_model") and any(exported.glob("*.xml"))
    # The console loads the result like any site model.
    model = YoloModel(ModelChoice(str(exported), False), image_size=64).load()
    assert model.names == YoloModel(ModelChoice(str(bundled_demo_model()), True)).load().names
    assert len(model.predict([np.zeros((90, 160, 3), np.uint8)], image_size=64)) == 1


def test_fine_tune_refuses_an_export_as_starting_weights(tmp_path: Path) -> None:
    dataset = exported_dataset(tmp_path / "exported", images=2)
    result = run_tool(
        "--dataset", dataset, "--weights", bundled_demo_model(), "--out", tmp_path / "ft"
    )
    assert result.returncode != 0
    assert "a .pt file is needed" in result.stderr and "cannot be trained" in result.stderr
    assert not (tmp_path / "ft").exists()
