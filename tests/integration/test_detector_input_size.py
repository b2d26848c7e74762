"""Per-camera detector input size: the bundled model runs at any, a fixed export refuses."""

from __future__ import annotations

from pathlib import Path

import pytest

from console.accuracy import Case, simulator_for
from console.config.site_file import SiteConfig, load_site
from console.detect.model import ModelInputSizeError, YoloModel, choose_model
from console.domain.geometry import box_iou
from console.install.self_check_checks import check_model
from console.sim import SimFrame
from tests.conftest import require_shared

REAL_CLIPS = Path(__file__).resolve().parents[1] / "fixtures" / "sites" / "real-clips.yaml"

pytestmark = pytest.mark.integration


def small_road_users_found(model: YoloModel, frames: list[SimFrame], image_size: int) -> int:
    """Visible road users under 30 px tall that a box of the model overlaps."""
    found = 0
    for frame in frames:
        detections = model.predict([frame.image], 0.35, None, image_size)[0]
        boxes = [tuple(float(v) for v in box) for box in detections.xyxy]
        for truth in frame.truth.objects:
            x1, y1, x2, y2 = truth.box_xyxy
            if truth.visible_fraction >= 0.6 and y2 - y1 < 30:
                found += any(box_iou(truth.box_xyxy, box) >= 0.3 for box in boxes)
    return found


@pytest.mark.slow
def test_a_larger_input_finds_more_far_road_users_with_the_bundled_model(
    demo_site: SiteConfig,
) -> None:
    site = demo_site
    model = YoloModel.from_settings(choose_model("demo"), site.model).load()
    model.prepare_sizes({"model.image_size": 480, "camera far": 800})  # a dynamic export
    simulator = simulator_for(Case("highway", "normal_traffic", 47_011, 10))
    frames = [simulator.next_frame() for _ in range(50)][::5]
    at_480 = small_road_users_found(model, frames, 480)
    at_800 = small_road_users_found(model, frames, 800)
    # Measured with run 8: 53 at 480 px, 93 at 800 px (of 544 small truth boxes).
    assert at_800 >= 1.3 * at_480 > 0, (at_480, at_800)


@pytest.mark.slow
def test_a_fixed_size_export_refuses_a_camera_that_asks_for_another_size() -> None:
    path = require_shared("models/yolo11n_int8_openvino_model")
    model = YoloModel(choose_model(str(path)), image_size=640).load()
    assert model.fixed_input_size == 640
    model.prepare_sizes({"model.image_size": 640})  # its own size is fine
    with pytest.raises(ModelInputSizeError) as refused:
        model.prepare_sizes({"model.image_size": 640, "camera ql1-km121": 800})
    message = str(refused.value)
    assert "fixed 640 px input" in message
    assert "camera ql1-km121 asks for 800 px" in message
    assert "dynamic=True" in message


@pytest.mark.slow
def test_the_self_check_fails_a_site_whose_model_cannot_run_a_camera_size() -> None:
    require_shared("models/yolo11n_int8_openvino_model")
    site = load_site(REAL_CLIPS)
    first, *others = site.cameras
    wide = site.model_copy(
        update={"cameras": [first.model_copy(update={"image_size": 800}), *others]}
    )
    assert check_model(site, REAL_CLIPS.parent).status == "ok"
    result = check_model(wide, REAL_CLIPS.parent)
    assert result.status == "fail"
    assert f"camera {first.id} asks for 800 px" in result.detail
