"""One tile of the video wall: the newest frame, the camera's identity, and its state."""

from __future__ import annotations

import cv2
import numpy as np
from PySide6.QtCore import QEvent, QMimeData, QPoint, QRectF, Qt, QTimer, Signal
from PySide6.QtGui import (
    QColor,
    QContextMenuEvent,
    QDrag,
    QDragEnterEvent,
    QDropEvent,
    QFont,
    QFontMetrics,
    QImage,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPen,
)
from PySide6.QtWidgets import QApplication, QMenu, QSizePolicy, QWidget

from console.config_site import Camera
from console.detect.worker import AnalysisResult
from console.health import CameraHealth, StreamState
from ui.labels import camera_title
from ui.theme import STATE_COLORS
from ui.tile_overlays import DetectionOverlay, GeometryOverlay

HEADER_HEIGHT = 26
CAMERA_MIME = "application/x-roadwatch-cameras"
BACKGROUND = QColor("#05070a")
BORDER = QColor("#2c3642")
FLASH_PEN = QPen(QColor("#ff4d4f"), 6)
ALERT_TILE_PEN = QPen(QColor("#ff9f1a"), 2, Qt.PenStyle.DashLine)
FLASH_TOGGLES = 12  # six blinks: noticed from across the room, calm afterwards


def camera_mime(camera_ids: list[str]) -> QMimeData:
    mime = QMimeData()
    mime.setData(CAMERA_MIME, "\n".join(camera_ids).encode())
    return mime


def camera_ids_from(mime: QMimeData) -> list[str]:
    if not mime.hasFormat(CAMERA_MIME):
        return []
    return [i for i in bytes(mime.data(CAMERA_MIME).data()).decode().split("\n") if i]


class CameraTile(QWidget):
    """Paints only the latest frame it was given; it never queues frames."""

    double_clicked = Signal(str)
    cameras_dropped = Signal(object, list)  # CameraTile, camera ids
    alert_tile_requested = Signal(object)  # CameraTile
    clear_requested = Signal(object)  # CameraTile

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.camera: Camera | None = None
        self.health: CameraHealth | None = None
        self._frame: QImage | None = None
        self._frame_pixels: np.ndarray | None = None  # keeps the QImage's memory alive
        self._source_size = (1, 1)
        self.frame_version = 0
        self.detections = DetectionOverlay()
        self.geometry = GeometryOverlay()
        self._overlay: QImage | None = None
        self._overlay_key: tuple[object, ...] | None = None
        self._header: QImage | None = None
        self._header_key: tuple[object, ...] | None = None
        self._badge: QImage | None = None
        self._badge_text = ""
        self.show_geometry = True
        self.show_detections = True
        self.demo_model = False
        self._clock_text = ""
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMinimumSize(160, 90)
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)
        self.setAcceptDrops(True)
        self.is_alert_tile = False
        self._press_at: QPoint | None = None
        self._flash_left = 0
        self._flash_on = False
        self._flash_timer = QTimer(self)
        self._flash_timer.setInterval(400)
        self._flash_timer.timeout.connect(self._blink)

    # ---- alert flash ------------------------------------------------------------------

    def flash(self) -> None:
        """Blink a red frame around the tile (a high-priority alert on this camera)."""
        self._flash_left = FLASH_TOGGLES
        self._flash_on = True
        self._flash_timer.start()
        self.update()

    @property
    def flashing(self) -> bool:
        return self._flash_timer.isActive()

    def _blink(self) -> None:
        self._flash_left -= 1
        self._flash_on = not self._flash_on and self._flash_left > 0
        if self._flash_left <= 0:
            self._flash_timer.stop()
            self._flash_on = False
        self.update()

    # ---- drag and drop ----------------------------------------------------------------

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            self._press_at = event.position().toPoint()
        super().mousePressEvent(event)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        if (
            self._press_at is not None
            and self.camera is not None
            and (event.position().toPoint() - self._press_at).manhattanLength()
            >= QApplication.startDragDistance()
        ):
            self._press_at = None
            drag = QDrag(self)
            drag.setMimeData(camera_mime([self.camera.id]))
            drag.exec(Qt.DropAction.MoveAction)
        super().mouseMoveEvent(event)

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if event.mimeData().hasFormat(CAMERA_MIME):
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        ids = camera_ids_from(event.mimeData())
        if ids:
            event.acceptProposedAction()
            self.cameras_dropped.emit(self, ids)

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:
        menu = QMenu(self)
        geometry = menu.addAction(self.tr("Show zones and lines"))
        geometry.setCheckable(True)
        geometry.setChecked(self.show_geometry)
        geometry.toggled.connect(self.set_show_geometry)
        detections = menu.addAction(self.tr("Show detections"))
        detections.setCheckable(True)
        detections.setChecked(self.show_detections)
        detections.toggled.connect(self.set_show_detections)
        menu.addSeparator()
        alert_tile = menu.addAction(self.tr("Show new alerts in this tile"))
        alert_tile.setCheckable(True)
        alert_tile.setChecked(self.is_alert_tile)
        alert_tile.triggered.connect(lambda: self.alert_tile_requested.emit(self))
        clear = menu.addAction(self.tr("Remove camera from tile"))
        clear.setEnabled(self.camera is not None)
        clear.triggered.connect(lambda: self.clear_requested.emit(self))
        menu.exec(event.globalPos())

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.update()
        super().changeEvent(event)

    def set_show_geometry(self, shown: bool) -> None:
        self.show_geometry = shown
        self.update()

    def set_show_detections(self, shown: bool) -> None:
        self.show_detections = shown
        self.update()

    def set_camera(self, camera: Camera | None, health: CameraHealth | None = None) -> None:
        self.camera = camera
        self._frame = None
        self._frame_pixels = None
        self.frame_version = 0
        self.detections.clear()
        self.geometry.set_camera(camera)
        self.health = health
        self.setToolTip(camera.name if camera else "")
        self.update()

    def set_frame(self, pixels: np.ndarray, source_size: tuple[int, int], version: int) -> None:
        """Show ``pixels`` (BGRA or BGR, scaled for this tile) of a ``source_size`` frame."""
        if pixels.ndim == 3 and pixels.shape[2] == 3:
            pixels = cv2.cvtColor(pixels, cv2.COLOR_BGR2BGRA)
        height, width = pixels.shape[:2]
        self._frame_pixels = np.ascontiguousarray(pixels)
        self._frame = QImage(
            self._frame_pixels.data,
            width,
            height,
            self._frame_pixels.strides[0],
            QImage.Format.Format_RGB32,  # BGRA bytes: the backing store's own format, no convert
        )
        self._source_size = source_size
        self.frame_version = version
        self.update()

    def set_result(self, result: AnalysisResult | None) -> None:
        self.detections.update(result)

    def set_source_size(self, size: tuple[int, int]) -> None:
        self._source_size = size

    def target_size(self) -> tuple[int, int]:
        """Pixel size a frame of the source's aspect should be scaled to for this tile."""
        width, height = self._source_size if self._source_size != (1, 1) else (16, 9)
        scale = min(self.width() / width, self.height() / height)
        return max(1, int(width * scale)), max(1, int(height * scale))

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
        """Few Qt calls per repaint: overlays and header come from images cached on change.

        Each Qt call releases the GIL and must win it back from busy capture threads, so
        the number of calls, not their cost, decides how long a repaint takes under load.
        """
        painter = QPainter(self)
        painter.fillRect(self.rect(), BACKGROUND)
        if self._frame is not None and not self._frame.isNull():
            target = self._fit(*self._source_size)
            if (self._frame.width(), self._frame.height()) == self.target_size():
                corner = QPoint(
                    (self.width() - self._frame.width()) // 2,
                    (self.height() - self._frame.height()) // 2,
                )
                painter.drawImage(corner, self._frame)  # 1:1 blit, no scaling
            else:
                painter.drawImage(target, self._frame)
            overlay = self._overlay_for(target)
            if overlay is not None:
                painter.drawImage(target.topLeft(), overlay)
        header = self._header_image()
        if header is not None:
            painter.drawImage(0, 0, header)
            if self.demo_model:
                badge = self._demo_badge()
                painter.drawImage(6, self.height() - badge.height() - 6, badge)
        banner = self.banner_text()
        if banner:
            self._paint_banner(painter, banner)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        if self._flash_on:
            painter.setPen(FLASH_PEN)
            painter.drawRect(self.rect().adjusted(3, 3, -3, -3))
        elif self.is_alert_tile:
            painter.setPen(ALERT_TILE_PEN)
            painter.drawRect(self.rect().adjusted(1, 1, -1, -1))
        else:
            painter.setPen(BORDER)
            painter.drawRect(self.rect().adjusted(0, 0, -1, -1))
        painter.end()

    def _overlay_for(self, target: QRectF) -> QImage | None:
        """Zones, lines, boxes and trails drawn once per analysis result and tile size."""
        show_geometry = self.camera is not None and self.show_geometry
        show_detections = self.show_detections and self.detections.result is not None
        if not (show_geometry or show_detections):
            return None
        key = (
            self.camera.id if self.camera else None,
            id(self.detections.result),
            round(target.width()),
            round(target.height()),
            show_geometry,
            show_detections,
        )
        if self._overlay_key != key or self._overlay is None:
            image = QImage(
                max(1, round(target.width())),
                max(1, round(target.height())),
                QImage.Format.Format_ARGB32_Premultiplied,
            )
            image.fill(Qt.GlobalColor.transparent)
            local = QRectF(0, 0, target.width(), target.height())
            overlay_painter = QPainter(image)
            overlay_painter.setFont(self.font())
            if show_geometry:
                self.geometry.paint(overlay_painter, local)
            if show_detections:
                self.detections.paint(overlay_painter, local, self._source_size)
            overlay_painter.end()
            self._overlay, self._overlay_key = image, key
        return self._overlay

    def _header_image(self) -> QImage | None:
        """The header strip, re-drawn only when its text, state or width changes."""
        if self.camera is None:
            return None
        state = self.health.state if self.health else StreamState.CONNECTING
        fps = round(self.health.input_fps) if self.health else 0
        key = (
            self.width(),
            self.header_title(),
            self._clock_text,
            state,
            fps,
            self.tr("DEMO MODEL"),
        )
        if self._header_key != key or self._header is None:
            image = QImage(
                max(1, self.width()), HEADER_HEIGHT, QImage.Format.Format_ARGB32_Premultiplied
            )
            image.fill(Qt.GlobalColor.transparent)
            header_painter = QPainter(image)
            header_painter.setFont(self.font())
            self._paint_header(header_painter)
            header_painter.end()
            self._header, self._header_key = image, key
        return self._header

    def _fit(self, width: int, height: int) -> QRectF:
        scale = min(self.width() / width, self.height() / height)
        w, h = width * scale, height * scale
        return QRectF((self.width() - w) / 2, (self.height() - h) / 2, w, h)

    def header_title(self) -> str:
        """Camera name with its route and km post (not repeated when the name has them)."""
        return camera_title(self.camera) if self.camera is not None else ""

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
        # the name matters most: time and fps give way on narrow tiles
        clock = self._clock_text if self.width() >= 560 else self._clock_text.split(" ")[0]
        right_text = clock
        if self.health and state is StreamState.LIVE and self.width() >= 300:
            right_text = f"{self.health.input_fps:.0f} fps  {clock}"
        metrics = painter.fontMetrics()
        right_width = metrics.horizontalAdvance(right_text) + 16
        if self.width() - right_width < 0.55 * self.width():
            right_text, right_width = "", 0
        title = metrics.elidedText(
            self.header_title(),
            Qt.TextElideMode.ElideRight,
            max(10, self.width() - right_width - 30),
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

    def _demo_badge(self) -> QImage:
        """'DEMO MODEL' label for tiles analysed by the bundled demo model (cached)."""
        text = self.tr("DEMO MODEL")
        if self._badge is not None and self._badge_text == text:
            return self._badge
        font = QFont(self.font())
        font.setPointSize(8)
        font.setBold(True)
        width = QFontMetrics(font).horizontalAdvance(text) + 12
        image = QImage(width, 16, QImage.Format.Format_ARGB32_Premultiplied)
        image.fill(Qt.GlobalColor.transparent)
        painter = QPainter(image)
        painter.setFont(font)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor(181, 23, 158, 200))
        painter.drawRoundedRect(QRectF(0, 0, width, 16), 3, 3)
        painter.setPen(QColor("#ffffff"))
        painter.drawText(QRectF(0, 0, width, 16), Qt.AlignmentFlag.AlignCenter, text)
        painter.end()
        self._badge, self._badge_text = image, text
        return image

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
