"""One tile of the video wall: the newest frame, the camera's identity, and its state."""

from __future__ import annotations

from PySide6.QtCore import QRectF, Qt, Signal
from PySide6.QtGui import QColor, QFont, QImage, QMouseEvent, QPainter, QPaintEvent
from PySide6.QtWidgets import QSizePolicy, QWidget

from console.config_site import Camera
from console.health import CameraHealth, StreamState
from console.text import format_km
from ui.theme import STATE_COLORS

HEADER_HEIGHT = 26


class CameraTile(QWidget):
    """Paints only the latest frame it was given; it never queues frames."""

    double_clicked = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.camera: Camera | None = None
        self.health: CameraHealth | None = None
        self._frame: QImage | None = None
        self._clock_text = ""
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMinimumSize(160, 90)
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)

    def set_camera(self, camera: Camera | None) -> None:
        self.camera = camera
        self._frame = None
        self.health = None
        self.setToolTip(camera.name if camera else "")
        self.update()

    def set_frame(self, image: QImage) -> None:
        self._frame = image
        self.update()

    def set_health(self, health: CameraHealth) -> None:
        self.health = health
        self.update()

    def set_clock(self, text: str) -> None:
        self._clock_text = text
        self.update(0, 0, self.width(), HEADER_HEIGHT)

    def banner_text(self) -> str:
        """The state line shown across a tile that is not live ('' when live)."""
        if self.camera is None:
            return self.tr("Drop a camera here")
        state = self.health.state if self.health else StreamState.CONNECTING
        reason = self.health.reason if self.health else ""
        retry = self.health.retry_in_s if self.health else None
        if state is StreamState.LIVE:
            return ""
        titles = {
            StreamState.CONNECTING: self.tr("CONNECTING…"),
            StreamState.STALLED: self.tr("STREAM STALLED"),
            StreamState.OFFLINE: self.tr("CONNECTION LOST"),
            StreamState.ERROR: self.tr("CAMERA ERROR"),
            StreamState.DISABLED: self.tr("CAMERA DISABLED"),
        }
        text = titles[state]
        if retry is not None and state in (
            StreamState.OFFLINE,
            StreamState.STALLED,
            StreamState.ERROR,
        ):
            text += " - " + self.tr("retrying in %n s", "", max(1, round(retry)))
        return f"{text}\n{reason}" if reason else text

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:
        if self.camera is not None:
            self.double_clicked.emit(self.camera.id)
        super().mouseDoubleClickEvent(event)

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.fillRect(self.rect(), QColor("#05070a"))
        if self._frame is not None and not self._frame.isNull():
            target = self._fit(self._frame.width(), self._frame.height())
            painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform, self.width() < 900)
            painter.drawImage(target, self._frame)
        self._paint_header(painter)
        banner = self.banner_text()
        if banner:
            self._paint_banner(painter, banner)
        painter.setPen(QColor("#2c3642"))
        painter.drawRect(self.rect().adjusted(0, 0, -1, -1))
        painter.end()

    def _fit(self, width: int, height: int) -> QRectF:
        scale = min(self.width() / width, self.height() / height)
        w, h = width * scale, height * scale
        return QRectF((self.width() - w) / 2, (self.height() - h) / 2, w, h)

    def _paint_header(self, painter: QPainter) -> None:
        if self.camera is None:
            return
        painter.fillRect(0, 0, self.width(), HEADER_HEIGHT, QColor(0, 0, 0, 170))
        state = self.health.state if self.health else StreamState.CONNECTING
        painter.setBrush(STATE_COLORS[state.value])
        painter.setPen(Qt.PenStyle.NoPen)
        painter.drawEllipse(8, HEADER_HEIGHT // 2 - 5, 10, 10)
        font = QFont(self.font())
        font.setPointSize(10)
        font.setBold(True)
        painter.setFont(font)
        painter.setPen(QColor("#ffffff"))
        right_text = self._clock_text
        if self.health and state is StreamState.LIVE:
            right_text = f"{self.health.input_fps:.0f} fps  {right_text}"
        right_width = painter.fontMetrics().horizontalAdvance(right_text) + 12
        title = f"{self.camera.name}  ·  {self.camera.route} {format_km(self.camera.km)}"
        title = painter.fontMetrics().elidedText(
            title, Qt.TextElideMode.ElideRight, max(10, self.width() - right_width - 30)
        )
        painter.drawText(
            24, 0, self.width() - 24, HEADER_HEIGHT, Qt.AlignmentFlag.AlignVCenter, title
        )
        font.setBold(False)
        painter.setFont(font)
        painter.drawText(
            0,
            0,
            self.width() - 8,
            HEADER_HEIGHT,
            Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignRight,
            right_text,
        )

    def _paint_banner(self, painter: QPainter, text: str) -> None:
        state = self.health.state if self.health else StreamState.CONNECTING
        color = STATE_COLORS[state.value] if self.camera else QColor("#6b7785")
        font = QFont(self.font())
        font.setPointSize(12 if self.width() > 320 else 9)
        font.setBold(True)
        painter.setFont(font)
        box = self.rect().adjusted(12, HEADER_HEIGHT + 8, -12, -8)
        bounds = painter.boundingRect(
            box, Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap, text
        )
        bounds = bounds.adjusted(-14, -8, 14, 8)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor(0, 0, 0, 190))
        painter.drawRoundedRect(bounds, 6, 6)
        painter.setPen(color)
        painter.drawText(box, Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap, text)
