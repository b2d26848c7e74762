"""One tile of the video wall: the newest frame, the camera's identity, and its state.

The tile keeps the state (camera, health, clock, toggles, flash) and turns it into a
``TileScene`` when it changes; the wall's compositor thread draws the finished picture and
the tile only blits it. Without a compositor (a wall with no live bridge, as in tests and
before login) the tile composes its own scene when painted; there are no frames then.
"""

from __future__ import annotations

import html

from PySide6.QtCore import QEvent, QMimeData, QPoint, QRect, Qt, QTimer, Signal
from PySide6.QtGui import (
    QContextMenuEvent,
    QDrag,
    QDragEnterEvent,
    QDropEvent,
    QFont,
    QImage,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QResizeEvent,
)
from PySide6.QtWidgets import QApplication, QMenu, QSizePolicy, QWidget

from console.config.site import Camera
from console.domain.health import CameraHealth, StreamState
from ui.labels import camera_title
from ui.reason_text import reason_text
from ui.wall.compositor import ComposedTile
from ui.wall.tile_composer import BACKGROUND, Border, TileComposer, TileScene

CAMERA_MIME = "application/x-roadwatch-cameras"
WARNING_COLOR = "#ff9f1a"
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
    """Shows only the latest picture it was given; it never queues frames."""

    double_clicked = Signal(str)
    cameras_dropped = Signal(object, list)  # CameraTile, camera ids
    alert_tile_requested = Signal(object)  # CameraTile
    clear_requested = Signal(object)  # CameraTile

    def __init__(self, parent: QWidget | None = None, composes_itself: bool = True) -> None:
        super().__init__(parent)
        self.camera: Camera | None = None
        self.health: CameraHealth | None = None
        self._composed: ComposedTile | None = None
        self._own_image: QImage | None = None
        self._size = (0, 0)  # kept as ints: paintEvent makes no Qt call to learn it
        self._own_composer = TileComposer() if composes_itself else None
        self._own_scene: TileScene | None = None
        self._scene: TileScene | None = None
        self._show_geometry = True
        self._show_detections = True
        self._demo_model = False
        self._is_alert_tile = False
        self._clock_text = ""
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMinimumSize(160, 90)
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)
        self.setAcceptDrops(True)
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
        self._changed()

    @property
    def flashing(self) -> bool:
        return self._flash_timer.isActive()

    def _blink(self) -> None:
        self._flash_left -= 1
        self._flash_on = not self._flash_on and self._flash_left > 0
        if self._flash_left <= 0:
            self._flash_timer.stop()
            self._flash_on = False
        self._changed()

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
        if event.type() in (QEvent.Type.LanguageChange, QEvent.Type.FontChange):
            self._changed()
            self.setToolTip(self.tooltip_text())
        super().changeEvent(event)

    def resizeEvent(self, event: QResizeEvent) -> None:
        self._size = (event.size().width(), event.size().height())
        self._changed()
        super().resizeEvent(event)

    # ---- state ------------------------------------------------------------------------

    @property
    def show_geometry(self) -> bool:
        return self._show_geometry

    def set_show_geometry(self, shown: bool) -> None:
        self._show_geometry = shown
        self._changed()

    @property
    def show_detections(self) -> bool:
        return self._show_detections

    def set_show_detections(self, shown: bool) -> None:
        self._show_detections = shown
        self._changed()

    @property
    def demo_model(self) -> bool:
        return self._demo_model

    @demo_model.setter
    def demo_model(self, value: bool) -> None:
        if value != self._demo_model:
            self._demo_model = value
            self._changed()

    @property
    def is_alert_tile(self) -> bool:
        return self._is_alert_tile

    @is_alert_tile.setter
    def is_alert_tile(self, value: bool) -> None:
        if value != self._is_alert_tile:
            self._is_alert_tile = value
            self._changed()

    def set_camera(self, camera: Camera | None, health: CameraHealth | None = None) -> None:
        self.camera = camera
        self._composed = None
        self.health = health
        self.setToolTip(self.tooltip_text())
        self._changed()

    def set_health(self, health: CameraHealth) -> None:
        self.health = health
        self.setToolTip(self.tooltip_text())
        self._changed()

    def set_clock(self, text: str) -> None:
        if text != self._clock_text:
            self._clock_text = text
            self._changed()

    def _changed(self) -> None:
        """Something drawn changed: the next scene is new (the compositor re-draws it)."""
        self._scene = None
        if self._own_composer is not None:
            self.update()

    def banner_text(self) -> str:
        """The state line shown across a tile that is not live ('' when live)."""
        if self.camera is None:
            return self.tr("Drop a camera here")
        state = self.health.state if self.health else StreamState.CONNECTING
        reason = reason_text(self.health.reason) if self.health else ""
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

    def tooltip_text(self) -> str:
        """The camera's name and, while it is analysed, its rate and what was not analysed."""
        if self.camera is None:
            return ""
        name = f"<b>{html.escape(self.camera.name)}</b>"
        health = self.health
        if health is None or health.target_fps <= 0:  # analysis not running (yet)
            return name
        rate = (
            self.tr("Analysis: %1 of %2 fps")
            .replace("%1", f"{health.analysis_fps:.1f}")
            .replace("%2", f"{health.target_fps:g}")
        )
        short = 0 < health.budget_fps < health.target_fps - 1e-6
        if short:
            rate += " " + self.tr("(its share now: %1 fps)").replace(
                "%1", f"{health.budget_fps:.1f}"
            )
        facts = [
            rate,
            self.tr("Frames skipped by the detector budget: %1").replace(
                "%1", str(health.skipped_by_budget)
            ),
            self.tr("Frames skipped by the motion gate (nothing moved): %1").replace(
                "%1", str(health.skipped_by_motion)
            ),
        ]
        warnings = []
        if short:
            warnings.append(self.tr("The detector cannot analyse every camera at its rate."))
        if health.at_floor:
            warnings.append(
                self.tr(
                    "At the minimum rate: put fewer cameras on this PC, give them a smaller "
                    "image_size, or move cameras to an analytics node."
                )
            )
        # The facts keep their lines; the warnings wrap to the width they give.
        text = '<div style="white-space: nowrap">' + "<br>".join([name, *map(html.escape, facts)])
        text += "</div>"
        if warnings:
            text += f'<div style="color: {WARNING_COLOR};">{html.escape(" ".join(warnings))}</div>'
        return text

    def header_title(self) -> str:
        """Camera name with its route and km post (not repeated when the name has them)."""
        return camera_title(self.camera) if self.camera is not None else ""

    def scene(self) -> TileScene:
        """What this tile draws besides the video; the same object until something changes."""
        if self._scene is None:
            state = self.health.state if self.health else StreamState.CONNECTING
            live = self.health is not None and state is StreamState.LIVE
            if self._flash_on:
                border = Border.FLASH
            elif self._is_alert_tile:
                border = Border.ALERT_TILE
            else:
                border = Border.NORMAL
            self._scene = TileScene(
                size=(self.width(), self.height()),
                camera=self.camera,
                title=self.header_title(),
                clock=self._clock_text,
                state=state,
                fps=self.health.input_fps if live and self.health else None,
                banner=self.banner_text(),
                badge=self.tr("DEMO MODEL") if self._demo_model else "",
                show_geometry=self._show_geometry,
                show_detections=self._show_detections,
                border=border,
                font=QFont(self.font()),
            )
        return self._scene

    # ---- pictures ---------------------------------------------------------------------

    @property
    def frame_version(self) -> int:
        """Version (source frame number) of the frame shown; 0 before the first one."""
        return self._composed.frame_version if self._composed is not None else 0

    def show_composed(self, composed: ComposedTile) -> bool:
        """Take a picture from the compositor; False when it is stale for this tile."""
        if composed is self._composed or composed.scene.camera is not self.camera:
            return False
        self._composed = composed
        return True

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:
        if self.camera is not None:
            self.double_clicked.emit(self.camera.id)
        super().mouseDoubleClickEvent(event)

    def paintEvent(self, event: QPaintEvent) -> None:
        """One opaque blit of the finished picture: no blending, few Qt calls.

        Each Qt call releases the GIL and must win it back from busy capture threads, so
        the number of calls, not their cost, decides how long a repaint takes under load.
        """
        if self._own_composer is not None:
            if self._own_scene is not self.scene():
                self._own_scene = self.scene()
                self._own_image = self._own_composer.compose(self._own_scene, None, None)
            image, size = self._own_image, self._own_scene.size
        elif self._composed is not None:
            image, size = self._composed.image, self._composed.scene.size
        else:
            image, size = None, (0, 0)
        painter = QPainter(self)
        if image is None:
            painter.fillRect(self.rect(), BACKGROUND)
        elif size == self._size:
            painter.drawImage(0, 0, image)
        else:  # resized: stretch the last picture until the compositor catches up
            painter.drawImage(QRect(0, 0, *self._size), image)
        painter.end()
