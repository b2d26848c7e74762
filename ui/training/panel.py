"""Training panel: choose a scenario, run it as a trainee, end it, read the score report.

A run lives entirely apart from the live console: its own site, database and alert
service (:class:`console.training.TrainingRun`), shown under the "ĐÀO TẠO / TRAINING"
banner; the panel plays no sound. Alerts of the run arrive through :class:`RunEvents`
(core threads -> queued Qt signal), like the main bridge does for live alerts.
"""

from __future__ import annotations

import logging
import threading
import uuid
from collections.abc import Callable
from pathlib import Path

import numpy as np
from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFileDialog,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QPushButton,
    QSizePolicy,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from console.config.site_file import SiteConfig
from console.domain.alert_states import TransitionError
from console.domain.records import Alert, AlertAction, AlertStatus, AlertType
from console.pipeline.runtime import RuntimeOptions
from console.security.audit import AuditLog
from console.security.guard import SessionGuard
from console.security.roles import Actor
from console.training.report import report_csv
from console.training.run import TrainingRun
from console.training.scenario import (
    BUNDLED_SCENARIOS,
    TrainingScenario,
    load_training_scenario,
    save_training_scenario,
    scenario_files,
)
from console.training.scoring import ScoreReport, score_run
from ui.clip_player import pixmap_from_bgr
from ui.gui_callbacks import GuiCallbacks
from ui.labels import alert_type_label, status_label
from ui.training.report import TrainingReportView

log = logging.getLogger(__name__)
BANNER = "ĐÀO TẠO / TRAINING"
BANNER_STYLE = (
    "background: #b26a00; color: white; font-weight: bold; font-size: 15px; padding: 6px;"
)
RunFactory = Callable[[TrainingScenario], TrainingRun]
SCREEN_STYLE = "background: #05070a; color: #93a1b0;"


class RunEvents(QObject):
    """A run's alert events as a signal on the GUI thread."""

    changed = Signal(object)  # Alert

    def attach(self, run: TrainingRun) -> None:
        run.alerts.alert_listeners.append(self.changed.emit)
        run.alerts.change_listeners.append(self._on_change)

    def _on_change(self, alert: Alert, action: AlertAction) -> None:
        del action
        self.changed.emit(alert)


class FeedGrid(QWidget):
    """The run's cameras (up to four), refreshed a few times a second."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setMinimumSize(320, 180)
        self.placeholder = ""
        self.screens: dict[str, QLabel] = {}
        self.grid = QGridLayout(self)
        self.grid.setContentsMargins(0, 0, 0, 0)
        self.grid.setSpacing(2)
        self.empty = QLabel(self)
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setStyleSheet(SCREEN_STYLE)
        self.grid.addWidget(self.empty, 0, 0)

    def set_feeds(self, feeds: list[tuple[str, str]]) -> None:
        for screen in self.screens.values():
            screen.deleteLater()
        self.screens = {}
        columns = 1 if len(feeds) <= 2 else 2  # one or two cameras: full width, stacked
        for number, (camera_id, name) in enumerate(feeds):
            screen = QLabel(name, self)
            screen.setAlignment(Qt.AlignmentFlag.AlignCenter)
            screen.setStyleSheet(SCREEN_STYLE)
            screen.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Ignored)
            screen.setToolTip(name)
            self.grid.addWidget(screen, number // columns, number % columns)
            self.screens[camera_id] = screen
        self.empty.setVisible(not feeds)
        self.empty.setText(self.placeholder)

    def show_image(self, camera_id: str, image: np.ndarray) -> None:
        screen = self.screens.get(camera_id)
        if screen is not None:
            screen.setPixmap(
                pixmap_from_bgr(image).scaled(
                    screen.size(),
                    Qt.AspectRatioMode.KeepAspectRatio,
                    Qt.TransformationMode.FastTransformation,
                )
            )

    def highlight(self, camera_id: str | None) -> None:
        for key, screen in self.screens.items():
            style = SCREEN_STYLE + (" border: 2px solid #ff9100;" if key == camera_id else "")
            if screen.styleSheet() != style:
                screen.setStyleSheet(style)


class TrainingPanel(QWidget):
    run_started = Signal()
    run_finished = Signal(object)  # ScoreReport

    def __init__(
        self,
        site: SiteConfig,
        data_dir: Path,
        user: Callable[[], str],
        parent: QWidget | None = None,
        *,
        scenario_folders: list[Path] | None = None,
        run_factory: RunFactory | None = None,
        start_live: bool = True,
        runtime_options: RuntimeOptions | None = None,
        actor: Callable[[], Actor | None] = lambda: None,
        audit: AuditLog | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("TrainingPanel")
        self.site = site
        self.data_dir = Path(data_dir)
        self.user = user
        self.folders = scenario_folders or [BUNDLED_SCENARIOS, self.data_dir / "training"]
        self.run_factory = run_factory or self._default_run
        self.start_live = start_live
        self.runtime_options = runtime_options
        self.actor = actor
        self.audit = audit
        self.run: TrainingRun | None = None
        self.scenarios: list[tuple[Path, TrainingScenario]] = []
        self.events = RunEvents(self)
        self.events.changed.connect(self._on_alert)
        self.answers = GuiCallbacks(self)
        self.rows: dict[uuid.UUID, int] = {}

        self.banner = QLabel(BANNER, self)
        self.banner.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.banner.setStyleSheet(BANNER_STYLE)
        self.scenario_box = QComboBox(self)
        self.scenario_box.currentIndexChanged.connect(self._show_description)
        self.description = QLabel(self)
        self.description.setWordWrap(True)
        self.start_button = QPushButton(self)
        self.start_button.clicked.connect(self.start_run)
        self.end_button = QPushButton(self)
        self.end_button.clicked.connect(self.end_run)
        self.elapsed_label = QLabel(self)
        self.import_button = QPushButton(self)
        self.import_button.clicked.connect(lambda: self.import_scenario(None))
        self.message = QLabel(self)
        self.message.setStyleSheet("color: #ef9a9a;")
        top = QHBoxLayout()
        self.scenario_label = QLabel(self)
        top.addWidget(self.scenario_label)
        top.addWidget(self.scenario_box, 1)
        top.addWidget(self.start_button)
        top.addWidget(self.end_button)
        top.addWidget(self.import_button)
        top.addWidget(self.elapsed_label)

        self.table = QTableWidget(0, 4, self)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().setVisible(False)
        self.feeds = FeedGrid(self)
        self.buttons: dict[AlertStatus, QPushButton] = {}
        actions = QHBoxLayout()
        for status in (
            AlertStatus.ACKNOWLEDGED,
            AlertStatus.DISPATCHED,
            AlertStatus.RESOLVED,
            AlertStatus.FALSE_POSITIVE,
        ):
            button = QPushButton(self)
            button.clicked.connect(lambda _=False, s=status: self.act_on_selected(s))
            self.buttons[status] = button
            actions.addWidget(button)
        self.classify_box = QComboBox(self)
        for kind in AlertType:
            if kind is AlertType.CAMERA_HEALTH:
                continue
            self.classify_box.addItem(alert_type_label(kind), kind)
        self.classify_button = QPushButton(self)
        self.classify_button.clicked.connect(self.classify_selected)
        actions.addStretch(1)
        actions.addWidget(self.classify_box)
        actions.addWidget(self.classify_button)
        run_page = QWidget(self)
        run_layout = QVBoxLayout(run_page)
        middle = QHBoxLayout()
        middle.addWidget(self.table, 3)
        middle.addWidget(self.feeds, 2)
        run_layout.addWidget(self.description)
        run_layout.addLayout(middle, 1)
        run_layout.addLayout(actions)
        run_layout.addWidget(self.message)
        self.report_view = TrainingReportView(
            site.site.timezone, self, {camera.id: camera.name for camera in site.cameras}
        )
        self.tabs = QTabWidget(self)
        self.tabs.addTab(run_page, "")
        self.tabs.addTab(self.report_view, "")

        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.banner)
        layout.addLayout(top)
        layout.addWidget(self.tabs, 1)
        self._timer = QTimer(self)
        self._timer.timeout.connect(self._tick)
        self._retranslate()
        self.reload_scenarios()
        self._set_running(False)

    # ---- scenarios --------------------------------------------------------------------

    def reload_scenarios(self) -> None:
        self.scenarios = []
        for folder in self.folders:
            for path in scenario_files(folder):
                try:
                    self.scenarios.append((path, load_training_scenario(path)))
                except ValueError as error:  # a broken file is reported, never fatal
                    log.warning("training scenario skipped: %s", error)
        self.scenario_box.blockSignals(True)
        self.scenario_box.clear()
        for _, scenario in self.scenarios:
            self.scenario_box.addItem(scenario.name)
        self.scenario_box.blockSignals(False)
        self._show_description()

    def import_scenario(self, path: Path | None) -> Path | None:
        """A trainer adds a scenario file: validated, saved under the data folder, audited."""
        if path is None:
            chosen, _ = QFileDialog.getOpenFileName(
                self, self.tr("Import training scenario"), "", self.tr("Scenario (*.yaml *.yml)")
            )
            if not chosen:
                return None
            path = Path(chosen)
        actor = self.actor()
        if actor is None:
            self.message.setText(self.tr("Log in as a trainer to add scenarios."))
            return None
        try:
            scenario = load_training_scenario(path)
            target = self.data_dir / "training" / f"{Path(path).stem}.yaml"
            saved = save_training_scenario(scenario, target, actor, self.audit)
        except (ValueError, PermissionError, OSError) as error:
            self.message.setText(str(error))
            return None
        self.message.setText("")
        self.reload_scenarios()
        return saved

    def selected_scenario(self) -> TrainingScenario | None:
        index = self.scenario_box.currentIndex()
        return self.scenarios[index][1] if 0 <= index < len(self.scenarios) else None

    def _show_description(self) -> None:
        scenario = self.selected_scenario()
        self.description.setText(scenario.description if scenario is not None else "")

    # ---- running ----------------------------------------------------------------------

    def _default_run(self, scenario: TrainingScenario) -> TrainingRun:
        return TrainingRun(scenario, self.site, self.data_dir, trainee=self.user())

    def start_run(self) -> TrainingRun | None:
        scenario = self.selected_scenario()
        if scenario is None or self.run is not None:
            return None
        try:
            run = self.run_factory(scenario)
        except (ValueError, OSError) as error:
            self.message.setText(str(error))
            return None
        actor = self.actor()
        if actor is not None:  # the logged-in trainee acts, with the training permission
            run.alerts.guard = SessionGuard(actor, self.audit)
        self.run = run
        self.rows.clear()
        self.table.setRowCount(0)
        self.events.attach(run)
        if self.start_live:
            threading.Thread(
                target=self._start_live, args=(run,), name="training-start", daemon=True
            ).start()
        self.feeds.set_feeds(
            [(f.camera_id, self.site.camera(f.camera_id).name) for f in scenario.feeds]
        )
        self._set_running(True)
        self._timer.start(200)
        self.run_started.emit()
        return run

    def _start_live(self, run: TrainingRun) -> None:
        try:
            run.start_live(self.runtime_options)
        except Exception as error:  # the model or a feed; the trainee sees why
            log.exception("training run could not start")
            self.events.changed.emit(str(error))

    def end_run(self) -> ScoreReport | None:
        run = self.run
        if run is None:
            return None
        self._timer.stop()
        run.stop()
        report = score_run(run)
        self.report_view.show_report(report)
        try:
            (run.folder / "report.html").write_text(self.report_view.html(), encoding="utf-8")
            (run.folder / "report.csv").write_text(report_csv(report), encoding="utf-8")
        except OSError as error:
            self.message.setText(str(error))
        run.close()
        self.run = None
        self._set_running(False)
        self.tabs.setCurrentWidget(self.report_view)
        self.run_finished.emit(report)
        return report

    def _set_running(self, running: bool) -> None:
        self.banner.setVisible(running or self.report_view.report is not None)
        self.start_button.setEnabled(not running and bool(self.scenarios))
        self.scenario_box.setEnabled(not running)
        self.import_button.setEnabled(not running)
        self.end_button.setEnabled(running)
        for button in [*self.buttons.values(), self.classify_button]:
            button.setEnabled(running)

    def _tick(self) -> None:
        run = self.run
        if run is None:
            return
        self.elapsed_label.setText(f"{run.elapsed_s:5.0f} s / {run.scenario.duration_s:.0f} s")
        alert_id = self.selected_alert_id()
        alert = run.alerts.alerts.get(alert_id) if alert_id is not None else None
        self.feeds.highlight(alert.camera_id if alert is not None else None)
        if run.runtime is not None:
            for feed in run.scenario.feeds:
                _, frame = run.runtime.latest_frame(feed.camera_id)
                if frame is not None:
                    self.feeds.show_image(feed.camera_id, frame.image)

    # ---- the run's alerts -----------------------------------------------------------------

    def _on_alert(self, alert: object) -> None:
        if isinstance(alert, str):
            self.message.setText(alert)
            return
        if not isinstance(alert, Alert) or self.run is None:
            return
        row = self.rows.get(alert.id)
        if row is None:
            row = self.table.rowCount()
            self.table.insertRow(row)
            self.rows[alert.id] = row
            if self.table.currentRow() < 0:
                self.table.selectRow(row)
        at = next((e.at_s for e in self.run.events if e.alert_id == alert.id), 0.0)
        name = self.site.camera(alert.camera_id).name
        for column, text in enumerate(
            (f"{at:.0f} s", name, alert_type_label(alert.type), status_label(alert.status))
        ):
            item = QTableWidgetItem(text)
            item.setData(Qt.ItemDataRole.UserRole, alert.id)
            self.table.setItem(row, column, item)

    def selected_alert_id(self) -> uuid.UUID | None:
        row = self.table.currentRow()
        item = self.table.item(row, 0) if row >= 0 else None
        value = item.data(Qt.ItemDataRole.UserRole) if item is not None else None
        return value if isinstance(value, uuid.UUID) else None

    def act_on_selected(self, status: AlertStatus, note: str | None = None) -> None:
        run, alert_id = self.run, self.selected_alert_id()
        if run is None or alert_id is None:
            return
        if status is AlertStatus.FALSE_POSITIVE and note is None:
            note, ok = QInputDialog.getText(self, self.tr("False positive"), self.tr("Why?"))
            if not ok:
                return
        try:
            saving = run.act(alert_id, status, actor=self.user(), note=note or "")
        except (TransitionError, PermissionError) as error:
            self.message.setText(str(error))
            return
        self.message.setText("")
        self.answers.when_done(saving, lambda _alert: None, self._not_saved)

    def _not_saved(self, error: BaseException) -> None:
        self.message.setText(str(error))

    def classify_selected(self) -> None:
        run, alert_id = self.run, self.selected_alert_id()
        if run is None or alert_id is None:
            return
        run.classify(alert_id, AlertType(self.classify_box.currentData()), actor=self.user())
        self.message.setText(
            self.tr("Classified as %1").replace("%1", self.classify_box.currentText())
        )

    # ---- language and lifetime -------------------------------------------------------------

    def _retranslate(self) -> None:
        self.scenario_label.setText(self.tr("Scenario"))
        self.start_button.setText(self.tr("Start training run"))
        self.end_button.setText(self.tr("End run and score"))
        self.import_button.setText(self.tr("Import scenario…"))
        self.import_button.setToolTip(self.tr("Trainers only: add a training scenario file"))
        self.table.setHorizontalHeaderLabels(
            [self.tr("At"), self.tr("Camera"), self.tr("Type"), self.tr("Status")]
        )
        self.buttons[AlertStatus.ACKNOWLEDGED].setText(self.tr("Acknowledge"))
        self.buttons[AlertStatus.DISPATCHED].setText(self.tr("Dispatch"))
        self.buttons[AlertStatus.RESOLVED].setText(self.tr("Resolve"))
        self.buttons[AlertStatus.FALSE_POSITIVE].setText(self.tr("False positive…"))
        self.classify_button.setText(self.tr("Classify"))
        self.tabs.setTabText(0, self.tr("Run"))
        self.tabs.setTabText(1, self.tr("Score report"))
        self.feeds.placeholder = self.tr("Training cameras appear here during a run.")
        if self.run is None:
            self.feeds.set_feeds([])

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self._retranslate()
        super().changeEvent(event)

    def shutdown(self) -> None:
        """Stop a run still going (window closing): its data stays in its own database."""
        self._timer.stop()
        if self.run is not None:
            self.run.close()
            self.run = None
