"""Shift handover: compose, preview, save for the next operator, export as HTML or PDF."""

from __future__ import annotations

import html
import uuid
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import partial
from pathlib import Path

from PySide6.QtCore import QEvent, QMarginsF, QObject
from PySide6.QtGui import QPageLayout, QPageSize, QPdfWriter, QTextDocument
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.orm import Session

from console.alerts.handover import HandoverReport, OutageLog, build_report, save_report
from console.alerts.stats import shift_start
from console.config.site_file import SiteConfig
from console.domain.records import Alert, AlertAction, AlertStatus, AlertType, utc_now
from console.store import queries
from ui.gui_callbacks import GuiCallbacks
from ui.labels import alert_type_label, camera_title, local_time, severity_label, status_label
from ui.reason_text import reason_text
from ui.session import ConsoleSession

PAPER = "QTextBrowser { background: #f4f6f8; color: #111111; }"  # a report reads as paper
STYLE = """
body { font-family: 'Noto Sans'; font-size: 10pt; color: #111; }
h1 { font-size: 16pt; margin-bottom: 2px; } h2 { font-size: 12pt; margin-top: 14px; }
table { border-collapse: collapse; } td, th { border: 1px solid #999; padding: 3px 6px; }
th { background: #dde3ea; } .muted { color: #555; }
"""


class HandoverRenderer(QObject):
    """Turns a report into an HTML page in the interface language."""

    def __init__(self, site: SiteConfig, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.site = site

    def _camera(self, camera_id: str) -> str:
        try:
            camera = self.site.camera(camera_id)
        except KeyError:
            return html.escape(camera_id)
        return html.escape(camera_title(camera))

    def _time(self, moment: datetime | None) -> str:
        return local_time(moment, self.site.site.timezone, True) if moment else ""

    def render(self, report: HandoverReport) -> str:
        e = html.escape
        title = e(self.tr("Shift handover report"))
        by_type = e(self.tr("Alerts of the shift by type and state"))
        total = e(self.tr("Total"))
        no_alerts = e(self.tr("No alerts in this shift."))
        still_open = e(self.tr("Alerts still open"))
        outages_title = e(self.tr("Camera outages"))
        camera_h, from_h = e(self.tr("Camera")), e(self.tr("From"))
        until_h, reason_h = e(self.tr("Until")), e(self.tr("Reason"))
        notes_title = e(self.tr("Notes for the next shift"))
        parts = [f"<html><head><style>{STYLE}</style></head><body>"]
        parts.append(f"<h1>{title}</h1>")
        parts.append(
            f"<p>{e(self.site.site.name)}<br>"
            + e(self.tr("Shift from %1 to %2, handed over by %3"))
            .replace("%1", self._time(report.shift_start))
            .replace("%2", self._time(report.created_at))
            .replace("%3", f"<b>{e(report.author)}</b>")
            + "</p>"
        )
        parts.append(f"<h2>{by_type}</h2>")
        statuses = list(AlertStatus)
        parts.append("<table><tr><th></th>")
        parts += [f"<th>{e(status_label(s))}</th>" for s in statuses]
        parts.append(f"<th>{total}</th></tr>")
        types = sorted({t for t, _s, _n in report.counts})
        for kind in types:
            cells = [report.count(kind, s.value) for s in statuses]
            parts.append(f"<tr><td>{e(alert_type_label(AlertType(kind)))}</td>")
            parts += [f"<td align='right'>{n or ''}</td>" for n in cells]
            parts.append(f"<td align='right'><b>{sum(cells)}</b></td></tr>")
        if not types:
            parts.append(f"<tr><td colspan='7'>{no_alerts}</td></tr>")
        parts.append("</table>")
        parts.append(f"<h2>{still_open} ({len(report.open_alerts)})</h2><table>")
        parts.append(
            "<tr>"
            + "".join(
                f"<th>{e(h)}</th>"
                for h in (
                    self.tr("Raised"),
                    self.tr("Priority"),
                    self.tr("Type"),
                    self.tr("Camera"),
                    self.tr("Status"),
                    self.tr("Notes"),
                )
            )
            + "</tr>"
        )
        for item in report.open_alerts:
            notes = "<br>".join(
                f"<span class='muted'>{self._time(n.at)} {e(n.actor)}:</span> {e(n.text)}"
                for n in item.notes
            )
            status = status_label(AlertStatus(item.status))
            if item.unit:
                status += f" ({item.unit})"
            parts.append(
                f"<tr><td>{self._time(item.created_at)}</td>"
                f"<td>{e(severity_label(item.priority))}</td>"
                f"<td>{e(alert_type_label(AlertType(item.type)))}</td>"
                f"<td>{self._camera(item.camera_id)}</td><td>{e(status)}</td>"
                f"<td>{notes}</td></tr>"
            )
        parts.append("</table>")
        parts.append(f"<h2>{outages_title} ({len(report.outages)})</h2><table>")
        parts.append(
            f"<tr><th>{camera_h}</th><th>{from_h}</th><th>{until_h}</th><th>{reason_h}</th></tr>"
        )
        for outage in report.outages:
            until = self._time(outage.ended_at) if outage.ended_at else self.tr("still down")
            parts.append(
                f"<tr><td>{self._camera(outage.camera_id)}</td>"
                f"<td>{self._time(outage.started_at)}</td><td>{e(until)}</td>"
                f"<td>{e(reason_text(outage.reason))}</td></tr>"
            )
        parts.append("</table>")
        parts.append(f"<h2>{notes_title}</h2>")
        notes = e(report.notes).replace("\n", "<br>") if report.notes else self.tr("(none)")
        parts.append(f"<p>{notes}</p></body></html>")
        return "".join(parts)


@dataclass(frozen=True, slots=True)
class ShiftRecords:
    """The shift's alerts (memory and store) and the history of those still open."""

    start: datetime
    alerts: list[Alert]
    histories: dict[uuid.UUID, list[AlertAction]]


def read_shift(session: ConsoleSession, now: datetime | None = None) -> Future[ShiftRecords]:
    """Gather the current shift's alerts on the store's reader thread (never the GUI's)."""
    start, _night = shift_start(now or utc_now(), session.site.site.timezone)
    in_memory = list(session.alerts.alerts.values())
    query = partial(_shift_records, start=start, in_memory=in_memory)
    return session.store.reader.submit(query)


def _shift_records(db: Session, start: datetime, in_memory: list[Alert]) -> ShiftRecords:
    alerts = {a.id: a for a in in_memory}  # memory first: it may be ahead of the store
    for alert in queries.list_alerts(db, since=start - timedelta(days=1), limit=5000):
        alerts.setdefault(alert.id, alert)
    histories = {
        a.id: queries.alert_history(db, a.id) for a in alerts.values() if not a.status.is_terminal
    }
    return ShiftRecords(start, list(alerts.values()), histories)


def compose_report(
    session: ConsoleSession,
    outages: OutageLog,
    records: ShiftRecords,
    notes: str = "",
    now: datetime | None = None,
) -> HandoverReport:
    """The report of the shift's records, with the outages and the operator's notes."""
    return build_report(
        alerts=records.alerts,
        histories=records.histories,
        outages=outages.since(records.start),
        author=session.user(),
        shift_start=records.start,
        now=now or utc_now(),
        notes=notes,
        site_id=session.site.site.id,
        training=session.training,
    )


def export_html(page: str, path: Path) -> None:
    path.write_text(page, encoding="utf-8")


def export_pdf(page: str, path: Path) -> None:
    writer = QPdfWriter(str(path))
    writer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
    writer.setPageMargins(QMarginsF(15, 15, 15, 15), QPageLayout.Unit.Millimeter)
    writer.setResolution(150)
    document = QTextDocument()
    document.setHtml(page)
    document.print_(writer)


class HandoverDialog(QDialog):
    """Write the free text, preview the report, save it for the next shift, export it.

    The shift's records arrive from the store's reader (``records``); until then the
    preview says so and nothing can be saved. Each keystroke recomposes from them.
    """

    def __init__(
        self,
        records: Future[ShiftRecords],
        compose: Callable[[ShiftRecords, str], HandoverReport],
        renderer: HandoverRenderer,
        folder: Path,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.compose = compose
        self.renderer = renderer
        self.folder = folder
        self.records: ShiftRecords | None = None
        self.read_error = ""
        self.report: HandoverReport | None = None
        self.saved_path: Path | None = None
        self.notes_label = QLabel(self)
        self.notes = QPlainTextEdit(self)
        self.notes.setMaximumHeight(110)
        self.notes.textChanged.connect(self.refresh)
        self.preview = QTextBrowser(self)
        self.preview.setStyleSheet(PAPER)
        self.save_button = QPushButton(self)
        self.save_button.clicked.connect(self.save)
        self.html_button = QPushButton(self)
        self.html_button.clicked.connect(lambda: self._export("html"))
        self.pdf_button = QPushButton(self)
        self.pdf_button.clicked.connect(lambda: self._export("pdf"))
        self.close_button = QPushButton(self)
        self.close_button.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        for button in (self.save_button, self.html_button, self.pdf_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(self.close_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.notes_label)
        layout.addWidget(self.notes)
        layout.addWidget(self.preview, 1)
        layout.addLayout(buttons)
        self.resize(1000, 760)
        self._retranslate()
        self.refresh()
        self.answers = GuiCallbacks(self)
        self.answers.when_done(records, self._on_records, self._on_read_failed)

    def _on_records(self, records: ShiftRecords) -> None:
        self.records = records
        self.refresh()

    def _on_read_failed(self, error: BaseException) -> None:
        self.read_error = str(error)
        self.refresh()

    def refresh(self) -> None:
        ready = self.records is not None
        for button in (self.save_button, self.html_button, self.pdf_button):
            button.setEnabled(ready)
        if self.records is None:
            waiting = self.tr("Reading the shift's alerts…")
            if self.read_error:
                waiting = self.tr("The shift's alerts could not be read: %1").replace(
                    "%1", self.read_error
                )
            self.preview.setPlainText(waiting)
            return
        self.report = self.compose(self.records, self.notes.toPlainText())
        self.preview.setHtml(self.renderer.render(self.report))

    def save(self) -> Path | None:
        self.refresh()
        if self.report is None:
            return None
        self.saved_path = save_report(self.folder, self.report)
        self.accept()
        return self.saved_path

    def _export(self, kind: str) -> None:
        if self.report is None:
            return
        name = f"ban-giao-ca-{self.report.created_at.strftime('%Y%m%d-%H%M')}.{kind}"
        path, _ = QFileDialog.getSaveFileName(self, self.tr("Export report"), name)
        if path:
            page = self.renderer.render(self.report)
            (export_pdf if kind == "pdf" else export_html)(page, Path(path))

    def _retranslate(self) -> None:
        self.setWindowTitle(self.tr("Shift handover"))
        self.notes_label.setText(self.tr("Notes for the next shift:"))
        self.save_button.setText(self.tr("Save and hand over"))
        self.html_button.setText(self.tr("Export HTML…"))
        self.pdf_button.setText(self.tr("Export PDF…"))
        self.close_button.setText(self.tr("Close"))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self._retranslate()
            self.refresh()
        super().changeEvent(event)
