"""The video wall: a grid of camera tiles in one of the standard layouts."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import cv2
from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import QGridLayout, QWidget

from console.config_site import Camera
from console.wall_layouts import LAYOUTS
from ui.bridge import CoreBridge
from ui.tile import CameraTile

DISPLAY_FPS = 25


class VideoWall(QWidget):
    layout_changed = Signal(str)

    def __init__(
        self, timezone: str, bridge: CoreBridge | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.bridge = bridge
        self._zone = ZoneInfo(timezone)
        self._grid = QGridLayout(self)
        self._grid.setContentsMargins(2, 2, 2, 2)
        self._grid.setSpacing(2)
        self.tiles: list[CameraTile] = []
        self._cameras: list[Camera | None] = []
        self.layout_name = ""
        self._clock = QTimer(self)
        self._clock.setInterval(1000)
        self._clock.timeout.connect(self._tick_clock)
        self._clock.start()
        self._pump = QTimer(self)
        self._pump.setInterval(1000 // DISPLAY_FPS)
        self._pump.timeout.connect(self.pull_frames)
        if bridge is not None:
            self._pump.start()
        self.set_layout("3x3")

    def set_layout(self, name: str) -> None:
        layout = LAYOUTS[name]
        for tile in self.tiles:
            self._grid.removeWidget(tile)
        while len(self.tiles) < len(layout.cells):
            tile = CameraTile(self)
            self.tiles.append(tile)
        for tile in self.tiles[len(layout.cells) :]:
            tile.hide()
        for index, cell in enumerate(layout.cells):
            tile = self.tiles[index]
            self._grid.addWidget(tile, cell.row, cell.column, cell.row_span, cell.column_span)
            tile.show()
        for r in range(4):
            self._grid.setRowStretch(r, 1 if r < layout.rows else 0)
            self._grid.setColumnStretch(r, 1 if r < layout.columns else 0)
        self.layout_name = name
        self._apply_cameras()
        self.layout_changed.emit(name)

    def visible_tiles(self) -> list[CameraTile]:
        return self.tiles[: len(LAYOUTS[self.layout_name].cells)]

    def show_cameras(self, cameras: list[Camera]) -> None:
        self._cameras = list(cameras)
        self._apply_cameras()

    def tile_for(self, camera_id: str) -> CameraTile | None:
        for tile in self.visible_tiles():
            if tile.camera is not None and tile.camera.id == camera_id:
                return tile
        return None

    def _apply_cameras(self) -> None:
        for index, tile in enumerate(self.visible_tiles()):
            camera = self._cameras[index] if index < len(self._cameras) else None
            if tile.camera is not camera:
                tile.set_camera(camera)
        self._tick_clock()

    def pull_frames(self) -> None:
        """Show the newest frame of each visible camera; older frames are simply skipped."""
        if self.bridge is None:
            return
        for tile in self.visible_tiles():
            if tile.camera is None:
                continue
            version, frame = self.bridge.latest_frame(tile.camera.id)
            if frame is None or version == tile.frame_version:
                continue
            height, width = frame.image.shape[:2]
            tile.set_source_size((width, height))
            target = tile.target_size()
            pixels = frame.image
            if target != (width, height):
                pixels = cv2.resize(pixels, target, interpolation=cv2.INTER_LINEAR)
            tile.set_result(self.bridge.latest_result(tile.camera.id))
            tile.set_frame(pixels, (width, height), version)

    def stop(self) -> None:
        self._pump.stop()
        self._clock.stop()

    def _tick_clock(self) -> None:
        text = datetime.now(UTC).astimezone(self._zone).strftime("%H:%M:%S %d/%m/%Y")
        for tile in self.visible_tiles():
            tile.set_clock(text)
