"""The bundled demo detector: its model card's numbers hold, and it serves the pipeline."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from console.accuracy import (
    INCIDENT_CASES,
    Case,
    CaseResult,
    id_persistence,
    normal_cases,
    run_case,
    simulator_for,
    speed_error,
)
from console.config.site_file import SiteConfig
from console.detect.demo_model import (
    HOLDOUT_SEEDS,
    MODEL_STEM,
    TrainSettings,
    evaluate,
    model_card_markdown,
)
from console.detect.model import YoloModel, bundled_demo_model, choose_model
from console.domain.geometry import box_iou
from tests.conftest import load_demo_site

pytestmark = [pytest.mark.integration, pytest.mark.slow]
MODELS = Path(__file__).resolve().parents[2] / "resources" / "models"


@pytest.fixture(scope="module")
def card() -> dict:  # type: ignore[type-arg]
    return json.loads((MODELS / f"{MODEL_STEM}.json").read_text())


@pytest.fixture(scope="module")
def demo_model() -> YoloModel:
    site = load_demo_site()
    return YoloModel.from_settings(choose_model("demo"), site.model).load()


def test_bundled_model_is_the_carded_openvino_model(card: dict) -> None:  # type: ignore[type-arg]
    assert bundled_demo_model().name == f"{MODEL_STEM}_openvino_model"
    assert card["holdout"]["images"] >= 200
    assert set(card["backends_ms_per_frame"]) >= {"openvino", "pytorch"}


def test_the_model_card_is_written_from_its_measurements(card: dict) -> None:  # type: ignore[type-arg]
    written = (MODELS / "README.md").read_text(encoding="utf-8")
    assert written == model_card_markdown(card)
    assert f"**{card['holdout']['map50']:.3f}**" in written


def test_loading_sets_up_the_predictor_so_the_first_frame_does_not(
    demo_model: YoloModel,
) -> None:
    # Ultralytics compiles the OpenVINO model and imports torchvision on its first call;
    # inside the detector thread that stalled the first frames and a stop for seconds.
    assert demo_model._model.predictor is not None
    assert demo_model._model.predictor.model is not None
    assert "torchvision" in sys.modules


def test_map50_on_fresh_holdout_frames_matches_the_card(
    demo_site: SiteConfig,
    card: dict,
    tmp_path: Path,  # type: ignore[type-arg]
) -> None:
    settings = TrainSettings(
        **{k: v for k, v in card["settings"].items() if k in TrainSettings.__dataclass_fields__}
    )
    seeds = range(HOLDOUT_SEEDS.start, HOLDOUT_SEEDS.start + 6)  # a smaller held-out set
    # at the input size the card's headline was measured at: the demo site's (the largest
    # its ``image_size: auto`` may choose)
    site = demo_site
    assert card["holdout"]["image_size"] == site.model.nominal_image_size
    measured = evaluate(
        bundled_demo_model(), tmp_path / "holdout", settings, seeds, site.model.nominal_image_size
    )
    assert measured["images"] == 60
    assert abs(measured["map50"] - card["holdout"]["map50"]) <= 0.05, measured


def same_class_overlaps(model: YoloModel, images: list, above: float) -> int:  # type: ignore[type-arg]
    """Pairs of boxes of one class that overlap more than ``above``, over all images."""
    pairs = 0
    for found in model.predict(images, confidence=0.35):
        boxes = [tuple(float(v) for v in box) for box in found.xyxy]
        for i in range(len(boxes)):
            for j in range(i + 1, len(boxes)):
                same = found.class_id[i] == found.class_id[j]
                pairs += bool(same and box_iou(boxes[i], boxes[j]) > above)
    return pairs


def test_site_nms_iou_decides_which_overlapping_boxes_are_one_object(
    demo_model: YoloModel,
) -> None:
    simulator = simulator_for(Case("intersection", None, 47_003, 8))
    images = [simulator.next_frame().image for _ in range(100)][::5]  # queues build up
    loose = YoloModel(demo_model.choice, image_size=demo_model.image_size, nms_iou=0.9).load()
    assert demo_model.nms_iou == 0.5  # the site file's default
    assert same_class_overlaps(demo_model, images, above=0.5) == 0
    assert same_class_overlaps(loose, images, above=0.5) > 0


def test_tracked_vehicles_keep_their_id(demo_site: SiteConfig, demo_model: YoloModel) -> None:
    # Seeds never used to tune the tracker (43001-43002, 45001-45002 and 48001-48004 were).
    for case in (
        Case("highway", "normal_traffic", 47_001, 40),
        Case("intersection", None, 47_002, 40),
    ):
        result = id_persistence(case, demo_site, demo_model)
        assert result.vehicles >= 20
        # Of the frames where a vehicle is tracked, 90 % carry its main id; and ids are
        # not kept by tracking less: three quarters of the visible frames are tracked.
        assert result.share >= 0.90, (case, result)
        assert result.coverage >= 0.7, (case, result)


@pytest.fixture(scope="module")
def incident_results(demo_model: YoloModel) -> list[CaseResult]:
    site = load_demo_site()
    return [run_case(case, site, demo_model) for case in INCIDENT_CASES]


def test_scripted_incidents_raise_alerts(incident_results: list[CaseResult]) -> None:
    total = sum(len(r.incidents) for r in incident_results)
    found = sum(len(r.matched) for r in incident_results)
    assert found / total >= 0.95, {r.case.scenario: r.recall for r in incident_results}


def test_speeder_measured_within_ten_percent(incident_results: list[CaseResult]) -> None:
    [result] = [r for r in incident_results if r.case.scenario == "speeding"]
    error = speed_error(result)
    assert error is not None and error <= 0.10


def test_normal_traffic_by_day_and_night_raises_no_false_alert(
    demo_site: SiteConfig, demo_model: YoloModel
) -> None:
    site = demo_site
    # 7.5 camera-minutes (each scene 2.5 min by day, 1.25 by night) on seeds the accuracy
    # report does not use; at the target of <= 1 per camera-hour one here would be 8/h.
    false_alerts = {}
    for case in normal_cases(day_minutes=2.5, seed_offset=7):
        result = run_case(case, site, demo_model)
        false_alerts[(case.scene, case.lighting.value, case.seed)] = [
            (a.type.value, a.event.message) for a in result.false_alerts
        ]
    assert not any(false_alerts.values()), false_alerts
