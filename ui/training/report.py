"""The training score report in the app, and its export as HTML, PDF and CSV."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QEvent, QMarginsF
from PySide6.QtGui import QPageLayout, QPageSize, QPdfWriter, QTextDocument
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QPushButton,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from console.training.report import report_csv, report_html
from console.training.scoring import ScoreReport
from ui.labels import alert_type_label


class TrainingReportView(QWidget):
    def __init__(
        self,
        timezone: str,
        parent: QWidget | None = None,
        camera_names: dict[str, str] | None = None,
    ) -> None:
        super().__init__(parent)
        self.timezone = timezone
        self.camera_names = camera_names or {}
        self.report: ScoreReport | None = None
        self.browser = QTextBrowser(self)
        self.html_button = QPushButton(self)
        self.html_button.clicked.connect(lambda: self._ask_and_export("html"))
        self.pdf_button = QPushButton(self)
        self.pdf_button.clicked.connect(lambda: self._ask_and_export("pdf"))
        self.csv_button = QPushButton(self)
        self.csv_button.clicked.connect(lambda: self._ask_and_export("csv"))
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        for button in (self.html_button, self.pdf_button, self.csv_button):
            buttons.addWidget(button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.browser, 1)
        layout.addLayout(buttons)
        self._retranslate()
        self.show_report(None)

    def labels(self) -> dict[str, str]:
        """The report's texts in the interface language."""
        return {
            "title": self.tr("Training score report"),
            "scenario": self.tr("Scenario"),
            "trainee": self.tr("Trainee"),
            "run": self.tr("Run"),
            "started": self.tr("Started"),
            "duration": self.tr("Duration"),
            "score": self.tr("Score"),
            "incidents": self.tr("Incidents"),
            "incident": self.tr("Incident"),
            "camera": self.tr("Camera"),
            "type": self.tr("Type"),
            "at": self.tr("At (s)"),
            "detected": self.tr("Acknowledged"),
            "ack_time": self.tr("Time to acknowledge (s)"),
            "classified": self.tr("Classification"),
            "dispatch": self.tr("Dispatch"),
            "points": self.tr("Points"),
            "false_alarms": self.tr("False alarms"),
            "alarm": self.tr("False alarm"),
            "dismissed": self.tr("Dismissed"),
            "other_alerts": self.tr("Other alerts (not scored)"),
            "status": self.tr("Final status"),
            "yes": self.tr("yes"),
            "no": self.tr("no"),
            "missed": self.tr("missed"),
            "late": self.tr("late"),
        }

    def html(self) -> str:
        if self.report is None:
            return ""
        return report_html(
            self.report,
            self.timezone,
            self.labels(),
            type_name=alert_type_label,
            camera_name=lambda camera_id: self.camera_names.get(camera_id, camera_id),
        )

    def show_report(self, report: ScoreReport | None) -> None:
        self.report = report
        for button in (self.html_button, self.pdf_button, self.csv_button):
            button.setEnabled(report is not None)
        if report is None:
            self.browser.setHtml("<p>" + self.tr("No training run finished yet.") + "</p>")
        else:
            self.browser.setHtml(self.html())

    def export(self, path: Path, kind: str) -> Path:
        """Write the report as ``html``, ``pdf`` or ``csv`` to ``path``."""
        if self.report is None:
            raise ValueError("no report to export")
        path = Path(path)
        if kind == "html":
            path.write_text(self.html(), encoding="utf-8")
        elif kind == "csv":
            path.write_text(report_csv(self.report), encoding="utf-8-sig")  # Excel reads UTF-8
        elif kind == "pdf":
            writer = QPdfWriter(str(path))
            writer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
            writer.setPageOrientation(QPageLayout.Orientation.Landscape)
            writer.setPageMargins(QMarginsF(12, 12, 12, 12), QPageLayout.Unit.Millimeter)
            writer.setTitle(self.tr("Training score report"))
            document = QTextDocument()
            document.setHtml(self.html())
            document.print_(writer)
        else:
            raise ValueError(f"unknown export kind {kind!r}")
        return path

    def _ask_and_export(self, kind: str) -> None:
        if self.report is None:
            return
        filters = {
            "html": self.tr("Web page (*.html)"),
            "pdf": self.tr("PDF document (*.pdf)"),
            "csv": self.tr("CSV table (*.csv)"),
        }
        chosen, _ = QFileDialog.getSaveFileName(
            self, self.tr("Export report"), f"training-{self.report.run_id}.{kind}", filters[kind]
        )
        if chosen:
            self.export(Path(chosen), kind)

    def _retranslate(self) -> None:
        self.html_button.setText(self.tr("Export HTML…"))
        self.pdf_button.setText(self.tr("Export PDF…"))
        self.csv_button.setText(self.tr("Export CSV…"))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self._retranslate()
            self.show_report(self.report)
        super().changeEvent(event)
