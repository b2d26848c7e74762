"""The detector's CPU threads: half the cores by default, the site file's number when set."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from pydantic import ValidationError

from console.accuracy import Case, simulator_for
from console.config.site import ModelSettings
from console.detect.inference_threads import auto_threads
from console.detect.model import YoloModel, choose_model
from console.sim import SimFrame

pytestmark = pytest.mark.integration


def test_auto_is_half_the_cores_while_live_cameras_decode_else_the_backends_own() -> None:
    assert [auto_threads(cores, live_cameras=9) for cores in (1, 2, 3, 8, 64)] == [
        1,
        1,
        1,
        4,
        32,
    ]
    assert (auto_threads(live_cameras=2) or 0) >= 1
    # One camera, or a recording read frame by frame: nothing competes for the cores.
    assert auto_threads(8, live_cameras=1) is None
    assert auto_threads(8, live_cameras=0) is None


def test_the_site_file_takes_auto_or_a_positive_count() -> None:
    assert ModelSettings().threads == "auto"
    assert ModelSettings.model_validate({"threads": 3}).threads == 3
    with pytest.raises(ValidationError, match="threads"):
        ModelSettings.model_validate({"threads": 0})
    with pytest.raises(ValidationError, match="threads"):
        ModelSettings.model_validate({"threads": "all"})


def frames_of_traffic() -> list[SimFrame]:
    simulator = simulator_for(Case("highway", "normal_traffic", 47_021, 10))
    return [simulator.next_frame() for _ in range(30)][::10]


@pytest.mark.slow
def test_the_openvino_model_runs_on_the_threads_asked_and_finds_the_same_boxes() -> None:
    frames = frames_of_traffic()
    one = YoloModel(choose_model("demo"), image_size=640, threads=1).load()
    backend = one._model.predictor.model
    compiled = getattr(backend, "backend", backend).ov_compiled_model
    assert compiled.get_property("INFERENCE_NUM_THREADS") == 1
    assert torch.get_num_threads() == 1
    found_with_one = [one.predict([f.image], 0.35)[0] for f in frames]

    two = YoloModel(choose_model("demo"), image_size=640, threads=2).load()
    backend = two._model.predictor.model
    compiled = getattr(backend, "backend", backend).ov_compiled_model
    assert compiled.get_property("INFERENCE_NUM_THREADS") == 2
    assert torch.get_num_threads() == 2
    found_with_two = [two.predict([f.image], 0.35)[0] for f in frames]

    assert sum(len(d.xyxy) for d in found_with_one) > 0
    for a, b in zip(found_with_one, found_with_two, strict=True):
        assert len(a.xyxy) == len(b.xyxy)
        assert np.allclose(a.xyxy, b.xyxy, atol=1.0)
    # The model's own site setting reaches it; auto depends on the live cameras.
    settings = ModelSettings.model_validate({"path": "demo", "threads": 1})
    assert YoloModel.from_settings(choose_model("demo"), settings).threads == 1
    auto = ModelSettings.model_validate({"path": "demo"})
    assert YoloModel.from_settings(choose_model("demo"), auto, live_cameras=0).threads is None
    nine = YoloModel.from_settings(choose_model("demo"), auto, live_cameras=9)
    assert nine.threads == auto_threads(live_cameras=9)
