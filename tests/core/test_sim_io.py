"""Simulator inputs and outputs: sim:// URLs, scenario files, MP4 export, YOLO dataset, CLI."""

from __future__ import annotations

import argparse
import json
from collections import Counter
from pathlib import Path

import cv2
import numpy as np
import pytest

from console.cli.sim import register
from console.sim import Lighting, SimConfig
from console.sim.dataset import MIN_VISIBLE, in_label_scope, write_yolo_dataset, yolo_lines
from console.sim.export import export_clip
from console.sim.scenario import SCENARIO_DIR, ScenarioError, load_scenario
from console.sim.simulator import Simulator
from console.sim.training_incidents import SHOULDER_LANES, training_incident_scenario
from console.sim.url import parse_sim_url

INCIDENT_TYPES = {
    "wrong_way",
    "stopped_vehicle",
    "speeding",
    "red_light",
    "congestion",
    "pedestrian_on_road",
    "lane_violation",
}


def test_parse_full_url() -> None:
    config = parse_sim_url(
        "sim://highway?seed=3&scenario=resources/scenarios/speeding.yaml"
        "&lighting=night&fps=25&width=1280&height=720"
    )
    assert config.scene == "highway" and config.seed == 3
    assert config.lighting is Lighting.NIGHT and config.fps == 25.0
    assert (config.width, config.height) == (1280, 720)
    assert config.scenario == (SCENARIO_DIR / "speeding.yaml").resolve()


def test_parse_defaults_bundled_names_and_extras() -> None:
    assert parse_sim_url("sim://intersection") == SimConfig(scene="intersection")
    assert (
        parse_sim_url("sim://highway?scenario=speeding").scenario == SCENARIO_DIR / "speeding.yaml"
    )
    assert (
        parse_sim_url("sim://highway?scenario=wrong_way").scenario
        == SCENARIO_DIR / "wrong-way.yaml"
    )
    config = parse_sim_url("sim://highway?rain=0.5&shake=0.2&jpeg=60&density=1.5&noise=0.1")
    assert (config.rain, config.shake, config.jpeg_quality) == (0.5, 0.2, 60)
    assert (config.traffic_density, config.noise) == (1.5, 0.1)


def test_scenario_path_relative_to_current_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "mine.yaml").write_text((SCENARIO_DIR / "speeding.yaml").read_text())
    monkeypatch.chdir(tmp_path)
    assert parse_sim_url("sim://highway?scenario=mine.yaml").scenario == tmp_path / "mine.yaml"


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("rtsp://highway", "not a simulator URL"),
        ("sim://motorway", "unknown scene 'motorway'"),
        ("sim://highway?seed=abc", "seed must be a whole number"),
        ("sim://highway?seed=-1", "seed must be >= 0"),
        ("sim://highway?fps=fast", "fps must be a number"),
        ("sim://highway?fps=0", "fps must be within"),
        ("sim://highway?width=10", "outside"),
        ("sim://highway?lighting=noon", "lighting must be one of day, dusk, night"),
        ("sim://highway?colour=red", "unknown parameter 'colour'"),
        ("sim://highway?seed=1&seed=2", "given twice"),
        ("sim://highway?scenario=nope", "scenario 'nope' not found"),
        ("sim://highway?scenario=red-light", "written for the intersection scene"),
        ("sim://highway?jpeg=0", "jpeg_quality must be within"),
        ("sim://highway?rain=2", "rain must be within 0..1"),
    ],
)
def test_bad_urls_raise_clear_errors(url: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        parse_sim_url(url)


def test_bundled_scenarios_cover_every_incident_type() -> None:
    types = set()
    for path in SCENARIO_DIR.glob("*.yaml"):
        scenario = load_scenario(path)
        types |= {incident.type for incident in scenario.incidents}
    assert types == INCIDENT_TYPES
    assert load_scenario("normal-traffic").incidents == []


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "name: x\nincidents:\n  - type: speeding\n    start_s: 1\n    speed: 30\n",
            r"incidents\.0\.speeding\.speed \(line 5\): Extra inputs are not permitted",
        ),
        (
            "name: x\nincidents:\n  - type: speeding\n    start_s: 1\n    lane: away-9\n",
            "no lane 'away-9'; lanes: away-1",
        ),
        (
            "name: x\nincidents:\n  - type: red_light\n    start_s: 1\n    lane: away-1\n",
            "red_light needs a signalised scene",
        ),
        (
            "name: x\nincidents:\n  - type: meteor\n    start_s: 1\n",
            "tag .meteor. found using .type. does not match any of the expected tags",
        ),
        (
            "name: x\nincidents:\n  - type: speeding\n    start_s: -1\n",
            r"start_s \(line 4\): Input should be greater than or equal to 0",
        ),
        ("name: x\nlength: 3\n", r"length \(line 2\): Extra inputs"),
        ("- just a list\n", "expected a mapping"),
        ("name: [unclosed\n", "not valid YAML"),
    ],
)
def test_bad_scenarios_raise_clear_errors(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(text)
    with pytest.raises(ScenarioError, match=message) as caught:
        load_scenario(path)
    assert str(path) in str(caught.value)


def test_export_writes_an_mp4_that_reopens_and_matching_truth(tmp_path: Path) -> None:
    config = SimConfig(width=320, height=180, fps=10, scenario=SCENARIO_DIR / "speeding.yaml")
    result = export_clip(config, 3.0, tmp_path / "clip")
    assert result.frames == 30
    capture = cv2.VideoCapture(str(result.video_path))
    assert capture.isOpened()
    assert int(capture.get(cv2.CAP_PROP_FRAME_COUNT)) == 30
    ok, image = capture.read()
    capture.release()
    assert ok and image.shape == (180, 320, 3)
    truth = json.loads(result.truth_path.read_text())
    assert len(truth["frames"]) == 30
    assert truth["frames"][29]["timestamp_s"] == pytest.approx(2.9)
    assert truth["incidents"][0]["type"] == "speeding"
    assert truth["incidents"][0]["track_ids"] == list(result.incidents[0].track_ids)
    first_object = truth["frames"][5]["objects"][0]
    assert {"track_id", "class_name", "box_xyxy", "rider_of"} <= set(first_object)


def test_yolo_dataset_has_coco_indexed_names_and_valid_labels(tmp_path: Path) -> None:
    result = write_yolo_dataset(
        tmp_path / "ds",
        train_seeds=[1, 2],
        val_seeds=[3],
        frames_per_seed=2,
        frame_stride=5,
        width=320,
        height=192,
    )
    assert (result.train_images, result.val_images) == (4, 2)
    data = result.data_yaml.read_text()
    for index, name in ((0, "person"), (3, "motorcycle"), (4, "airplane"), (7, "truck")):
        assert f"  {index}: {name}\n" in data
    labels = list((tmp_path / "ds" / "labels").rglob("*.txt"))
    images = list((tmp_path / "ds" / "images").rglob("*.jpg"))
    assert len(labels) == len(images) == 6
    rows = [line.split() for path in labels for line in path.read_text().splitlines()]
    assert len(rows) == result.labels > 10
    values = np.array([[float(v) for v in row[1:]] for row in rows])
    assert {int(row[0]) for row in rows} <= {0, 1, 2, 3, 5, 7}
    assert ((values > 0) & (values <= 1)).all()
    assert all(in_label_scope(w * 320 + 1e-3, h * 192 + 1e-3, 6.0) for w, h in values[:, 2:])


@pytest.mark.parametrize(
    ("width", "height", "labelled"),
    [
        (13.0, 12.0, True),  # both sides reach the minimum
        (30.0, 11.0, False),  # a low box is not upright
        (5.5, 26.0, True),  # a standing person 70 m away (12 px minimum at 1280)
        (5.5, 20.0, False),  # not tall enough to be judged a person by the rules
        (3.5, 30.0, False),  # a pole-thin sliver
    ],
)
def test_thin_upright_boxes_are_labelled_when_tall_enough(
    width: float, height: float, labelled: bool
) -> None:
    assert in_label_scope(width, height, 12.0) is labelled
    # the scope of models carded before thin boxes counted (card setting thin_upright)
    assert in_label_scope(width, height, 12.0, thin_upright=False) is (min(width, height) >= 12)


@pytest.mark.slow
def test_a_rider_is_labelled_only_with_its_two_wheeler() -> None:
    sim = Simulator(SimConfig(scene="highway", seed=10_007, traffic_density=1.6))
    frames = [sim.next_frame() for _ in range(150)][::10]
    riders_alone = 0
    for frame in frames:
        labelled = {
            o.track_id
            for o in frame.truth.objects
            if o.visible_fraction >= MIN_VISIBLE
            and in_label_scope(o.box_xyxy[2] - o.box_xyxy[0], o.box_xyxy[3] - o.box_xyxy[1], 12.0)
        }
        alone = sum(
            1
            for o in frame.truth.objects
            if o.rider_of is not None and o.track_id in labelled and o.rider_of not in labelled
        )
        riders_alone += alone
        with_riders = yolo_lines(frame, 12.0, riders_need_vehicle=False)
        assert len(yolo_lines(frame, 12.0)) == len(with_riders) - alone
    assert riders_alone > 0  # far riders on bikes too small to label do occur


@pytest.mark.slow
def test_training_scenes_can_hold_more_bicycles_than_the_demo_mix() -> None:
    def two_wheelers(share: float) -> Counter[str]:
        sim = Simulator(SimConfig(scene="highway", seed=10_001, fps=5, bicycle_share=share))
        for _ in range(300):
            sim.next_frame()
        return Counter(o.class_name for o in sim.next_frame().truth.objects)

    usual, more = two_wheelers(1.0), two_wheelers(3.0)
    assert more["bicycle"] / more["motorcycle"] > 2 * usual["bicycle"] / usual["motorcycle"]
    with pytest.raises(ValueError, match="bicycle_share"):
        SimConfig(bicycle_share=-1.0)


def test_cli_exports_a_bundled_scenario(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    parser = argparse.ArgumentParser(prog="roadwatch")
    register(parser.add_subparsers())
    args = parser.parse_args(
        [
            "sim",
            "export",
            "lane-violation",
            "--out",
            str(tmp_path),
            "--seconds",
            "1",
            "--width",
            "320",
            "--height",
            "180",
            "--fps",
            "5",
            "--seed",
            "2",
        ]
    )
    assert args.handler(args) == 0
    assert (tmp_path / "clip.mp4").is_file() and (tmp_path / "truth.json").is_file()
    assert "motorbike-in-car-lane" in capsys.readouterr().out
    bad = parser.parse_args(["sim", "export", "no-such-scenario", "--out", str(tmp_path)])
    assert bad.handler(bad) == 1
    assert "not found" in capsys.readouterr().err


def test_training_incident_days_show_stopped_shoulder_vehicles_and_a_crossing() -> None:
    scenario = training_incident_scenario(10_100)
    assert scenario == training_incident_scenario(10_100) != training_incident_scenario(10_101)
    sim = Simulator(SimConfig(scene="highway", seed=10_100, width=320, height=192, fps=5), scenario)
    crossing_frames = 0
    for _ in range(115):  # 23 s: both vehicles have pulled over
        frame = sim.next_frame()
        scripted = {t for incident in sim.incidents for t in incident.track_ids}
        seen = [o for o in frame.truth.objects if o.track_id in scripted]
        crossing_frames += any(o.class_name == "person" and o.lane_id for o in seen)
    stopped = [o for o in seen if o.lane_id in SHOULDER_LANES and o.speed_mps == 0.0]
    assert len(stopped) == 2
    assert all(20.0 <= o.world_y_m <= 110.0 for o in stopped)
    assert crossing_frames > 25  # the pedestrian is on the carriageway for over 5 s
    with pytest.raises(ValueError, match="not both"):
        Simulator(SimConfig(scenario=Path("speeding.yaml")), scenario)


def test_dataset_incident_days_are_highway_frames_spread_over_the_incidents(
    tmp_path: Path,
) -> None:
    result = write_yolo_dataset(
        tmp_path / "ds",
        train_seeds=[],
        val_seeds=[],
        frames_per_seed=3,
        width=320,
        height=192,
        incident_seeds=[10_100],
        incident_frame_stride=40,
    )
    names = sorted(p.stem for p in (tmp_path / "ds" / "images" / "train").glob("*.jpg"))
    assert result.train_images == 3
    assert names == [f"highway-10100-{i:05d}" for i in (0, 40, 80)]
