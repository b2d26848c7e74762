"""The replay timeline: recording coverage, gaps (offline or not recorded), alert markers.

Paints a :class:`console.replay.timeline.Timeline`; a click seeks there, a click on an
alert marker opens that alert (both as signals; the replay window decides what to do).
"""

from __future__ import annotations

import uuid
from datetime import datetime
from zoneinfo import ZoneInfo

from PySide6.QtCore import QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QMouseEvent, QPainter, QPaintEvent, QPen, QPolygonF
from PySide6.QtWidgets import QSizePolicy, QWidget

from console.domain.records import Severity
from console.replay.timeline import Timeline

COVERAGE = QColor("#2e7d32")
OFFLINE = QColor("#c62828")
NOT_RECORDED = QColor("#4a5561")
BACKGROUND = QColor("#11161c")
PLAYHEAD = QColor("#ffffff")
MARKER = {
    Severity.CRITICAL: QColor("#ff1744"),
    Severity.HIGH: QColor("#ff9100"),
    Severity.MEDIUM: QColor("#ffd600"),
    Severity.LOW: QColor("#90a4ae"),
}
MARKER_HIT_PX = 7.0


class TimelineWidget(QWidget):
    seek_requested = Signal(float)  # UTC epoch seconds
    alert_clicked = Signal(object)  # uuid.UUID

    def __init__(self, timezone: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.zone = ZoneInfo(timezone)
        self.timeline: Timeline | None = None
        self.position_s: float | None = None
        self.label = ""
        self.setMinimumHeight(34)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setMouseTracking(True)

    def sizeHint(self) -> QSize:
        return QSize(600, 38)

    def set_timeline(self, timeline: Timeline | None, label: str = "") -> None:
        self.timeline = timeline
        self.label = label
        self.update()

    def set_position(self, position_s: float | None) -> None:
        self.position_s = position_s
        self.update()

    # ---- geometry ---------------------------------------------------------------------

    def _bar(self) -> QRectF:
        return QRectF(4.0, 14.0, max(1.0, self.width() - 8.0), max(8.0, self.height() - 18.0))

    def x_of(self, time_s: float) -> float:
        timeline = self.timeline
        bar = self._bar()
        if timeline is None or timeline.end_s <= timeline.start_s:
            return bar.left()
        share = (time_s - timeline.start_s) / (timeline.end_s - timeline.start_s)
        return bar.left() + min(1.0, max(0.0, share)) * bar.width()

    def time_of(self, x: float) -> float:
        timeline = self.timeline
        bar = self._bar()
        if timeline is None:
            return 0.0
        share = min(1.0, max(0.0, (x - bar.left()) / bar.width()))
        return timeline.start_s + share * (timeline.end_s - timeline.start_s)

    def marker_at(self, x: float) -> uuid.UUID | None:
        if self.timeline is None:
            return None
        nearest = min(
            self.timeline.alerts, key=lambda m: abs(self.x_of(m.time_s) - x), default=None
        )
        if nearest is not None and abs(self.x_of(nearest.time_s) - x) <= MARKER_HIT_PX:
            return nearest.alert_id
        return None

    # ---- painting and input ---------------------------------------------------------------

    def paintEvent(self, event: QPaintEvent) -> None:
        del event
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        bar = self._bar()
        painter.fillRect(self.rect(), BACKGROUND)
        timeline = self.timeline
        painter.setPen(QColor("#c9d3dd"))
        if timeline is None:
            painter.drawText(bar, Qt.AlignmentFlag.AlignCenter, self.tr("No recording"))
            painter.end()
            return
        for gap in timeline.gaps:
            left, right = self.x_of(gap.start_s), self.x_of(gap.end_s)
            color = OFFLINE if gap.reason == "offline" else NOT_RECORDED
            painter.fillRect(QRectF(left, bar.top(), right - left, bar.height()), color.darker(150))
            if gap.reason == "offline":
                painter.fillRect(
                    QRectF(left, bar.top(), right - left, bar.height()),
                    QBrush(color, Qt.BrushStyle.BDiagPattern),
                )
        for interval in timeline.coverage:
            left, right = self.x_of(interval.start_s), self.x_of(interval.end_s)
            painter.fillRect(
                QRectF(left, bar.top() + 2, max(1.0, right - left), bar.height() - 4), COVERAGE
            )
        for marker in timeline.alerts:
            x = self.x_of(marker.time_s)
            painter.setPen(QPen(QColor("#000000"), 1))
            painter.setBrush(MARKER.get(marker.priority, MARKER[Severity.LOW]))
            painter.drawPolygon(
                QPolygonF(
                    [
                        QPointF(x - 6, bar.top() - 2),
                        QPointF(x + 6, bar.top() - 2),
                        QPointF(x, bar.top() + 8),
                    ]
                )
            )
        painter.setPen(QColor("#c9d3dd"))
        start = datetime.fromtimestamp(timeline.start_s, self.zone)
        end = datetime.fromtimestamp(timeline.end_s, self.zone)
        painter.drawText(
            QRectF(4, 0, self.width() - 8, 13),
            Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
            f"{self.label}  {start:%d/%m %H:%M:%S}",
        )
        painter.drawText(
            QRectF(4, 0, self.width() - 8, 13),
            Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
            f"{end:%H:%M:%S}",
        )
        if self.position_s is not None:
            x = self.x_of(self.position_s)
            painter.setPen(QPen(PLAYHEAD, 2))
            painter.drawLine(QPointF(x, bar.top() - 3), QPointF(x, bar.bottom() + 1))
        painter.end()

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if self.timeline is None or event.button() != Qt.MouseButton.LeftButton:
            return
        x = event.position().x()
        alert_id = self.marker_at(x)
        if alert_id is not None:
            self.alert_clicked.emit(alert_id)
            marker = next(m for m in self.timeline.alerts if m.alert_id == alert_id)
            self.seek_requested.emit(marker.time_s)
        else:
            self.seek_requested.emit(self.time_of(x))

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        timeline = self.timeline
        if timeline is None:
            return
        x = event.position().x()
        alert_id = self.marker_at(x)
        moment = datetime.fromtimestamp(self.time_of(x), self.zone)
        text = f"{moment:%d/%m/%Y %H:%M:%S}"
        if alert_id is not None:
            marker = next(m for m in timeline.alerts if m.alert_id == alert_id)
            text += f"\n{marker.type.value}: {marker.message}"
        else:
            gap = timeline.gap_at(self.time_of(x))
            if gap is not None:
                reason = (
                    self.tr("Camera offline")
                    if gap.reason == "offline"
                    else self.tr("Not recorded")
                )
                text += f"\n{reason}" + (f": {gap.detail}" if gap.detail else "")
        self.setToolTip(text)
