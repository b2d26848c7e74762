"""Training: a scripted trainee's run gives the expected score; nothing reaches live data."""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest
from sqlalchemy import func, select

from console.config.site_file import SiteConfig
from console.domain.records import AlertStatus, AlertType
from console.security.roles import PermissionDeniedError, Role, User
from console.store.local import LocalStore, default_store_path
from console.store.models import ALERTS, OUTBOX
from console.training import (
    TrainingRun,
    load_training_scenario,
    report_csv,
    report_html,
    save_training_scenario,
    score_run,
)
from console.training.drive import drive_with_ground_truth
from console.training.scenario import BUNDLED_SCENARIOS
from tests.conftest import load_demo_site

SCENARIO = BUNDLED_SCENARIOS / "highway-and-junction.yaml"


@pytest.fixture(scope="module")
def site() -> SiteConfig:
    return load_demo_site()


class ScriptedTrainee:
    """Acknowledges, classifies and dispatches the wrong-way driver after 4 s, misses the
    red-light runner, and dismisses the false alarm after 5 s."""

    def __init__(self) -> None:
        self.done: set[uuid.UUID] = set()

    def __call__(self, run: TrainingRun, now_s: float) -> None:
        raised = {e.alert_id: e.at_s for e in run.events if e.kind == "raised"}
        for alert in run.raised_alerts():
            if alert.id in self.done or now_s - raised[alert.id] < 4.0:
                continue
            if alert.type is AlertType.WRONG_WAY:
                run.act(alert.id, AlertStatus.ACKNOWLEDGED, actor="hoc-vien")
                run.classify(alert.id, AlertType.WRONG_WAY, actor="hoc-vien")
                run.act(alert.id, AlertStatus.DISPATCHED, actor="hoc-vien")
                self.done.add(alert.id)
            elif (
                alert.event.rule_id.endswith("shadow-pedestrian") and now_s - raised[alert.id] >= 5
            ):
                run.act(alert.id, AlertStatus.FALSE_POSITIVE, actor="hoc-vien", note="shadow")
                self.done.add(alert.id)


@pytest.mark.slow
def test_a_scripted_trainee_gets_the_expected_score(site: SiteConfig, tmp_path: Path) -> None:
    live = LocalStore.open(default_store_path(tmp_path))
    scenario = load_training_scenario(SCENARIO)
    run = TrainingRun(scenario, site, tmp_path, trainee="hoc-vien", sim_size=(640, 360))
    try:
        drive_with_ground_truth(run, scenario.duration_s, ScriptedTrainee())
        report = score_run(run)
    finally:
        run.close()

    wrong_way, red_light = report.incidents
    assert wrong_way.detected and wrong_way.acknowledged_in_time
    assert wrong_way.time_to_acknowledge_s == pytest.approx(4.0, abs=0.21)
    assert wrong_way.classification_correct and wrong_way.dispatched and wrong_way.dispatch_correct
    assert wrong_way.points == wrong_way.max_points == 4
    assert red_light.alert_id is not None, "the red-light alert was raised (oracle detector)"
    assert red_light.raised_s is not None and red_light.raised_s >= 10 - 3  # offset applied
    assert not red_light.detected and red_light.points == 0 and red_light.max_points == 4
    (alarm,) = report.false_alarms
    assert alarm.dismissed and alarm.points == 1
    assert (report.points, report.max_points) == (5, 9)
    assert round(report.percent) == 56

    page = report_html(report, site.site.timezone)
    assert "ĐÀO TẠO / TRAINING" in page and "wrong-way-car" in page and "5 / 9" in page
    rows = report_csv(report).splitlines()
    assert rows[0].startswith("row,label") and rows[-1].endswith(",5,9")
    assert len(rows) == 1 + 2 + 1 + 1

    # Nothing from training reaches the live database or central storage.
    assert run.database_path.parent == tmp_path / "training"
    assert run.database_path != live.path and run.site.central is None
    with live.session() as session:
        assert session.execute(select(func.count()).select_from(ALERTS)).scalar_one() == 0
    live.close()
    training = LocalStore.open(run.database_path)
    with training.session() as session:
        flags = session.execute(select(ALERTS.c.training)).scalars().all()
        assert len(flags) >= 3 and all(flags)
        assert session.execute(select(func.count()).select_from(OUTBOX)).scalar_one() == 0
    training.close()


def test_only_a_trainer_saves_scenarios(tmp_path: Path) -> None:
    scenario = load_training_scenario(SCENARIO)
    with pytest.raises(PermissionDeniedError, match="create_training_scenario"):
        save_training_scenario(scenario, tmp_path / "x.yaml", User("op", Role.OPERATOR))
    path = save_training_scenario(
        scenario.model_copy(update={"author": ""}),
        tmp_path / "mine.yaml",
        User("thu", Role.TRAINER),
    )
    again = load_training_scenario(path)
    assert again.author == "thu"
    assert again.model_copy(update={"author": "roadwatch"}) == scenario


def test_a_scenario_naming_an_unknown_incident_is_refused(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(SCENARIO.read_text(encoding="utf-8").replace("wrong-way-car", "nobody"))
    with pytest.raises(ValueError, match="nobody"):
        load_training_scenario(bad)


def test_a_live_run_streams_its_feeds_and_raises_false_alarms_on_time(
    site: SiteConfig, tmp_path: Path
) -> None:
    import time

    from console.pipeline.runtime import RuntimeOptions
    from console.training import FalseAlarm

    scenario = load_training_scenario(SCENARIO)
    scenario = scenario.model_copy(
        update={
            "feeds": scenario.feeds[:1],
            "expected": scenario.expected[:1],
            "false_alarms": [FalseAlarm(id="early", camera_id=scenario.feeds[0].camera_id, at_s=1)],
        }
    )
    run = TrainingRun(
        scenario, site, tmp_path, trainee="hoc-vien", sim_size=(320, 180), sim_fps=5.0
    )
    try:
        runtime = run.start_live(RuntimeOptions(analyse=False))
        camera_id = scenario.feeds[0].camera_id
        deadline = time.monotonic() + 10
        # the alert and its event are recorded by different threads: wait for both
        while (
            "early" not in run.false_alarm_alerts or not run.events
        ) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert "early" in run.false_alarm_alerts
        (alert,) = run.raised_alerts()
        assert alert.training and 1.0 <= next(e.at_s for e in run.events) < 2.0
        assert runtime.latest_frame(camera_id)[1] is not None
        assert runtime.latest_frame(camera_id)[1].image.shape == (180, 320, 3)
        run.stop()
        report = score_run(run)
    finally:
        run.close()
    assert report.false_alarms[0].points == 0 and report.incidents[0].points == 0
