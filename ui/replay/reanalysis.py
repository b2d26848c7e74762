"""Re-analysis dialog: which alerts other rule settings would have raised on a recording.

A supervisor points at a candidate site file (the rules being tuned); the camera with the
same id is run over the replayed range through tracker, rules and policy
(:func:`console.replay.reanalysis.reanalyse`) on a worker thread, and the alerts it would
have raised are listed beside those the live rules raised. Nothing is stored or raised.
"""

from __future__ import annotations

import threading
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from console.config.site import Camera
from console.config.site_file import ConfigError, SiteConfig, load_site
from console.recording.index import RecordingIndex
from console.replay.reanalysis import ReanalysisResult, reanalyse
from ui.alert_text import alert_message
from ui.labels import alert_type_label, severity_label


class _Outcome(QObject):
    done = Signal(object)  # ReanalysisResult | str (an error)


class ReanalysisDialog(QDialog):
    finished_run = Signal(object)  # ReanalysisResult

    def __init__(
        self,
        site: SiteConfig,
        index: RecordingIndex,
        camera_id: str,
        start_s: float,
        end_s: float,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("ReanalysisDialog")
        self.site = site
        self.index = index
        self.camera_id = camera_id
        self.range_s = (start_s, end_s)
        self.zone = ZoneInfo(site.site.timezone)
        self.candidate: SiteConfig | None = None
        self.outcome: ReanalysisResult | None = None
        self._worker: threading.Thread | None = None
        self._outcome = _Outcome(self)
        self._outcome.done.connect(self._show_result)
        self.range_label = QLabel(self)
        self.file_label = QLabel(self)
        self.file_label.setWordWrap(True)
        self.choose_button = QPushButton(self)
        self.choose_button.clicked.connect(lambda: self.choose_site_file(None))
        self.run_button = QPushButton(self)
        self.run_button.clicked.connect(self.start)
        self.status = QLabel(self)
        self.table = QTableWidget(0, 4, self)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().setVisible(False)
        buttons = QHBoxLayout()
        buttons.addWidget(self.choose_button)
        buttons.addWidget(self.run_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.range_label)
        layout.addWidget(self.file_label)
        layout.addLayout(buttons)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.status)
        self.resize(720, 420)
        self._retranslate()

    def camera(self) -> Camera:
        """The camera with the candidate rules (the live ones until a file is chosen)."""
        source = self.candidate or self.site
        return source.camera(self.camera_id)

    def choose_site_file(self, path: Path | None) -> bool:
        if path is None:
            chosen, _ = QFileDialog.getOpenFileName(
                self, self.tr("Site file with the rules to try"), "", self.tr("Site file (*.yaml)")
            )
            if not chosen:
                return False
            path = Path(chosen)
        try:
            candidate = load_site(path)
            candidate.camera(self.camera_id)
        except ConfigError as error:
            self.status.setText(str(error).splitlines()[0])
            return False
        except KeyError:
            self.status.setText(
                self.tr("That site file has no camera %1.").replace("%1", self.camera_id)
            )
            return False
        self.candidate = candidate
        self._retranslate()
        return True

    def start(self) -> None:
        """Run on a worker thread; the result arrives through a queued signal."""
        if self._worker is not None and self._worker.is_alive():
            return
        self.run_button.setEnabled(False)
        self.status.setText(self.tr("Analysing the recording…"))
        camera, site = self.camera(), self.candidate or self.site
        self._worker = threading.Thread(
            target=self._work, args=(camera, site), name="reanalysis", daemon=True
        )
        self._worker.start()

    def _work(self, camera: Camera, site: SiteConfig) -> None:
        try:
            self._outcome.done.emit(reanalyse(self.index, camera, site, *self.range_s))
        except Exception as error:  # shown in the dialog, never fatal
            self._outcome.done.emit(str(error))

    def wait(self, timeout_s: float = 60.0) -> None:
        if self._worker is not None:
            self._worker.join(timeout_s)

    def _show_result(self, outcome: object) -> None:
        self.run_button.setEnabled(True)
        if not isinstance(outcome, ReanalysisResult):
            self.status.setText(str(outcome))
            return
        self.outcome = outcome
        self.table.setRowCount(0)
        for alert in outcome.alerts:
            row = self.table.rowCount()
            self.table.insertRow(row)
            moment = alert.event.started_at.astimezone(self.zone)
            for column, text in enumerate(
                (
                    f"{moment:%H:%M:%S}",
                    alert_type_label(alert.type),
                    severity_label(alert.priority),
                    alert_message(alert),
                )
            ):
                item = QTableWidgetItem(text)
                item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
                self.table.setItem(row, column, item)
        self.status.setText(
            self.tr("%1 alerts from %2 analysed frames (%3 s).")
            .replace("%1", str(len(outcome.alerts)))
            .replace("%2", str(outcome.frames_analysed))
            .replace("%3", f"{outcome.wall_seconds:.1f}")
        )
        self.finished_run.emit(outcome)

    def _retranslate(self) -> None:
        self.setWindowTitle(self.tr("Re-analyse with other rules"))
        start, end = (datetime.fromtimestamp(t, self.zone) for t in self.range_s)
        self.range_label.setText(
            self.tr("Camera %1 from %2 to %3")
            .replace("%1", self.site.camera(self.camera_id).name)
            .replace("%2", f"{start:%d/%m/%Y %H:%M:%S}")
            .replace("%3", f"{end:%H:%M:%S}")
        )
        self.file_label.setText(
            self.tr("Rules: the site's current rules")
            if self.candidate is None
            else self.tr("Rules: %1").replace("%1", self.candidate.site.name)
        )
        self.choose_button.setText(self.tr("Choose site file…"))
        self.run_button.setText(self.tr("Re-analyse"))
        self.table.setHorizontalHeaderLabels(
            [self.tr("Time"), self.tr("Type"), self.tr("Priority"), self.tr("Message")]
        )

    def done(self, result: int) -> None:
        self.wait()
        super().done(result)
