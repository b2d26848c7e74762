"""Training panel: a run under the banner, the trainee's buttons, the report and its exports."""

from __future__ import annotations

from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from console.config.site_file import SiteConfig
from console.domain.records import AlertStatus, AlertType
from console.training import TrainingRun, TrainingScenario
from console.training.drive import drive_with_ground_truth
from ui.training.panel import BANNER, TrainingPanel


@pytest.mark.slow
def test_a_run_in_the_panel_ends_in_an_exportable_report(
    demo_site: SiteConfig, qtbot: QtBot, tmp_path: Path
) -> None:
    site = demo_site

    def factory(scenario: TrainingScenario) -> TrainingRun:
        return TrainingRun(scenario, site, tmp_path, trainee="hoc-vien", sim_size=(640, 360))

    panel = TrainingPanel(site, tmp_path, lambda: "hoc-vien", run_factory=factory, start_live=False)
    qtbot.addWidget(panel)
    assert panel.banner.text() == BANNER and panel.banner.isHidden()
    assert panel.selected_scenario() is not None
    run = panel.start_run()
    assert run is not None and not panel.banner.isHidden() and panel.end_button.isEnabled()
    drive_with_ground_truth(run, 30.0)
    assert panel.table.rowCount() >= 2  # the wrong-way driver and the false alarm
    panel.table.selectRow(0)
    assert run.alerts.alerts[panel.selected_alert_id()].type is AlertType.WRONG_WAY
    panel.act_on_selected(AlertStatus.ACKNOWLEDGED)
    panel.classify_box.setCurrentIndex(panel.classify_box.findData(AlertType.WRONG_WAY))
    panel.classify_selected()
    panel.act_on_selected(AlertStatus.RESOLVED)
    assert panel.table.item(0, 3).text() != "new"
    report = panel.end_run()
    assert report is not None and panel.run is None
    wrong_way = report.incidents[0]
    assert wrong_way.detected and wrong_way.classification_correct
    assert not wrong_way.dispatch_correct  # the scenario wanted a dispatch
    assert panel.tabs.currentWidget() is panel.report_view
    assert "hoc-vien" in panel.report_view.browser.toPlainText()
    for kind in ("html", "csv", "pdf"):
        path = panel.report_view.export(tmp_path / f"report.{kind}", kind)
        assert path.stat().st_size > 0
    assert (tmp_path / "report.pdf").read_bytes().startswith(b"%PDF")
    assert "wrong-way-car" in (tmp_path / "report.csv").read_text(encoding="utf-8-sig")
    assert (run.folder / "report.html").exists()


def test_only_a_trainer_imports_scenarios(
    demo_site: SiteConfig, qtbot: QtBot, tmp_path: Path
) -> None:
    from console.security.roles import Role, User
    from console.training.scenario import BUNDLED_SCENARIOS

    site = demo_site
    who: list[User | None] = [None]
    panel = TrainingPanel(site, tmp_path, lambda: "x", actor=lambda: who[0], start_live=False)
    qtbot.addWidget(panel)
    source = BUNDLED_SCENARIOS / "highway-and-junction.yaml"
    assert panel.import_scenario(source) is None and "trainer" in panel.message.text()
    who[0] = User("op", Role.OPERATOR)
    assert panel.import_scenario(source) is None and "may not" in panel.message.text()
    who[0] = User("thu", Role.TRAINER)
    saved = panel.import_scenario(source)
    assert saved == tmp_path / "training" / "highway-and-junction.yaml" and saved.exists()
    assert panel.scenario_box.count() == 2  # the bundled one and the imported copy


@pytest.mark.slow
def test_the_logged_in_trainee_acts_through_the_guard(
    demo_site: SiteConfig, qtbot: QtBot, tmp_path: Path
) -> None:
    from console.security.roles import Role, User

    site = demo_site
    who = [User("hoc-vien", Role.OPERATOR)]

    def factory(scenario: TrainingScenario) -> TrainingRun:
        return TrainingRun(scenario, site, tmp_path, trainee="hoc-vien", sim_size=(640, 360))

    panel = TrainingPanel(
        site,
        tmp_path,
        lambda: who[0].username,
        run_factory=factory,
        start_live=False,
        actor=lambda: who[0],
    )
    qtbot.addWidget(panel)
    run = panel.start_run()
    assert run is not None and run.alerts.guard is not None
    drive_with_ground_truth(run, 30.0)
    panel.table.selectRow(0)
    alert_id = panel.selected_alert_id()
    assert alert_id is not None
    panel.act_on_selected(AlertStatus.ACKNOWLEDGED)  # an operator is a trainee
    qtbot.waitUntil(lambda: run.alerts.alerts[alert_id].status is AlertStatus.ACKNOWLEDGED)
    who[0] = User("it-admin", Role.ADMIN)  # IT administrators do not handle cases
    panel.act_on_selected(AlertStatus.RESOLVED)
    assert run.alerts.alerts[alert_id].status is AlertStatus.ACKNOWLEDGED
    assert "may not" in panel.message.text()
    panel.end_run()
