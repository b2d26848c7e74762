"""Ground-truth files of real clips, their scoring, and the held-out seed list."""

from __future__ import annotations

import hashlib
import subprocess
from datetime import UTC, datetime
from pathlib import Path

import pytest
import yaml

from console.domain.records import Alert, AlertType, Event, Severity
from console.evaluation.markdown import replace_section
from console.evaluation.run import CASE_EPOCH_S, ClipRun, prepare
from console.evaluation.score import score
from console.evaluation.seeds import SeedFileError, load_seed_file
from console.evaluation.truth import TruthFileError, load_truth
from console.rules.area_rules import CountRecord

REPO = Path(__file__).resolve().parents[2]
REAL = REPO / "tests" / "data" / "real"
SEED_FILE = REPO / "tests" / "data" / "heldout_seeds.yaml"

SITE = """
schema_version: 1
site: {id: t, name: T}
routes:
  - id: QL1
    name: QL1
    markers: [{km: 0, lat: 21.0, lon: 105.0}, {km: 10, lat: 21.1, lon: 105.1}]
cameras:
  - id: cam
    name: Cam
    route: QL1
    km: 1
    lat: 21.0
    lon: 105.0
    streams: {main: clip.mp4}
    zones:
      - {id: road, kind: carriageway, polygon: [[0, 0.3], [1, 0.3], [1, 1], [0, 1]]}
    lines:
      - {id: count, points: [[0, 0.6], [1, 0.6]]}
      - {id: spare, points: [[0, 0.4], [1, 0.4]]}
    rules:
      - {type: line_count, line: count}
      - {type: pedestrian, zone: road}
"""


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    (tmp_path / "site.yaml").write_text(SITE, encoding="utf-8")
    (tmp_path / "clip.mp4").write_bytes(b"not really a video, but these bytes have a hash")
    return tmp_path


def truth_document(folder: Path, **changes: object) -> dict[str, object]:
    digest = hashlib.sha256((folder / "clip.mp4").read_bytes()).hexdigest()
    document: dict[str, object] = {
        "clip": "clip.mp4",
        "sha256": digest,
        "site": "site.yaml",
        "camera": "cam",
        "duration_s": 20.0,
        "labelled_by": "test",
        "events": [{"type": "pedestrian", "start_s": 5.0, "end_s": 9.0}],
        "counts": [{"line": "count", "count": 4, "uncertainty": 1}],
    }
    document.update(changes)
    return document


def write(folder: Path, document: dict[str, object]) -> Path:
    path = folder / "clip.truth.yaml"
    path.write_text(yaml.safe_dump(document), encoding="utf-8")
    return path


def test_every_real_clip_has_valid_labels() -> None:
    files = sorted(REAL.glob("*.truth.yaml"))
    names = {load_truth(path).clip for path in files}
    assert names == {
        "highway-day-1.mp4",
        "bridge-dense-day-1.mp4",
        "intersection-vn-day-1.mp4",
        "night-dhaka-1.mp4",
        "mixed-dhaka-day-1.mp4",
    }
    for path in files:
        truth = load_truth(path)
        assert truth.counts, f"{path.name}: no counting line labelled"
        assert truth.labelled_by


def test_a_valid_file_is_prepared_with_its_camera(folder: Path) -> None:
    setup = prepare(write(folder, truth_document(folder)))
    assert setup.camera.id == "cam"
    assert setup.clip == (folder / "clip.mp4").resolve()
    assert setup.truth.counts[0].class_names >= {"car", "motorcycle", "bus", "truck"}
    assert "person" not in setup.truth.counts[0].class_names


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"colour": "red"}, "colour: Extra inputs are not permitted"),
        ({"events": [{"type": "pedestrian", "start_s": 9, "end_s": 5}]}, "is before start_s"),
        ({"events": [{"type": "pedestrian", "start_s": 1, "end_s": 30}]}, "after the clip"),
        ({"events": [{"type": "jaywalking", "start_s": 1, "end_s": 2}]}, "events.0.type"),
        (
            {
                "events": [
                    {"type": "pedestrian", "start_s": 1, "end_s": 2, "area": [0.5, 0, 0.4, 1]}
                ]
            },
            "area is (x1, y1, x2, y2)",
        ),
        ({"counts": [{"line": "count", "classes": ["tractor"], "count": 1}]}, "unknown classes"),
        ({"counts": [{"line": "count", "count": -1}]}, "counts.0.count"),
        ({"sha256": "abc"}, "sha256"),
    ],
)
def test_a_bad_file_says_what_is_wrong(
    folder: Path, changes: dict[str, object], message: str
) -> None:
    document = truth_document(folder, **changes)
    with pytest.raises(TruthFileError) as error:
        prepare(write(folder, document))
    assert message in str(error.value)
    assert "clip.truth.yaml" in str(error.value)


def test_a_missing_key_and_a_non_yaml_file_are_refused(folder: Path) -> None:
    document = truth_document(folder)
    del document["events"]  # "none" must be said, not left out
    with pytest.raises(TruthFileError, match="events: Field required"):
        prepare(write(folder, document))
    broken = folder / "broken.truth.yaml"
    broken.write_text("clip: [unclosed", encoding="utf-8")
    with pytest.raises(TruthFileError, match="not valid YAML"):
        load_truth(broken)
    with pytest.raises(TruthFileError, match="cannot read"):
        load_truth(folder / "absent.truth.yaml")


def test_labels_for_another_recording_are_refused(folder: Path) -> None:
    path = write(folder, truth_document(folder))
    (folder / "clip.mp4").write_bytes(b"a re-encoded clip has other bytes")
    with pytest.raises(TruthFileError, match="is not the labelled recording"):
        prepare(path)
    other = folder / "other.mp4"
    other.write_bytes(b"x")
    with pytest.raises(TruthFileError, match="labels are for 'clip.mp4'"):
        prepare(path, other)


def test_a_camera_or_counting_line_the_site_lacks_is_refused(folder: Path) -> None:
    with pytest.raises(TruthFileError, match="camera 'nope' is not in"):
        prepare(write(folder, truth_document(folder, camera="nope")))
    # 'spare' is a line, but no line_count rule counts on it
    counts = [{"line": "spare", "count": 1}]
    with pytest.raises(TruthFileError, match="no line_count rule on a line 'spare'"):
        prepare(write(folder, truth_document(folder, counts=counts)))


def alert_at(kind: AlertType, seconds: float, box: tuple[float, float, float, float]) -> Alert:
    moment = datetime.fromtimestamp(CASE_EPOCH_S + seconds, UTC)
    event = Event(kind, "cam", moment, moment, Severity.HIGH, box_xyxy=box)
    return Alert(event, Severity.HIGH)


def test_scoring_matches_events_counts_duplicates_and_false_alerts(folder: Path) -> None:
    area = [0.0, 0.5, 0.5, 1.0]
    events = [
        {"type": "pedestrian", "start_s": 5.0, "end_s": 9.0, "area": area},
        {"type": "pedestrian", "start_s": 12.0, "end_s": 14.0},
    ]
    setup = prepare(write(folder, truth_document(folder, events=events)))
    in_area = (10.0, 60.0, 30.0, 90.0)  # centre (0.2, 0.75) of a 100 x 100 frame
    elsewhere = (70.0, 10.0, 90.0, 30.0)
    run = ClipRun(
        alerts=[
            alert_at(AlertType.PEDESTRIAN, 7.5, elsewhere),  # in time, wrong place: skipped
            alert_at(AlertType.PEDESTRIAN, 8.0, in_area),  # the first event, 3 s late
            alert_at(AlertType.CONGESTION, 3.0, in_area),  # no congestion labelled: false
        ],
        counts=[
            CountRecord("cam", "count", "car", "forward", 1.0),
            CountRecord("cam", "count", "person", "forward", 2.0),  # not a vehicle
            CountRecord("cam", "spare", "car", "forward", 3.0),  # another line
        ],
        frame_size=(100, 100),
    )
    result = score(setup, run, 2.0, "given", "model")
    rules = {rule.rule: rule for rule in result.rules}
    pedestrian = rules["pedestrian"]
    assert (pedestrian.events, pedestrian.alerted) == (2, 1)
    assert pedestrian.delays_s == [pytest.approx(3.0)]
    # The alert at 7.5 s outside the first event's area matches no event (the second one's
    # window opens at 12 - 3 = 9 s), but lies in the first one's window: a duplicate.
    assert (pedestrian.duplicates, pedestrian.false_alerts) == (1, 0)
    assert pedestrian.recall == 0.5
    congestion = rules["congestion"]
    assert congestion.configured is False and congestion.false_alerts == 1
    assert congestion.false_per_camera_hour == pytest.approx(1 / (20.0 / 3600))
    [count] = result.counts
    assert (count.truth, count.measured, count.error) == (4, 1, -3)
    assert not count.within_labels  # 3 off, the labeller allowed 1
    data = result.as_dict()
    assert data["rules"][0]["recall"] is not None and data["counts"][0]["error"] == -3


def test_held_out_seeds_are_disjoint_from_tuning_and_used_nowhere_else() -> None:
    seeds = load_seed_file(SEED_FILE)
    held_out = seeds.held_out.all_seeds()
    assert held_out and not held_out & seeds.tuning.all_seeds()
    assert {case.seed for case in seeds.held_out.incident_cases()} == set(
        seeds.held_out.incidents.values()
    )
    night = [c for c in seeds.held_out.normal_cases(10) if c.lighting.value == "night"]
    assert {c.seed for c in night} == {s + 100 for s in seeds.held_out.normal.values()}
    # A held-out seed written anywhere else in the repository is a seed someone may tune on.
    tracked = subprocess.run(
        ["git", "ls-files", "*.py", "*.yaml", "*.yml", "*.json", "*.toml", "Makefile"],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    patterns = {str(seed) for seed in held_out} | {f"{seed:_}" for seed in held_out}
    users = [
        name
        for name in tracked
        if name != "tests/data/heldout_seeds.yaml"
        and (REPO / name).is_file()
        and any(p in (REPO / name).read_text(encoding="utf-8", errors="replace") for p in patterns)
    ]
    assert not users, f"held-out seeds used in {users}"


def test_a_seed_file_that_reuses_a_tuning_seed_is_refused(tmp_path: Path) -> None:
    document = yaml.safe_load(SEED_FILE.read_text(encoding="utf-8"))
    document["held_out"]["incidents"]["speeding"] = 40003
    path = tmp_path / "seeds.yaml"
    path.write_text(yaml.safe_dump(document), encoding="utf-8")
    with pytest.raises(SeedFileError, match=r"both held out and tuned on: \[40003\]"):
        load_seed_file(path)
    del document["held_out"]["incidents"]["speeding"]
    path.write_text(yaml.safe_dump(document), encoding="utf-8")
    with pytest.raises(SeedFileError, match="missing \\['speeding'\\]"):
        load_seed_file(path)


def test_a_generated_part_is_replaced_and_the_rest_kept(tmp_path: Path) -> None:
    path = tmp_path / "ACCURACY.md"
    path.write_text("# Accuracy\n\nhand-written\n", encoding="utf-8")
    replace_section(path, "real-footage", "first")
    replace_section(path, "simulator", "sim")
    replace_section(path, "real-footage", "second")
    text = path.read_text(encoding="utf-8")
    assert text.startswith("# Accuracy\n\nhand-written\n")
    assert "second" in text and "first" not in text and text.count("sim\n") == 1
    assert text.index("second") < text.index("sim")  # replaced where it was
